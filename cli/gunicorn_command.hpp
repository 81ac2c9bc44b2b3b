#pragma once
// A Gunicorn command pasted after `--` (`workersim predict -- gunicorn -w 4 -k gthread app:app`)
// or a config file (--gunicorn-conf FILE), read by Gunicorn's own parser: cli/gunicorn_settings.py
// under Debian's /usr/bin/python3, so the defaults, the precedence of file and command line and
// the validation are Gunicorn's, and no Python is parsed here. The settings workersim models
// become its own flags; every other setting the command sets is named in a warning.
//
// Precedence: a workersim flag given beside the pasted command overrides the command's value
// (named in a warning when the command set it), the pasted command overrides --scenario's file,
// and Gunicorn's defaults fill in the rest.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "model/profile.hpp"
#include "model/what_if.hpp"

namespace workersim::cli {

// One setting workersim models, as the workersim flag that carries it.
struct GunicornSetting {
    std::string flag;             // workersim's flag without dashes: "workers", "keepalive"
    std::string value;            // its value as that flag takes it: "4", "gthread"
    std::string gunicorn_option;  // as Gunicorn spells it: "-w/--workers"
    bool explicitly_set = false;  // by the command, the config file or GUNICORN_CMD_ARGS; else Gunicorn's default
};

struct PastedGunicorn {
    std::vector<std::string> command;  // the words after `--`, as typed
    std::string conf_path;             // --gunicorn-conf, or empty
    std::string app;                   // the app module it names (never loaded), or empty
    std::string gunicorn_version;
    std::vector<GunicornSetting> settings;  // every setting workersim models, in its flags' order
    WhatIf what_if;                    // the server those settings describe (workers, server), checked
    std::vector<std::string> warnings; // each explicitly set setting workersim does not model, each override
};

// --gunicorn-conf, for the commands that take a pasted Gunicorn command.
boost::program_options::options_description gunicorn_options();

// argv's words up to a `--` (workersim's own flags); `pasted` gets the words after it.
std::vector<std::string> words_before_double_dash(int argc, const char* const* argv,
                                                  std::optional<std::vector<std::string>>& pasted);

// Gunicorn's reading of `command` (a leading "gunicorn" word is dropped) and of `conf_path`
// (empty: none). Throws UsageError when Gunicorn refuses the command (its message quoted),
// for a worker class workersim does not model (naming it and the accepted ones), and for a
// value out of workersim's range.
PastedGunicorn read_pasted_gunicorn(const std::vector<std::string>& command, const std::string& conf_path);

// The pasted command, if any: the words after `--` and --gunicorn-conf, read by Gunicorn.
std::optional<PastedGunicorn> pasted_gunicorn_from(const boost::program_options::variables_map& command_line,
                                                   const std::optional<std::vector<std::string>>& words_after_dash);

// The words "--flag value" for the pasted settings among `options`' flags that `command_line`
// does not give (a workersim flag overrides the pasted command), leaving out `searched`
// (recommend's --worker-class and --threads: what it searches, not what it is given). Each
// override of a setting the command set explicitly is added to pasted.warnings.
std::vector<std::string> gunicorn_flag_words(PastedGunicorn& pasted,
                                             const boost::program_options::variables_map& command_line,
                                             const boost::program_options::options_description& options,
                                             const std::vector<std::string>& searched = {});

// argv parsed against `options` with a pasted command's settings under workersim's own flags
// (gunicorn_flag_words), and the words that make it, for a caller that adds more under them
// (predict's --scenario). With --help the command is not read.
struct CommandLine {
    std::vector<std::string> words;
    boost::program_options::variables_map vm;
    std::optional<PastedGunicorn> gunicorn;
};
CommandLine parse_with_pasted_gunicorn(int argc, const char* const* argv,
                                       const boost::program_options::options_description& options,
                                       const std::vector<std::string>& searched = {});

// {"command", "config_file", "app", "gunicorn_version", "settings": {flag: value},
// "explicitly_set": [flag...], "warnings": [...]}: what --json echoes under "gunicorn".
nlohmann::json gunicorn_echo(const PastedGunicorn& pasted);
// Whether the pasted command's --preload (preload_app) applies: it does where the profile has
// memory measured with it (calibrate --app); otherwise a warning says memory is predicted as
// without it, rather than refusing a production command over memory alone.
bool pasted_preload(PastedGunicorn& pasted, const Profile& profile);
// The same for predict and sweep: "--preload" added to line's words (and line.vm parsed again
// against `options`) when the pasted command's --preload applies.
void apply_pasted_preload(CommandLine& line, const Profile& profile,
                          const boost::program_options::options_description& options);
// Each warning on its own line: "workersim predict: warning: ...".
void print_gunicorn_warnings(std::ostream& out, const std::string& command_name, const PastedGunicorn& pasted);

}  // namespace workersim::cli
