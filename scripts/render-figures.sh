#!/usr/bin/env bash
# Renders the notebooks' figures to notebooks/figures/*.png (the README shows
# notebooks/figures/seed-chart.png): executes every notebook with WORKERSIM_FIGURES set, which
# makes their cells save each figure. The committed notebooks are not modified.
set -euo pipefail
cd "$(dirname "$0")/.."
export WORKERSIM_FIGURES="$PWD/notebooks/figures"
mkdir -p "$WORKERSIM_FIGURES"
scripts/run-notebooks.sh
ls -l "$WORKERSIM_FIGURES"
