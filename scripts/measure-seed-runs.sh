#!/usr/bin/env bash
# Measures the seed article's grid the way the article did, with no workersim code on the
# measuring path: Debian's own PostgreSQL cluster on 127.0.0.1:5432 (user postgres, password
# "password", scram-sha-256 as Debian ships it), plain Gunicorn sync workers on the bundled app
# (calibrate/server/app.py, the article's wsgi.py) with its default unit of 1 s, `hey -n N -c C
# -t 0 -o csv`, PSS from /proc/PID/smaps_rollup. Every run is appended at once to a runs file
# that `workersim validate` reads (a run that dies keeps every run before it).
#
#   scripts/measure-seed-runs.sh [--quick] [OUT.jsonl]     (default calibrate/data/seed-runs.jsonl)
#
# --quick measures a handful of points (about 2 minutes) instead of the grid (about 25 at the host speed of 2026-12-01).
# Before and after each run the app's loop is timed on each server core
# (calibrate/server/speed_probe.py): the host's speed, which drifts, goes with the run.
set -euo pipefail
cd "$(dirname "$0")/.."
server_dir=calibrate/server

quick=0
if [[ "${1:-}" == "--quick" ]]; then quick=1; shift; fi
out="${1:-calibrate/data/seed-runs.jsonl}"
host_cores=$(nproc)
((host_cores >= 2)) || { echo "measure-seed-runs: needs 2 cores (one for hey in the 1-core runs)" >&2; exit 2; }

for tool in gunicorn hey taskset pg_ctlcluster; do
  command -v "$tool" >/dev/null || { echo "measure-seed-runs: $tool missing (scripts/install-deps.sh --all)" >&2; exit 2; }
done

source scripts/plain-gunicorn.sh seed
# Debian's cluster is the system's: give its postmaster all cores back.
on_cleanup() { [[ -n "${postmaster:-}" ]] && taskset -a -p -c "0-$((host_cores - 1))" "$postmaster" >/dev/null 2>&1; }
start_article_database
postmaster=$(head -1 /var/lib/postgresql/15/main/postmaster.pid)

