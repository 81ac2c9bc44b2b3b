#!/usr/bin/env bash
# Instructions (valgrind's count, deterministic: no noisy neighbour moves it) that `workersim
# predict` takes for a few scenarios, per binary given, to compare builds back to back where
# wall-clock timings on a shared 2-core VM cannot tell a few percent apart. Needs valgrind
# (apt-get install valgrind).
#   bench/instruction_counts.sh [WORKERSIM...]     (default build/cli/workersim)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install valgrind" >&2; exit 2; }
binaries=("$@")
((${#binaries[@]})) || binaries=(build/cli/workersim)
cases=(
  "closed 30 clients, 5 workers, 1 s IO|--calibration none --workers 5 --cores 2 --io-ms 1000 --cpu-ms 0 --clients 30 --requests 100000"
  "open M/M/8, 100 ms IO|--calibration none --workers 8 --cores 1 --io-ms 100 --cpu-ms 0 --rate 72 --requests 100000"
  "PS 64 workers, 16 cores|--calibration none --workers 64 --cores 16 --io-ms 50 --cpu-ms 50 --io-dist exponential --cpu-dist exponential --clients 100 --requests 100000"
  "embedded profile, 16 workers, 50/50|--workers 16 --cores 2 --io-pct 50 --cpu-pct 50 --clients 32 --requests 100000"
)
for binary in "${binaries[@]}"; do
  echo "$binary"
  for c in "${cases[@]}"; do
    name=${c%%|*}
    read -r -a args <<<"${c#*|}"
    count=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" predict "${args[@]}" 2>&1 >/dev/null |
            grep -o "refs: *[0-9,]*" | tr -dc 0-9)
    printf '  %-40s %8.1f M instructions (%.0f per request)\n' "$name" "$(echo "$count / 1000000" | bc -l)" \
           "$(echo "$count / 100000" | bc -l)"
  done
done
