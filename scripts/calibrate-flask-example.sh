#!/bin/bash
# Calibrates calibrate/examples/flask_shop (without its PostgreSQL view) with a quick plan, the slow
# stub on 127.0.0.1:18089 at 50 ms; /missing is there on purpose: it must be skipped as a 404.
# Run it under flock /work/measure.lock on a shared host.
cd "$(dirname "$0")/.."
/usr/bin/python3 calibrate/examples/slow_stub.py 18089 50 > /dev/null 2>&1 &
stub=$!
trap 'kill $stub' EXIT
sleep 0.5
time timeout 280 build-app/cli/workersim calibrate --app app:app --chdir calibrate/examples/flask_shop \
  --url /report=0.5 --url /partner=0.3 --url /digest=0.2 --url /missing=0.1 \
  --env PARTNER_URL=http://127.0.0.1:18089/ --quick --runs ${RUNS:-/tmp/flask-shop-runs.jsonl} --out ${OUT:-/tmp/flask-shop-profile.json}
echo "rc=$?"
