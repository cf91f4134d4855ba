"""The logbook on a full, read-only or shared disk: a message instead of a traceback,
nothing left behind, reading without write access, leftovers of killed runs removed.

Small and read-only disks are real where the tests run as root (a tmpfs of a few hundred
KiB, a read-only bind mount); elsewhere those tests skip and the injected-error tests
(SQLite's ``max_page_count``, a backup that fails half way) still run.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from taskerlog.bundle import import_path
from taskerlog.cli import cli
from taskerlog.model import EQPeriod
from taskerlog.store import Store, StoreError, api, partial, schema

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "hourly-usd"


def big_bundle(folder: Path, n: int = 20_000) -> Path:
    """The hourly sample with ``n`` more work entries (a few MB in SQLite)."""
    shutil.copytree(SAMPLE, folder)
    with open(folder / "work.csv", "a") as fh:
        for i in range(n):
            day = f"{2020 + i // 336}-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d}"
            fh.write(f"Outlier,,onboarding,{day}T{10 + i % 10}:00,{day}T{10 + i % 10}:30,,,,,,,"
                     f"note {i} {'x' * 60}\n")
    return folder


def taskerlog(*args: str) -> subprocess.CompletedProcess:
    """The command, in this process (the tests that need a second process start one themselves)."""
    from conftest import cli_process

    return cli_process(*args)


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A real 1.5 MiB disk (tmpfs)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(disk)):
        pytest.skip("making a small disk needs root and mount (tmpfs)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def read_only_view(src: Path, view: Path) -> Path:
    """``view``: ``src`` mounted read-only (root ignores file modes, not a read-only mount)."""
    view.mkdir()
    if not _mount("--bind", str(src), str(view)):
        pytest.skip("a read-only mount needs root and mount --bind")
    if not _mount("-o", "remount,ro,bind", str(view)):
        subprocess.run(["umount", "-l", str(view)], check=False)
        pytest.skip("this system cannot remount a bind mount read-only")
    return view


def fill_up(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as fh:
        with pytest.raises(OSError):
            while True:
                fh.write(b"\0" * 4096)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if "partial" in p.name or p.name.startswith("."))


# -- 4. a full disk ---------------------------------------------------------------------------
def test_an_import_that_fills_the_logbook_says_so_and_changes_nothing(tmp_path):
    """SQLite rolls the whole transaction back on SQLITE_FULL; the store's inner savepoint
    then tried ROLLBACK TO a savepoint that no longer existed: a traceback."""
    s = Store(tmp_path / "log.sqlite")
    import_path(s, SAMPLE)
    before = s.journal_head()
    pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
    s.conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # the disk is as good as full
    with pytest.raises(StoreError, match=r"could not be written \(database or disk is full\); nothing was "
                                         r"written\. Free some disk space"):
        import_path(s, big_bundle(tmp_path / "big"))
    assert s.journal_head() == before and s.verify().ok
    s.close()


def test_an_import_onto_a_full_disk_is_a_message(small_disk, tmp_path):
    db = small_disk / "log.sqlite"
    assert taskerlog("--db", str(db), "import", str(SAMPLE)).returncode == 0
    r = taskerlog("--db", str(db), "import", str(big_bundle(tmp_path / "big")))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "disk is full" in r.stderr and "Free some disk space" in r.stderr
    ok = taskerlog("--db", str(db), "verify")
    assert ok.returncode == 0 and ok.stdout.startswith("ok: 12 journal entries"), ok.stdout + ok.stderr
    assert taskerlog("--db", str(db), "entries", "--json").stdout.count('"id"') == 178


def test_a_backup_onto_a_full_disk_is_a_message_and_leaves_nothing(small_disk, tmp_path):
    """It used to end in a traceback and leave a 0-byte .partial file in a new backups/ folder."""
    db = small_disk / "log.sqlite"
    assert taskerlog("--db", str(db), "import", str(SAMPLE)).returncode == 0
    fill_up(small_disk)
    for args in ((), (str(small_disk / "copy.sqlite"),)):
        r = taskerlog("--db", str(db), "backup", *args)
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert "the backup could not be written" in r.stderr and "nothing was left there" in r.stderr
        assert "Free some space on that disk or choose another place" in r.stderr
    assert sorted(p.name for p in small_disk.iterdir() if not p.name.startswith("log.sqlite-")) == \
        ["filler", "log.sqlite"]
    (small_disk / "filler").unlink()
    assert taskerlog("--db", str(db), "verify").returncode == 0


def test_a_backup_failing_half_way_removes_its_file_and_its_new_folder(store, tmp_path):
    store.add_eq(EQPeriod.model_validate({"platform": "Outlier", "start_date": "2026-03-05"}))

    class FullDisk:
        def backup(self, target):
            target.execute("CREATE TABLE half(x)")
            target.commit()
            raise sqlite3.OperationalError("database or disk is full")

    dest = tmp_path / "new" / "backups" / "b.sqlite"
    with pytest.raises(StoreError, match=r"could not be written to .*b\.sqlite \(database or disk is full\)"):
        api.backup_to(FullDisk(), dest)
    assert not (tmp_path / "new").exists()
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "mine.txt").write_text("x")
    with pytest.raises(StoreError):
        api.backup_to(FullDisk(), tmp_path / "kept" / "b.sqlite")
    assert os.listdir(tmp_path / "kept") == ["mine.txt"]


# -- 5. reading needs no write access ------------------------------------------------------------
def _read_everything(db: Path, tmp_path: Path) -> None:
    r = taskerlog("--db", str(db), "verify")
    assert r.returncode == 0 and r.stdout.startswith("ok: "), r.stderr
    r = taskerlog("--db", str(db), "entries", "--last", "1")
    assert r.returncode == 0 and "Outlier / Jellyfish IF" in r.stdout, r.stderr
    out = tmp_path / f"export-{len(list(tmp_path.glob('export-*')))}.zip"
    r = taskerlog("--db", str(db), "export", str(out))
    assert r.returncode == 0 and "178 work" in r.stdout, r.stderr
    r = taskerlog("--db", str(db), "metrics")
    assert r.returncode == 0, r.stderr


def test_a_logbook_on_a_read_only_disk_can_be_read(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    assert taskerlog("--db", str(src / "log.sqlite"), "import", str(SAMPLE)).returncode == 0
    view = read_only_view(src, tmp_path / "ro")
    try:
        _read_everything(view / "log.sqlite", tmp_path)
        r = taskerlog("--db", str(view / "log.sqlite"), "eq", "start", "Outlier")
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert sorted(os.listdir(src)) == ["log.sqlite"]
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_a_logbook_left_open_on_a_read_only_disk_is_read_with_its_last_changes(tmp_path):
    """A -wal file left by a program that stopped without closing holds the last commits:
    the read must see them (opening it 'immutable' would not)."""
    src = tmp_path / "src"
    src.mkdir()
    assert taskerlog("--db", str(src / "log.sqlite"), "import", str(SAMPLE)).returncode == 0
    code = ("import os, sys\nfrom taskerlog.store import Store\nfrom taskerlog.model import EQPeriod\n"
            f"s = Store({str(src / 'log.sqlite')!r})\ns.conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
            "s.add_eq(EQPeriod.model_validate({'platform': 'Outlier', 'start_date': '2026-07-01', "
            "'note': 'only in the wal'}))\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    (src / "log.sqlite-shm").unlink()
    assert (src / "log.sqlite-wal").stat().st_size > 0
    view = read_only_view(src, tmp_path / "ro")
    try:
        r = taskerlog("--db", str(view / "log.sqlite"), "export", str(tmp_path / "out"))
        assert r.returncode == 0, r.stderr
        assert "only in the wal" in (tmp_path / "out" / "eq.csv").read_text()
        assert taskerlog("--db", str(view / "log.sqlite"), "verify").returncode == 0
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_a_logbook_on_a_full_disk_can_be_read(small_disk, tmp_path):
    db = small_disk / "log.sqlite"
    assert taskerlog("--db", str(db), "import", str(SAMPLE)).returncode == 0
    fill_up(small_disk)
    _read_everything(db, tmp_path)


def test_a_read_only_store_refuses_writes_and_upgrades(tmp_path):
    """Without a mount: the read-only store on a file SQLite may not write (query_only),
    and a logbook that needs an upgrade is named as such rather than read wrongly."""
    s = Store(tmp_path / "log.sqlite")
    import_path(s, SAMPLE)
    s.close()
    ro = Store(tmp_path / "log.sqlite", readonly=True)
    assert ro.verify().ok and len(ro.frames().work) == 178
    with pytest.raises(StoreError, match="can be read but not written"):
        ro.add_eq(EQPeriod.model_validate({"platform": "Outlier", "start_date": "2026-06-01"}))
    ro.close()
    assert os.listdir(tmp_path) == ["log.sqlite"]  # reading left no -wal or -shm beside it
    schema.migrations(name="m999_test_only")(lambda db: db.execute("CREATE INDEX later ON work(note)"))
    try:
        with pytest.raises(api.NeedsUpgrade, match="older taskerlog and must be upgraded"):
            Store(tmp_path / "log.sqlite", readonly=True)
        r = CliRunner().invoke(cli, ["--db", str(tmp_path / "log.sqlite"), "verify"])
        assert r.exit_code == 0, r.output  # where it can be written, reading upgrades it first
    finally:
        schema.migrations._migrations.pop()


# -- 9. leftovers of a killed backup or export -----------------------------------------------------
def test_a_killed_writer_leaves_nothing_after_the_next_run(tmp_path):
    db = tmp_path / "log.sqlite"
    assert taskerlog("--db", str(db), "import", str(SAMPLE)).returncode == 0
    for folder in ("backups", "zips", "folders"):
        (tmp_path / folder).mkdir()
    code = ("import sys, time\nfrom pathlib import Path\nfrom taskerlog.store import partial\n"
            "with partial.writing(Path(sys.argv[1]), folder=sys.argv[2] == 'folder') as tmp:\n"
            "    (tmp / 'x' if tmp.is_dir() else tmp).write_text('half')\n"
            "    print('writing', flush=True)\n    time.sleep(60)\n")
    for dest, kind in ((tmp_path / "backups" / "log-20260101T000000Z.sqlite", "file"),
                       (tmp_path / "zips" / "out.zip", "file"), (tmp_path / "folders" / "out", "folder")):
        p = subprocess.Popen([sys.executable, "-c", code, str(dest), kind], stdout=subprocess.PIPE, cwd=ROOT)
        assert p.stdout.readline() == b"writing\n"
        assert partial.sweep(dest.parent) == []  # a running writer's file is left alone
        p.send_signal(signal.SIGKILL)
        p.wait()
    assert len(leftovers(tmp_path)) == 3
    assert taskerlog("--db", str(db), "backup").returncode == 0
    assert taskerlog("--db", str(db), "export", str(tmp_path / "zips" / "again.zip")).returncode == 0
    assert taskerlog("--db", str(db), "export", str(tmp_path / "folders" / "again")).returncode == 0
    assert leftovers(tmp_path) == []


# -- 8. an import beside a program that keeps writing ---------------------------------------------
def test_an_import_beside_a_writer_that_never_stops_lands(tmp_path, monkeypatch):
    """Another program wrote between every plan and the write lock: the import planned
    again five times and then refused. Now the third plan is made holding the lock."""
    s = Store(tmp_path / "log.sqlite")
    other = Store(tmp_path / "log.sqlite")
    import_path(s, SAMPLE)
    frames, writes = s.frames, []

    def frames_then_a_write(*args, **kwargs):
        out = frames(*args, **kwargs)
        if not s.conn.in_transaction:  # the other program's write lands before this import's lock
            writes.append(other.add_eq(EQPeriod.model_validate(
                {"platform": "Outlier", "start_date": f"2027-01-{len(writes) + 1:02d}", "note": "other program"})))
        return out

    monkeypatch.setattr(s, "frames", frames_then_a_write)
    report = import_path(s, big_bundle(tmp_path / "big", n=50))
    assert len(writes) == 2 and report.tables["work"].added == 50
    assert s.verify().ok and len(s.eq_periods()) == 2 + 2
    other.close()
    s.close()


def test_imports_land_while_another_process_writes_all_the_time(tmp_path):
    db = tmp_path / "log.sqlite"
    assert taskerlog("--db", str(db), "import", str(SAMPLE)).returncode == 0
    code = ("import sys, time\nfrom taskerlog.store import Store\nfrom taskerlog.model import EQPeriod\n"
            "s = Store(sys.argv[1])\nend = time.time() + 60\ni = 0\n"
            "while time.time() < end:\n    i += 1\n"
            "    s.add_eq(EQPeriod.model_validate({'platform': 'Outlier', 'start_date': '2027-01-01', 'note': str(i)}))\n"
            "    time.sleep(0.02)\n")
    writer = subprocess.Popen([sys.executable, "-c", code, str(db)], cwd=ROOT)
    try:
        for n in (3000, 6000):
            r = taskerlog("--db", str(db), "import", str(big_bundle(tmp_path / f"big{n}", n=n)))
            assert r.returncode == 0 and "work: added 3000" in r.stdout, r.stderr
    finally:
        writer.kill()
        writer.wait()
    assert taskerlog("--db", str(db), "verify").returncode == 0
