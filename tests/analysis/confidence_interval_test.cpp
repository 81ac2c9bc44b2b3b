#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "analysis/confidence_interval.hpp"

using namespace workersim;

TEST_CASE("the t quantile matches published values inside and beyond the table") {
    // Published 0.975 quantiles (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
    REQUIRE(student_t_975(1) == Approx(12.7062).epsilon(1e-5));
    REQUIRE(student_t_975(4) == Approx(2.77645).epsilon(1e-5));
    REQUIRE(student_t_975(30) == Approx(2.04227).epsilon(1e-5));
    REQUIRE(student_t_975(40) == Approx(2.021075).epsilon(1e-6));
    REQUIRE(student_t_975(60) == Approx(2.000298).epsilon(1e-6));
    REQUIRE(student_t_975(120) == Approx(1.979930).epsilon(1e-6));
    REQUIRE(student_t_975(1000) == Approx(1.962339).epsilon(1e-6));
}

TEST_CASE("the t quantile decreases towards the normal quantile") {
    for (int df = 1; df < 2000; ++df) REQUIRE(student_t_975(df + 1) < student_t_975(df));
    REQUIRE(student_t_975(1000000) == Approx(1.959964).epsilon(2e-6));
}

TEST_CASE("the t quantile rejects zero degrees of freedom") {
    REQUIRE_THROWS_AS(student_t_975(0), std::invalid_argument);
}

TEST_CASE("an estimate's half-width is t times the standard error") {
    const std::vector<double> values = {1, 2, 3, 4, 5};
    const Estimate e = estimate_of(values);
    REQUIRE(e.mean == Approx(3));
    REQUIRE(e.sd == Approx(std::sqrt(2.5)));
    REQUIRE(e.ci95_half_width == Approx(2.776445105 * std::sqrt(2.5) / std::sqrt(5.0)));
}

TEST_CASE("one value gives its mean and no interval") {
    const Estimate e = estimate_of({7.5});
    REQUIRE(e.mean == 7.5);
    REQUIRE(e.ci95_half_width == 0);
    REQUIRE(e.sd == 0);
}
