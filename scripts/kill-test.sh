#!/usr/bin/env bash
# kill -9 at random moments of `linkage all`, KILLS times (default 40), against the release
# binary: every analysis folder must stay whole (old or new) and the next run must leave no
# hidden leftovers. The test suite runs the same test with 6 kills (Tests/LinkageCLITests/KillTests.swift).
#
#   scripts/kill-test.sh            40 kills
#   scripts/kill-test.sh 100        100 kills
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-40}"
swift build --build-tests >/dev/null
swift build -c release --product linkage --static-swift-stdlib >/dev/null
LINKAGE_KILLS="$kills" LINKAGE_EXECUTABLE="$PWD/.build/release/linkage" \
  swift test --skip-build --filter 'KillTests' 2>&1 | grep -E 'killed [0-9]+ of|✘|✔|error' 
