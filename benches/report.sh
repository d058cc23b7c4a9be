#!/usr/bin/env bash
# Times `jenga report` on the connected world (issue 16: the seed, links/, the ETO and
# Epoch layers; target under 1 s) and on the seed alone, whole process, over N runs
# (release build), and Graphviz over the same figures in the same run: `dot -Tsvg`
# and `dot -Tpng` over every DOT file the report writes, one process per figure,
# sequentially (the peer's whole cost for what jenga's built-in engine draws, without
# the PDFs or the tables).
#   benches/report.sh [DATASETS_DIR] [N]
# DATASETS_DIR defaults to ../shared/datasets, N to 7. Prints the load average
# before and after: the figures are only comparable at a similar load.
set -euo pipefail
cd "$(dirname "$0")/.."
ds="${1:-${JENGA_DATASETS:-../shared/datasets}}"
n="${2:-7}"
jenga="$PWD/target/release/jenga"
[ -x "$jenga" ] || { echo "build first: cargo build --release" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$jenga" -q import eto "$ds/eto-chip-explorer" -o "$tmp/eto"
"$jenga" -q import epoch "$ds/epoch/gpu_clusters.csv" "$ds/epoch/ml_hardware.csv" -o "$tmp/epoch"
connected=(--stacks stacks --stacks links --stacks "$tmp/eto" --stacks "$tmp/epoch")

# median wall ms and median user+sys CPU ms of N runs of a command.
measure() {
  local walls=() cpus=() n="${runs:-$n}"
  for _ in $(seq "$n"); do
    /usr/bin/time -o "$tmp/time" -f '%e %U %S' "$@" >/dev/null 2>&1
    read -r e u s <"$tmp/time"
    walls+=("$(awk -v e="$e" 'BEGIN{printf "%d", e*1000}')")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%d", (u+s)*1000}')")
  done
  local mid=$(( (n + 1) / 2 ))
  printf '%s ms | %s ms' \
    "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")"
}

dot_all() {  # FORMAT DIR: dot over every DOT file below DIR
  find "$2" -name '*.dot' | sort | while read -r f; do
    dot "-T$1" "$f" -o /dev/null
  done
}

echo "load average before: $(uptime | sed 's/.*load average: //')"
echo "| what | median wall of $n | median CPU (user + sys) |"
echo "|---|---:|---:|"
echo "| connected world: \`jenga report\` (built-in engine, scenarios/) | $(measure "$jenga" -q "${connected[@]}" report -o "$tmp/rc") |"
echo "| connected world: \`jenga check\` (loading alone) | $(measure "$jenga" -q "${connected[@]}" check) |"
echo "| seed: \`jenga report\` | $(measure "$jenga" -q report -o "$tmp/rs") |"
if command -v dot >/dev/null; then
  figures=$(find "$tmp/rc" -name '*.dot' | wc -l)
  export -f dot_all
  # The peer is slow on the big figures: 3 runs (the median of 3).
  runs=3
  echo "| connected world: Graphviz \`dot -Tsvg\` over the report's $figures DOT files (median of 3) | $(measure bash -c "dot_all svg $tmp/rc") |"
  echo "| connected world: Graphviz \`dot -Tpng\` over the same files (median of 3) | $(measure bash -c "dot_all png $tmp/rc") |"
  unset runs
fi
echo "load average after: $(uptime | sed 's/.*load average: //')"
