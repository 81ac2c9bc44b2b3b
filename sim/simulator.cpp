#include "sim/simulator.hpp"

#include <algorithm>
#include <cassert>
#include <limits>
#include <type_traits>

#include "model/bounds.hpp"
#include "sim/arbiter.hpp"
#include "sim/clients.hpp"
#include "sim/cores.hpp"
#include "sim/event_queue.hpp"
#include "sim/listen_socket.hpp"
#include "sim/request_classes.hpp"
#include "sim/request_slots.hpp"
#include "sim/rng.hpp"
#include "sim/statistics.hpp"
#include "sim/worker_pool.hpp"

namespace workersim {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// A run whose clients have seen nothing for this long is stuck (e.g. workers that time out
// while booting, forever): stop rather than spin.
constexpr double kStallLimitS = 86400.0;

// Random streams of the run's seed, one per mechanism, so that a change in one mechanism's
// draws leaves the others' alone.
enum Stream : std::uint64_t { arrivals = 1, service = 2, master = 3, main_thread_wakeups = 4, url_mix = 5 };

bool is_gthread(const Scenario& scenario) {
    return effective_worker_class(scenario.server) == WorkerClass::gthread;
}

// The worker class the scenario runs (returned as a prvalue: built in place).
WorkerPool make_pool(const Scenario& scenario, const RequestClasses& classes, std::uint64_t seed,
                     RequestSlots& requests, EventQueue& events, Cores& cores, Statistics& statistics) {
    if (is_gthread(scenario))
        return WorkerPool(std::in_place_type<GthreadWorkers>, scenario, classes, Rng(seed, service),
                          Rng(seed, main_thread_wakeups), requests, events, cores, statistics);
    return WorkerPool(std::in_place_type<SyncWorkers>, scenario, classes, Rng(seed, service), requests, events,
                      cores, statistics);
}

class Engine {
public:
    Engine(const Scenario& scenario, const SimulationOptions& options)
        : scenario_(scenario),
          classes_(scenario),
          cores_(scenario.host),
          requests_(options.max_in_flight),
          statistics_(options, classes_.named() ? classes_.size() : 0),
          clients_(scenario.load, is_gthread(scenario) && GthreadWorkers::keeps_connections_alive(scenario),
                   Rng(options.seed, arrivals), classes_, Rng(options.seed, url_mix), requests_, events_, cores_,
                   statistics_),
          socket_(scenario, requests_, events_, statistics_),
          pool_(make_pool(scenario, classes_, options.seed, requests_, events_, cores_, statistics_)),
          arbiter_(scenario.server, Rng(options.seed, master), events_, pool_) {
        clients_.connect_to(socket_, pool_);
        socket_.connect_to(clients_, pool_);
        pool_.visit([&](auto& workers) { workers.connect_to(socket_, clients_, arbiter_); });
    }

    Simulation run() {
        arbiter_.start();
        clients_.start();
        run_events();
        return finish();
    }

private:
    // The loop is inside the flattened function, not around it: a call per event saved and
    // restored the registers step() uses, about 100 instructions per request of the
    // calibrated 2-core case (callgrind).
    [[gnu::flatten]] void run_events() {
        while (!clients_.done() && !stalled_) step();
    }

    // The one event loop. The next thing to happen comes from one of three sources: the
    // cores (the earliest CPU completion, kept by the CPU engine), the open loop's next
    // arrival (kept beside the heap, sim/clients.hpp) and the event heap (everything else).
    // Ties: the arrival and the heap's events order by (time, insertion order), exactly as if
    // the arrival were in the heap; a CPU completion goes first only when strictly earlier.
    void step() {
        const double cpu_next_s = cores_.next_completion_s();
        const double arrival_s = clients_.next_arrival_s();
        double event_next_s = kInfinity;
        bool arrival_first = arrival_s < kInfinity;
        if (!events_.empty()) {
            event_next_s = events_.top_time_s();
            arrival_first = arrival_s < event_next_s ||
                            (arrival_s == event_next_s && clients_.next_arrival_order() < events_.top_order());
        }
        if (arrival_first) event_next_s = arrival_s;
        const bool cpu_first = cpu_next_s < event_next_s;
        const double now_s = cpu_first ? cpu_next_s : event_next_s;
        assert(now_s < kInfinity);
        advance_clock(now_s);
        if (cpu_first)
            cpu_done(cores_.pop_completed(now_s), now_s);
        else if (arrival_first)
            clients_.arrival(now_s);
        else
            dispatch(events_.pop(), now_s);
    }

