#include "report/prediction.hpp"

#include <algorithm>
#include <string>

#include "report/text_format.hpp"

namespace workersim::report {

namespace {

void print_histogram(std::ostream& out, const std::vector<HistogramBucket>& histogram) {
    if (histogram.empty()) return;
    out << "\nResponse time histogram:\n";
    std::int64_t most = 1;
    for (const auto& b : histogram) most = std::max(most, b.count);
    for (const auto& b : histogram) {
        const auto bar = static_cast<std::size_t>(40.0 * static_cast<double>(b.count) / static_cast<double>(most));
        std::string bars;
        for (std::size_t i = 0; i < bar; ++i) bars += "\u25A0";
        out << "  " << fixed(b.upper_s, 3) << " [" << b.count << "]\t|" << bars << "\n";
    }
}

// What hey cannot see: errors by cause, restarts, utilisation, the accept queue, memory.
void print_server_side(std::ostream& out, const Result& r) {
    out << "\nResponses:\t" << r.completed << " completed";
    if (r.errors.total() > 0)
        out << ", " << r.errors.total() << " errors (worker timeout " << r.errors.worker_timeout
            << ", backlog overflow " << r.errors.backlog_overflow << ", client timeout " << r.errors.client_timeout
            << ")";
    out << "\n";
    if (r.worker_restarts > 0) out << "Worker restarts:\t" << r.worker_restarts << "\n";
    if (r.syn_retries > 0) out << "SYN retries:\t" << r.syn_retries << " (backlog full)\n";
    if (r.served_after_client_left > 0)
        out << "Served after the client left:\t" << r.served_after_client_left << "\n";
    out << "Utilisation:\tcores " << fixed(100 * r.core_utilisation, 1) << "%, workers "
        << fixed(100 * r.worker_utilisation, 1) << "%\n"
        << "Accept queue:\tmean " << fixed(r.mean_accept_queue, 2) << ", max " << r.max_accept_queue << "\n"
        << "Memory (PSS):\tmaster " << format_kib(r.memory.master_kib) << ", workers "
        << format_kib(r.memory.workers_kib) << " (" << format_kib(r.memory.per_worker_kib) << " each), total "
        << format_kib(r.memory.total_kib) << "\n";
}

// Each URL's share of the requests, throughput and latency (a scenario with request classes).
void print_per_url(std::ostream& out, const std::vector<UrlResult>& per_url) {
    if (per_url.empty()) return;
    out << "\nBy URL:\t(share, requests/sec, mean, p99)\n";
    for (const UrlResult& u : per_url)
        out << "  " << u.path << "\t" << fixed(100 * u.share, 1) << "%\t" << fixed(u.throughput_rps, 4) << "\t"
            << fixed(u.latency.mean_s, 4) << " secs\t" << fixed(u.latency.p99_s, 4) << " secs\n";
}

// Each URL's own split, in the parts the whole run spends time in: a row of means and a row of
// p99s per URL (a scenario with request classes).
void print_breakdown_per_url(std::ostream& out, const Result& r) {
    if (r.per_url.empty() || !r.per_url.front().breakdown.measured) return;
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < kLatencyParts; ++i)
        if (r.breakdown.parts[i].mean_s > 0 || r.breakdown.parts[i].p99_s > 0) shown.push_back(i);
    std::size_t path_width = 8;
    for (const UrlResult& u : r.per_url) path_width = std::max(path_width, u.path.size() + 6);
    out << "\nBy URL (seconds):\n  " << pad_right("url", path_width);
    for (std::size_t i : shown) out << pad_left(latency_part_name(static_cast<LatencyPart>(i)), 14);
    out << "\n";
    for (const UrlResult& u : r.per_url) {
        out << "  " << pad_right(u.path + " mean", path_width);
        for (std::size_t i : shown) out << pad_left(fixed(u.breakdown.parts[i].mean_s, 4), 14);
        out << "\n  " << pad_right(u.path + " p99", path_width);
        for (std::size_t i : shown) out << pad_left(fixed(u.breakdown.parts[i].p99_s, 4), 14);
        out << "\n";
    }
}

}  // namespace

