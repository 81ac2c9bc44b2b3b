#include "sim/simulator.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/accept_queue.hpp"
#include "sim/event_queue.hpp"
#include "sim/latency_histogram.hpp"
#include "sim/cores.hpp"
#include "sim/rng.hpp"
#include "sim/sampler.hpp"

namespace workersim {

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Gunicorn's spawn_workers() sleeps U(0, 0.1) s after each fork (arbiter.py L613-623).
constexpr double kSpawnStaggerS = 0.1;
// A run whose clients have seen nothing for this long is stuck (e.g. workers that time out
// while booting, forever): stop rather than spin.
constexpr double kStallLimitS = 86400.0;

// Where a connection is, seen from the server.
enum class Stage : std::uint8_t { loadgen_cpu, connecting, queued, serving };

struct Request {
    double sent_s = 0;          // the client started it (hey's latency starts here)
    std::uint32_t client = 0;   // closed loop: which client
    std::uint32_t worker = kNone;
    std::uint32_t generation = 0;
    std::uint16_t phase = 0;
    std::uint8_t syn_drops = 0;  // <= syn_retries + 1 <= 128 (Scenario validation)
    Stage stage = Stage::loadgen_cpu;
    bool client_gone = false;   // the client no longer waits for it
};

enum class WorkerState : std::uint8_t { idle, busy, booting, dead };

struct Worker {
    WorkerState state = WorkerState::idle;
    bool aborted = false;       // SIGABRT sent; the process has not ended yet
    bool retiring = false;      // reached max_requests: exits after this request
    std::uint32_t request = kNone;
    std::uint32_t generation = 0;
    double last_notify_s = 0;   // the heartbeat: touched before every accept()
    std::int64_t served = 0;
    std::int64_t limit = std::numeric_limits<std::int64_t>::max();
};

class Engine {
public:
    Engine(const Scenario& scenario, const SimulationOptions& options)
        : s_(scenario),
          options_(options),
          cpu_(scenario.host),
          queue_(scenario.server.backlog),
          arrivals_rng_(options.seed, 1),
          service_rng_(options.seed, 2),
          master_rng_(options.seed, 3) {
        for (const Phase& p : s_.request) samplers_.emplace_back(p.duration);
        workers_.resize(static_cast<std::size_t>(s_.server.workers));
        for (std::uint32_t w = 0; w < workers_.size(); ++w) {
            workers_[w].limit = draw_request_limit();
            idle_.push_back(static_cast<std::uint32_t>(workers_.size()) - 1 - w);  // worker 0 on top
        }
        if (s_.load.kind == LoadKind::closed) {
            const std::int64_t per_client = hey_requests_per_client(s_.load.requests, s_.load.clients);
            remaining_.assign(static_cast<std::size_t>(s_.load.clients), per_client);
            total_ = per_client * s_.load.clients;
        } else {
            total_ = s_.load.requests;
        }
        if (options_.timeline_interval_s > 0) next_sample_s_ = 0;
    }

    Simulation run() {
        // The master was started before the load: its loop runs at some phase of its 1 s
        // select() timeout.
        request_master_wakeup(master_rng_.uniform() * s_.server.master_tick_s);
        if (s_.load.kind == LoadKind::closed) {
            for (std::uint32_t c = 0; c < remaining_.size(); ++c) client_sends(c, 0.0);
        } else {
            schedule_arrival(0.0);
        }
        while (resolved_ < total_ && !stalled_) step();
        return finish();
    }

private:
    // ---- the event loop -------------------------------------------------------------
    void step() {
        const double cpu_next = cpu_.next_completion_s();
        double event_next = kInfinity;
        bool arrival_first = next_arrival_s_ < kInfinity;
        if (!events_.empty()) {
            event_next = events_.top_time_s();
            // (time, order) as the heap would compare them: the run is the same as with
            // the arrival in the heap.
            arrival_first = next_arrival_s_ < event_next ||
                            (next_arrival_s_ == event_next && next_arrival_order_ < events_.top_order());
        }
        if (arrival_first) event_next = next_arrival_s_;
        const bool cpu_first = cpu_next < event_next;
        const double now = cpu_first ? cpu_next : event_next;
        assert(now < kInfinity);
        advance_clock(now);
        ++events_processed_;
        if (cpu_first) {
            cpu_done(cpu_.pop_completed(), now);
            return;
        }
        if (arrival_first) {
            open_arrival(now);
            return;
        }
        const Event e = events_.pop();
        switch (e.kind) {
            case EventKind::syn_retry:
                if (live(e)) syn_retry(e.target, now);
                break;
            case EventKind::io_done:
                if (live(e)) phase_done(e.target, now);
                break;
            case EventKind::client_timeout:
                if (live(e)) client_times_out(e.target, now);
                break;
            case EventKind::master_wakeup:
                if (e.generation == master_generation_) master_loop(now);
                break;
            case EventKind::worker_booted:
                if (workers_[e.target].generation == e.generation) worker_booted(e.target, now);
                break;
            case EventKind::worker_exit:
                if (workers_[e.target].generation == e.generation) worker_exits(e.target, now);
                break;
        }
    }