    void advance_clock(double now_s) {
        while (statistics_.sample_due(now_s))
            statistics_.sample(static_cast<std::int64_t>(socket_.queued()), pool_.busy(), pool_.live());
        statistics_.advance(now_s, static_cast<std::int64_t>(socket_.queued()), pool_.busy());
    }

    void cpu_done(std::uint32_t slot, double now_s) {
        if (requests_[slot].stage == Stage::loadgen_cpu)
            clients_.sent(slot, now_s);
        else
            pool_.phase_done(slot, now_s);
    }

    void dispatch(const Event& e, double now_s) {
        switch (e.kind) {
            case EventKind::syn_retry:
                if (requests_.live(e.request())) socket_.syn_retry(e.request(), now_s);
                break;
            case EventKind::io_done:
                if (requests_.live(e.request())) pool_.phase_done(e.request().slot, now_s);
                break;
            case EventKind::client_timeout:
                if (requests_.live(e.request())) clients_.time_out(e.request(), now_s);
                break;
            case EventKind::master_wakeup:
                if (arbiter_.wakeup(e.master_generation(), now_s) &&
                    now_s - clients_.last_resolution_s() > kStallLimitS)
                    stalled_ = true;
                break;
            case EventKind::worker_booted:
                pool_.booted(e.worker(), now_s);
                break;
            case EventKind::worker_exit:
                pool_.exited(e.worker(), now_s);
                break;
            case EventKind::main_wake:
            case EventKind::main_pass:
            case EventKind::epoll_timeout:
            case EventKind::gil_timeout:
                pool_.thread_event(e.kind, e.worker(), now_s);
                break;
        }
    }

    Simulation finish() {
        const double start_s = std::max(0.0, clients_.first_send_s());
        // Utilisation is of what can hold a request: processes under sync, pool threads under gthread.
        Simulation out = statistics_.finish(start_s, clients_.last_resolution_s(), request_holders(scenario_));
        Result& r = out.result;
        pool_.visit([&](const auto& workers) {
            if constexpr (std::is_same_v<std::decay_t<decltype(workers)>, GthreadWorkers>)
                r.served_by_worker = workers.served_by_worker();
        });
        const double span_s = statistics_.clock_s() - start_s;
        if (span_s > 0)
            r.core_utilisation = cores_.occupied_core_s(statistics_.clock_s()) / (scenario_.host.cores * span_s);
        r.max_accept_queue = socket_.max_queued();
        if (!r.per_url.empty()) {
            const std::vector<RequestClass> mix = request_mix(scenario_);
            for (std::size_t c = 0; c < r.per_url.size(); ++c) {
                r.per_url[c].path = mix[c].path;
                r.per_url[c].share = mix[c].weight;
            }
        }
        r.memory = scenario_.memory.estimate(scenario_.server);
        r.stalled = stalled_;
        r.capacity_rps = pool_capacity_rps(scenario_);
        r.unstable = beyond_capacity(scenario_);
        return out;
    }

    const Scenario& scenario_;
    const RequestClasses classes_;
    Cores cores_;
    EventQueue events_;
    RequestSlots requests_;
    Statistics statistics_;
    Clients clients_;
    ListenSocket socket_;
    WorkerPool pool_;
    Arbiter arbiter_;
    bool stalled_ = false;
};

}  // namespace

Simulation simulate(const Scenario& scenario, const SimulationOptions& options) {
    validate(scenario);
    return Engine(scenario, options).run();
}

Result simulate(const Scenario& scenario, std::uint64_t seed) {
    SimulationOptions options;
    options.seed = seed;
    return simulate(scenario, options).result;
}

}  // namespace workersim
