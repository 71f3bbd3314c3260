#!/usr/bin/env python3
"""Reports active content in linkage's output files; prints one line per finding, exits 1 if any.

Usage: check_active_content.py [--site-forms] FILE...

--site-forms: the pages of `linkage serve` have search and option forms of their own; a <form>
is then allowed when it is method="get" with an action on the same site ("/search", not
"//host" or a scheme). Any other form is still a finding.

What counts as active content, per format:
  .svg .graphml   must parse as XML; no script, foreignObject, iframe, object, embed, handler,
                  animate/set elements; no on* attribute; no href/xlink:href/src whose scheme is
                  not http or https (javascript:, data:, vbscript: ... after the whitespace and
                  control characters browsers strip); no style with url(/expression(.
  .html           parsed with Python's HTML tokenizer (html.parser): the same rules, plus no
                  base/meta refresh; <style> is allowed only without url(/expression(/@import.
                  One exception: the reports' own table script. A <script> without attributes
                  is accepted when the SHA-256 of its text is listed in allowed_scripts.txt
                  (beside this file; a test keeps it equal to the script linkage writes), and a
                  <meta http-equiv="Content-Security-Policy"> is accepted. Data is never inside
                  the script, so an injected script can only differ from it.
  .md             rendered by cmark-gfm (GitHub's Markdown, raw HTML allowed: the worst case),
                  then checked as HTML, and every element must be one Markdown itself makes
                  (or <br>/<sub>, which the reports write): data must add no tag.
  .csv            every cell a spreadsheet would run as a formula (= + - @ tab CR NUL first,
                  not a plain number) is a finding.
  .json           must parse as strict JSON (no NaN/Infinity tokens).
"""
import base64
import csv
import hashlib
import html.parser
import os
import json
import re
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET

ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener", "animate", "set",
                   "animatetransform", "animatemotion", "base", "frame", "frameset", "applet", "form",
                   "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "data", "xlink:href", "lowsrc", "dynsrc"}
MARKDOWN_ELEMENTS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "img", "code", "pre", "em", "strong",
                     "del", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "hr", "br", "sub"}
NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "allowed_scripts.txt"), encoding="utf-8") as _f:
    ALLOWED_SCRIPT_HASHES = {line.strip() for line in _f if line.strip() and not line.startswith("#")}


def url_is_active(value):
    # Browsers drop leading/trailing C0 controls and spaces, and tabs/newlines anywhere.
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
                                                     "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    scheme = urllib.parse.urlsplit(cleaned).scheme.lower()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", cleaned):
        scheme = cleaned.split(":", 1)[0].lower()
    return scheme not in ("", "http", "https")


def style_is_active(value):
    return re.search(r"url\s*\(|expression\s*\(|@import|javascript:", value, re.IGNORECASE) is not None


SITE_FORMS = False


def is_site_form(name, attributes):
    if not SITE_FORMS or name != "form":
        return False
    values = {k.lower(): (v or "") for k, v in attributes}
    action = values.get("action", "")
    return values.get("method", "").lower() == "get" and action.startswith("/") and not action.startswith("//")


def check_element(path, tag, attributes, findings, where):
    name = tag.lower()
    if name in ACTIVE_ELEMENTS and not is_site_form(name, attributes):
        findings.append(f"{path}: {where}<{tag}> element")
    if name == "meta" and any(k.lower() == "http-equiv" and (v or "").lower() != "content-security-policy"
                              for k, v in attributes):
        findings.append(f"{path}: {where}<meta http-equiv>")
    for key, value in attributes:
        key_l = key.lower()
        local = key_l.split("}")[-1]
        if local.startswith("on"):
            findings.append(f"{path}: {where}<{tag}> has an event attribute {key}")
        if (local in URL_ATTRIBUTES or key_l.endswith("}href")) and value is not None and url_is_active(value):
            findings.append(f"{path}: {where}<{tag} {key}={value[:80]!r}> is not an http(s) or relative link")
        if local == "style" and value and style_is_active(value):
            findings.append(f"{path}: {where}<{tag}> style {value[:80]!r}")


