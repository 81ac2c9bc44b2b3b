#pragma once
// The flags of replicated predictions: --replications, --precision, --jobs,
// --steady-state.

#include <boost/program_options.hpp>
#include <cstdint>

#include "model/scenario.hpp"
#include "analysis/replications.hpp"

namespace workersim::cli {

namespace po = boost::program_options;

// The replication cap with --precision (unless --replications asks for more).
constexpr int kPrecisionReplicationCap = 200;

po::options_description replication_options();
// --jobs (predict's replications, sweep's points): 1..1024, default the machine's threads.
int threads_from(const po::variables_map& vm);
// Throws UsageError naming the flag, the value and the accepted range.
// `load` decides --steady-state auto.
ReplicationOptions replication_options_from(const po::variables_map& vm, std::uint64_t seed, LoadKind load);

}  // namespace workersim::cli
