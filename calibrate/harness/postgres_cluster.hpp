#pragma once
// The database behind the app's IO phase: a private PostgreSQL 15 cluster that authenticates
// like a stock one (initdb into a temp directory, scram-sha-256 password over TCP on
// 127.0.0.1, a free port, durability at its defaults), stopped and deleted by the destructor;
// or an existing server we only point the app at (--pg-dsn).

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/harness/child_process.hpp"
#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/harness/temp_directory.hpp"

namespace workersim {

struct ExistingDatabase {
    std::string host = "127.0.0.1";
    int port = 5432;
    std::string user = "postgres";
    std::string password = "password";  // the article's
    std::string dbname = "postgres";
};

// Reads a libpq keyword/value connection string ("host=127.0.0.1 port=5432 user=postgres
// password=password dbname=postgres"; values may be single-quoted); keys left out keep the
// article's values. Throws std::invalid_argument naming the bad key or value and what is
// accepted.
ExistingDatabase parse_pg_dsn(const std::string& dsn);

struct PostgresOptions {
    std::string bin_dir = "/usr/lib/postgresql/15/bin";
    std::string run_as_user = "postgres";  // used only when we are root
    std::string password = "password";     // the postgres user's, as the article's app logs in
    int max_connections = 200;             // each in-flight IO request holds a connection
    std::string temp_root;                 // where the data directory goes; empty: /tmp
    std::optional<int> session_nice;       // see ChildSpec::session_nice
};

class PostgresCluster {
public:
    // Creates and starts a private cluster; throws std::runtime_error with initdb's or the
    // server's log on failure.
    explicit PostgresCluster(const PostgresOptions& options = {});
    // Uses a server someone else runs: no postmaster of ours, no CPU figures.
    explicit PostgresCluster(const ExistingDatabase& existing);
    ~PostgresCluster();
    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

    const ExistingDatabase& connection() const { return connection_; }
    // The PG* environment variables the app (psycopg2/libpq) reads.
    std::vector<std::pair<std::string, std::string>> environment() const;

    bool is_ours() const { return postmaster_ != nullptr; }
    std::optional<pid_t> postmaster_pid() const;
    std::string data_directory() const;

    // Pins the postmaster and its current children; backends forked later inherit the mask.
    void set_affinity(const CoreList& cores) const;

    // Whether cpu_s() measures anything: our cluster, or an existing one on this host whose
    // postmaster we found by its listening socket (and may read: root, or the same user).
    bool cpu_measured() const;
    // All CPU seconds PostgreSQL has used so far: the postmaster's own and its reaped
    // children's (cutime/cstime: backends fork and exit per request), plus live children's.
    // 0 when not cpu_measured().
    double cpu_s() const;

private:
    ExistingDatabase connection_;
    std::unique_ptr<TempDirectory> directory_;
    std::unique_ptr<ChildProcess> postmaster_;
    std::optional<pid_t> existing_postmaster_;  // someone else's server, only read
};

}  // namespace workersim
