#!/usr/bin/env bash
# Runs the benchmarks (release build) and checks them against the speed and memory targets in
# Benchmarks/Thresholds/ (see README, "Speed and memory targets"). Exit 0 when every target is
# met. Not part of the test command: it builds the benchmark package (a few minutes, once).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cd Benchmarks
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift package --disable-sandbox benchmark thresholds check --no-progress 2>&1 | tee "$log" || status=$?
# The tool ends with an error both when a target is missed (benchmarkThresholdRegression) and
# when every metric is better than its target (benchmarkThresholdImprovement); `swift package`
# turns both into status 1, so the log tells them apart.
if grep -aq "benchmarkThresholdRegression" "$log"; then
  echo "benchmark: a target is missed (see the tables above)" >&2
  exit 1
fi
if [ "$status" -eq 0 ] || grep -aq "benchmarkThresholdImprovement" "$log"; then
  echo "benchmark: every target met"
  exit 0
fi
echo "benchmark: the run failed (status $status)" >&2
exit 1
