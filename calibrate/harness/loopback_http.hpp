#pragma once
// The little TCP the harness needs on 127.0.0.1: a free port, and one plain HTTP request to see
// whether the server answers (no curl dependency).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace workersim {

// A port the kernel just handed out for 127.0.0.1 (bound to port 0, then released).
int free_loopback_port();

struct HttpRequest {
    std::string method = "GET";
    std::string target;                // "/orders?id=1"
    std::vector<std::string> headers;  // "Content-Type: application/json"
    std::string body;                  // sent with its Content-Length when not empty
};

// The status code of `request` on 127.0.0.1:port, or std::nullopt if the connection fails,
// closes early or takes longer than `timeout`.
std::optional<int> http_status(int port, const HttpRequest& request, std::chrono::milliseconds timeout);
std::optional<int> http_get_status(int port, const std::string& path, std::chrono::milliseconds timeout);

// Status code from an HTTP response's first line ("HTTP/1.1 204 No Content"); nullopt if malformed.
std::optional<int> parse_http_status_line(const std::string& response);

}  // namespace workersim
