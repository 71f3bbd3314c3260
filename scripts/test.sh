#!/usr/bin/env bash
# Quick start, part 2: set up, build and run the whole test suite (unit tests, plugin tests,
# the CLI on the real datasets, golden outputs, the staleness check of graphs/).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
