#include "calibrate/harness/postgres_cluster.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "calibrate/harness/loopback_http.hpp"
#include "calibrate/harness/proc_stats.hpp"
#include "calibrate/harness/text_file.hpp"

namespace workersim {

namespace {

using namespace std::chrono_literals;

std::string tail_of_file(const std::string& path, std::size_t max_chars = 2000) {
    const std::string all = read_text_file(path);
    return all.size() > max_chars ? all.substr(all.size() - max_chars) : all;
}

}  // namespace

ExistingDatabase parse_pg_dsn(const std::string& dsn) {
    ExistingDatabase db;
    std::size_t at = 0;
    auto skip_spaces = [&] {
        while (at < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[at]))) ++at;
    };
    auto fail = [&](const std::string& why) -> void {
        throw std::invalid_argument("the DSN \"" + dsn + "\": " + why);
    };
    bool any = false;
    for (skip_spaces(); at < dsn.size(); skip_spaces()) {
        const std::size_t equals = dsn.find('=', at);
        if (equals == std::string::npos) fail("expected key=value pairs");
        std::string key = dsn.substr(at, equals - at);
        while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
        at = equals + 1;
        skip_spaces();
        std::string value;
        if (at < dsn.size() && dsn[at] == '\'') {
            for (++at;; ++at) {
                if (at >= dsn.size()) fail("unterminated quoted value of " + key);
                if (dsn[at] == '\\' && at + 1 < dsn.size()) value += dsn[++at];
                else if (dsn[at] == '\'') break;
                else value += dsn[at];
            }
            ++at;
        } else {
            while (at < dsn.size() && !std::isspace(static_cast<unsigned char>(dsn[at]))) value += dsn[at++];
        }
        if (key == "host" || key == "hostaddr") db.host = value;
        else if (key == "port") {
            char* end = nullptr;
            const long port = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || port < 1 || port > 65535)
                fail("port " + value + ": expected 1..65535");
            db.port = static_cast<int>(port);
        } else if (key == "user") db.user = value;
        else if (key == "password") db.password = value;
        else if (key == "dbname") db.dbname = value;
        else fail("unknown key \"" + key + "\": expected host, hostaddr, port, user, password or dbname");
        if (value.empty() && key != "password") fail(key + " is empty");
        any = true;
    }
    if (!any) fail("empty: expected e.g. \"host=127.0.0.1 port=5432 user=postgres password=password dbname=postgres\"");
    return db;
}

PostgresCluster::PostgresCluster(const PostgresOptions& options) {
    directory_ = std::make_unique<TempDirectory>("workersim-pg", options.temp_root);
    const std::string data = directory_->file("data");
    const bool as_root = geteuid() == 0;
    const std::string user = as_root ? options.run_as_user : "";
    // Authentication as in Debian's stock cluster and the article: TCP connections log in
    // with a scram-sha-256 password (its key derivation costs CPU on both sides of every new
    // connection); only the local socket, which the app never uses, trusts.
    const std::string password_file = directory_->file("password");
    write_text_file(password_file, options.password + "\n");
    if (as_root) {
        // PostgreSQL refuses to run as root: the cluster belongs to its own user.
        const passwd* account = getpwnam(user.c_str());
        if (!account) throw std::runtime_error("running as root needs a \"" + user + "\" user for PostgreSQL");
        for (const std::string& path : {directory_->path(), password_file})
            if (chown(path.c_str(), account->pw_uid, account->pw_gid) != 0)
                throw std::system_error(errno, std::generic_category(), "chown " + path);
    }
    ChildSpec initdb;
    initdb.argv = {options.bin_dir + "/initdb", "-D", data, "-U", "postgres", "--auth-local=trust",
                   "--auth-host=scram-sha-256", "--pwfile=" + password_file, "--no-sync",
                   "--encoding=UTF8", "--locale=C"};
    initdb.run_as_user = user;
    run_to_completion(initdb, 60s, options.temp_root);
    connection_.password = options.password;

    connection_.port = free_loopback_port();
    const std::string log = directory_->file("postgres.log");
    ChildSpec server;
    server.argv = {options.bin_dir + "/postgres",
                   "-D", data,
                   "-p", std::to_string(connection_.port),
                   "-k", directory_->path(),
                   "-c", "listen_addresses=127.0.0.1",
                   // Durability settings stay at their defaults, as on a stock cluster: the
                   // app writes nothing, so they cost nothing here.
                   "-c", "max_connections=" + std::to_string(options.max_connections)};
    server.run_as_user = user;
    server.session_nice = options.session_nice;
    server.stdout_path = log;
    server.stderr_path = log;
    server.stop_signal = SIGINT;   // fast shutdown
    server.abort_signal = SIGQUIT; // immediate shutdown; the postmaster still stops its backends
    postmaster_ = std::make_unique<ChildProcess>(server);

    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
        if (postmaster_->poll())
            throw std::runtime_error("PostgreSQL exited at start (" + describe(*postmaster_->exit()) +
                                     "); its log: " + tail_of_file(log));
        ChildSpec ready;
        ready.argv = {options.bin_dir + "/pg_isready", "-q", "-h", "127.0.0.1", "-p",
                      std::to_string(connection_.port), "-U", "postgres", "-d", "postgres"};
        try {
            run_to_completion(ready, 10s, options.temp_root);
            break;
        } catch (const std::runtime_error&) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("PostgreSQL did not accept connections within 30 s; its log: " +
                                         tail_of_file(log));
        }
        std::this_thread::sleep_for(100ms);
    }
}

PostgresCluster::PostgresCluster(const ExistingDatabase& existing) : connection_(existing) {
    if (existing.host == "127.0.0.1" || existing.host == "localhost")
        existing_postmaster_ = find_listening_pid(existing.port);
}

PostgresCluster::~PostgresCluster() {
    // The postmaster's fast shutdown stops its backends (each in its own session, out of
    // reach of a group signal) before it exits; then the directory goes.
    postmaster_.reset();
    directory_.reset();
}

std::vector<std::pair<std::string, std::string>> PostgresCluster::environment() const {
    return {{"PGHOST", connection_.host},
            {"PGPORT", std::to_string(connection_.port)},
            {"PGUSER", connection_.user},
            {"PGPASSWORD", connection_.password},
            {"PGDATABASE", connection_.dbname}};
}

std::optional<pid_t> PostgresCluster::postmaster_pid() const {
    if (!postmaster_) return std::nullopt;
    return postmaster_->pid();
}

std::string PostgresCluster::data_directory() const { return directory_ ? directory_->file("data") : ""; }

void PostgresCluster::set_affinity(const CoreList& cores) const {
    if (!postmaster_) return;
    workersim::set_affinity(postmaster_->pid(), cores);
    for (pid_t child : read_children(postmaster_->pid())) workersim::set_affinity(child, cores);
}

bool PostgresCluster::cpu_measured() const { return postmaster_ || existing_postmaster_; }

double PostgresCluster::cpu_s() const {
    if (!cpu_measured()) return 0;
    const pid_t postmaster = postmaster_ ? postmaster_->pid() : *existing_postmaster_;
    const auto own = read_cpu_ticks(postmaster);
    if (!own) throw std::runtime_error("the PostgreSQL postmaster (pid " + std::to_string(postmaster) + ") is gone");
    std::int64_t ticks = own->utime + own->stime + own->cutime + own->cstime;
    for (pid_t child : read_children(postmaster)) {
        if (const auto cpu = read_cpu_ticks(child)) ticks += cpu->utime + cpu->stime;
    }
    return ticks_to_s(ticks);
}

}  // namespace workersim