clock_ticks=$(getconf CLK_TCK)
# utime + stime (+ cutime + cstime with "reaped": exited children, e.g. PostgreSQL's backends)
# of the given processes plus their live children, in clock ticks (/proc/PID/stat 14-17).
cpu_ticks() {
  local reaped=$1; shift
  local sum=0 pid
  for pid in "$@" $(for p in "$@"; do cat /proc/$p/task/*/children 2>/dev/null; done); do
    local fields; fields=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    set -- $fields
    sum=$((sum + ${12} + ${13}))
    [[ "$reaped" == reaped ]] && [[ "$pid" == "$postmaster" ]] && sum=$((sum + ${14} + ${15}))
  done
  echo $sum
}

# CPU ns per iteration of the app's loop, the mean over the given cores.
probe() {
  local sum=0 core ns
  for core in $(echo "$1" | tr ',' ' '); do
    ns=$(IO_BOUND=0 CPU_BOUND=100 taskset -c "$core" $python "$server_dir/speed_probe.py")
    sum=$($python -c "print($sum + $ns)")
  done
  $python -c "print($sum / len('$1'.split(',')))"
}

# run ID WORKERS CORES IO CPU REQUESTS CLIENTS
run() {
  local id=$1 workers=$2 cores=$3 io=$4 cpu=$5 n=$6 c=$7
  if grep -q "\"id\":\"$id\"" "$out" 2>/dev/null; then echo "$id: already in $out"; return; fi
  local server_cores hey_cores shared
  if ((cores >= host_cores)); then
    server_cores=$(seq -s, 0 $((host_cores - 1))); hey_cores=$server_cores; shared=true
  else
    server_cores=$(seq -s, $((host_cores - cores)) $((host_cores - 1))); hey_cores=$(seq -s, 0 $((host_cores - cores - 1))); shared=false
  fi
  # PostgreSQL's backends (forked per connection) share the server's cores, as on one host.
  taskset -a -p -c "$server_cores" "$postmaster" >/dev/null

  local port; port=$(free_port)
  local started_ns; started_ns=$(date +%s%N)
  IO_BOUND=$io CPU_BOUND=$cpu taskset -c "$server_cores" gunicorn -w "$workers" -k sync -b "127.0.0.1:$port" \
    --chdir "$server_dir" app:application >"$work/gunicorn.out" 2>"$work/gunicorn.log" &
  gunicorn_pid=$!
  # Booted: every worker forked and the app answering 204 end to end.
  for _ in $(seq 600); do
    (( $(pgrep -c -P "$gunicorn_pid" || true) >= workers )) &&
      app_answers "$port" && break
    kill -0 "$gunicorn_pid" 2>/dev/null || { echo "$id: gunicorn died: $(tail -5 "$work/gunicorn.log")" >&2; return 1; }
    sleep 0.05
  done
  local boot_s; boot_s=$($python -c "print(($(date +%s%N) - $started_ns) / 1e9)")
  sleep 1
  local probe_before; probe_before=$(probe "$server_cores")
  local started_at; started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local workers_before master_before database_before load_started_ns
  workers_before=$(cpu_ticks live $(pgrep -P "$gunicorn_pid"))
  master_before=$(sed 's/.*) //' "/proc/$gunicorn_pid/stat" | awk '{print $12 + $13}')
  database_before=$(cpu_ticks reaped "$postmaster")
  load_started_ns=$(date +%s%N)
  local TIMEFORMAT='%U %S'
  { time taskset -c "$hey_cores" hey -n "$n" -c "$c" -t 0 -o csv "http://127.0.0.1:$port/" >"$work/hey.csv"; } 2>"$work/hey.time"
  local wall_s; wall_s=$($python -c "print(($(date +%s%N) - $load_started_ns) / 1e9)")
  sleep 0.2  # the last backends exit and are reaped
  local worker_cpu_s master_cpu_s database_cpu_s loadgen_cpu_s
  worker_cpu_s=$($python -c "print(($(cpu_ticks live $(pgrep -P "$gunicorn_pid")) - $workers_before) / $clock_ticks)")
  master_cpu_s=$($python -c "print(($(sed 's/.*) //' "/proc/$gunicorn_pid/stat" | awk '{print $12 + $13}') - $master_before) / $clock_ticks)")
  database_cpu_s=$($python -c "print(($(cpu_ticks reaped "$postmaster") - $database_before) / $clock_ticks)")
  loadgen_cpu_s=$($python -c "print(sum(map(float, open('$work/hey.time').read().split())))")
  local master_pss; master_pss=$(awk '/^Pss:/ {print $2}' "/proc/$gunicorn_pid/smaps_rollup")
  local worker_pss=""
  for w in $(pgrep -P "$gunicorn_pid"); do worker_pss+="$(awk '/^Pss:/ {print $2}' "/proc/$w/smaps_rollup"),"; done
  local probe_after; probe_after=$(probe "$server_cores")
  stop_gunicorn

  $python - "$work/hey.csv" >>"$out" <<EOF
import csv, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
served = sorted((r for r in rows if r["status-code"] == "204"),
                key=lambda r: float(r["offset"]) + float(r["response-time"]))
lat = [float(r["response-time"]) for r in served]
def rank(p):  # nearest rank, as workersim's summaries
    s = sorted(lat); return s[max(1, math.ceil(p / 100 * len(s))) - 1] if s else 0
makespan = max((float(r["offset"]) + float(r["response-time"]) for r in rows), default=0)
run = {"format": "workersim-run/1",
       "config": {"id": "$id", "workers": $workers, "cores": $cores, "io_pct": $io, "cpu_pct": $cpu,
                  "unit_s": 1.0, "load": "closed", "clients": $c, "requests": $n, "rate_per_s": 0,
                  "loadgen_shared": "$shared" == "true", "timeout_s": 30, "backlog": 2048, "holdout": True},
       "measured": {"started_at": "$started_at", "completed": len(lat), "errors": len(rows) - len(lat),
                    "makespan_s": makespan, "throughput_rps": len(lat) / makespan if makespan else 0,
                    "latencies_s": lat, "latency_mean_s": sum(lat) / len(lat) if lat else 0,
                    "latency_min_s": min(lat, default=0), "latency_max_s": max(lat, default=0),
                    "latency_p50_s": rank(50), "latency_p90_s": rank(90), "latency_p99_s": rank(99),
                    "master_pss_kib": float("$master_pss"),
                    "worker_pss_kib": [float(x) for x in "$worker_pss".split(",") if x],
                    "worker_cpu_s": $worker_cpu_s, "master_cpu_s": $master_cpu_s,
                    "database_cpu_s": $database_cpu_s, "loadgen_cpu_s": $loadgen_cpu_s, "wall_s": $wall_s,
                    "boot_s": $boot_s, "probe_before_ns": $probe_before, "probe_after_ns": $probe_after}}
print(json.dumps(run, sort_keys=True, separators=(",", ":")))
EOF
  echo "$id: $(tail -1 "$out" | $python -c 'import json,sys; m=json.load(sys.stdin)["measured"]; print("%d done, %.3f/s, mean %.3f s, probes %.1f -> %.1f ns" % (m["completed"], m["throughput_rps"], m["latency_mean_s"], m["probe_before_ns"], m["probe_after_ns"]))')"
}

# run_point WORKERS CORES IO REQUESTS CLIENTS
run_point() {
  local loadgen=shared; (($2 < host_cores)) && loadgen=sep
  run "seed-w$1-io$3-c$5-n$4-cores$2-$loadgen" "$1" "$2" "$3" $((100 - $3)) "$4" "$5"
}

mkdir -p "$(dirname "$out")"
if ((quick)); then
  for mix in 100 0 90; do run_point 4 2 $mix 60 30; done
  run_point 2 1 90 60 30
  run_point 8 2 100 60 4
  exit 0
fi
# The article's chart: three mixes, 1..10 workers, hey -n 60 -c 30 on the same host.
for mix in 100 0 90; do
  for w in $(seq 1 10); do run_point "$w" 2 $mix 60 30; done
done
# One core for the server (hey on the other).
for w in 1 2 4 8; do run_point "$w" 1 100 60 30; done
for w in 1 2 4; do run_point "$w" 1 0 60 30; done
for w in 1 2 4 8; do run_point "$w" 1 90 60 30; done
# Fewer clients than workers: some workers never get a request.
run_point 8 2 100 60 4
run_point 12 2 90 60 6
# 20+ workers.
run_point 24 2 100 120 60
run_point 20 2 90 120 40
run_point 24 2 0 60 30
# The article's own two runs, hey's rounding included.
run_point 1 2 100 10 10
run_point 5 2 100 30 30
