#!/usr/bin/env bash
# The second ratio of issue 9: `linkage render` of one diagram against Graphviz's own program on
# the same DOT (`neato -n2`, the engine linkage lays its figures out with: positions given). Runs
# alternate (linkage, neato, neato, linkage, ...), each a fresh process as a user runs it; prints
# each run's wall and CPU time, the medians and the ratio linkage / neato (the issue's target:
# 1.5 or less). linkage runs twice as a user meets it: with its view cache warm (a render of the
# same data before; the cache is a folder of this script's own) and with --no-cache (loading the
# datasets and running the analysis every time). Not part of the test suite.
#
# usage: scripts/ratio-render-dot.sh [--runs N] [--format svg|png|pdf] [--binary path] [--view id] [--analysis id]
#   (defaults: 10 runs each, svg, .build/release/linkage, sdg-mapping's plan-sdg-baap)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10
format=svg
binary=.build/release/linkage
analysis=sdg-mapping
view=plan-sdg-baap
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --view) view=$2; shift 2 ;;
    --analysis) analysis=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--format svg|png|pdf] [--binary path] [--view id] [--analysis id]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source scripts/ratio-common.sh
export LINKAGE_CACHE_DIR="$work/cache"
# The DOT neato draws: the view as linkage lays it out (not timed; this also warms the cache).
"$binary" render --analysis "$analysis" --view "$view" --format dot -o "$work/view.dot" 2>/dev/null
dpi=()
if [ "$format" = png ]; then dpi=(-Gdpi=192); fi # FigureOptions.defaultDPI, which the DOT does not carry

cached_run() { measure "$binary" render --analysis "$analysis" --view "$view" --format "$format" -o "$work/linkage.$format"; }
uncached_run() { measure "$binary" render --analysis "$analysis" --view "$view" --format "$format" -o "$work/uncached.$format" --no-cache; }
neato_run() { measure neato -n2 "-T$format" "${dpi[@]}" -o "$work/neato.$format" "$work/view.dot"; }

echo "ratio: $analysis/$view as $format, $runs runs each, interleaved; load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
declare -A wall cpu
for ((i = 0; i < runs; i++)); do
  if ((i % 2 == 0)); then order=(cached neato uncached); else order=(uncached neato cached); fi
  for who in "${order[@]}"; do
    read -r w c < <("${who}_run")
    printf '  run %2d %-9s wall %6.3f s  cpu %6.3f s\n' "$((i + 1))" "$who" "$w" "$c"
    wall[$who]+="$w " cpu[$who]+="$c "
  done
done
for who in cached uncached neato; do
  printf 'median  %-9s wall %s s  cpu %s s\n' "$who" "$(median "${wall[$who]}")" "$(median "${cpu[$who]}")"
done
for who in cached uncached; do
  awk -v lw="$(median "${wall[$who]}")" -v nw="$(median "${wall[neato]}")" -v lc="$(median "${cpu[$who]}")" -v nc="$(median "${cpu[neato]}")" -v who="$who" \
    'BEGIN { printf "ratio (linkage %s / neato): wall %.2f, cpu %.2f (target 1.5)\n", who, lw / nw, lc / nc }'
done
