#pragma once
// How many sync workers, or how many gthread processes x threads? The sizing engine behind
// `workersim recommend`.
//
// sync: analytic screening (MVA) over 1..max_workers finds the candidates in microseconds;
// the simulator then runs only the few counts that decide the answer (around the MVA optimum,
// or along the SLO boundary, where approximate analytic percentiles are not good enough).
// gthread (sizing/gthread_sizing.hpp): the MVA does not solve a GIL, so the asymptotic bounds
// (model/bounds.hpp) narrow each thread count's processes and the simulator decides, about
// 1 + log2(processes) runs per thread count.
// Plain structs in and out, no I/O and no words: report/recommendation.hpp renders them.

#include <cstdint>
#include <optional>
#include <vector>

#include "model/limits.hpp"
#include "model/profile.hpp"
#include "model/result.hpp"
#include "model/what_if.hpp"

namespace workersim {

// The counts a query may screen: each is an MVA solution, and past a few thousand workers
// the answer is a fleet, not a pool.
inline constexpr IntegerRange kMaxWorkersRange{1, 4096};
// Thread counts one gthread query searches: each costs a few simulations.
inline constexpr IntegerRange kThreadCountsRange{1, 64};

// Which worker classes to size: sync processes, gthread processes x threads, or both side by
// side (`any`: the best of each, answered by compare_worker_classes).
enum class WorkerClassSearch { sync, gthread, any };

// gthread's thread counts when the query gives none: powers of two from Gunicorn's default of
// 1 to 32, past which a process's GIL, not its threads, decides (sizing/gthread_sizing.cpp).
std::vector<int> default_thread_counts();

// The configuration a user runs now (a pasted Gunicorn command): simulated on the query's
// scenario beside the recommendation and (2 x cores) + 1.
struct Baseline {
    WorkerClass worker_class = WorkerClass::sync;  // as Gunicorn runs it (effective_worker_class)
    int workers = 1;
    int threads = 1;
};

struct RecommendQuery {
    Profile profile;
    WhatIf what_if;                         // workload, load, cores, server flags; workers, worker_class and threads are ignored
    WorkerClassSearch worker_class = WorkerClassSearch::sync;
    std::vector<int> threads;               // gthread: thread counts to search, each in kThreadsRange; empty: default_thread_counts()
    std::optional<double> memory_kib;       // PSS budget for the master and its workers
    std::optional<double> worker_kib;       // a worker's PSS, instead of the calibrated one
    std::optional<double> slo_p99_s;
    std::optional<double> slo_mean_s;
    int max_workers = 64;                   // in kMaxWorkersRange
    // Length of the simulated runs that check the analytic answer: long enough for a
    // steady-state p99 (at least this many requests, or the query's own if larger).
    std::int64_t steady_requests = 20000;
    std::uint64_t seed = 1;
    std::optional<Baseline> baseline;
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

// What fixes the recommended count, or stops more workers from helping.
enum class Limit {
    cores,        // the cores are saturated; infeasible: the objective needs more of them
    memory,       // more workers would do better (or meet the objective) but not fit the budget
    slo,          // the fewest workers that meet the objective
    clients,      // as many workers as closed-loop clients: more would idle
    load,         // open load without an SLO: the offered rate sets the count
    max_workers,  // the largest count the query screens
};

// One change that would make an infeasible query feasible.
enum class Remedy {
    add_memory,       // `workers` workers would meet the objective, with `memory_kib` of PSS
    overlap_io,       // a worker class that overlaps IO, so fewer processes hold waiting requests
    add_cores,        // a host with `cores` cores meets the objective within the budget
    cheaper_request,  // no host searched meets it: the request's CPU alone misses the objective
};

struct Advice {
    Remedy remedy = Remedy::add_memory;
    int workers = 0;                  // add_memory
    int threads = 0;                  // add_memory under gthread: each process's pool threads; 0 under sync
    double memory_kib = 0;            // add_memory: those workers' PSS
    bool beyond_max_workers = false;  // add_memory: more workers than the query screens
    int cores = 0;                    // add_cores
};

// gthread: one thread count as the search left it.
struct ThreadCountResult {
    int threads = 0;
    int processes = 0;               // the fewest that meet the objective at this count; 0: none in memory does
    int max_processes_in_memory = 0;
    double throughput_rps = 0;       // simulated, at `processes`
    double mean_s = 0;
    double p99_s = 0;
    double memory_kib = 0;
};

struct Recommendation {
    WorkerClass worker_class = WorkerClass::sync;
    int workers = 0;              // the recommendation (processes), or the best achievable when infeasible
    int threads = 1;              // each process's pool threads: 1 under sync
    bool feasible = false;
    Limit limited_by = Limit::cores;
    Result predicted;             // simulated, at `workers`
    int max_workers_in_memory = 0;   // gthread: processes of `threads` threads
    double best_throughput_rps = 0;  // sync: analytic, over the counts that fit; gthread: simulated

    int rule_of_thumb_workers = 0;   // (2 x cores) + 1
    Result rule_of_thumb_predicted;  // simulated
    bool rule_of_thumb_fits_memory = true;

    std::optional<Result> baseline_predicted;  // simulated, when the query has a baseline
    bool baseline_fits_memory = true;

    std::vector<Advice> advice;      // what would make it feasible, in the order to try
    std::vector<ScreenedCount> screening;  // sync
    std::vector<ThreadCountResult> by_threads;  // gthread, in the query's order of thread counts
    int simulations = 0;
};

// The best sync and the best gthread configuration for one query, side by side.
struct WorkerClassComparison {
    Recommendation sync;
    Recommendation gthread;
};

// Sizes query.worker_class (sync or gthread; `any` is compare_worker_classes'). Throws
// InvalidField (model/invalid_field.hpp) for a field out of its range, and
// std::invalid_argument for an inconsistent query.
Recommendation recommend(const RecommendQuery& query);
// Both worker classes, whatever query.worker_class says.
WorkerClassComparison compare_worker_classes(const RecommendQuery& query);

}  // namespace workersim
