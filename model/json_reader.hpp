#pragma once
// Strict reading of JSON objects: every key is checked for presence, type and range, and
// keys nobody asked for are reported. Errors name the source, the key path and what was
// expected, e.g. "profile.json: memory.shared_kib = -3: expected a number >= 0".

#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace workersim {

struct JsonError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class JsonReader {
public:
    // `where` names the source ("profile.json" or "runs.jsonl line 7"); `path` the object.
    JsonReader(const nlohmann::json& object, std::string where, std::string path = "");

    double number(const std::string& key, double min, double max);
    double number_or(const std::string& key, double fallback, double min, double max);
    std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max);
    std::int64_t integer_or(const std::string& key, std::int64_t fallback, std::int64_t min, std::int64_t max);
    bool boolean_or(const std::string& key, bool fallback);
    std::string string(const std::string& key);
    std::string string_or(const std::string& key, const std::string& fallback);
    std::vector<double> numbers(const std::string& key, double min, double max);
    std::vector<double> numbers_or_empty(const std::string& key, double min, double max);
    bool has(const std::string& key) const;
    JsonReader object(const std::string& key);
    const nlohmann::json& raw(const std::string& key);

    // Throws if the object has keys that were never read.
    void reject_unknown_keys() const;

    [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

    // For a reader of an array's elements: the source, and a key's path from the top.
    const std::string& where() const { return where_; }
    std::string qualified(const std::string& key) const;

private:
    const nlohmann::json& at(const std::string& key, const char* expected);

    const nlohmann::json& object_;
    std::string where_;
    std::string path_;
    std::set<std::string> read_;
};

}  // namespace workersim
