#include "cli/gunicorn_command.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "calibrate/harness/child_process.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "cli/bundled_files.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"

namespace workersim::cli {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

// Debian's interpreter, which has python3-gunicorn: the python3 first on PATH may be another
// (a virtualenv, pyenv) without it.
constexpr const char* kPython = "/usr/bin/python3";
constexpr auto kReadTimeout = std::chrono::seconds(30);  // a config file is Python and may do anything

// The Gunicorn settings workersim models (gunicorn/config.py) and the workersim flag of each,
// in the order the flags are listed. Gunicorn's defaults are workersim's (model/scenario.hpp
// ServerConfig cites them) except `workers`, whose default is $WEB_CONCURRENCY or 1
// (config.py:633-640): Gunicorn's reading supplies every value, set or not.
struct ModelledSetting {
    const char* gunicorn_name;
    const char* flag;
};
constexpr ModelledSetting kModelled[] = {
    {"workers", "workers"},
    {"timeout", "timeout"},
    {"backlog", "backlog"},
    {"max_requests", "max-requests"},
    {"max_requests_jitter", "max-requests-jitter"},
    {"worker_class", "worker-class"},
    {"threads", "threads"},
    {"worker_connections", "worker-connections"},
    {"keepalive", "keepalive"},
    {"preload_app", "preload"},
};

// --preload is a switch, and what it changes (memory) only a profile measured with it can say:
// pasted_preload decides, once the profile is known, rather than a flag word.
bool is_preload(const GunicornSetting& s) { return s.flag == "preload"; }

// Settings that carry the command rather than configure the server: the config file (echoed
// as config_file) and the app (echoed as app), neither of which workersim runs.
bool is_carrier(const std::string& gunicorn_name) { return gunicorn_name == "config" || gunicorn_name == "wsgi_app"; }

// The worker classes workersim models, by the class path Gunicorn resolves a -k value to
// (gunicorn/workers/__init__.py SUPPORTED_WORKERS; gunicorn_settings.py resolves it).
std::optional<WorkerClass> modelled_worker_class(const std::string& path) {
    if (path == "gunicorn.workers.sync.SyncWorker") return WorkerClass::sync;
    if (path == "gunicorn.workers.gthread.ThreadWorker") return WorkerClass::gthread;
    return std::nullopt;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::size_t start = 0;
    while (start < text.size() && (text[start] == '\n' || text[start] == ' ')) ++start;
    return text.substr(start);
}

// Gunicorn's option as a user types it: "-w/--workers", or the setting's name for one a config
// file alone can set (the server hooks).
std::string option_text(const std::string& name, const json& setting) {
    std::string text;
    for (const json& spelling : setting.at("cli")) text += (text.empty() ? "" : "/") + spelling.get<std::string>();
    return text.empty() ? name : text;
}

// A value as the command line would give it: a list joined by commas, a switch by its name.
std::string value_text(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_array()) {
        std::string text;
        for (const json& v : value) text += (text.empty() ? "" : ",") + value_text(v);
        return text;
    }
    return value.dump();
}

// The words after `--`, without the program: `gunicorn`, a path to it, or `python3 -m gunicorn`.
std::vector<std::string> gunicorn_arguments(const std::vector<std::string>& command) {
    auto program = [](const std::string& word) {
        const std::string base = word.substr(word.find_last_of('/') + 1);
        return base == "gunicorn" || base == "gunicorn3";
    };
    std::size_t skip = 0;
    if (!command.empty() && program(command[0])) skip = 1;
    else if (command.size() >= 3 && command[0].find("python") != std::string::npos && command[1] == "-m" &&
             command[2] == "gunicorn")
        skip = 3;
    return {command.begin() + static_cast<std::ptrdiff_t>(skip), command.end()};
}

// Runs gunicorn_settings.py; its JSON, or the reason Gunicorn gave for refusing the command.
json gunicorn_reading(const std::vector<std::string>& arguments, const std::string& origin) {
    const std::string script = gunicorn_settings_script();
    if (!std::ifstream(script))
        throw std::runtime_error("cannot find workersim's " + script + " (a broken install?)");
    TempDirectory temp("workersim-gunicorn");
    ChildSpec spec;
    spec.argv = {kPython, script};
    spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
    spec.stdout_path = temp.file("settings.json");
    spec.stderr_path = temp.file("stderr");
    std::optional<ChildExit> exit;
    try {
        ChildProcess reader(spec);
        exit = reader.wait_for(kReadTimeout);
        if (!exit) throw std::runtime_error(origin + ": Gunicorn's reading of it took over 30 s (a config file that blocks?)");
    } catch (const std::system_error& e) {
        throw std::runtime_error(std::string("cannot run ") + kPython + " to read " + origin + " (" + e.what() +
                                 "); install python3-gunicorn");
    }
    const std::string errors = trimmed(read_text(spec.stderr_path));
    if (errors.find("No module named 'gunicorn'") != std::string::npos)
        throw std::runtime_error(std::string(kPython) + " has no gunicorn module to read " + origin +
                                 ": install python3-gunicorn");
    // argparse exits 2 for an option it does not know: often one of workersim's typed after `--`.
    if (exit->exit_code == 2)
        throw UsageError(origin + ": Gunicorn refused it" + (errors.empty() ? "" : ":\n" + errors) +
                         "\n(workersim's own flags go before the `--`, Gunicorn's after it)");
    if (exit->exit_code != 0)
        throw UsageError(origin + ": Gunicorn could not read it" + (errors.empty() ? "" : ":\n" + errors));
    const json reading = json::parse(read_text(spec.stdout_path), nullptr, false);
    if (reading.is_discarded() || !reading.contains("settings"))
        throw UsageError(origin + ": Gunicorn printed no settings (--help or --version in the command?)");
    return reading;
}

