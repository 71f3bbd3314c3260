#!/usr/bin/env bash
# Generates the DocC documentation of LinkageKit (the graph model and the analysis contract, with
# the plugin author's guide) as a static website in docs-build/LinkageKit/ (open index.html
# through a web server, or pass --hosting-base-path). Slow on small machines (a few minutes: it
# builds the docc plugin and the symbol graphs), so not part of the test command.
#
#   scripts/docs.sh                      # -> docs-build/LinkageKit
#   scripts/docs.sh --output DIR         # elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
output="docs-build/LinkageKit"
if [ "${1:-}" = "--output" ]; then output="$2"; fi
mkdir -p "$(dirname "$output")"
start=$(date +%s)
# A build folder of its own, so the documentation build never disturbs the test build.
swift package --scratch-path .build-docs --allow-writing-to-directory "$output" \
  generate-documentation --target LinkageKit --disable-indexing --transform-for-static-hosting \
  --output-path "$output" --warnings-as-errors
echo "docs: LinkageKit documentation in $output ($(( $(date +%s) - start )) s)"
