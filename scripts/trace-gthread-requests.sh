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
source scripts/plain-gunicorn.sh trace

cat > "$work/trace_conf.py" <<'PY'
import json, os, threading, time
records = []
def post_fork(server, worker):
    enqueue_req, handle, handle_request = worker.enqueue_req, worker.handle, worker.handle_request
    def traced_enqueue_req(conn):
        conn.trace_accept, conn.trace_served = time.monotonic(), False
        return enqueue_req(conn)
    def traced_handle_request(req, conn):  # only for a request read (not a kept connection's EOF)
        conn.trace_served = True
        return handle_request(req, conn)
    def traced_handle(conn):
        pickup, cpu = time.monotonic(), time.thread_time()
        result = handle(conn)
        if conn.trace_served:
            records.append((conn.trace_accept, pickup, time.monotonic(), time.thread_time() - cpu))
        return result
    worker.enqueue_req, worker.handle, worker.handle_request = traced_enqueue_req, traced_handle, traced_handle_request
def worker_exit(server, worker):
    with open(os.path.join(os.environ["TRACE_DIR"], f"requests.{worker.pid}.json"), "w") as f:
        json.dump(records, f)
PY

start_article_database
port=$(free_port)

TRACE_DIR=$work IO_BOUND=$io_pct CPU_BOUND=$((100 - io_pct)) UNIT_S=0.25 \
  $python /usr/bin/gunicorn -w "$processes" -k gthread --threads "$threads" -b "127.0.0.1:$port" \
  --chdir calibrate/server -c "$work/trace_conf.py" app:application >"$work/gunicorn.out" 2>"$work/gunicorn.log" &
gunicorn_pid=$!
for _ in $(seq 600); do app_answers "$port" && break; sleep 0.05; done
sleep 1
probe_ns=$(IO_BOUND=0 CPU_BOUND=100 $python calibrate/server/speed_probe.py)
hey -n "$requests" -c "$clients" -t 0 "$@" "http://127.0.0.1:$port/" > "$work/hey.txt"
stop_gunicorn

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
# One main-loop pass per accept while the backlog holds more: the gaps between a process's
# successive accepts shorter than 5 ms (a pass, not a wait for the next connection).
gaps = sorted(b[0] - a[0] for run in runs for a, b in zip(sorted(run), sorted(run)[1:]) if b[0] - a[0] < 0.005)
if gaps:
    print(f"accept gaps under 5 ms: {len(gaps)}, median {statistics.median(gaps) * 1e6:.0f} us, "
          f"quartiles {gaps[len(gaps) // 4] * 1e6:.0f}-{gaps[3 * len(gaps) // 4] * 1e6:.0f} us")
order = sorted((r[0], i) for i, run in enumerate(runs) for r in run)
print("accept winners in order:", "".join(str(i) for _, i in order))
PY
