#pragma once
// A URL of the user's app as `calibrate --app` names it: "/orders" for a GET, "POST /orders"
// for any other method. The name keys its runs, its entry in the profile and --url-mix, and
// request_hooks.py files each request under the same name (the method and req.path), so a GET
// and a POST of one path are two URLs.

#include <string>

namespace workersim {

struct AppUrl {
    std::string method = "GET";
    std::string path;  // starts with '/', may carry a query
};

// The methods hey sends (-m) that calibrate --app accepts.
bool known_http_method(const std::string& method);
// Whether requests of this method carry a body (--body): POST, PUT, PATCH.
bool method_takes_body(const std::string& method);

// "/orders" -> GET /orders; "POST /orders" -> POST /orders.
AppUrl app_url(const std::string& name);
// The inverse: the path alone for a GET.
std::string app_url_name(const AppUrl& url);

}  // namespace workersim
