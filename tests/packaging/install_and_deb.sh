#!/bin/bash
# workersim installed like a tool, both routes, run from another directory:
# - `cmake --install --prefix P`: P/bin/workersim finds P/share/workersim (relative to itself);
# - `cpack -G DEB`: the .deb's Depends (apt resolves them from an empty dpkg status, as on a
#   fresh Debian 12), its files extracted into a temporary root (dpkg-deb -x: nothing on this
#   machine changes), where `workersim --help`, `predict` on the embedded profile (the same
#   output as the build tree's binary) and a pasted Gunicorn command work, the bundled files used
#   are the package's own, the man page holds every command's flags and bash completion
#   completes them.
#
# usage: install_and_deb.sh BUILD_DIR WORKERSIM
set -u
build=$(cd "$1" && pwd)
built=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")   # absolute: the cases run elsewhere
failures=0
cases=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/elsewhere"

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$1"
}

# check DESCRIPTION COMMAND...: the command succeeds.
check() {
    local what=$1
    shift
    cases=$((cases + 1))
    "$@" >"$dir/check.out" 2>&1 || fail "$what: $(head -c 600 "$dir/check.out")"
}

P="predict --workers 3 --io-pct 90 --cpu-pct 10 --clients 6 --requests 30"
(cd "$dir/elsewhere" && "$built" $P >"$dir/built.out" 2>&1)

# runs INSTALLED_BINARY LABEL: what an installed binary must do from another directory.
runs() {
    local workersim=$1 label=$2
    (cd "$dir/elsewhere" && "$workersim" --help >"$dir/help.out" 2>&1)
    check "$label: --help names the commands" grep -q "^  predict" "$dir/help.out"
    check "$label: --version" bash -c "'$workersim' --version | grep -qx 'workersim [0-9.]*'"
    (cd "$dir/elsewhere" && "$workersim" $P >"$dir/installed.out" 2>&1)
    check "$label: predict on the embedded profile as the build tree's binary" cmp "$dir/built.out" "$dir/installed.out"
    (cd "$dir/elsewhere" && "$workersim" predict --io-pct 90 --clients 8 --requests 16 --json \
        -- gunicorn -w 2 -k gthread --threads 4 app:app >"$dir/paste.json" 2>"$dir/paste.err")
    check "$label: a pasted Gunicorn command" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert [j["scenario"]["workers"], j["scenario"]["threads"], j["scenario"]["worker-class"]] == [2, 4, "gthread"], j["scenario"]
' "$dir/paste.json"
}

# ---- cmake --install into a prefix of its own ----
check "cmake --install" cmake --install "$build" --prefix "$dir/prefix"
for f in bin/workersim share/workersim/gunicorn_settings.py share/workersim/default-profile.json \
         share/workersim/server/app.py share/workersim/server/gunicorn_hooks.py share/workersim/server/speed_probe.py \
         share/workersim/server/connection_probe.py share/man/man1/workersim.1.gz share/bash-completion/completions/workersim; do
    check "cmake --install puts $f" test -f "$dir/prefix/$f"
done
runs "$dir/prefix/bin/workersim" "cmake --install"

# ---- the .deb ----
(cd "$build" && cpack -G DEB -B "$dir/cpack" >"$dir/cpack.log" 2>&1)
deb=$(ls "$dir"/cpack/workersim_*.deb 2>/dev/null | head -1)
cases=$((cases + 1))
if [ -z "$deb" ]; then
    fail "cpack -G DEB made no package: $(tail -5 "$dir/cpack.log")"
    echo "$cases cases, $failures failed"
    exit 1
fi
depends=$(dpkg-deb -f "$deb" Depends)
for package in python3-gunicorn libboost-program-options libstdc++6 libc6; do
    check "Depends names $package ($depends)" grep -q "$package" <<<"$depends"
done
# every dependency is a real package: the ones this machine runs workersim with
for package in $(tr ',' '\n' <<<"$depends" | sed 's/(.*)//; s/ //g'); do
    check "Depends' $package is installed here" dpkg-query -W "$package"
done
# On a fresh Debian 12: apt resolves the package from an empty dpkg status (-s: a simulation,
# nothing installed) when this machine has Debian's package lists.
if apt-cache policy python3-gunicorn 2>/dev/null | grep -q "Candidate: [0-9]"; then
    : >"$dir/empty-status"
    check "apt resolves the .deb's dependencies on a system with nothing installed" \
        bash -c "apt-get install -s -o Dir::State::status='$dir/empty-status' '$deb' 2>&1 | grep -q '^Inst workersim '"
fi
check "Suggests the calibration's server" bash -c "dpkg-deb -f '$deb' Suggests | grep -q postgresql"
dpkg-deb -x "$deb" "$dir/root"
root=$dir/root
runs "$root/usr/bin/workersim" ".deb"

# The bundled files are the package's own, not the source tree's: a changed copy changes what runs.
printf 'import sys\nsys.exit("the packaged gunicorn_settings.py ran")\n' >"$root/usr/share/workersim/gunicorn_settings.py"
(cd "$dir/elsewhere" && "$root/usr/bin/workersim" predict -- gunicorn -w 2 app:app >"$dir/own.out" 2>&1)
check "the package's gunicorn_settings.py is the one run" grep -q "the packaged gunicorn_settings.py ran" "$dir/own.out"
rm "$root/usr/share/workersim/server/connection_probe.py"
(cd "$dir/elsewhere" && timeout 20 "$root/usr/bin/workersim" probe --out "$dir/host.json" >"$dir/probe.out" 2>&1)
check "probe looks for the server in the package" grep -qF "$root/usr/share/workersim/server: no connection_probe.py" "$dir/probe.out"

# The man page: every command, every flag.
man_page=$root/usr/share/man/man1/workersim.1.gz
check "the man page is installed" test -s "$man_page"
for command in predict recommend sweep calibrate probe validate; do
    check "the man page has workersim $command" bash -c "zcat '$man_page' | grep -q '^.SS \"workersim $command\"'"
done
for flag in --gunicorn-conf --slo-p99 --scenario --worker-class --max-workers; do
    check "the man page has $flag" bash -c "zcat '$man_page' | grep -qF -- '$flag'"
done
if command -v man >/dev/null; then
    check "man renders the page without warnings" bash -c "MANWIDTH=80 man --warnings -l '$man_page' 2>&1 >/dev/null | { ! grep .; }"
fi

# Bash completion: the commands and a command's flags, from the binary.
completion=$root/usr/share/bash-completion/completions/workersim
complete_words() {
    bash -c '
        _init_completion() { words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; }
        _filedir() { COMPREPLY=(FILES); }
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _workersim; printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@"
}
complete_words "$root/usr/bin/workersim" re >"$dir/completion.out"
check "completion of 're' is recommend" grep -qx recommend "$dir/completion.out"
complete_words "$root/usr/bin/workersim" predict --gun >"$dir/completion.out"
check "completion of 'predict --gun' is --gunicorn-conf" grep -qx -- --gunicorn-conf "$dir/completion.out"
complete_words "$root/usr/bin/workersim" predict -k "" >"$dir/completion.out"
check "completion of -k offers gthread" grep -qx gthread "$dir/completion.out"

echo "$cases cases, $failures failed"
[ "$failures" -eq 0 ]
