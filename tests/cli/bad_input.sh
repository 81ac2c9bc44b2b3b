#!/bin/bash
# Bad input to the built `workersim`: every case must exit 2 with a message on stderr that
# names the flag (or file and key) and the offending value, print nothing on stdout, and
# never reach the user as an uncaught exception, an abort or a sanitizer report.
#
# usage: bad_input.sh WORKERSIM FIXTURES_DIR [pending]
#   pending: run only the regression cases of bugs found here and fixed in c9c769b: a stray
#   positional word, a number beyond double's range, a value nested 200,000 deep.
set -u
workersim=$1
fixtures=$2
mode=${3:-all}
failures=0
cases=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect_usage NEEDLES -- ARGS...: exit 2, stderr contains every |-separated needle.
expect_usage() {
    local needles=$1
    shift 2
    cases=$((cases + 1))
    local command="$*"
    "$workersim" "$@" >"$out" 2>"$err" </dev/null
    local rc=$?
    local problem=""
    [ "$rc" -eq 2 ] || problem="exit status $rc, expected 2"
    [ -s "$out" ] && problem="$problem; printed on stdout"
    [ -s "$err" ] || problem="$problem; nothing on stderr"
    if grep -qE 'terminate called|Aborted|Assertion|AddressSanitizer|runtime error|LeakSanitizer' "$err"; then
        problem="$problem; crash or sanitizer report"
    fi
    local IFS='|'
    for needle in $needles; do
        grep -qF -- "$needle" "$err" || problem="$problem; stderr lacks '$needle'"
    done
    if [ -n "$problem" ]; then
        failures=$((failures + 1))
        printf 'FAIL: workersim %s\n  %s\n  stderr: %s\n' "$command" "${problem#; }" "$(head -c 400 "$err")"
    fi
}

# expect_ok ARGS...: exit 0 (the accepted forms around the rejected ones).
expect_ok() {
    cases=$((cases + 1))
    "$workersim" "$@" >"$out" 2>"$err" </dev/null
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        failures=$((failures + 1))
        printf 'FAIL: workersim %s\n  exit status %s, expected 0\n  stderr: %s\n' "$*" "$rc" "$(head -c 400 "$err")"
    fi
}

P="predict --calibration none --requests 10 --clients 5"
R="recommend --calibration none --requests 10 --clients 5 --max-workers 4"

if [ "$mode" = pending ]; then
    # A stray positional argument was silently ignored (Boost drops it without a positional
    # description).
    expect_usage "positional" -- $P 4
    # nlohmann throws out_of_range (406), not parse_error, for 1e400: was exit 1, no file named.
    expect_usage "--calibration|overflow.json" -- predict --calibration "$fixtures/overflow.json"
    # JsonReader::fail() dumped the offending value with nlohmann's recursive serializer: a
    # value nested 200,000 deep (a 400 KB file) overflowed the stack (SIGSEGV, exit 139).
    deep=$(mktemp)
    { printf '{"format": '; head -c 200000 /dev/zero | tr '\0' '['; head -c 200000 /dev/zero | tr '\0' ']'; printf '}'; } >"$deep"
    expect_usage "--calibration|format" -- predict --calibration "$deep"
    rm -f "$deep"
    echo "$cases pending cases, $failures failed"
    [ "$failures" -eq 0 ]
    exit
fi

# ---- commands and flags ----
expect_usage "unknown command|frobnicate" -- frobnicate
expect_usage "usage" --
expect_usage "unknown flag --bogus" -- $P --bogus 1
expect_usage "unknown flag --work" -- $P --work 4          # no abbreviations
expect_usage "unknown flag -w" -- $P -w 4

