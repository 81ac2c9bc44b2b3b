#include "sizing/recommend.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "model/bounds.hpp"
#include "model/mva.hpp"
#include "sim/simulator.hpp"
#include "sizing/gthread_sizing.hpp"
#include "sizing/objective.hpp"

namespace workersim {

namespace {

using sizing::kWithinBest;
// How far the screening looks, past max_workers and the budget, to say what an infeasible
// query would need: as far as a query may screen.
constexpr int kSearchBeyond = static_cast<int>(kMaxWorkersRange.max);

class Sizing {
public:
    explicit Sizing(const RecommendQuery& q) : q_(q), base_(sizing::sizing_scenario(q)) {}

    Scenario at(int workers) const {
        Scenario s = base_;
        s.server.workers = workers;
        return s;
    }
    bool closed() const { return base_.load.kind == LoadKind::closed; }
    bool has_slo() const { return sizing::has_slo(q_); }
    double memory_kib(int workers) const { return base_.memory.total_pss_kib(workers); }
    bool fits(int workers) const { return !q_.memory_kib || memory_kib(workers) <= *q_.memory_kib; }

    bool meets(const Result& r) const { return sizing::meets_objective(q_, r); }

    const Result& simulated(int workers) {
        auto it = sims_.find(workers);
        if (it == sims_.end()) it = sims_.emplace(workers, simulate(at(workers), q_.seed)).first;
        return it->second;
    }
    bool simulated_meets(int workers) { return meets(simulated(workers)); }
    int simulations() const { return static_cast<int>(sims_.size()); }
    const Scenario& base() const { return base_; }
    const RecommendQuery& query() const { return q_; }

private:
    const RecommendQuery& q_;
    Scenario base_;
    std::map<int, Result> sims_;
};

// The analytic screening of 1..max_workers.
struct Screen {
    std::vector<Result> mva;     // index n: n workers (0 unused)
    int fit = 0;                 // the most workers in memory: memory grows with n, so all up to it fit
    std::vector<int> in_memory;  // 1..fit
    std::vector<int> meeting;    // those of them that meet the objective, analytically

