#!/usr/bin/env python3
"""Writes the example plan workbooks (examples/plans/*.xlsx) from their CSV twins with openpyxl,
so that the import is tested on XLSX files written by a program other than linkage itself.

The CSV files are the reviewed source; run this after editing them:
    python3 scripts/make-example-plans.py
Budgets are stored as numbers, and one SDG cell (3.8) as a number, the way Excel stores what a
person types; everything else as text. The document dates are fixed so the bytes are stable.
"""
import csv
import datetime
import pathlib

import openpyxl
from openpyxl.styles import Font

FOLDER = pathlib.Path(__file__).resolve().parent.parent / "examples" / "plans"
FIXED = datetime.datetime(2000, 1, 1)


def convert(csv_path: pathlib.Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if text == "":
                continue
            value = text
            if r > 1 and header[c - 1] == "budget_chf":
                value = int(text)
            elif r > 1 and header[c - 1] == "sdg" and text == "3.8":
                value = 3.8
            cell = sheet.cell(row=r, column=c, value=value)
            if r == 1:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", [10, 9, 48, 30, 16, 18, 26, 12, 24]):
        sheet.column_dimensions[letter].width = width
    workbook.properties.created = FIXED
    workbook.properties.modified = FIXED
    workbook.properties.creator = "linkage examples"
    workbook.save(csv_path.with_suffix(".xlsx"))


for path in sorted(FOLDER.glob("*.csv")):
    convert(path)
    print(f"wrote {path.with_suffix('.xlsx').relative_to(FOLDER.parent.parent)}")
