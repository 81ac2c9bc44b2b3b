#pragma once
// Confidence intervals for the mean of independent, identically distributed replication
// outputs (Student t: the replications' outputs are averages over a whole run, close to
// normal by the central limit theorem, and their variance is estimated from few of them).

#include <vector>

#include "model/replicated_result.hpp"

namespace workersim {

// The 0.975 quantile of Student's t with `degrees_of_freedom` >= 1 (two-sided 95%).
// Exact table to 9 digits up to 30 degrees of freedom; beyond, the Cornish-Fisher
// expansion around the normal quantile (error below 1e-6 there).
double student_t_975(int degrees_of_freedom);

// Mean, 95% half-width and standard deviation of `values`; one value gives half-width and
// sd 0 (no interval can be estimated), none gives all zeros.
Estimate estimate_of(const std::vector<double>& values);

}  // namespace workersim
