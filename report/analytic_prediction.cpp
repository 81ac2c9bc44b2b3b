#include "report/analytic_prediction.hpp"

#include <string>

#include "model/mva.hpp"
#include "model/result_json.hpp"
#include "report/prediction.hpp"
#include "report/text_format.hpp"

namespace workersim::report {

namespace {

std::string approximate_what(AnalyticModel model) {
    if (model.gthread)
        return std::string("throughput and means: approximate (gthread: a per-process GIL station beside the cores, "
                           "requests spread evenly over the processes, keep-alive off, GIL switch-interval waits "
                           "left out; ") +
               (model.open_load ? "open load: M/G/c over the threads" : "closed MVA") + "); percentiles: approximate";
    return model.open_load
               ? "throughput and means: M/G/c approximation (Erlang C, Allen-Cunneen); percentiles: approximate"
               : "throughput and mean latency: exact in steady state (MVA); percentiles: approximate";
}

void print_notes(std::ostream& out, AnalyticModel model) {
    // The sync notes fit a line as they always printed; gthread's longer one is wrapped.
    if (model.gthread) {
        out << "\n";
        print_wrapped(out, "Analytic (mva): " + approximate_what(model) + ".", 96);
    }
    else out << "\nAnalytic (mva): " << approximate_what(model) << ".\n";
    print_wrapped(out,
                  std::string("It is the steady state: a finite hey run (-n/-c) fires every client at t = 0 and has a "
                              "start-up transient the model does not see. How percentiles are derived: ") +
                      kAnalyticPercentileNote + ".",
                  96);
}

}  // namespace

AnalyticModel analytic_model_of(const Scenario& s) {
    return {s.load.kind == LoadKind::open, effective_worker_class(s.server) == WorkerClass::gthread};
}

nlohmann::json analytic_json(const Result& mva, AnalyticModel model) {
    nlohmann::json j = to_json(mva);
    j["method"] = "mva";
    j["approximate"] = approximate_what(model) + "; steady state; " + kAnalyticPercentileNote;
    return j;
}

nlohmann::json side_by_side_json(const Result& sim, const Result& mva, AnalyticModel model) {
    return {{"sim", to_json(sim)}, {"mva", analytic_json(mva, model)}};
}

void print_analytic(std::ostream& out, const Result& mva, AnalyticModel model) {
    print_hey_style(out, mva);
    print_notes(out, model);
}

void print_side_by_side(std::ostream& out, const Result& sim, const Result& mva, AnalyticModel model) {
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
    print_notes(out, model);
}

}  // namespace workersim::report
