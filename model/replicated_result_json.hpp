#pragma once
// The JSON shape of a replicated prediction (`predict --replications R`, `--precision P%`).
//
// It is the single-run shape of model/result_json.hpp for ReplicatedResult::representative
// (so readers of one run read this unchanged), plus:
//   "replications": {"count": R, "seed": S, "precision_target": 0.01 | null,
//                    "precision_reached": true | false | null}
//   "ci95": {"throughput_rps": h, "makespan_s": h,
//            "latency_s": {"mean": h, "p50": h, "p90": h, "p95": h, "p99": h}}
//   "sd":   the same keys: the standard deviation across replications, i.e. how far one run
//           (one hey run of a finite -n/-c load) typically lands from the mean.
//   "warmup": {"rule": "MSER-5" | null, "discarded": d, "discarded_max": D, "until_s": t,
//              "until_s_max": T, "transient_too_long": k [, "skipped": reason]}
//           steady-state mode: per replication, the first responses (d on average, D at most)
//           were left out of the statistics, up to simulated time t on average (T at most);
//           k replications found a transient longer than half their run. "rule": null and
//           zeros when every response counts.
// Each h is the half-width of the 95% confidence interval of the figure at the same path
// (Student t over the replications): the figure is mean +- h.

#include <nlohmann/json.hpp>

#include "model/replicated_result.hpp"

namespace workersim {

nlohmann::json to_json(const ReplicatedResult& result);
nlohmann::json to_json(const WarmupRemoval& warmup);

}  // namespace workersim
