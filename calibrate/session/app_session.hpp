#pragma once
// `workersim calibrate --app`: the experiments on a user's WSGI app under real Gunicorn sync
// workers, each appended to the runs file as it ends, resumed from it on the next call.
//   serial     per URL: one worker, one client (hey -c 1), the hooks' per-request CPU and IO
//   contended  per URL: one worker, three clients: held out, to check the model against
//   memory     1..N workers, without and with --preload: PSS at boot and after requests
// A URL whose requests get a status outside 2xx/3xx, or no response (a worker killed by
// Gunicorn's --timeout), is skipped with a message naming it; its finished runs stay.

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/records/app_run.hpp"
#include "calibrate/session/calibration_session.hpp"

namespace workersim {

// The app cannot be measured at all (it does not import, it does not boot): bad input.
struct AppInputError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct AppSessionOptions {
    std::string callable;      // MODULE:CALLABLE
    std::string chdir;         // where Gunicorn imports it from
    std::vector<std::pair<std::string, double>> urls;  // name (calibrate/session/app_url.hpp), weight
    std::map<std::string, std::string> body_files;     // by URL name: the request body hey sends
    std::vector<std::string> headers;                   // on every request: "Content-Type: application/json"
    std::vector<std::pair<std::string, std::string>> environment;  // the app's own (--env)
    bool quick = false;
    std::string runs_path;
    std::string server_dir;    // request_hooks.py and gunicorn_hooks.py
    std::string gunicorn = "gunicorn";
    double timeout_s = 30;     // Gunicorn's --timeout
    // See HarnessOptions::session_nice: other sessions' builds on a shared host otherwise take
    // a share of the server's core (a one-worker CPU-bound URL served at half its speed).
    std::optional<int> session_nice = -10;
    std::string temp_root;
    std::function<void(const std::string&)> said;           // a line per run, per skipped URL
    std::function<void(const SessionProgress&)> progress;   // before each run and at the end
};

// What Gunicorn's master reported of itself (request_hooks.py's when_ready).
struct AppRuntime {
    std::string python;            // sys.executable
    std::string python_version;    // "3.11.2"
    std::string gunicorn_version;  // "20.1.0"
};

struct AppSessionOutcome {
    std::vector<AppRun> runs;              // resumed and new
    std::vector<std::string> skipped;      // one message per URL left out
    std::optional<AppRuntime> runtime;     // when this call started Gunicorn
};

// Reads request_hooks.py's runtime line (executable, Python version, Gunicorn version,
// tab-separated); std::nullopt unless it has the three fields.
std::optional<AppRuntime> parse_app_runtime(const std::string& text);

// The runs of a runs file, in its order (none if it does not exist); a last line cut off
// mid-write (the process was killed) is dropped and *cut_off set. Throws
// std::invalid_argument naming any other line that is not a run.
std::vector<AppRun> read_app_runs(const std::string& path, bool* cut_off = nullptr);

// Throws AppInputError when the app does not boot under Gunicorn, with the end of its log.
AppSessionOutcome run_app_session(const AppSessionOptions& options);

}  // namespace workersim
