// workersim calibrate --app: parse the app's flags, run calibrate/session/app_session's
// experiments, fit (calibrate/fitting/app_fit) and write the profile; this file parses and
// prints only.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>

#include "calibrate/fitting/app_fit.hpp"
#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/harness/provenance.hpp"
#include "calibrate/session/app_session.hpp"
#include "calibrate/session/app_url.hpp"
#include "cli/arguments.hpp"
#include "cli/bundled_files.hpp"
#include "cli/calibrate_app.hpp"
#include "cli/progress_bar.hpp"
#include "cli/usage_error.hpp"
#include "model/limits.hpp"
#include "model/profile_json.hpp"

namespace workersim::cli {

namespace po = boost::program_options;

namespace {

std::string text_of(const po::variables_map& vm, const char* key) { return vm[key].as<std::string>(); }

std::vector<std::string> texts_of(const po::variables_map& vm, const char* key) {
    return vm.count(key) ? vm[key].as<std::vector<std::string>>() : std::vector<std::string>{};
}

// [METHOD ]PATH[=WEIGHT]: a request of the app's, named as calibrate/session/app_url.hpp names
// it ("/orders" for a GET, "POST /orders"), and its share of the traffic (default 1, relative).
std::vector<std::pair<std::string, double>> parse_urls(const std::vector<std::string>& specs) {
    if (specs.empty()) throw UsageError("--url: give at least one, e.g. --url /orders=0.7 --url /search=0.3");
    if (specs.size() > kMaxRequestClasses)
        throw UsageError("--url: " + std::to_string(specs.size()) + " given, at most " +
                         std::to_string(kMaxRequestClasses));
    std::vector<std::pair<std::string, double>> urls;
    for (const std::string& spec : specs) {
        const auto equals = spec.rfind('=');
        AppUrl url = app_url(spec.substr(0, equals));
        if (!known_http_method(url.method))
            throw UsageError("--url " + spec + ": method " + url.method +
                             ": expected GET, POST, PUT, PATCH or DELETE, e.g. --url 'POST /orders=0.2'");
        if (url.path.empty() || url.path[0] != '/' || url.path.find(' ') != std::string::npos)
            throw UsageError("--url " + spec +
                             ": expected [METHOD ]PATH[=WEIGHT] with the path starting with /, e.g. /orders=0.7");
        const std::string name = app_url_name(url);
        const double weight =
            equals == std::string::npos ? 1.0 : parse_number("--url " + name, spec.substr(equals + 1), 1e-9, 1e9);
        for (const auto& [earlier, w] : urls)
            if (earlier == name) throw UsageError("--url " + name + ": given twice");
        urls.emplace_back(name, weight);
    }
    return urls;
}

// --body FILE (every URL whose method carries a body) or --body 'POST /orders=FILE' (that URL).
std::map<std::string, std::string> parse_bodies(const std::vector<std::string>& specs,
                                                const std::vector<std::pair<std::string, double>>& urls) {
    std::map<std::string, std::string> files;
    for (const std::string& spec : specs) {
        std::string file = spec;
        std::vector<std::string> targets;
        const auto equals = spec.find('=');
        const std::string key = equals == std::string::npos ? "" : spec.substr(0, equals);
        const bool named = std::any_of(urls.begin(), urls.end(), [&](const auto& u) { return u.first == key; });
        if (named) {
            file = spec.substr(equals + 1);
            if (!method_takes_body(app_url(key).method))
                throw UsageError("--body " + spec + ": " + key + " sends no body (POST, PUT and PATCH do)");
            targets.push_back(key);
        } else {
            for (const auto& [name, weight] : urls)
                if (method_takes_body(app_url(name).method)) targets.push_back(name);
            if (targets.empty())
                throw UsageError("--body " + spec + ": no --url sends a body; name the method, e.g. --url 'POST /orders'");
        }
        if (!std::ifstream(file)) throw UsageError("--body " + spec + ": cannot read " + file);
        for (const std::string& name : targets) {
            if (files.count(name)) throw UsageError("--body " + spec + ": " + name + " already has a body");
            files[name] = std::filesystem::absolute(file).string();
        }
    }
    return files;
}

std::vector<std::string> parse_headers(const std::vector<std::string>& specs) {
    for (const std::string& spec : specs) {
        const auto colon = spec.find(':');
        if (colon == std::string::npos || colon == 0 || spec.find_first_of("\r\n") != std::string::npos)
            throw UsageError("--header " + spec + ": expected 'NAME: VALUE', e.g. 'Content-Type: application/json'");
    }
    return specs;
}

std::vector<std::pair<std::string, std::string>> parse_environment(const std::vector<std::string>& specs) {
    std::vector<std::pair<std::string, std::string>> environment;
    for (const std::string& spec : specs) {
        const auto equals = spec.find('=');
        if (equals == std::string::npos || equals == 0)
            throw UsageError("--env " + spec + ": expected NAME=VALUE");
        environment.emplace_back(spec.substr(0, equals), spec.substr(equals + 1));
    }
    return environment;
}

void print_app_profile(std::ostream& out, const Profile& p) {
    out << "workersim calibrate --app: profile '" << p.name << "'\n";
    out << "  " << std::left << std::setw(24) << "URL" << std::right << std::setw(8) << "weight" << std::setw(14)
        << "CPU ms" << std::setw(14) << "IO ms" << std::setw(12) << "waits" << std::setw(16) << "IO per caller"
        << "\n";
    for (const UrlProfile& u : p.app->urls)
        out << "  " << std::left << std::setw(24) << u.path << std::right << std::setw(8) << u.weight << std::fixed
            << std::setprecision(2) << std::setw(14) << 1e3 * u.cpu.expected_s() << std::setw(14)
            << 1e3 * u.io.expected_s() << std::setw(12) << u.voluntary_switches << std::setw(15)
            << 100 * u.io_slowdown_per_caller << "%" << std::defaultfloat << "\n";
    out << "  (IO per caller: how much longer a URL's IO takes for each other request calling it at once, as "
        << kConcurrentCallers << " workers measured; 0: its downstream did not queue)\n";
    out << "  Gunicorn's own CPU per request: " << std::setprecision(3) << 1e3 * p.request_cpu_s << " ms\n";
    out << "  boot (1 worker): " << p.boot_s << " s\n";
    const auto memory = [&out](const char* name, const MemoryModel& m) {
        out << "  memory " << name << ": master private " << m.master_private_kib / 1024 << " MiB, worker private "
            << m.worker_private_kib / 1024 << " MiB, shared " << m.shared_kib / 1024 << " MiB\n";
    };
    memory("without --preload", p.memory);
    if (p.app->preload_memory) memory("with --preload", *p.app->preload_memory);
}

}  // namespace

po::options_description calibrate_app_options() {
    po::options_description o("Your own app (instead of the reference app)");
    o.add_options()
        ("app", po::value<std::string>(), "measure this WSGI app, MODULE:CALLABLE as Gunicorn takes it (e.g. shop:app), under Gunicorn sync workers; its code is not touched (Gunicorn hooks time each request)")
        ("chdir", po::value<std::string>(), "the directory the app is imported from (default: the current one)")
        ("url", po::value<std::vector<std::string>>()->composing(), "a URL of the app to measure, [METHOD ]PATH[=WEIGHT] (METHOD: GET, the default, POST, PUT, PATCH or DELETE, e.g. 'POST /orders=0.2'; weight: its share of the traffic, relative, default 1); repeat for each")
        ("body", po::value<std::vector<std::string>>()->composing(), "the request body for the URLs that send one (POST, PUT, PATCH), a FILE, or 'METHOD PATH=FILE' for one of them; repeat for each")
        ("header", po::value<std::vector<std::string>>()->composing(), "a header sent with every request, 'NAME: VALUE' (e.g. 'Content-Type: application/json'); repeat for each")
        ("env", po::value<std::vector<std::string>>()->composing(), "NAME=VALUE in the app's environment (its database, its API keys); repeat for each")
        ("gunicorn", po::value<std::string>(), "the gunicorn to run (default: gunicorn on PATH, Debian's /usr/bin/gunicorn)")
        ("timeout", po::value<std::string>(), "Gunicorn's --timeout for the app, seconds (default 30): a request outlasting it skips its URL");
    return o;
}

int calibrate_app(const po::variables_map& vm) {
    if (vm.count("plan") && text_of(vm, "plan") != "quick")
        throw UsageError("--app and --plan " + text_of(vm, "plan") + ": an app has its own plan (--quick or the default)");
    if (vm.count("pg-dsn") || vm.count("server-dir"))
        throw UsageError("--app with --pg-dsn or --server-dir: those are the reference app's; give the app's database with --env");
    AppSessionOptions options;
    options.callable = text_of(vm, "app");
    if (options.callable.find(':') == std::string::npos || options.callable.front() == ':' ||
        options.callable.back() == ':')
        throw UsageError("--app " + options.callable + ": expected MODULE:CALLABLE, e.g. shop:app");
    options.chdir = vm.count("chdir") ? text_of(vm, "chdir") : std::filesystem::current_path().string();
    if (!std::filesystem::is_directory(options.chdir))
        throw UsageError("--chdir " + options.chdir + ": no such directory");
    options.chdir = std::filesystem::absolute(options.chdir).string();
    options.urls = parse_urls(texts_of(vm, "url"));
    options.body_files = parse_bodies(texts_of(vm, "body"), options.urls);
    options.headers = parse_headers(texts_of(vm, "header"));
    options.environment = parse_environment(texts_of(vm, "env"));
    options.quick = vm.count("quick") > 0 || vm.count("plan") > 0;
    options.runs_path = vm.count("runs") ? text_of(vm, "runs") : "runs.jsonl";
    const std::string out_path = vm.count("out") ? text_of(vm, "out") : "profile.json";
    options.server_dir = bundled_server_dir();  // found beside the binary, wherever it is run from
    if (vm.count("gunicorn")) options.gunicorn = text_of(vm, "gunicorn");
    if (vm.count("timeout")) options.timeout_s = parse_seconds("--timeout", text_of(vm, "timeout"), 1, 3600);
    // A person at a terminal gets the bar redrawn under the run lines; a log gets the lines.
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    std::optional<SessionProgress> shown;
    options.said = [terminal, &shown](const std::string& line) {
        if (terminal) clear_progress_line();
        std::cerr << "workersim calibrate --app: " << line << "\n";
        if (shown) draw_progress(*shown);
    };
    if (terminal)
        options.progress = [&shown](const SessionProgress& p) {
            shown = p;
            draw_progress(p);
        };

    AppSessionOutcome outcome;
    try {
        if (vm.count("only-fit")) {
            if (!std::filesystem::exists(options.runs_path))
                throw UsageError("--runs " + options.runs_path + ": no such file to fit (--only-fit runs no experiments)");
            outcome.runs = read_app_runs(options.runs_path);
        } else {
            outcome = run_app_session(options);
        }
    } catch (const AppInputError& e) {
        throw UsageError(std::string("--app ") + e.what());
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--runs ") + e.what());
    }
    AppFitInput input;
    input.callable = options.callable;
    input.chdir = options.chdir;
    input.urls = options.urls;
    input.host_cores = host_core_count();
    ProvenanceSources sources;
    sources.runs_file = options.runs_path;
    sources.gunicorn = options.gunicorn;
    input.provenance = collect_provenance(sources);
    if (outcome.runtime) {  // what Gunicorn's master said it runs on, over what PATH suggests
        input.provenance.python_version = "Python " + outcome.runtime->python_version + " (" + outcome.runtime->python + ")";
        input.provenance.gunicorn_version = "gunicorn (version " + outcome.runtime->gunicorn_version + ")";
    }
    Profile profile;
    try {
        profile = fit_app_profile(outcome.runs, input);
    } catch (const std::invalid_argument& e) {
        for (const std::string& why : outcome.skipped) std::cerr << "workersim calibrate --app: " << why << "\n";
        throw UsageError(std::string("--url: ") + e.what() + " (" + std::to_string(outcome.runs.size()) +
                         " runs kept in " + options.runs_path + ")");
    }
    std::ofstream out(out_path);
    out << to_json(profile).dump(2) << "\n";
    if (!out.flush()) throw std::runtime_error(out_path + ": cannot write the profile");
    print_app_profile(std::cout, profile);
    std::cout << "profile written to " << out_path << "; runs in " << options.runs_path << "\n";
    if (outcome.skipped.empty()) return 0;
    for (const std::string& why : outcome.skipped) std::cerr << "workersim calibrate --app: skipped " << why << "\n";
    return 2;
}

}  // namespace workersim::cli
