#!/usr/bin/env bash
# From a fresh Debian 12 machine: install, build, and ask the embedded calibration what the
# seed article's second run gives: 5 sync workers, 100% IO, hey -n 30 -c 30, on 4 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/cli/workersim predict --workers 5 --io-pct 100 --clients 30 --requests 30 --cores 4 "$@"
