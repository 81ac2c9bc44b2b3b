#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) and runs each for SECONDS with its
# committed corpus in fuzz/corpus/<target>/, then minimises the corpus in place (-merge=1) so
# that it stays small. Prints the executions per target; a crash stops with its reproducer in
# BUILD_DIR/artifacts/ (re-run: BUILD_DIR/fuzz/<target> <file>).
# usage: scripts/fuzz.sh SECONDS [BUILD_DIR [TARGET...]]   (default 60 s per target, build-fuzz,
#        every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${2:-build-fuzz}
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 1 ]] || { echo "usage: scripts/fuzz.sh SECONDS [BUILD_DIR]" >&2; exit 2; }
targets=(profile_json_fuzz units_fuzz run_json_fuzz)
shift $(($# < 2 ? $# : 2))
[[ $# -gt 0 ]] && targets=("$@")

CC=clang CXX=clang++ nice -n 19 cmake -S . -B "$build" -DWORKERSIM_FUZZ=ON -DWORKERSIM_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice -n 19 cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"

mkdir -p "$build/artifacts"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in "${targets[@]}"; do
    corpus=fuzz/corpus/$target
    mkdir -p "$corpus"
    log=$build/artifacts/$target.log
    if ! nice -n 19 "$build/fuzz/$target" "$corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" >"$log" 2>&1; then
        echo "$target: CRASH, see $log and $build/artifacts/$target-*"
        grep -E "ERROR|runtime error|uncaught|==ABORTING" "$log" | head -5
        status=1
        continue
    fi
    # Keep only the inputs that add coverage.
    merged=$(mktemp -d)
    nice -n 19 "$build/fuzz/$target" -merge=1 "$merged" "$corpus" >>"$log" 2>&1
    rm -f "$corpus"/*
    cp "$merged"/* "$corpus"/ 2>/dev/null || true
    rm -rf "$merged"
    runs=$(grep -E "stat::number_of_executed_units" "$log" | tail -1 | awk '{print $2}')
    echo "$target: ${runs:-?} executions in ${seconds} s, no crash; corpus $(ls "$corpus" | wc -l) files, $(du -sb "$corpus" | cut -f1) bytes"
done
exit $status
