#include "analysis/replications.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/confidence_interval.hpp"
#include "analysis/parallel_for.hpp"
#include "sim/rng.hpp"
#include "sim/simulator.hpp"

namespace workersim {

namespace {

// Runs replications [begin, end) into out[begin, end), in parallel.
void run_range(const ScenarioOfReplication& scenario_of, const ReplicationOptions& options, int begin, int end,
               std::vector<SteadyStateRun>& out) {
    out.resize(static_cast<std::size_t>(end));
    const auto first = static_cast<std::size_t>(begin);
    parallel_for(static_cast<std::size_t>(end - begin), options.threads, [&](std::size_t k) {
        const int i = static_cast<int>(first + k);
        SteadyStateRun& run = out[first + k];
        const Scenario scenario = scenario_of(i);
        const std::uint64_t seed = replication_seed(options.seed, i);
        if (options.steady_state) {
            run = steady_state_run(scenario, seed, options.latency_breakdown);
        } else {
            SimulationOptions simulation;
            simulation.seed = seed;
            simulation.latency_breakdown = options.latency_breakdown;
            run.result = simulate(scenario, simulation).result;
        }
    });
}

double relative(const Estimate& e) {
    if (e.ci95_half_width == 0) return 0;
    return e.mean != 0 ? e.ci95_half_width / std::abs(e.mean) : std::numeric_limits<double>::infinity();
}

// The mean over the replications of one figure of each run's result.
template <typename Figure>
double mean_over(const std::vector<SteadyStateRun>& runs, Figure figure) {
    double mean = 0;
    for (const SteadyStateRun& run : runs) mean += figure(run.result) / static_cast<double>(runs.size());
    return mean;
}

// Each part's mean and p99 averaged over the replications, as the latency's own are.
template <typename BreakdownOf>
LatencyBreakdown mean_breakdown(const std::vector<SteadyStateRun>& runs, BreakdownOf breakdown_of) {
    LatencyBreakdown mean = breakdown_of(runs.front().result);
    for (std::size_t i = 0; i < kLatencyParts; ++i) {
        mean.parts[i].mean_s = mean_over(runs, [&](const Result& r) { return breakdown_of(r).parts[i].mean_s; });
        mean.parts[i].p99_s = mean_over(runs, [&](const Result& r) { return breakdown_of(r).parts[i].p99_s; });
    }
    return mean;
}

}  // namespace

std::uint64_t replication_seed(std::uint64_t run_seed, int index) {
    if (index == 0) return run_seed;
    return splitmix64(run_seed ^ splitmix64(static_cast<std::uint64_t>(index)));
}

SteadyStateRun steady_state_run(const Scenario& scenario, std::uint64_t seed, bool latency_breakdown) {
    SimulationOptions pilot_options;
    pilot_options.seed = seed;
    pilot_options.batch_means_of = static_cast<std::int64_t>(kMserBatchSize);
    pilot_options.latency_breakdown = latency_breakdown;  // its result stands when nothing is cut
    Simulation pilot = simulate(scenario, pilot_options);
    SteadyStateRun run;
    if (pilot.result.unstable) {
        run.result = std::move(pilot.result);
        return run;
    }
    run.truncation = mser5_truncation(pilot.latency_batches);
    if (run.truncation.observations == 0) {
        run.result = std::move(pilot.result);
        return run;
    }
    SimulationOptions options;
    options.seed = seed;
    options.discard_first_completions = static_cast<std::int64_t>(run.truncation.observations);
    options.latency_breakdown = latency_breakdown;
    Simulation steady = simulate(scenario, options);
    run.result = std::move(steady.result);
    run.until_s = steady.statistics_start_s;
    return run;
}

int next_replication_count(int done, double worst, double target, int cap) {
    const double ratio = worst / target;
    const double wanted = std::ceil(done * ratio * ratio);
    const double bounded = std::min<double>(std::max<double>(wanted, done + 1), 2.0 * done);
    return std::min(cap, static_cast<int>(bounded));
}

ReplicatedResult replicate(const Scenario& scenario, const ReplicationOptions& options) {
    return replicate([&scenario](int) { return scenario; }, options);
}

ReplicatedResult replicate(const ScenarioOfReplication& scenario_of, const ReplicationOptions& options) {
    if (options.replications < 1)
        throw std::invalid_argument("replications must be at least 1, got " + std::to_string(options.replications));
    if (options.threads < 1) throw std::invalid_argument("threads must be at least 1, got " + std::to_string(options.threads));
    if (!(options.precision >= 0)) throw std::invalid_argument("precision must be >= 0");
    if (options.precision > 0 && options.max_replications < kPrecisionInitialReplications)
        throw std::invalid_argument("max_replications must be at least " +
                                    std::to_string(kPrecisionInitialReplications) + " with a precision target");

    ReplicatedResult out;
    out.seed = options.seed;
    out.precision_target = options.precision;
    std::vector<SteadyStateRun> runs;
    int target = options.replications;
    if (options.precision > 0)
        target = std::min(options.max_replications, std::max(target, kPrecisionInitialReplications));

    for (;;) {
        run_range(scenario_of, options, static_cast<int>(runs.size()), target, runs);
        std::vector<double> columns[7];
        for (const SteadyStateRun& run : runs) {
            const Result& r = run.result;
            const LatencySummary& l = r.latency;
            const double values[7] = {r.throughput_rps, r.makespan_s, l.mean_s, l.p50_s, l.p90_s, l.p95_s, l.p99_s};
            for (int k = 0; k < 7; ++k) columns[k].push_back(values[k]);
        }
        out.throughput_rps = estimate_of(columns[0]);
        out.makespan_s = estimate_of(columns[1]);
        out.latency.mean_s = estimate_of(columns[2]);
        out.latency.p50_s = estimate_of(columns[3]);
        out.latency.p90_s = estimate_of(columns[4]);
        out.latency.p95_s = estimate_of(columns[5]);
        out.latency.p99_s = estimate_of(columns[6]);
        if (options.precision <= 0) break;
        const Estimate* checked[] = {&out.throughput_rps, &out.latency.mean_s, &out.latency.p50_s,
                                     &out.latency.p90_s,  &out.latency.p95_s,  &out.latency.p99_s};
        double worst = 0;
        for (const Estimate* e : checked) worst = std::max(worst, relative(*e));
        out.precision_reached = worst <= options.precision;
        const int done = static_cast<int>(runs.size());
        if (out.precision_reached || done >= options.max_replications) break;
        target = next_replication_count(done, worst, options.precision, options.max_replications);
    }

    out.replications = static_cast<int>(runs.size());
    Result& rep = out.representative;
    rep = runs.front().result;
    rep.throughput_rps = out.throughput_rps.mean;
    rep.makespan_s = out.makespan_s.mean;
    rep.latency.mean_s = out.latency.mean_s.mean;
    rep.latency.p50_s = out.latency.p50_s.mean;
    rep.latency.p90_s = out.latency.p90_s.mean;
    rep.latency.p95_s = out.latency.p95_s.mean;
    rep.latency.p99_s = out.latency.p99_s.mean;
    double p999_sum = 0;
    WarmupRemoval& w = out.warmup;
    w.requested = options.steady_state;
    w.no_steady_state = options.steady_state && rep.unstable;
    for (const SteadyStateRun& run : runs) {
        const Result& r = run.result;
        p999_sum += r.latency.p999_s;
        const auto discarded = static_cast<std::int64_t>(run.truncation.observations);
        w.mean_discarded += static_cast<double>(discarded) / static_cast<double>(runs.size());
        w.max_discarded = std::max(w.max_discarded, discarded);
        w.mean_until_s += run.until_s / static_cast<double>(runs.size());
        w.max_until_s = std::max(w.max_until_s, run.until_s);
        if (run.truncation.truncation_too_late) ++w.too_long;
        rep.latency.min_s = std::min(rep.latency.min_s, r.latency.min_s);
        rep.latency.max_s = std::max(rep.latency.max_s, r.latency.max_s);
    }
    rep.latency.p999_s = p999_sum / static_cast<double>(runs.size());
    rep.breakdown = mean_breakdown(runs, [](const Result& r) -> const LatencyBreakdown& { return r.breakdown; });
    for (std::size_t c = 0; c < rep.per_url.size(); ++c) {
        UrlResult& u = rep.per_url[c];
        const auto of_class = [c](const Result& r) -> const UrlResult& { return r.per_url[c]; };
        u.throughput_rps = mean_over(runs, [&](const Result& r) { return of_class(r).throughput_rps; });
        u.latency.mean_s = mean_over(runs, [&](const Result& r) { return of_class(r).latency.mean_s; });
        u.latency.p50_s = mean_over(runs, [&](const Result& r) { return of_class(r).latency.p50_s; });
        u.latency.p90_s = mean_over(runs, [&](const Result& r) { return of_class(r).latency.p90_s; });
        u.latency.p95_s = mean_over(runs, [&](const Result& r) { return of_class(r).latency.p95_s; });
        u.latency.p99_s = mean_over(runs, [&](const Result& r) { return of_class(r).latency.p99_s; });
        u.latency.p999_s = mean_over(runs, [&](const Result& r) { return of_class(r).latency.p999_s; });
        for (const SteadyStateRun& run : runs) {
            u.latency.min_s = std::min(u.latency.min_s, of_class(run.result).latency.min_s);
            u.latency.max_s = std::max(u.latency.max_s, of_class(run.result).latency.max_s);
        }
        u.breakdown = mean_breakdown(runs, [&](const Result& r) -> const LatencyBreakdown& { return of_class(r).breakdown; });
    }
    return out;
}

}  // namespace workersim
