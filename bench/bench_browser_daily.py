"""The daily path's speed in a real browser (issue 23): Debian's chromium (Playwright) against
the app started as a worker starts it (``taskerlog app``), on a logbook of 10,000 entries.

Each figure is the time from the click to the page being whole again in the browser: the
page's title shown, no element left stale from the previous run, Streamlit's "running"
indicator gone (and, for a save, its confirmation shown):

- a **page change** through the sidebar: Log → Timesheet → Dashboard → Log (the Dashboard's
  figures ready, as a worker gets them after a few seconds on Log);
- **clock in** and **clock out** on Log.

Targets as in ``bench_daily.py``: 0.3 s for a save, 0.5 s for a page change (those are server
time; the browser adds the websocket round trip and the drawing). Each step runs ``RUNS``
times and the fastest counts (noise on a shared machine only adds time). Beside each, the
server process's CPU seconds for the step (all its threads): on a machine shared with other
work the wall time is mostly waiting for a core.

``bench/bench.py`` discovers this module and calls :func:`run`; it also runs alone:

    .venv/bin/python bench/bench_browser_daily.py [N]        # default 10,000
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_daily  # noqa: E402  (puts the repository on sys.path too)
from bench_daily import TARGET_PAGE, TARGET_SAVE  # noqa: E402

RUNS = 3

_WHOLE = """(title) => {
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  if (!h1 || !h1.innerText.startsWith(title)) return false;
  if (document.querySelector('[data-testid="stMain"] [data-stale="true"]')) return false;
  const s = document.querySelector('[data-testid="stStatusWidget"]');
  return !(s && s.innerText.toLowerCase().includes('running'));
}"""


def _whole(page, title: str, text: str | None = None) -> None:
    page.wait_for_function(_WHOLE, arg=title, polling="raf", timeout=120_000)
    if text is not None:
        page.locator(".st-key-taskerlog_flash").filter(has_text=text).wait_for(timeout=120_000)


def _step(page, pid: int, key: str, click, title: str, text: str | None = None) -> float:
    """Seconds from the click to the page whole again; the server's CPU seconds go to CPU[key]."""
    c0, t0 = _cpu(pid), time.perf_counter()
    click()
    _whole(page, title, text)
    took = time.perf_counter() - t0
    cpu = (_cpu(pid) - c0) / TICK
    bench_daily.CPU[key] = min(bench_daily.CPU.get(key, cpu), cpu)
    return took


TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> int:
    """The server process's CPU time so far (user + system, every thread), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _idle(pid: int, quiet_s: float = 1.0) -> None:
    """Wait until the server process has used (almost) no CPU for ``quiet_s``: the Dashboard's
    figures, worked out on a helper thread after each page is sent, are ready, as they are for a
    worker who reads a page before the next click (and they no longer compete for the CPU)."""
    last, quiet_since = _cpu(pid), time.perf_counter()
    while time.perf_counter() - quiet_since < quiet_s:
        time.sleep(0.1)
        now = _cpu(pid)
        if now - last > 1:
            quiet_since = time.perf_counter()
        last = now


def _nav(page, name: str):
    return lambda: page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()


def measure(db: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, CHROMIUM, DESKTOP, Server, settle
    from taskerlog.store import Store

    work = Path(tempfile.mkdtemp(prefix="bench-browser-daily-"))
    srv = Server(db, work / "streamlit.log", taskerlog_app=True)
    out: dict[str, list[float]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            page = browser.new_context(viewport=DESKTOP).new_page()
            page.goto(f"{srv.url}/log")
            settle(page)
            pid = srv.proc.pid  # `taskerlog app` runs the server in its own process
            for _ in range(RUNS):
                for key, name in (("to_timesheet", "Timesheet"), ("to_dashboard", "Dashboard"), ("to_log", "Log")):
                    _idle(pid)
                    out.setdefault(key, []).append(_step(page, pid, key, _nav(page, name), name))
                _idle(pid)
                out.setdefault("clock_in", []).append(_step(
                    page, pid, "clock_in", lambda: page.get_by_role("button", name="▶ Clock in").click(), "Log", "clocked in"))
                with Store(db) as s:  # a clock must run a while before it stops
                    s.conn.execute("UPDATE clock SET started_at = started_at - 600")
                _idle(pid)
                out.setdefault("clock_out", []).append(_step(
                    page, pid, "clock_out", lambda: page.get_by_role("button", name="Clock out").first.click(), "Log", "Clocked out"))
            browser.close()
    finally:
        srv.stop()
    return {k: min(v) for k, v in out.items()}


ROWS = [
    ("to_timesheet", "browser: page change Log → Timesheet", TARGET_PAGE),
    ("to_dashboard", "browser: page change Timesheet → Dashboard (figures ready)", TARGET_PAGE),
    ("to_log", "browser: page change Dashboard → Log", TARGET_PAGE),
    ("clock_in", "browser: clock in, until its confirmation shows", TARGET_SAVE),
    ("clock_out", "browser: clock out, until its confirmation shows", TARGET_SAVE),
]


def run(results: list[dict], sizes: list[int], workdir: Path) -> None:
    bench_daily.run(results, sizes, workdir, measure, ROWS)


if __name__ == "__main__":
    bench_daily.main(measure, ROWS)
