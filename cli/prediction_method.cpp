#include "cli/prediction_method.hpp"

#include <cstdio>
#include <string>

#include "cli/report.hpp"
#include "cli/usage_error.hpp"
#include "model/mva.hpp"
#include "model/result_json.hpp"

namespace workersim::cli {

namespace {

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string approximate_what(bool open_load) {
    return open_load ? "throughput and means: M/G/c approximation (Erlang C, Allen-Cunneen); percentiles: approximate"
                     : "throughput and mean latency: exact in steady state (MVA); percentiles: approximate";
}

// Greedy word wrap with an indent, for the long notes.
void print_wrapped(std::ostream& out, const std::string& text, std::size_t width) {
    std::size_t column = 0, start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (column > 0 && column + 1 + word.size() > width) {
            out << "\n";
            column = 0;
        }
        out << (column == 0 ? "  " : " ") << word;
        column += word.size() + (column == 0 ? 2 : 1);
        start = end + 1;
    }
    out << "\n";
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

boost::program_options::options_description method_options() {
    boost::program_options::options_description o("Method");
    o.add_options()("method", boost::program_options::value<std::string>(),
                    "sim (discrete-event simulation), mva (analytic, steady state, instant) or both side by side "
                    "(default sim)");
    return o;
}

PredictionMethod method_from(const boost::program_options::variables_map& vm) {
    if (!vm.count("method")) return PredictionMethod::sim;
    const std::string m = vm["method"].as<std::string>();
    if (m == "sim") return PredictionMethod::sim;
    if (m == "mva") return PredictionMethod::mva;
    if (m == "both") return PredictionMethod::both;
    throw UsageError("--method " + m + ": expected sim, mva or both");
}

nlohmann::json analytic_json(const Result& mva, bool open_load) {
    nlohmann::json j = to_json(mva);
    j["method"] = "mva";
    j["approximate"] = approximate_what(open_load) + "; steady state; " + kAnalyticPercentileNote;
    return j;
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
    for (const Row& r : rows) {
        const std::string s = fixed(r.sim, r.decimals), m = fixed(r.mva, r.decimals);
        out << "  " << r.name << std::string(20 - std::string(r.name).size(), ' ') << std::string(12 - s.size(), ' ')
            << s << " " << std::string(12 - m.size(), ' ') << m << "\n";
    }
    out << "  Memory (PSS total)  " << format_kib(sim.memory.total_kib) << "\n";
    if (sim.errors.total() > 0) out << "  Errors (sim)        " << sim.errors.total() << "\n";
    if (sim.unstable || mva.unstable)
        out << "UNSTABLE:\tthe offered load exceeds the pool's capacity of about " << fixed(sim.capacity_rps, 2)
            << " req/s; the backlog grows without bound\n";
    print_notes(out, open_load);
}

}  // namespace workersim::cli
