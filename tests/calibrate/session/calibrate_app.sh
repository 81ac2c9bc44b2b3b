#!/bin/bash
# `workersim calibrate --app` against real Gunicorn and hey (ctest label integration, ~2 min):
#   - the Flask example (its two self-contained views) with the quick plan: a sane profile
#     and held-out runs that `validate --app-runs` reads;
#   - an app that does not import, URLs answering 404 and 500, a request outlasting
#     Gunicorn's --timeout: exit 2, a message naming the URL and the status, every finished
#     run kept;
#   - Ctrl-C in the middle: the runs so far kept, nothing left running;
# and after each, no process it started is left.
#
# usage: calibrate_app.sh WORKERSIM SOURCE_DIR
set -u
workersim=$1
source_dir=$2
root=$(mktemp -d /tmp/workersim-app-it-XXXXXX)
trap 'rm -rf "$root"' EXIT
export PATH="/usr/bin:$PATH"  # Debian's gunicorn and Flask
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

descendants() {  # every descendant pid of $1, from ps's parent links
  ps -eo pid=,ppid= | awk -v top="$1" '{ parent[$1] = $2 } END {
    for (p in parent) for (q = p; q in parent && q != 1; q = parent[q]) if (parent[q] == top) { print p; break } }'
}

# Runs workersim in the background, noting its descendants every 0.2 s; after it ends
# (or after $stop_after_s, SIGINT), checks that none of them is left. Sets $rc.
calibrate() {
  local name=$1; shift
  TMPDIR=$root "$workersim" calibrate "$@" > "$root/$name.out" 2> "$root/$name.err" &
  local pid=$! seen="" ticks=0
  while kill -0 $pid 2>/dev/null; do
    seen="$seen $(descendants $pid)"
    sleep 0.2
    ticks=$((ticks + 1))
    if [ -n "${stop_after_s:-}" ] && [ $ticks -eq $((stop_after_s * 5)) ]; then kill -INT $pid; fi
  done
  wait $pid; rc=$?
  sleep 2  # orphans get their parent-death signals
  local left=""
  for p in $(echo "$seen" | tr ' ' '\n' | sort -u); do
    [ -n "$p" ] && [ -d "/proc/$p" ] && [ "$(awk '{print $3}' /proc/$p/stat 2>/dev/null)" != Z ] && left="$left $p($(cat /proc/$p/comm))"
  done
  if [ -n "$left" ]; then fail "$name left processes:$left"; kill -KILL $left 2>/dev/null; fi
  echo "$name: exit $rc, $(echo "$seen" | tr ' ' '\n' | sort -u | grep -c .) descendant processes seen, none left"
}

has() { grep -q -- "$2" "$1" || fail "$(basename "$1") lacks '$2': $(tail -c 600 "$1")"; }

# 1. The Flask example, quick plan: exit 0, its URLs in the profile with plausible figures,
#    one of them a POST of a JSON document (the same path as a GET: two URLs).
/usr/bin/python3 -c 'import json; print(json.dumps({"items": [{"sku": i, "qty": i % 5} for i in range(2000)]}))' \
  > "$root/order.json"
calibrate flask --app app:app --chdir "$source_dir/calibrate/examples/flask_shop" \
  --url /report=0.7 --url /digest=0.2 --url 'POST /digest=0.1' --body "$root/order.json" \
  --header 'Content-Type: application/json' --quick --runs "$root/flask.jsonl" --out "$root/flask.json"
[ $rc -eq 0 ] || fail "flask: exit $rc: $(tail -c 800 "$root/flask.err")"
/usr/bin/python3 - "$root/flask.json" "$root/flask.jsonl" <<'PY' || failures=$((failures + 1))
import json, sys
profile = json.load(open(sys.argv[1]))
runs = [json.loads(line) for line in open(sys.argv[2])]
problems = []
urls = {u["path"]: u for u in profile["app"]["urls"]}
if sorted(urls) != ["/digest", "/report", "POST /digest"]:
    problems.append("URLs %s" % sorted(urls))
for path, u in urls.items():
    cpu_ms = 1e3 * u["cpu_s"]["mean_s"]
    io_ms = 1e3 * u["io_s"]["mean_s"]
    # The views are CPU in the app (pure Python, C hashing): milliseconds of it, little IO;
    # parsing and hashing the posted ~60 kB document a fraction of a millisecond or more.
    if not (0.1 if path.startswith("POST") else 1) <= cpu_ms <= 500:
        problems.append("%s CPU %.2f ms" % (path, cpu_ms))
    if not 0 <= io_ms <= cpu_ms:
        problems.append("%s IO %.2f ms for %.2f ms of CPU" % (path, io_ms, cpu_ms))
memory = profile["memory_kib"]
if not 5 * 1024 <= memory["worker_private"] <= 500 * 1024:
    problems.append("worker private %.0f KiB" % memory["worker_private"])
# The interpreter Gunicorn's master reported (request_hooks.py), Debian's here.
if "/usr/bin/python3" not in profile["provenance"]["python_version"]:
    problems.append("provenance python %s" % profile["provenance"]["python_version"])
kinds = sorted({r["kind"] for r in runs})
if kinds != ["contended", "memory", "mix", "serial"]:
    problems.append("run kinds %s" % kinds)
