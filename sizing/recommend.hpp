#pragma once
// How many sync workers? The sizing engine behind `workersim recommend`.
//
// Analytic screening (MVA) over 1..max_workers finds the candidates in microseconds; the
// simulator then runs only the few counts that decide the answer (around the MVA optimum, or
// along the SLO boundary, where approximate analytic percentiles are not good enough).
// Plain structs in and out, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/profile.hpp"
#include "model/result.hpp"
#include "model/what_if.hpp"

namespace workersim {

struct RecommendQuery {
    Profile profile;
    WhatIf what_if;                         // workload, load, cores, server flags; workers is ignored
    std::optional<double> memory_kib;       // PSS budget for the master and its workers
    std::optional<double> worker_kib;       // a worker's PSS, instead of the calibrated one
    std::optional<double> slo_p99_s;
    std::optional<double> slo_mean_s;
    int max_workers = 64;
    // Length of the simulated runs that check the analytic answer: long enough for a
    // steady-state p99 (at least this many requests, or the query's own if larger).
    std::int64_t steady_requests = 20000;
    std::uint64_t seed = 1;
};

// One worker count as the screening saw it.
struct ScreenedCount {
    int workers = 0;
    double throughput_rps = 0;    // analytic
    double mean_s = 0;            // analytic
    double p99_s = 0;             // analytic, approximate
    double memory_kib = 0;
    bool fits_memory = true;
    bool meets_objective = false; // analytic
};

struct Recommendation {
    int workers = 0;              // the recommendation, or the best achievable when infeasible
    bool feasible = false;
    // What stops more workers from helping or fixes the count: "cores", "memory", "slo",
    // "clients", "load" (open load without an SLO: the rate sets it), "max_workers".
    std::string limited_by;
    Result predicted;             // simulated, at `workers`
    int max_workers_in_memory = 0;
    double best_throughput_rps = 0;  // analytic, over the counts that fit

    int rule_of_thumb_workers = 0;   // (2 x cores) + 1
    Result rule_of_thumb_predicted;  // simulated
    bool rule_of_thumb_fits_memory = true;

    std::vector<std::string> advice;  // what would make it feasible, or better
    std::vector<ScreenedCount> screening;
    int simulations = 0;
};

// Throws std::invalid_argument for an inconsistent query.
Recommendation recommend(const RecommendQuery& query);

}  // namespace workersim
