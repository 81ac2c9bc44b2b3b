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
export PATH="/usr/bin:$PATH"
python=/usr/bin/python3
rounds="${1:-1}"
work=$(mktemp -d /tmp/workersim-gthread-XXXXXX)
gunicorn_pid=""
cleanup() {
  if [[ -n "$gunicorn_pid" ]] && kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$gunicorn_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$gunicorn_pid" 2>/dev/null || true
  fi
  pkill -KILL -P $$ hey 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_ctlcluster 15 main start 2>/dev/null || true
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.1; done
runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'password'" >/dev/null
port=$($python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# case NAME HEY_FLAGS GUNICORN_FLAGS...
case_run() {
  local name=$1 hey_flags=$2
  shift 2
  IO_BOUND=90 CPU_BOUND=10 gunicorn "$@" -b "127.0.0.1:$port" --chdir calibrate/server \
    --access-logfile "$work/access.log" --access-logformat '%(p)s %(s)s' app:application \
    >"$work/gunicorn.out" 2>"$work/gunicorn.log" &
  gunicorn_pid=$!
  for _ in $(seq 600); do
    $python -c "import http.client,sys; h=http.client.HTTPConnection('127.0.0.1',$port,timeout=30); h.request('GET','/'); sys.exit(h.getresponse().status!=204)" 2>/dev/null && break
    sleep 0.05
  done
  sleep 1
  : > "$work/access.log"
  local probe_ns; probe_ns=$(IO_BOUND=0 CPU_BOUND=100 $python calibrate/server/speed_probe.py)
  hey $hey_flags -t 0 "http://127.0.0.1:$port/" > "$work/hey.txt"
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' "$work/hey.txt")
  local mean; mean=$(awk '/Average:/ {print $2; exit}' "$work/hey.txt")
  local share; share=$(awk '{print $1}' "$work/access.log" | sort | uniq -c | awk '{print $1}' | sort -rn | tr '\n' ' ')
  echo "$name: $rps req/s, mean $mean s; requests per process: $share; loop ${probe_ns} ns/iteration"
  kill -TERM "$gunicorn_pid"; wait "$gunicorn_pid" 2>/dev/null || true; gunicorn_pid=""
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(gunicorn --version 2>&1)"
for r in $(seq "$rounds"); do
  case_run "gthread 4x4, hey -n 96 -c 32 (keep-alive)" "-n 96 -c 32" -w 4 -k gthread --threads 4
  case_run "gthread 4x4, hey -n 96 -c 32 -disable-keepalive" "-n 96 -c 32 -disable-keepalive" -w 4 -k gthread --threads 4
  case_run "sync 16, hey -n 96 -c 48" "-n 96 -c 48" -w 16 -k sync
done
