#pragma once
// Weighted linear least squares with each coefficient's standard error: the sync fitter's and
// gthread's regressions (calibrate/fitting/fitter.cpp, gthread_fit.cpp) share it.

#include <Eigen/Dense>

#include "model/profile.hpp"

namespace workersim {

struct LinearFit {
    Eigen::VectorXd beta;
    Eigen::VectorXd std_error;
    double rms_residual = 0;
    int points = 0;
};

// Minimises sum w_i (y_i - x_i beta)^2. Standard errors from sigma^2 (X' W X)^-1 with sigma^2
// the weighted residual variance over n - p degrees of freedom (0 when the fit is exact in its
// degrees of freedom). Throws std::invalid_argument starting with `what` when the points do
// not determine the coefficients (fewer points than columns, or a rank-deficient X).
LinearFit fit_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& weights,
                            const char* what);

// Coefficient i's quality as Profile::fit records it.
FitQuality quality(const LinearFit& fit, Eigen::Index i);

}  // namespace workersim