def check_xml(path, findings):
    try:
        tree = ET.parse(path)
    except ET.ParseError as error:
        findings.append(f"{path}: not well-formed XML: {error}")
        return
    for element in tree.iter():
        tag = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
        if tag.lower() == "svg" and element is tree.getroot():
            tag = "svgroot"
        attributes = [(k.replace("{http://www.w3.org/1999/xlink}", "xlink:"), v) for k, v in element.attrib.items()]
        check_element(path, tag, attributes, findings, "")
        if tag.lower() == "style" and element.text and style_is_active(element.text):
            findings.append(f"{path}: <style> {element.text[:80]!r}")


class HTMLChecker(html.parser.HTMLParser):
    def __init__(self, path, findings, allowed=None, where=""):
        super().__init__(convert_charrefs=True)
        self.path, self.findings, self.allowed, self.where = path, findings, allowed, where
        self.in_style = False
        self.script = None

    def handle_starttag(self, tag, attrs):
        if tag == "style" and self.allowed is None:
            self.in_style = True
            return
        if tag == "script" and self.allowed is None and not attrs:
            self.script = ""  # checked against the allowed hashes at its end tag
            return
        check_element(self.path, tag, attrs, self.findings, self.where)
        if self.allowed is not None and tag not in self.allowed:
            self.findings.append(f"{self.path}: {self.where}data made an HTML element <{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag == "script" and self.script is not None:
            digest = base64.b64encode(hashlib.sha256(self.script.encode("utf-8")).digest()).decode()
            if digest not in ALLOWED_SCRIPT_HASHES:
                self.findings.append(f"{self.path}: {self.where}<script> that is not linkage's own (sha256-{digest})")
            self.script = None

    def handle_data(self, data):
        if self.script is not None:
            self.script += data
            return
        if self.in_style and style_is_active(data):
            self.findings.append(f"{self.path}: <style> {data[:80]!r}")

    def handle_comment(self, data):
        if self.allowed is not None:
            self.findings.append(f"{self.path}: {self.where}data made an HTML comment")

    def handle_pi(self, data):
        self.findings.append(f"{self.path}: {self.where}processing instruction {data[:40]!r}")


def check_html(path, text, findings, allowed=None, where=""):
    checker = HTMLChecker(path, findings, allowed, where)
    checker.feed(text)
    checker.close()
    if checker.script is not None:
        findings.append(f"{path}: {where}<script> without an end")


def check_markdown(path, findings):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    rendered = subprocess.run(
        ["cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink"],
        input=source, capture_output=True, text=True, check=True).stdout
    check_html(path, rendered, findings, allowed=MARKDOWN_ELEMENTS, where="rendered: ")


def check_csv(path, findings):
    with open(path, encoding="utf-8-sig", newline="") as f:
        for number, row in enumerate(csv.reader(f), 1):
            for cell in row:
                if cell and cell[0] in "=+-@\t\r\x00" and not NUMBER.match(cell):
                    findings.append(f"{path}:{number}: a spreadsheet would run {cell[:40]!r} as a formula")


def check_json(path, findings):
    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")
    try:
        with open(path, encoding="utf-8") as f:
            json.load(f, parse_constant=refuse)
    except ValueError as error:
        findings.append(f"{path}: not strict JSON: {error}")


def main(paths):
    findings = []
    for path in paths:
        if path.endswith((".svg", ".graphml")):
            check_xml(path, findings)
        elif path.endswith(".html"):
            with open(path, encoding="utf-8") as f:
                check_html(path, f.read(), findings)
        elif path.endswith(".md"):
            check_markdown(path, findings)
        elif path.endswith(".csv"):
            check_csv(path, findings)
        elif path.endswith(".json"):
            check_json(path, findings)
    for finding in findings:
        print(finding)
    print(f"checked {len(paths)} files: {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments and arguments[0] == "--site-forms":
        SITE_FORMS = True
        arguments = arguments[1:]
    sys.exit(main(arguments))
