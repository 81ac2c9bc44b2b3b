#!/bin/bash
# A Gunicorn command pasted after `--` (or --gunicorn-conf FILE), read by Gunicorn's own parser:
# - the modelled settings become workersim's flags: the paste predicts byte-identically to the
#   same settings typed as workersim flags, and Gunicorn's defaults (asked of Gunicorn itself)
#   fill in what the command leaves out;
# - every other option the command or file sets is named in a warning (stderr and JSON);
# - a worker class workersim does not model, an option Gunicorn refuses and a value out of
#   workersim's range exit 2 naming it;
# - a workersim flag beside the paste overrides it (and says so), the paste overrides
#   --scenario's file; sweep and recommend take it too (recommend: the baseline).
#
# usage: gunicorn_command.sh WORKERSIM
set -u
workersim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")   # absolute: some cases run elsewhere
python=/usr/bin/python3   # Debian's, with python3-gunicorn (as workersim uses)
source "$(dirname "$0")/expect.sh"

# json_field FILE EXPRESSION: a Python expression over the JSON object `j`.
json_field() { $python -c "import json,sys; j=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"; }

# expect_json_field FILE EXPRESSION VALUE
expect_json_field() {
    cases=$((cases + 1))
    local got
    got=$(json_field "$1" "$2")
    [ "$got" = "$3" ] || fail "$2 in $1 is $got, expected $3"
}

# expect_same A B WHAT: two files byte-identical.
expect_same() {
    cases=$((cases + 1))
    cmp -s "$1" "$2" || fail "$3: $(diff "$1" "$2" | head -5)"
}

# without_gunicorn FILE: the JSON without its "gunicorn" echo, as workersim prints JSON.
without_gunicorn() { $python -c "import json,sys; j=json.load(open(sys.argv[1])); j.pop('gunicorn', None); print(json.dumps(j, indent=2))" "$1"; }

L="--calibration none --io-ms 100 --cpu-ms 5 --clients 8 --requests 80"
PASTE="gunicorn -w 4 -k gthread --threads 8 --timeout 30 --backlog 512 --max-requests 1000 --max-requests-jitter 50 myapp.wsgi:application"

# ---- the issue's command: the settings Gunicorn read, as workersim's flags ----
"$workersim" predict $L --json -- $PASTE >"$dir/paste.json" 2>"$dir/paste.err"
for pair in workers:4 worker-class:'"gthread"' threads:8 timeout:30 backlog:512 max-requests:1000 \
            max-requests-jitter:50; do
    expect_json_field "$dir/paste.json" "j['scenario']['${pair%%:*}']" "${pair#*:}"
done
expect_json_field "$dir/paste.json" 'j["gunicorn"]["command"]' "$($python -c 'import json,sys; print(json.dumps(sys.argv[1:]))' $PASTE)"
expect_json_field "$dir/paste.json" 'j["gunicorn"]["app"]' '"myapp.wsgi:application"'
expect_json_field "$dir/paste.json" 'j["gunicorn"]["warnings"]' '[]'
expect_json_field "$dir/paste.json" 'j["gunicorn"]["explicitly_set"]' \
    '["workers", "timeout", "backlog", "max-requests", "max-requests-jitter", "worker-class", "threads"]'
expect_json_field "$dir/paste.json" 'j["gunicorn"]["gunicorn_version"]' \
    "\"$($python -c 'import gunicorn; print(gunicorn.__version__)')\""
cases=$((cases + 1))
[ -s "$dir/paste.err" ] && fail "a command of modelled options only warned: $(cat "$dir/paste.err")"
# the same settings typed as workersim's flags predict byte-identically (the paste gives all
# nine, Gunicorn's defaults included)
"$workersim" predict $L --json --workers 4 -k gthread --threads 8 --timeout 30 --backlog 512 --max-requests 1000 \
    --max-requests-jitter 50 --keepalive 2 --worker-connections 1000 >"$dir/typed.json"
