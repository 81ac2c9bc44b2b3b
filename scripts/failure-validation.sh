#!/usr/bin/env bash
# Measured vs predicted for the failure plan's runs (requests longer than Gunicorn's
# --timeout): completed, failed and the load's duration, each run predicted with its own
# configuration over 20 replications. `workersim validate` compares throughput and latency,
# which such runs mostly lack; this compares what they have.
#   scripts/failure-validation.sh [RUNS] [PROFILE] [WORKERSIM]   > calibrate/data/failure-validation.txt
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-calibrate/data/failure-runs.jsonl}"
profile="${2:-calibrate/data/default-profile.json}"
workersim="${3:-build/cli/workersim}"
/usr/bin/python3 - "$runs" "$profile" "$workersim" <<'EOF_PY'
import json, subprocess, sys
runs_path, profile, workersim = sys.argv[1], sys.argv[2], sys.argv[3]
for line in open(runs_path):
    run = json.loads(line)
    c, m = run["config"], run["measured"]
    flags = ["--workers", c["workers"], "--cores", c["cores"], "--io-pct", c["io_pct"], "--cpu-pct", c["cpu_pct"],
             "--unit", f'{c["unit_s"]}s', "--clients", c["clients"], "--requests", c["requests"],
             "--timeout", c["timeout_s"], "--loadgen", "shared" if c["loadgen_shared"] else "separate"]
    out = subprocess.run([workersim, "predict", "--calibration", profile, "--replications", "20", "--json"]
                         + [str(f) for f in flags], check=True, capture_output=True, text=True).stdout
    p = json.loads(out)
    rep = p.get("representative", p)
    print(f'{c["id"]}: measured {m["completed"]} completed, {m["errors"]} failed, load {m["wall_s"]:.2f} s; '
          f'predicted (20 replications) {rep["completed"]} completed, {rep["errors"]["worker_timeout"]} worker_timeout, '
          f'{rep["worker_restarts"]} restarts, makespan {rep["makespan_s"]:.2f} s')
EOF_PY
