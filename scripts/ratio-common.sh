# Shared by the ratio scripts of issue 9 (scripts/ratio-*.sh), sourced after they set $work (a
# temporary folder of their own) and $binary: the tools they compare against, the release build,
# one timed run and the median of runs.

scripts/ratio-tools.sh
if [ ! -x "$binary" ]; then swift build -c release --product linkage --static-swift-stdlib; fi

# One run of a command: prints "wall cpu" in seconds (CPU: user + system of the command and its
# children); its output is discarded, its errors shown when it fails.
measure() {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$work/time"
}

# The median of the numbers given as arguments (or in one space-separated argument).
median() { printf '%s\n' $* | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