without_gunicorn "$dir/paste.json" >"$dir/paste-bare.json"
without_gunicorn "$dir/typed.json" >"$dir/typed-bare.json"
expect_same "$dir/paste-bare.json" "$dir/typed-bare.json" "the paste and the same flags typed"
expect 0 "4 gthread workers x 8 threads" -- predict $L -- $PASTE
# Gunicorn's spellings of the program and of the options
expect 0 "4 gthread workers x 8 threads" -- predict $L -- /usr/bin/gunicorn --workers=4 --worker-class=gthread --threads=8 app:app
expect 0 "4 gthread workers x 8 threads" -- predict $L -- python3 -m gunicorn -w4 -k gunicorn.workers.gthread.ThreadWorker --threads 8 app:app
# Gunicorn's own rule: sync with --threads > 1 runs gthread (gunicorn/config.py Config.worker_class)
expect 0 "2 gthread workers x 4 threads" -- predict $L -- gunicorn -w 2 --threads 4 app:app

# ---- Gunicorn's defaults where the command sets nothing, asked of Gunicorn itself ----
"$workersim" predict $L --json -- gunicorn app:app >"$dir/defaults.json" 2>"$dir/err"
$python -c 'from gunicorn.config import Config
c = Config()
for name in ["workers", "timeout", "backlog", "max_requests", "max_requests_jitter", "threads", "worker_connections", "keepalive", "worker_class_str"]:
    print(name.replace("_str", "").replace("_", "-"), getattr(c, name))' >"$dir/gunicorn-defaults"
while read -r flag value; do
    [ "$flag" = worker-class ] && value="\"$value\""
    expect_json_field "$dir/defaults.json" "j['scenario']['$flag']" "$value"
    expect_json_field "$dir/defaults.json" "j['gunicorn']['settings']['$flag']" "$value"
done <"$dir/gunicorn-defaults"
expect_json_field "$dir/defaults.json" 'j["gunicorn"]["explicitly_set"]' '[]'
# workers' default is Gunicorn's, $WEB_CONCURRENCY (gunicorn/config.py Workers), not workersim's 1
cases=$((cases + 1))
WEB_CONCURRENCY=3 "$workersim" predict $L --json -- gunicorn app:app >"$dir/web.json" 2>"$dir/err" || fail "WEB_CONCURRENCY=3 predict failed"
expect_json_field "$dir/web.json" 'j["scenario"]["workers"]' 3
# GUNICORN_CMD_ARGS counts, as it does for Gunicorn
cases=$((cases + 1))
GUNICORN_CMD_ARGS="--timeout 90" "$workersim" predict $L --json -- gunicorn app:app >"$dir/env.json" 2>"$dir/err" || fail "GUNICORN_CMD_ARGS predict failed"
expect_json_field "$dir/env.json" 'j["scenario"]["timeout"]' 90

# ---- a config file, read by Gunicorn (its Python runs) ----
cat >"$dir/gunicorn.conf.py" <<'EOF'
import multiprocessing
workers = multiprocessing.cpu_count() * 0 + 3
worker_class = "gthread"
threads = 2
keepalive = 5
worker_connections = 50
bind = ["127.0.0.1:8000", "unix:/run/app.sock"]
graceful_timeout = 10
preload_app = False
def post_fork(server, worker):
    pass
EOF
"$workersim" predict $L --json --gunicorn-conf "$dir/gunicorn.conf.py" >"$dir/conf.json" 2>"$dir/conf.err"
for pair in workers:3 worker-class:'"gthread"' threads:2 keepalive:5 worker-connections:50 timeout:30; do
    expect_json_field "$dir/conf.json" "j['scenario']['${pair%%:*}']" "${pair#*:}"
done
expect_json_field "$dir/conf.json" 'j["gunicorn"]["config_file"]' "\"$dir/gunicorn.conf.py\""
expect_json_field "$dir/conf.json" 'j["gunicorn"]["command"]' '[]'
expect_json_field "$dir/conf.json" '[w.split(" sets ")[1].split(" ")[0] for w in j["gunicorn"]["warnings"]]' \
    '["-b/--bind", "--graceful-timeout", "post_fork"]'
expect_json_field "$dir/conf.json" '[j["gunicorn"]["settings"]["preload"], "preload" in j["gunicorn"]["explicitly_set"]]' \
    '[false, true]'
expect_json_field "$dir/conf.json" '"gunicorn" in j["scenario"] or "gunicorn-conf" in j["scenario"]' false
expect 0 "warning: --gunicorn-conf $dir/gunicorn.conf.py sets -b/--bind 127.0.0.1:8000,unix:/run/app.sock|sets post_fork" \
    -- predict $L --gunicorn-conf "$dir/gunicorn.conf.py"
