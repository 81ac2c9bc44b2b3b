#include "cli/what_if_options.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/arguments.hpp"
#include "profiles/embedded_profile.hpp"
#include "cli/usage_error.hpp"
#include "model/json_reader.hpp"
#include "model/limits.hpp"
#include "model/profile_json.hpp"
#include "model/units.hpp"

namespace workersim::cli {

namespace {

constexpr std::int64_t kMaxRequests = 10'000'000'000LL;  // 10^10: about half an hour of simulation

std::string text(const po::variables_map& vm, const char* flag) { return vm[flag].as<std::string>(); }

void parse_distribution(const std::string& flag, const std::string& value, DistributionKind& kind, double& cv) {
    try {
        kind = parse_distribution_kind(value, cv);
    } catch (const std::invalid_argument& e) {
        throw UsageError(flag + " " + e.what());
    }
}

// PATH=WEIGHT,PATH=WEIGHT: the syntax only; which paths the app has is the profile's to say
// (build_scenario).
std::vector<std::pair<std::string, double>> parse_url_mix(const std::string& spec) {
    std::vector<std::pair<std::string, double>> weights;
    std::stringstream items(spec);
    std::string item;
    while (std::getline(items, item, ',')) {
        const auto equals = item.rfind('=');
        if (equals == std::string::npos || equals == 0)
            throw UsageError("--url-mix " + spec + ": \"" + item + "\": expected PATH=WEIGHT, e.g. /orders=0.7");
        const std::string path = item.substr(0, equals);
        for (const auto& [earlier, weight] : weights)
            if (earlier == path) throw UsageError("--url-mix " + spec + ": " + path + " is given twice");
        weights.emplace_back(path, parse_number("--url-mix " + path, item.substr(equals + 1), 0, 1e12));
    }
    if (weights.empty()) throw UsageError("--url-mix " + spec + ": expected PATH=WEIGHT,..., e.g. /orders=0.7,/search=0.3");
    return weights;
}

}  // namespace

po::options_description server_options() {
    po::options_description o("Server (Gunicorn)");
    const std::string workers_help = "worker processes (Gunicorn -w), " + kWorkersRange.text() + " (default 1)";
    const std::string cores_help = "CPU cores of the host, " + kCoresRange.text() + " (default: the calibration's host)";
    const std::string backlog_help = "listen backlog, " + kBacklogRange.text() + " (default 2048)";
    const std::string threads_help = "gthread: pool threads per worker process, " + kThreadsRange.text() + " (default 1)";
    o.add_options()
        ("workers", po::value<std::string>(), workers_help.c_str())
        ("cores", po::value<std::string>(), cores_help.c_str())
        ("cpu-time-factor", po::value<std::string>(), "the host's cores take this many times the calibration's CPU time, 0.01..100 (e.g. 1.5 for a slower host; default 1; not applied to --cpu-ms)")
        ("timeout", po::value<std::string>(), "Gunicorn --timeout: seconds a worker may stay silent before the master kills it; 0 disables (default 30)")
        ("backlog", po::value<std::string>(), backlog_help.c_str())
        ("max-requests", po::value<std::string>(), "recycle a worker after this many requests; 0 = never (default 0)")
        ("max-requests-jitter", po::value<std::string>(), "add randint(0, J) to --max-requests per worker (default 0)")
        ("worker-class,k", po::value<std::string>(), "Gunicorn -k: sync (one request per process) or gthread (--threads per process under one GIL); default sync, and sync with --threads > 1 runs gthread, as Gunicorn does")
        ("threads", po::value<std::string>(), threads_help.c_str())
        ("preload", "Gunicorn --preload: the app imported once in the master; memory from the PSS a calibrate --app profile measured with it (an app's profile only)");
    add_gthread_server_options(o);
    return o;
}

void add_gthread_server_options(po::options_description& o) {
    const std::string connections_help =
        "gthread: connections a process holds at once (queued, served, kept alive), " + kWorkerConnectionsRange.text() +
        " (default 1000)";
    o.add_options()
        ("worker-connections", po::value<std::string>(), connections_help.c_str())
        ("keepalive", po::value<std::string>(), "gthread: seconds an idle kept-alive connection stays open, 0 closes each; 0..3600 (default 2)");
}

po::options_description workload_options() {
    po::options_description o("Workload (the reference app's request, or demands given directly)");
    o.add_options()
        ("io-pct", po::value<std::string>(), "percent of the unit spent waiting on PostgreSQL, 0..100 (with --cpu-pct they sum to 100; neither = 100% IO)")
        ("cpu-pct", po::value<std::string>(), "percent of the unit spent in the pure-Python loop, 0..100")
        ("unit", po::value<std::string>(), "the reference app's unit of work: 100% IO sleeps this long (default 1s)")
        ("io-ms", po::value<std::string>(), "IO wait per request in milliseconds, instead of a mix")
        ("cpu-ms", po::value<std::string>(), "CPU per request in milliseconds of one core, instead of a mix")
        ("io-dist", po::value<std::string>(), "IO duration: det, exp or lognormal:CV (default: the calibration's measured spread)")
        ("cpu-dist", po::value<std::string>(), "CPU duration: det, exp or lognormal:CV (default det)")
        ("io-slow", po::value<std::string>(), "a slow tail on the IO phase, P:DURATION, e.g. 1%:45s = 1% of calls take 45 s")
        ("url-mix", po::value<std::string>(), "with a calibration of an app (calibrate --app): the share of each URL, PATH=WEIGHT,... with the paths as given to --url, e.g. /orders=0.7,/search=0.3 (weights >= 0, renormalised; a URL left out gets none; default: the mix measured)")
        ("gil-free-pct", po::value<std::string>(), "percent of the app's CPU in C code that releases the GIL (zlib, hashlib, numpy), 0..100 (default 0: pure Python); gthread's threads run that part in parallel");
    return o;
}

po::options_description load_options() {
    po::options_description o("Load");
    o.add_options()
        ("clients", po::value<std::string>(), "closed loop, like hey -c: concurrent clients (default 50)")
        ("requests", po::value<std::string>(), "requests in all, like hey -n (default 200); each client sends requests/clients, rounded down as hey does")
        ("rate", po::value<std::string>(), "open loop: Poisson arrivals per second, like httperf --rate with exponential spacing")
        ("loadgen", po::value<std::string>(), "separate|shared: whether the load generator's CPU competes for the host's cores (default separate)")
        ("client-timeout", po::value<std::string>(), "hey -t: seconds a client waits for a response; 0 = forever (default 0)")
        ("client-keepalive", po::value<std::string>(), "on|off: clients keep their connection open between requests, as hey does unless -disable-keepalive (default on); gthread keeps each with one process, sync closes every connection anyway");
    return o;
}

po::options_description profile_options() {
    po::options_description o("Calibration");
    o.add_options()
        ("calibration", po::value<std::string>(), "profile JSON from `workersim calibrate`, or `none` for an ideal server with no overheads (default: the embedded profile)")
        ("seed", po::value<std::string>(), "random seed, 0..2^63 (default 1); the same seed gives identical output");
    return o;
}

Profile profile_from(const po::variables_map& vm) {
    if (!vm.count("calibration")) return embedded_profile();
    const std::string path = text(vm, "calibration");
    if (path == "none") return ideal_profile();
    std::ifstream in(path);
    if (!in) throw UsageError("--calibration " + path + ": cannot read the file (give a profile JSON or `none`)");
    std::stringstream buffer;
    buffer << in.rdbuf();
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(buffer.str());
    } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e400
        throw UsageError("--calibration " + path + ": not valid JSON: " + e.what());
    }
    try {
        return profile_from_json(json, path);
    } catch (const JsonError& e) {
        throw UsageError(std::string("--calibration ") + e.what());
    }
}

