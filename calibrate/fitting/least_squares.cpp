#include "calibrate/fitting/least_squares.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace workersim {

LinearFit fit_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& weights,
                            const char* what) {
    const Eigen::Index n = x.rows(), p = x.cols();
    const Eigen::VectorXd sqrt_w = weights.cwiseSqrt();
    const Eigen::MatrixXd xw = sqrt_w.asDiagonal() * x;
    const Eigen::VectorXd yw = sqrt_w.asDiagonal() * y;
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(xw);
    if (n < p || qr.rank() < p) {
        std::ostringstream m;
        m << what << ": the runs do not determine the fit (" << n << " points, rank " << qr.rank() << " of " << p
          << ")";
        throw std::invalid_argument(m.str());
    }
    LinearFit fit;
    fit.beta = qr.solve(yw);
    const Eigen::VectorXd residual = y - x * fit.beta;
    fit.rms_residual = std::sqrt(residual.squaredNorm() / static_cast<double>(n));
    const double dof = static_cast<double>(n - p);
    const double sigma2 = dof > 0 ? (sqrt_w.asDiagonal() * residual).squaredNorm() / dof : 0.0;
    const Eigen::MatrixXd covariance = sigma2 * (xw.transpose() * xw).inverse();
    fit.std_error = covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
    fit.points = static_cast<int>(n);
    return fit;
}

FitQuality quality(const LinearFit& fit, Eigen::Index i) {
    return {fit.std_error(i), fit.rms_residual, fit.points};
}

}  // namespace workersim
