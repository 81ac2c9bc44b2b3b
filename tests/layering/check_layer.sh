#!/usr/bin/env bash
# A layer's own headers compile through its include root; a header of a layer above it does
# not, for the one reason that it is not there.
#   check_layer.sh COMPILER LAYER_ROOT OWN_HEADER HIGHER_HEADER [-I others...]
set -u
compiler=$1 root=$2 own=$3 higher=$4
shift 4
probe=$(mktemp --suffix=.cpp)
trap 'rm -f "$probe"' EXIT

printf '#include "%s"\n' "$own" > "$probe"
if ! "$compiler" -std=c++17 -fsyntax-only -I"$root" "$@" "$probe"; then
  echo "FAIL: $own does not compile through $root" >&2
  exit 1
fi
printf '#include "%s"\n#include "%s"\n' "$own" "$higher" > "$probe"
if errors=$("$compiler" -std=c++17 -fsyntax-only -I"$root" "$@" "$probe" 2>&1); then
  echo "FAIL: $higher, a higher layer's header, compiles through $root" >&2
  exit 1
fi
if ! grep -q "$higher: No such file" <<<"$errors"; then
  echo "FAIL: $higher failed to compile for another reason than layering:" >&2
  echo "$errors" >&2
  exit 1
fi
echo "ok: $root sees $own and not $higher"
