#!/usr/bin/env bash
# Load test of `linkage serve` with wrk (Debian's load generator) on loopback, against the
# release build: node pages, cached neighbourhood diagrams, and uncached ones (each request a
# node the server has not drawn yet, through a Lua script cycling over every node id). Prints
# requests/s, latency percentiles, errors, and the server's resident memory before and after.
# Not a test: figures depend on the machine. Usage: scripts/serve-benchmark.sh [seconds]
# (CONFIGURATION=debug measures the debug build, for a quick look without a release build.)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=${PORT:-18431}
command -v wrk >/dev/null || { echo "serve-benchmark: wrk is not installed (scripts/setup.sh)" >&2; exit 1; }
configuration=${CONFIGURATION:-release}
swift build -c "$configuration" --product linkage >/dev/null
binary=.build/$configuration/linkage
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$binary" serve --port "$port" --no-access-log 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$server/status"; }

# Every node id, percent-encoded, for the uncached run.
"$binary" export nodes --format csv | tail -n +2 | cut -d, -f1 | python3 -c '
import sys, urllib.parse
ids = [urllib.parse.quote(line.strip(), safe="-._~") for line in sys.stdin if line.strip()]
print("local ids = {" + ",".join(repr(i).replace(chr(39), chr(34)) for i in ids) + "}")
print("local n = 0")
print("request = function() n = n + 1; return wrk.format(\"GET\", \"/node/\" .. ids[(n % #ids) + 1] .. \"/diagram.svg?depth=1&lang=\" .. (math.floor(n / #ids) % 2 == 0 and \"en\" or \"zh\")) end")
' > "$work/uncached.lua"

echo "memory at start: $(rss)"
echo "== node page /node/BAAP-OUT-2.1 (diagram cached after the first request)"
wrk -t2 -c16 -d"${duration}s" --latency "$base/node/BAAP-OUT-2.1" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors|requests in"
echo "== cached neighbourhood diagram /node/SDG-9.c/diagram.svg"
wrk -t2 -c16 -d"${duration}s" --latency "$base/node/SDG-9.c/diagram.svg?depth=1" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors|requests in"
echo "memory after the cached runs: $(rss)"
echo "== uncached neighbourhood diagrams (every node in turn, depth 1)"
wrk -t1 -c4 -d"${duration}s" --latency -s "$work/uncached.lua" "$base" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors|requests in"
echo "memory at the end: $(rss)"
