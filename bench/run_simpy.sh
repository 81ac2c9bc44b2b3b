#!/bin/sh
# SimPy side by side with workersim_bench on the same models (bench/simpy/models.py).
# Debian 12 ships python3-simpy 2.3.1, not the SimPy 4.1.2 the issue quotes (~130,000 req/s
# for M/M/8, ~210,000 for the closed loop on this machine); pip is unreachable here, so this
# measures SimPy 2.3.1 (models.py uses SimPy 4 instead when `import simpy` works).
# Usage: bench/run_simpy.sh [REQUESTS [REPETITIONS]]   (defaults 200000 and 5)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
requests=${1:-200000}
repetitions=${2:-5}
if ! /usr/bin/python3 -c 'import simpy' 2>/dev/null && ! /usr/bin/python3 -c 'import SimPy.Simulation' 2>/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y python3-simpy; else sudo apt-get install -y python3-simpy; fi
fi
for model in mm8 closed; do
    nice -n 19 /usr/bin/python3 "$here/simpy/models.py" "$model" "$requests" "$repetitions"
done
