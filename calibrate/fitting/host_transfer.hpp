#pragma once
// A profile fitted on one host, moved to another by a host probe (calibrate/harness/host_probe.hpp):
// each drifting cost is scaled by the ratio of this host's probe to the probe taken where the
// profile was fitted, so what the probe cannot see (Gunicorn's per-request work beside the
// loop, how the fitted curve differs from the raw one) keeps its fitted proportion.

#include "model/profile.hpp"

namespace workersim {

// The base profile as it would hold on the host `probe` measured (`probe.loop_ns_by_core`
// gives its core count). A base without a probe of its own (fitted before probes, or
// written by hand) takes the probe's connection and capacity figures as they are, and
// scales the rest by the loop's speed against base.host_probe_ns. Standard errors scale with
// their values. Throws std::invalid_argument if the probe is empty.
Profile profile_for_host(const Profile& base, const HostProbe& probe);

}  // namespace workersim
