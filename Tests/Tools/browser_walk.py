#!/usr/bin/env python3
"""Walks `linkage serve` in a real headless Chromium, as a user would; prints a JSON report.

Usage: browser_walk.py BASE_URL SEARCH_TEXT EXPECTED_ID SCREENSHOT_DIR

1. loads the start page, types SEARCH_TEXT (Chinese, say) into the search box and submits it;
2. clicks the result EXPECTED_ID with the mouse and lands on its page;
3. clicks a neighbouring node inside the inline SVG diagram with the mouse and checks that the
   browser lands on that node's page (/node/ID);
4. saves a screenshot of each page (start.png, search.png, node.png, neighbour.png);
5. collects console errors, uncaught exceptions and CSP violations: any makes the walk fail.

Chromium is driven through the DevTools protocol over --remote-debugging-pipe (file descriptors
3 and 4, NUL-separated JSON), so nothing beyond Python's standard library and Debian's chromium
is needed. Exit status 0 when every step passed.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse


class Browser:
    def __init__(self, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if chromium is None:
            raise SystemExit("browser_walk: chromium is not installed (scripts/setup.sh installs it)")

        def wire():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        arguments = [chromium, "--headless=new", "--remote-debugging-pipe", f"--user-data-dir={profile}",
                     "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
                     "--disable-dev-shm-usage", "--window-size=1280,1000", "--hide-scrollbars", "about:blank"]
        if os.geteuid() == 0:
            arguments.insert(1, "--no-sandbox")
        self.process = subprocess.Popen(arguments, pass_fds=(3, 4), preexec_fn=wire,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.errors = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        wanted = self.next_id
        # Generous: a loaded 2-core machine (a parallel build) can stall Chromium for many seconds;
        # a passing walk never waits for it.
        deadline = time.time() + 60
        while True:
            message = self.read(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def read(self, deadline):
        while b"\0" not in self.buffer:
            remaining = deadline - time.time()
            if remaining <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self.from_chrome], [], [], remaining)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(message)
        self.note_error(message)
        return message

    def note_error(self, event):
        """Console errors, uncaught exceptions and CSP reports, whenever they arrive."""
        method = event.get("method")
        params = event.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("text"))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(params["entry"].get("text"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(str(params.get("args")))

    def wait_for(self, method, timeout=60):
        deadline = time.time() + timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                del self.events[:index + 1]
                return event
        while True:
            event = self.read(deadline)
            self.events.append(event)
            if event.get("method") == method:
                self.events.clear()
                return event

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate {expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector_expression):
        """A real mouse click at the middle of the element the expression finds."""
        box = self.evaluate(f"""(() => {{ const e = {selector_expression}; if (!e) return null;
            e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return {{x: r.left + r.width / 2, y: r.top + r.height / 2}}; }})()""")
        if box is None:
            raise RuntimeError(f"nothing to click: {selector_expression}")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1})

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main(base, search_text, expected_id, screenshots):
    os.makedirs(screenshots, exist_ok=True)
    report = {"steps": [], "errors": [], "ok": False}
    profile = tempfile.mkdtemp(prefix="linkage-chromium-")
    browser = Browser(profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.send(f"{domain}.enable")
        browser.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False})

        def path():
            return browser.evaluate("location.pathname + location.search")

        browser.send("Page.navigate", {"url": base})
        browser.wait_for("Page.loadEventFired")
        browser.screenshot(os.path.join(screenshots, "start.png"))
        report["steps"].append({"page": path(), "title": browser.evaluate("document.title")})

        # Type into the search box and press Enter.
        browser.click("document.querySelector('input[name=q]')")
        browser.send("Input.insertText", {"text": search_text})
        browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"})
        browser.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13})
        browser.wait_for("Page.loadEventFired")
        browser.screenshot(os.path.join(screenshots, "search.png"))
        report["steps"].append({"page": path(), "hits": browser.evaluate("document.querySelectorAll('ul.hits li').length")})

        expected_href = "/node/" + urllib.parse.quote(expected_id, safe="-._~")
        browser.click(f"document.querySelector('ul.hits a[href=\"{expected_href}\"]')")
        browser.wait_for("Page.loadEventFired")
        browser.screenshot(os.path.join(screenshots, "node.png"))
        here = path()
        report["steps"].append({"page": here})
        if here != expected_href:
            raise RuntimeError(f"clicked {expected_href}, landed on {here}")

        # A neighbour in the diagram: an SVG link to another node's page.
        neighbour = browser.evaluate(f"""(() => {{ for (const a of document.querySelectorAll('figure.diagram svg a')) {{
              const h = a.getAttribute('href') || a.getAttribute('xlink:href');
              if (h && h.startsWith('/node/') && h !== '{expected_href}') return h; }} return null; }})()""")
        if neighbour is None:
            raise RuntimeError("the diagram has no link to a neighbour")
        links = browser.evaluate("document.querySelectorAll('figure.diagram svg a').length")
        selector = f"""[...document.querySelectorAll('figure.diagram svg a')].find(a => (a.getAttribute('href') || a.getAttribute('xlink:href')) === '{neighbour}').querySelector('path,polygon,text')"""
        browser.click(selector)
        browser.wait_for("Page.loadEventFired")
        browser.screenshot(os.path.join(screenshots, "neighbour.png"))
        landed = path()
        report["steps"].append({"page": landed, "clicked": neighbour, "diagramLinks": links})
        if landed != neighbour:
            raise RuntimeError(f"clicked the diagram's {neighbour}, landed on {landed}")

        # Late console messages of the last page.
        browser.evaluate("1")
        report["errors"].extend(browser.errors)
        report["ok"] = not report["errors"]
    except Exception as error:  # the report says what failed
        report["errors"].append(f"{type(error).__name__}: {error}")
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