    const Result& at(int n) const { return mva[static_cast<std::size_t>(n)]; }
    double throughput_rps(int n) const { return at(n).throughput_rps; }
};

Screen screen(const Sizing& sizing, Recommendation& rec) {
    const int max_workers = sizing.query().max_workers;
    Screen s;
    s.mva.resize(static_cast<std::size_t>(max_workers) + 1);
    for (int n = 1; n <= max_workers; ++n) {
        const Result r = predict_mva(sizing.at(n));
        s.mva[static_cast<std::size_t>(n)] = r;
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
    s.fit = rec.max_workers_in_memory;
    for (int n = 1; n <= s.fit; ++n) {
        s.in_memory.push_back(n);
        if (rec.screening[static_cast<std::size_t>(n - 1)].meets_objective) s.meeting.push_back(n);
    }
    for (int n : s.in_memory) rec.best_throughput_rps = std::max(rec.best_throughput_rps, s.throughput_rps(n));
    return s;
}

// The smallest count whose analytic throughput is within kWithinBest of the best among `counts`.
int fewest_near_best(const std::vector<int>& counts, const Screen& screen) {
    double best = 0;
    for (int n : counts) best = std::max(best, screen.throughput_rps(n));
    for (int n : counts)
        if (screen.throughput_rps(n) >= best * (1 - kWithinBest)) return n;
    return counts.empty() ? 0 : counts.front();
}

// Closed load, no SLO: maximum throughput with the fewest workers; the simulator arbitrates
// between the MVA choice, the count below it and the analytic best. 0: nothing fits.
int fewest_for_best_throughput(Sizing& sizing, const Screen& screen) {
    const int n0 = fewest_near_best(screen.in_memory, screen);
    if (n0 == 0) return 0;
    int best_n = n0;
    for (int n : screen.in_memory)
        if (screen.throughput_rps(n) > screen.throughput_rps(best_n)) best_n = n;
    // Throughput never falls as workers are added while clients >= workers, so the fewest
    // counts within 1% of the best form a suffix: bisect for its first count rather than
    // probing a few fixed points (on a flat curve those miss it and the answer jumps to the
    // analytic maximum).
    auto sim_x = [&](int n) { return sizing.simulated(n).throughput_rps; };
    const double target = std::max(sim_x(best_n), sim_x(n0)) * (1 - kWithinBest);
    int lo = std::max(1, n0 - 1) - 1, hi = sim_x(n0) >= target ? n0 : best_n;  // sim_x(hi) >= target
    while (hi - lo > 1) {
        const int mid = (lo + hi) / 2;
        (sim_x(mid) >= target ? hi : lo) = mid;
    }
    return hi;
}

// Open load, no SLO: every stable count carries the offered rate; "fewest for the best" is
// then the fewest workers whose mean latency is within 1% of the best. 0: none is stable.
int fewest_for_best_latency(Sizing& sizing, const Screen& screen) {
    double best_mean = INFINITY;
    for (int n : screen.meeting) best_mean = std::min(best_mean, screen.at(n).latency.mean_s);
    int chosen = 0;
    for (int n : screen.meeting)
        if (screen.at(n).latency.mean_s <= best_mean * (1 + kWithinBest)) {
            chosen = n;
            break;
        }
    if (chosen > 0 && !sizing.simulated_meets(chosen)) {
        chosen = 0;
        for (int n : screen.meeting)
            if (n > chosen && sizing.simulated_meets(n)) {
                chosen = n;
                break;
            }
    }
    return chosen;
}

// An SLO: the analytic screening puts the boundary near n0; the simulator decides which side
// of it each count is on (analytic percentiles are approximate). 0: no count in memory meets it.
int fewest_meeting_slo(Sizing& sizing, const Screen& screen) {
    const int fit = screen.fit;
    int n0 = screen.meeting.empty() ? fit : screen.meeting.front();
    if (sizing.closed() && !screen.meeting.empty()) n0 = fewest_near_best(screen.meeting, screen);
    if (n0 < 1) return 0;
    if (sizing.simulated_meets(n0)) {
        int chosen = n0;
        while (chosen > 1 && sizing.simulated_meets(chosen - 1)) --chosen;
        return chosen;
    }
    // Step up, doubling, then bisect: about 2 log2(fit) simulations.
    int failing = n0, step = 1;
    for (int n = n0 + 1; n <= fit; failing = n, n = std::min(fit, n + step), step *= 2) {
        if (!sizing.simulated_meets(n)) {
            if (n == fit) break;
            continue;
        }
        int lo = failing, hi = n;
        while (hi - lo > 1) {
            const int mid = (lo + hi) / 2;
            (sizing.simulated_meets(mid) ? hi : lo) = mid;
        }
        return hi;
    }
    return 0;
}

// What stops more workers from doing better than `chosen`.
Limit limit_of_feasible(const Sizing& sizing, const Screen& screen, int chosen) {
    const int max_workers = sizing.query().max_workers;
    int unconstrained = 0;  // the analytic best count ignoring memory
    double unconstrained_x = 0;
    for (int n = 1; n <= max_workers; ++n)
        if (screen.throughput_rps(n) > unconstrained_x * (1 + kWithinBest))
            unconstrained_x = screen.throughput_rps(n), unconstrained = n;
    const AsymptoticBounds b = asymptotic_bounds(sizing.at(chosen));
    if (sizing.has_slo()) return Limit::slo;
    if (!sizing.closed()) return Limit::load;
    if (unconstrained > screen.fit) return Limit::memory;
    if (chosen >= sizing.base().load.clients) return Limit::clients;
    if (b.cpu_limit_rps <= screen.throughput_rps(chosen) * (1 + 0.05)) return Limit::cores;
    if (chosen >= max_workers) return Limit::max_workers;
    return Limit::cores;
}

// Infeasible: the fewest workers within 1% of the best that fit (throughput closed, p99
// open); 0 when not even one fits.
int best_achievable(const Sizing& sizing, const Screen& screen) {
    int best = screen.fit;
    if (best < 1) return best;
    if (sizing.closed()) return fewest_near_best(screen.in_memory, screen);
    auto p99 = [&](int n) { return screen.at(n).latency.p99_s; };
    for (int n : screen.in_memory)
        if (p99(n) < p99(best)) best = n;
    for (int n : screen.in_memory)
        if (p99(n) <= p99(best) * (1 + kWithinBest)) return n;
    return best;
}

// The smallest host, up to 4x the cores (at least 64 more), on which some count in memory
// meets the objective analytically; 0 if none does.
int fewest_cores_needed(const Sizing& sizing, int fit, int fewest_stable) {
    const int cores = sizing.base().host.cores;
    const Profile& profile = sizing.query().profile;
    for (int c = cores + 1; c <= std::max(4 * cores, cores + 64); ++c) {
        Scenario s = sizing.at(std::max(fit, 1));
        s.host.cores = c;
        s.host.core_capacity = profile.core_capacity.empty() ? std::vector<double>{} : capacity_curve(profile, c);
        for (int n = std::max(1, std::min(fit, fewest_stable)); n <= std::max(fit, 1); ++n) {
            s.server.workers = n;
            if (sizing.meets(predict_mva(s))) return c;
        }
    }
    return 0;
}

// Infeasible: would more workers (memory) do it, or more cores? Screens past the budget and
// max_workers.
void advise_infeasible(const Sizing& sizing, const Screen& screen, Recommendation& rec) {
    const Scenario& base = sizing.base();
    const bool open = !sizing.closed();
    const int fit = screen.fit, max_workers = sizing.query().max_workers;
    // Open load beyond the cores' capacity: no count of workers carries it.
    const AsymptoticBounds at_fit = asymptotic_bounds(sizing.at(std::max(fit, 1)));
    const bool cores_saturated = open && base.load.rate_per_s >= at_fit.cpu_limit_rps;
    // Fewer workers than rate x (time a request holds one) cannot be stable.
    const int fewest_stable = open ? static_cast<int>(base.load.rate_per_s * at_fit.min_response_s) : 1;
    int needed = 0;
    for (int n = std::max({1, fit + 1, fewest_stable}); !cores_saturated && n <= kSearchBeyond && needed == 0; ++n) {
        if (sizing.meets(predict_mva(sizing.at(n)))) needed = n;
        if (!open && n > base.load.clients) break;  // more workers than clients cannot help
    }
    const AsymptoticBounds b = asymptotic_bounds(sizing.at(std::max(needed, std::max(fit, 1))));
    const bool cpu_bound = cores_saturated || (open && base.load.rate_per_s >= b.cpu_limit_rps * 0.95);
    if (needed > 0 && !cpu_bound) {
        rec.limited_by = needed > max_workers && fit == max_workers ? Limit::max_workers : Limit::memory;
        Advice memory{Remedy::add_memory};
        memory.workers = needed;
        memory.memory_kib = sizing.memory_kib(needed);
        memory.beyond_max_workers = needed > max_workers;
        rec.advice.push_back(memory);
        if (base.io_demand_s() > 0) rec.advice.push_back(Advice{Remedy::overlap_io});
        return;
    }
    rec.limited_by = Limit::cores;
    const int needed_cores = fewest_cores_needed(sizing, fit, fewest_stable);
    Advice cores{needed_cores > 0 ? Remedy::add_cores : Remedy::cheaper_request};
    cores.cores = needed_cores;
    rec.advice.push_back(cores);
}

Recommendation recommend_sync(const RecommendQuery& q) {
    Sizing sizing(q);
    Recommendation rec;
    const Screen s = screen(sizing, rec);

    rec.rule_of_thumb_workers = 2 * sizing.base().host.cores + 1;
    rec.rule_of_thumb_predicted = sizing.simulated(rec.rule_of_thumb_workers);
    rec.rule_of_thumb_fits_memory = sizing.fits(rec.rule_of_thumb_workers);

    const int chosen = sizing.has_slo() ? fewest_meeting_slo(sizing, s)
                       : sizing.closed() ? fewest_for_best_throughput(sizing, s)
                                         : fewest_for_best_latency(sizing, s);
    rec.feasible = chosen > 0;
    if (rec.feasible) {
        rec.workers = chosen;
        rec.predicted = sizing.simulated(chosen);
        rec.limited_by = limit_of_feasible(sizing, s, chosen);
    } else {
        rec.workers = best_achievable(sizing, s);
        if (rec.workers >= 1) rec.predicted = sizing.simulated(rec.workers);
        advise_infeasible(sizing, s, rec);
    }
    rec.simulations = sizing.simulations();
    return rec;
}

// The query's baseline on the same scenario and seed as every other run of the search.
Recommendation with_baseline(const RecommendQuery& q, Recommendation rec) {
    if (!q.baseline) return rec;
    Scenario s = sizing::sizing_scenario(q);
    s.server.worker_class = q.baseline->worker_class;
    s.server.workers = q.baseline->workers;
    s.server.threads = q.baseline->threads;
    validate(s);
    rec.baseline_predicted = simulate(s, q.seed);
    rec.baseline_fits_memory = !q.memory_kib || s.memory.total_pss_kib(s.server) <= *q.memory_kib;
    ++rec.simulations;
    return rec;
}

}  // namespace

std::vector<int> default_thread_counts() { return {1, 2, 4, 8, 16, 32}; }

Recommendation recommend(const RecommendQuery& q) {
    switch (q.worker_class) {
        case WorkerClassSearch::sync: return with_baseline(q, recommend_sync(q));
        case WorkerClassSearch::gthread: return with_baseline(q, sizing::recommend_gthread(q));
        case WorkerClassSearch::any: break;
    }
    throw std::invalid_argument("worker_class any: sizes two classes; compare_worker_classes answers it");
}

WorkerClassComparison compare_worker_classes(const RecommendQuery& q) {
    return {with_baseline(q, recommend_sync(q)), sizing::recommend_gthread(q)};  // the baseline once, with sync
}

}  // namespace workersim
