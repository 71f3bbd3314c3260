#!/usr/bin/env bash
# Two builds of linkage on the same command, side by side (issue 9): the measure for changes too
# small for one run to show on a machine whose speed wanders. Runs alternate (A B, B A, A B …) so
# that a busy stretch slows both alike; each writes into an output folder of its own, emptied
# first (the command is given `-o DIR`). Prints each run's wall and CPU time, then per build the
# median and the fastest run, and whether the two builds' last outputs are byte-identical.
# Not part of the test suite.
#
# usage: scripts/compare-builds.sh [--runs N] [--out DIR] BUILD_A BUILD_B -- LINKAGE-ARGUMENTS...
#   --runs: runs of each build (default 8)
#   --out:  where the output folders go (default: a temporary folder on the disk; /dev/shm
#           leaves the disk's write-back out of the times)
# example (before = a worktree of the earlier commit, built with the same flags):
#   git worktree add /tmp/before 38ef3c5 && (cd /tmp/before && swift build -c release --product linkage --static-swift-stdlib)
#   python3 scripts/synthetic-plan.py 6000 > /tmp/plan.csv && cp -r datasets /tmp/ds6000
#   .build/release/linkage import /tmp/plan.csv --dataset syn --id-prefix SYN- --datasets /tmp/ds6000
#   scripts/compare-builds.sh --runs 8 /tmp/before/.build/release/linkage .build/release/linkage -- \
#       run sdg-mapping --set plan=syn --datasets /tmp/ds6000
set -euo pipefail
cd "$(dirname "$0")/.."
runs=8
out=""
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
if (($# < 3)) || [ "$3" != "--" ]; then
  echo "usage: $0 [--runs N] [--out DIR] BUILD_A BUILD_B -- LINKAGE-ARGUMENTS..." >&2
  exit 2
fi
a=$(realpath "$1") b=$(realpath "$2")
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${out:-$work}
binary=$a
source scripts/ratio-common.sh

# Each build measures its text once before the timed runs (a new executable starts with an
# empty text-measurement store in the user's cache folder).
for build in "$a" "$b"; do "$build" "$@" -o "$out/warm" >/dev/null 2>&1 || true; rm -rf "$out/warm"; done

echo "compare: $runs runs each, interleaved; load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "  A = $a"
echo "  B = $b"
a_wall=() a_cpu=() b_wall=() b_cpu=()
for ((i = 0; i < runs; i++)); do
  if ((i % 2 == 0)); then order=(a b); else order=(b a); fi
  for who in "${order[@]}"; do
    build=$a
    [ "$who" = b ] && build=$b
    rm -rf "$out/$who"
    read -r wall cpu < <(measure "$build" "$@" -o "$out/$who")
    printf '  run %d %s wall %6.3f s  cpu %6.3f s\n' "$((i + 1))" "$who" "$wall" "$cpu"
    eval "${who}_wall+=($wall); ${who}_cpu+=($cpu)"
  done
done
minimum() { printf '%s\n' "$@" | sort -g | head -1; }
for who in a b; do
  eval "walls=(\"\${${who}_wall[@]}\"); cpus=(\"\${${who}_cpu[@]}\")"
  printf '%s: median wall %.3f s (fastest %.3f), median cpu %.3f s\n' "$who" "$(median "${walls[@]}")" "$(minimum "${walls[@]}")" \
    "$(median "${cpus[@]}")"
done
awk -v a="$(median "${a_wall[@]}")" -v b="$(median "${b_wall[@]}")" 'BEGIN { printf "B / A, median wall: %.3f\n", b / a }'
if diff -r "$out/a" "$out/b" >/dev/null; then echo "outputs: byte-identical"; else echo "outputs: DIFFER:"; diff -rq "$out/a" "$out/b" | head -5; fi
[ "$out" = "$work" ] || rm -rf "${out:?}/a" "${out:?}/b"