// The modelled settings' values as workersim's flags take them; throws for a worker class
// workersim does not model.
std::vector<GunicornSetting> modelled_settings(const json& reading, const std::string& origin) {
    const json& settings = reading.at("settings");
    std::vector<GunicornSetting> out;
    for (const ModelledSetting& m : kModelled) {
        const json& setting = settings.at(m.gunicorn_name);
        GunicornSetting s{m.flag, value_text(setting.at("value")), option_text(m.gunicorn_name, setting),
                          setting.at("explicit").get<bool>()};
        if (s.flag == "worker-class") {
            const std::string path = value_text(reading.at("worker_class_path"));
            const std::optional<WorkerClass> modelled = modelled_worker_class(path);
            if (!modelled)
                throw UsageError(origin + ": " + s.gunicorn_option + " " + s.value +
                                 ": workersim models the worker classes sync and gthread (or their class paths "
                                 "gunicorn.workers.sync.SyncWorker, gunicorn.workers.gthread.ThreadWorker)");
            s.value = worker_class_name(*modelled);
        }
        out.push_back(std::move(s));
    }
    return out;
}

// Each setting the command sets that workersim does not model, by Gunicorn's name for it.
std::vector<std::string> unmodelled_warnings(const json& settings, const std::string& origin) {
    std::vector<std::string> warnings;
    for (const auto& [name, setting] : settings.items()) {
        if (!setting.at("explicit").get<bool>() || is_carrier(name)) continue;
        const bool modelled = std::any_of(std::begin(kModelled), std::end(kModelled),
                                          [&](const ModelledSetting& m) { return name == m.gunicorn_name; });
        if (modelled) continue;
        const json& value = setting.at("value");
        // A switch set on reads as typed (--preload); one a config file turns off says so.
        const std::string shown = value.is_boolean() ? (value.get<bool>() ? "" : " off") : " " + value_text(value);
        warnings.push_back(origin + " sets " + option_text(name, setting) + shown +
                           ": workersim does not model it; ignored");
    }
    return warnings;
}

// The settings' server, through the same flag parser as workersim's own flags: a value
// Gunicorn accepts but workersim cannot model (-w 0) is refused with the flag's range.
WhatIf checked_what_if(const std::vector<GunicornSetting>& settings, const std::string& origin) {
    std::vector<std::string> words{"gunicorn"};
    for (const GunicornSetting& s : settings) {
        if (is_preload(s)) continue;
        words.push_back("--" + s.flag);
        words.push_back(s.value);
    }
    try {
        return what_if_from(parse_command_line(words, server_options()));
    } catch (const UsageError& e) {
        throw UsageError(origin + ": " + e.what());
    }
}

}  // namespace

po::options_description gunicorn_options() {
    po::options_description o(
        "Gunicorn (paste its command after `--`, e.g. -- gunicorn -w 4 -k gthread --threads 8 app:app)");
    o.add_options()(
        "gunicorn-conf", po::value<std::string>(),
        "a Gunicorn config file (gunicorn.conf.py), as `-- gunicorn -c FILE`. Gunicorn itself reads the command "
        "and the file (/usr/bin/python3, python3-gunicorn; the file runs, as under Gunicorn; "
        "./gunicorn.conf.py when no -c is given and GUNICORN_CMD_ARGS count, as for Gunicorn): -w, -k sync|gthread, --threads, "
        "--timeout, --backlog, --keep-alive, --worker-connections, --max-requests, --max-requests-jitter become "
        "workersim's flags, with Gunicorn's defaults; --preload applies where the profile measured memory with it; any other option set is named in a warning and ignored. A "
        "workersim flag beside it overrides the command's value");
    return o;
}

std::vector<std::string> words_before_double_dash(int argc, const char* const* argv,
                                                  std::optional<std::vector<std::string>>& pasted) {
    std::vector<std::string> words;
    int i = 0;
    for (; i < argc && std::string(argv[i]) != "--"; ++i) words.emplace_back(argv[i]);
    if (i < argc) pasted = std::vector<std::string>(argv + i + 1, argv + argc);
    return words;
}

