#pragma once
// `workersim calibrate --app MODULE:CALLABLE`: the flags that measure a user's WSGI app
// instead of the reference app, and the command they run.

#include <boost/program_options.hpp>

namespace workersim::cli {

boost::program_options::options_description calibrate_app_options();  // --app --chdir --url --env --gunicorn

// Measures (unless --only-fit), fits and writes the app's profile. Exit status: 0, or 2 when a
// URL had to be skipped (its message on stderr; the others' profile is written).
int calibrate_app(const boost::program_options::variables_map& vm);

}  // namespace workersim::cli
