#pragma once
// One function per subcommand. argv[0] is the subcommand's name. Each returns the exit
// status; UsageError escapes to main().

namespace workersim::cli {

int predict_command(int argc, const char* const* argv);
int recommend_command(int argc, const char* const* argv);
int sweep_command(int argc, const char* const* argv);
int calibrate_command(int argc, const char* const* argv);
int validate_command(int argc, const char* const* argv);
int probe_command(int argc, const char* const* argv);

}  // namespace workersim::cli
