#!/usr/bin/env bash
# Whole process against whole process: `jenga cutsets r1` against `scram --bdd` on the
# Aralia fault trees, in the same run on the same machine. Prints each mean and the ratio
# (scram / jenga: above 1 means jenga is faster), wall-clock and, with hyperfine, CPU
# time (user + system), which is steadier on a shared machine.
#
#   benches/cutsets_vs_scram.sh [FAULT_TREES_DIR]     (default: $JENGA_FAULT_TREES,
#                                                      then ../shared/benchmarks/fault-trees)
# Uses hyperfine when present, else a loop with `date`. Builds jenga with --release.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-${JENGA_FAULT_TREES:-../shared/benchmarks/fault-trees}}"
runs="${RUNS:-20}"
command -v scram >/dev/null || { echo "scram is not installed (Debian package scram)" >&2; exit 1; }
cargo build --release --quiet
target="${CARGO_TARGET_DIR:-target}"
jenga="$(pwd)/$target/release/jenga"
[ -x "$jenga" ] || jenga="$target/release/jenga"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for model in ${MODELS:-chinese baobab2 baobab1}; do
  mkdir -p "$work/$model"
  "$jenga" -q import open-psa "$dir/$model.xml" "$dir/$model-basic-events.xml" -o "$work/$model/model.yaml"
  j=("$jenga" --stacks "$work/$model" -q cutsets r1 --format json)
  s=(scram --bdd "$dir/$model.xml" "$dir/$model-basic-events.xml" -o "$work/$model-scram.xml")
  if command -v hyperfine >/dev/null; then
    hyperfine -N -w 3 -r "$runs" --export-json "$work/$model.json" \
      -n jenga "${j[*]}" -n scram "${s[*]}" >/dev/null
    read -r tj ts cj cs < <(python3 -c 'import json,sys; r={x["command"]:x for x in json.load(open(sys.argv[1]))["results"]}; print(r["jenga"]["mean"], r["scram"]["mean"], r["jenga"]["user"]+r["jenga"]["system"], r["scram"]["user"]+r["scram"]["system"])' "$work/$model.json")
    cpu=$(printf '  CPU (user+sys) jenga %.1f ms, scram %.1f ms, ratio %.2f' "$(echo "$cj * 1000" | bc -l)" "$(echo "$cs * 1000" | bc -l)" "$(echo "$cs / $cj" | bc -l)")
  else
    t0=$(date +%s.%N); for _ in $(seq "$runs"); do "${j[@]}" >/dev/null; done; t1=$(date +%s.%N)
    for _ in $(seq "$runs"); do "${s[@]}" >/dev/null; done; t2=$(date +%s.%N)
    tj=$(echo "($t1 - $t0) / $runs" | bc -l); ts=$(echo "($t2 - $t1) / $runs" | bc -l); cpu=
  fi
  sets=$("${j[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  printf '%-8s %6s sets  wall: jenga %8.1f ms  scram --bdd %8.1f ms  ratio scram/jenga %5.2f%s\n' \
    "$model" "$sets" "$(echo "$tj * 1000" | bc -l)" "$(echo "$ts * 1000" | bc -l)" "$(echo "$ts / $tj" | bc -l)" "$cpu"
done
