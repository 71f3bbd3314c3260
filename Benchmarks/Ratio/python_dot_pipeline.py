#!/usr/bin/env python3
"""The pipeline an analyst would otherwise run, for the ratio in scripts/ratio-python-dot.sh.

Loads every dataset file with PyYAML's C loader, builds the linkage graph in NetworkX (a node
per id, an edge per link and target, with its relation), computes what the analyses start
from (links per relation, degree of every node, the plan-to-SDG reach), and renders every
diagram by running one Graphviz process per DOT file: the same DOT texts `linkage all
--formats dot` writes (every position given), drawn with the same engine linkage uses in
process (`nop2`, which is `neato -n2`), into the same formats.

usage: python_dot_pipeline.py DATASETS DOT_FOLDER OUT_FOLDER FORMATS DPI
"""
import os
import subprocess
import sys
from collections import Counter

import networkx as nx
import yaml

datasets, dot_folder, out_folder, formats, dpi = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(","), sys.argv[5]
if not getattr(yaml, "__with_libyaml__", False):
    sys.exit("python_dot_pipeline: PyYAML has no C loader (libyaml); the comparison needs it")

def target_id(target):
    """A link target is an id, or a mapping with the id and what the source says about it."""
    return target["id"] if isinstance(target, dict) else target


graph = nx.MultiDiGraph()
for root, _, files in sorted(os.walk(datasets)):
    for name in sorted(files):
        if not name.endswith(".yaml") or name == "manifest.yaml":
            continue
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=yaml.CLoader)
        if not isinstance(document, dict):
            continue
        for node in document.get("nodes") or []:
            graph.add_node(node["id"], kind=node.get("kind"), label=node.get("label"))
            for link in node.get("links") or []:
                for target in link.get("targets") or []:
                    graph.add_edge(node["id"], target_id(target), relation=link.get("relation"))
        for link in document.get("links") or []:
            for target in link.get("targets") or []:
                graph.add_edge(link.get("from"), target_id(target), relation=link.get("relation"))

relations = Counter(relation for _, _, relation in graph.edges(data="relation"))
degrees = dict(graph.degree())
sdg_reach = {n: sum(1 for t in nx.descendants(graph, n) if str(t).startswith("SDG-"))
             for n, kind in graph.nodes(data="kind") if str(kind).startswith(("kap-", "op-", "baap-", "sp-"))}

rendered = 0
for root, _, files in sorted(os.walk(dot_folder)):
    for name in sorted(files):
        if not name.endswith(".dot"):
            continue
        source = os.path.join(root, name)
        target_folder = os.path.join(out_folder, os.path.relpath(root, dot_folder))
        os.makedirs(target_folder, exist_ok=True)
        for fmt in formats:
            command = ["neato", "-n2", f"-T{fmt}", source, "-o", os.path.join(target_folder, name[:-4] + "." + fmt)]
            if fmt == "png":
                command.insert(2, f"-Gdpi={dpi}")
            subprocess.run(command, check=True)
            rendered += 1

print(f"python_dot_pipeline: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} links, "
      f"{len(relations)} relations, {len(degrees)} degrees, {len(sdg_reach)} reaches, {rendered} renders", file=sys.stderr)
