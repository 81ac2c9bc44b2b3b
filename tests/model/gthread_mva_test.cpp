// The gthread MVA (approximate in general) against the limits where it must be exact: no CPU,
// all CPU GIL-free, all CPU Python with no IO. Exact identities, so floating-point tolerances.

#include <catch2/catch.hpp>

#include <stdexcept>

#include "model/bounds.hpp"
#include "model/gthread_mva.hpp"
#include "model/mva.hpp"
#include "model/what_if.hpp"

using namespace workersim;

namespace {

// --calibration none with keep-alive off (hey -disable-keepalive).
Scenario ideal(int processes, int threads, int cores, double io_s, double cpu_s, int clients) {
    WhatIf q;
    q.workers = processes;
    q.cores = cores;
    q.server.threads = threads;
    q.server.worker_class = threads > 1 ? WorkerClass::gthread : WorkerClass::sync;
    q.workload.io_s = io_s;
    q.workload.cpu_s = cpu_s;
    q.workload.io_dist = DistributionKind::exponential;
    q.workload.cpu_dist = DistributionKind::exponential;
    q.load.clients = clients;
    q.load.requests = 100 * clients;
    q.load.keep_alive = false;
    return build_scenario(ideal_profile(), q);
}

Scenario as_gthread(Scenario s) {
    s.server.worker_class = WorkerClass::gthread;
    return s;
}

}  // namespace

TEST_CASE("one gthread process of T threads with no CPU serves like T sync workers") {
    for (int threads : {1, 2, 4, 16})
        for (int clients : {1, 3, 16, 40}) {
            const Result gthread = predict_mva(as_gthread(ideal(1, threads, 2, 1.0, 0.0, clients)));
            const Result sync = predict_mva(ideal(threads, 1, 2, 1.0, 0.0, clients));
            INFO("threads " << threads << ", clients " << clients);
            CHECK(gthread.throughput_rps == Approx(sync.throughput_rps).epsilon(1e-12));
            CHECK(gthread.latency.mean_s == Approx(sync.latency.mean_s).epsilon(1e-12));
        }
}

TEST_CASE("pure-Python CPU with no IO completes min(P, C) cores' worth of requests") {
    for (int processes : {1, 2, 3, 8})
        for (int threads : {1, 4})
            for (int cores : {1, 2, 4})
                for (bool curved : {false, true}) {
                    Scenario s = as_gthread(ideal(processes, threads, cores, 0.0, 0.1, 2 * processes * threads));
                    if (curved) {
                        s.host.core_capacity.clear();
                        for (int k = 1; k <= cores; ++k) s.host.core_capacity.push_back(k * (1.0 - 0.07 * (k - 1)));
                    }
                    INFO("processes " << processes << ", threads " << threads << ", cores " << cores
                                      << (curved ? ", curved" : ", ideal"));
                    CHECK(predict_mva(s).throughput_rps ==
                          Approx(s.host.capacity(std::min(processes, cores)) / 0.1).epsilon(1e-9));
                }
}

TEST_CASE("GIL-free CPU makes P processes of T threads serve like P x T sync workers") {
    for (int processes : {1, 2, 4})
        for (int threads : {2, 4})
            for (double cpu_share : {0.1, 0.5, 1.0}) {
                Scenario gthread = as_gthread(ideal(processes, threads, 2, 0.1 * (1 - cpu_share), 0.1 * cpu_share, 64));
                for (Phase& p : gthread.request) p.gil_free_share = 1.0;
                const Scenario sync = ideal(processes * threads, 1, 2, 0.1 * (1 - cpu_share), 0.1 * cpu_share, 64);
                INFO("processes " << processes << ", threads " << threads << ", cpu share " << cpu_share);
                CHECK(predict_mva(gthread).throughput_rps == Approx(predict_mva(sync).throughput_rps).epsilon(1e-9));
            }
}

TEST_CASE("the gthread MVA stays inside the asymptotic bounds, the GIL's included") {
    for (int processes : {1, 2, 4})
        for (int threads : {1, 4, 8})
            for (int cores : {1, 2, 8})
                for (double cpu_share : {0.1, 0.5, 0.9}) {
                    const Scenario s = as_gthread(ideal(processes, threads, cores, 0.1 * (1 - cpu_share),
                                                        0.1 * cpu_share, 48));
                    const AsymptoticBounds b = asymptotic_bounds(s);
                    const Result r = predict_mva(s);
                    INFO("processes " << processes << ", threads " << threads << ", cores " << cores << ", cpu share "
                                      << cpu_share);
                    CHECK(r.throughput_rps <= b.max_throughput_rps * (1 + 1e-12));
                    CHECK(r.latency.mean_s >= b.min_client_response_s * (1 - 1e-12));
                }
}

TEST_CASE("a second Python thread in a process gains nothing once its GIL is the bottleneck") {
    // 2 processes on 8 cores, 90 ms Python and 10 ms IO: each GIL saturates near 1 / 90 ms.
    const double one = predict_mva(as_gthread(ideal(2, 1, 8, 0.01, 0.09, 64))).throughput_rps;
    const double eight = predict_mva(as_gthread(ideal(2, 8, 8, 0.01, 0.09, 64))).throughput_rps;
    CHECK(eight > one);
    CHECK(eight <= 2 / 0.09 * (1 + 1e-12));
}

TEST_CASE("the gthread MVA refuses a closed load whose connections are kept alive") {
    Scenario s = as_gthread(ideal(2, 4, 2, 0.1, 0.0, 8));
    CHECK(gthread_mva_refusal(s).empty());
    s.load.keep_alive = true;
    CHECK_THAT(gthread_mva_refusal(s), Catch::Contains("--client-keepalive off"));
    CHECK_THROWS_AS(predict_mva(s), std::invalid_argument);
    s.server.keepalive_s = 0;  // --keepalive 0: the server closes every connection
    CHECK(gthread_mva_refusal(s).empty());
}

TEST_CASE("the gthread MVA leaves sync scenarios alone") {
    Scenario s = ideal(4, 1, 2, 0.1, 0.0, 8);
    s.load.keep_alive = true;
    CHECK(gthread_mva_refusal(s).empty());
}
