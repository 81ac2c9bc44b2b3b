#include "sim/statistics.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace workersim {

Statistics::Statistics(const SimulationOptions& options, std::size_t named_classes)
    : options_(options),
      clocks_(options.latency_breakdown),
      parts_(options.latency_breakdown ? kLatencyParts : 0),
      class_latency_(named_classes),
      class_completed_(named_classes, 0),
      class_parts_(options.latency_breakdown ? named_classes * kLatencyParts : 0),
      next_sample_s_(options.timeline_interval_s > 0 ? 0 : std::numeric_limits<double>::infinity()) {}

void Statistics::response(double latency_s, std::uint32_t slot, double now_s, std::uint16_t request_class) {
    ++result_.completed;
    if (!class_completed_.empty()) ++class_completed_[request_class];
    if (result_.completed > options_.discard_first_completions) {
        latency_.record(latency_s);
        if (!class_latency_.empty()) class_latency_[request_class].record(latency_s);
        if (clocks_.on()) {
            const TimeSpent& spent = clocks_.close(slot, now_s);
            const bool by_class = !class_parts_.empty();
            for (std::size_t i = 0; i < kLatencyParts; ++i) {
                const double part_s = std::max(0.0, spent.spent_s(static_cast<LatencyPart>(i)));
                parts_[i].record(part_s);
                if (by_class) class_parts_[request_class * kLatencyParts + i].record(part_s);
            }
        }
    } else if (result_.completed == options_.discard_first_completions)
        statistics_start_s_ = now_s;
    if (options_.batch_means_of <= 0) return;
    batch_sum_s_ += latency_s;
    if (++batch_count_ < options_.batch_means_of) return;
    latency_batches_.push_back(batch_sum_s_ / static_cast<double>(batch_count_));
    batch_sum_s_ = 0;
    batch_count_ = 0;
}

void Statistics::sample(std::int64_t accept_queue, std::int64_t busy_workers, std::int64_t live_workers) {
    TimelinePoint p;
    p.time_s = next_sample_s_;
    p.accept_queue = accept_queue;
    p.busy_workers = busy_workers;
    p.live_workers = live_workers;
    p.completed = result_.completed;
    p.worker_timeouts = result_.errors.worker_timeout;
    p.worker_restarts = result_.worker_restarts;
    timeline_.push_back(p);
    next_sample_s_ += options_.timeline_interval_s;
}

Simulation Statistics::finish(double start_s, double end_s, int workers) {
    Result& r = result_;
    r.makespan_s = std::max(0.0, end_s - start_s);
    r.throughput_rps = r.makespan_s > 0 ? r.completed / r.makespan_s : 0.0;
    if (statistics_start_s_ > 0 && end_s > statistics_start_s_)  // steady state: after the warm-up
        r.throughput_rps = (r.completed - options_.discard_first_completions) / (end_s - statistics_start_s_);
    r.latency = latency_.summary();
    // A class's throughput: its share of the responses in the span the total's is over (those
    // after the warm-up cut, as the latencies are).
    const std::int64_t counted = latency_.count();
    for (std::size_t c = 0; c < class_latency_.size(); ++c) {
        UrlResult u;
        u.completed = class_completed_[c];
        u.latency = class_latency_[c].summary();
        u.throughput_rps = counted > 0 ? r.throughput_rps * static_cast<double>(class_latency_[c].count()) /
                                             static_cast<double>(counted)
                                       : 0.0;
        u.breakdown.measured = !class_parts_.empty();
        for (std::size_t i = 0; u.breakdown.measured && i < kLatencyParts; ++i) {
            const LatencyHistogram& part = class_parts_[c * kLatencyParts + i];
            u.breakdown.parts[i] = LatencyPartSummary{part.mean_s(), part.quantile_s(0.99)};
        }
        r.per_url.push_back(u);
    }
    r.histogram = latency_.hey_buckets();
    r.breakdown.measured = !parts_.empty();
    for (std::size_t i = 0; i < parts_.size(); ++i)
        r.breakdown.parts[i] = LatencyPartSummary{parts_[i].mean_s(), parts_[i].quantile_s(0.99)};
    const double span = clock_s_ - start_s;
    if (span > 0) {
        r.worker_utilisation = busy_worker_area_ / (workers * span);
        r.mean_accept_queue = queue_area_ / span;
    }
    r.events = events_;
    return Simulation{r, std::move(timeline_), std::move(latency_batches_), statistics_start_s_};
}

}  // namespace workersim
