#pragma once
// The flags of replicated predictions (--replications, --precision, --threads,
// --steady-state) and the human output of their confidence intervals and warm-up removal.

#include <boost/program_options.hpp>
#include <cstdint>
#include <ostream>

#include "model/replicated_result.hpp"
#include "model/scenario.hpp"
#include "analysis/replications.hpp"

namespace workersim::cli {

namespace po = boost::program_options;

// The replication cap with --precision (unless --replications asks for more).
constexpr int kPrecisionReplicationCap = 200;

po::options_description replication_options();
// Throws UsageError naming the flag, the value and the accepted range.
// `load` decides --steady-state auto.
// --threads (predict's replications, sweep's points): 1..1024, default the machine's threads.
int threads_from(const po::variables_map& vm);
ReplicationOptions replication_options_from(const po::variables_map& vm, std::uint64_t seed, LoadKind load);

// The warm-up removed, if steady-state mode ran; then "Confidence (95%, R replications)"
// with mean ± half-width and the spread of one run. Prints nothing for a single plain
// replication, so a plain run's output is unchanged.
void print_confidence(std::ostream& out, const ReplicatedResult& result);

// One run's spread with the profile as fitted and with its values drawn per replication
// (--profile-uncertainty): how much of the spread is the calibration's.
void print_profile_uncertainty(std::ostream& out, const ReplicatedResult& fitted, const ReplicatedResult& drawn);

}  // namespace workersim::cli
