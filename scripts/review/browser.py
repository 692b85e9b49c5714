"""Headless Chromium (Debian's `chromium` package) for the PDF, screenshots and console checks.

PDF and screenshot use Chromium's own command-line switches. Console errors are read through the
DevTools protocol over `--remote-debugging-pipe` (file descriptors 3 and 4, NUL-separated JSON):
no extra package, no port, and it sees what `--enable-logging` cannot tell apart — the level of
each console message, uncaught exceptions and resources that failed to load.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
BASE_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--no-first-run", "--no-default-browser-check", "--disable-extensions"]


def find_chromium() -> str | None:
    """The Chromium binary: $CHROMIUM if set, else the first candidate on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if shutil.which(explicit) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(binary: str, flags: list[str], url: str, timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="gne-review-chromium-") as profile:
        command = [binary, *BASE_FLAGS, f"--user-data-dir={profile}", *flags, url]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                check=False)
    if result.returncode != 0:
        raise RuntimeError(f"chromium exited {result.returncode}: {result.stderr[-2000:]}")


def print_pdf(binary: str, html_path: Path, pdf_path: Path, timeout: float = 120) -> None:
    """Print the page to PDF with the page's own @page size and no browser header/footer."""
    pdf_path.unlink(missing_ok=True)
    _run(binary, [f"--print-to-pdf={pdf_path}", "--no-pdf-header-footer",
                  "--virtual-time-budget=5000"], html_path.resolve().as_uri(), timeout)
    if not pdf_path.exists():
        raise RuntimeError(f"chromium wrote no PDF at {pdf_path}")


def screenshot(binary: str, html_path: Path, png_path: Path, width: int = 1280,
               height: int = 1600, timeout: float = 120) -> None:
    """A PNG of the top of the page at the given window size."""
    png_path.unlink(missing_ok=True)
    _run(binary, [f"--screenshot={png_path}", f"--window-size={width},{height}",
                  "--virtual-time-budget=5000"], html_path.resolve().as_uri(), timeout)
    if not png_path.exists():
        raise RuntimeError(f"chromium wrote no screenshot at {png_path}")


@dataclass
class PageLoad:
    """What happened while the page loaded."""

    loaded: bool = False
    errors: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    title: str = ""
    sections: list[str] = field(default_factory=list)  # data-section of each <section>, in order
    charts_drawn: int = 0  # inline SVG charts with a non-zero rendered size


class _Pipe:
    """The DevTools protocol over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: str) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:
            # move both ends clear of 3 and 4 first: dup2 onto itself would keep close-on-exec
            reader, writer = 100, 101
            os.dup2(to_child_r, reader)
            os.dup2(from_child_w, writer)
            os.dup2(reader, 3)
            os.dup2(writer, 4)

        self.process = subprocess.Popen(
            [binary, *BASE_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=wire,  # noqa: PLW1509 - fds 3/4 are the protocol
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, object]] = []

    def send(self, method: str, params: dict[str, object] | None = None,
             session: str | None = None, timeout: float = 30) -> dict[str, object]:
        self._next_id += 1
        message: dict[str, object] = {"id": self._next_id, "method": method,
                                      "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for reply in self.read(deadline - time.monotonic()):
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})  # type: ignore[return-value]
                self.events.append(reply)
        raise TimeoutError(f"no reply to {method} within {timeout} s")

    def read(self, timeout: float) -> list[dict[str, object]]:
        ready, _, _ = select.select([self._from_child], [], [], max(timeout, 0))
        if not ready:
            return []
        chunk = os.read(self._from_child, 1 << 20)
        if not chunk:
            raise RuntimeError("chromium closed the debugging pipe")
        self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\0")
        return [json.loads(part) for part in complete if part]

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.events.extend(self.read(deadline - time.monotonic()))

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._to_child)
        os.close(self._from_child)


PAGE_FACTS = """({
  title: document.title,
  sections: Array.from(document.querySelectorAll('section[data-section]')).map(s => s.dataset.section),
  charts: Array.from(document.querySelectorAll('svg.chart'))
    .filter(c => c.getBoundingClientRect().width > 0 && c.getBoundingClientRect().height > 0).length
})"""


def load_page(binary: str, html_path: Path, settle_seconds: float = 1.5,
              timeout: float = 60) -> PageLoad:
    """Open the file in a fresh headless Chromium and collect every console error.

    Errors are console.error/assert calls, uncaught exceptions and error-level log entries
    (which include resources that failed to load).
    """
    result = PageLoad()
    with tempfile.TemporaryDirectory(prefix="gne-review-cdp-") as profile:
        pipe = _Pipe(binary, profile)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})
            attached = pipe.send("Target.attachToTarget",
                                 {"targetId": target["targetId"], "flatten": True})
            session = str(attached["sessionId"])
            for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
                pipe.send(domain, session=session)
            pipe.send("Page.navigate", {"url": html_path.resolve().as_uri()}, session=session)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not result.loaded:
                result.loaded = any(e.get("method") == "Page.loadEventFired" for e in pipe.events)
                if not result.loaded:
                    pipe.events.extend(pipe.read(0.5))
            pipe.drain(settle_seconds)
            evaluated = pipe.send("Runtime.evaluate", {"expression": PAGE_FACTS,
                                                        "returnByValue": True}, session=session)
            facts = evaluated.get("result", {}).get("value") or {}  # type: ignore[union-attr]
            result.title = str(facts.get("title", ""))
            result.sections = [str(s) for s in facts.get("sections", [])]
            result.charts_drawn = int(facts.get("charts", 0))
        finally:
            pipe.close()
    for event in pipe.events:
        _classify(event, result)
    return result


def _classify(event: dict[str, object], result: PageLoad) -> None:
    method = event.get("method")
    params = event.get("params", {})
    assert isinstance(params, dict)
    if method == "Runtime.consoleAPICalled":
        text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
        entry = f"console.{params.get('type')}: {text}"
        (result.errors if params.get("type") in ("error", "assert") else result.messages).append(entry)
    elif method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        assert isinstance(details, dict)
        exception = details.get("exception", {})
        text = exception.get("description") if isinstance(exception, dict) else None
        result.errors.append(f"exception: {text or details.get('text')} at {details.get('url')}")
    elif method == "Log.entryAdded":
        entry = params.get("entry", {})
        line = f"log.{entry.get('level')}: {entry.get('text')} {entry.get('url', '')}"
        (result.errors if entry.get("level") == "error" else result.messages).append(line)
