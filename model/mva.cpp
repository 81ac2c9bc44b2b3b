#include "model/mva.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "model/bounds.hpp"
#include "model/gthread_mva.hpp"

namespace workersim {

const char* const kAnalyticPercentileNote =
    "analytic percentiles are approximate: the holding time is taken as lognormal with the "
    "phases' mean and variance (CPU phases stretched by the cores' mean slowdown); closed "
    "loop adds the backlog wait from Little's law as a constant, open loop adds an Erlang C "
    "wait with an exponential tail scaled by (1 + cs^2) / 2";

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Above this population the O(n^2) recursion gives way to the O(n) product form.
constexpr int kRecursionLimit = 2048;

double mean_busy_cores(const Eigen::ArrayXd& p, const CpuStation& cpu) {
    double busy = 0;
    for (Eigen::Index j = 1; j < p.size(); ++j) busy += p[j] * cpu.busy_cores[j];
    return busy;
}

// Acklam's rational approximation to the standard normal quantile (relative error < 1.2e-9).
double normal_quantile(double p) {
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549671010243252e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    const double low = 0.02425;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) return -normal_quantile(1 - p);
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// The holding time as a lognormal with the given mean and SCV (a point mass when SCV = 0).
struct HoldingTime {
    double mean_s = 0, scv = 0;
    double quantile_s(double p) const {
        if (scv < 1e-12 || mean_s <= 0) return mean_s;
        const double sigma2 = std::log1p(scv);
        return mean_s * std::exp(-sigma2 / 2 + std::sqrt(sigma2) * normal_quantile(p));
    }
};

// Mean and SCV of a worker's holding time when every CPU phase is stretched by `slowdown`.
// With several request classes the holding time is their mixture: E[S^2] = sum w (var + mean^2).
HoldingTime holding_time(const Scenario& s, double slowdown) {
    const auto of_phases = [slowdown](const std::vector<Phase>& phases, double& mean_s, double& variance) {
        mean_s = 0;
        variance = 0;
        for (const Phase& phase : phases) {
            const double stretch = phase.kind == PhaseKind::cpu ? slowdown : 1.0;
            const double m = phase.duration.expected_s() * stretch;
            mean_s += m;
            variance += m * m * phase.duration.scv();
        }
    };
    double mean_s = 0, variance = 0;
    if (s.request_classes.empty()) {
        of_phases(s.request, mean_s, variance);
    } else {
        double second_moment = 0;
        for (const RequestClass& c : request_mix(s)) {
            double m = 0, v = 0;
            of_phases(c.phases, m, v);
            mean_s += c.weight * m;
            second_moment += c.weight * (v + m * m);
        }
        variance = std::max(0.0, second_moment - mean_s * mean_s);
    }
    return {mean_s, mean_s > 0 ? variance / (mean_s * mean_s) : 0.0};
}

// Erlang C: the probability an arrival finds all `servers` busy at offered load a < servers.
double erlang_c(int servers, double a) {
    double b = 1;  // Erlang B by its stable recursion
    for (int k = 1; k <= servers; ++k) b = a * b / (k + a * b);
    return servers * b / (servers - a * (1 - b));
}

// P(T > t) for T = W + S: W is 0 with probability 1 - c, else exponential with the given
// mean; S the holding time, integrated over its quantiles (midpoint rule in probability).
double response_tail(double t, double c, double tail_mean_s, const Eigen::ArrayXd& s_points) {
    double tail = 0;
    for (Eigen::Index k = 0; k < s_points.size(); ++k) {
        const double x = t - s_points[k];
        tail += x < 0 ? 1.0 : (tail_mean_s > 0 ? c * std::exp(-x / tail_mean_s) : 0.0);
    }
    return tail / static_cast<double>(s_points.size());
}

double open_response_quantile(double p, const HoldingTime& s, double c, double tail_mean_s,
                              const Eigen::ArrayXd& s_points) {
    double lo = 0, hi = s.quantile_s(1 - (1 - p) / 4) + 1;
    while (response_tail(hi, c, tail_mean_s, s_points) > 1 - p) hi *= 2;
    for (int i = 0; i < 60; ++i) {
        const double mid = (lo + hi) / 2;
        (response_tail(mid, c, tail_mean_s, s_points) > 1 - p ? lo : hi) = mid;
    }
    return hi;
}

ClosedPoolSolution solve_closed(const CpuStation& cpu, double io_delay_s, int customers) {
    if (customers <= kRecursionLimit) return solve_mva(cpu, io_delay_s, customers).back();
    return solve_product_form(cpu, io_delay_s, customers);
}

}  // namespace

