#!/usr/bin/env bash
# Fuzzes the DOT/SVG escaping with libFuzzer (issue 8): Fuzz/Sources/FuzzEscaping builds a view
# (network or grid) whose ids, kinds, labels, codes, tooltips, URIs and colours all come from the
# input, lays it out and renders it to SVG through libgraphviz in process, as `linkage all` and
# `linkage serve` do, and checks that the DOT parses back, the SVG is well-formed XML, holds no
# script, event attribute or link other than http(s), a site path or a fragment, and no raw
# control or bidi character. A broken property, a crash, a hang over 5 s (-timeout) or memory
# over 1 GB (-rss_limit_mb) stops the run and leaves the input in Fuzz/findings/. Not part of
# the test suite.
#
#   scripts/fuzz-escaping.sh                 10 minutes
#   scripts/fuzz-escaping.sh 3600            an hour
#   scripts/fuzz-escaping.sh -runs=100000    a number of executions instead of a time
#
# Seeds: the hostile fragments of the test corpus (script tags, attribute break-outs, entities,
# javascript: and data: links, terminal escapes, bidi overrides, DOT escapes), one input each,
# written to Fuzz/.build/escaping-seeds; what the fuzzer finds interesting is kept in
# Fuzz/escaping-corpus/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-600}
case "$limit" in -*) budget=("$limit") ;; *) budget=("-max_total_time=$limit") ;; esac

cd Fuzz
swift build -c release --product FuzzEscaping -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld >&2
binary=.build/release/FuzzEscaping

seeds=.build/escaping-seeds
rm -rf "$seeds"
mkdir -p "$seeds" escaping-corpus findings
# A seed is a flag byte (diagram, language, page, node-page links, engine) and texts separated
# by 0xFF bytes.
python3 - "$seeds" <<'PY'
import os, sys
folder = sys.argv[1]
fragments = ["<script>alert(1)</script>", "\" onmouseover=\"alert(1)", "' onload='x'", "<img src=x onerror=alert(1)>",
             "javascript:alert(1)", "data:text/html,<b>x</b>", "http://x.example/\" onclick=\"x", "https://x.example/a?b=1&c=2#f",
             "HTTP://X.EXAMPLE:8080/a%20b", "&amp; &lt; &#x3C; &; &x; a&#;b", "\x1b[31mred\x1b[0m", "\x7f\u009b\r",
             "\u202eevil\u202c \u2066x\u2069", "\\N \\G \\l \\\\ \\\"", "]]> <!-- --> <![CDATA[x]]>", "可持续发展（ICT），", "😀",
             "=1+1", "@x", "{}[];", "-- x --", "a" * 3000, "<>&\"'", "\t\n", "#FD6925", "red\" stroke=\"x", "Z/1", "%2F../"]
texts = [f.encode("utf-8") for f in fragments]
n = 0
for flags in range(32):
    for i, text in enumerate(texts):
        if (i + flags) % 4:
            continue
        # The fragment in every field, and in one field among plain ones.
        for body in ([text], [b"plain", text, b"X-1", text, b"http://metadata.un.org/sdg/9.c"]):
            with open(os.path.join(folder, f"seed-{n:04d}"), "wb") as f:
                f.write(bytes([flags]) + b"\xff".join(body))
            n += 1
PY
echo "fuzz-escaping: $(ls "$seeds" | wc -l) seeds" >&2

# Swift's own backtracer would catch the crash before libFuzzer could save the input.
export SWIFT_BACKTRACE=enable=no
exec "$binary" escaping-corpus "$seeds" "${budget[@]}" -timeout=5 -rss_limit_mb=1024 -max_len=4096 \
  -artifact_prefix=findings/ -print_final_stats=1
