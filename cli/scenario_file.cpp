#include "cli/scenario_file.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include "cli/usage_error.hpp"
#include "model/limits.hpp"
#include "model/what_if.hpp"

namespace workersim::cli {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

// Flags that exclude each other's values (what_if_from refuses them together, or one
// implies another): a command-line flag of a group replaces the file's whole group.
const std::array<std::vector<std::string>, 2> kExclusiveGroups{{
    {"io-pct", "cpu-pct", "io-ms", "cpu-ms"},
    {"clients", "rate"},
}};

bool is_switch(const po::option_description& option) { return option.semantic()->max_tokens() == 0; }

// The text as a JSON number when it prints back the same, so reading the echo gives the
// same text and the same parse; otherwise the text.
json echoed_text(const std::string& text) {
    const json number = json::parse(text, nullptr, false);
    if (number.is_number() && number.dump() == text) return number;
    return text;
}

bool any_given(const po::variables_map& vm, const std::vector<std::string>& flags) {
    for (const std::string& flag : flags)
        if (vm.count(flag)) return true;
    return false;
}

// The value a flag not given takes, from the struct that holds it (one home for each default).
json default_of(const std::string& flag, const po::variables_map& vm) {
    const WhatIf defaults;
    const ServerConfig& server = defaults.server;
    const bool open = vm.count("rate") > 0;
    if (flag == "workers") return defaults.workers;
    if (flag == "cpu-time-factor") return defaults.cpu_time_factor;
    if (flag == "timeout") return server.timeout_s;
    if (flag == "backlog") return server.backlog;
    if (flag == "max-requests") return server.max_requests;
    if (flag == "max-requests-jitter") return server.max_requests_jitter;
    if (flag == "worker-class") return worker_class_name(server.worker_class);
    if (flag == "threads") return server.threads;
    if (flag == "worker-connections") return server.worker_connections;
    if (flag == "keepalive") return server.keepalive_s;
    if (flag == "io-pct") return any_given(vm, kExclusiveGroups[0]) ? json(nullptr) : json(100);  // the seed article's 100% IO
    if (flag == "unit") return defaults.workload.unit_s;
    if (flag == "io-dist" || flag == "cpu-dist") return "det";
    if (flag == "gil-free-pct") return 100 * defaults.workload.gil_free_share;
    if (flag == "clients") return open ? json(nullptr) : json(kDefaultClients);
    if (flag == "requests") return kDefaultRequests;
    if (flag == "loadgen") return defaults.loadgen_shared ? "shared" : "separate";
    if (flag == "client-timeout") return defaults.load.client_timeout_s;
    if (flag == "client-keepalive") return defaults.load.keep_alive ? "on" : "off";
    if (flag == "seed") return 1;
    if (flag == "method") return "sim";
    if (flag == "steady-state") return "auto";
    return nullptr;  // none, or not in effect: --calibration's embedded profile, --rate, --slo-p99 ...
}

json read_scenario_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw UsageError("--scenario " + path + ": cannot read the file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    json file;
    try {
        file = json::parse(buffer.str());
    } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e400
        throw UsageError("--scenario " + path + ": not valid JSON: " + e.what());
    }
    if (!file.is_object())
        throw UsageError("--scenario " + path + ": expected an object of predict's options (the \"scenario\" that "
                         "predict --json prints), got " + file.type_name());
    return file;
}

bool overridden(const std::string& flag, const po::variables_map& command_line) {
    if (command_line.count(flag)) return true;
    for (const auto& group : kExclusiveGroups)
        if (std::find(group.begin(), group.end(), flag) != group.end() && any_given(command_line, group)) return true;
    return false;
}

// One key's words: none for null or false, the flag alone for a switch set to true.
std::vector<std::string> words_of(const std::string& path, const po::option_description& option, const json& value) {
    const std::string flag = "--" + option.long_name();
    const std::string where = "--scenario " + path + ": key \"" + option.long_name() + "\": ";
    if (value.is_null()) return {};
    if (is_switch(option)) {
        if (!value.is_boolean()) throw UsageError(where + "expected true or false, got " + value.dump());
        return value.get<bool>() ? std::vector<std::string>{flag} : std::vector<std::string>{};
    }
    if (value.is_string()) return {flag, value.get<std::string>()};
    if (value.is_number()) return {flag, value.dump()};
    throw UsageError(where + "expected a number, a string or null (as " + flag + " takes), got " + value.dump());
}

}  // namespace

bool is_scenario_option(const std::string& flag) {
    return flag != "help" && flag != "json" && flag != "scenario" && flag != "timeline" && flag != "jobs" &&
           flag != "gunicorn-conf";  // its settings are in the scenario already
}

json scenario_echo(const po::variables_map& vm, const po::options_description& options, const json& run_defaults) {
    json echo = json::object();
    for (const auto& option : options.options()) {
        const std::string flag = option->long_name();
        if (!is_scenario_option(flag)) continue;
        // Only an app's profile has URLs: absent unless given, so other echoes stay as they were.
        if (flag == "url-mix" && !vm.count(flag)) continue;
        if (is_switch(*option)) echo[flag] = vm.count(flag) > 0;
        else if (vm.count(flag)) echo[flag] = echoed_text(vm[flag].as<std::string>());
        else if (run_defaults.contains(flag)) echo[flag] = run_defaults[flag];
        else echo[flag] = default_of(flag, vm);
    }
    return echo;
}

std::vector<std::string> scenario_file_words(const std::string& path, const po::options_description& options,
                                             const po::variables_map& command_line) {
    const json file = read_scenario_file(path);
    std::vector<std::string> words;
    for (const auto& [key, value] : file.items()) {
        const po::option_description* option = options.find_nothrow(key, false, false, false);
        if (!option || !is_scenario_option(key) || option->long_name() != key)
            throw UsageError("--scenario " + path + ": unknown key \"" + key +
                             "\" (expected predict's option names, as predict --json prints them under \"scenario\")");
        if (overridden(key, command_line)) continue;
        for (std::string& word : words_of(path, *option, value)) words.push_back(std::move(word));
    }
    return words;
}

}  // namespace workersim::cli
