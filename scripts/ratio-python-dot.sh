#!/usr/bin/env bash
# The ratio of issue 9: `linkage all` against the pipeline an analyst would otherwise run on the
# same data (PyYAML's C loader + NetworkX + one Graphviz process per diagram, rendering the very
# DOT texts linkage writes with --formats dot, with the engine linkage uses: nop2 = neato -n2,
# in the same formats). Runs alternate (linkage, pipeline, pipeline, linkage, ...) so that a
# busy machine slows both alike; prints each run's wall and CPU time, the medians and the ratio
# pipeline / linkage (the issue's target: 4 or more). Not part of the test suite.
#
# usage: scripts/ratio-python-dot.sh [--runs N] [--formats svg,png,pdf] [--binary path]
#   (defaults: 5 runs each, svg, the release build .build/release/linkage, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
formats=svg
binary=.build/release/linkage
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --formats) formats=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--formats list] [--binary path]" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-python3}
dpi=192 # FigureOptions.defaultDPI: the resolution linkage gives PNG output

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source scripts/ratio-common.sh
# The DOT texts (not timed): every view of every analysis, both languages, as linkage lays them out.
"$binary" all -o "$work/dot" --formats dot --quiet >/dev/null
dots=$(find "$work/dot" -name '*.dot' | wc -l)

# Each run writes into a folder of its own, emptied first.
linkage_run() { rm -rf "$work/linkage"; measure "$binary" all -o "$work/linkage" --formats "$formats" --quiet; }
pipeline_run() { rm -rf "$work/pipeline"; measure "$python" Benchmarks/Ratio/python_dot_pipeline.py datasets "$work/dot" "$work/pipeline" "$formats" "$dpi"; }

echo "ratio: $dots diagrams (DOT), formats $formats, $runs runs each, interleaved; load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
linkage_wall=() linkage_cpu=() pipeline_wall=() pipeline_cpu=()
for ((i = 0; i < runs; i++)); do
  if ((i % 2 == 0)); then order=(linkage pipeline); else order=(pipeline linkage); fi
  for who in "${order[@]}"; do
    read -r wall cpu < <("${who}_run")
    printf '  run %d %-8s wall %6.3f s  cpu %6.3f s\n' "$((i + 1))" "$who" "$wall" "$cpu"
    eval "${who}_wall+=($wall); ${who}_cpu+=($cpu)"
  done
done
lw=$(median "${linkage_wall[@]}") lc=$(median "${linkage_cpu[@]}")
pw=$(median "${pipeline_wall[@]}") pc=$(median "${pipeline_cpu[@]}")
echo "median  linkage  wall $lw s  cpu $lc s"
echo "median  pipeline wall $pw s  cpu $pc s"
awk -v lw="$lw" -v pw="$pw" -v lc="$lc" -v pc="$pc" 'BEGIN { printf "ratio (pipeline / linkage): wall %.2f, cpu %.2f (target 4)\n", pw / lw, pc / lc }'
