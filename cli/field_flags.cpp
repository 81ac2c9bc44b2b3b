#include "cli/field_flags.hpp"

#include <sstream>
#include <string>

#include "model/invalid_field.hpp"

namespace workersim::cli {

namespace {

struct FieldFlag {
    const char* field;
    const char* flag;
    double flag_per_field_unit;  // --io-ms is in milliseconds, workload.io_s in seconds
};

constexpr FieldFlag kFieldFlags[] = {
    {"cores", "--cores", 1},
    {"cpu_time_factor", "--cpu-time-factor", 1},
    {"max_workers", "--max-workers", 1},
    {"workload.io_pct", "--io-pct", 1},
    {"workload.cpu_pct", "--cpu-pct", 1},
    {"workload.unit_s", "--unit", 1},
    {"workload.io_s", "--io-ms", 1000},
    {"workload.cpu_s", "--cpu-ms", 1000},
};

}  // namespace

UsageError usage_error(const std::invalid_argument& error) {
    const auto* invalid = dynamic_cast<const InvalidField*>(&error);
    if (!invalid) return UsageError(error.what());
    for (const FieldFlag& f : kFieldFlags) {
        if (invalid->field != f.field) continue;
        std::ostringstream m;
        m << f.flag << " " << invalid->value * f.flag_per_field_unit << ": expected " << invalid->expected;
        return UsageError(m.str());
    }
    return UsageError(error.what());
}

}  // namespace workersim::cli
