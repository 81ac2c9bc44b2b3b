#pragma once
// Warm-up (initial transient) removal by MSER-5: White, K. P. Jr. (1997), "An effective
// truncation heuristic for bias reduction in simulation output", Simulation 69(6):323-334;
// White, Cobb & Spratt (2000), "A comparison of five steady-state truncation heuristics for
// simulation", Proc. Winter Simulation Conference.
//
// The rule: average the raw output (here response times, in completion order) in
// consecutive batches of 5, Z_1..Z_m. For each candidate truncation d (in batches), the
// marginal standard error of the batches kept is
//     MSER(d) = sum_{i>d} (Z_i - mean_{i>d} Z)^2 / (m - d)^2,
// and the truncation point is the d that minimises it over 0 <= d <= m/2. Restricting d to
// the first half is the usual guard: near the end of the series MSER(d) is noisy and tiny
// samples can win spuriously; a minimum found at m/2 means the run is too short to have
// reached steady state, which truncation_too_late() reports.

#include <cstddef>
#include <vector>

namespace workersim {

constexpr std::size_t kMserBatchSize = 5;

struct WarmupTruncation {
    std::size_t batches = 0;       // d: batch means to drop from the start
    std::size_t observations = 0;  // d * 5: raw observations to drop
    // The minimum sits at the edge of the search (d = m/2): the transient may be longer
    // than half the run; lengthen the run rather than trust its mean.
    bool truncation_too_late = false;
};

// MSER on a series of batch means (already averaged over kMserBatchSize observations each).
// Ties go to the smallest d. A series shorter than 2 batches is not truncated.
WarmupTruncation mser5_truncation(const std::vector<double>& batch_means);

// Averages consecutive batches of kMserBatchSize raw observations; an incomplete last batch
// is dropped, as MSER-5 prescribes.
std::vector<double> batch_means_of_5(const std::vector<double>& observations);

}  // namespace workersim
