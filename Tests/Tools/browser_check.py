#!/usr/bin/env python3
"""Opens linkage's HTML pages in headless Chromium and checks them as a reader's browser sees them.

Usage: browser_check.py OUT_DIR PAGE... [--shots DIR]

PAGE is a path relative to OUT_DIR (index.html, sdg-mapping/report.html …). Each page is loaded
from file:// in one Chromium, driven through the DevTools protocol over a pipe
(--remote-debugging-pipe: file descriptors 3 and 4, no port, no extra package). Per page:
  - every request is a file:// URL of OUT_DIR (or data:), and none fails;
  - no console error, no uncaught exception, no Content-Security-Policy violation (the table
    script must be the one the page's policy names);
  - reports: every table of the page has as many rows as its CSV, every diagram figure holds its
    SVG, no Markdown markup (pipe-table rules, <br>, **) is visible; a click on a column heading
    sorts the table (checked on the first table with a numeric column and two or more rows);
  - the index: every thumbnail image loaded (naturalWidth > 0).
With --shots DIR, a PNG screenshot of each page (its first 1400 px) and, for the first report, a
print to PDF (A4) are written there for a person to look at.
Prints one line per problem and a summary; exits 1 if any problem.
"""
import base64
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

PAGE_CHECK = r"""
(() => {
  const out = { tables: [], diagrams: [], rawMarkdown: [], thumbnails: [] };
  for (const table of document.querySelectorAll("table.data")) {
    const figure = table.closest("figure");
    out.tables.push({ id: figure ? figure.id : "", rows: table.tBodies[0].rows.length,
                      hasFilter: !!(figure && figure.querySelector("input.filter")) });
  }
  for (const figure of document.querySelectorAll("figure.diagram")) {
    out.diagrams.push({ id: figure.id, svgs: figure.querySelectorAll("svg").length });
  }
  const text = document.body.innerText;
  for (const mark of ["|---", "<br>", "<sub>", "**", "](", "\\_"]) {
    if (text.includes(mark)) { out.rawMarkdown.push(mark); }
  }
  for (const img of document.querySelectorAll("img")) {
    out.thumbnails.push({ src: img.getAttribute("src"), width: img.naturalWidth });
  }
  return JSON.stringify(out);
})()
"""

SORT_CHECK = r"""
(async () => {
  for (const table of document.querySelectorAll("table.data")) {
    const headings = table.tHead.rows[0].cells;
    const rows = table.tBodies[0].rows;
    if (rows.length < 2) { continue; }
    for (let i = 0; i < headings.length; i++) {
      if (!headings[i].classList.contains("n")) { continue; }
      const values = () => Array.from(table.tBodies[0].rows).map(r => parseFloat(r.cells[i].textContent.replace(/,/g, "")));
      const before = values();
      const button = headings[i].querySelector("button");
      if (!button) { return JSON.stringify({ error: "no sort button in a heading" }); }
      button.click();
      const asc = values();
      button.click();
      const desc = values();
      const sorted = (a, d) => a.every((v, k) => k === 0 || isNaN(v) || isNaN(a[k - 1]) || d * (v - a[k - 1]) >= 0);
      return JSON.stringify({ table: table.closest("figure").id, column: i, ascending: sorted(asc, 1), descending: sorted(desc, -1),
                              ariaSort: headings[i].getAttribute("aria-sort"), rows: before.length, changed: asc.join() !== before.join() || desc.join() !== before.join() });
    }
  }
  return JSON.stringify({ none: true });
})()
"""


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="linkage-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # The child's ends move to descriptors above 4 first, so that dup2 onto 3 and 4 always
        # copies (a copy is inheritable; os.pipe's own descriptors are close-on-exec).
        to_browser_r, from_browser_w = self.high(to_browser_r), self.high(from_browser_w)

        def child_fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [os.path.realpath(chromium) if not chromium.endswith("/chromium") else "/usr/lib/chromium/chromium" if os.path.exists("/usr/lib/chromium/chromium") else chromium, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--font-render-hinting=none",
             f"--user-data-dir={self.profile}", "--window-size=1280,1400", "about:blank"],
            preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    @staticmethod
    def high(fd):
        moved = os.dup2(fd, 10 + fd) if fd < 10 else fd
        if moved != fd:
            os.close(fd)
        return moved

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return self.wait_for(lambda m: m.get("id") == self.next_id, what=method)

    def read(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, matches, what, timeout=30):
        deadline = time.time() + timeout
        for i, event in enumerate(self.events):
            if matches(event):
                return self.events.pop(i)
        while True:
            message = self.read(deadline)
            if matches(message):
                if "error" in message:
                    raise RuntimeError(f"{what}: {message['error']}")
                return message
            self.events.append(message)

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return max(sum(1 for _ in csv.reader(f)) - 1, 0)


