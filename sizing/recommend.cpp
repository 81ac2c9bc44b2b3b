#include "sizing/recommend.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

#include "model/bounds.hpp"
#include "model/mva.hpp"
#include "sim/simulator.hpp"

namespace workersim {

namespace {

// Counts within this fraction of the best throughput count as the best (issue 4: fewest
// workers within 1%).
constexpr double kWithinBest = 0.01;
// How far past max_workers the screening looks to say what an infeasible query would need.
constexpr int kSearchBeyond = 4096;

std::string format_mib(double kib) {
    std::ostringstream m;
    m.precision(kib >= 10 * 1024 * 1024 ? 0 : 1);
    if (kib >= 1024 * 1024) m << std::fixed << kib / 1024 / 1024 << " GiB";
    else m << std::fixed << kib / 1024 << " MiB";
    return m.str();
}

class Sizing {
public:
    explicit Sizing(const RecommendQuery& q) : q_(q) {
        if (q.max_workers < 1 || q.max_workers > 100000)
            throw std::invalid_argument("max_workers = " + std::to_string(q.max_workers) + ": expected 1..100000");
        WhatIf w = q.what_if;
        w.workers = 1;
        base_ = build_scenario(q.profile, w);
        if (q.worker_kib) {
            // A heavier app: each worker's PSS is given outright; the master keeps its own
            // (Gunicorn loads the app in the workers unless --preload).
            const MemoryModel& m = base_.memory;
            base_.memory = MemoryModel{m.master_private_kib + m.shared_kib, *q.worker_kib, 0.0};
        }
        base_.load.requests = std::max(base_.load.requests, q.steady_requests);
        if (base_.load.kind == LoadKind::closed)
            base_.load.requests = std::max<std::int64_t>(base_.load.requests, base_.load.clients);
        validate(base_);
    }

    Scenario at(int workers) const {
        Scenario s = base_;
        s.server.workers = workers;
        return s;
    }
    bool closed() const { return base_.load.kind == LoadKind::closed; }
    bool has_slo() const { return q_.slo_p99_s || q_.slo_mean_s; }
    double memory_kib(int workers) const { return base_.memory.total_pss_kib(workers); }
    bool fits(int workers) const { return !q_.memory_kib || memory_kib(workers) <= *q_.memory_kib; }

    bool meets(const Result& r) const {
        if (r.unstable || r.stalled || r.errors.total() > 0) return false;
        if (q_.slo_p99_s && r.latency.p99_s > *q_.slo_p99_s) return false;
        if (q_.slo_mean_s && r.latency.mean_s > *q_.slo_mean_s) return false;
        return true;
    }

