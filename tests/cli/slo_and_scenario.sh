#!/bin/bash
# predict as a CI gate and as a rerunnable record:
# - --slo-p99/--slo-mean/--slo-throughput: exit 0 when met, 1 when missed (each missed
#   objective named on stderr with predicted vs target), 2 on bad input; JSON's "slo";
# - --scenario FILE: the "scenario" --json echoes, read back, gives byte-identical output;
#   flags beside it override the file; an unknown key is an error naming it.
#
# usage: slo_and_scenario.sh WORKERSIM
set -u
workersim=$1
source "$(dirname "$0")/expect.sh"

# json_field FILE EXPRESSION: a Python expression over the JSON object `j`.
json_field() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"; }

# expect_json_field FILE EXPRESSION VALUE
expect_json_field() {
    cases=$((cases + 1))
    local got
    got=$(json_field "$1" "$2")
    [ "$got" = "$3" ] || fail "$2 in $1 is $got, expected $3"
}

S="predict --calibration none --workers 5 --io-ms 100 --clients 5 --requests 50"

# ---- SLOs: exit 0 met, 1 missed, 2 bad input ----
expect 0 "SLO: met|met     latency p99" -- $S --slo-p99 2s
expect 0 "SLO: met" -- $S --slo-p99 2s --slo-mean 500ms --slo-throughput 40
expect 1 "SLO missed: latency p99 0.100 s, target at most 0.050 s|MISSED  latency p99" -- $S --slo-p99 50ms
expect 1 "SLO missed: latency mean|target at most 0.010 s" -- $S --slo-mean 10ms
expect 1 "SLO missed: throughput|target at least 1000.00 req/s" -- $S --slo-throughput 1000
expect 1 "SLO missed: latency p99|SLO missed: throughput" -- $S --slo-p99 50ms --slo-throughput 1000
# a run with errors misses any SLO: 2 workers of a 40 s request under Gunicorn's 30 s timeout
expect 1 "SLO missed: errors" -- predict --calibration none --workers 2 --io-ms 40000 --clients 2 --requests 2 --slo-p99 1000s
# an open load beyond capacity is unstable
expect 1 "SLO missed: unstable" -- predict --calibration none --workers 1 --io-ms 100 --rate 50 --requests 200 --slo-p99 1000s
expect 0 "" -- $S                                        # no objective: no gate
expect 2 "--slo-p99|abc" -- $S --slo-p99 abc
expect 2 "--slo-mean|0|1e-06" -- $S --slo-mean 0
expect 2 "--slo-throughput|-5|a number" -- $S --slo-throughput -5
expect 2 "--slo-throughput|50rps" -- $S --slo-throughput 50rps
expect 2 "--timeline|--slo" -- $S --json --timeline 1s --slo-p99 2s
# with --replications the point estimate (the mean) is held to the SLO
expect 0 "mean across 3 replications" -- $S --replications 3 --json --slo-p99 2s
expect 1 "\"failed\": [|\"latency_mean_s\"" -- $S --json --slo-mean 10ms
expect 1 "SLO missed: throughput" -- $S --method mva --slo-throughput 1000
expect 0 "SLO: met" -- $S --method both --slo-p99 2s

"$workersim" $S --json --slo-p99 50ms --slo-throughput 40 >"$dir/slo.json" 2>/dev/null
expect_json_field "$dir/slo.json" 'j["slo"]["met"]' false
expect_json_field "$dir/slo.json" 'j["slo"]["failed"]' '["latency_p99_s"]'
expect_json_field "$dir/slo.json" '[o["objective"] for o in j["slo"]["objectives"]]' \
    '["latency_p99_s", "throughput_rps", "errors", "stable"]'

# ---- the scenario echo: every option, defaults included; the profile's name and provenance ----
"$workersim" predict --workers 3 --io-pct 90 --json >"$dir/embedded.json"
expect_json_field "$dir/embedded.json" 'j["scenario"]["workers"]' 3
expect_json_field "$dir/embedded.json" 'j["scenario"]["timeout"]' 30.0
expect_json_field "$dir/embedded.json" 'j["scenario"]["clients"]' 50
expect_json_field "$dir/embedded.json" 'j["scenario"]["rate"]' null
expect_json_field "$dir/embedded.json" 'j["scenario"]["cpu-pct"]' null
expect_json_field "$dir/embedded.json" 'j["scenario"]["calibration"]' null
expect_json_field "$dir/embedded.json" 'sorted(j["calibration"])' '["calibrated", "cpu_model", "moved", "name"]'
expect_json_field "$dir/embedded.json" '"json" in j["scenario"] or "jobs" in j["scenario"]' false