def main(argv):
    shots = None
    if "--shots" in argv:
        at = argv.index("--shots")
        shots = argv[at + 1]
        argv = argv[:at] + argv[at + 2:]
        os.makedirs(shots, exist_ok=True)
    out_dir = os.path.abspath(argv[0])
    pages = argv[1:]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is not installed (scripts/setup.sh installs it)")
        return 1
    problems = []
    browser = Browser(chromium)
    printed = False
    try:
        for page in pages:
            path = os.path.join(out_dir, page)
            url = "file://" + urllib.parse.quote(path)
            target = browser.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable", session=session)
            browser.events = [e for e in browser.events if e.get("sessionId") != session]
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait_for(lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session, "load")
            ok = browser.send("Runtime.evaluate", {"expression": PAGE_CHECK, "returnByValue": True}, session=session)
            facts = json.loads(ok["result"]["result"]["value"])
            if "report" in os.path.basename(page):
                folder = os.path.dirname(path)
                for table in facts["tables"]:
                    table_id = table["id"].removeprefix("table-")
                    expected = csv_rows(os.path.join(folder, table_id + ".csv"))
                    if table["rows"] != min(expected, 1000):
                        problems.append(f"{page}: table {table_id} shows {table['rows']} rows, its CSV has {expected}")
                    if not table["hasFilter"]:
                        problems.append(f"{page}: table {table_id} has no filter box (the script did not run)")
                csvs = [f for f in os.listdir(folder) if f.endswith(".csv")]
                if len(facts["tables"]) + sum(1 for f in csvs if csv_rows(os.path.join(folder, f)) == 0) < len(csvs):
                    problems.append(f"{page}: {len(facts['tables'])} tables shown, {len(csvs)} CSVs in the folder")
                for diagram in facts["diagrams"]:
                    if diagram["svgs"] < 1:
                        problems.append(f"{page}: diagram {diagram['id']} has no SVG")
                for mark in facts["rawMarkdown"]:
                    problems.append(f"{page}: Markdown markup {mark!r} visible")
                sort = json.loads(browser.send("Runtime.evaluate", {"expression": SORT_CHECK, "returnByValue": True,
                                                                      "awaitPromise": True}, session=session)["result"]["result"]["value"])
                if "error" in sort:
                    problems.append(f"{page}: {sort['error']}")
                elif "none" not in sort and not (sort["ascending"] and sort["descending"] and sort["ariaSort"] == "descending"):
                    problems.append(f"{page}: a click on a heading did not sort {sort}")
                facts["sort"] = sort
            else:
                for image in facts["thumbnails"]:
                    if image["width"] <= 0:
                        problems.append(f"{page}: thumbnail {image['src']} did not load")
            time.sleep(0.2)  # late console messages
            # Drain what arrived, then judge the events of this page.
            browser.send("Runtime.evaluate", {"expression": "1"}, session=session)
            for event in [e for e in browser.events if e.get("sessionId") == session]:
                method, params = event.get("method"), event.get("params", {})
                if method == "Network.requestWillBeSent":
                    request = params["request"]["url"]
                    if not (request.startswith("file://" + urllib.parse.quote(out_dir)) or request.startswith("data:")):
                        problems.append(f"{page}: request outside the output folder: {request[:120]}")
                elif method == "Network.loadingFailed":
                    problems.append(f"{page}: a request failed: {params.get('errorText')}")
                elif method == "Runtime.exceptionThrown":
                    problems.append(f"{page}: uncaught exception: {params['exceptionDetails'].get('text')}")
                elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                    problems.append(f"{page}: console error: {params.get('args')}")
                elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                    problems.append(f"{page}: {params['entry'].get('source')} error: {params['entry'].get('text')}")
            browser.events = [e for e in browser.events if e.get("sessionId") != session]
            if shots:
                name = page.replace("/", "_").replace(".html", "")
                png = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)["result"]["data"]
                with open(os.path.join(shots, name + ".png"), "wb") as f:
                    f.write(base64.b64decode(png))
                if "report" in page and not printed:
                    pdf = browser.send("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True,
                                                           "preferCSSPageSize": True}, session=session)["result"]["data"]
                    with open(os.path.join(shots, name + ".pdf"), "wb") as f:
                        f.write(base64.b64decode(pdf))
                    printed = True
            print(f"{page}: {json.dumps({k: (len(v) if isinstance(v, list) else v) for k, v in facts.items()})}")
            browser.send("Target.closeTarget", {"targetId": target})
    finally:
        browser.close()
    for problem in problems:
        print(problem)
    print(f"checked {len(pages)} pages: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
