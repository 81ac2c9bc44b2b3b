#include "model/profile_json.hpp"

#include "model/json_reader.hpp"
#include "model/limits.hpp"

namespace workersim {

namespace {
constexpr const char* kFormat = "workersim-profile/1";
constexpr double kMaxSeconds = 3600.0;
constexpr double kMaxKib = 1024.0 * 1024 * 1024;  // 1 TiB
}  // namespace

nlohmann::json to_json(const HostProbe& h) {
    return {{"date", h.date},
            {"database", h.database},
            {"loop_ns_by_core", h.loop_ns_by_core},
            {"loop_ns", h.loop_ns},
            {"core_capacity", h.core_capacity},
            {"db_backend_cpu_s_by_cores", h.db_backend_cpu_s_by_cores},
            {"db_client_cpu_s", h.db_client_cpu_s},
            {"db_connect_s", h.db_connect_s},
            {"boot_workers", h.boot_workers},
            {"boot_s", h.boot_s}};
}

HostProbe host_probe_from_json(const nlohmann::json& json, const std::string& where, const std::string& path) {
    JsonReader r(json, where, path);
    HostProbe h;
    h.date = r.string_or("date", "");
    h.database = r.string_or("database", "");
    h.loop_ns_by_core = r.numbers_or_empty("loop_ns_by_core", 1e-3, 1e9);
    h.loop_ns = r.number("loop_ns", 1e-3, 1e9);
    h.core_capacity = r.numbers_or_empty("core_capacity", 1e-3, kCoresRange.max);
    h.db_backend_cpu_s_by_cores = r.numbers_or_empty("db_backend_cpu_s_by_cores", 0, kMaxSeconds);
    h.db_client_cpu_s = r.number("db_client_cpu_s", 0, kMaxSeconds);
    h.db_connect_s = r.number("db_connect_s", 0, kMaxSeconds);
    h.boot_workers = static_cast<int>(r.integer("boot_workers", 0, kWorkersRange.max));
    h.boot_s = r.number("boot_s", 0, kMaxSeconds);
    r.reject_unknown_keys();
    return h;
}

namespace {

const char* kind_name(DistributionKind kind) {
    switch (kind) {
        case DistributionKind::deterministic: return "det";
        case DistributionKind::exponential: return "exp";
        case DistributionKind::lognormal: return "lognormal";
        case DistributionKind::empirical: return "empirical";
    }
    return "det";
}

nlohmann::json to_json(const Distribution& d) {
    nlohmann::json j = {{"kind", kind_name(d.kind)}, {"mean_s", d.mean_s}};
    if (d.kind == DistributionKind::lognormal) j["cv"] = d.cv;
    if (d.kind == DistributionKind::empirical) j["samples_s"] = d.samples_s;
    return j;
}

Distribution distribution_from_json(JsonReader r) {
    const std::string kind = r.string("kind");
    Distribution d;
    if (kind == "empirical") {
        d = Distribution::empirical(r.numbers("samples_s", 0, kMaxSeconds));
        if (d.samples_s.empty()) r.fail("samples_s", "at least one sample");
        r.number("mean_s", 0, kMaxSeconds);  // their mean, for a reader; recomputed
    } else {
        const double mean_s = r.number("mean_s", 0, kMaxSeconds);
        if (kind == "det") d = Distribution::deterministic(mean_s);
        else if (kind == "exp") d = Distribution::exponential(mean_s);
        else if (kind == "lognormal") d = Distribution::lognormal(mean_s, r.number("cv", 0, 100));
        else r.fail("kind", "\"det\", \"exp\", \"lognormal\" or \"empirical\"");
    }
    r.reject_unknown_keys();
    return d;
}

nlohmann::json to_json(const AppProfile& app) {
    nlohmann::json urls = nlohmann::json::array();
    for (const UrlProfile& u : app.urls)
        urls.push_back({{"path", u.path},
                        {"weight", u.weight},
                        {"cpu_s", to_json(u.cpu)},
                        {"io_s", to_json(u.io)},
                        {"voluntary_switches", u.voluntary_switches},
                        {"loadgen_cpu_s", u.loadgen_cpu_s},
                        {"io_slowdown_per_caller", u.io_slowdown_per_caller}});
    nlohmann::json j = {{"callable", app.callable}, {"chdir", app.chdir}, {"urls", urls}};
    if (app.preload_memory)
        j["preload_memory_kib"] = {{"master_private", app.preload_memory->master_private_kib},
                                   {"worker_private", app.preload_memory->worker_private_kib},
                                   {"shared", app.preload_memory->shared_kib}};
    return j;
}

AppProfile app_from_json(JsonReader r) {
    AppProfile app;
    app.callable = r.string("callable");
    app.chdir = r.string_or("chdir", "");
    const nlohmann::json& urls = r.raw("urls");
    if (!urls.is_array() || urls.empty() || urls.size() > kMaxRequestClasses)
        r.fail("urls", "an array of 1.." + std::to_string(kMaxRequestClasses) + " URLs");
    for (std::size_t i = 0; i < urls.size(); ++i) {
        JsonReader u(urls[i], r.where(), r.qualified("urls") + "[" + std::to_string(i) + "]");
        UrlProfile url;
        url.path = u.string("path");
        if (url.path.empty()) u.fail("path", "a URL path such as /orders");
        for (const UrlProfile& earlier : app.urls)
            if (earlier.path == url.path) u.fail("path", "each path once (" + url.path + " is repeated)");
        url.weight = u.number("weight", 1e-12, 1e12);
        url.cpu = distribution_from_json(u.object("cpu_s"));
        url.io = distribution_from_json(u.object("io_s"));
        url.voluntary_switches = u.number_or("voluntary_switches", 0.0, 0, 1e9);
        url.loadgen_cpu_s = u.number_or("loadgen_cpu_s", 0.0, 0, 3600);
        url.io_slowdown_per_caller = u.number_or("io_slowdown_per_caller", 0.0, 0, 1e3);
        u.reject_unknown_keys();
        app.urls.push_back(std::move(url));
    }
    if (r.has("preload_memory_kib")) {
        JsonReader m = r.object("preload_memory_kib");
        MemoryModel memory;
        memory.master_private_kib = m.number("master_private", 0, kMaxKib);
        memory.worker_private_kib = m.number("worker_private", 0, kMaxKib);
        memory.shared_kib = m.number("shared", 0, kMaxKib);
        m.reject_unknown_keys();
        app.preload_memory = memory;
    }
    r.reject_unknown_keys();
    return app;
}

}  // namespace

nlohmann::json to_json(const Profile& p) {
    nlohmann::json fit = nlohmann::json::object();
    for (const auto& [name, q] : p.fit)
        fit[name] = {{"std_error", q.std_error}, {"rms_residual", q.rms_residual}, {"points", q.points}};
    const Provenance& v = p.provenance;
    nlohmann::json out = {
        {"format", kFormat},
        {"name", p.name},
        {"provenance",
         {{"date", v.date},
          {"cpu_model", v.cpu_model},
          {"kernel", v.kernel},
          {"gunicorn_version", v.gunicorn_version},
          {"python_version", v.python_version},
          {"postgresql_version", v.postgresql_version},
          {"hey_version", v.hey_version},
          {"runs_file", v.runs_file},
          {"moved", v.moved},
          {"notes", v.notes}}},
        {"host_cores", p.host_cores},
        {"cpu_scheduler", p.cpu_scheduler == CpuScheduler::per_core_queues ? "per_core_queues" : "shared_queue"},
        {"core_capacity", p.core_capacity},
        {"loop_cpu_s", p.loop_cpu_s},
        {"request_cpu_s", p.request_cpu_s},
        {"db_client_cpu_s", p.db_client_cpu_s},
        {"db_backend_cpu_s", p.db_backend_cpu_s},
        {"db_backend_cpu_s_by_cores", p.db_backend_cpu_s_by_cores},
        {"db_connect_s", p.db_connect_s},
        {"io_cv", p.io_cv},
        {"cpu_cv", p.cpu_cv},
        {"host_probe_ns", p.host_probe_ns},
        {"loadgen_cpu_s", p.loadgen_cpu_s},
        {"boot_s", p.boot_s},
        {"memory_kib",
         {{"master_private", p.memory.master_private_kib},
          {"worker_private", p.memory.worker_private_kib},
          {"shared", p.memory.shared_kib}}},
        {"fit", fit},
    };
    if (p.host_probe) out["host_probe"] = to_json(*p.host_probe);
    // Fitted from gthread runs only; a profile fitted without them keeps its old form.
    if (p.memory.gthread_worker_kib > 0 || p.memory.thread_kib > 0) {
        out["memory_kib"]["gthread_worker"] = p.memory.gthread_worker_kib;
        out["memory_kib"]["thread"] = p.memory.thread_kib;
    }
    if (p.gthread_main_wake_s) out["gthread_main_wake_s"] = *p.gthread_main_wake_s;
    if (p.gthread_main_wake_order_s > 0) out["gthread_main_wake_order_s"] = p.gthread_main_wake_order_s;
    if (p.gthread_connection_cpu_s > 0) out["gthread_connection_cpu_s"] = p.gthread_connection_cpu_s;
    if (p.app) out["app"] = to_json(*p.app);  // calibrate --app's profiles only
    return out;
}

Profile profile_from_json(const nlohmann::json& json, const std::string& where) {
    JsonReader top(json, where);
    const std::string format = top.string("format");
    if (format != kFormat) top.fail("format", std::string("\"") + kFormat + "\"");
    Profile p;
    p.name = top.string_or("name", "unnamed");
    {
        JsonReader v = top.object("provenance");
        Provenance& pr = p.provenance;
        pr.date = v.string_or("date", "");
        pr.cpu_model = v.string_or("cpu_model", "");
        pr.kernel = v.string_or("kernel", "");
        pr.gunicorn_version = v.string_or("gunicorn_version", "");
        pr.python_version = v.string_or("python_version", "");
        pr.postgresql_version = v.string_or("postgresql_version", "");
        pr.hey_version = v.string_or("hey_version", "");
        pr.runs_file = v.string_or("runs_file", "");
        pr.moved = v.string_or("moved", "");
        pr.notes = v.string_or("notes", "");
        v.reject_unknown_keys();
    }
    p.host_cores = static_cast<int>(top.integer("host_cores", kCoresRange.min, kCoresRange.max));
    const std::string scheduler = top.string_or("cpu_scheduler", "shared_queue");
    if (scheduler == "per_core_queues") p.cpu_scheduler = CpuScheduler::per_core_queues;
    else if (scheduler != "shared_queue") top.fail("cpu_scheduler", "\"shared_queue\" or \"per_core_queues\"");
    p.core_capacity = top.numbers_or_empty("core_capacity", 1e-3, kCoresRange.max);
    if (!p.core_capacity.empty() && p.core_capacity.size() != static_cast<std::size_t>(p.host_cores))
        top.fail("core_capacity", "one entry per core of host_cores (" + std::to_string(p.host_cores) + ")");
    p.loop_cpu_s = top.number("loop_cpu_s", 1e-6, kMaxSeconds);
    p.request_cpu_s = top.number("request_cpu_s", 0, kMaxSeconds);
    p.db_client_cpu_s = top.number("db_client_cpu_s", 0, kMaxSeconds);
    p.db_backend_cpu_s = top.number("db_backend_cpu_s", 0, kMaxSeconds);
    // Absent from profiles fitted before it was measured per core count.
    p.db_backend_cpu_s_by_cores = top.numbers_or_empty("db_backend_cpu_s_by_cores", 0, kMaxSeconds);
    if (p.db_backend_cpu_s_by_cores.size() > static_cast<std::size_t>(p.host_cores))
        top.fail("db_backend_cpu_s_by_cores", "at most one entry per core of host_cores (" +
                                                  std::to_string(p.host_cores) + ")");
    p.db_connect_s = top.number("db_connect_s", 0, kMaxSeconds);
    p.io_cv = top.number("io_cv", 0, 100);
    p.cpu_cv = top.number_or("cpu_cv", 0.0, 0, 100);  // absent from profiles before it was fitted
    p.host_probe_ns = top.number_or("host_probe_ns", 0.0, 0, 1e9);  // absent before probing
    p.loadgen_cpu_s = top.number("loadgen_cpu_s", 0, kMaxSeconds);
    p.boot_s = top.number("boot_s", 0, kMaxSeconds);
    if (top.has("gthread_main_wake_s")) p.gthread_main_wake_s = top.number("gthread_main_wake_s", 0, kMaxSeconds);
    p.gthread_main_wake_order_s = top.number_or("gthread_main_wake_order_s", 0.0, 0, kMaxSeconds);
    p.gthread_connection_cpu_s = top.number_or("gthread_connection_cpu_s", 0.0, 0, kMaxSeconds);
    {
        JsonReader m = top.object("memory_kib");
        p.memory.master_private_kib = m.number("master_private", 0, kMaxKib);
        p.memory.worker_private_kib = m.number("worker_private", 0, kMaxKib);
        p.memory.shared_kib = m.number("shared", 0, kMaxKib);
        p.memory.gthread_worker_kib = m.number_or("gthread_worker", 0.0, 0, kMaxKib);
        p.memory.thread_kib = m.number_or("thread", 0.0, 0, kMaxKib);
        m.reject_unknown_keys();
    }
    if (top.has("fit")) {
        const auto& fit = top.raw("fit");
        JsonReader fit_reader(fit, where, "fit");
        for (const auto& item : fit.items()) {
            JsonReader q = fit_reader.object(item.key());
            FitQuality f;
            f.std_error = q.number("std_error", 0, 1e12);
            f.rms_residual = q.number("rms_residual", 0, 1e12);
            f.points = static_cast<int>(q.integer("points", 0, 1'000'000'000));
            q.reject_unknown_keys();
            p.fit[item.key()] = f;
        }
    }
    if (top.has("host_probe")) p.host_probe = host_probe_from_json(top.raw("host_probe"), where, "host_probe");
    if (top.has("app")) p.app = app_from_json(top.object("app"));
    top.reject_unknown_keys();
    return p;
}

}  // namespace workersim
