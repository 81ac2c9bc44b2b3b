#include "model/json_reader.hpp"

#include <cmath>
#include <sstream>

namespace workersim {

JsonReader::JsonReader(const nlohmann::json& object, std::string where, std::string path)
    : object_(object), where_(std::move(where)), path_(std::move(path)) {
    if (!object_.is_object())
        throw JsonError(where_ + ": " + (path_.empty() ? std::string("the top level") : path_) +
                        " must be a JSON object, found " + object_.type_name());
}

std::string JsonReader::qualified(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
}

void JsonReader::fail(const std::string& key, const std::string& expected) const {
    std::string found = "missing";
    if (object_.contains(key)) {
        const auto& value = object_.at(key);
        // Containers are named, not dumped: dump() recurses, and a hostile file can nest deeper
        // than the stack.
        if (value.is_structured()) {
            found = std::string("(") + value.type_name() + ")";
        } else {
            found = value.dump();
            if (found.size() > 60) found = found.substr(0, 57) + "...";
        }
    }
    throw JsonError(where_ + ": " + qualified(key) + " = " + found + ": expected " + expected);
}

bool JsonReader::has(const std::string& key) const { return object_.contains(key); }

const nlohmann::json& JsonReader::at(const std::string& key, const char* expected) {
    read_.insert(key);
    if (!object_.contains(key)) fail(key, expected);
    return object_.at(key);
}

static std::string range_text(const char* what, double min, double max) {
    std::ostringstream out;
    out << what << " in [" << min << ", " << max << "]";
    return out.str();
}

double JsonReader::number(const std::string& key, double min, double max) {
    const auto& v = at(key, "a number");
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < min || v.get<double>() > max)
        fail(key, range_text("a finite number", min, max));
    return v.get<double>();
}

double JsonReader::number_or(const std::string& key, double fallback, double min, double max) {
    if (!has(key)) {
        read_.insert(key);
        return fallback;
    }
    return number(key, min, max);
}

std::int64_t JsonReader::integer(const std::string& key, std::int64_t min, std::int64_t max) {
    const auto& v = at(key, "an integer");
    if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max)
        fail(key, range_text("an integer", static_cast<double>(min), static_cast<double>(max)));
    return v.get<std::int64_t>();
}

std::int64_t JsonReader::integer_or(const std::string& key, std::int64_t fallback, std::int64_t min,
                                    std::int64_t max) {
    if (!has(key)) {
        read_.insert(key);
        return fallback;
    }
    return integer(key, min, max);
}

bool JsonReader::boolean_or(const std::string& key, bool fallback) {
    read_.insert(key);
    if (!has(key)) return fallback;
    const auto& v = object_.at(key);
    if (!v.is_boolean()) fail(key, "true or false");
    return v.get<bool>();
}

std::string JsonReader::string(const std::string& key) {
    const auto& v = at(key, "a string");
    if (!v.is_string()) fail(key, "a string");
    return v.get<std::string>();
}

std::string JsonReader::string_or(const std::string& key, const std::string& fallback) {
    if (!has(key)) {
        read_.insert(key);
        return fallback;
    }
    return string(key);
}

std::vector<double> JsonReader::numbers(const std::string& key, double min, double max) {
    const auto& v = at(key, "an array of numbers");
    if (!v.is_array()) fail(key, "an array of numbers");
    std::vector<double> out;
    out.reserve(v.size());
    for (const auto& x : v) {
        if (!x.is_number() || !std::isfinite(x.get<double>()) || x.get<double>() < min || x.get<double>() > max)
            fail(key, range_text("an array of finite numbers", min, max));
        out.push_back(x.get<double>());
    }
    return out;
}

std::vector<double> JsonReader::numbers_or_empty(const std::string& key, double min, double max) {
    if (!has(key)) {
        read_.insert(key);
        return {};
    }
    return numbers(key, min, max);
}

JsonReader JsonReader::object(const std::string& key) {
    const auto& v = at(key, "an object");
    if (!v.is_object()) fail(key, "an object");
    return JsonReader(v, where_, qualified(key));
}

const nlohmann::json& JsonReader::raw(const std::string& key) { return at(key, "a value"); }

void JsonReader::reject_unknown_keys() const {
    for (const auto& item : object_.items())
        if (!read_.count(item.key()))
            throw JsonError(where_ + ": unknown key " + qualified(item.key()) + " (misspelt, or from a newer version?)");
}

}  // namespace workersim
