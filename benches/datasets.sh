#!/usr/bin/env bash
# Times the dataset importers and the analyses on the imported worlds (release build):
# the median wall time of N runs of each command, in milliseconds.
#   benches/datasets.sh [DATASETS_DIR] [N]
# DATASETS_DIR defaults to ../shared/datasets (as the tests read it), N to 11.
set -euo pipefail
cd "$(dirname "$0")/.."
ds="${1:-${JENGA_DATASETS:-../shared/datasets}}"
n="${2:-11}"
jenga="$PWD/target/release/jenga"
[ -x "$jenga" ] || { echo "build first: cargo build --release" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

median() {  # command... → median milliseconds over $n runs
  local times=()
  for _ in $(seq "$n"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p"
}

row() { printf '| %s | %s ms |\n' "$1" "$(median "${@:2}")"; }

echo "| command | median of $n |"
echo "|---|---|"
row "import eto" "$jenga" -q import eto "$ds/eto-chip-explorer" -o "$tmp/eto"
row "import epoch" "$jenga" -q import epoch "$ds/epoch/gpu_clusters.csv" "$ds/epoch/ml_hardware.csv" -o "$tmp/epoch"
row "import top500" "$jenga" -q import top500 "$ds/top500/june2025.csv" -o "$tmp/top500"
row "eto: check" "$jenga" --stacks "$tmp/eto" check
row "eto: scenario --remove jurisdiction:NL" "$jenga" --stacks "$tmp/eto" scenario --remove jurisdiction:NL
row "eto: concentration" "$jenga" --stacks "$tmp/eto" concentration
row "eto: chokepoints --by org --key supply" "$jenga" --stacks "$tmp/eto" chokepoints --by org --key supply
row "epoch: scenario --remove nvidia" "$jenga" --stacks "$tmp/epoch" scenario --remove nvidia
row "epoch: chokepoints --by org --key capacity" "$jenga" --stacks "$tmp/epoch" chokepoints --by org --key capacity
row "top500: scenario --remove nvidia" "$jenga" --stacks "$tmp/top500" scenario --remove nvidia
mkdir -p "$tmp/no-scenarios"
row "epoch: report (builtin engine, no scenarios)" "$jenga" --stacks "$tmp/epoch" report --engine builtin --scenarios "$tmp/no-scenarios" -o "$tmp/report"
# The connected world (issue 16): the seed, links/, the ETO and Epoch layers.
connected=(--stacks stacks --stacks links --stacks "$tmp/eto" --stacks "$tmp/epoch")
row "connected: check" "$jenga" "${connected[@]}" check
row "connected: scenario --remove jurisdiction:NL --remove jurisdiction:JP" "$jenga" "${connected[@]}" scenario --remove jurisdiction:NL --remove jurisdiction:JP
row "connected: sovereignty" "$jenga" "${connected[@]}" sovereignty
row "connected: report (builtin engine, scenarios/)" "$jenga" "${connected[@]}" report -q -o "$tmp/report-connected"
