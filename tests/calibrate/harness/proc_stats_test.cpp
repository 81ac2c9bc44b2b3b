#include <catch2/catch.hpp>

#include <unistd.h>

#include "calibrate/harness/proc_stats.hpp"

using namespace workersim;

TEST_CASE("CPU ticks are read after the last ')' even when the command name holds spaces and parentheses") {
    // Captured from a python3 that renamed itself with prctl(PR_SET_NAME, "a) b (c"), then
    // forked and reaped a busy child (hence cutime and cstime).
    const std::string stat =
        "32373 (a) b (c) R 32369 32369 4838 0 -1 4194304 2974 6810 2 0 42 11 35 37 20 0 1 0 492709 "
        "17149952 3452 18446744073709551615 94518275649536 94518275649877 140733683626800 0 0 0 0 "
        "16781312 2 0 0 0 17 0 0 0 0 0 0 94518275661232 94518275661848 94519336820736 "
        "140733683627692 140733683628045 140733683628045 140733683630031 0\n";
    const CpuTicks ticks = parse_proc_stat_cpu(stat);
    CHECK(ticks.utime == 42);
    CHECK(ticks.stime == 11);
    CHECK(ticks.cutime == 35);
    CHECK(ticks.cstime == 37);
}

TEST_CASE("a process's start time is field 22 of its stat line, counted after the last ')'") {
    const std::string stat =
        "32373 (a) b (c) R 32369 32369 4838 0 -1 4194304 2974 6810 2 0 42 11 35 37 20 0 1 0 492709 "
        "17149952 3452 18446744073709551615 94518275649536 94518275649877 140733683626800 0\n";
    CHECK(parse_proc_stat_start_ticks(stat) == 492709);
    CHECK_THROWS_AS(parse_proc_stat_start_ticks("4242 (truncated) S 1 2 3"), std::invalid_argument);
    CHECK(read_start_ticks(getpid()).has_value());
}

TEST_CASE("a captured /proc/PID/stat of a gunicorn worker gives its utime and stime") {
    const std::string stat =
        "13885 (gunicorn) S 13816 13809 4838 0 -1 4194368 1872 0 0 0 8 7 0 0 20 0 1 0 573887 47722496 "
        "7745 18446744073709551615 4321280 7138889 140724579135280 0 0 0 0 16781312 137380390 1 0 0 17 "
        "1 0 0 0 0 0 9702856 11005272 197181440 140724579141926 140724579142035 140724579142035 "
        "140724579143654 0\n";
    const CpuTicks ticks = parse_proc_stat_cpu(stat);
    CHECK(ticks.utime == 8);
    CHECK(ticks.stime == 7);
    CHECK(ticks.cutime == 0);
    CHECK(ticks.cstime == 0);
}

TEST_CASE("a stat line without a closing parenthesis or with too few fields is rejected") {
    CHECK_THROWS_AS(parse_proc_stat_cpu("4242 (truncated S 1 2 3"), std::invalid_argument);
    CHECK_THROWS_AS(parse_proc_stat_cpu("4242 (x) S 1 2 3"), std::invalid_argument);
}

TEST_CASE("PSS comes from the Pss line of smaps_rollup, not Pss_Anon or Pss_Dirty") {
    // Captured from a gunicorn worker (2 workers, after 4 requests).
    const std::string rollup =
        "00400000-7ffcfe8d1000 ---p 00000000 00:00 0                              [rollup]\n"
        "Rss:               31028 kB\n"
        "Pss:               14106 kB\n"
        "Pss_Dirty:         11607 kB\n"
        "Pss_Anon:          11607 kB\n"
        "Pss_File:           2499 kB\n"
        "Pss_Shmem:             0 kB\n"
        "Shared_Clean:       9724 kB\n"
        "Shared_Dirty:      14556 kB\n"
        "Private_Clean:         0 kB\n"
        "Private_Dirty:      6748 kB\n"
        "Swap:                  0 kB\n"
        "SwapPss:               0 kB\n";
    CHECK(parse_smaps_rollup_pss_kib(rollup) == 14106);
}

TEST_CASE("smaps_rollup text without a Pss line is rejected") {
    CHECK_THROWS_AS(parse_smaps_rollup_pss_kib("Rss: 10 kB\nPss_Anon: 5 kB\n"), std::invalid_argument);
}