CpuStation shared_cores(const Host& host, double cpu_demand_s, int max_jobs) {
    CpuStation cpu;
    cpu.demand_s = cpu_demand_s;
    cpu.seconds_per_completion = Eigen::ArrayXd::Zero(max_jobs + 1);
    cpu.busy_cores = Eigen::ArrayXd::Zero(max_jobs + 1);
    for (int j = 1; j <= max_jobs; ++j) {
        cpu.seconds_per_completion[j] = cpu_demand_s / host.capacity(std::min(j, host.cores));
        cpu.busy_cores[j] = std::min(j, host.cores);
    }
    return cpu;
}

std::vector<ClosedPoolSolution> solve_mva(const Host& host, double cpu_demand_s, double io_delay_s,
                                          int max_customers) {
    return solve_mva(shared_cores(host, cpu_demand_s, max_customers), io_delay_s, max_customers);
}

ClosedPoolSolution solve_product_form(const Host& host, double cpu_demand_s, double io_delay_s, int customers) {
    return solve_product_form(shared_cores(host, cpu_demand_s, customers), io_delay_s, customers);
}

std::vector<ClosedPoolSolution> solve_mva(const CpuStation& cpu, double io_delay_s, int max_customers) {
    assert(max_customers >= 0 && cpu.demand_s >= 0 && io_delay_s >= 0);
    assert(cpu.seconds_per_completion.size() > max_customers);
    const Eigen::ArrayXd inv_mu = cpu.seconds_per_completion.head(max_customers + 1);
    const Eigen::ArrayXd jobs = Eigen::ArrayXd::LinSpaced(max_customers + 1, 0, max_customers);
    std::vector<ClosedPoolSolution> out(static_cast<std::size_t>(max_customers) + 1);
    Eigen::ArrayXd p = Eigen::ArrayXd::Zero(max_customers + 1);  // p[j] = P(j at the cores | n)
    p[0] = 1;
    out[0].cpu_jobs_probability = {1.0};
    for (int n = 1; n <= max_customers; ++n) {
        // An arrival sees the network with n - 1 customers (arrival theorem): with j - 1 there
        // already, it leaves after j completions at rate mu(j).
        const Eigen::ArrayXd seen = p.head(n);  // p(j - 1 | n - 1), j = 1..n
        const double residence_s = (jobs.segment(1, n) * inv_mu.segment(1, n) * seen).sum();
        const double cycle_s = residence_s + io_delay_s;
        const double x = cycle_s > 0 ? n / cycle_s : kInfinity;
        const double idle = seen[0];
        p.segment(1, n) = x * inv_mu.segment(1, n) * seen;
        // Not 1 - sum(p[1..n]): that subtraction loses digits once the cores saturate (a
        // relative error of 3e-8 at 60 customers on 8 cores). With X(n) = G(n-1)/G(n) the
        // delay station gives it exactly: p(0|n) = Z^n/n!/G(n) = p(0|n-1) X(n) Z / n.
        p[0] = std::isfinite(x) ? idle * x * io_delay_s / n : 0.0;
        p.head(n + 1) /= p.head(n + 1).sum();  // only rounding to correct: the terms sum to 1
        ClosedPoolSolution& s = out[static_cast<std::size_t>(n)];
        s.customers = n;
        s.throughput_rps = x;
        s.cpu_residence_s = residence_s;
        s.cycle_s = cycle_s;
        s.mean_cpu_jobs = (jobs.head(n + 1) * p.head(n + 1)).sum();
        s.mean_busy_cores = mean_busy_cores(p.head(n + 1), cpu);
    }
    out.back().cpu_jobs_probability.assign(p.data(), p.data() + p.size());
    return out;
}

