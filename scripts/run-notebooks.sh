#!/usr/bin/env bash
# Executes every notebook in notebooks/ top to bottom (into a temporary directory: the committed
# notebooks stay as they are) with Debian's Jupyter and python3; fails if any cell fails or a
# notebook takes more than 2 minutes. A notebook with nothing measured to compare falls back to
# predictions only, and that fails too (workersim_nb.predicted_only raises). Uses $WORKERSIM,
# else build/cli/workersim.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/bin:$PATH"                 # Debian's jupyter and python3 (matplotlib, numpy)
export PYDEVD_DISABLE_FILE_VALIDATION=1      # ipykernel's debugger warns about frozen modules
export WORKERSIM="${WORKERSIM:-$PWD/build/cli/workersim}"
unset WORKERSIM_ALLOW_PREDICTED_ONLY         # an interactive session's opt-in, never the run's
[[ -x "$WORKERSIM" ]] || { echo "run-notebooks: $WORKERSIM not found; run scripts/build.sh or set WORKERSIM" >&2; exit 1; }
# The kernel must be Debian's python3: the kernelspec named python3 runs /usr/bin/python3.
kernel=$(python3 -c 'from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec("python3").argv[0])')
[[ "$kernel" == /usr/bin/python3 ]] || { echo "run-notebooks: kernel python3 runs $kernel, expected /usr/bin/python3" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
for notebook in notebooks/*.ipynb; do
    start=$SECONDS
    if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=python3 \
        --ExecutePreprocessor.timeout=120 --output-dir "$out" "$notebook" >"$out/log" 2>&1; then
        elapsed=$((SECONDS - start))
        if ((elapsed > 120)); then
            echo "FAIL $notebook: ${elapsed}s, over the 2 minute budget"; failed=1
        else
            echo "ok   $notebook (${elapsed}s)"
        fi
    else
        echo "FAIL $notebook"; tail -n 30 "$out/log"; failed=1
    fi
done
exit $failed