# -c in the pasted command is the same file; the command line beats the file, as in Gunicorn
expect 0 "5 gthread workers x 2 threads" -- predict $L -- gunicorn -c "$dir/gunicorn.conf.py" -w 5 app:app
# Gunicorn reads ./gunicorn.conf.py when no -c is given
cases=$((cases + 1))
(cd "$dir" && "$workersim" predict $L --json -- gunicorn app:app >"$dir/cwd.json" 2>"$dir/err") || fail "predict in a directory with gunicorn.conf.py failed"
expect_json_field "$dir/cwd.json" 'j["scenario"]["workers"]' 3
printf 'workers = 2\n' >"$dir/other.py"
expect 2 "--gunicorn-conf $dir/gunicorn.conf.py and the command's -c $dir/other.py|give one config file" \
    -- predict $L --gunicorn-conf "$dir/gunicorn.conf.py" -- gunicorn -c "$dir/other.py" app:app
expect 2 "--gunicorn-conf $dir/missing.py|doesn't exist" -- predict $L --gunicorn-conf "$dir/missing.py"
printf 'workers = "many"\n' >"$dir/bad.conf.py"
expect 2 "--gunicorn-conf $dir/bad.conf.py|Invalid value for workers" -- predict $L --gunicorn-conf "$dir/bad.conf.py"

# ---- options workersim does not model: each named, never silently ignored ----
expect 0 "warning: the Gunicorn command sets -b/--bind 0.0.0.0:8000: workersim does not model it|sets --graceful-timeout 10:|sets --log-level debug:" \
    -- predict $L -- gunicorn -w 2 --bind 0.0.0.0:8000 --preload --graceful-timeout 10 --log-level debug app:app
"$workersim" predict $L --json -- gunicorn -w 2 --bind 0.0.0.0:8000 --preload app:app >"$dir/warn.json" 2>/dev/null
expect_json_field "$dir/warn.json" 'len(j["gunicorn"]["warnings"])' 2
expect_json_field "$dir/warn.json" '[("--bind" in w, "--preload" in w) for w in j["gunicorn"]["warnings"]]' \
    '[[true, false], [false, true]]'

# ---- --preload: memory from a profile that measured it (calibrate --app); else a warning ----
expect 0 "warning: --preload: the profile 'none' has no memory measured with it|memory predicted as without it" \
    -- predict $L -- gunicorn -w 2 --preload app:app
app_profile=$(cd "$(dirname "$0")/../.." && pwd)/calibrate/data/app/flask-shop-0012-profile.json
A="--calibration $app_profile --clients 4 --requests 40"
"$workersim" predict $A --json -- gunicorn -w 3 --preload app:app >"$dir/preload-paste.json" 2>"$dir/preload.err"
"$workersim" predict $A --json --workers 3 --preload >"$dir/preload-typed.json"
"$workersim" predict $A --json --workers 3 >"$dir/no-preload.json"
expect_json_field "$dir/preload-paste.json" 'j["gunicorn"]["warnings"]' '[]'
# the predictions (all but the echoes: the paste's echo also carries Gunicorn's defaults)
prediction() { $python -c "import json,sys; j=json.load(open(sys.argv[1])); [j.pop(k, None) for k in ('gunicorn', 'scenario')]; print(json.dumps(j, indent=2))" "$1"; }
prediction "$dir/preload-paste.json" >"$dir/preload-paste-bare.json"
prediction "$dir/preload-typed.json" >"$dir/preload-typed-bare.json"
prediction "$dir/no-preload.json" >"$dir/no-preload-bare.json"
expect_same "$dir/preload-paste-bare.json" "$dir/preload-typed-bare.json" "a pasted --preload and a typed one"
expect_json_field "$dir/preload-paste.json" 'j["scenario"]["preload"]' true
cases=$((cases + 1))
cmp -s "$dir/preload-typed-bare.json" "$dir/no-preload-bare.json" &&
    fail "--preload changed nothing with a profile that measured it"
"$workersim" recommend $A --json --memory 200MiB -- gunicorn -w 3 --preload app:app >"$dir/rec-preload.json" 2>/dev/null
"$workersim" recommend $A --json --memory 200MiB -- gunicorn -w 3 app:app >"$dir/rec-plain.json" 2>/dev/null
expect_json_field "$dir/rec-preload.json" 'j["gunicorn"]["warnings"]' '[]'
cases=$((cases + 1))
cmp -s "$dir/rec-preload.json" "$dir/rec-plain.json" && fail "recommend's memory ignored the pasted --preload"