# ---- integers ----
expect_usage "--workers|0|1..100000" -- $P --workers 0
expect_usage "--workers|abc|1..100000" -- $P --workers abc
expect_usage "--workers|100000000|1..100000" -- $P --workers 100000000
expect_usage "--workers|-3" -- $P --workers -3
expect_usage "--workers|1e3" -- $P --workers 1e3
expect_usage "--workers|4x" -- $P --workers 4x
expect_usage "--workers|0x10" -- $P --workers 0x10
expect_usage "--workers|99999999999999999999999" -- $P --workers 99999999999999999999999
expect_usage "--requests|1000000000000|10000000000" -- predict --calibration none --requests 1000000000000
expect_usage "--requests|5|--clients" -- predict --calibration none --clients 10 --requests 5
expect_usage "--clients|0|1..1000000" -- predict --calibration none --clients 0
expect_usage "--cores|0|1..4096" -- $P --cores 0
expect_usage "--cpu-time-factor|0|0.01..100" -- $P --cpu-time-factor 0
expect_usage "--cpu-time-factor|fast" -- $P --cpu-time-factor fast
expect_usage "--backlog|-1" -- $P --backlog -1
expect_usage "--max-requests|-1" -- $P --max-requests -1
expect_usage "--max-requests-jitter|x" -- $P --max-requests-jitter x
expect_usage "--seed|-1" -- $P --seed -1

# ---- gthread ----
expect_usage "--worker-class|eventlet|sync or gthread" -- $P --worker-class eventlet
expect_usage "--worker-class|any|sync or gthread" -- predict --calibration none -k any
expect_usage "--threads|0|1..10000" -- $P --threads 0
expect_usage "--worker-connections|0|1..1048576" -- $P --worker-connections 0
expect_usage "--keepalive|-1" -- $P --keepalive -1
expect_usage "--client-keepalive|maybe|on or off" -- $P --client-keepalive maybe
expect_usage "--gil-free-pct|150|0..100" -- $P --gil-free-pct 150
expect_usage "--method mva|keep-alive|--client-keepalive off|--method sim" -- predict --calibration none -k gthread --threads 4 --method mva
expect_usage "--method both|keep-alive" -- sweep --calibration none --threads 4 --workers 1,2 --method both
expect_usage "--method mva|--method sim" -- predict --calibration none -k gthread --threads 10000 --workers 100000 --rate 1 --method mva
expect_ok predict --calibration none -k gthread --threads 4 --client-keepalive off --method both
expect_ok predict --calibration none -k gthread --threads 4 --keepalive 0 --method mva --json
expect_ok sweep --calibration none --threads 1,4 --workers 1,2 --client-keepalive off --method mva --json
expect_ok predict --calibration none -k gthread --threads 4 --client-keepalive off --gil-free-pct 50
expect_ok sweep --calibration none --threads 1,4 --workers 2 --clients 8 --requests 16
expect_usage "--threads|0|1..10000" -- sweep --calibration none --threads 0,4 --workers 2

# ---- recommend's worker classes (issue 13) ----
expect_usage "--worker-class|eventlet|sync, gthread or any" -- $R --worker-class eventlet
expect_usage "--threads|0|1..10000" -- $R -k any --threads 0
expect_usage "--threads|8..2|FROM <= TO" -- $R -k gthread --threads 8..2
expect_usage "--threads|1..100|more than 64" -- $R -k gthread --threads 1..100
expect_usage "--threads|x|1..10000" -- $R -k gthread --threads x
expect_usage "--threads|4|-k gthread" -- $R --threads 4
expect_usage "--keepalive|-1" -- $R -k gthread --keepalive -1
expect_usage "--worker-connections|0|1..1048576" -- $R -k gthread --worker-connections 0
expect_usage "--client-keepalive|maybe|on or off" -- $R -k any --client-keepalive maybe
expect_usage "--gil-free-pct|101|0..100" -- $R -k gthread --gil-free-pct 101
expect_ok $R -k any --threads 1,4
expect_ok $R -k gthread --threads 2..4 --client-keepalive off --keepalive 0 --worker-connections 10 --gil-free-pct 50 --json

# ---- numbers and percentages ----
expect_usage "--io-pct|120|0..100" -- $P --io-pct 120
expect_usage "--io-pct|nan" -- $P --io-pct nan
expect_usage "--io-pct|60|--cpu-pct|sum to 100" -- $P --io-pct 60 --cpu-pct 60
expect_usage "--io-ms|-5" -- $P --io-ms -5
expect_usage "--io-ms|--io-pct" -- $P --io-ms 5 --io-pct 50
expect_usage "--rate|0" -- predict --calibration none --rate 0
expect_usage "--rate|abc" -- predict --calibration none --rate abc
expect_usage "--rate|--clients" -- predict --calibration none --rate 5 --clients 3

