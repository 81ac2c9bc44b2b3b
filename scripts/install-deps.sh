#!/usr/bin/env bash
# Installs everything workersim needs on Debian 12, from Debian's packages only.
#   scripts/install-deps.sh          build + predict
#   scripts/install-deps.sh --all    also the real server, load generators, notebooks, clang
set -euo pipefail

build_packages=(build-essential cmake libeigen3-dev libboost-program-options-dev nlohmann-json3-dev catch2
                help2man file)  # the man page, from --help; cpack's Depends (CPackDeb runs `file`)
all_packages=(
  gunicorn python3-psycopg2 postgresql-15 hey httperf util-linux procps  # the real server and its load
  python3-gunicorn                                                         # reading a pasted Gunicorn command
  python3-flask python3-django                                            # calibrate --app's example apps
  jupyter-nbconvert python3-ipykernel python3-matplotlib python3-numpy     # notebooks
  clang libclang-rt-14-dev                                                 # fuzzing and sanitizers
)
packages=("${build_packages[@]}")
[[ "${1:-}" == "--all" ]] && packages+=("${all_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ "$(id -u)" != 0 ]] && sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts a system PostgreSQL cluster on install; workersim runs its own private one.