# ---- --scenario: the echo read back gives byte-identical output ----
# round_trip NAME ARGS...: predict ARGS --json, its scenario as a file, predict --scenario
# FILE --json: the same bytes and exit status; and the text output too.
round_trip() {
    local name=$1
    shift
    cases=$((cases + 1))
    "$workersim" predict "$@" --json >"$dir/$name.a" 2>/dev/null
    local rc_a=$?
    json_field "$dir/$name.a" 'j["scenario"]' >"$dir/$name.scenario.json"
    "$workersim" predict --scenario "$dir/$name.scenario.json" --json >"$dir/$name.b" 2>"$dir/err"
    local rc_b=$?
    if [ "$rc_a" -ne "$rc_b" ] || ! cmp -s "$dir/$name.a" "$dir/$name.b"; then
        fail "round trip $name ($*): exit $rc_a vs $rc_b; $(diff "$dir/$name.a" "$dir/$name.b" | head -5)"
        return
    fi
    "$workersim" predict "$@" >"$dir/$name.text.a" 2>/dev/null
    "$workersim" predict --scenario "$dir/$name.scenario.json" >"$dir/$name.text.b" 2>/dev/null
    cmp -s "$dir/$name.text.a" "$dir/$name.text.b" || fail "round trip $name ($*): the text output differs"
}
round_trip defaults
round_trip closed --workers 5 --io-pct 100 --clients 30 --requests 30 --cores 4 --seed 7
round_trip mix --workers 3 --cpu-pct 10 --rate 4 --requests 500 --loadgen shared --timeout 20
round_trip direct --calibration none --workers 8 --io-ms 100 --io-dist exp --cpu-ms 2.5 --rate 72 --requests 2000
round_trip gthread -k gthread --workers 2 --threads 4 --io-pct 90 --clients 16 --requests 64 --client-keepalive off
round_trip replicated --workers 4 --io-pct 50 --replications 4 --steady-state on --io-slow 1%:5s --unit 250ms
round_trip uncertain --workers 2 --io-pct 100 --profile-uncertainty --replications 3
round_trip uncertain_default --workers 2 --profile-uncertainty --requests 50
round_trip analytic --workers 5 --io-pct 90 --clients 20 --requests 200 --method both
round_trip gated --calibration none --workers 5 --io-ms 100 --clients 5 --requests 50 --slo-p99 50ms --slo-throughput 40

# ---- flags beside --scenario override the file ----
f="$dir/closed.scenario.json"
expect 0 "\"workers\": 2" -- predict --scenario "$f" --workers 2 --json
expect 0 "\"rate\": 3,|\"clients\": null" -- predict --scenario "$f" --rate 3 --json
expect 0 "\"io-ms\": 50|\"io-pct\": null" -- predict --scenario "$f" --io-ms 50 --json
expect 1 "SLO missed: latency p99" -- predict --scenario "$f" --slo-p99 1ms

# ---- a bad scenario file: exit 2 naming the file and the key ----
printf '{"workers": 3, "wrokers": 4}' >"$dir/typo.json"
expect 2 "--scenario|typo.json|unknown key \"wrokers\"" -- predict --scenario "$dir/typo.json"
printf '{"json": true}' >"$dir/output_flag.json"
expect 2 "unknown key \"json\"" -- predict --scenario "$dir/output_flag.json"
printf '{"workers": [3]}' >"$dir/array.json"
expect 2 "key \"workers\"|[3]" -- predict --scenario "$dir/array.json"
printf '{"profile-uncertainty": "yes"}' >"$dir/switch.json"
expect 2 "key \"profile-uncertainty\"|true or false" -- predict --scenario "$dir/switch.json"
printf '{"workers": 0}' >"$dir/range.json"
expect 2 "--workers|0|1..100000" -- predict --scenario "$dir/range.json"
printf '[1, 2]' >"$dir/list.json"
expect 2 "--scenario|expected an object" -- predict --scenario "$dir/list.json"
printf '{"workers": ' >"$dir/truncated.json"
expect 2 "--scenario|not valid JSON" -- predict --scenario "$dir/truncated.json"
expect 2 "--scenario|cannot read" -- predict --scenario "$dir/missing.json"

expect_summary