# ---- refused: exit 2, the value named ----
for class in gevent eventlet tornado gevent_pywsgi gunicorn.workers.ggevent.GeventWorker; do
    expect 2 "-k/--worker-class $class: workersim models the worker classes sync and gthread" \
        -- predict $L -- gunicorn -k "$class" app:app
done
expect 2 "Gunicorn refused it|unrecognized arguments: --no-such-option" -- predict $L -- gunicorn --no-such-option app:app
# a workersim flag typed after `--` is Gunicorn's to refuse; the message says where it goes
expect 2 'unrecognized arguments: --json|workersim'"'"'s own flags go before the `--`, Gunicorn'"'"'s after it' -- predict $L -- gunicorn -w 2 app:app --json
expect 2 "Gunicorn refused it|invalid int value: 'four'" -- predict $L -- gunicorn -w four app:app
expect 2 "the Gunicorn command: --workers 0: expected an integer in 1..100000" -- predict $L -- gunicorn -w 0 app:app
expect 2 "-- with nothing after it" -- predict $L --
expect 2 "Gunicorn printed no settings" -- predict $L -- gunicorn --version

# ---- precedence: workersim's flag > the pasted command > --scenario's file > Gunicorn's defaults ----
"$workersim" predict $L --json --workers 2 --timeout 10 -- $PASTE >"$dir/over.json" 2>"$dir/over.err"
expect_json_field "$dir/over.json" 'j["scenario"]["workers"]' 2
expect_json_field "$dir/over.json" 'j["scenario"]["timeout"]' 10
expect_json_field "$dir/over.json" 'j["scenario"]["threads"]' 8
expect_json_field "$dir/over.json" 'j["gunicorn"]["warnings"]' \
    '["--workers 2 overrides the Gunicorn command'"'"'s -w/--workers 4", "--timeout 10 overrides the Gunicorn command'"'"'s -t/--timeout 30"]'
cases=$((cases + 1))
grep -qF "warning: --workers 2 overrides the Gunicorn command's -w/--workers 4" "$dir/over.err" || fail "the override is not on stderr"
# a flag that only restates a Gunicorn default overrides silently
"$workersim" predict $L --json --backlog 100 -- gunicorn app:app >"$dir/quiet.json" 2>/dev/null
expect_json_field "$dir/quiet.json" '[j["scenario"]["backlog"], j["gunicorn"]["warnings"]]' '[100, []]'
# the pasted command beats --scenario's file; a flag beats both
json_field "$dir/paste.json" 'dict(j["scenario"], workers=7, threads=3)' >"$dir/scenario.json"
"$workersim" predict --scenario "$dir/scenario.json" --json -- gunicorn -w 5 app:app >"$dir/s1.json" 2>/dev/null
expect_json_field "$dir/s1.json" '[j["scenario"]["workers"], j["scenario"]["threads"], j["scenario"]["timeout"]]' '[5, 1, 30]'
"$workersim" predict --scenario "$dir/scenario.json" --json --workers 6 -- gunicorn -w 5 app:app >"$dir/s2.json" 2>/dev/null
expect_json_field "$dir/s2.json" 'j["scenario"]["workers"]' 6
# a paste's scenario echo reruns it without the paste, byte-identically
json_field "$dir/paste.json" 'j["scenario"]' >"$dir/rerun-scenario.json"
"$workersim" predict --scenario "$dir/rerun-scenario.json" --json >"$dir/rerun.json"
without_gunicorn "$dir/rerun.json" >"$dir/rerun-bare.json"
expect_same "$dir/paste-bare.json" "$dir/rerun-bare.json" "the paste's scenario rerun with --scenario"

# ---- the python3 first on PATH is not used: Debian's /usr/bin/python3 is ----
mkdir -p "$dir/fakebin"
printf '#!/bin/sh\necho "not this python" >&2\nexit 3\n' >"$dir/fakebin/python3"
chmod +x "$dir/fakebin/python3"
cases=$((cases + 1))
PATH="$dir/fakebin:$PATH" "$workersim" predict $L --json -- $PASTE >"$dir/path.json" 2>"$dir/err" || fail "a python3 without gunicorn first on PATH broke the paste"
expect_json_field "$dir/path.json" 'j["scenario"]["threads"]' 8

# ---- sweep: every point from the paste, the swept flag overriding it ----
"$workersim" sweep $L --workers 1..3 --json -- gunicorn -w 4 -k gthread --threads 2 --bind :80 app:app \
    >"$dir/sweep.jsonl" 2>"$dir/sweep.err"
