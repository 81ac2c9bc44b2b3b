#include "sizing/gthread_sizing.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <utility>

#include "model/bounds.hpp"
#include "model/invalid_field.hpp"
#include "sim/simulator.hpp"
#include "sizing/objective.hpp"

namespace workersim::sizing {

namespace {

// The query's thread counts, each checked, ascending and once each (so that memory ties go
// to fewer threads and the output does not depend on how the list was typed).
std::vector<int> thread_counts(const RecommendQuery& q) {
    std::vector<int> counts = q.threads.empty() ? default_thread_counts() : q.threads;
    if (!kThreadCountsRange.contains(static_cast<std::int64_t>(counts.size())))
        throw InvalidField("thread_counts", static_cast<double>(counts.size()), kThreadCountsRange.text());
    for (int t : counts)
        if (!kThreadsRange.contains(t)) throw InvalidField("threads", t, kThreadsRange.text());
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    return counts;
}

class GthreadSearch {
public:
    explicit GthreadSearch(const RecommendQuery& q) : q_(q), base_(sizing_scenario(q)) {}

    Scenario at(int processes, int threads) const {
        Scenario s = base_;
        s.server.worker_class = WorkerClass::gthread;
        s.server.workers = processes;
        s.server.threads = threads;
        return s;
    }
    double memory_kib(int processes, int threads) const { return base_.memory.total_pss_kib(at(processes, threads).server); }
    bool fits(int processes, int threads) const {
        return !q_.memory_kib || memory_kib(processes, threads) <= *q_.memory_kib;
    }
    // PSS grows with processes, so every count up to this one fits; 0: not even one does.
    int most_in_memory(int threads) const {
        int p = 0;
        while (p < q_.max_workers && fits(p + 1, threads)) ++p;
        return p;
    }

