#pragma once
// Where the files workersim ships beside its binary are: the reference app the harness runs
// (calibrate/server) and the reader of Gunicorn's settings (cli/gunicorn_settings.py). The one
// home of that lookup, so an installed binary and one run from its build tree find the same
// files without a path baked in at build time.

#include <string>

namespace workersim::cli {

// The directory holding app.py, gunicorn_hooks.py, speed_probe.py and connection_probe.py.
std::string bundled_server_dir();
// The Python script that prints Gunicorn's reading of a command line as JSON.
std::string gunicorn_settings_script();

}  // namespace workersim::cli
