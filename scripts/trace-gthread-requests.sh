#!/usr/bin/env bash
# Where a gthread request's time goes, measured on the real server with no workersim code on
# the path: the article's app (its 0.25 s unit) under Debian's Gunicorn gthread, Debian's
# PostgreSQL cluster on 5432, one bounded hey run. A Gunicorn config wraps the worker's own
# methods (post_fork), without touching the app, and records per request:
#   accept   enqueue_req(): the main thread accepted the connection, or re-queued a kept one
#   pickup   handle() starts in a pool thread (the executor's FIFO wait ends)
#   end      handle() returns (the response is written)
#   cpu      time.thread_time() spent by the pool thread in handle()
# and prints, per process, the FIFO wait and the service time, and the sequence of accept
# winners (which process took each connection, in order: hey's opening burst shows here).
#   scripts/trace-gthread-requests.sh P T CLIENTS REQUESTS IO_PCT [HEY_FLAGS...]
#   e.g. scripts/trace-gthread-requests.sh 4 4 32 192 90 -disable-keepalive
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 5 ]] || { sed -n 2,14p "$0" >&2; exit 2; }
processes=$1 threads=$2 clients=$3 requests=$4 io_pct=$5
shift 5
python=/usr/bin/python3
work=$(mktemp -d /tmp/workersim-trace-XXXXXX)
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

cat > "$work/trace_conf.py" <<'PY'
import json, os, threading, time
records = []
def post_fork(server, worker):
    enqueue_req, handle = worker.enqueue_req, worker.handle
    def traced_enqueue_req(conn):
        conn.trace_accept = time.monotonic()
        return enqueue_req(conn)
    def traced_handle(conn):
        pickup, cpu = time.monotonic(), time.thread_time()
        result = handle(conn)
        records.append((conn.trace_accept, pickup, time.monotonic(), time.thread_time() - cpu))
        return result
    worker.enqueue_req, worker.handle = traced_enqueue_req, traced_handle
def worker_exit(server, worker):
    with open(os.path.join(os.environ["TRACE_DIR"], f"requests.{worker.pid}.json"), "w") as f:
        json.dump([r for r in records if r[3] > 0], f)  # kept connections closed at exit have no request
PY

pg_ctlcluster 15 main start 2>/dev/null || true
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.1; done
runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'password'" >/dev/null
port=$($python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

TRACE_DIR=$work IO_BOUND=$io_pct CPU_BOUND=$((100 - io_pct)) UNIT_S=0.25 \
  $python /usr/bin/gunicorn -w "$processes" -k gthread --threads "$threads" -b "127.0.0.1:$port" \
  --chdir calibrate/server -c "$work/trace_conf.py" app:application >"$work/gunicorn.out" 2>"$work/gunicorn.log" &
gunicorn_pid=$!
for _ in $(seq 600); do
  $python -c "import http.client,sys; h=http.client.HTTPConnection('127.0.0.1',$port,timeout=30); h.request('GET','/'); sys.exit(h.getresponse().status!=204)" 2>/dev/null && break
  sleep 0.05
done
sleep 1
probe_ns=$(IO_BOUND=0 CPU_BOUND=100 $python calibrate/server/speed_probe.py)
hey -n "$requests" -c "$clients" -t 0 "$@" "http://127.0.0.1:$port/" > "$work/hey.txt"
kill -TERM "$gunicorn_pid"; wait "$gunicorn_pid" 2>/dev/null || true; gunicorn_pid=""

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) gthread ${processes}x${threads}, ${io_pct}% IO, hey -n $requests -c $clients $*; loop ${probe_ns} ns/iteration"
awk '/Requests\/sec|Average:/ {print "hey " $0; }' "$work/hey.txt" | head -2
$python - "$work" <<'PY'
import glob, json, statistics, sys
runs = [json.load(open(f)) for f in sorted(glob.glob(sys.argv[1] + "/requests.*.json"))]
first = min(r[0] for run in runs for r in run)
runs = [[r for r in run if r[0] > first] for run in runs]  # the readiness check's request
for i, run in enumerate(runs):
    if run:
        print(f"process {i}: {len(run)} requests, FIFO wait {statistics.mean(r[1] - r[0] for r in run):.3f} s, "
              f"service {statistics.mean(r[2] - r[1] for r in run):.3f} s, pool-thread CPU {statistics.mean(r[3] for r in run) * 1e3:.1f} ms")
order = sorted((r[0], i) for i, run in enumerate(runs) for r in run)
print("accept winners in order:", "".join(str(i) for _, i in order))
PY
