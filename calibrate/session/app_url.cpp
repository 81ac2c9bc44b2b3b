#include "calibrate/session/app_url.hpp"

#include <algorithm>
#include <iterator>

namespace workersim {

namespace {
constexpr const char* kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
}

bool known_http_method(const std::string& method) {
    return std::find(std::begin(kMethods), std::end(kMethods), method) != std::end(kMethods);
}

bool method_takes_body(const std::string& method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

AppUrl app_url(const std::string& name) {
    const auto space = name.find(' ');
    if (space == std::string::npos) return {"GET", name};
    return {name.substr(0, space), name.substr(space + 1)};
}

std::string app_url_name(const AppUrl& url) { return url.method == "GET" ? url.path : url.method + " " + url.path; }

}  // namespace workersim