    const Result& simulated(int processes, int threads) {
        const std::pair<int, int> key{processes, threads};
        auto it = sims_.find(key);
        if (it == sims_.end()) it = sims_.emplace(key, simulate(at(processes, threads), q_.seed)).first;
        return it->second;
    }
    bool meets(const Result& r) const { return meets_objective(q_, r); }
    bool closed() const { return base_.load.kind == LoadKind::closed; }
    const Scenario& base() const { return base_; }
    const RecommendQuery& query() const { return q_; }
    const std::map<std::pair<int, int>, Result>& simulations() const { return sims_; }

private:
    const RecommendQuery& q_;
    Scenario base_;
    std::map<std::pair<int, int>, Result> sims_;  // by (processes, threads)
};

// The most processes of `threads` threads worth simulating, by the bounds: twice those that
// hold every closed-loop client (or the open load's requests in service, by Little's law) or
// whose GILs together pass the cores' Python; twice, because contention keeps a real pool
// short of its bound.
int processes_worth_trying(const GthreadSearch& g, int threads, int most) {
    const AsymptoticBounds b = asymptotic_bounds(g.at(1, threads));
    const Load& load = g.base().load;
    const double holders = g.closed() ? load.clients : load.rate_per_s * b.min_response_s;
    const double gil_processes = std::isfinite(b.cpu_limit_rps) ? b.cpu_limit_rps * b.python_demand_s : 1.0;
    const double needed = std::ceil(std::max({1.0, holders / threads, gil_processes}));
    return static_cast<int>(std::min(2 * needed, static_cast<double>(most)));
}

// A finite run's sampled demands can beat their expectations, so a run may pass its bound
// by a little: the screening gives the bound this much slack.
constexpr double kBoundSlack = 0.05;

// Whether `processes` could be good by the bounds alone: an open load inside the pool's
// capacity; a closed one whose throughput bound reaches `target_rps` and whose least mean
// response (clients / throughput, Little's law) is within the mean SLO.
bool could_be_good(const GthreadSearch& g, int processes, int threads, double target_rps) {
    const Scenario s = g.at(processes, threads);
    if (!g.closed()) return !beyond_capacity(s);
    const AsymptoticBounds b = asymptotic_bounds(s);
    const auto& slo_mean_s = g.query().slo_mean_s;
    return b.max_throughput_rps * (1 + kBoundSlack) >= target_rps &&
           (!slo_mean_s || b.min_client_response_s <= *slo_mean_s * (1 + kBoundSlack));
}

// One thread count's answer: the fewest processes that are good, and the best run it saw.
struct ThreadCountSearch {
    int threads = 0;
    int most = 0;        // processes searched: 1..most
    int processes = 0;   // the fewest good; 0: none
    int top = 0;         // the most processes simulated: the best this count does
};

// Good: meets the objective, and without an SLO does within 1% of `top`'s throughput
// (closed) or mean latency (open).
bool good(GthreadSearch& g, int processes, int threads, const Result& top) {
    const Result& r = g.simulated(processes, threads);
    if (!g.meets(r)) return false;
    if (has_slo(g.query())) return true;
    if (g.closed()) return r.throughput_rps >= top.throughput_rps * (1 - kWithinBest);
    return r.latency.mean_s <= top.latency.mean_s * (1 + kWithinBest);
}

ThreadCountSearch search_threads(GthreadSearch& g, int threads, int most) {
    ThreadCountSearch s{threads, most, 0, 0};
    if (most < 1) return s;
    // The most worth running, doubled while it does not meet the objective (an SLO, or an
    // open load's stability) and the budget allows.
    int top = processes_worth_trying(g, threads, most);
    while (!g.meets(g.simulated(top, threads)) && top < most) top = std::min(most, 2 * top);
    s.top = top;
    const Result top_result = g.simulated(top, threads);  // a copy: the cache grows below
    if (!g.meets(top_result)) return s;
    const double target_rps = g.closed() && !has_slo(g.query()) ? top_result.throughput_rps * (1 - kWithinBest) : 0;
    int bad = 0;  // the most processes known not good: by the bounds, then by the simulator
    while (bad + 1 < top && !could_be_good(g, bad + 1, threads, target_rps)) ++bad;
    int ok = top;
    while (ok - bad > 1) {
        const int mid = bad + (ok - bad) / 2;
        (good(g, mid, threads, top_result) ? ok : bad) = mid;
    }
    s.processes = ok;
    return s;
}

// The rule across thread counts (the header's): among the counts whose fewest processes are
// good, and without an SLO within 1% of the best any count reached, the smallest memory.
const ThreadCountSearch* choose(GthreadSearch& g, const std::vector<ThreadCountSearch>& searches) {
    double best_rps = 0, best_mean_s = INFINITY;
    for (const ThreadCountSearch& s : searches) {
        if (s.processes == 0) continue;
        const Result& top = g.simulated(s.top, s.threads);
        best_rps = std::max(best_rps, top.throughput_rps);
        best_mean_s = std::min(best_mean_s, top.latency.mean_s);
    }
    const bool slo = has_slo(g.query());
    const ThreadCountSearch* chosen = nullptr;
    for (const ThreadCountSearch& s : searches) {
        if (s.processes == 0) continue;
        const Result& r = g.simulated(s.processes, s.threads);
        const bool near_best = slo || (g.closed() ? r.throughput_rps >= best_rps * (1 - kWithinBest)
                                                  : r.latency.mean_s <= best_mean_s * (1 + kWithinBest));
        if (near_best && (!chosen || g.memory_kib(s.processes, s.threads) < g.memory_kib(chosen->processes, chosen->threads)))
            chosen = &s;
    }
    return chosen;
}

// What stops more processes or threads from doing better than the chosen pair.
Limit limit_of_feasible(GthreadSearch& g, const ThreadCountSearch& chosen) {
    if (has_slo(g.query())) return Limit::slo;
    if (!g.closed()) return Limit::load;
    const int max_workers = g.query().max_workers;
    const double x_rps = g.simulated(chosen.processes, chosen.threads).throughput_rps;
    const AsymptoticBounds b = asymptotic_bounds(g.at(chosen.processes, chosen.threads));
    if (chosen.processes == chosen.most && chosen.most < max_workers &&
        chosen.most < processes_worth_trying(g, chosen.threads, max_workers))
        return Limit::memory;
    if (b.cpu_limit_rps <= x_rps * (1 + 0.05)) return Limit::cores;
    if (chosen.processes * chosen.threads >= g.base().load.clients) return Limit::clients;
    if (chosen.processes >= max_workers) return Limit::max_workers;
    return Limit::cores;
}

// Infeasible: the best of the pairs simulated within the budget (throughput closed, p99
// open), the smallest memory within 1% of it; {0, 0} when none was.
std::pair<int, int> best_achievable(const GthreadSearch& g) {
    auto score = [&](const Result& r) { return g.closed() ? r.throughput_rps : -r.latency.p99_s; };
    double best = -INFINITY;
    for (const auto& [key, r] : g.simulations())
        if (g.fits(key.first, key.second)) best = std::max(best, score(r));
    std::pair<int, int> chosen{0, 0};
    for (const auto& [key, r] : g.simulations()) {
        if (!g.fits(key.first, key.second)) continue;
        const bool near = score(r) >= best - std::abs(best) * kWithinBest;
        if (near && (chosen.first == 0 || g.memory_kib(key.first, key.second) < g.memory_kib(chosen.first, chosen.second)))
            chosen = key;
    }
    return chosen;
}

// The fewest cores whose capacity passes the throughput the objective needs (the open rate;
// closed, clients / the SLO, since the mean response is clients / throughput and a p99 is
// at least the mean in any run here): a lower limit from the bounds. 0: none up to 4x (at
// least 64 more).
int fewest_cores_by_bounds(const GthreadSearch& g) {
    const RecommendQuery& q = g.query();
    const Scenario& base = g.base();
    double needed_rps = base.load.rate_per_s;
    if (g.closed()) {
        const double slo_s = std::min(q.slo_p99_s.value_or(INFINITY), q.slo_mean_s.value_or(INFINITY));
        needed_rps = std::isfinite(slo_s) ? base.load.clients / slo_s : 0;
    }
    const double cpu_s = asymptotic_bounds(base).cpu_demand_s;
    const int cores = base.host.cores;
    for (int c = cores + 1; c <= std::max(4 * cores, cores + 64); ++c) {
        Host h = base.host;
        h.cores = c;
        h.core_capacity = q.profile.core_capacity.empty() ? std::vector<double>{} : capacity_curve(q.profile, c);
        if (cpu_s <= 0 || h.capacity(c) / cpu_s > needed_rps) return c;
    }
    return 0;
}

// Infeasible: more memory (processes x threads beyond the budget, up to max_workers
// processes), or more cores.
void advise_infeasible(GthreadSearch& g, const std::vector<int>& counts, Recommendation& rec) {
    bool budget_binds = false;
    for (int t : counts) budget_binds = budget_binds || g.most_in_memory(t) < g.query().max_workers;
    if (budget_binds) {
        std::vector<ThreadCountSearch> unbudgeted;
        for (int t : counts) unbudgeted.push_back(search_threads(g, t, g.query().max_workers));
        if (const ThreadCountSearch* needed = choose(g, unbudgeted)) {
            rec.limited_by = Limit::memory;
            Advice memory{Remedy::add_memory};
            memory.workers = needed->processes;
            memory.threads = needed->threads;
            memory.memory_kib = g.memory_kib(needed->processes, needed->threads);
            rec.advice.push_back(memory);
            return;
        }
    }
    rec.limited_by = Limit::cores;
    const int cores = fewest_cores_by_bounds(g);
    Advice advice{cores > 0 ? Remedy::add_cores : Remedy::cheaper_request};
    advice.cores = cores;
    rec.advice.push_back(advice);
}

ThreadCountResult result_of(GthreadSearch& g, const ThreadCountSearch& s) {
    ThreadCountResult r;
    r.threads = s.threads;
    r.processes = s.processes;
    r.max_processes_in_memory = s.most;
    if (s.processes == 0) return r;
    const Result& sim = g.simulated(s.processes, s.threads);
    r.throughput_rps = sim.throughput_rps;
    r.mean_s = sim.latency.mean_s;
    r.p99_s = sim.latency.p99_s;
    r.memory_kib = g.memory_kib(s.processes, s.threads);
    return r;
}

}  // namespace

Recommendation recommend_gthread(const RecommendQuery& q) {
    GthreadSearch g(q);
    const std::vector<int> counts = thread_counts(q);
    Recommendation rec;
    rec.worker_class = WorkerClass::gthread;

    std::vector<ThreadCountSearch> searches;
    for (int t : counts) searches.push_back(search_threads(g, t, g.most_in_memory(t)));
    for (const ThreadCountSearch& s : searches) rec.by_threads.push_back(result_of(g, s));
    for (const auto& [key, r] : g.simulations())
        if (g.fits(key.first, key.second)) rec.best_throughput_rps = std::max(rec.best_throughput_rps, r.throughput_rps);

    if (const ThreadCountSearch* chosen = choose(g, searches)) {
        rec.feasible = true;
        rec.workers = chosen->processes;
        rec.threads = chosen->threads;
        rec.limited_by = limit_of_feasible(g, *chosen);
    } else {
        std::tie(rec.workers, rec.threads) = best_achievable(g);
        if (rec.workers == 0) rec.threads = counts.front();
        advise_infeasible(g, counts, rec);
    }
    if (rec.workers > 0) rec.predicted = g.simulated(rec.workers, rec.threads);
    rec.max_workers_in_memory = g.most_in_memory(rec.threads);

    // Gunicorn's rule of thumb is for sync workers: it stands beside gthread's answer as it is.
    Scenario thumb = g.base();
    thumb.server.workers = rec.rule_of_thumb_workers = 2 * thumb.host.cores + 1;
    rec.rule_of_thumb_predicted = simulate(thumb, q.seed);
    rec.rule_of_thumb_fits_memory = !q.memory_kib || thumb.memory.total_pss_kib(thumb.server) <= *q.memory_kib;
    rec.simulations = static_cast<int>(g.simulations().size()) + 1;
    return rec;
}

}  // namespace workersim::sizing