# ---- distributions and slow tails ----
expect_usage "--io-dist|weird|det, exp or lognormal:CV" -- $P --io-dist weird
expect_usage "--io-dist|lognormal:0" -- $P --io-dist lognormal:0
expect_usage "--io-dist|lognormal:nan" -- $P --io-dist lognormal:nan
expect_usage "--cpu-dist|lognormal:-1" -- $P --cpu-dist lognormal:-1
expect_usage "--io-slow|bad|P:DURATION" -- $P --io-slow bad
expect_usage "--io-slow|150%" -- $P --io-slow 150%:1s
expect_usage "--io-slow|'45'" -- $P --io-slow 1%:45
expect_usage "--loadgen|foo|separate or shared" -- $P --loadgen foo

# ---- durations ----
expect_usage "--timeout|-1" -- $P --timeout -1
expect_usage "--timeout|nan" -- $P --timeout nan
expect_usage "--timeout|inf" -- $P --timeout inf
expect_usage "--timeout|99999999999999999999999999" -- $P --timeout 99999999999999999999999999
expect_usage "--client-timeout|1e3s" -- $P --client-timeout 1e3s
expect_usage "--unit|-2s" -- $P --unit -2s
expect_usage "--unit|0s" -- $P --unit 0s
expect_usage "--unit|2 s" -- $P --unit "2 s"
expect_ok $P --timeout 30 --client-timeout 250ms --unit 2s

# ---- sizes (recommend --memory) ----
expect_ok $R --memory 1GiB
expect_ok $R --memory 512MiB
expect_usage "--memory|1 GiB" -- $R --memory "1 GiB"
expect_usage "--memory|1gb" -- $R --memory 1gb
expect_usage "--memory|-1MiB" -- $R --memory -1MiB
expect_usage "--memory|1e3MiB" -- $R --memory 1e3MiB
expect_usage "--memory|GiB" -- $R --memory GiB
expect_usage "--memory|0B" -- $R --memory 0B

