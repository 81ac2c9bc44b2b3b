#!/usr/bin/env bash
# Regenerates every committed report that is computed from committed runs (fits, validations),
# with the binary in BUILD_DIR (default build/). A change that must not move any figure leaves
# `git diff calibrate/data` empty after this. --check writes them to a scratch directory and
# fails, showing the difference, where one differs from the committed file (a ctest).
#   scripts/regenerate-reports.sh [--check] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
if [[ "${1:-}" == "--check" ]]; then check=true; shift; fi
ws="$(cd "${1:-build}" && pwd)/cli/workersim"
d=calibrate/data
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
out=$d
$check && out=$scratch/reports && mkdir -p "$out"

# The fits' reports only: a profile refitted here would take this host's provenance.
fit_report() {  # REPORT PLAN RUNS PROFILE: the fit of RUNS, naming PROFILE as the profile it wrote
  local report=$1 plan=$2 runs=$3 profile=$4
  "$ws" calibrate --only-fit --plan "$plan" --runs "$runs" --out "$scratch/fit.json" |
    sed "s#$scratch/fit.json#$profile#" > "$out/$report"
}
fit_report full-fit.txt full $d/full-runs.jsonl $d/default-profile.json
fit_report quick-fit.txt quick $d/quick-runs.jsonl $d/quick-profile.json
fit_report same-day-full-fit.txt full $d/same-day-full-runs.jsonl $d/same-day-full-profile.json
for t in 0221 0233; do  # quick calibrations on the repeats' host, before and after the plan's 8-thread run
  fit_report same-day-quick-$t-fit.txt quick $d/same-day-quick-$t-runs.jsonl $d/same-day-quick-$t-profile.json
done
validate() {  # REPORT RUNS PROFILE [FLAGS...]
  local report=$1 runs=$2 profile=$3
  shift 3
  "$ws" validate --runs "$runs" --calibration "$profile" "$@" > "$out/$report"
}
validate validation-holdout.txt $d/full-runs.jsonl $d/default-profile.json --holdout-only
validate validation-holdout.json $d/full-runs.jsonl $d/default-profile.json --holdout-only --json
validate validation-holdout-quick-profile.txt $d/full-runs.jsonl $d/quick-profile.json --holdout-only
validate validation-seed-default-profile.txt $d/seed-runs.jsonl $d/default-profile.json
validate validation-seed-quick-profile.txt $d/seed-runs.jsonl $d/quick-profile.json
validate validation-seed-probed-profile.txt $d/seed-runs.jsonl $d/probed-profile.json
validate validation-seed-probed-profile-ignore-host-speed.txt $d/seed-runs.jsonl $d/probed-profile.json \
  --ignore-host-speed
# gthread configurations made six times each, on a host probed beside them (calibrate --plan
# repeats); the embedded profile moved to that host by the probe calibrate took there.
"$ws" probe --from $d/repeat-runs.jsonl.probe.json --calibration $d/default-profile.json \
  --out "$scratch/repeat-probed-profile.json" > /dev/null
$check || cp "$scratch/repeat-probed-profile.json" $d/repeat-probed-profile.json
$check && { cmp -s "$scratch/repeat-probed-profile.json" $d/repeat-probed-profile.json ||
  { echo "repeat-probed-profile.json differs" >&2; exit 1; }; }
validate validation-repeats-probed-profile.txt $d/repeat-runs.jsonl $d/repeat-probed-profile.json
# The same repeats against a quick calibration made on their host minutes later.
validate validation-repeats-same-day-quick-0221-profile.txt $d/repeat-runs.jsonl $d/same-day-quick-0221-profile.json
validate validation-repeats-same-day-quick-0233-profile.txt $d/repeat-runs.jsonl $d/same-day-quick-0233-profile.json
# The full plan made on the repeats' day (03:53-04:22): its own held-out runs, and the repeats.
validate validation-holdout-same-day-full-profile.txt $d/same-day-full-runs.jsonl $d/same-day-full-profile.json --holdout-only
validate validation-repeats-same-day-full-profile.txt $d/repeat-runs.jsonl $d/same-day-full-profile.json
# calibrate --app's calibrations (calibrate/data/app): their held-out runs against their profiles,
# from that directory as they were made.
for runs in $d/app/*-runs.jsonl; do
  name=$(basename "$runs" -runs.jsonl)
  mkdir -p "$out/app"
  (cd $d/app && "$ws" validate --app-runs "$name-runs.jsonl" --calibration "$name-profile.json") > "$out/app/$name-validation.txt"
done
scripts/failure-validation.sh $d/failure-runs.jsonl $d/default-profile.json "$ws" > $out/failure-validation.txt

if $check; then
  status=0
  for report in "$out"/* "$out"/app/*; do
    [ -f "$report" ] || continue
    diff -u "$d/${report#$out/}" "$report" || status=1
  done
  exit $status
fi
