#pragma once
// A value a model refuses, named by the field that holds it as the structs spell it
// (`cores`, `workload.io_pct`, `max_workers`), never by a front end's flag: the CLI maps the
// field to its flag (cli/field_flags.hpp), another front end to its own words.

#include <sstream>
#include <stdexcept>
#include <string>

namespace workersim {

struct InvalidField : std::invalid_argument {
    InvalidField(std::string field_name, double given, std::string accepted)
        : std::invalid_argument(describe(field_name, given, accepted)),
          field(std::move(field_name)),
          value(given),
          expected(std::move(accepted)) {}

    std::string field;     // e.g. "cpu_time_factor"
    double value;          // in the field's own unit
    std::string expected;  // what the field accepts, e.g. "0.01..100"

private:
    static std::string describe(const std::string& field, double value, const std::string& expected) {
        std::ostringstream m;
        m << field << " = " << value << " is out of range: expected " << expected;
        return m.str();
    }
};

}  // namespace workersim