    bool live(const Event& e) const { return requests_[e.target].generation == e.generation; }

    void advance_clock(double now) {
        while (next_sample_s_ <= now) {
            sample(next_sample_s_);
            next_sample_s_ += options_.timeline_interval_s;
        }
        const double dt = now - clock_s_;
        queue_area_ += dt * static_cast<double>(queue_.size());
        busy_worker_area_ += dt * busy_workers_;
        clock_s_ = now;
    }

    // ---- clients ----------------------------------------------------------------------
    void client_sends(std::uint32_t client, double now) {
        --remaining_[client];
        start_request(client, now);
    }

    void open_arrival(double now) {
        start_request(0, now);
        if (++arrived_ < total_)
            schedule_arrival(now + arrivals_rng_.exponential(1.0 / s_.load.rate_per_s));
        else
            next_arrival_s_ = kInfinity;
    }

    // The open loop's next arrival waits beside the event heap, not in it: there is always
    // exactly one, and keeping it out halves the heap operations per request. It takes an
    // insertion sequence number like any event, so ties resolve as they would in the heap.
    void schedule_arrival(double at_s) {
        next_arrival_s_ = at_s;
        next_arrival_order_ = events_.take_order();
    }

    void start_request(std::uint32_t client, double now) {
        const std::uint32_t slot = allocate_request();
        Request& r = requests_[slot];
        r.sent_s = now;
        r.client = client;
        r.phase = 0;
        r.syn_drops = 0;
        r.worker = kNone;
        r.client_gone = false;
        if (first_send_s_ < 0) first_send_s_ = now;
        if (s_.load.client_timeout_s > 0)
            events_.push(now + s_.load.client_timeout_s, EventKind::client_timeout, slot, r.generation);
        if (s_.load.loadgen_cpu_s > 0) {
            r.stage = Stage::loadgen_cpu;
            cpu_.add(now, slot, s_.load.loadgen_cpu_s);
        } else {
            connect(slot, now);
        }
    }

    // The client's side of a request is over: a response, or an error.
    void resolve(Request& r, double now) {
        r.client_gone = true;
        ++resolved_;
        last_resolution_s_ = now;
        if (s_.load.kind == LoadKind::closed && remaining_[r.client] > 0) client_sends(r.client, now);
    }

    void client_times_out(std::uint32_t slot, double now) {
        Request& r = requests_[slot];
        if (r.client_gone) return;
        ++result_.errors.client_timeout;
        const bool server_holds_it = r.stage == Stage::queued || r.stage == Stage::serving;
        if (r.stage == Stage::loadgen_cpu) cpu_.remove(now, slot);
        resolve(r, now);
        if (!server_holds_it) free_request(slot);  // never reached the server: nothing left of it
    }

    // ---- the listen socket ------------------------------------------------------------
    void connect(std::uint32_t slot, double now) {
        Request& r = requests_[slot];
        if (!idle_.empty()) {
            const std::uint32_t w = idle_.back();
            idle_.pop_back();
            accept(w, slot, now);
            return;
        }
        if (queue_.full()) {
            // The kernel drops the SYN; the client retransmits after 1, 2, 4, ... s.
            r.stage = Stage::connecting;
            const double backoff_s = s_.load.syn_initial_timeout_s * std::ldexp(1.0, r.syn_drops);
            ++r.syn_drops;
            events_.push(now + backoff_s, EventKind::syn_retry, slot, r.generation);
            return;
        }
        r.stage = Stage::queued;
        queue_.push(slot);
        max_queue_ = std::max<std::int64_t>(max_queue_, static_cast<std::int64_t>(queue_.size()));
    }

