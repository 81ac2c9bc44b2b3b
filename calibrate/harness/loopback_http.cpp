#include "calibrate/harness/loopback_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace workersim {

namespace {

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

struct Socket {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ~Socket() {
        if (fd >= 0) close(fd);
    }
};

}  // namespace

int free_loopback_port() {
    Socket s;
    if (s.fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
    sockaddr_in address = loopback(0);
    if (bind(s.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::system_error(errno, std::generic_category(), "bind 127.0.0.1:0");
    socklen_t length = sizeof address;
    if (getsockname(s.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::system_error(errno, std::generic_category(), "getsockname");
    return ntohs(address.sin_port);
}

std::optional<int> parse_http_status_line(const std::string& response) {
    // "HTTP/1.x NNN ..."
    if (response.rfind("HTTP/", 0) != 0) return std::nullopt;
    const auto space = response.find(' ');
    if (space == std::string::npos || space + 4 > response.size()) return std::nullopt;
    int code = 0;
    for (std::size_t i = space + 1; i < space + 4; ++i) {
        if (response[i] < '0' || response[i] > '9') return std::nullopt;
        code = code * 10 + (response[i] - '0');
    }
    return code;
}

std::optional<int> http_get_status(int port, const std::string& path, std::chrono::milliseconds timeout) {
    HttpRequest request;
    request.target = path;
    return http_status(port, request, timeout);
}

std::optional<int> http_status(int port, const HttpRequest& http, std::chrono::milliseconds timeout) {
    Socket s;
    if (s.fd < 0) return std::nullopt;
    timeval limit{};
    limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    limit.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    sockaddr_in address = loopback(port);
    if (connect(s.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return std::nullopt;
    std::string request = http.method + " " + http.target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n";
    for (const std::string& header : http.headers) request += header + "\r\n";
    if (!http.body.empty()) request += "Content-Length: " + std::to_string(http.body.size()) + "\r\n";
    request += "\r\n" + http.body;
    if (send(s.fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
        return std::nullopt;
    std::string response;
    char buffer[512];
    while (response.find("\r\n") == std::string::npos) {
        const ssize_t got = recv(s.fd, buffer, sizeof buffer, 0);
        if (got <= 0) break;
        response.append(buffer, static_cast<std::size_t>(got));
    }
    return parse_http_status_line(response);
}

}  // namespace workersim
