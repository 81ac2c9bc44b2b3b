// workersim: how many Gunicorn sync workers, on how many cores, with how much memory?

#include <cstring>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>

#include "cli/commands.hpp"
#include "cli/usage_error.hpp"
#include "sim/simulator.hpp"

namespace {

struct Subcommand {
    const char* name;
    int (*run)(int, const char* const*);
    const char* summary;
};

const Subcommand kSubcommands[] = {
    {"predict", workersim::cli::predict_command, "what-if: throughput, latency and memory for one configuration"},
    {"recommend", workersim::cli::recommend_command, "how many workers: the sizing answer, with (2 x cores) + 1 beside it"},
    {"sweep", workersim::cli::sweep_command, "vary workers, cores, mix, clients or rate; a table, CSV or JSON lines"},
    {"calibrate", workersim::cli::calibrate_command, "measure the reference app on this host and fit a calibration profile"},
    {"probe", workersim::cli::probe_command, "measure what drifts on this host (seconds) and move a profile to it"},
    {"validate", workersim::cli::validate_command, "measured vs predicted for a runs file: errors per run and per metric"},
};

#ifndef WORKERSIM_VERSION
#define WORKERSIM_VERSION "unknown"
#endif

void print_usage(std::ostream& out) {
    out << "usage: workersim <command> [flags]   (workersim <command> --help for its flags)\n"
           "       workersim --version\n\ncommands:\n";
    for (const auto& c : kSubcommands) out << "  " << c.name << std::string(12 - std::strlen(c.name), ' ') << c.summary << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        print_usage(argc < 2 ? std::cerr : std::cout);
        return argc < 2 ? 2 : 0;
    }
    if (std::strcmp(argv[1], "--version") == 0) {
        std::cout << "workersim " << WORKERSIM_VERSION << "\n";
        return 0;
    }
    for (const auto& c : kSubcommands) {
        if (std::strcmp(argv[1], c.name) != 0) continue;
        try {
            return c.run(argc - 1, argv + 1);
        } catch (const workersim::cli::UsageError& e) {
            std::cerr << "workersim " << c.name << ": " << e.what() << "\n";
            return 2;
        } catch (const workersim::InFlightLimitExceeded& e) {
            std::cerr << "workersim " << c.name << ": " << e.what() << " (--rate, --requests)\n";
            return 2;
        } catch (const std::exception& e) {
            std::cerr << "workersim " << c.name << ": " << e.what() << "\n";
            return 1;
        }
    }
    std::cerr << "workersim: unknown command '" << argv[1] << "'\n";
    print_usage(std::cerr);
    return 2;
}