ClosedPoolSolution solve_product_form(const CpuStation& cpu, double io_delay_s, int customers) {
    assert(customers >= 0 && cpu.seconds_per_completion.size() > customers);
    const int n = customers;
    const double cpu_demand_s = cpu.demand_s;
    // log of the unnormalised probability of j jobs at the cores, n - j in IO:
    //   D^j / prod_{i<=j} capacity(min(i, C))  *  Z^(n-j) / (n-j)!
    Eigen::ArrayXd log_weight = Eigen::ArrayXd::Constant(n + 1, -kInfinity);
    double log_cpu = 0;
    for (int j = 0; j <= n; ++j) {
        if (j > 0) log_cpu += cpu_demand_s > 0 ? std::log(cpu.seconds_per_completion[j]) : -kInfinity;
        const int io = n - j;
        const double log_io = io == 0 ? 0.0 : (io_delay_s > 0 ? io * std::log(io_delay_s) - std::lgamma(io + 1.0)
                                                              : -kInfinity);
        log_weight[j] = log_cpu + log_io;
    }
    const double top = log_weight.maxCoeff();
    Eigen::ArrayXd p = (log_weight - top).exp();
    p /= p.sum();

    ClosedPoolSolution s;
    s.customers = n;
    const Eigen::ArrayXd jobs = Eigen::ArrayXd::LinSpaced(n + 1, 0, n);
    s.mean_cpu_jobs = (jobs * p).sum();
    s.mean_busy_cores = mean_busy_cores(p, cpu);
    if (cpu_demand_s > 0) {
        // Utilisation law for a load-dependent station: X = sum_j P(j) mu(j).
        const Eigen::ArrayXd inv_mu = cpu.seconds_per_completion.head(n + 1);
        s.throughput_rps = (p.segment(1, n) / inv_mu.segment(1, n)).sum();
    } else {
        s.throughput_rps = io_delay_s > 0 ? n / io_delay_s : kInfinity;
    }
    s.cpu_residence_s = s.throughput_rps > 0 ? s.mean_cpu_jobs / s.throughput_rps : 0;
    s.cycle_s = s.cpu_residence_s + io_delay_s;
    s.cpu_jobs_probability.assign(p.data(), p.data() + p.size());
    return s;
}

OpenPoolSolution solve_open_pool(const Scenario& s) {
    const int workers = s.server.workers;
    return solve_open_pool(s, shared_cores(s.host, s.cpu_demand_s() + s.load.loadgen_cpu_s, workers), workers);
}

OpenPoolSolution solve_open_pool(const Scenario& s, const CpuStation& cpu, int holders) {
    const int workers = holders;
    const double rate = s.load.rate_per_s;
    const double cpu_s = cpu.demand_s;
    OpenPoolSolution o;

    // The cores as a birth-death station fed at `rate`, at most `workers` jobs deep.
    double slowdown = 1;
    if (cpu_s > 0) {
        std::vector<double> log_p(static_cast<std::size_t>(workers) + 1, 0.0);
        for (int j = 1; j <= workers; ++j)
            log_p[static_cast<std::size_t>(j)] =
                log_p[static_cast<std::size_t>(j) - 1] + std::log(rate * cpu.seconds_per_completion[j]);
        const double top = *std::max_element(log_p.begin(), log_p.end());
        Eigen::ArrayXd p(workers + 1);
        double total = 0;
        for (int j = 0; j <= workers; ++j) total += p[j] = std::exp(log_p[static_cast<std::size_t>(j)] - top);
        p /= total;
        double jobs = 0;
        for (int j = 1; j <= workers; ++j) jobs += j * p[j];
        o.mean_busy_cores = mean_busy_cores(p, cpu);
        slowdown = std::max(1.0, jobs / rate / cpu_s);
    }
    const HoldingTime h = holding_time(s, slowdown);
    o.holding_s = h.mean_s;
    o.holding_scv = h.scv;
    o.offered_workers = rate * h.mean_s;
    // The truncated birth-death above keeps fewer than `workers` jobs at the cores even when
    // they are overloaded, so stability also needs the rate below what the pool does with
    // every worker busy (the closed network at full population).
    o.stable = o.offered_workers < workers &&
               rate < solve_closed(cpu, s.io_demand_s(), workers).throughput_rps;
    if (o.stable) {
        o.wait_probability = erlang_c(workers, o.offered_workers);
        o.mean_wait_s = o.wait_probability * h.mean_s / (workers - o.offered_workers) * (1 + h.scv) / 2;
    } else {
        o.wait_probability = 1;
        o.mean_wait_s = kInfinity;
    }
    return o;
}