void print_unstable(std::ostream& out, double capacity_rps) {
    out << "UNSTABLE:\tthe offered load exceeds the pool's capacity of about " << fixed(capacity_rps, 2)
        << " req/s; the backlog grows without bound\n";
}

void print_hey_style(std::ostream& out, const Result& r) {
    const LatencySummary& l = r.latency;
    out << "\nSummary:\n"
        << "  Total:\t" << fixed(r.makespan_s, 4) << " secs\n"
        << "  Slowest:\t" << fixed(l.max_s, 4) << " secs\n"
        << "  Fastest:\t" << fixed(l.min_s, 4) << " secs\n"
        << "  Average:\t" << fixed(l.mean_s, 4) << " secs\n"
        << "  Requests/sec:\t" << fixed(r.throughput_rps, 4) << "\n";
    print_histogram(out, r.histogram);
    out << "\nLatency distribution:\n"
        << "  50% in " << fixed(l.p50_s, 4) << " secs\n"
        << "  90% in " << fixed(l.p90_s, 4) << " secs\n"
        << "  95% in " << fixed(l.p95_s, 4) << " secs\n"
        << "  99% in " << fixed(l.p99_s, 4) << " secs\n"
        << "  99.9% in " << fixed(l.p999_s, 4) << " secs\n";
    print_per_url(out, r.per_url);
    print_server_side(out, r);
    if (r.unstable) print_unstable(out, r.capacity_rps);
    if (r.stalled) out << "STALLED:\tno client heard anything for a simulated day; the run was stopped\n";
}

void print_breakdown(std::ostream& out, const Result& r, bool gthread) {
    const LatencyBreakdown& b = r.breakdown;
    if (!b.measured || r.completed == 0) return;
    double sum_s = 0;
    for (const LatencyPartSummary& part : b.parts) sum_s += part.mean_s;
    out << "\nWhere the time goes (per response):\n"
        << "  part          " << pad_left("mean", 12) << pad_left("p99", 12) << pad_left("share", 8) << "\n";
    for (std::size_t i = 0; i < kLatencyParts; ++i) {
        const LatencyPartSummary& part = b.parts[i];
        if (part.mean_s <= 0 && part.p99_s <= 0) continue;
        out << "  " << pad_right(latency_part_name(static_cast<LatencyPart>(i)), 14)
            << pad_left(fixed(part.mean_s, 4) + " s", 12) << pad_left(fixed(part.p99_s, 4) + " s", 12)
            << pad_left(fixed(sum_s > 0 ? 100 * part.mean_s / sum_s : 0, 1) + "%", 8) << "\n";
    }
    out << "  the means add up to " << fixed(sum_s, 4) << " s, the mean latency; p99s do not add\n";
    print_breakdown_per_url(out, r);
    out << "Limited by:\t" << what_limits(b, r.core_utilisation, gthread) << "\n";
}

void print_brief(std::ostream& out, const Result& r) {
    out << "    throughput " << fixed(r.throughput_rps, 2) << " req/s; latency mean " << fixed(r.latency.mean_s, 3)
        << " s, p50 " << fixed(r.latency.p50_s, 3) << " s, p90 " << fixed(r.latency.p90_s, 3) << " s, p99 "
        << fixed(r.latency.p99_s, 3) << " s\n"
        << "    cores " << fixed(100 * r.core_utilisation, 1) << "% busy, workers "
        << fixed(100 * r.worker_utilisation, 1) << "% busy; memory (PSS) " << format_kib(r.memory.total_kib) << "\n";
    for (const UrlResult& u : r.per_url)
        out << "    " << u.path << ": " << fixed(u.throughput_rps, 2) << " req/s, mean " << fixed(u.latency.mean_s, 3)
            << " s, p99 " << fixed(u.latency.p99_s, 3) << " s\n";
    if (r.unstable)
        out << "    UNSTABLE: the offered load exceeds this pool's capacity (about " << fixed(r.capacity_rps, 2)
            << " req/s); the backlog grows without bound\n";
    if (r.errors.total() > 0) out << "    errors: " << r.errors.total() << " of the simulated requests failed\n";
}

}  // namespace workersim::report
