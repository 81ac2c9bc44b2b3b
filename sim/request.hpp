#pragma once
// The one thing that flows through the simulated server: a request, from the client's send to
// its response or error. Clients, the listen socket and the workers pass it on by its slot
// (sim/request_slots.hpp).

#include <cstdint>
#include <limits>

namespace workersim {

constexpr std::uint32_t kNoWorker = std::numeric_limits<std::uint32_t>::max();

// Where a connection is, seen from the server.
enum class Stage : std::uint8_t {
    loadgen_cpu,  // the load generator's own CPU time to send it
    connecting,   // its SYN was dropped by the full backlog; the client retransmits
    queued,       // in the listen socket's accept queue
    serving,      // a worker holds it
};

struct Request {
    double sent_s = 0;          // the client started it (hey's latency starts here)
    std::uint32_t client = 0;   // closed loop: which client
    std::uint32_t worker = kNoWorker;
    std::uint32_t generation = 0;
    std::uint16_t phase = 0;     // index into its class's phases
    std::uint16_t request_class = 0;  // index into sim/request_classes.hpp's classes
    std::uint8_t syn_drops = 0;  // <= syn_retries + 1 <= 128 (Scenario validation)
    Stage stage = Stage::loadgen_cpu;
    bool client_gone = false;   // the client no longer waits for it
    bool at_downstream = false; // counted in sim/downstream_callers.hpp until its IO phase ends
};

}  // namespace workersim
