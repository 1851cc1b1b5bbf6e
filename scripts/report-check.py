#!/usr/bin/env python3
"""Renders an HTML report in headless Chromium three ways — a 1200-px desktop window, a 400-px
phone, and print (A4: print media at the page's printable width, then Page.printToPDF) — and
fails when the page does not render or logs an error to its console (a script error, a resource
blocked by the page's Content-Security-Policy, a failed load). In each it also fails on what a
reader would stumble on: a page or a table wider than its room (cut on the right, or scrolling
where it should wrap), text running out of its box, SVG text outside its chart (cut labels), a
bar label running into the bars. Writes a full-page PNG screenshot of the desktop and the phone
renderings, the PDF, and optionally a PNG of the desktop page's top part (for the README).

Drives Chromium through the DevTools protocol over a pipe (--remote-debugging-pipe), with the
standard library only.

usage: report-check.py REPORT.html FULL.png [TOP.png [TOP_HEIGHT]]
  (the phone screenshot and the PDF go beside FULL.png: NAME-phone.png, NAME.pdf)
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
PHONE_WIDTH = 400
# A4 (210 mm) less the page's 12-mm margins on both sides, in CSS pixels (96 per inch).
PRINT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
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
((room) => {
  const problems = [];
  const doc = document.documentElement;
  // `room`, not innerWidth: a phone zooms out to show a page wider than its screen.
  if (doc.scrollWidth > room + 1)
    problems.push(`the page is ${doc.scrollWidth}px wide in a ${room}px window: content is cut on the right`);
  const where = (element) => element.closest('section')?.querySelector('h2')?.textContent || 'the page header';
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      problems.push(`a table in "${where(wrap)}" is ${wrap.scrollWidth}px wide in ${wrap.clientWidth}px: its right side is cut`);
    }
  }
  // Text that runs out of its box: any element holding text whose right edge passes the right
  // edge of its section (or card), or that is clipped by its own overflow.
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest('svg') || element.matches('.table-wrap')) continue;
    const hasText = [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim());
    if (!hasText) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    for (const selector of ['.kpi, .chart-card, .banner, .late-agency', 'section, header, footer']) {
      const box = element.closest(selector);
      if (!box || box === element) continue;
      const outer = box.getBoundingClientRect();
      if (rect.right > outer.right + 1 || rect.left < outer.left - 1) {
        problems.push(`"${element.textContent.trim().slice(0, 60)}" in "${where(element)}" runs out of its box ` +
                      `(${Math.round(rect.left)}–${Math.round(rect.right)} px in ${Math.round(outer.left)}–${Math.round(outer.right)})`);
        break;
      }
    }
    const style = getComputedStyle(element);
    if (style.overflowX !== 'visible' && element.scrollWidth > element.clientWidth + 1)
      problems.push(`"${element.textContent.trim().slice(0, 60)}" in "${where(element)}" is cut by its box`);
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
})(ROOM)
"""


def render(browser, session, report, width, mobile, media):
    """Loads the report at `width` (as a phone when `mobile`, with `media` emulated) and returns
    the page's measures; console errors are gathered by the caller from the browser's events."""
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile}, session=session)
    browser.send("Emulation.setEmulatedMedia", {"media": media}, session=session)
    browser.send("Page.navigate", {"url": "file://" + report}, session=session)
    browser.wait_for("Page.loadEventFired")
    browser.send("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
                 session=session)
    return browser.send("Runtime.evaluate", {"expression": MEASURE.replace("ROOM", str(width)), "returnByValue": True},
                        session=session)["result"]["value"]


def screenshot(browser, session, path, width, height):
    shot = browser.send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}, session=session)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as out:
        out.write(base64.b64decode(shot["data"]))


def console_errors(events):
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            errors.append("uncaught exception: " + params.get("exceptionDetails", {}).get("text", ""))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            errors.append(f"console error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())
    return errors


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    report, full_png = os.path.abspath(sys.argv[1]), sys.argv[2]
    top_png = sys.argv[3] if len(sys.argv) > 3 else None
    top_height = int(sys.argv[4]) if len(sys.argv) > 4 else 1500
    stem = os.path.splitext(full_png)[0]
    phone_png, pdf_path = stem + "-phone.png", stem + ".pdf"
    if not os.path.isfile(report):
        print(f"report-check: {report} does not exist; run the pipeline first", file=sys.stderr)
        return 66
    binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("report-check: chromium not found (apt-get install chromium)", file=sys.stderr)
        return 69

    browser = Browser(binary)
    errors = []
    lines = []
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            browser.send(method, session=session)
        for name, width, mobile, media in (("desktop", WIDTH, False, "screen"), ("phone", PHONE_WIDTH, True, "screen"),
                                           ("print", PRINT_WIDTH, False, "print")):
            started = time.time()
            measured = render(browser, session, report, width, mobile, media)
            errors += [f"{name}: {error}" for error in console_errors(browser.events)]
            browser.events.clear()
            if measured["sections"] == 0 or not measured["heading"].strip() or measured["height"] < 200:
                errors.append(f"{name}: the page did not render: {measured['sections']} sections, heading "
                              f"{measured['heading']!r}, {measured['height']}px high")
            errors += [f"{name} ({width} px): {problem}" for problem in measured["problems"]]
            lines.append(f"{name}: {measured['sections']} sections, {measured['charts']} charts, {width}×{measured['height']} px, "
                         f"{time.time() - started:.1f} s")
            if name == "desktop":
                screenshot(browser, session, full_png, WIDTH, measured["height"])
                if top_png:
                    screenshot(browser, session, top_png, WIDTH, min(top_height, measured["height"]))
            elif name == "phone":
                screenshot(browser, session, phone_png, PHONE_WIDTH, measured["height"])
            else:
                pdf = base64.b64decode(browser.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                                                    session=session, timeout=TIMEOUT)["data"])
                pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
                if not pdf.startswith(b"%PDF") or pages < 1:
                    errors.append("print: Page.printToPDF gave no page")
                with open(pdf_path, "wb") as out:
                    out.write(pdf)
                lines[-1] += f", {pages} A4 pages → {pdf_path}"
    finally:
        browser.close()

    for line in lines:
        print(f"report-check: {report}: {line}")
    print(f"report-check: screenshots {full_png}, {phone_png}" + (f", {top_png}" if top_png else ""))
    if errors:
        for error in errors:
            print(f"report-check: FAIL: {error}", file=sys.stderr)
        return 1
    print("report-check: no console error, nothing cut on a desktop, a phone or A4")
    return 0


if __name__ == "__main__":
    sys.exit(main())