std::uint64_t seed_from(const po::variables_map& vm) {
    if (!vm.count("seed")) return 1;
    return static_cast<std::uint64_t>(parse_integer("--seed", text(vm, "seed"), 0, INT64_MAX));
}

WhatIf what_if_from(const po::variables_map& vm) {
    WhatIf q;
    if (vm.count("worker-class")) {
        const std::string name = text(vm, "worker-class");
        try {
            q.server.worker_class = worker_class_from_name(name);
        } catch (const std::invalid_argument&) {
            throw UsageError("--worker-class " + name + ": expected sync or gthread");
        }
    }
    if (vm.count("threads"))
        q.server.threads = static_cast<int>(parse_integer("--threads", text(vm, "threads"), kThreadsRange));
    if (vm.count("worker-connections"))
        q.server.worker_connections =
            static_cast<int>(parse_integer("--worker-connections", text(vm, "worker-connections"), kWorkerConnectionsRange));
    if (vm.count("keepalive")) q.server.keepalive_s = parse_seconds("--keepalive", text(vm, "keepalive"), 0, 3600);
    if (vm.count("workers")) q.workers = static_cast<int>(parse_integer("--workers", text(vm, "workers"), kWorkersRange));
    q.preload = vm.count("preload") > 0;
    if (vm.count("cores")) q.cores = static_cast<int>(parse_integer("--cores", text(vm, "cores"), kCoresRange));
    if (vm.count("cpu-time-factor"))
        q.cpu_time_factor = parse_number("--cpu-time-factor", text(vm, "cpu-time-factor"), 0.01, 100);
    if (vm.count("timeout")) q.server.timeout_s = parse_seconds("--timeout", text(vm, "timeout"), 0, 1e7);
    if (vm.count("backlog")) q.server.backlog = static_cast<int>(parse_integer("--backlog", text(vm, "backlog"), kBacklogRange));
    if (vm.count("max-requests"))
        q.server.max_requests = parse_integer("--max-requests", text(vm, "max-requests"), 0, INT64_MAX / 4);
    if (vm.count("max-requests-jitter"))
        q.server.max_requests_jitter =
            parse_integer("--max-requests-jitter", text(vm, "max-requests-jitter"), 0, INT64_MAX / 4);

    Workload& w = q.workload;
    if (vm.count("io-pct")) w.io_pct = parse_number("--io-pct", text(vm, "io-pct"), 0, 100);
    if (vm.count("cpu-pct")) w.cpu_pct = parse_number("--cpu-pct", text(vm, "cpu-pct"), 0, 100);
    if (w.io_pct && w.cpu_pct && std::abs(*w.io_pct + *w.cpu_pct - 100) > 1e-9)
        throw UsageError("--io-pct " + text(vm, "io-pct") + " and --cpu-pct " + text(vm, "cpu-pct") +
                         ": must sum to 100");
    if (vm.count("unit")) w.unit_s = parse_seconds("--unit", text(vm, "unit"), 1e-6, 3600);
    if (vm.count("io-ms")) w.io_s = parse_number("--io-ms", text(vm, "io-ms"), 0, 3.6e6) / 1000;
    if (vm.count("cpu-ms")) w.cpu_s = parse_number("--cpu-ms", text(vm, "cpu-ms"), 0, 3.6e6) / 1000;
    if ((w.io_s || w.cpu_s) && (w.io_pct || w.cpu_pct))
        throw UsageError("--io-ms/--cpu-ms and --io-pct/--cpu-pct: give a mix or direct demands, not both");
    if (vm.count("io-dist")) parse_distribution("--io-dist", text(vm, "io-dist"), w.io_dist, w.io_cv);
    if (vm.count("cpu-dist")) parse_distribution("--cpu-dist", text(vm, "cpu-dist"), w.cpu_dist, w.cpu_cv);
    if (vm.count("gil-free-pct")) w.gil_free_share = parse_number("--gil-free-pct", text(vm, "gil-free-pct"), 0, 100) / 100;
    if (vm.count("url-mix")) w.url_weights = parse_url_mix(text(vm, "url-mix"));
    if (vm.count("io-slow")) {
        const std::string spec = text(vm, "io-slow");
        const auto colon = spec.find(':');
        if (colon == std::string::npos) throw UsageError("--io-slow " + spec + ": expected P:DURATION, e.g. 1%:45s");
        try {
            w.io_slow_probability = parse_percent(spec.substr(0, colon));
            w.io_slow_s = parse_duration_s(spec.substr(colon + 1));
        } catch (const std::invalid_argument& e) {
            throw UsageError("--io-slow " + spec + ": " + e.what());
        }
        if (w.io_slow_s > 3600) throw UsageError("--io-slow " + spec + ": expected a duration up to 1h, like --io-ms");
    }

    Load& load = q.load;
    const bool open = vm.count("rate") > 0;
    if (open && vm.count("clients")) throw UsageError("--rate and --clients: choose open loop (--rate) or closed loop (--clients)");
    if (open) {
        load.kind = LoadKind::open;
        load.rate_per_s = parse_number("--rate", text(vm, "rate"), 1e-9, 1e9);
        load.requests = vm.count("requests") ? parse_integer("--requests", text(vm, "requests"), 1, kMaxRequests) : kDefaultRequests;
    } else {
        load.kind = LoadKind::closed;
        load.clients =
            vm.count("clients") ? static_cast<int>(parse_integer("--clients", text(vm, "clients"), kClientsRange)) : kDefaultClients;
        load.requests = vm.count("requests") ? parse_integer("--requests", text(vm, "requests"), 1, kMaxRequests) : kDefaultRequests;
        if (load.requests < load.clients)
            throw UsageError("--requests " + std::to_string(load.requests) + ": expected at least --clients (" +
                             std::to_string(load.clients) + "), as hey requires");
    }
    if (vm.count("client-timeout"))
        load.client_timeout_s = parse_seconds("--client-timeout", text(vm, "client-timeout"), 0, 1e7);
    if (vm.count("client-keepalive")) {
        const std::string value = text(vm, "client-keepalive");
        if (value != "on" && value != "off") throw UsageError("--client-keepalive " + value + ": expected on or off");
        load.keep_alive = value == "on";
    }
    if (vm.count("loadgen")) {
        const std::string where = text(vm, "loadgen");
        if (where != "separate" && where != "shared")
            throw UsageError("--loadgen " + where + ": expected separate or shared");
        q.loadgen_shared = where == "shared";
    }
    return q;
}

po::variables_map parse_command_line(int argc, const char* const* argv, const po::options_description& options) {
    po::variables_map vm;
    try {
        // No abbreviations: --work must not silently mean --workers.
        const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        const po::positional_options_description no_positionals;  // a stray word is an error, not ignored
        po::store(po::command_line_parser(argc, argv).options(options).positional(no_positionals).style(style).run(),
                  vm);
        po::notify(vm);
    } catch (const po::unknown_option& e) {
        throw UsageError("unknown flag " + e.get_option_name() + " (see --help)");
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    return vm;
}

po::variables_map parse_command_line(const std::vector<std::string>& words, const po::options_description& options) {
    std::vector<const char*> argv;
    for (const std::string& word : words) argv.push_back(word.c_str());
    return parse_command_line(static_cast<int>(argv.size()), argv.data(), options);
}

bool print_help_if_asked(const po::variables_map& vm, const po::options_description& options) {
    if (!vm.count("help")) return false;
    std::cout << options << "\n";
    return true;
}

}  // namespace workersim::cli
