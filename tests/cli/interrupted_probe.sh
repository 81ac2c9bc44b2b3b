#!/bin/bash
# `workersim probe` interrupted at different points by SIGINT, SIGTERM or SIGKILL leaves no
# process behind, and a later run removes the temporary directories a SIGKILLed one left.
#
# usage: interrupted_probe.sh WORKERSIM
set -u
workersim=$1
root=$(mktemp -d /tmp/workersim-probe-it-XXXXXX)
chmod 755 "$root"  # PostgreSQL runs as its own user inside it
trap 'rm -rf "$root"' EXIT
failures=0

descendants() {  # every descendant pid of $1, from ps's parent links
  ps -eo pid=,ppid= | awk -v top="$1" '{ parent[$1] = $2 } END {
    for (p in parent) for (q = p; q in parent && q != 1; q = parent[q]) if (parent[q] == top) { print p; break } }'
}

for signal in INT TERM KILL; do
  for delay_s in 1 3 5; do
    TMPDIR=$root "$workersim" probe --out "$root/out.json" >/dev/null 2>&1 &
    pid=$!
    seen=""
    for _ in $(seq $((delay_s * 10))); do seen="$seen $(descendants $pid)"; sleep 0.1; done
    kill -"$signal" "$pid"
    wait "$pid" 2>/dev/null
    sleep 3  # orphans get their parent-death signals; PostgreSQL's immediate shutdown
    count=$(echo "$seen" | tr ' ' '\n' | sort -u | grep -c .)
    echo "SIG$signal after ${delay_s}s: $count descendant processes seen"
    if [ "$count" -eq 0 ]; then echo "FAIL: nothing was running to interrupt"; failures=$((failures + 1)); fi
    left=""
    for p in $(echo "$seen" | tr ' ' '\n' | sort -u); do
      [ -n "$p" ] && [ -d "/proc/$p" ] && [ "$(awk '{print $3}' /proc/$p/stat 2>/dev/null)" != Z ] && left="$left $p($(cat /proc/$p/comm))"
    done
    if [ -n "$left" ]; then
      echo "FAIL: SIG$signal after ${delay_s}s left processes:$left"; failures=$((failures + 1))
      kill -KILL $left 2>/dev/null
    fi
    if [ "$signal" != KILL ] && [ -n "$(ls -A "$root" | grep -v out.json)" ]; then
      echo "FAIL: SIG$signal after ${delay_s}s left $(ls "$root")"; failures=$((failures + 1))
    fi
  done
done
# What the SIGKILLed runs left goes at the next start (probe --out to an unwritable place
# fails before measuring, so use a real one and stop it at once).
TMPDIR=$root "$workersim" probe --out "$root/out.json" >/dev/null 2>&1 &
pid=$!
sleep 1; kill -INT $pid; wait $pid 2>/dev/null
if [ -n "$(ls -A "$root" | grep -v out.json)" ]; then
  echo "FAIL: the next run did not remove $(ls "$root")"; failures=$((failures + 1))
fi
echo "$failures failures"
[ "$failures" -eq 0 ]