TEST_CASE("a children file lists pids separated by spaces, possibly none") {
    // As the gunicorn master's task file reads: a trailing space.
    CHECK(parse_children("13885 13892 ") == std::vector<pid_t>{13885, 13892});
    CHECK(parse_children("").empty());
}

TEST_CASE("the live readers see this process and its CPU time grows") {
    const pid_t self = getpid();
    const auto before = read_cpu_ticks(self);
    REQUIRE(before);
    volatile double sink = 0;
    for (int i = 0; i < 50'000'000; ++i) sink = sink + i * 0.5;
    const auto after = read_cpu_ticks(self);
    REQUIRE(after);
    CHECK(after->utime + after->stime > before->utime + before->stime);
    CHECK(read_pss_kib(self).value_or(0) > 0);
    CHECK(process_exists(self));
}

TEST_CASE("a core's busy ticks are read from /proc/stat without idle and iowait") {
    const std::string stat =
        "cpu  241888 552984 241084 1040601 1412 0 4039 0 0 0\n"
        "cpu0 120000 276000 120500 520000 700 0 2000 0 0 0\n"
        "cpu1 121888 276984 120584 520601 712 3 2039 5 0 0\n"
        "intr 123 0 0\n";
    CHECK(parse_proc_stat_busy_ticks(stat, 0) == 120000 + 276000 + 120500 + 2000);
    CHECK(parse_proc_stat_busy_ticks(stat, 1) == 121888 + 276984 + 120584 + 3 + 2039 + 5);
}

TEST_CASE("a core /proc/stat does not list is an error naming it") {
    CHECK_THROWS_WITH(parse_proc_stat_busy_ticks("cpu  1 2 3 4 5 6 7 8\ncpu0 1 2 3 4 5 6 7 8\n", 1),
                      Catch::Contains("cpu1"));
    CHECK_THROWS_WITH(parse_proc_stat_busy_ticks("cpu1 1 2 3\n", 1), Catch::Contains("fewer than 8"));
}

namespace {

// /proc/net/tcp as captured with PostgreSQL listening on 127.0.0.1:5432 (0100007F:1538) and
// one connection to it (both ends), a server on 0.0.0.0:8000 (00000000:1F40), and a client of
// port 9000 (2328) on another host.
const std::string kProcNetTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:1538 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000   113        0 777001 1 0000000000000000 20 4 30 10 -1\n"
    "   1: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   113        0 23456 1 0000000000000000 100 0 0 10 0\n"
    "   2: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0000000000000000 100 0 0 10 0\n"
    "   3: 0100007F:D2A4 0100007F:1538 01 00000000:00000000 00:00000000 00000000     0        0 777002 1 0000000000000000 20 4 30 10 -1\n"
    "   4: 0A00020F:B3C2 0A000201:2328 01 00000000:00000000 02:000AFC80 00000000     0        0 55555 2 0000000000000000 20 4 30 10 -1\n";

}  // namespace

TEST_CASE("the listening socket's inode is found by its port in /proc/net/tcp", "[proc_net_tcp]") {
    CHECK(parse_listening_inode(kProcNetTcp, 5432) == std::optional<std::uint64_t>(23456));
    CHECK(parse_listening_inode(kProcNetTcp, 8000) == std::optional<std::uint64_t>(31337));
}

TEST_CASE("an established connection on the listening port is not taken for the listener", "[proc_net_tcp]") {
    // Row 0 (ESTABLISHED, local port 5432) comes first; only the LISTEN row may answer.
    const std::string header_and_established_only =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 0100007F:1538 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000   113        0 777001 1 0000000000000000 20 4 30 10 -1\n";
    CHECK(parse_listening_inode(header_and_established_only, 5432) == std::nullopt);
    CHECK(parse_listening_inode(kProcNetTcp, 5432) != std::optional<std::uint64_t>(777001));
}

TEST_CASE("a port nobody listens on has no listening inode, even if connections use it", "[proc_net_tcp]") {
    CHECK(parse_listening_inode(kProcNetTcp, 5433) == std::nullopt);
    CHECK(parse_listening_inode(kProcNetTcp, 9000) == std::nullopt);   // only a remote port
    CHECK(parse_listening_inode(kProcNetTcp, 53924) == std::nullopt);  // D2A4: a client's local port
    CHECK(parse_listening_inode(kProcNetTcp.substr(0, kProcNetTcp.find('\n') + 1), 5432) == std::nullopt);
    CHECK(parse_listening_inode("", 5432) == std::nullopt);
}