    void syn_retry(std::uint32_t slot, double now) {
        Request& r = requests_[slot];
        if (r.syn_drops > s_.load.syn_retries) {
            ++result_.errors.backlog_overflow;
            resolve(r, now);
            free_request(slot);
            return;
        }
        ++result_.syn_retries;
        connect(slot, now);
    }

    // ---- workers ----------------------------------------------------------------------
    void accept(std::uint32_t w, std::uint32_t slot, double now) {
        Worker& worker = workers_[w];
        Request& r = requests_[slot];
        worker.last_notify_s = now;  // sync.py notifies at the top of its loop, before accept()
        worker.state = WorkerState::busy;
        worker.request = slot;
        ++busy_workers_;
        r.worker = w;
        r.stage = Stage::serving;
        // handle_request() counts the request and decides to retire before calling the app.
        if (++worker.served >= worker.limit) worker.retiring = true;
        start_phase(slot, now);
    }

    // A worker is free: it takes the oldest queued connection at once, without select().
    void worker_free(std::uint32_t w, double now) {
        Worker& worker = workers_[w];
        worker.request = kNone;
        while (!queue_.empty()) {
            const std::uint32_t slot = queue_.pop();
            if (requests_[slot].client_gone) {
                // The client left while queued: the worker reads EOF (NoMoreData), closes,
                // and the request never reaches the app.
                free_request(slot);
                continue;
            }
            worker.last_notify_s = now;
            accept(w, slot, now);
            return;
        }
        worker.state = WorkerState::idle;
        worker.last_notify_s = now;
        idle_.push_back(w);
    }

    void start_phase(std::uint32_t slot, double now) {
        Request& r = requests_[slot];
        const Phase& phase = s_.request[r.phase];
        const double duration_s = samplers_[r.phase].draw(service_rng_);
        if (phase.kind == PhaseKind::cpu)
            cpu_.add(now, slot, duration_s);
        else
            events_.push(now + duration_s, EventKind::io_done, slot, r.generation);
    }

    void cpu_done(std::uint32_t slot, double now) {
        Request& r = requests_[slot];
        if (r.stage == Stage::loadgen_cpu)
            connect(slot, now);
        else
            phase_done(slot, now);
    }

    void phase_done(std::uint32_t slot, double now) {
        Request& r = requests_[slot];
        const std::uint32_t w = r.worker;
        if (workers_[w].aborted) {
            // Back in the interpreter after C code (libpq): the pending SIGABRT handler runs
            // and the worker exits without answering.
            worker_exits(w, now);
            return;
        }
        if (++r.phase < s_.request.size()) {
            start_phase(slot, now);
            return;
        }
        if (r.client_gone) {
            ++result_.served_after_client_left;
        } else {
            ++result_.completed;
            record_latency(now - r.sent_s, now);
            resolve(r, now);
        }
        free_request(slot);
        --busy_workers_;
        Worker& worker = workers_[w];
        if (worker.retiring) {
            // The loop ends after this request; the process exits and the master reaps it.
            worker.request = kNone;
            worker.state = WorkerState::dead;
            ++worker.generation;
            ++result_.worker_restarts;
            reaped(now);
        } else {
            worker_free(w, now);
        }
    }

    // The worker process ends (SIGABRT handled, or SIGKILL); its request is lost.
    void worker_exits(std::uint32_t w, double now) {
        Worker& worker = workers_[w];
        if (worker.state == WorkerState::busy) {
            const std::uint32_t slot = worker.request;
            Request& r = requests_[slot];
            if (cpu_.contains(slot)) cpu_.remove(now, slot);
            if (!r.client_gone) {
                ++result_.errors.worker_timeout;
                resolve(r, now);
            }
            free_request(slot);
            --busy_workers_;
        }
        worker.request = kNone;
        worker.state = WorkerState::dead;
        ++worker.generation;
        ++result_.worker_restarts;  // counted when the process ends: the master always replaces it
        reaped(now);
    }

    void worker_booted(std::uint32_t w, double now) {
        assert(workers_[w].state == WorkerState::booting);
        if (workers_[w].aborted) return;  // SIGABRT during boot: it exits, it never accepts
        worker_free(w, now);
    }