Result predict_mva(const Scenario& s) {
    validate(s);
    if (const std::string refusal = gthread_mva_refusal(s); !refusal.empty()) throw std::invalid_argument(refusal);
    Result r;
    const AsymptoticBounds bounds = asymptotic_bounds(s);
    const double io_s = s.io_demand_s();
    // Sync: each worker holds one request; gthread: each pool thread (gthread_mva.hpp).
    const int workers = request_holders(s);
    const bool closed = s.load.kind == LoadKind::closed;
    const int population = closed ? std::min(s.load.clients, workers) : workers;
    const CpuStation cpu = effective_worker_class(s.server) == WorkerClass::gthread
                               ? gthread_cpu_station(s, population)
                               : shared_cores(s.host, s.cpu_demand_s() + s.load.loadgen_cpu_s, population);
    const double cpu_s = cpu.demand_s;
    const double percentile[] = {0.5, 0.9, 0.95, 0.99, 0.999, 0.9999};
    double q[6] = {};

    if (closed) {
        const int clients = s.load.clients;
        const ClosedPoolSolution sol = solve_closed(cpu, io_s, population);
        const double x = sol.throughput_rps;
        const double slowdown = cpu_s > 0 ? sol.cpu_residence_s / cpu_s : 1.0;
        const HoldingTime h = holding_time(s, slowdown);
        const double response_s = x > 0 && std::isfinite(x) ? clients / x : h.mean_s;
        const double backlog_wait_s = std::max(0.0, response_s - h.mean_s);
        for (int i = 0; i < 6; ++i) q[i] = backlog_wait_s + h.quantile_s(percentile[i]);
        r.completed = hey_requests_sent(s.load.requests, clients);
        r.throughput_rps = std::isfinite(x) ? x : 0.0;
        r.makespan_s = x > 0 && std::isfinite(x) ? r.completed / x : 0.0;
        r.latency.mean_s = response_s;
        r.core_utilisation = sol.mean_busy_cores / s.host.cores;
        r.worker_utilisation = static_cast<double>(std::min(clients, workers)) / workers;
        // gthread's main thread accepts up to worker_connections per process whether or not a
        // thread is free (gthread.py:198): the rest wait in the processes' own queues.
        const std::int64_t accepted = effective_worker_class(s.server) == WorkerClass::gthread
                                          ? std::int64_t{s.server.workers} * s.server.worker_connections
                                          : workers;
        r.mean_accept_queue = std::max<std::int64_t>(0, clients - accepted);
        r.max_accept_queue = std::max<std::int64_t>(0, clients - accepted);
    } else {
        const double rate = s.load.rate_per_s;
        const OpenPoolSolution o = solve_open_pool(s, cpu, workers);
        r.completed = s.load.requests;
        const HoldingTime h{o.holding_s, o.holding_scv};
        if (o.stable) {
            // The waiting-time tail: exponential with the Allen-Cunneen mean of those who wait.
            const double tail_mean_s = o.wait_probability > 0 ? o.mean_wait_s / o.wait_probability : 0.0;
            Eigen::ArrayXd s_points(64);
            for (int k = 0; k < 64; ++k) s_points[k] = h.quantile_s((k + 0.5) / 64);
            for (int i = 0; i < 6; ++i)
                q[i] = open_response_quantile(percentile[i], h, o.wait_probability, tail_mean_s, s_points);
            r.throughput_rps = rate;
            r.latency.mean_s = o.holding_s + o.mean_wait_s;
            r.mean_accept_queue = rate * o.mean_wait_s;
            r.worker_utilisation = o.offered_workers / workers;
            r.core_utilisation = o.mean_busy_cores / s.host.cores;
        } else {
            // Overloaded: the pool runs saturated (the closed network with every worker busy)
            // and the backlog grows linearly over the finite run: arrival k waits about
            // k (1/X - 1/rate).
            const ClosedPoolSolution sol = solve_closed(cpu, io_s, workers);
            const double x = std::min(sol.throughput_rps, rate);
            const double slowdown = cpu_s > 0 ? sol.cpu_residence_s / cpu_s : 1.0;
            const HoldingTime hs = holding_time(s, slowdown);
            const double growth_s = s.load.requests * std::max(0.0, 1 / x - 1 / rate);
            for (int i = 0; i < 6; ++i) q[i] = hs.mean_s + percentile[i] * growth_s;
            r.throughput_rps = x;
            r.latency.mean_s = hs.mean_s + growth_s / 2;
            r.mean_accept_queue = s.load.requests * (1 - x / rate) / 2;
            r.worker_utilisation = 1;
            r.core_utilisation = sol.mean_busy_cores / s.host.cores;
        }
        r.makespan_s = r.throughput_rps > 0 ? r.completed / r.throughput_rps : 0.0;
        r.max_accept_queue = static_cast<std::int64_t>(std::ceil(r.mean_accept_queue));
        r.unstable = !o.stable;
    }
    r.latency.p50_s = q[0];
    r.latency.p90_s = q[1];
    r.latency.p95_s = q[2];
    r.latency.p99_s = q[3];
    r.latency.p999_s = q[4];
    r.latency.max_s = q[5];
    r.latency.min_s = std::min(bounds.min_response_s, q[0]);
    r.memory = s.memory.estimate(s.server);
    r.capacity_rps = pool_capacity_rps(s);
    return r;
}

}  // namespace workersim