PastedGunicorn read_pasted_gunicorn(const std::vector<std::string>& command, const std::string& conf_path) {
    PastedGunicorn p;
    p.command = command;
    p.conf_path = conf_path;
    const std::string origin = command.empty() ? "--gunicorn-conf " + conf_path : "the Gunicorn command";
    // --gunicorn-conf first: a -c in the command comes later and wins, as argparse decides,
    // and the mismatch below says so.
    std::vector<std::string> arguments;
    if (!conf_path.empty()) arguments = {"-c", conf_path};
    for (std::string& word : gunicorn_arguments(command)) arguments.push_back(std::move(word));
    const json reading = gunicorn_reading(arguments, origin);
    const json& settings = reading.at("settings");
    if (!conf_path.empty() && value_text(settings.at("config").at("value")) != conf_path)
        throw UsageError("--gunicorn-conf " + conf_path + " and the command's -c " +
                         value_text(settings.at("config").at("value")) + ": give one config file");
    p.gunicorn_version = value_text(reading.at("gunicorn_version"));
    if (reading.at("app").is_string()) p.app = reading.at("app").get<std::string>();
    p.settings = modelled_settings(reading, origin);
    p.what_if = checked_what_if(p.settings, origin);
    p.warnings = unmodelled_warnings(settings, origin);
    return p;
}

std::optional<PastedGunicorn> pasted_gunicorn_from(const po::variables_map& command_line,
                                                   const std::optional<std::vector<std::string>>& words_after_dash) {
    const std::string conf = command_line.count("gunicorn-conf") ? command_line["gunicorn-conf"].as<std::string>() : "";
    if (words_after_dash && words_after_dash->empty())
        throw UsageError("-- with nothing after it: paste the Gunicorn command there (-- gunicorn -w 4 app:app)");
    if (!words_after_dash && conf.empty()) return std::nullopt;
    return read_pasted_gunicorn(words_after_dash ? *words_after_dash : std::vector<std::string>{}, conf);
}

std::vector<std::string> gunicorn_flag_words(PastedGunicorn& pasted, const po::variables_map& command_line,
                                             const po::options_description& options,
                                             const std::vector<std::string>& searched) {
    std::vector<std::string> words;
    for (const GunicornSetting& s : pasted.settings) {
        if (is_preload(s) || !options.find_nothrow(s.flag, false, false, false)) continue;
        if (std::find(searched.begin(), searched.end(), s.flag) != searched.end()) continue;
        if (command_line.count(s.flag)) {
            const std::string given = command_line[s.flag].as<std::string>();
            if (s.explicitly_set && given != s.value)
                pasted.warnings.push_back("--" + s.flag + " " + given + " overrides the Gunicorn command's " +
                                          s.gunicorn_option + " " + s.value);
            continue;
        }
        words.push_back("--" + s.flag);
        words.push_back(s.value);
    }
    return words;
}

CommandLine parse_with_pasted_gunicorn(int argc, const char* const* argv, const po::options_description& options,
                                       const std::vector<std::string>& searched) {
    CommandLine line;
    std::optional<std::vector<std::string>> after_dash;
    line.words = words_before_double_dash(argc, argv, after_dash);
    line.vm = parse_command_line(line.words, options);
    if (line.vm.count("help")) return line;
    line.gunicorn = pasted_gunicorn_from(line.vm, after_dash);
    if (!line.gunicorn) return line;
    for (std::string& word : gunicorn_flag_words(*line.gunicorn, line.vm, options, searched))
        line.words.push_back(std::move(word));
    line.vm = parse_command_line(line.words, options);
    return line;
}

json gunicorn_echo(const PastedGunicorn& p) {
    json settings = json::object();
    json explicitly_set = json::array();
    for (const GunicornSetting& s : p.settings) {
        const json parsed = json::parse(s.value, nullptr, false);
        settings[s.flag] = parsed.is_number() || parsed.is_boolean() ? parsed : json(s.value);
        if (s.explicitly_set) explicitly_set.push_back(s.flag);
    }
    return {{"command", p.command},
            {"config_file", p.conf_path.empty() ? json(nullptr) : json(p.conf_path)},
            {"app", p.app.empty() ? json(nullptr) : json(p.app)},
            {"gunicorn_version", p.gunicorn_version},
            {"settings", settings},
            {"explicitly_set", explicitly_set},
            {"warnings", p.warnings}};
}

bool pasted_preload(PastedGunicorn& pasted, const Profile& profile) {
    const auto preload = std::find_if(pasted.settings.begin(), pasted.settings.end(), is_preload);
    if (preload == pasted.settings.end() || preload->value != "true") return false;
    if (profile.app && profile.app->preload_memory) return true;
    pasted.warnings.push_back(preload->gunicorn_option + ": the profile '" + profile.name +
                              "' has no memory measured with it (`workersim calibrate --app` measures it); "
                              "memory predicted as without it");
    return false;
}

void apply_pasted_preload(CommandLine& line, const Profile& profile, const po::options_description& options) {
    if (!line.gunicorn || !pasted_preload(*line.gunicorn, profile) || line.vm.count("preload")) return;
    line.words.push_back("--preload");
    line.vm = parse_command_line(line.words, options);
}

void print_gunicorn_warnings(std::ostream& out, const std::string& command_name, const PastedGunicorn& p) {
    for (const std::string& w : p.warnings) out << "workersim " << command_name << ": warning: " << w << "\n";
}

}  // namespace workersim::cli
