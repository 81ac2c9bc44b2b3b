#include "model/distribution.hpp"

#include <cmath>
#include <cstdlib>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace workersim {

Distribution Distribution::deterministic(double mean_s) {
    Distribution d;
    d.mean_s = mean_s;
    return d;
}

Distribution Distribution::exponential(double mean_s) {
    Distribution d;
    d.kind = DistributionKind::exponential;
    d.mean_s = mean_s;
    return d;
}

Distribution Distribution::lognormal(double mean_s, double cv) {
    Distribution d;
    d.kind = cv > 0 ? DistributionKind::lognormal : DistributionKind::deterministic;
    d.mean_s = mean_s;
    d.cv = cv;
    return d;
}

Distribution Distribution::empirical(std::vector<double> samples_s) {
    Distribution d;
    d.kind = DistributionKind::empirical;
    d.mean_s = samples_s.empty()
                   ? 0.0
                   : std::accumulate(samples_s.begin(), samples_s.end(), 0.0) / samples_s.size();
    d.samples_s = std::move(samples_s);
    return d;
}

static double base_scv(const Distribution& d) {
    switch (d.kind) {
        case DistributionKind::deterministic: return 0.0;
        case DistributionKind::exponential: return 1.0;
        case DistributionKind::lognormal: return d.cv * d.cv;
        case DistributionKind::empirical: {
            if (d.samples_s.size() < 2 || d.mean_s <= 0) return 0.0;
            double sum_sq = 0;
            for (double x : d.samples_s) sum_sq += (x - d.mean_s) * (x - d.mean_s);
            return sum_sq / d.samples_s.size() / (d.mean_s * d.mean_s);
        }
    }
    return 0.0;
}

double Distribution::expected_s() const {
    return (1 - slow_probability) * mean_s + slow_probability * slow_s;
}

double Distribution::scv() const {
    const double p = slow_probability;
    const double base_second_moment = mean_s * mean_s * (1 + base_scv(*this));
    const double second_moment = (1 - p) * base_second_moment + p * slow_s * slow_s;
    const double m = expected_s();
    return m > 0 ? second_moment / (m * m) - 1 : 0.0;
}

Distribution Distribution::scaled(double factor) const {
    Distribution d = *this;
    d.mean_s *= factor;
    d.slow_s *= factor;
    for (double& x : d.samples_s) x *= factor;
    return d;
}

DistributionKind parse_distribution_kind(const std::string& text, double& cv_out) {
    cv_out = 0;
    if (text == "det" || text == "deterministic") return DistributionKind::deterministic;
    if (text == "exp" || text == "exponential") return DistributionKind::exponential;
    const std::string prefix = "lognormal:";
    if (text.rfind(prefix, 0) == 0) {
        const std::string number = text.substr(prefix.size());
        // Plain decimal only, like every other number: no spaces, signs, hex or exponents.
        const bool plain = !number.empty() && number.find_first_not_of("0123456789.") == std::string::npos &&
                           number.find('.') == number.rfind('.');
        const double cv = plain ? std::strtod(number.c_str(), nullptr) : 0.0;
        if (!plain || !(cv > 0) || !(cv <= 100))
            throw std::invalid_argument("'" + text + "': the CV after 'lognormal:' must be a number in (0, 100]");
        cv_out = cv;
        return DistributionKind::lognormal;
    }
    throw std::invalid_argument("'" + text + "': expected det, exp or lognormal:CV");
}

std::string to_string(const Distribution& d) {
    std::ostringstream out;
    switch (d.kind) {
        case DistributionKind::deterministic: out << "det"; break;
        case DistributionKind::exponential: out << "exp"; break;
        case DistributionKind::lognormal: out << "lognormal:" << d.cv; break;
        case DistributionKind::empirical: out << "empirical(" << d.samples_s.size() << ")"; break;
    }
    if (d.slow_probability > 0) out << "+" << d.slow_probability * 100 << "%@" << d.slow_s << "s";
    return out.str();
}

}  // namespace workersim