    std::int64_t draw_request_limit() {
        if (s_.server.max_requests <= 0) return std::numeric_limits<std::int64_t>::max();
        // base.py: max_requests + randint(0, jitter), inclusive, per worker incarnation.
        const auto jitter = static_cast<std::uint64_t>(s_.server.max_requests_jitter);
        return s_.server.max_requests + static_cast<std::int64_t>(master_rng_.below(jitter + 1));
    }

    // ---- the master (arbiter) ---------------------------------------------------------
    // SIGCHLD: the handler reaps at once and wakes the master's select().
    void reaped(double now) { request_master_wakeup(std::max(now, master_busy_until_s_)); }

    void request_master_wakeup(double at_s) {
        if (at_s >= master_next_s_) return;
        master_next_s_ = at_s;
        events_.push(at_s, EventKind::master_wakeup, 0, ++master_generation_);
    }

    void master_loop(double now) {
        murder_workers(now);
        double t = now;
        for (std::uint32_t w = 0; w < workers_.size(); ++w) {
            if (workers_[w].state != WorkerState::dead) continue;
            spawn(w, t);
            t += master_rng_.uniform() * kSpawnStaggerS;
        }
        master_busy_until_s_ = t;
        master_next_s_ = kInfinity;
        request_master_wakeup(t + s_.server.master_tick_s);
        if (now - last_resolution_s_ > kStallLimitS) stalled_ = true;
    }

    void murder_workers(double now) {
        if (s_.server.timeout_s <= 0) return;
        for (std::uint32_t w = 0; w < workers_.size(); ++w) {
            Worker& worker = workers_[w];
            if (worker.state == WorkerState::idle || worker.state == WorkerState::dead) continue;
            if (now - worker.last_notify_s <= s_.server.timeout_s) continue;
            if (worker.aborted) {  // still there on a later pass: SIGKILL
                worker_exits(w, now);
                continue;
            }
            worker.aborted = true;  // SIGABRT
            if (worker.state == WorkerState::booting || in_python(worker))
                events_.push(now + s_.server.kill_s, EventKind::worker_exit, w, worker.generation);
        }
    }

    // Python runs the SIGABRT handler at once only when the worker is executing Python; in
    // libpq (connecting, or waiting on pg_sleep) it runs after the call returns.
    bool in_python(const Worker& worker) const {
        const Request& r = requests_[worker.request];
        const Phase& phase = s_.request[r.phase];
        return phase.kind == PhaseKind::cpu && phase.owner == PhaseOwner::worker;
    }

    void spawn(std::uint32_t w, double fork_s) {
        Worker& worker = workers_[w];
        worker.state = WorkerState::booting;
        worker.aborted = false;
        worker.retiring = false;
        worker.served = 0;
        worker.limit = draw_request_limit();
        worker.last_notify_s = fork_s;  // the heartbeat file is made in the master at spawn
        events_.push(fork_s + s_.server.boot_s, EventKind::worker_booted, w, worker.generation);
    }

    // ---- request slots ----------------------------------------------------------------
    std::uint32_t allocate_request() {
        if (free_slots_.empty()) {
            if (static_cast<std::int64_t>(requests_.size()) >= options_.max_in_flight)
                throw InFlightLimitExceeded("more than " + std::to_string(options_.max_in_flight) +
                                        " connections in flight at once: the load is far beyond the server's "
                                        "capacity; lower the rate or the requests");
            requests_.emplace_back();
            return static_cast<std::uint32_t>(requests_.size() - 1);
        }
        const std::uint32_t slot = free_slots_.back();
        free_slots_.pop_back();
        return slot;
    }

    void free_request(std::uint32_t slot) {
        ++requests_[slot].generation;  // every pending event of this request is now stale
        free_slots_.push_back(slot);
    }

    // ---- statistics -------------------------------------------------------------------
    void record_latency(double latency_s, double now) {
        if (result_.completed > options_.discard_first_completions)
            latency_.record(latency_s);
        else if (result_.completed == options_.discard_first_completions)
            statistics_start_s_ = now;
        if (options_.batch_means_of <= 0) return;
        batch_sum_s_ += latency_s;
        if (++batch_count_ < options_.batch_means_of) return;
        latency_batches_.push_back(batch_sum_s_ / static_cast<double>(batch_count_));
        batch_sum_s_ = 0;
        batch_count_ = 0;
    }

