"""The daily path's speed (issue 23): on a logbook of 10,000 entries (by default), the server
time of each step a worker takes many times a day, through Streamlit's AppTest (the same
script runs a browser session gets, without the network):

- the Log page opens (with *Today and this week* and the recent entries);
- **clock in**, **clock out** (stop now), a **past entry saved**: each the run the click
  starts, the write, the rerun it asks for and the page sent again,
  three times each in turn, the median counting (one run on a shared machine can fall on a
  busy moment or on Python's garbage collection);
- a **page change** Log → Timesheet → Dashboard → Log (the Dashboard after its figures are
  ready, as a worker gets it).

Targets: a click that saves answers within 0.3 s of server time, a page change within 0.5 s.

``bench/bench.py`` discovers this module and calls :func:`run`; it also runs alone:

    .venv/bin/python bench/bench_daily.py [N]        # default 10,000
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench_app  # noqa: E402

TARGET_SAVE, TARGET_PAGE = 0.3, 0.5
DEFAULT_N = 10_000


CPU: dict[str, float] = {}
"""The CPU seconds of the last :func:`measure`'s steps (this process, every thread): on a
machine shared with other work the wall time is mostly waiting for a core, the CPU time is not."""


def _timed(at, action=None, name: str = "") -> float:
    t0, c0 = time.perf_counter(), time.process_time()
    (action or (lambda: None))()
    at.run()
    took = time.perf_counter() - t0
    CPU[name] = time.process_time() - c0
    bench_app._check(at)
    return took


SAVES = 3
"""Each save is timed this many times (clock in, clock out, a past entry, in turn); the median counts."""


def _button(at, prefix: str):
    """A form's button: its key changes after each save from the form (``_shared.form_suffix``)."""
    return next(b for b in at.button if b.key.startswith(prefix))


def _cpu_too(at, action, name: str) -> tuple[float, float]:
    took = _timed(at, action, name)
    return took, CPU[name]


def compile_once() -> None:
    """Compile each script once, as a server does. AppTest makes a new ``ScriptCache`` for every
    run, so each run compiles app.py and the page again (≈ 0.02 s a run here), which a server's
    runs do not: its runtime keeps one cache. The bench gives AppTest one cache too, so that
    its figures are the server's time."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    one = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: one


def measure(db: Path) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from taskerlog.store import Store

    compile_once()
    os.environ["TASKERLOG_DB"] = str(db)
    from taskerlog.commands import app_cmd
    app_cmd.preload()  # as `taskerlog app` (`make run`) does before its server listens
    bench_app._clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    out = {"log_opens": _timed(at, name="log_opens")}
    bench_app._wait_for_warm_up()
    out["log_again"] = _timed(at, name="log_again")
    runs: dict[str, list[tuple[float, float]]] = {}
    for _ in range(SAVES):
        runs.setdefault("clock_in", []).append(_cpu_too(at, lambda: _button(at, "FormSubmitter:clock_in").click(),
                                                        "clock_in"))
        [clock] = Store(db).running_clocks()
        with Store(db) as s:  # a clock must run a while before it stops
            s.conn.execute("UPDATE clock SET started_at = started_at - 600")
        runs.setdefault("clock_out", []).append(_cpu_too(
            at, lambda: at.button(key=f"FormSubmitter:stop_{clock['id']}-Clock out").click(), "clock_out"))
        bench_app._wait_for_warm_up()  # the Dashboard's figures, made in the background after the clock out
        runs.setdefault("past_entry", []).append(_cpu_too(
            at, lambda: _button(at, "FormSubmitter:past_entry").click(), "past_entry"))
        bench_app._wait_for_warm_up()
    for name, got in runs.items():  # the median of the runs, wall and CPU each
        out[name] = statistics.median(w for w, _ in got)
        CPU[name] = statistics.median(c for _, c in got)
    for name, page in (("to_timesheet", "app_pages/timesheet.py"), ("to_dashboard", "app_pages/dashboard.py"),
                       ("to_log", "app_pages/log.py")):
        out[name] = _timed(at, lambda p=page: at.switch_page(p), name)
        bench_app._wait_for_warm_up()
    return out


ROWS = [
    ("log_opens", "Log page opens (today and this week, recent entries)", TARGET_PAGE),
    ("log_again", "Log page again (a rerun)", TARGET_PAGE),
    ("clock_in", "clock in: the click, the write and the page again", TARGET_SAVE),
    ("clock_out", "clock out: the click, the write and the page again", TARGET_SAVE),
    ("past_entry", "a past entry saved: the click, the write and the page again", TARGET_SAVE),
    ("to_timesheet", "page change Log → Timesheet", TARGET_PAGE),
    ("to_dashboard", "page change Timesheet → Dashboard (figures ready)", TARGET_PAGE),
    ("to_log", "page change Dashboard → Log", TARGET_PAGE),
]


def run(results: list[dict], sizes: list[int], workdir: Path, measure=measure, rows=ROWS) -> None:
    """Rows for ``bench/bench.py``: ``measure(db)``'s figures on a logbook of DEFAULT_N entries
    (``bench_browser_daily`` passes its own ``measure`` and ``rows``)."""
    from bench import row

    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    n = DEFAULT_N  # the size: a year or two of a heavy tasker
    db = bench_app._logbook(n, workdir)
    m = measure(db)
    for key, what, target in rows:
        row(results, "daily", what, n, m[key], f"< {target} s", "meets" if m[key] < target else "MISSES")


def main(measure=measure, rows=ROWS) -> None:
    """Run alone: ``[N]`` entries (default DEFAULT_N); the logbook is kept in $BENCH_APP_WORKDIR."""
    import tempfile

    n = int(sys.argv[1].replace("_", "")) if len(sys.argv) > 1 else DEFAULT_N
    keep = Path(os.environ.get("BENCH_APP_WORKDIR") or tempfile.mkdtemp(prefix="bench-daily-"))
    db = bench_app._logbook(n, keep)
    CPU.clear()
    m = measure(db)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for key, what, target in rows:
        cpu = f"  (CPU {CPU[key]:.3f} s)" if key in CPU else ""
        print(f"{m[key]:7.3f} s{cpu}  {'meets' if m[key] < target else 'MISSES'} < {target} s  {what}")


if __name__ == "__main__":
    main()
