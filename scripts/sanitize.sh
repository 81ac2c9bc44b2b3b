#!/usr/bin/env bash
# Builds the unit tests and the CLI with AddressSanitizer + UndefinedBehaviorSanitizer
# (-DWORKERSIM_SANITIZE=ON) in build-asan/ and runs every test except the integration ones
# (those drive the real Gunicorn and PostgreSQL and gain nothing from sanitizing our code).
# Any sanitizer report fails the test that produced it: UBSan halts on the first error.
# usage: scripts/sanitize.sh [BUILD_DIR]   (default build-asan)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
nice -n 19 cmake -S . -B "$build" -DWORKERSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice -n 19 cmake --build "$build" -j"$(nproc)"
# Tests tagged [long] take most of the time under the sanitizers and run in the plain build
# only: long simulations checked against queueing results, and the fitter's synthetic-plan
# fits beyond two (each ~120 s under ASan; two untagged ones keep the fitter's code in this
# run). Their names, escaped, make ctest's exclusion.
long_tests=$(for t in "$build"/tests/tests_*; do
  if [[ -x "$t" && "$t" != *.* ]]; then "$t" --list-test-names-only "[long]"; fi
done |
  grep -v '^$' | sed 's/[][\\.*+?^$(){}|]/\\&/g' | paste -sd'|')
(cd "$build" && nice -n 19 ctest --output-on-failure -LE integration ${long_tests:+-E "$long_tests"} -j"$(nproc)")
echo "sanitizer build: all non-integration tests passed"
