"""A crash in the middle of an import (kill -9) leaves either none of it or all of it.

The import writes everything in one SQLite transaction (WAL, synchronous=FULL): a
process killed while the rows are going in must leave the logbook as it was, with what
was committed before intact and the journal verifying.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from taskerlog.bundle import import_path
from taskerlog.model import Logbook, WorkEntry
from taskerlog.store import Store

N = 100_000  # its WAL grows to about 12 MiB: the 6 MiB kill falls in the middle of the import


def big_bundle(folder: Path, n: int = N) -> Path:
    folder.mkdir()
    (folder / "logbook.csv").write_text("home_currency,timezone\nUSD,UTC\n")
    (folder / "projects.csv").write_text("platform,project,pay_model\nMTurk,Requester 7,per_task\n")
    t0 = 1_750_000_000
    with open(folder / "work.csv", "w") as fh:
        fh.write("platform,project,kind,start,duration_minutes,units,pay,external_id,note\n")
        fh.writelines(f"MTurk,Requester 7,tasking,{_iso(t0 + 97 * i)},1.5,1,0.{i % 90 + 10:02d},HIT{i:08d},batch\n"
                      for i in range(n))
    return folder


def _iso(epoch: int) -> str:
    import datetime as dt
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot(db: Path) -> tuple[int, list[tuple]]:
    s = Store(db)
    try:
        rows = [tuple(r) for r in s.conn.execute(
            'SELECT id, platform_id, project_id, kind, start, "end", pay_micros, note FROM work '
            "WHERE source NOT LIKE 'import:big%' ORDER BY id")]
        count = s.conn.execute("SELECT count(*) FROM work").fetchone()[0]
        assert s.verify().ok, [p.message for p in s.verify().problems][:5]
        return count, rows
    finally:
        s.close()


@pytest.mark.parametrize("grown_by", [1 << 20, 6 << 20])
def test_kill_9_mid_import_leaves_nothing_or_everything(tmp_path, grown_by):
    db = tmp_path / "log.sqlite"
    s = Store(db)
    s.set_settings(Logbook(timezone="UTC"))
    for i in range(5):  # the worker's own records, committed before the import
        s.add_work(WorkEntry(platform="Outlier", kind="tasking", start=1_700_000_000 + 3600 * i,
                             end=1_700_000_000 + 3600 * i + 1800, note=f"by hand {i}"))
    s.close()
    before_count, before_rows = snapshot(db)
    folder = big_bundle(tmp_path / "big")
    wal = Path(str(db) + "-wal")
    base = wal.stat().st_size if wal.exists() else 0

    proc = subprocess.Popen([sys.executable, "-c", "from taskerlog.cli import main; main()",
                             "--db", str(db), "import", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > base + grown_by:
            break
        time.sleep(0.005)
    assert proc.poll() is None, f"the import ended before the kill: {proc.communicate()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    after_count, after_rows = snapshot(db)
    assert after_rows == before_rows  # what was committed before is intact
    assert after_count in (before_count, before_count + N)
    assert after_count == before_count  # killed while writing: the transaction never committed

    # and the import, run again to the end, brings all of it, once
    s = Store(db)
    try:
        report = import_path(s, folder, source="import:big")
        assert report.tables["work"].added == N
        assert s.conn.execute("SELECT count(*) FROM work").fetchone()[0] == before_count + N
        assert s.verify().ok
    finally:
        s.close()
