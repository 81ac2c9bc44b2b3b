#pragma once
// What the run observes, streamed as it happens: the counts of outcomes, the response times
// (after the warm-up cut), their batch means for MSER-5, time-weighted queue and busy-worker
// areas, and the optional timeline. Nothing per request is kept.

#include <cstdint>
#include <vector>

#include "model/result.hpp"
#include "sim/latency_histogram.hpp"
#include "sim/simulator.hpp"
#include "sim/request_clocks.hpp"

namespace workersim {

class Statistics {
public:
    // named_classes: the scenario's request classes (Scenario::request_classes), each observed
    // on its own as well; 0 for a scenario without them.
    Statistics(const SimulationOptions& options, std::size_t named_classes);

    // Outcomes, each counted once where it happens.
    // Completed, the client still waiting; the request's clock is closed on it. request_class:
    // the scenario's request class (0 without named classes).
    void response(double latency_s, std::uint32_t slot, double now_s, std::uint16_t request_class);

    // Where each request's time goes: on when SimulationOptions::latency_breakdown.
    RequestClocks& clocks() { return clocks_; }
    void served_after_client_left() { ++result_.served_after_client_left; }
    void client_timeout() { ++result_.errors.client_timeout; }
    void backlog_overflow() { ++result_.errors.backlog_overflow; }
    void syn_retry() { ++result_.syn_retries; }
    void worker_timeout() { ++result_.errors.worker_timeout; }
    void worker_restart() { ++result_.worker_restarts; }

    // Before the event at now_s takes effect: the areas grow by the state that held since the
    // last event. Timeline samples due by now_s are taken first, of that same state.
    bool sample_due(double now_s) const { return next_sample_s_ <= now_s; }
    double next_sample_s() const { return next_sample_s_; }
    [[gnu::noinline]] void sample(std::int64_t accept_queue, std::int64_t busy_workers, std::int64_t live_workers);
    // The queue's length comes signed: an unsigned one converts to double through a branch
    // and a fix-up, on every event.
    void advance(double now_s, std::int64_t accept_queue, std::int64_t busy_workers) {
        const double dt = now_s - clock_s_;
        queue_area_ += dt * static_cast<double>(accept_queue);
        busy_worker_area_ += dt * busy_workers;
        clock_s_ = now_s;
        ++events_;
    }

    double clock_s() const { return clock_s_; }
    std::int64_t completed() const { return result_.completed; }

    // The counts, latency summary, histogram and time averages over [start_s, clock_s()];
    // throughput over [start_s, end_s] or, after a warm-up cut, from the cut on.
    Simulation finish(double start_s, double end_s, int workers);

private:
    SimulationOptions options_;
    Result result_;
    LatencyHistogram latency_;
    RequestClocks clocks_;
    std::vector<LatencyHistogram> parts_;  // per LatencyPart, when asked for the breakdown
    std::vector<LatencyHistogram> class_latency_;  // after the warm-up cut, like latency_
    std::vector<std::int64_t> class_completed_;
    // class c's part i at c * kLatencyParts + i, when asked for the breakdown and classes are named
    std::vector<LatencyHistogram> class_parts_;
    std::vector<TimelinePoint> timeline_;
    std::vector<double> latency_batches_;
    double batch_sum_s_ = 0;
    std::int64_t batch_count_ = 0;
    double statistics_start_s_ = 0;
    double next_sample_s_;
    double clock_s_ = 0, queue_area_ = 0, busy_worker_area_ = 0;
    std::int64_t events_ = 0;
};

}  // namespace workersim
