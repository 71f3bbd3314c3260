#!/usr/bin/env bash
# Quick start, part 1: set up, build (release), validate the bundled datasets and run every
# analysis into graphs/ (reports, CSV, JSON, SVG diagrams in English and Chinese, an index).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# The Swift runtime and Foundation linked into the binary, as in the Debian package
# (build-deb.sh): a command starts in about 11 ms instead of 15 (issue 9: `linkage render` of one
# figure). Every script that builds the release binary passes the same flag, so that they share
# one build.
swift build -c release --product linkage --static-swift-stdlib
linkage=".build/release/linkage"

sources=()
if [ -d ../shared/seeds ]; then sources=(--sources ../shared/seeds); fi
"$linkage" validate "${sources[@]}" --errors-only
"$linkage" all "$@"
echo "run: open graphs/index.md (or graphs/index.html in a browser)"
