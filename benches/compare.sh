#!/usr/bin/env bash
# Whole process against whole process, in the same run on the same machine:
#
#   1. loading:    `jenga check` (read + parse + validate + build the graph) against
#                  PyYAML with libyaml parsing the same files (`benches/chokepoints.py
#                  --load-only`), plus peak memory (/usr/bin/time %M) against input size;
#   2. one scenario: `jenga scenario --remove org-0` (whole process and the scenario
#                  phase alone, from JENGA_TIMINGS);
#   3. the full chokepoint sweep: `jenga chokepoints` against the Python peer
#                  (benches/chokepoints.py), whole process and the sweep phase alone,
#                  and a check that both rankings are equal;
#   4. cut sets:   `jenga cutsets` against `scram --bdd` (benches/cutsets_vs_scram.sh);
#   5. built-in render: `jenga render XA --engine builtin` on the synthetic world and
#                  `jenga render overview --engine builtin` on stacks/;
#   6. `jenga report` on stacks/, when this version has it.
#
#   benches/compare.sh [WORK_DIR]        (default: a temporary directory)
#
# Environment: RUNS (hyperfine runs, default 10), PEER_RUNS (Python peer runs,
# default 3), SKIP_CUTSETS=1, SCALING=1 (also the 1,000 → 1,000,000-node scaling
# series, see benches/scaling.sh). Builds jenga with --release. Prints Markdown tables;
# medians of hyperfine runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
runs="${RUNS:-10}"
peer_runs="${PEER_RUNS:-3}"
command -v hyperfine >/dev/null || { echo "hyperfine is required" >&2; exit 1; }
python3 -c 'import yaml; assert yaml.__with_libyaml__' 2>/dev/null \
  || { echo "python3 with PyYAML built against libyaml is required" >&2; exit 1; }
cargo build --release --quiet
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
jenga="$target/release/jenga"
peer="$root/benches/chokepoints.py"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
world="$work/world"
[ -d "$world" ] || "$jenga" -q generate -o "$world"

