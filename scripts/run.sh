#!/usr/bin/env bash
# Quick start, part 1: set up, build (release), validate the bundled datasets and run every
# analysis into graphs/ (reports, CSV, JSON, SVG diagrams in English and Chinese, an index).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build -c release --product linkage
linkage=".build/release/linkage"

sources=()
if [ -d ../shared/seeds ]; then sources=(--sources ../shared/seeds); fi
"$linkage" validate "${sources[@]}" --errors-only
"$linkage" all "$@"
echo "run: open graphs/index.md (or graphs/index.html in a browser)"
