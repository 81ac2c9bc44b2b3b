#include "report/sweep.hpp"

#include <nlohmann/json.hpp>

#include "model/result_json.hpp"
#include "report/analytic_prediction.hpp"
#include "report/text_format.hpp"

namespace workersim::report {

namespace {

struct Method {
    const char* name;
    const std::vector<Result>* results;
};

// The methods that ran, the simulator first.
std::vector<Method> methods(const Sweep& sweep) {
    std::vector<Method> ran;
    if (!sweep.sim.empty()) ran.push_back({"sim", &sweep.sim});
    if (!sweep.mva.empty()) ran.push_back({"mva", &sweep.mva});
    return ran;
}

// Right-aligned in `width` columns, and always a space before it.
std::string cell(const std::string& text, std::size_t width) { return " " + pad_left(text, width - 1); }

}  // namespace

void print_sweep_json_lines(std::ostream& out, const Sweep& sweep) {
    const std::vector<Method> ran = methods(sweep);
    for (std::size_t i = 0; i < sweep.points.size(); ++i)
        for (const Method& m : ran) {
            nlohmann::json line;
            for (std::size_t k = 0; k < sweep.keys.size(); ++k) line[sweep.keys[k]] = sweep.points[i][k];
            line["method"] = m.name;
            const Result& r = (*m.results)[i];
            line.update(std::string(m.name) == "mva" ? analytic_json(r, sweep.analytic[i]) : to_json(r));
            line.update(sweep.echo);
            out << line.dump() << "\n";
        }
}

void print_sweep_csv(std::ostream& out, const Sweep& sweep) {
    for (const std::string& key : sweep.keys) out << key << ",";
    out << "method,throughput_rps,mean_s,p50_s,p90_s,p99_s,core_utilisation,worker_utilisation,"
           "mean_accept_queue,memory_total_kib,errors,unstable\n";
    const std::vector<Method> ran = methods(sweep);
    for (std::size_t i = 0; i < sweep.points.size(); ++i)
        for (const Method& m : ran) {
            const Result& r = (*m.results)[i];
            for (double v : sweep.points[i]) out << general(v) << ",";
            out << m.name << "," << r.throughput_rps << "," << r.latency.mean_s << "," << r.latency.p50_s << ","
                << r.latency.p90_s << "," << r.latency.p99_s << "," << r.core_utilisation << "," << r.worker_utilisation
                << "," << r.mean_accept_queue << "," << r.memory.total_kib << "," << r.errors.total() << ","
                << (r.unstable ? "true" : "false") << "\n";
        }
}

void print_sweep_table(std::ostream& out, const Sweep& sweep) {
    const std::vector<Method> ran = methods(sweep);
    for (const std::string& key : sweep.keys) out << cell(key, 10);
    for (const Method& m : ran) {
        const std::string name = m.name;
        out << "  " << name << ":req/s" << "  " << name << ":mean_s" << "   " << name << ":p99_s";
    }
    out << "   cores%  workers%   memory\n";
    for (std::size_t i = 0; i < sweep.points.size(); ++i) {
        for (double v : sweep.points[i]) out << cell(general(v), 10);
        for (const Method& m : ran) {
            const Result& r = (*m.results)[i];
            out << cell(fixed(r.throughput_rps, 3), 11) << cell(fixed(r.latency.mean_s, 4), 11)
                << cell(fixed(r.latency.p99_s, 4), 11);
        }
        const Result& r = (*ran.front().results)[i];
        out << "  " << cell(fixed(100 * r.core_utilisation, 1), 7) << "  " << cell(fixed(100 * r.worker_utilisation, 1), 8)
            << "  " << fixed(r.memory.total_kib / 1024, 1) << " MiB" << (r.unstable ? "  UNSTABLE" : "")
            << (r.errors.total() > 0 ? "  errors " + std::to_string(r.errors.total()) : "") << "\n";
    }
    if (!sweep.mva.empty()) out << "\nmva: steady state; percentiles approximate (see predict --method mva)\n";
}

}  // namespace workersim::report
