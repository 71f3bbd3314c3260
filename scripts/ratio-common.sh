# Shared by the ratio scripts of issue 9 (scripts/ratio-*.sh), sourced after they set $work (a
# temporary folder of their own) and $binary: the tools they compare against, the release build,
# one timed run and the median of runs.

scripts/ratio-tools.sh
if [ ! -x "$binary" ]; then swift build -c release --product linkage --static-swift-stdlib; fi

# One run of a command: prints "wall cpu" in seconds (CPU: user + system of the command and its
# children); its output is discarded, its errors shown when it fails. Wall time is bash's
# microsecond clock around the command itself, CPU the shell's children times (bash's `times`,
# in milliseconds, taken in this very shell before and after): no timing process in between
# (/usr/bin/time counted hundredths of a second, too coarse for a 25 ms render).
measure() {
  local start end
  times >"$work/times-before"
  start=$EPOCHREALTIME
  "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  end=$EPOCHREALTIME
  times >"$work/times-after"
  awk -v a="$start" -v b="$end" '
    FNR == 2 { split($0, f, /[ms ]+/); cpu[FILENAME] = f[1] * 60 + f[2] + f[3] * 60 + f[4] }
    END { printf "%.4f %.4f\n", b - a, cpu[ARGV[2]] - cpu[ARGV[1]] }' "$work/times-before" "$work/times-after"
}

# The median of the numbers given as arguments (or in one space-separated argument).
median() { printf '%s\n' $* | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