bytes=$(cat "$world"/*.yaml | wc -c)
echo "## Machine"
echo
echo "- $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(free -g | awk '/Mem:/{print $2}') GB RAM"
echo "- $(uname -sr); $(rustc --version); $(python3 --version); PyYAML $(python3 -c 'import yaml; print(yaml.__version__)'); $(hyperfine --version)"
echo "- load at start: $(uptime | sed 's/.*load average: //')"
echo "- world: $("$jenga" --stacks "$world" check 2>&1 | sed 's/^checked //'), $bytes bytes of YAML"
echo

# median of a hyperfine JSON export, in ms
median() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join("%.1f" % (x["median"]*1000) for x in r))' "$1"; }

# median over N runs of a phase time printed as "timing: PHASE MS ms" on stderr
phase() {
  local n="$1" name="$2"; shift 2
  for _ in $(seq "$n"); do "$@" 2>&1 >/dev/null | sed -n "s/^timing: $name \([0-9.]*\) ms$/\1/p"; done \
    | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

ratio() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }

echo "## Results"
echo
echo "| what | jenga | peer | ratio (peer / jenga) |"
echo "|---|---:|---:|---:|"

# 1. loading
hyperfine -N -w 1 -r "$runs" --export-json "$work/load-j.json" "$jenga -q --stacks $world check" >/dev/null
hyperfine -N -w 1 -r "$peer_runs" --export-json "$work/load-p.json" "python3 $peer $world --load-only" >/dev/null
lj=$(median "$work/load-j.json"); lp=$(median "$work/load-p.json")
echo "| load: whole \`jenga check\` vs PyYAML+libyaml parse only (ms) | $lj | $lp | $(ratio "$lp" "$lj") |"
mem=$( { /usr/bin/time -f %M "$jenga" -q --stacks "$world" check; } 2>&1 | tail -1)
memp=$( { /usr/bin/time -f %M python3 "$peer" "$world" --load-only; } 2>&1 | tail -1)
echo "| load: peak memory (MB; input $(ratio "$bytes" 1000000) MB) | $(ratio "$mem" 1000) ($(ratio "$((mem * 1024))" "$bytes")× input) | $(ratio "$memp" 1000) | |"

# 2. one scenario
hyperfine -N -w 1 -r "$runs" --export-json "$work/scen.json" "$jenga -q --stacks $world scenario --remove org-0 --format json" >/dev/null
sp=$(phase "$runs" scenario env JENGA_TIMINGS=1 "$jenga" -q --stacks "$world" scenario --remove org-0 --format json)
echo "| one scenario (\`--remove org-0\`): whole process (ms) | $(median "$work/scen.json") | | |"
echo "| one scenario: the scenario phase after loading (ms) | $sp | | |"

# 3. the chokepoint sweep
hyperfine -N -w 1 -r "$runs" --export-json "$work/choke-j.json" "$jenga -q --stacks $world chokepoints --top 10" >/dev/null
hyperfine -N -w 0 -r "$peer_runs" --export-json "$work/choke-p.json" "python3 $peer $world --top 10" >/dev/null
cj=$(median "$work/choke-j.json"); cp=$(median "$work/choke-p.json")
echo "| chokepoints: whole process (ms) | $cj | $cp | $(ratio "$cp" "$cj") |"
sj=$(phase "$runs" sweep env JENGA_TIMINGS=1 "$jenga" -q --stacks "$world" chokepoints --top 10)
spp=$(phase "$peer_runs" sweep python3 "$peer" "$world" --top 10)
echo "| chokepoints: sweep phase alone (ms) | $sj | $spp | $(ratio "$spp" "$sj") |"
"$jenga" -q --stacks "$world" chokepoints --format json >"$work/rank-j.json"
python3 "$peer" "$world" --json >"$work/rank-p.json" 2>/dev/null
same=$(python3 "$root/benches/same_ranking.py" "$work/rank-j.json" "$work/rank-p.json")
echo "| chokepoints: same ranking as the peer | $same | | |"

# 5. built-in render
hyperfine -N -w 1 -r "$runs" --export-json "$work/render.json" \
  "$jenga -q --stacks $world render XA --engine builtin -o $work/xa.svg" \
  "$jenga -q --stacks $root/stacks render overview --engine builtin -o $work/overview.svg" >/dev/null
read -r r1 r2 < <(median "$work/render.json")
echo "| render XA (built-in engine, synthetic world, 1,000-node tower): whole process (ms) | $r1 | | |"
echo "| render overview (built-in engine, stacks/): whole process (ms) | $r2 | | |"

# 6. report on the real data
if ! "$jenga" --stacks "$root/stacks" report -o "$work/report" 2>&1 | grep -q "not available"; then
  hyperfine -N -w 1 -r "$runs" --export-json "$work/report.json" \
    --prepare "rm -rf $work/report" "$jenga -q --stacks $root/stacks report -o $work/report" >/dev/null
  echo "| \`jenga report\` on stacks/: whole process (ms) | $(median "$work/report.json") | | |"
else
  echo "| \`jenga report\` on stacks/ | not available in this version | | |"
fi
echo
echo "- load at end: $(uptime | sed 's/.*load average: //')"

# 4. cut sets (its own table)
if [ -z "${SKIP_CUTSETS:-}" ]; then
  echo
  echo "## Cut sets against scram --bdd"
  echo
  echo '```'
  ft="${JENGA_FAULT_TREES:-}"
  for d in "$root/../shared/benchmarks/fault-trees" /work/shared/benchmarks/fault-trees; do
    [ -n "$ft" ] || { [ -d "$d" ] && ft="$d"; }
  done
  RUNS="$runs" benches/cutsets_vs_scram.sh "$ft"
  echo '```'
fi
if [ -n "${SCALING:-}" ]; then
  echo
  benches/scaling.sh "$work/scaling"
fi
