#include "report/analytic_prediction.hpp"

#include <string>

#include "model/mva.hpp"
#include "model/result_json.hpp"
#include "report/prediction.hpp"
#include "report/text_format.hpp"

namespace workersim::report {

namespace {

std::string approximate_what(bool open_load) {
    return open_load ? "throughput and means: M/G/c approximation (Erlang C, Allen-Cunneen); percentiles: approximate"
                     : "throughput and mean latency: exact in steady state (MVA); percentiles: approximate";
}

void print_notes(std::ostream& out, bool open_load) {
    out << "\nAnalytic (mva): " << approximate_what(open_load) << ".\n";
    print_wrapped(out,
                  std::string("It is the steady state: a finite hey run (-n/-c) fires every client at t = 0 and has a "
                              "start-up transient the model does not see. How percentiles are derived: ") +
                      kAnalyticPercentileNote + ".",
                  96);
}

}  // namespace

nlohmann::json analytic_json(const Result& mva, bool open_load) {
    nlohmann::json j = to_json(mva);
    j["method"] = "mva";
    j["approximate"] = approximate_what(open_load) + "; steady state; " + kAnalyticPercentileNote;
    return j;
}

nlohmann::json side_by_side_json(const Result& sim, const Result& mva, bool open_load) {
    return {{"sim", to_json(sim)}, {"mva", analytic_json(mva, open_load)}};
}

void print_analytic(std::ostream& out, const Result& mva, bool open_load) {
    print_hey_style(out, mva);
    print_notes(out, open_load);
}

void print_side_by_side(std::ostream& out, const Result& sim, const Result& mva, bool open_load) {
    struct Row {
        const char* name;
        double sim, mva;
        int decimals;
    };
    const Row rows[] = {
        {"Requests/sec", sim.throughput_rps, mva.throughput_rps, 4},
        {"Total (secs)", sim.makespan_s, mva.makespan_s, 4},
        {"Average (secs)", sim.latency.mean_s, mva.latency.mean_s, 4},
        {"50% in (secs)", sim.latency.p50_s, mva.latency.p50_s, 4},
        {"90% in (secs)", sim.latency.p90_s, mva.latency.p90_s, 4},
        {"95% in (secs)", sim.latency.p95_s, mva.latency.p95_s, 4},
        {"99% in (secs)", sim.latency.p99_s, mva.latency.p99_s, 4},
        {"99.9% in (secs)", sim.latency.p999_s, mva.latency.p999_s, 4},
        {"Cores busy (%)", 100 * sim.core_utilisation, 100 * mva.core_utilisation, 1},
        {"Workers busy (%)", 100 * sim.worker_utilisation, 100 * mva.worker_utilisation, 1},
        {"Accept queue (mean)", sim.mean_accept_queue, mva.mean_accept_queue, 2},
    };
    out << "\n" << std::string(22, ' ') << "         sim          mva\n";
    for (const Row& r : rows)
        out << "  " << pad_right(r.name, 20) << pad_left(fixed(r.sim, r.decimals), 12) << " "
            << pad_left(fixed(r.mva, r.decimals), 12) << "\n";
    out << "  Memory (PSS total)  " << format_kib(sim.memory.total_kib) << "\n";
    if (sim.errors.total() > 0) out << "  Errors (sim)        " << sim.errors.total() << "\n";
    if (sim.unstable || mva.unstable) print_unstable(out, sim.capacity_rps);
    print_notes(out, open_load);
}

}  // namespace workersim::report
