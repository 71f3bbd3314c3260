#!/usr/bin/env bash
# Measures what libgraphviz leaks per render, by construct: valgrind's "definitely" plus
# "indirectly lost" bytes after 10 and after 40 renders, divided by the 30 extra renders.
# Needs gcc and valgrind. The figures are reported in docs/graphviz-memory.md.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O1 render-loop.c -o "$work/render-loop" $(pkg-config --cflags --libs libgvc)

lost() {  # DOT N -> bytes lost (definitely + indirectly)
  valgrind --leak-check=full "$work/render-loop" "$1" "$2" "${3:-dot}" 2>&1 |
    awk '/definitely lost:|indirectly lost:/ { gsub(",", "", $4); s += $4 } END { print s }'
}

printf '%-38s %s\n' "construct" "bytes lost per render"
while IFS='|' read -r name engine dot; do
  a=$(lost "$dot" 10 "$engine"); b=$(lost "$dot" 40 "$engine")
  printf '%-38s %d\n' "$name" $(( (b - a) / 30 ))
done <<'CASES'
plain nodes and edges|dot|digraph g { a -> b -> c; a [label="x\ny", tooltip="t", URL="http://x"] }
CJK labels|dot|digraph g { node [fontname="Noto Sans CJK SC"]; a [label="可持续发展"]; a -> b }
HTML-like label (text only)|dot|digraph g { a [label=<x>] }
HTML-like label with <B>|dot|digraph g { a [label=<<B>x</B>>] }
HTML-like table|dot|digraph g { a [shape=plain, label=<<TABLE><TR><TD>x</TD></TR></TABLE>>] }
record shape with 3 fields|dot|digraph g { a [shape=record, label="{<p>x|<q>y|<r>z}"]; b -> a:p }
one cluster|dot|digraph g { subgraph cluster_a { x -> y } }
one cluster, edges crossing it|dot|digraph g { subgraph cluster_a { x -> y } a -> y; b -> x }
pinned grid (neato)|neato|digraph g { node [shape=box, fixedsize=true]; a [pos="0,0!"]; b [pos="1,0!"] }
positions given, 8 nodes (nop2)|nop2|digraph g { node [shape=box, fixedsize=true]; a [pos="0,0"]; b [pos="99,0"]; c [pos="0,99"]; d [pos="99,99"]; e [pos="199,0"]; f [pos="199,99"]; g [pos="0,199"]; h [pos="99,199"] }
positions given, one cluster (nop2)|nop2|digraph g { subgraph cluster_a { graph [bb="0,0,150,100", label="A"]; a [pos="50,50"]; b [pos="100,50"] } c [pos="300,0"] }
CASES
