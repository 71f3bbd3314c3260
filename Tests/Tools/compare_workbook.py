#!/usr/bin/env python3
r"""Reads a workbook linkage wrote back with openpyxl and compares every sheet with its CSV.

Usage: compare_workbook.py WORKBOOK.xlsx CSV_FOLDER

Each sheet is named after a table and must equal `CSV_FOLDER/<sheet>.csv` cell by cell (Chinese
text included): the same header, the same rows. Numbers must be numeric cells equal to the CSV's
number; every other non-empty cell must be a text cell (so `=1+1` or `@x` stays text, never a
formula), equal to the CSV's text after the OWASP quote the CSV puts before a formula character
(control characters, raw in the CSV, are visible \u{…} escapes in the workbook).
Also checks the header row is bold and frozen. Prints problems; exits 1 if any.
"""
import csv
import os
import re
import sys

import openpyxl

NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
DISPLAY_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text):
    r"""InertText.visible: display controls as \u{HEX}, as linkage writes them into workbooks."""
    return DISPLAY_CONTROLS.sub(lambda m: "\\u{%X}" % ord(m.group(0)), text)


def main(workbook_path, folder):
    problems = []
    book = openpyxl.load_workbook(workbook_path)
    for sheet in book.worksheets:
        csv_path = os.path.join(folder, sheet.title + ".csv")
        if not os.path.exists(csv_path):
            problems.append(f"{sheet.title}: no CSV {csv_path}")
            continue
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            expected = list(csv.reader(f))
        rows = [list(r) for r in sheet.iter_rows()]
        if len(rows) != len(expected):
            problems.append(f"{sheet.title}: {len(rows)} rows, CSV has {len(expected)}")
        if sheet.freeze_panes != "A2":
            problems.append(f"{sheet.title}: header not frozen ({sheet.freeze_panes})")
        if rows and not all(cell.font.b for cell in rows[0]):
            problems.append(f"{sheet.title}: header not bold")
        for number, (cells, wanted) in enumerate(zip(rows, expected), 1):
            values = cells + [None] * (len(wanted) - len(cells))
            for column, (cell, text) in enumerate(zip(values, wanted)):
                where = f"{sheet.title}!{openpyxl.utils.get_column_letter(column + 1)}{number}"
                value = None if cell is None else cell.value
                if text and text[0] == "'" and len(text) > 1 and text[1] in "=+-@\t\r\0":
                    text = text[1:]  # the CSV's OWASP quote
                text = visible(text)
                if text == "":
                    if value not in (None, ""):
                        problems.append(f"{where}: {value!r} where the CSV is empty")
                elif number > 1 and NUMBER.match(text) and cell.data_type == "n":
                    if abs(float(value) - float(text)) > 1e-9 * max(1.0, abs(float(text))):
                        problems.append(f"{where}: {value!r} where the CSV has {text!r}")
                else:
                    if cell is None or cell.data_type != "s":
                        problems.append(f"{where}: {text[:40]!r} is not a text cell ({None if cell is None else cell.data_type})")
                    elif value != text:
                        problems.append(f"{where}: {str(value)[:40]!r} where the CSV has {text[:40]!r}")
    for problem in problems[:50]:
        print(problem)
    print(f"{workbook_path}: {len(book.worksheets)} sheets, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
