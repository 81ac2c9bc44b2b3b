#pragma once
// Where a calibration was measured: the date, this host's CPU and kernel, and the versions of
// the tools the harness runs.

#include <string>

#include "model/profile.hpp"

namespace workersim {

struct ProvenanceSources {
    std::string runs_file;
    std::string gunicorn = "/usr/bin/gunicorn";  // HarnessOptions::gunicorn
    std::string python = "/usr/bin/python3";     // the interpreter Debian's gunicorn runs on
    std::string postgres_bin_dir = "/usr/lib/postgresql/15/bin";
};

// A version the host cannot tell is left empty.
Provenance collect_provenance(const ProvenanceSources& sources);

}  // namespace workersim
