# Sourced by the CLI's shell tests: a scratch directory $dir, the case counters, and
#   expect STATUS NEEDLES -- ARGS...
# which runs $workersim ARGS and checks its exit status and that stdout+stderr hold every
# |-separated needle. The sourcing script sets $workersim first and ends with expect_summary.
failures=0
cases=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n  stderr: %s\n' "$1" "$(head -c 600 "$dir/err")"
}

expect() {
    local status=$1 needles=$2
    shift 3
    cases=$((cases + 1))
    local command="$*"
    "$workersim" "$@" >"$dir/out" 2>"$dir/err" </dev/null
    local rc=$?
    [ "$rc" -eq "$status" ] || { fail "workersim $command exited $rc, expected $status"; return; }
    local IFS='|'
    for needle in $needles; do
        cat "$dir/out" "$dir/err" | grep -qF -- "$needle" || { fail "workersim $command: output lacks '$needle'"; return; }
    done
}

# The last line: how many cases, how many failed; the exit status is whether none did.
expect_summary() {
    echo "$cases cases, $failures failed"
    [ "$failures" -eq 0 ]
}
