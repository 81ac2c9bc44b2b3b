#!/usr/bin/env bash
# From a fresh Debian 12 machine: install everything, build, and run every test: unit tests,
# the simulator against exact queueing results, integration tests against the real Gunicorn,
# PostgreSQL and hey, the CLI's bad-input checks, the sanitizer build and the notebooks.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/bin:$PATH"   # Debian's python3 (gunicorn, psycopg2, matplotlib) first
scripts/install-deps.sh --all
scripts/build.sh
(cd build && ctest --output-on-failure -j1)
scripts/sanitize.sh
scripts/run-notebooks.sh
echo "all tests passed"
