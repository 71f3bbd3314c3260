#!/usr/bin/env bash
# Fuzzes the dataset loader with libFuzzer (issue 8): Fuzz/Sources/FuzzLoader writes each input
# as a dataset (manifest, then `--- data ---`, then a data file) and loads it with the real
# loader. A crash, a hang over 5 s (-timeout) or memory over 1 GB (-rss_limit_mb) stops the run
# and leaves the input in Fuzz/findings/. Not part of the test suite.
#
#   scripts/fuzz-loader.sh              10 minutes
#   scripts/fuzz-loader.sh 3600         an hour
#   scripts/fuzz-loader.sh -runs=1000000   a number of executions instead of a time
#   scripts/fuzz-loader.sh merge            Fuzz/corpus/ and the seeds minimised into Fuzz/corpus-min/
#
# Seeds: every data file of the bundled datasets under its own manifest, and the valid mini
# datasets of the tests (written to Fuzz/.build/seeds), and Fuzz/corpus-min/: the inputs of
# earlier runs that reach new code, minimised with libFuzzer's -merge=1 and committed (so a run
# starts where the last one stopped). What the fuzzer finds interesting is kept in Fuzz/corpus/
# (not committed: it grows with every run); `scripts/fuzz-loader.sh merge` folds it into
# Fuzz/corpus-min/ again.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-600}
case "$limit" in -*) budget=("$limit") ;; *) budget=("-max_total_time=$limit") ;; esac

cd Fuzz
swift build -c release --product FuzzLoader -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld >&2
binary=.build/release/FuzzLoader

seeds=.build/seeds
rm -rf "$seeds"
mkdir -p "$seeds" corpus corpus-min findings
for manifest in ../datasets/*/manifest.yaml ../Tests/Fixtures/valid-mini/*/manifest.yaml; do
  folder=$(dirname "$manifest")
  name=$(basename "$folder")
  # Each file the manifest lists, one seed each, under a manifest that lists only data.yaml.
  for data in "$folder"/*.yaml; do
    [ "$data" = "$manifest" ] && continue
    seed="$seeds/$(basename "$(dirname "$folder")")-$name-$(basename "$data" .yaml)"
    { sed -e 's/^dataset: .*/dataset: fz/' -e 's/^files: .*/files: [data.yaml]/' -e '/^requires:/d' "$manifest"
      printf '\n--- data ---\n'
      cat "$data"; } > "$seed"
  done
done
echo "fuzz-loader: $(ls "$seeds" | wc -l) seeds" >&2

# Swift's own backtracer would catch the crash before libFuzzer could save the input.
export SWIFT_BACKTRACE=enable=no
if [ "$limit" = merge ]; then
  # Only the inputs that add coverage are kept, the smallest of each.
  next=$(mktemp -d .build/corpus-min.XXXXXX)
  "$binary" -merge=1 -timeout=5 -rss_limit_mb=1024 -max_len=8192 "$next" corpus-min corpus "$seeds"
  rm -rf corpus-min && mv "$next" corpus-min
  echo "fuzz-loader: Fuzz/corpus-min holds $(ls corpus-min | wc -l) inputs, $(du -sh corpus-min | cut -f1)" >&2
  exit 0
fi
exec "$binary" corpus corpus-min "$seeds" "${budget[@]}" -timeout=5 -rss_limit_mb=1024 -max_len=8192 \
  -artifact_prefix=findings/ -print_final_stats=1