cases=$((cases + 1))
[ "$(wc -l <"$dir/sweep.jsonl")" -eq 3 ] || fail "sweep --workers 1..3 printed $(wc -l <"$dir/sweep.jsonl") lines, expected 3"
head -1 "$dir/sweep.jsonl" >"$dir/sweep-first.json"
expect_json_field "$dir/sweep-first.json" '[int(j["workers"]), j["gunicorn"]["settings"]["threads"], len(j["gunicorn"]["warnings"])]' '[1, 2, 2]'
cases=$((cases + 1))
grep -qF "warning: the Gunicorn command sets -b/--bind :80" "$dir/sweep.err" || fail "sweep did not warn about --bind"
"$workersim" sweep $L --threads 1..2 --json -- gunicorn -w 2 app:app >"$dir/sweep-threads.jsonl" 2>/dev/null
tail -1 "$dir/sweep-threads.jsonl" >"$dir/sweep-last.json"
expect_json_field "$dir/sweep-last.json" '[int(j["threads"]), j["gunicorn"]["settings"]["workers"], j["gunicorn"]["warnings"]]' '[2, 2, []]'
expect 2 "-k/--worker-class gevent" -- sweep $L --workers 1..2 -- gunicorn -k gevent app:app

# ---- recommend: the paste is the baseline, beside (2 x cores) + 1 ----
R="recommend --calibration none --cores 2 --io-ms 100 --cpu-ms 20 --clients 16 --requests 160 --max-workers 16"
expect 0 "Rule of thumb, (2 x cores) + 1 = 5|Your configuration (the Gunicorn command), 3 workers (sync)" \
    -- $R -- gunicorn -w 3 --timeout 60 --bind :80 app:app
"$workersim" $R --json -- gunicorn -w 3 --timeout 60 app:app >"$dir/rec.json" 2>/dev/null
expect_json_field "$dir/rec.json" '[j["baseline"]["worker_class"], j["baseline"]["workers"], j["baseline"]["threads"]]' '["sync", 3, 1]'
expect_json_field "$dir/rec.json" 'j["gunicorn"]["settings"]["timeout"]' 60
expect_json_field "$dir/rec.json" 'j["baseline"]["predicted"]["completed"] > 0 and "rule_of_thumb" in j' true
# the baseline is predict's prediction of the same configuration on recommend's longer run
"$workersim" predict --calibration none --cores 2 --io-ms 100 --cpu-ms 20 --clients 16 --requests 20000 --workers 3 \
    --timeout 60 --json >"$dir/rec-predict.json"
cases=$((cases + 1))
[ "$(json_field "$dir/rec.json" 'j["baseline"]["predicted"]["throughput_rps"]')" = \
  "$(json_field "$dir/rec-predict.json" 'j["throughput_rps"]')" ] || fail "recommend's baseline differs from predict's run of it"
# a gthread paste is sized as gthread unless -k says otherwise
"$workersim" $R --json -- gunicorn -w 2 -k gthread --threads 4 app:app >"$dir/rec-g.json" 2>/dev/null
expect_json_field "$dir/rec-g.json" '[j["worker_class"], j["baseline"]["worker_class"], j["baseline"]["threads"]]' '["gthread", "gthread", 4]'
"$workersim" $R -k sync --json -- gunicorn -w 2 -k gthread --threads 4 app:app >"$dir/rec-s.json" 2>/dev/null
expect_json_field "$dir/rec-s.json" '[j["worker_class"], j["baseline"]["worker_class"]]' '["sync", "gthread"]'
expect 0 "Your configuration (the Gunicorn command), 2 processes x 4 threads (gthread)" \
    -- $R -k any -- gunicorn -w 2 -k gthread --threads 4 app:app
"$workersim" $R -k any --json -- gunicorn -w 2 -k gthread --threads 4 app:app >"$dir/rec-any.json" 2>/dev/null
expect_json_field "$dir/rec-any.json" \
    '[j["baseline"]["threads"], "baseline" in j["by_worker_class"]["sync"], "baseline" in j["by_worker_class"]["gthread"]]' \
    '[4, false, false]'
expect 2 "-k/--worker-class gevent" -- $R -- gunicorn -k gevent app:app

# ---- help names the option ----
for command in predict sweep recommend; do
    expect 0 "--gunicorn-conf" -- $command --help
done

expect_summary
