#pragma once
// Strict parsing of flag values. Every function names the flag in its error.

#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/harness/postgres_cluster.hpp"
#include "model/limits.hpp"

namespace workersim::cli {

std::int64_t parse_integer(const std::string& flag, const std::string& text, std::int64_t min, std::int64_t max);
std::int64_t parse_integer(const std::string& flag, const std::string& text, const IntegerRange& range);
double parse_number(const std::string& flag, const std::string& text, double min, double max);
// Seconds: a plain number ("30", as Gunicorn's --timeout) or with a unit ("250ms", "2s").
double parse_seconds(const std::string& flag, const std::string& text, double min_s, double max_s);
double parse_kib(const std::string& flag, const std::string& text, double min_kib, double max_kib);
// A flag's list of values: "FROM..TO", "FROM..TO:STEP", "A,B,C" or one value, each in
// min..max (integers when `integer`), at most max_values of them.
std::vector<double> parse_values(const std::string& flag, const std::string& text, bool integer, double min, double max,
                                 std::size_t max_values);
// --pg-dsn's libpq key/value string (calibrate/harness/postgres_cluster.hpp parse_pg_dsn).
ExistingDatabase parse_pg_dsn_flag(const std::string& text);

}  // namespace workersim::cli
