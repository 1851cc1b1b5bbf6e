#!/usr/bin/env python3
"""Renders an HTML report in headless Chromium and fails when the page does not render or logs
an error to its console (a script error, a resource blocked by the page's Content-Security-Policy,
a failed load). It also fails on what a reader would stumble on: a page or a table wider than its
room (cut on the right), SVG text outside its chart (cut labels), a bar label running into the bars. Writes a full-page PNG screenshot,
and optionally a second one of the page's top part (for the README).

Drives Chromium through the DevTools protocol over a pipe (--remote-debugging-pipe), with the
standard library only.

usage: report-check.py REPORT.html FULL.png [TOP.png [TOP_HEIGHT]]
"""
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

WIDTH = 1200
TIMEOUT = 90


class Browser:
    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="report-check-")
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4: the child moves its pipe ends
        # there (above 4 first, so that neither move overwrites the other).
        to_browser_read = self._above_four(to_browser_read)
        from_browser_write = self._above_four(from_browser_write)
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
             "--force-device-scale-factor=1", "--force-color-profile=srgb", "--font-render-hinting=none",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4, to_browser_read, from_browser_write),
            preexec_fn=lambda: (os.dup2(to_browser_read, 3), os.dup2(from_browser_write, 4)))
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.writer = os.fdopen(to_browser_write, "wb", buffering=0)
        self.reader = os.fdopen(from_browser_read, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    @staticmethod
    def _above_four(fd):
        if fd > 4:
            return fd
        moved = os.dup(fd) if fd > 4 else fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 5)
        os.close(fd)
        return moved

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = self.reader.read(65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (did it start?)")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=TIMEOUT):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.writer.write(json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method, timeout=TIMEOUT):
        deadline = time.time() + timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


# What the page looks like, measured in the page (by the checker, not by the report: it has no script).
MEASURE = r"""
(() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1)
    problems.push(`the page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window: content is cut on the right`);
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      const heading = wrap.closest('section')?.querySelector('h2')?.textContent || '';
      problems.push(`a table in "${heading}" is ${wrap.scrollWidth}px wide in ${wrap.clientWidth}px: its right side is cut`);
    }
  }
  const charts = [...document.querySelectorAll('svg.chart')];
  for (const svg of charts) {
    const box = svg.viewBox.baseVal;
    const rect = svg.getBoundingClientRect();
    if (rect.width < 50 || rect.height < 50) problems.push(`chart "${svg.getAttribute('aria-label')}" is not drawn (${rect.width}×${rect.height})`);
    for (const text of svg.querySelectorAll('text')) {
      const b = text.getBBox();
      if (b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5 || b.y + b.height > box.y + box.height + 0.5)
        problems.push(`text "${text.textContent}" in chart "${svg.getAttribute('aria-label')}" runs outside the chart`);
    }
    // A bar label must end before the bars start.
    const firstBar = svg.querySelector('rect.bar');
    if (firstBar) {
      const barStart = firstBar.x.baseVal.value;
      for (const label of svg.querySelectorAll('text.label')) {
        const b = label.getBBox();
        if (b.x + b.width > barStart + 0.5) problems.push(`label "${label.textContent}" overlaps the bars`);
      }
    }
  }
  return {
    problems,
    title: document.title,
    heading: (document.querySelector('h1') || {}).textContent || '',
    charts: charts.length,
    sections: document.querySelectorAll('main section').length,
    height: Math.ceil(doc.scrollHeight),
  };
})()
"""


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    report, full_png = os.path.abspath(sys.argv[1]), sys.argv[2]
    top_png = sys.argv[3] if len(sys.argv) > 3 else None
    top_height = int(sys.argv[4]) if len(sys.argv) > 4 else 1500
    if not os.path.isfile(report):
        print(f"report-check: {report} does not exist; run the pipeline first", file=sys.stderr)
        return 66
    binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("report-check: chromium not found (apt-get install chromium)", file=sys.stderr)
        return 69

    browser = Browser(binary)
    errors = []
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            browser.send(method, session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        browser.send("Page.navigate", {"url": "file://" + report}, session=session)
        browser.wait_for("Page.loadEventFired")
        browser.send("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
                     session=session)
        measured = browser.send("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True},
                                session=session)["result"]["value"]
        for event in browser.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                errors.append("uncaught exception: " + params.get("exceptionDetails", {}).get("text", ""))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                errors.append(f"console error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())
        if measured["sections"] == 0 or not measured["heading"].strip() or measured["height"] < 200:
            errors.append(f"the page did not render: {measured['sections']} sections, heading {measured['heading']!r}, "
                          f"{measured['height']}px high")
        errors += measured["problems"]

        height = measured["height"]
        shot = browser.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1}}, session=session)
        os.makedirs(os.path.dirname(os.path.abspath(full_png)), exist_ok=True)
        with open(full_png, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        if top_png:
            shot = browser.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": WIDTH, "height": min(top_height, height), "scale": 1}}, session=session)
            os.makedirs(os.path.dirname(os.path.abspath(top_png)), exist_ok=True)
            with open(top_png, "wb") as out:
                out.write(base64.b64decode(shot["data"]))
    finally:
        browser.close()

    print(f"report-check: {report}: {measured['sections']} sections, {measured['charts']} charts, "
          f"{WIDTH}×{measured['height']} px → {full_png}" + (f", {top_png}" if top_png else ""))
    if errors:
        for error in errors:
            print(f"report-check: FAIL: {error}", file=sys.stderr)
        return 1
    print("report-check: no console error, nothing cut")
    return 0


if __name__ == "__main__":
    sys.exit(main())
