#!/usr/bin/env bash
# Scaling from 1,000 to 1,000,000 nodes: generates four synthetic worlds (sizes ×10)
# and measures, per size, the median over RUNS (default 3) of jenga's phase times
# (JENGA_TIMINGS): loading (load + validate + build), one scenario after loading
# (`--remove org-0`, the most popular supplier organization), and the full
# chokepoint sweep with the number of nodes it touched (the sum of the removals'
# cones). Prints a Markdown table, the log-log slopes (least squares on the measured
# points), and writes scaling.tsv and scaling.svg into the work directory.
#
#   benches/scaling.sh [WORK_DIR]      MAX_NODES=100000 stops the series earlier;
#                                      BIG_RUNS=1 runs the 1,000,000-node world once.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
runs="${RUNS:-3}"
max="${MAX_NODES:-1000000}"
cargo build --release --quiet
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
jenga="$target/release/jenga"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
tsv="$work/scaling.tsv"
printf 'nodes\tbytes\tload_ms\tscenario_ms\tsweep_ms\tsweep_touched\tpeak_kb\n' >"$tsv"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# countries nodes-per-country suppliers: totals 1,000 / 10,000 / 100,000 / 1,000,000
for spec in "4 225 100" "10 950 500" "40 2375 5000" "100 9500 50000"; do
  read -r c n s <<<"$spec"
  total=$((c * n + s))
  [ "$total" -le "$max" ] || continue
  dir="$work/w$total"
  [ -d "$dir" ] || "$jenga" -q generate --countries "$c" --nodes "$n" --suppliers "$s" -o "$dir"
  bytes=$(cat "$dir"/*.yaml | wc -c)
  load=() scen=() sweep=() touched=0 peak=0
  n_runs="$runs"
  [ "$total" -lt 1000000 ] || n_runs="${BIG_RUNS:-$runs}"
  for _ in $(seq "$n_runs"); do
    out=$( { JENGA_TIMINGS=1 /usr/bin/time -f 'peak %M' "$jenga" -q --stacks "$dir" scenario --remove org-0 --format json >/dev/null; } 2>&1)
    load+=("$(awk '/^timing: (load|validate|build) /{t+=$3} END {print t}' <<<"$out")")
    scen+=("$(awk '/^timing: scenario /{print $3}' <<<"$out")")
    peak=$(awk '/^peak /{print $2}' <<<"$out")
    out=$(JENGA_TIMINGS=1 "$jenga" -q --stacks "$dir" chokepoints --top 10 2>&1 >/dev/null)
    sweep+=("$(awk '/^timing: sweep /{print $3}' <<<"$out")")
    touched=$(awk '/^count: sweep-touched /{print $3}' <<<"$out")
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$total" "$bytes" \
    "$(printf '%s\n' "${load[@]}" | median)" "$(printf '%s\n' "${scen[@]}" | median)" \
    "$(printf '%s\n' "${sweep[@]}" | median)" "$touched" "$peak" >>"$tsv"
done
python3 benches/scaling_plot.py "$tsv" "$work/scaling.svg"
