"""Spreadsheet import benchmark (issue 6): a 100,000-row worker's spreadsheet in < 10 s.

The sheet is what a worker keeps by hand, in the awkward notations the importer accepts:
day-first dates (``02/03/2026``), 12-hour times (``1:05 PM``), pay with a currency sign and a
decimal comma (``€12,50``), kinds in words (``task``, ``qual``, ``review``), a status column
(``approved``, ``submitted``). Rows come from a seeded generator (same n, same file). Timed:
reading + mapping + parsing (``importers.read_history``) and the bundle's all-or-nothing
``import_tables`` into a fresh logbook, together against the 10 s target; then a second
import of the same file (nothing new: the idempotence check) for information.
``bench/bench.py`` discovers this module and calls :func:`run`; it also runs alone:

    .venv/bin/python bench/bench_importers.py [N]
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from taskerlog import importers  # noqa: E402
from taskerlog.model import Logbook  # noqa: E402
from taskerlog.store import Store  # noqa: E402

N_ROWS = 100_000
TARGET_S = 10.0
KINDS = ["task", "task", "task", "review", "qual", "onboarding", "reading", "waiting"]
PROJECTS = ["Genesis Dolphin", "White Wolf", "Jellyfish IF", "MM Biscuits"]


def _ampm(h: int, m: int) -> str:
    return f"{(h % 12) or 12}:{m:02d} {'AM' if h < 12 else 'PM'}"


def write_sheet(path: Path, n: int, seed: int = 2026) -> Path:
    """About 6 entries a day, each 20-90 minutes, back to back from 08:00, no overlaps."""
    rng = random.Random(seed)
    day = dt.date(2015, 1, 1)
    minute = 8 * 60
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Date", "Start", "End", "Platform", "Project", "Type", "Earnings", "Tasks", "Status", "Notes"])
        for i in range(n):
            length = rng.randint(20, 90)
            if minute + length >= 23 * 60 or rng.random() < 0.15:
                day += dt.timedelta(days=1)
                minute = 8 * 60 + rng.randint(0, 60)
            s, e = minute, minute + length
            minute = e + rng.randint(0, 20)
            kind = rng.choice(KINDS)
            pay = f"€{rng.randint(1, 60)},{rng.randint(0, 99):02d}" if kind in ("task", "review") else ""
            status = rng.choice(["approved", "approved", "submitted", "rejected"]) if pay else ""
            w.writerow([day.strftime("%d/%m/%Y"), _ampm(s // 60, s % 60), _ampm(e // 60, e % 60), "Outlier",
                        rng.choice(PROJECTS), kind, pay, rng.randint(1, 30) if pay else "", status,
                        f"row {i}"])
    return path


def run(results: list[dict], sizes: list[int], workdir: Path, n: int = N_ROWS) -> None:
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    sheet = write_sheet(workdir / "my-sheet.csv", n)
    settings = Logbook(home_currency="EUR", timezone="Europe/Berlin")
    store = Store(workdir / "importers-bench.sqlite")
    try:
        store.set_settings(settings)
        t0 = time.perf_counter()
        c0 = time.process_time()
        r = importers.read_history("spreadsheet", sheet, settings, day_first="yes")
        read_s = time.perf_counter() - t0
        assert not r.problems, [str(p) for p in r.problems[:3]]
        report, _ = importers.apply(store, r.tables, source="import:bench")
        total = time.perf_counter() - t0
        cpu = time.process_time() - c0
        assert report.tables["work"].added == n, report
        results.append({"area": "importers", "what": "spreadsheet import (read + map + parse + import_tables)",
                        "size": n, "seconds": total, "cpu_seconds": cpu,
                        "target": f"< {TARGET_S:.0f} s" + (" meets" if total < TARGET_S else " **misses**"),
                        "note": f"reading and parsing {read_s:.1f} s, the bundle import {total - read_s:.1f} s"})
        t0 = time.perf_counter()
        r2 = importers.read_history("spreadsheet", sheet, settings, day_first="yes")
        again, _ = importers.apply(store, r2.tables, source="import:bench")
        t_again = time.perf_counter() - t0
        assert again.added == 0
        results.append({"area": "importers", "what": "the same spreadsheet again (adds nothing)", "size": n,
                        "seconds": t_again, "target": "—", "note": "idempotence: every row already there"})
    finally:
        store.close()


if __name__ == "__main__":
    out: list[dict] = []
    with tempfile.TemporaryDirectory() as d:
        run(out, [], Path(d), int(sys.argv[1]) if len(sys.argv) > 1 else N_ROWS)
    for r in out:
        print(f"{r['what']:58} {r['size']:>7,} {r['seconds']:8.2f} s  {r['target']}  {r['note']}")