    const Result& simulated(int workers) {
        auto it = sims_.find(workers);
        if (it == sims_.end()) it = sims_.emplace(workers, simulate(at(workers), q_.seed)).first;
        return it->second;
    }
    int simulations() const { return static_cast<int>(sims_.size()); }
    const Scenario& base() const { return base_; }

private:
    const RecommendQuery& q_;
    Scenario base_;
    std::map<int, Result> sims_;
};

// The smallest count whose throughput is within kWithinBest of the best among `counts`.
template <class Throughput>
int fewest_near_best(const std::vector<int>& counts, Throughput throughput) {
    double best = 0;
    for (int n : counts) best = std::max(best, throughput(n));
    for (int n : counts)
        if (throughput(n) >= best * (1 - kWithinBest)) return n;
    return counts.empty() ? 0 : counts.front();
}

}  // namespace

Recommendation recommend(const RecommendQuery& q) {
    Sizing sizing(q);
    Recommendation rec;
    const Scenario& base = sizing.base();
    const int cores = base.host.cores;

    // ---- analytic screening ------------------------------------------------------------
    std::vector<Result> mva(static_cast<std::size_t>(q.max_workers) + 1);
    for (int n = 1; n <= q.max_workers; ++n) {
        const Result r = predict_mva(sizing.at(n));
        mva[static_cast<std::size_t>(n)] = r;
        ScreenedCount c;
        c.workers = n;
        c.throughput_rps = r.throughput_rps;
        c.mean_s = r.latency.mean_s;
        c.p99_s = r.latency.p99_s;
        c.memory_kib = r.memory.total_kib;
        c.fits_memory = sizing.fits(n);
        c.meets_objective = sizing.meets(r);
        rec.screening.push_back(c);
        if (c.fits_memory) rec.max_workers_in_memory = n;
    }
    const int fit = rec.max_workers_in_memory;  // memory grows with n: every count up to it fits
    auto mva_x = [&](int n) { return mva[static_cast<std::size_t>(n)].throughput_rps; };
    std::vector<int> in_memory, meeting;
    for (int n = 1; n <= fit; ++n) {
        in_memory.push_back(n);
        if (rec.screening[static_cast<std::size_t>(n - 1)].meets_objective) meeting.push_back(n);
    }
    for (int n : in_memory) rec.best_throughput_rps = std::max(rec.best_throughput_rps, mva_x(n));

    // ---- the rule of thumb -------------------------------------------------------------
    rec.rule_of_thumb_workers = 2 * cores + 1;
    rec.rule_of_thumb_predicted = sizing.simulated(rec.rule_of_thumb_workers);
    rec.rule_of_thumb_fits_memory = sizing.fits(rec.rule_of_thumb_workers);

    // ---- the objective -----------------------------------------------------------------
    const bool slo = sizing.has_slo();
    const bool open = !sizing.closed();
    int chosen = 0;
    if (!slo && !open) {
        // Maximum throughput with the fewest workers; the simulator arbitrates between the
        // MVA choice, the count below it and the analytic best.
        const int n0 = fewest_near_best(in_memory, mva_x);
        if (n0 > 0) {
            int best_n = n0;
            for (int n : in_memory)
                if (mva_x(n) > mva_x(best_n)) best_n = n;
            // Throughput never falls as workers are added while clients >= workers, so the
            // fewest counts within 1% of the best form a suffix: bisect for its first count
            // rather than probing a few fixed points (on a flat curve those miss it and the
            // answer jumps to the analytic maximum).
            auto sim_x = [&](int n) { return sizing.simulated(n).throughput_rps; };
            const double target = std::max(sim_x(best_n), sim_x(n0)) * (1 - kWithinBest);
            int lo = std::max(1, n0 - 1) - 1, hi = sim_x(n0) >= target ? n0 : best_n;  // sim_x(hi) >= target
            while (hi - lo > 1) {
                const int mid = (lo + hi) / 2;
                (sim_x(mid) >= target ? hi : lo) = mid;
            }
            chosen = hi;
        }
    } else if (!slo && open) {
        // Every stable count carries the offered rate; "fewest for the best" is then the
        // fewest workers whose mean latency is within 1% of the best.
        double best_mean = INFINITY;
        for (int n : meeting) best_mean = std::min(best_mean, mva[static_cast<std::size_t>(n)].latency.mean_s);
        for (int n : meeting)
            if (mva[static_cast<std::size_t>(n)].latency.mean_s <= best_mean * (1 + kWithinBest)) {
                chosen = n;
                break;
            }
        if (chosen > 0 && !sizing.meets(sizing.simulated(chosen))) {
            chosen = 0;
            for (int n : meeting)
                if (n > chosen && sizing.meets(sizing.simulated(n))) {
                    chosen = n;
                    break;
                }
        }
    } else {
        // An SLO: the analytic screening puts the boundary near n0; the simulator decides
        // which side of it each count is on (analytic percentiles are approximate).
        int n0 = meeting.empty() ? fit : meeting.front();
        if (!open && !meeting.empty()) n0 = fewest_near_best(meeting, mva_x);
        if (n0 >= 1) {
            if (sizing.meets(sizing.simulated(n0))) {
                chosen = n0;
                while (chosen > 1 && sizing.meets(sizing.simulated(chosen - 1))) --chosen;
            } else {
                // Step up, doubling, then bisect: about 2 log2(fit) simulations.
                int failing = n0, step = 1;
                for (int n = n0 + 1; n <= fit; failing = n, n = std::min(fit, n + step), step *= 2) {
                    if (!sizing.meets(sizing.simulated(n))) {
                        if (n == fit) break;
                        continue;
                    }
                    int lo = failing, hi = n;
                    while (hi - lo > 1) {
                        const int mid = (lo + hi) / 2;
                        (sizing.meets(sizing.simulated(mid)) ? hi : lo) = mid;
                    }
                    chosen = hi;
                    break;
                }
            }
        }
    }

    rec.feasible = chosen > 0;
    if (rec.feasible) {
        rec.workers = chosen;
        rec.predicted = sizing.simulated(chosen);
        // What stops more workers from doing better.
        int unconstrained = 0;  // the analytic best count ignoring memory
        double unconstrained_x = 0;
        for (int n = 1; n <= q.max_workers; ++n)
            if (mva_x(n) > unconstrained_x * (1 + kWithinBest)) unconstrained_x = mva_x(n), unconstrained = n;
        const AsymptoticBounds b = asymptotic_bounds(sizing.at(chosen));
        if (slo) rec.limited_by = "slo";
        else if (open) rec.limited_by = "load";
        else if (unconstrained > fit) rec.limited_by = "memory";
        else if (!open && chosen >= base.load.clients) rec.limited_by = "clients";
        else if (b.cpu_limit_rps <= mva_x(chosen) * (1 + 0.05)) rec.limited_by = "cores";
        else if (chosen >= q.max_workers) rec.limited_by = "max_workers";
        else rec.limited_by = "cores";
    } else {
        // ---- infeasible: the best achievable, and what would be needed ---------------
        int best = fit;
        if (fit >= 1) {
            // The fewest workers within 1% of the best: throughput closed, p99 open.
            if (open) {
                auto p99 = [&](int n) { return mva[static_cast<std::size_t>(n)].latency.p99_s; };
                for (int n : in_memory)
                    if (p99(n) < p99(best)) best = n;
                for (int n : in_memory)
                    if (p99(n) <= p99(best) * (1 + kWithinBest)) {
                        best = n;
                        break;
                    }
            } else {
                best = fewest_near_best(in_memory, mva_x);
            }
            rec.workers = best;
            rec.predicted = sizing.simulated(best);
        }
        // Would more workers (memory) do it? Screen past the budget and max_workers.
        // Open load beyond the cores' capacity: no count of workers carries it.
        const AsymptoticBounds at_fit = asymptotic_bounds(sizing.at(std::max(fit, 1)));
        const bool cores_saturated = open && base.load.rate_per_s >= at_fit.cpu_limit_rps;
        // Fewer workers than rate x (time a request holds one) cannot be stable.
        const int fewest_stable = open ? static_cast<int>(base.load.rate_per_s * at_fit.min_response_s) : 1;
        int needed = 0;
        for (int n = std::max({1, fit + 1, fewest_stable}); !cores_saturated && n <= kSearchBeyond && needed == 0; ++n) {
            const Result r = predict_mva(sizing.at(n));
            if (sizing.meets(r)) needed = n;
            if (!open && n > base.load.clients) break;  // more workers than clients cannot help
        }
        const AsymptoticBounds b = asymptotic_bounds(sizing.at(std::max(needed, std::max(fit, 1))));
        const bool cpu_bound = cores_saturated || (open && base.load.rate_per_s >= b.cpu_limit_rps * 0.95);
        std::ostringstream a;
        if (needed > 0 && !cpu_bound) {
            rec.limited_by = needed > q.max_workers && fit == q.max_workers ? "max_workers" : "memory";
            a << "needs " << needed << " workers: " << format_mib(sizing.memory_kib(needed)) << " of PSS";
            if (q.memory_kib) a << " against a budget of " << format_mib(*q.memory_kib);
            if (needed > q.max_workers) a << " (and --max-workers >= " << needed << ")";
            rec.advice.push_back(a.str() + "; add memory");
            if (base.io_demand_s() > 0)
                rec.advice.push_back(
                    "or use a worker class that overlaps IO (gthread: --threads, or gevent) so fewer processes hold "
                    "the waiting requests");
        } else {
            rec.limited_by = "cores";
            // More cores: the smallest host on which the objective is met within the budget.
            int needed_cores = 0;
            for (int c = cores + 1; c <= std::max(4 * cores, cores + 64) && needed_cores == 0; ++c) {
                Scenario s = sizing.at(std::max(fit, 1));
                s.host.cores = c;
                s.host.core_capacity = q.profile.core_capacity.empty() ? std::vector<double>{}
                                                                        : capacity_curve(q.profile, c);
                for (int n = std::max(1, std::min(fit, fewest_stable)); n <= std::max(fit, 1) && needed_cores == 0; ++n) {
                    s.server.workers = n;
                    if (sizing.meets(predict_mva(s))) needed_cores = c;
                }
            }
            if (needed_cores > 0) a << "needs " << needed_cores << " cores: add cores";
            else a << "the request's CPU alone misses the objective: make it cheaper or relax the objective";
            rec.advice.push_back(a.str());
        }
    }
    rec.simulations = sizing.simulations();
    return rec;
}

}  // namespace workersim
