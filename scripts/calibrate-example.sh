#!/bin/bash
# Calibrates an example app of calibrate/examples with a quick plan: its four views, the slow
# stub on a free port at 50 ms, a private PostgreSQL for /orders; /missing is there on purpose:
# it must be skipped as a 404. Run it under flock /work/measure.lock on a shared host.
#   scripts/calibrate-example.sh flask|django [--no-postgres]   (RUNS=..., OUT=... choose the files,
#   WORKERSIM=... the binary, default build/cli/workersim)
# The stub and PostgreSQL are the app's downstream services: pinned to core 0 with hey, away
# from the server's last core in the one-core runs (in the all-core runs everything shares),
# each in a session of its own at nice -10 as workersim runs Gunicorn and hey, so that other
# sessions' builds do not slow the services the app waits for.
set -u
cd "$(dirname "$0")/.."
case "${1:-}" in
  flask) app=app:app; chdir=calibrate/examples/flask_shop ;;
  django) app=shop.wsgi:application; chdir=calibrate/examples/django_shop ;;
  *) echo "usage: $0 flask|django [--no-postgres]" >&2; exit 2 ;;
esac
example=$1
shift
export PATH="/usr/bin:$PATH"   # Debian's python3, gunicorn and psycopg2
work=$(mktemp -d /tmp/workersim-$example-example-XXXXXX)
chmod 755 "$work"
stub=""
pg_data=""
cleanup() {
  [[ -n "$stub" ]] && kill "$stub" 2>/dev/null && wait "$stub" 2>/dev/null
  [[ -n "$stub" ]] && kill -0 "$stub" 2>/dev/null && echo "the stub (pid $stub) did not stop" >&2
  [[ -n "$pg_data" ]] && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A service in its own session at nice -10 (autogroup: a plain nice would rank it only
# within ours), pinned to core 0. It execs, so that `pinned ... &` leaves $! the service's own
# pid for the cleanup to stop (a function run in the background is a subshell of its own: a
# plain call would leave the service orphaned, holding flock's lock on the measurement lock
# file it inherited); run it in ( ) to wait for it.
pinned() { exec setsid bash -c 'echo -10 > /proc/self/autogroup; exec taskset -c 0 "$@"' pinned "$@"; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stub_port=$(free_port)
pinned /usr/bin/python3 calibrate/examples/slow_stub.py "$stub_port" 50 > "$work/stub.out" 2>&1 &
stub=$!
for _ in $(seq 50); do grep -q ready "$work/stub.out" 2>/dev/null && break; sleep 0.1; done

urls=(--url /report=0.4 --url /partner=0.3 --url /digest=0.1)
env=(--env "PARTNER_URL=http://127.0.0.1:$stub_port/")
if [[ "${1:-}" != "--no-postgres" ]]; then
  # A private cluster as the postgres user (PostgreSQL refuses root), its socket in our work
  # directory, trust authentication over that socket only: nothing shared with Debian's own.
  pg_data="$work/pg"
  pg_port=$(free_port)
  mkdir -p "$pg_data" "$work/sock" && chown postgres "$pg_data" "$work/sock"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pg_data" -A trust -U postgres > "$work/initdb.log" 2>&1 ||
    { cat "$work/initdb.log"; pg_data=""; exit 1; }
  (pinned runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -w -l "$pg_data/server.log" \
    -o "-p $pg_port -k $work/sock -c listen_addresses=''" start > /dev/null) || { cat "$pg_data/server.log"; exit 1; }
  urls+=(--url /orders=0.2)
  env+=(--env "PGHOST=$work/sock" --env "PGPORT=$pg_port" --env PGUSER=postgres --env PGDATABASE=postgres)
fi
urls+=(--url /missing=0.1)

runs=${RUNS:-/tmp/$example-shop-runs.jsonl}
workersim=${WORKERSIM:-build/cli/workersim}
# The host's speed beside the calibration (workersim probe, ~9 s), kept next to the runs.
"$workersim" probe --json --out "$work/probed.json" > "$runs.host-probe.json" 2> "$work/probe.err" ||
  { echo "workersim probe failed:"; cat "$work/probe.err"; }
time timeout 600 "$workersim" calibrate --app $app --chdir $chdir \
  "${urls[@]}" "${env[@]}" --quick --runs "$runs" --out "${OUT:-/tmp/$example-shop-profile.json}"
echo "rc=$?"
