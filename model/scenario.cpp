#include "model/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "model/limits.hpp"
#include "model/result.hpp"

namespace workersim {

double Host::capacity(int busy_cores) const {
    if (busy_cores <= 0) return 0.0;
    if (core_capacity.empty()) return busy_cores;
    const std::size_t k = static_cast<std::size_t>(busy_cores);
    return core_capacity[std::min(k, core_capacity.size()) - 1];
}

double MemoryModel::master_pss_kib(int workers) const {
    return master_private_kib + shared_kib / (workers + 1);
}

double MemoryModel::worker_pss_kib(int workers) const {
    return worker_private_kib + shared_kib / (workers + 1);
}

double MemoryModel::total_pss_kib(int workers) const {
    return master_private_kib + workers * worker_private_kib + shared_kib;
}

// A gthread process's PSS beyond a sync worker's; 0 under sync.
double MemoryModel::gthread_extra_kib(const ServerConfig& server) const {
    if (effective_worker_class(server) == WorkerClass::sync) return 0.0;
    return gthread_worker_kib + server.threads * thread_kib;
}

double MemoryModel::worker_pss_kib(const ServerConfig& server) const {
    return worker_pss_kib(server.workers) + gthread_extra_kib(server);
}

double MemoryModel::total_pss_kib(const ServerConfig& server) const {
    return total_pss_kib(server.workers) + server.workers * gthread_extra_kib(server);
}

MemoryEstimate MemoryModel::estimate(const ServerConfig& server) const {
    MemoryEstimate m;
    m.master_kib = master_pss_kib(server.workers);
    m.per_worker_kib = worker_pss_kib(server);
    m.workers_kib = server.workers * m.per_worker_kib;
    m.total_kib = total_pss_kib(server);
    return m;
}

MemoryEstimate MemoryModel::estimate(int workers) const {
    ServerConfig sync;
    sync.workers = workers;
    return estimate(sync);
}

WorkerClass effective_worker_class(const ServerConfig& server) {
    if (server.worker_class == WorkerClass::sync && server.threads > 1) return WorkerClass::gthread;
    return server.worker_class;
}

const char* worker_class_name(WorkerClass worker_class) {
    return worker_class == WorkerClass::gthread ? "gthread" : "sync";
}

WorkerClass worker_class_from_name(const std::string& name) {
    if (name == "sync") return WorkerClass::sync;
    if (name == "gthread") return WorkerClass::gthread;
    throw std::invalid_argument("\"" + name + "\": expected the worker class sync or gthread");
}

std::vector<RequestClass> request_mix(const Scenario& scenario) {
    if (scenario.request_classes.empty()) return {RequestClass{"", 1.0, scenario.request}};
    std::vector<RequestClass> mix = scenario.request_classes;
    double total = 0;
    for (const RequestClass& c : mix) total += c.weight;
    for (RequestClass& c : mix) c.weight /= total;
    return mix;
}

namespace {

double demand_s(const Scenario& scenario, PhaseKind kind) {
    const auto of = [kind](const std::vector<Phase>& phases) {
        double total = 0;
        for (const Phase& p : phases)
            if (p.kind == kind) total += p.duration.expected_s();
        return total;
    };
    if (scenario.request_classes.empty()) return of(scenario.request);
    double total = 0;
    for (const RequestClass& c : request_mix(scenario)) total += c.weight * of(c.phases);
    return total;
}

}  // namespace

double Scenario::cpu_demand_s() const { return demand_s(*this, PhaseKind::cpu); }

double Scenario::io_demand_s() const { return demand_s(*this, PhaseKind::io); }

namespace {

template <class T>
void require(bool ok, const char* field, T value, const std::string& range) {
    if (ok) return;
    std::ostringstream message;
    message << field << " = " << value << " is out of range: expected " << range;
    throw std::invalid_argument(message.str());
}

void require(const IntegerRange& range, const char* field, std::int64_t value) {
    require(range.contains(value), field, value, range.text());
}

void validate(const Distribution& d, const char* field) {
    require(std::isfinite(d.mean_s) && d.mean_s >= 0, field, d.mean_s, "a finite duration >= 0 s");
    require(std::isfinite(d.cv) && d.cv >= 0 && d.cv <= 100, field, d.cv, "a CV in [0, 100]");
    require(d.slow_probability >= 0 && d.slow_probability <= 1, field, d.slow_probability,
            "a probability in [0, 1]");
    require(std::isfinite(d.slow_s) && d.slow_s >= 0, field, d.slow_s, "a finite duration >= 0 s");
    for (double x : d.samples_s) require(std::isfinite(x) && x >= 0, field, x, "samples >= 0 s");
    require(d.kind != DistributionKind::empirical || !d.samples_s.empty(), field, 0,
            "at least one empirical sample");
}

}  // namespace

void validate(const Scenario& s) {
    require(kCoresRange, "cores", s.host.cores);
    for (double c : s.host.core_capacity)
        require(std::isfinite(c) && c > 0, "core_capacity", c, "a positive number of cores");
    require(kWorkersRange, "workers", s.server.workers);
    require(kBacklogRange, "backlog", s.server.backlog);
    require(std::isfinite(s.server.timeout_s) && s.server.timeout_s >= 0, "timeout", s.server.timeout_s,
            "seconds >= 0 (0 disables)");
    require(s.server.max_requests >= 0, "max_requests", s.server.max_requests, ">= 0 (0 disables)");
    require(s.server.max_requests_jitter >= 0, "max_requests_jitter", s.server.max_requests_jitter, ">= 0");
    require(std::isfinite(s.server.boot_s) && s.server.boot_s >= 0, "boot_s", s.server.boot_s, ">= 0 s");
    require(s.server.master_tick_s > 0, "master_tick_s", s.server.master_tick_s, "> 0 s");
    require(std::isfinite(s.server.kill_s) && s.server.kill_s >= 0, "kill_s", s.server.kill_s, ">= 0 s");
    // Linux caps net.ipv4.tcp_syn_retries at 127 (net/ipv4/sysctl_net_ipv4.c).
    require(s.load.syn_retries >= 0 && s.load.syn_retries <= 127, "syn_retries", s.load.syn_retries, "0..127");
    require(std::isfinite(s.load.syn_initial_timeout_s) && s.load.syn_initial_timeout_s > 0, "syn_initial_timeout_s",
            s.load.syn_initial_timeout_s, "> 0 s");
    const auto validate_phases = [](const std::vector<Phase>& phases) {
        for (const Phase& p : phases) {
            validate(p.duration, "phase duration");
            require(p.gil_free_share >= 0 && p.gil_free_share <= 1, "gil_free_share", p.gil_free_share,
                    "a share in [0, 1]");
            require(std::isfinite(p.slowdown_per_caller) && p.slowdown_per_caller >= 0 &&
                        (p.slowdown_per_caller == 0 || p.kind == PhaseKind::io),
                    "slowdown_per_caller", p.slowdown_per_caller, ">= 0, on an IO phase");
        }
    };
    if (s.request_classes.empty()) {
        require(!s.request.empty(), "request phases", 0, "at least one phase");
        validate_phases(s.request);
    } else {
        require(s.request.empty(), "request phases", s.request.size(),
                "none when request_classes are given (each class has its own)");
        require(s.request_classes.size() <= kMaxRequestClasses, "request classes", s.request_classes.size(),
                "1.." + std::to_string(kMaxRequestClasses));
        for (std::size_t i = 0; i < s.request_classes.size(); ++i) {
            const RequestClass& c = s.request_classes[i];
            require(!c.path.empty(), "request class path", "\"\"", "a URL path such as /orders");
            for (std::size_t j = 0; j < i; ++j)
                require(s.request_classes[j].path != c.path, "request class path", c.path, "each path once");
            require(std::isfinite(c.weight) && c.weight > 0, "request class weight", c.weight,
                    "a finite weight > 0 (" + c.path + ")");
            require(!c.phases.empty(), "request class phases", c.path, "at least one phase");
            validate_phases(c.phases);
        }
    }
    require(kThreadsRange, "threads", s.server.threads);
    require(kWorkerConnectionsRange, "worker_connections", s.server.worker_connections);
    require(std::isfinite(s.server.keepalive_s) && s.server.keepalive_s >= 0, "keepalive", s.server.keepalive_s,
            "seconds >= 0 (0 closes every connection)");
    require(std::isfinite(s.server.main_loop_pass_s) && s.server.main_loop_pass_s >= 0, "main_loop_pass_s",
            s.server.main_loop_pass_s, ">= 0 s");
    require(std::isfinite(s.server.main_wake_s) && s.server.main_wake_s >= 0, "main_wake_s", s.server.main_wake_s,
            ">= 0 s");
    require(std::isfinite(s.server.main_wake_order_s) && s.server.main_wake_order_s >= 0, "main_wake_order_s",
            s.server.main_wake_order_s, ">= 0 s");
    require(std::isfinite(s.server.connection_cpu_s) && s.server.connection_cpu_s >= 0, "connection_cpu_s",
            s.server.connection_cpu_s, ">= 0 s");
    require(std::isfinite(s.server.thread_start_s) && s.server.thread_start_s >= 0, "thread_start_s",
            s.server.thread_start_s, ">= 0 s");
    // sys.setswitchinterval() refuses values <= 0 (Python/sysmodule.c).
    require(std::isfinite(s.server.gil_switch_interval_s) && s.server.gil_switch_interval_s > 0,
            "gil_switch_interval_s", s.server.gil_switch_interval_s, "> 0 s");
    if (s.load.kind == LoadKind::closed) {
        require(kClientsRange, "clients", s.load.clients);
        require(s.load.requests >= s.load.clients, "requests", s.load.requests,
                ">= clients (hey gives each client requests / clients)");
    } else {
        require(std::isfinite(s.load.rate_per_s) && s.load.rate_per_s > 0, "rate", s.load.rate_per_s,
                "requests per second > 0");
        require(s.load.requests >= 1, "requests", s.load.requests, ">= 1");
    }
    require(kRequestsRange, "requests", s.load.requests);
    if (!s.load.clients_per_class.empty()) {
        require(s.load.kind == LoadKind::closed, "clients_per_class", s.load.clients_per_class.size(),
                "none with an open loop (it has no clients)");
        require(s.load.clients_per_class.size() == std::max<std::size_t>(1, s.request_classes.size()),
                "clients_per_class", s.load.clients_per_class.size(), "one count per request class");
        std::int64_t sum = 0;
        for (int c : s.load.clients_per_class) {
            require(c >= 0, "clients_per_class", c, "counts >= 0");
            sum += c;
        }
        require(sum == s.load.clients, "clients_per_class", sum, "counts summing to clients");
    }
    require(std::isfinite(s.load.client_timeout_s) && s.load.client_timeout_s >= 0, "client_timeout",
            s.load.client_timeout_s, "seconds >= 0 (0 = none)");
    require(std::isfinite(s.load.loadgen_cpu_s) && s.load.loadgen_cpu_s >= 0, "loadgen_cpu_s",
            s.load.loadgen_cpu_s, ">= 0 s");
}

}  // namespace workersim
