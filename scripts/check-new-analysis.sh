#!/usr/bin/env bash
# Checks the promise of `linkage new-analysis`: on a fresh clone of HEAD, scaffolding an analysis
# and then running the test command passes. Works in a temporary clone (this work tree is not
# touched). Slow, so not part of the test command: a cold debug build and a run of the whole
# suite (about 15-25 minutes on 2 cores).
#
#   scripts/check-new-analysis.sh              one clone: new-analysis Sketch --python and
#                                              new-analysis Demo --swift, then scripts/test.sh
#   scripts/check-new-analysis.sh --separately two clones, one scaffold and one test run each
set -euo pipefail
cd "$(dirname "$0")/.."
revision=$(git rev-parse HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/linkage-new-analysis.XXXXXX")
trap 'rm -rf "$work"' EXIT

fresh_clone() {
  git clone -q --no-checkout . "$1"
  git -C "$1" checkout -q "$revision"
}

check() { # folder, then the new-analysis arguments of each scaffold
  local folder=$1; shift
  fresh_clone "$folder"
  (
    cd "$folder"
    swift build --product linkage
    for arguments in "$@"; do
      echo "check-new-analysis: linkage new-analysis $arguments"
      # shellcheck disable=SC2086
      .build/debug/linkage new-analysis $arguments
    done
    git status --short
    scripts/test.sh
  )
}

start=$(date +%s)
if [ "${1:-}" = "--separately" ]; then
  check "$work/swift" "Demo --swift"
  check "$work/python" "Demo --python"
else
  check "$work/both" "Sketch --python" "Demo --swift"
fi
echo "check-new-analysis: the test command passed after scaffolding ($(( $(date +%s) - start )) s)"
