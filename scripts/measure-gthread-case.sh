#!/usr/bin/env bash
# Issue 13's reference case, measured with no workersim code on the path: the article's app
# (90% IO / 10% CPU, its default 1 s unit) under Debian's Gunicorn on all cores, Debian's
# PostgreSQL cluster on 5432 (password "password"), hey -n 96:
#   gthread 4 processes x 4 threads, 32 clients, with hey's keep-alive and with -disable-keepalive;
#   sync, 16 workers, 48 clients.
# Gunicorn's access log records the serving process of every request (%(p)s), so the report
# gives each process's share. The app's loop is timed before each run (the host's speed).
#   scripts/measure-gthread-case.sh [ROUNDS]  > calibrate/data/gthread-case.txt
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
source scripts/plain-gunicorn.sh gthread
start_article_database
port=$(free_port)

# case NAME HEY_FLAGS GUNICORN_FLAGS...
case_run() {
  local name=$1 hey_flags=$2
  shift 2
  IO_BOUND=90 CPU_BOUND=10 gunicorn "$@" -b "127.0.0.1:$port" --chdir calibrate/server \
    --access-logfile "$work/access.log" --access-logformat '%(p)s %(s)s' app:application \
    >"$work/gunicorn.out" 2>"$work/gunicorn.log" &
  gunicorn_pid=$!
  for _ in $(seq 600); do app_answers "$port" && break; sleep 0.05; done
  sleep 1
  : > "$work/access.log"
  local probe_ns; probe_ns=$(IO_BOUND=0 CPU_BOUND=100 $python calibrate/server/speed_probe.py)
  hey $hey_flags -t 0 "http://127.0.0.1:$port/" > "$work/hey.txt"
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' "$work/hey.txt")
  local mean; mean=$(awk '/Average:/ {print $2; exit}' "$work/hey.txt")
  local share; share=$(awk '{print $1}' "$work/access.log" | sort | uniq -c | awk '{print $1}' | sort -rn | tr '\n' ' ')
  echo "$name: $rps req/s, mean $mean s; requests per process: $share; loop ${probe_ns} ns/iteration"
  stop_gunicorn
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(gunicorn --version 2>&1)"
for r in $(seq "$rounds"); do
  case_run "gthread 4x4, hey -n 96 -c 32 (keep-alive)" "-n 96 -c 32" -w 4 -k gthread --threads 4
  case_run "gthread 4x4, hey -n 96 -c 32 -disable-keepalive" "-n 96 -c 32 -disable-keepalive" -w 4 -k gthread --threads 4
  case_run "sync 16, hey -n 96 -c 48" "-n 96 -c 48" -w 16 -k sync
done
