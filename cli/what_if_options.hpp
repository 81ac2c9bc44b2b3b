#pragma once
// The flags that describe a what-if (server, workload, load, calibration), shared by
// predict, sweep and recommend.

#include <boost/program_options.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "model/profile.hpp"
#include "model/what_if.hpp"

namespace workersim::cli {

namespace po = boost::program_options;

po::options_description server_options();    // --workers --cores --timeout --backlog --max-requests...
// --worker-connections --keepalive, which server_options holds too: for a command that takes
// gthread's server flags but not the others.
void add_gthread_server_options(po::options_description& options);
po::options_description workload_options();  // --io-pct --cpu-pct --io-ms --cpu-ms --unit --io-dist...
po::options_description load_options();      // --clients --requests --rate --loadgen --client-timeout
po::options_description profile_options();   // --calibration

// The what-if the flags describe. `workers` comes from --workers unless the caller sweeps it.
WhatIf what_if_from(const po::variables_map& vm);
Profile profile_from(const po::variables_map& vm);
std::uint64_t seed_from(const po::variables_map& vm);

// Parses argv against `options`, rejecting unknown flags and stray words by name.
po::variables_map parse_command_line(int argc, const char* const* argv, const po::options_description& options);
// The same for words, the first being the command's name.
po::variables_map parse_command_line(const std::vector<std::string>& words, const po::options_description& options);
// With --help, prints `options` to stdout and says so: the command then exits 0.
bool print_help_if_asked(const po::variables_map& vm, const po::options_description& options);

}  // namespace workersim::cli
