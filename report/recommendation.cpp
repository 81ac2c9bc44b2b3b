#include "report/recommendation.hpp"

#include "model/result_json.hpp"
#include "report/prediction.hpp"
#include "report/text_format.hpp"

namespace workersim::report {

namespace {

// "16 workers" under sync; "1 process x 16 threads" under gthread.
std::string processes_text(WorkerClass worker_class, int processes, int threads) {
    const std::string n = std::to_string(processes);
    if (worker_class == WorkerClass::sync) return n + (processes == 1 ? " worker" : " workers");
    return n + (processes == 1 ? " process" : " processes") + " x " + std::to_string(threads) +
           (threads == 1 ? " thread" : " threads");
}

// "1, 2, 4, 8": the thread counts a gthread search ran.
std::string thread_counts_text(const Recommendation& rec) {
    std::string text;
    for (const ThreadCountResult& t : rec.by_threads) text += (text.empty() ? "" : ", ") + std::to_string(t.threads);
    return text;
}

}  // namespace

std::string limit_name(Limit limit) {
    switch (limit) {
        case Limit::cores: return "cores";
        case Limit::memory: return "memory";
        case Limit::slo: return "slo";
        case Limit::clients: return "clients";
        case Limit::load: return "load";
        case Limit::max_workers: return "max_workers";
    }
    return "unknown";
}

std::string objective_text(const RecommendQuery& q, WorkerClass worker_class) {
    const std::string fewest = worker_class == WorkerClass::gthread ? "the least memory" : "the fewest workers";
    std::string text;
    if (q.slo_p99_s) text += "p99 <= " + fixed(*q.slo_p99_s, 3) + " s";
    if (q.slo_mean_s) text += std::string(text.empty() ? "" : " and ") + "mean <= " + fixed(*q.slo_mean_s, 3) + " s";
    if (text.empty()) text = "maximum throughput with " + fewest + " (within 1% of the best)";
    else text += ", then " + fewest;
    return text;
}

std::string configuration_text(const Recommendation& rec) {
    return processes_text(rec.worker_class, rec.workers, rec.threads);
}

std::string advice_text(const Advice& a, const RecommendQuery& q) {
    switch (a.remedy) {
        case Remedy::add_memory: {
            const std::string needed = a.threads > 0 ? processes_text(WorkerClass::gthread, a.workers, a.threads)
                                                     : std::to_string(a.workers) + " workers";
            std::string text = "needs " + needed + ": " + format_kib_rounded(a.memory_kib) + " of PSS";
            if (q.memory_kib) text += " against a budget of " + format_kib_rounded(*q.memory_kib);
            if (a.beyond_max_workers) text += " (and --max-workers >= " + std::to_string(a.workers) + ")";
            return text + "; add memory";
        }
        case Remedy::overlap_io:
            return "or use a worker class that overlaps IO (gthread: --threads, or gevent) so fewer processes hold "
                   "the waiting requests";
        case Remedy::add_cores: return "needs " + std::to_string(a.cores) + " cores: add cores";
        case Remedy::cheaper_request:
            return "the request's CPU alone misses the objective: make it cheaper or relax the objective";
    }
    return "";
}

namespace {

bool gthread(const Recommendation& rec) { return rec.worker_class == WorkerClass::gthread; }

// What was searched, as the verdict's "nothing in ..." and the header's screening line say it.
std::string search_space_text(const RecommendQuery& q, const Recommendation& rec) {
    if (!gthread(rec)) return "1.." + std::to_string(q.max_workers) + " workers";
    return "1.." + std::to_string(q.max_workers) + " processes x " + thread_counts_text(rec) + " threads";
}

std::string screening_text(const RecommendQuery& q, const Recommendation& rec) {
    return std::string(gthread(rec) ? "bounds over " : "analytic screening of ") + search_space_text(q, rec) +
           ", then " + std::to_string(rec.simulations) + " simulated runs";
}

void print_verdict(std::ostream& out, const RecommendQuery& q, const Recommendation& rec) {
    if (rec.feasible) {
        out << "Recommended: " << configuration_text(rec) << (gthread(rec) ? " (gthread; limited by " : " (limited by ")
            << limit_name(rec.limited_by) << ")\n";
    } else {
        out << "NOT FEASIBLE: nothing in " << search_space_text(q, rec) << " meets the objective within the budget"
            << " (limited by " << limit_name(rec.limited_by) << ")\n";
        if (rec.workers > 0)
            out << "  best achievable: " << (gthread(rec) ? configuration_text(rec) : std::to_string(rec.workers) + " workers")
                << "\n";
    }
    if (rec.workers > 0) print_brief(out, rec.predicted);
    if (q.memory_kib) {
        const std::string each = gthread(rec) ? " processes of " + std::to_string(rec.threads) + " threads" : " workers";
        out << "  memory budget " << format_kib(*q.memory_kib)
            << (rec.max_workers_in_memory == q.max_workers ? " fits every count up to --max-workers, " : " fits at most ")
            << rec.max_workers_in_memory << each << "\n";
    }
    for (const Advice& a : rec.advice) out << "  -> " << advice_text(a, q) << "\n";
}

// gthread: each thread count at its fewest processes, the table the choice was made from.
void print_by_threads(std::ostream& out, const Recommendation& rec) {
    out << "\nEach thread count at its fewest processes meeting the objective:\n"
        << "  threads  processes  throughput     mean s     p99 s  memory (PSS)\n";
    for (const ThreadCountResult& t : rec.by_threads) {
        out << "  " << pad_left(std::to_string(t.threads), 7) << "  ";
        if (t.processes == 0) {
            out << pad_left("-", 9) << "  none of 1.." << t.max_processes_in_memory << " processes meets it\n";
            continue;
        }
        out << pad_left(std::to_string(t.processes), 9) << "  " << pad_left(fixed(t.throughput_rps, 2), 6) << " req/s"
            << pad_left(fixed(t.mean_s, 3), 11) << pad_left(fixed(t.p99_s, 3), 10) << "  " << format_kib(t.memory_kib)
            << "\n";
    }
}

void print_rule_of_thumb(std::ostream& out, const Recommendation& rec) {
    out << "\nRule of thumb, (2 x cores) + 1 = " << rec.rule_of_thumb_workers << (gthread(rec) ? " sync" : "")
        << " workers" << (rec.rule_of_thumb_fits_memory ? "" : " (does NOT fit the memory budget)") << ":\n";
    print_brief(out, rec.rule_of_thumb_predicted);
}

// The configuration the query was compared with (a pasted Gunicorn command), after the rule of thumb.
void print_baseline(std::ostream& out, const RecommendQuery& q, const Recommendation& rec) {
    if (!q.baseline || !rec.baseline_predicted) return;
    const Baseline& b = *q.baseline;
    out << "\nYour configuration (the Gunicorn command), " << processes_text(b.worker_class, b.workers, b.threads)
        << (b.worker_class == WorkerClass::gthread ? " (gthread)" : " (sync)")
        << (rec.baseline_fits_memory ? "" : " (does NOT fit the memory budget)") << ":\n";
    print_brief(out, *rec.baseline_predicted);
}

nlohmann::json baseline_json(const RecommendQuery& q, const Recommendation& rec) {
    if (!q.baseline || !rec.baseline_predicted) return nullptr;
    return {{"worker_class", worker_class_name(q.baseline->worker_class)},
            {"workers", q.baseline->workers},
            {"threads", q.baseline->threads},
            {"predicted", to_json(*rec.baseline_predicted)},
            {"fits_memory", rec.baseline_fits_memory}};
}

nlohmann::json screening_json(const std::vector<ScreenedCount>& screening) {
    nlohmann::json counts = nlohmann::json::array();
    for (const ScreenedCount& c : screening)
        counts.push_back({{"workers", c.workers},
                          {"throughput_rps", c.throughput_rps},
                          {"mean_s", c.mean_s},
                          {"p99_s", c.p99_s},
                          {"memory_kib", c.memory_kib},
                          {"fits_memory", c.fits_memory},
                          {"meets_objective", c.meets_objective}});
    return counts;
}

nlohmann::json by_threads_json(const std::vector<ThreadCountResult>& by_threads) {
    nlohmann::json counts = nlohmann::json::array();
    for (const ThreadCountResult& t : by_threads)
        counts.push_back({{"threads", t.threads},
                          {"workers", t.processes},
                          {"max_workers_in_memory", t.max_processes_in_memory},
                          {"throughput_rps", t.throughput_rps},
                          {"mean_s", t.mean_s},
                          {"p99_s", t.p99_s},
                          {"memory_kib", t.memory_kib}});
    return counts;
}

nlohmann::json rule_of_thumb_json(const Recommendation& rec) {
    return {{"workers", rec.rule_of_thumb_workers},
            {"predicted", to_json(rec.rule_of_thumb_predicted)},
            {"fits_memory", rec.rule_of_thumb_fits_memory}};
}

// One row of the comparison: a label, then each class's cell.
void print_row(std::ostream& out, const std::string& label, const std::string& sync, const std::string& gthread) {
    out << "  " << pad_right(label, 14) << pad_right(sync, 28) << gthread << "\n";
}

}  // namespace

void print_recommendation(std::ostream& out, const RecommendQuery& q, const Recommendation& rec) {
    if (!gthread(rec)) {
        out << "workersim recommend: objective " << objective_text(q) << "; calibration '" << q.profile.name << "'\n"
            << "  " << screening_text(q, rec) << " where they decide the answer\n\n";
    } else {
        out << "workersim recommend -k gthread: objective " << objective_text(q, WorkerClass::gthread)
            << "; calibration '" << q.profile.name << "'\n"
            << "  " << screening_text(q, rec) << " where they decide the answer\n\n";
    }
    print_verdict(out, q, rec);
    if (gthread(rec)) print_by_threads(out, rec);
    print_rule_of_thumb(out, rec);
    print_baseline(out, q, rec);
}

nlohmann::json recommendation_json(const RecommendQuery& q, const Recommendation& rec) {
    nlohmann::json advice = nlohmann::json::array();
    for (const Advice& a : rec.advice) advice.push_back(advice_text(a, q));
    nlohmann::json j = {
        {"worker_class", worker_class_name(rec.worker_class)},
        {"workers", rec.workers},
        {"threads", rec.threads},
        {"feasible", rec.feasible},
        {"limited_by", limit_name(rec.limited_by)},
        {"objective", objective_text(q, rec.worker_class)},
        {"predicted", to_json(rec.predicted)},
        {"predicted_method", "sim"},
        {"rule_of_thumb", rule_of_thumb_json(rec)},
        {"max_workers_in_memory", rec.max_workers_in_memory},
        {"best_throughput_rps", rec.best_throughput_rps},
        {"advice", advice},
        {"simulations", rec.simulations},
    };
    if (gthread(rec)) j["by_threads"] = by_threads_json(rec.by_threads);
    else j["screening"] = screening_json(rec.screening);
    if (q.baseline && rec.baseline_predicted) j["baseline"] = baseline_json(q, rec);
    return j;
}

void print_comparison(std::ostream& out, const RecommendQuery& q, const WorkerClassComparison& c) {
    const Recommendation& s = c.sync;
    const Recommendation& g = c.gthread;
    out << "workersim recommend --worker-class any: sync " << objective_text(q) << "; gthread "
        << objective_text(q, WorkerClass::gthread) << "; calibration '" << q.profile.name << "'\n"
        << "  sync: " << screening_text(q, s) << "; gthread: " << screening_text(q, g) << "\n\n";
    auto verdict = [](const Recommendation& r) {
        return r.feasible ? configuration_text(r) : r.workers > 0 ? "not feasible; best " + configuration_text(r)
                                                                  : std::string("not feasible");
    };
    auto cell = [](const Recommendation& r, auto text) { return r.workers > 0 ? text(r.predicted) : std::string("-"); };
    print_row(out, "", "sync", "gthread");
    print_row(out, "recommended", verdict(s), verdict(g));
    print_row(out, "limited by", limit_name(s.limited_by), limit_name(g.limited_by));
    auto rps = [](const Result& r) { return fixed(r.throughput_rps, 2) + " req/s"; };
    auto mean = [](const Result& r) { return fixed(r.latency.mean_s, 3) + " s"; };
    auto p99 = [](const Result& r) { return fixed(r.latency.p99_s, 3) + " s"; };
    auto cores = [](const Result& r) { return fixed(100 * r.core_utilisation, 1) + "% busy"; };
    auto memory = [](const Result& r) { return format_kib(r.memory.total_kib); };
    print_row(out, "throughput", cell(s, rps), cell(g, rps));
    print_row(out, "latency mean", cell(s, mean), cell(g, mean));
    print_row(out, "latency p99", cell(s, p99), cell(g, p99));
    print_row(out, "cores", cell(s, cores), cell(g, cores));
    print_row(out, "memory (PSS)", cell(s, memory), cell(g, memory));
    for (const Advice& a : s.advice) out << "  sync -> " << advice_text(a, q) << "\n";
    for (const Advice& a : g.advice) out << "  gthread -> " << advice_text(a, q) << "\n";
    print_by_threads(out, g);
    print_rule_of_thumb(out, s);
    print_baseline(out, q, s);
}

nlohmann::json comparison_json(const RecommendQuery& q, const WorkerClassComparison& c) {
    nlohmann::json j = {
        {"worker_class", "any"},
        {"objective", {{"sync", objective_text(q)}, {"gthread", objective_text(q, WorkerClass::gthread)}}},
        {"rule_of_thumb", rule_of_thumb_json(c.sync)},
        {"by_worker_class", {{"sync", recommendation_json(q, c.sync)}, {"gthread", recommendation_json(q, c.gthread)}}},
    };
    if (q.baseline) {
        j["baseline"] = baseline_json(q, c.sync);
        j["by_worker_class"]["sync"].erase("baseline");  // once, at the top
    }
    return j;
}

}  // namespace workersim::report