# ---- calibration files: the file, the key, what was expected ----
expect_ok predict --calibration "$fixtures/valid_profile.json" --requests 10 --clients 5
expect_usage "--calibration|missing-profile.json|cannot read" -- predict --calibration "$fixtures/missing-profile.json"
expect_usage "--calibration|malformed.json|not valid JSON" -- predict --calibration "$fixtures/malformed.json"
expect_usage "--calibration|empty.json|not valid JSON" -- predict --calibration "$fixtures/empty.json"
expect_usage "--calibration|not_an_object.json|object" -- predict --calibration "$fixtures/not_an_object.json"
expect_usage "wrong_type_cores.json|host_cores|\"two\"|integer" -- predict --calibration "$fixtures/wrong_type_cores.json"
expect_usage "wrong_type_memory.json|memory_kib|object" -- predict --calibration "$fixtures/wrong_type_memory.json"
expect_usage "unknown_key.json|bogus_key" -- predict --calibration "$fixtures/unknown_key.json"
expect_usage "unknown_nested_key.json|memory_kib.swap" -- predict --calibration "$fixtures/unknown_nested_key.json"
expect_usage "missing_key.json|loop_cpu_s|missing" -- predict --calibration "$fixtures/missing_key.json"
expect_usage "nan.json|not valid JSON" -- predict --calibration "$fixtures/nan.json"
expect_usage "nan_string.json|loop_cpu_s|\"NaN\"|finite" -- predict --calibration "$fixtures/nan_string.json"
expect_usage "negative_pss.json|memory_kib.worker_private|-6000" -- predict --calibration "$fixtures/negative_pss.json"
expect_usage "cores_zero.json|host_cores|0|[1, 4096]" -- predict --calibration "$fixtures/cores_zero.json"
expect_usage "cores_fraction.json|host_cores|2.5" -- predict --calibration "$fixtures/cores_fraction.json"
expect_usage "absurd_boot.json|boot_s" -- predict --calibration "$fixtures/absurd_boot.json"
expect_usage "wrong_format.json|format|workersim-profile/1" -- predict --calibration "$fixtures/wrong_format.json"
expect_usage "capacity_length.json|core_capacity|one entry per core" -- predict --calibration "$fixtures/capacity_length.json"
expect_usage "--calibration|recommend|missing-profile.json" -- recommend --calibration "$fixtures/missing-profile.json"
expect_usage "--plan|bogus|quick|full|failure" -- calibrate --plan bogus --only-fit
expect_usage "--quick|--plan full" -- calibrate --quick --plan full --only-fit
expect_usage "--runs|missing-runs.jsonl" -- calibrate --only-fit --runs "$fixtures/missing-runs.jsonl"
expect_usage "--pg-dsn|port 0|1..65535" -- calibrate --only-fit --pg-dsn "host=127.0.0.1 port=0"
expect_usage "--pg-dsn|bogus|host, hostaddr, port, user, password or dbname" -- calibrate --only-fit --pg-dsn "bogus=1"
expect_usage "--pg-dsn|unterminated" -- calibrate --only-fit --pg-dsn "password='abc"
# calibrate --app's requests, refused before anything runs
expect_usage "--url FETCH /x|method FETCH|GET, POST, PUT, PATCH or DELETE" -- calibrate --app a:b --url 'FETCH /x'
expect_usage "--url POST x|starting with /" -- calibrate --app a:b --url 'POST x'
expect_usage "--url POST /x|given twice" -- calibrate --app a:b --url 'POST /x' --url 'POST /x=2'
expect_usage "--body /nonexistent-body.json|cannot read" -- calibrate --app a:b --url 'POST /x' --body /nonexistent-body.json
expect_usage "--body|no --url sends a body|POST /orders" -- calibrate --app a:b --url /x --body "$fixtures/../bad_input.sh"
expect_usage "--body|/x sends no body" -- calibrate --app a:b --url /x --url 'PUT /y' --body "/x=$fixtures/../bad_input.sh"
expect_usage "--header nocolon|NAME: VALUE" -- calibrate --app a:b --url /x --header nocolon
expect_usage "--pg-dsn|key=value" -- probe --out /dev/null --pg-dsn "localhost"
expect_usage "--pg-dsn|port 70000|1..65535" -- probe --out /dev/null --pg-dsn "port=70000"
expect_usage "--out|required" -- probe
expect_usage "--out|/nonexistent-dir/x.json|cannot write" -- probe --out /nonexistent-dir/x.json
expect_usage "--calibration none|no costs" -- probe --out /dev/null --calibration none
expect_usage "--calibration|missing-profile.json" -- probe --out /dev/null --calibration "$fixtures/missing-profile.json"
expect_usage "--seed" -- probe --out /dev/null --seed 3
expect_usage "--from|/nonexistent-probe.json|no such file" -- probe --out /dev/null --from /nonexistent-probe.json
expect_usage "--from|not a probe" -- probe --out /dev/null --from "$fixtures/../bad_input.sh"
expect_usage "--from and --pg-dsn" -- probe --out /dev/null --from /dev/null --pg-dsn "host=x"
expect_usage "--profile-uncertainty|--replications 1|at least 2" -- predict --profile-uncertainty --replications 1
expect_usage "--profile-uncertainty|none|no standard errors" -- predict --profile-uncertainty --calibration none
expect_usage "--runs|required" -- validate
expect_usage "--runs|missing-runs.jsonl" -- validate --runs "$fixtures/missing-runs.jsonl"

# An app's URL mix (issue 14): the bad path or weight named with the paths the app has.
app="$fixtures/app_profile.json"
expect_ok predict --calibration "$app" --url-mix /orders=0.7,/search=0.3 --requests 10 --clients 5
expect_usage "--url-mix|/foo|accepted: /orders, /search" -- predict --calibration "$app" --url-mix /foo=1
expect_usage "--url-mix /orders|abc" -- predict --calibration "$app" --url-mix /orders=abc
expect_usage "--url-mix /orders|-1" -- predict --calibration "$app" --url-mix /orders=-1
expect_usage "--url-mix|sum to 0|accepted: /orders, /search" -- predict --calibration "$app" --url-mix /orders=0
expect_usage "--url-mix|orders|PATH=WEIGHT" -- predict --calibration "$app" --url-mix orders
expect_usage "--url-mix|/orders|twice" -- predict --calibration "$app" --url-mix /orders=1,/orders=2
expect_usage "--url-mix|calibrate --app" -- predict --url-mix /orders=1
expect_usage "--url-mix|calibrate --app" -- predict --calibration "$app" --io-ms 10 --url-mix /orders=1

echo "$cases cases, $failures failed"
[ "$failures" -eq 0 ]
