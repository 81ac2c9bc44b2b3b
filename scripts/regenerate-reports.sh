#!/usr/bin/env bash
# Regenerates every committed report that is computed from committed runs (fits, validations),
# with the binary in build/. A change that must not move any figure leaves `git diff
# calibrate/data` empty after this.
#   scripts/regenerate-reports.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
ws="${1:-build}/cli/workersim"
d=calibrate/data
# The fits' reports only: a profile refitted here would take this host's provenance.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$ws" calibrate --only-fit --plan full --runs $d/full-runs.jsonl --out "$scratch/full.json" | sed "s#$scratch/full.json#$d/default-profile.json#" > $d/full-fit.txt
"$ws" calibrate --only-fit --quick --runs $d/quick-runs.jsonl --out "$scratch/quick.json" | sed "s#$scratch/quick.json#$d/quick-profile.json#" > $d/quick-fit.txt
"$ws" validate --runs $d/full-runs.jsonl --calibration $d/default-profile.json --holdout-only > $d/validation-holdout.txt
"$ws" validate --runs $d/full-runs.jsonl --calibration $d/default-profile.json --holdout-only --json > $d/validation-holdout.json
"$ws" validate --runs $d/full-runs.jsonl --calibration $d/quick-profile.json --holdout-only > $d/validation-holdout-quick-profile.txt
"$ws" validate --runs $d/seed-runs.jsonl --calibration $d/default-profile.json > $d/validation-seed-default-profile.txt
"$ws" validate --runs $d/seed-runs.jsonl --calibration $d/quick-profile.json > $d/validation-seed-quick-profile.txt
"$ws" validate --runs $d/seed-runs.jsonl --calibration $d/probed-profile.json > $d/validation-seed-probed-profile.txt
"$ws" validate --runs $d/seed-runs.jsonl --calibration $d/probed-profile.json --ignore-host-speed > $d/validation-seed-probed-profile-ignore-host-speed.txt
scripts/failure-validation.sh $d/failure-runs.jsonl $d/default-profile.json > $d/failure-validation.txt