    void sample(double t) {
        TimelinePoint p;
        p.time_s = t;
        p.accept_queue = static_cast<std::int64_t>(queue_.size());
        p.busy_workers = busy_workers_;
        for (const Worker& w : workers_)
            if (w.state == WorkerState::idle || w.state == WorkerState::busy) ++p.live_workers;
        p.completed = result_.completed;
        p.worker_timeouts = result_.errors.worker_timeout;
        p.worker_restarts = result_.worker_restarts;
        timeline_.push_back(p);
    }

    Simulation finish() {
        Result& r = result_;
        const double start = std::max(0.0, first_send_s_);
        const double end = last_resolution_s_;
        r.makespan_s = std::max(0.0, end - start);
        r.throughput_rps = r.makespan_s > 0 ? r.completed / r.makespan_s : 0.0;
        if (statistics_start_s_ > 0 && end > statistics_start_s_)  // steady state: after the warm-up
            r.throughput_rps = (r.completed - options_.discard_first_completions) / (end - statistics_start_s_);
        r.latency = latency_.summary();
        r.histogram = latency_.hey_buckets();
        const double span = clock_s_ - start;
        if (span > 0) {
            r.core_utilisation = cpu_.occupied_core_s(clock_s_) / (s_.host.cores * span);
            r.worker_utilisation = busy_worker_area_ / (s_.server.workers * span);
            r.mean_accept_queue = queue_area_ / span;
        }
        r.max_accept_queue = max_queue_;
        const int n = s_.server.workers;
        r.memory.master_kib = s_.memory.master_pss_kib(n);
        r.memory.per_worker_kib = s_.memory.worker_pss_kib(n);
        r.memory.workers_kib = n * r.memory.per_worker_kib;
        r.memory.total_kib = s_.memory.total_pss_kib(n);
        r.events = events_processed_;
        r.stalled = stalled_;
        // The pool's throughput bound (operational analysis): every worker busy, or the
        // cores saturated.
        const double cpu_s = s_.cpu_demand_s() + s_.load.loadgen_cpu_s;
        const double demand_s = s_.cpu_demand_s() + s_.io_demand_s();
        double capacity = demand_s > 0 ? n / demand_s : kInfinity;
        if (cpu_s > 0) capacity = std::min(capacity, s_.host.capacity(s_.host.cores) / cpu_s);
        r.capacity_rps = std::isfinite(capacity) ? capacity : 0.0;
        r.unstable = s_.load.kind == LoadKind::open && std::isfinite(capacity) && s_.load.rate_per_s >= capacity;
        return Simulation{r, std::move(timeline_), std::move(latency_batches_), statistics_start_s_};
    }

    const Scenario& s_;
    SimulationOptions options_;
    std::vector<Sampler> samplers_;
    Cores cpu_;
    AcceptQueue queue_;
    EventQueue events_;
    Rng arrivals_rng_, service_rng_, master_rng_;

    std::vector<Request> requests_;
    std::vector<std::uint32_t> free_slots_;
    std::vector<Worker> workers_;
    std::vector<std::uint32_t> idle_;       // LIFO: the most recently idle worker wins the wakeup
    std::vector<std::int64_t> remaining_;   // closed loop: requests each client has yet to send

    std::int64_t total_ = 0, resolved_ = 0, arrived_ = 0;
    double next_arrival_s_ = kInfinity;
    std::uint64_t next_arrival_order_ = 0;
    double first_send_s_ = -1, last_resolution_s_ = 0;
    double master_next_s_ = kInfinity, master_busy_until_s_ = 0;
    std::uint32_t master_generation_ = 0;
    bool stalled_ = false;

    Result result_;
    LatencyHistogram latency_;
    std::vector<TimelinePoint> timeline_;
    std::vector<double> latency_batches_;
    double batch_sum_s_ = 0, statistics_start_s_ = 0;
    std::int64_t batch_count_ = 0;
    double next_sample_s_ = kInfinity;
    double clock_s_ = 0, queue_area_ = 0, busy_worker_area_ = 0;
    std::int64_t busy_workers_ = 0, max_queue_ = 0, events_processed_ = 0;
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
