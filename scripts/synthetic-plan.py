#!/usr/bin/env python3
"""A synthetic plan of any size, in the spreadsheet layout `linkage import` reads
(docs/plan-import.md), for measuring how loading and validating grow with the number of links.

Every element has a parent group (a part-of link), a label in both languages and five SDG
targets (advances-sdg links), so a plan with L links has about L / 6 elements. Deterministic:
the same size gives the same file.

usage: scripts/synthetic-plan.py LINKS > plan.csv
       linkage import plan.csv --dataset syn --datasets DIR   (a copy of datasets/)
"""
import csv
import sys

# The 169 SDG targets, read from the bundled sdg dataset.
import os
import re
targets_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "datasets", "sdg", "targets.yaml")
with open(targets_file, encoding="utf-8") as handle:
    codes = re.findall(r"^\s*- id: SDG-(\d+\.[0-9a-z]+)\s*$", handle.read(), re.M)
assert len(codes) == 169, len(codes)

links = int(sys.argv[1])
elements = max(1, links // 6)
groups = max(1, elements // 50)
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["id", "parent", "label_en", "label_zh", "sdg"])
for g in range(1, groups + 1):
    out.writerow([f"G{g}", "", f"Synthetic objective {g}", f"合成目标 {g}", ""])
for e in range(1, elements + 1):
    sdg = ", ".join(codes[(e * 7 + k * 31) % len(codes)] for k in range(5))
    out.writerow([f"E{e}", f"G{(e - 1) % groups + 1}", f"Synthetic plan element {e} on infrastructure and services",
                  f"合成计划要素 {e}", sdg])