if not all("cores" in r and "probe_before_ns" in r for r in runs if r["kind"] in ("serial", "contended", "mix")):
    problems.append("a load run without its cores or its host probe")
for p in problems:
    print("FAIL: flask profile:", p)
sys.exit(1 if problems else 0)
PY
"$workersim" validate --app-runs "$root/flask.jsonl" --calibration "$root/flask.json" --seeds 2 > "$root/validate.out" 2>&1 ||
  fail "validate --app-runs: $(tail -c 600 "$root/validate.out")"
has "$root/validate.out" per_url_latency_mean_s

fixture="$source_dir/tests/calibrate/session/fixtures"
# 2. An app that does not import: exit 2 naming the app, no runs.
calibrate import --app failing_app:app --chdir "$fixture" --env FAIL_IMPORT=1 --url /ok --quick \
  --runs "$root/import.jsonl" --out "$root/import.json"
[ $rc -eq 2 ] || fail "import: exit $rc"
has "$root/import.err" "failing_app:app did not start"
# 3. 404 and 500: both URLs skipped by name and status, the good URL's runs kept, exit 2.
calibrate statuses --app failing_app:app --chdir "$fixture" --url /ok --url /error --url /missing --quick \
  --runs "$root/statuses.jsonl" --out "$root/statuses.json"
[ $rc -eq 2 ] || fail "statuses: exit $rc"
has "$root/statuses.err" "URL /error answered 500"
has "$root/statuses.err" "URL /missing answered 404"
has "$root/statuses.jsonl" '"id":"serial /ok"'
# A POST without the body's content type: Flask 2.2 answers 400, named with the method.
calibrate unsupported --app app:app --chdir "$source_dir/calibrate/examples/flask_shop" \
  --url 'POST /digest' --body "$root/order.json" --quick --runs "$root/unsupported.jsonl" --out "$root/unsupported.json"
[ $rc -eq 2 ] || fail "unsupported: exit $rc"
has "$root/unsupported.err" "URL POST /digest answered 400"
[ -s "$root/statuses.json" ] || fail "statuses: no profile for /ok"
# 4. A request outlasting Gunicorn's --timeout: skipped naming the URL and the timeout.
calibrate timeout --app failing_app:app --chdir "$fixture" --url /ok --url /slow --timeout 1 --quick \
  --runs "$root/timeout.jsonl" --out "$root/timeout.json"
[ $rc -eq 2 ] || fail "timeout: exit $rc"
has "$root/timeout.err" "URL /slow: its first request got no response"
has "$root/timeout.err" "WORKER TIMEOUT"
has "$root/timeout.jsonl" '"id":"serial /ok"'
# 5. A downstream that queues: /queue serves one worker at a time (a lock the workers share),
#    /wait any number. The four-worker runs see /queue's IO grow and /wait's not.
calibrate queue --app failing_app:app --chdir "$fixture" --url /wait --url /queue --quick \
  --runs "$root/queue.jsonl" --out "$root/queue.json"
[ $rc -eq 0 ] || fail "queue: exit $rc: $(tail -c 600 "$root/queue.err")"
/usr/bin/python3 - "$root/queue.json" <<'PY' || failures=$((failures + 1))
import json, sys
urls = {u["path"]: u for u in json.load(open(sys.argv[1]))["app"]["urls"]}
queue, wait = urls["/queue"]["io_slowdown_per_caller"], urls["/wait"]["io_slowdown_per_caller"]
# One caller at a time: four workers' calls take up to four times one call (about one more
# call's time per caller found waiting); any number at once: no growth beyond noise.
problems = []
if not 0.4 <= queue <= 1.5:
    problems.append("/queue slowdown per caller %.3f" % queue)
if not wait <= 0.1:
    problems.append("/wait slowdown per caller %.3f" % wait)
for p in problems:
    print("FAIL: queue profile:", p)
sys.exit(1 if problems else 0)
PY
"$workersim" validate --app-runs "$root/queue.jsonl" --calibration "$root/queue.json" --seeds 4 > "$root/queue-validate.out" 2>&1 ||
  fail "validate --app-runs queue: $(tail -c 600 "$root/queue-validate.out")"
cat "$root/queue-validate.out"
# 6. Ctrl-C mid-plan: exit 130, what finished kept, nothing left; the next call resumes.
stop_after_s=6 calibrate interrupted --app failing_app:app --chdir "$fixture" --url /ok --quick \
  --runs "$root/interrupted.jsonl" --out "$root/interrupted.json"
[ $rc -eq 130 ] || fail "interrupted: exit $rc"
kept=$(grep -c . "$root/interrupted.jsonl" 2>/dev/null || echo 0)
calibrate resumed --app failing_app:app --chdir "$fixture" --url /ok --quick \
  --runs "$root/interrupted.jsonl" --out "$root/interrupted.json"
[ $rc -eq 0 ] || fail "resumed: exit $rc: $(tail -c 600 "$root/resumed.err")"
ids=$(/usr/bin/python3 -c 'import json,sys; ids=[json.loads(l)["id"] for l in open(sys.argv[1])]; print(len(ids) - len(set(ids)))' "$root/interrupted.jsonl")
[ "$ids" = 0 ] || fail "resumed: $ids runs made twice"
echo "interrupted after $kept runs, resumed to $(grep -c . "$root/interrupted.jsonl")"
echo "$failures failures"
[ "$failures" -eq 0 ]
