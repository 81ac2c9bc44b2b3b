#include "report/replicated_prediction.hpp"

#include <algorithm>
#include <string>

#include "model/replicated_result_json.hpp"
#include "model/result_json.hpp"
#include "report/calibration.hpp"
#include "report/prediction.hpp"
#include "report/text_format.hpp"

namespace workersim::report {

namespace {

void print_warmup(std::ostream& out, const ReplicatedResult& r) {
    const WarmupRemoval& w = r.warmup;
    if (!w.requested) return;
    if (w.no_steady_state) {
        out << "\nSteady state: none (open load at or beyond capacity); no warm-up removed.\n";
        return;
    }
    const bool one = r.replications == 1;
    out << "\nSteady state: warm-up removed by MSER-5: the first " << fixed(w.mean_discarded, one ? 0 : 1)
        << " responses" << (one ? "" : " per replication on average") << ", up to " << fixed(w.mean_until_s, 3)
        << " s" << (one ? "" : " on average") << ", are not in the figures above.\n";
    if (w.too_long > 0)
        out << "  Warning: in " << w.too_long << " of " << r.replications
            << " runs the transient may be longer than half the run: raise -n.\n";
}

}  // namespace

void print_prediction(std::ostream& out, const SimulatedPrediction& p) {
    out << "workersim: " << p.workers << " " << worker_class_name(p.worker_class) << " worker"
        << (p.workers == 1 ? "" : "s");
    if (p.worker_class == WorkerClass::gthread) out << " x " << p.threads << " thread" << (p.threads == 1 ? "" : "s");
    out << " on " << p.cores << " core" << (p.cores == 1 ? "" : "s") << ", calibration '" << p.profile.name << "'\n";
    if (const std::string line = calibration_line(p.profile, p.embedded_profile); !line.empty())
        out << "  " << line << "\n";
    print_hey_style(out, p.replicated.representative);
    print_breakdown(out, p.replicated.representative, p.worker_class == WorkerClass::gthread);
    print_confidence(out, p.replicated);
    if (p.with_profile_drawn) print_profile_uncertainty(out, p.replicated, *p.with_profile_drawn);
}

nlohmann::json prediction_json(const SimulatedPrediction& p) {
    const ReplicatedResult& r = p.replicated;
    nlohmann::json out = r.replications > 1 || r.warmup.requested ? to_json(r) : to_json(r.representative);
    out["calibration"] = calibration_json(p.profile);
    if (r.representative.breakdown.measured)
        out["limited_by"] = what_limits(r.representative.breakdown, r.representative.core_utilisation,
                                        p.worker_class == WorkerClass::gthread);
    // gthread runs only: a sync prediction's JSON stays as it was.
    if (p.worker_class == WorkerClass::gthread) {
        out["worker_class"] = worker_class_name(p.worker_class);
        out["threads"] = p.threads;
    }
    if (p.with_profile_drawn) out["with_profile_uncertainty"] = to_json(*p.with_profile_drawn);
    return out;
}

void print_confidence(std::ostream& out, const ReplicatedResult& r) {
    print_warmup(out, r);
    if (r.replications <= 1) return;
    out << "\nConfidence (95%, " << r.replications << " replications; \u00B1 the mean's interval, sd one run's spread):\n";
    const auto line = [&out](const char* name, const Estimate& e, int decimals, const char* unit) {
        out << "  " << name << "\t" << fixed(e.mean, decimals) << " \u00B1 " << fixed(e.ci95_half_width, decimals) << unit
            << "\t(sd " << fixed(e.sd, decimals) << ")\n";
    };
    line("Requests/sec:", r.throughput_rps, 4, "");
    line("Total:", r.makespan_s, 4, " secs");
    line("Average:", r.latency.mean_s, 4, " secs");
    line("50% in", r.latency.p50_s, 4, " secs");
    line("90% in", r.latency.p90_s, 4, " secs");
    line("95% in", r.latency.p95_s, 4, " secs");
    line("99% in", r.latency.p99_s, 4, " secs");
    if (r.precision_target > 0) {
        out << "  Precision:\t" << (r.precision_reached ? "reached " : "NOT reached ") << fixed(100 * r.precision_target, 3)
            << "%";
        if (!r.precision_reached) out << " (stopped at the cap of " << r.replications << " replications)";
        out << "\n";
    }
}

void print_profile_uncertainty(std::ostream& out, const ReplicatedResult& fitted, const ReplicatedResult& drawn) {
    out << "\nWith the calibration's uncertainty (" << drawn.replications
        << " replications, each with the profile's values drawn from value \u00B1 standard error):\n";
    const auto line = [&out](const char* name, const Estimate& with, const Estimate& without, const char* unit) {
        const double share = with.sd > 0 ? std::max(0.0, 1 - (without.sd * without.sd) / (with.sd * with.sd)) : 0;
        out << "  " << name << "\t" << fixed(with.mean, 4) << " \u00B1 " << fixed(with.ci95_half_width, 4) << unit
            << "\t(sd " << fixed(with.sd, 4) << "; " << fixed(100 * share, 0) << "% of its variance the calibration's)\n";
    };
    line("Requests/sec:", drawn.throughput_rps, fitted.throughput_rps, "");
    line("Average:", drawn.latency.mean_s, fitted.latency.mean_s, " secs");
    line("99% in", drawn.latency.p99_s, fitted.latency.p99_s, " secs");
}

}  // namespace workersim::report
