#pragma once
// The host's speed at one moment: the reference app's CPU loop timed on one of the server's
// cores (calibrate/server/speed_probe.py). On a shared virtual machine the same loop ran up
// to 2x slower from one hour, even one minute, to the next, and /proc books the lost speed
// as our own CPU time; a run measured between two probes says at what speed it ran, and a
// profile says at what speed its CPU figures hold.

#include <optional>
#include <string>
#include <vector>

#include "calibrate/harness/cpu_affinity.hpp"

namespace workersim {

struct SpeedProbeOptions {
    std::string server_dir;          // holds speed_probe.py and app.py
    std::string python = "/usr/bin/python3";
    int core = 0;                    // the core timed (probe_loop_ns)
    std::optional<int> session_nice; // as the server's (ChildSpec::session_nice)
    std::string temp_root;
    int iterations = 200'000;        // ~10 ms a timing at this host's speeds
    int repeats = 5;                 // the median of these
};

// CPU nanoseconds per iteration of the loop; throws std::runtime_error if the probe fails.
double probe_loop_ns(const SpeedProbeOptions& options);

// One probe on each of `cores` at the same time, in core order: with every core busy, what
// each still does (a vCPU whose sibling thread is busy runs slower: k busy cores are worth
// less than k). Throws std::runtime_error if a probe fails.
std::vector<double> probe_cores_at_once_ns(const SpeedProbeOptions& options, const CoreList& cores);

// The mean over `cores`, each probed alone in turn: a co-tenant can slow one vCPU and not
// the other (a 2-core run ran 35% slower while the last core alone probed as usual).
double probe_cores_ns(SpeedProbeOptions options, const CoreList& cores);

// The host's usual speed from every probe seen so far: their median, so that the slow spells
// (a minority of the time) do not move it.
double usual_probe_ns(const std::vector<double>& probes_ns);

// How far off its usual speed a probe may be before the run counts as made in a slow spell:
// 10%, or three robust standard deviations (1.4826 x the median absolute deviation) of the
// probes themselves when they scatter more than that on this host (measured 2026-12-01:
// 182-232 ns/iteration around 214 minute to minute, and every quick run was made twice).
double unsteady_tolerance(const std::vector<double>& probes_ns);

// Whether the host kept its usual speed through a run: both probes within `tolerance`
// (relative) of `usual_ns`. A run that fails this was measured in one of the host's slow
// spells, which can start and end within the run where the probes cannot follow them.
bool steady_host(double probe_before_ns, double probe_after_ns, double usual_ns, double tolerance = 0.10);

// Reads the probe's output ("39.139\n"); throws std::invalid_argument unless it is one
// positive number.
double parse_probe_output(const std::string& text);

}  // namespace workersim
