#pragma once
// predict's reproducible scenarios: every option's effective value as JSON (what --json echoes
// under "scenario"), and a file of those keys read back as if typed (--scenario FILE).

#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

namespace workersim::cli {

// Options that shape the output or the machine, not the prediction, and --gunicorn-conf, whose
// settings the scenario holds as workersim's flags: never in a scenario.
bool is_scenario_option(const std::string& flag);

// Each scenario option of `options` by its flag name: the value given (a JSON number when the
// text is one exactly, else the text), the default it took otherwise (`run_defaults` holds
// the ones the profile or other flags decide, e.g. {"cores": 4}), or null for one not in
// effect (--rate under a closed loop, --cpu-pct beside --io-pct) or without a default
// (--slo-p99).
nlohmann::json scenario_echo(const boost::program_options::variables_map& vm,
                             const boost::program_options::options_description& options,
                             const nlohmann::json& run_defaults);

// The words "--flag value" for the file's keys, except those the command line sets: a flag
// given beside --scenario overrides the file, and one of a group that excludes the rest (the
// mix or demands; --clients or --rate) drops the file's whole group. Throws UsageError naming
// the file, and the key for an unknown key or a value of the wrong type.
std::vector<std::string> scenario_file_words(const std::string& path,
                                             const boost::program_options::options_description& options,
                                             const boost::program_options::variables_map& command_line);

}  // namespace workersim::cli
