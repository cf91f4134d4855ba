"""The store: journaled writes, verify, backups, migrations, frames, two writers at once."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from decimal import Decimal

import pandas as pd
import pytest

from taskerlog.model import EQPeriod, Logbook, Project, Rate, WorkEntry
from taskerlog.store import Store, StoreError
from taskerlog.store import api, schema
from taskerlog.timeutil import parse_instant

T = lambda s: parse_instant(s, "UTC")  # noqa: E731


def fill(store: Store) -> int:
    store.set_settings(Logbook(home_currency="USD", timezone="UTC"))
    store.add_project(Project(platform="Outlier", project="Genesis Dolphin"))
    store.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", effective_at=T("2026-03-02T09:00"), rate="35"))
    store.add_eq(EQPeriod.model_validate({"platform": "Outlier", "start_date": "2026-03-05"}))
    return store.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind="tasking",
                                    start=T("2026-03-02T09:00"), end=T("2026-03-02T12:00"), note="first"))


def test_every_write_is_journaled_and_verify_passes(store):
    wid = fill(store)
    store.update("work", wid, {"note": "fixed"}, "manual")
    store.delete("work", wid, "manual")
    result = store.verify()
    assert result.ok, result.problems
    actions = [r[0] for r in store.conn.execute("SELECT action FROM journal WHERE tbl = 'work' ORDER BY seq")]
    assert actions == ["insert", "update", "delete"]
    old, new = store.conn.execute("SELECT old, new FROM journal WHERE action = 'update'").fetchone()
    assert '"first"' in old and '"fixed"' in new


@pytest.mark.parametrize("tamper, named", [
    ("UPDATE work SET note = 'changed' WHERE id = 1", "work #1 was changed"),
    ("DELETE FROM work WHERE id = 1", "work #1 was deleted"),
    ("INSERT INTO work (platform_id, kind, start, \"end\", status, recorded_at, source)"
     " VALUES (1, 'tasking', 1, 2, 'paid', 1, 'x')", "work #2 was added"),
])
def test_editing_the_database_behind_taskerlogs_back_fails_verify(store, tamper, named):
    fill(store)
    store.conn.execute(tamper)
    result = store.verify()
    assert not result.ok
    assert named in result.problems[0].message


def test_a_rewritten_journal_entry_breaks_the_chain(store):
    fill(store)
    store.conn.execute("DROP TRIGGER journal_no_update")
    store.conn.execute("UPDATE journal SET source = 'forged' WHERE seq = 3")
    result = store.verify()
    assert not result.ok and "journal entry 3" in result.problems[0].message


def test_the_journal_refuses_updates_and_deletes(store):
    fill(store)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM journal")


def test_a_failed_write_leaves_nothing(store):
    fill(store)
    before = store.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    with pytest.raises(ValueError):
        with store.transaction():
            store.add_work(WorkEntry(platform="Outlier", kind="waiting", start=1, end=2))
            raise ValueError("boom")
    assert store.conn.execute("SELECT count(*) FROM journal").fetchone()[0] == before
    assert store.conn.execute("SELECT count(*) FROM work").fetchone()[0] == 1


def test_backup_taken_while_the_wal_holds_recent_commits_has_all_of_them(tmp_path):
    s = Store(tmp_path / "log.sqlite")
    fill(s)
    for i in range(50):
        s.add_work(WorkEntry(platform="Outlier", kind="waiting", start=1000 + i * 10, end=1005 + i * 10))
    wal = tmp_path / "log.sqlite-wal"
    assert wal.exists() and wal.stat().st_size > 0  # the commits are still in the WAL
    dest = s.backup(tmp_path / "copy.sqlite")
    copy = Store(dest)
    assert copy.conn.execute("SELECT count(*) FROM work").fetchone()[0] == 51
    assert copy.verify().ok
    assert not (tmp_path / "copy.sqlite.partial").exists()


@pytest.fixture
def old_logbook(tmp_path):
    """A logbook with one work entry, and ``upgrade(fn)``: registers ``fn`` as a test-only
    migration the logbook then needs (removed again after the test)."""
    path = tmp_path / "log.sqlite"
    with Store(path) as s:
        fill(s)
    added = []

    def upgrade(fn):
        schema.migrations(name="m999_test_only")(fn)
        added.append(fn)
        return fn

    yield path, upgrade
    for _ in added:
        schema.migrations._migrations.pop()


@contextlib.contextmanager
def _held(path):
    """Another program holding the logbook's write lock meanwhile."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _extra_table(db) -> None:
    db.execute("CREATE TABLE extra_test (id INTEGER PRIMARY KEY, recorded_at INTEGER NOT NULL,"
               " edited_at INTEGER, source TEXT NOT NULL)")


def test_a_pending_migration_backs_up_first(old_logbook, tmp_path):
    path, upgrade = old_logbook
    upgrade(_extra_table)
    Store(path).close()
    backups = list(tmp_path.glob("log.before-m999_test_only-*.sqlite"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT count(*) FROM work").fetchone()[0] == 1
    assert "extra_test" not in {r[0] for r in old.execute("SELECT name FROM sqlite_master")}


def test_two_openers_of_an_old_logbook_migrate_it_once(old_logbook, tmp_path):
    """Two windows (or the app and the command line) opening a logbook that needs a
    migration at the same moment: one backs up and migrates, the other waits and finds
    it done, instead of failing on a table that already exists."""
    path, upgrade = old_logbook
    started = threading.Event()

    @upgrade
    def m999(db):
        started.set()
        time.sleep(0.5)  # the second opener arrives meanwhile
        _extra_table(db)

    errors: list[BaseException] = []

    def open_it():
        try:
            Store(path).close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    first = threading.Thread(target=open_it)
    first.start()
    assert started.wait(10)
    open_it()
    first.join()
    assert errors == []
    assert len(list(tmp_path.glob("log.before-m999_test_only-*.sqlite"))) == 1
    with Store(path) as again:
        assert "extra_test" in again.db.table_names()
        assert again.verify().ok


def test_an_upgrade_blocked_by_another_program_says_so(old_logbook, tmp_path, monkeypatch):
    """A logbook that needs an upgrade while another program holds its write lock the
    whole wait: a sentence saying what to do, not a traceback, and nothing changed."""
    path, upgrade = old_logbook
    upgrade(_extra_table)
    monkeypatch.setattr(api, "BUSY_TIMEOUT_MS", 200)
    with _held(path), pytest.raises(StoreError, match="needs an upgrade, but another program holds it.*"
                                                      "close other taskerlog"):
        Store(path)
    assert not list(tmp_path.glob("log.before-*"))
    assert "extra_test" not in {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}


def test_a_write_blocked_by_another_program_says_so(tmp_path, monkeypatch):
    """The same for any write: another program holding the logbook's write lock the whole
    wait gives a sentence, and the entry is not half written."""
    path = tmp_path / "log.sqlite"
    Store(path).close()
    monkeypatch.setattr(api, "BUSY_TIMEOUT_MS", 200)
    s = Store(path)
    with _held(path), pytest.raises(StoreError, match="is being written by another program.*close other taskerlog"):
        fill(s)
    assert s.rows("work") == [] and s.verify().ok
    s.close()


def test_a_logbook_that_cannot_be_written_says_so(tmp_path):
    """A logbook on a read-only disk (or an immutable file) used to end in SQLite's
    'attempt to write a readonly database' traceback."""
    s = Store(tmp_path / "log.sqlite")
    fill(s)
    s.conn.execute("PRAGMA query_only = ON")  # SQLite refuses every write, as on a read-only disk
    with pytest.raises(StoreError, match="can be read but not written.*nothing was written.*Copy the logbook"):
        fill(s)
    s.conn.execute("PRAGMA query_only = OFF")
    assert len(s.rows("work")) == 1 and s.verify().ok
    s.close()


def test_frames_carry_every_value_and_nulls(store):
    wid = fill(store)
    store.add_work(WorkEntry(platform="Outlier", kind="waiting", start=T("2026-03-01T08:00"),
                             end=T("2026-03-01T09:00"), units=3, pay=Decimal("0.005"), currency="KES"))
    store.update("work", wid, {"status": "pending"}, "manual")
    w = store.frames().work
    assert list(w["kind"]) == ["waiting", "tasking"]  # by start
    assert list(w["project"]) == [None, "Genesis Dolphin"]
    assert w["units"].tolist()[0] == 3 and w["units"].isna().tolist() == [False, True]
    assert w["pay_micros"].tolist()[0] == 5000 and w["pay_micros"].isna().tolist() == [False, True]
    assert list(w["currency"]) == ["KES", None]
    assert list(w["status"]) == ["paid", "pending"]
    assert list(w["note"]) == [None, "first"]
    assert w["edited_at"].isna().tolist() == [True, False]
    light = store.frames(detail=False).work
    assert list(light["note"]) == [None, None] and list(light["kind"]) == ["waiting", "tasking"]


def test_two_writers_at_once_both_land(tmp_path):
    path = tmp_path / "log.sqlite"
    fill(Store(path))
    errors = []

    def writer(n):
        try:
            s = Store(path)
            for i in range(40):
                s.add_work(WorkEntry(platform="Outlier", kind="waiting", start=n * 100000 + i * 100,
                                     end=n * 100000 + i * 100 + 50))
        except Exception as exc:  # pragma: no cover - the assertion shows it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    s = Store(path)
    assert s.conn.execute("SELECT count(*) FROM work").fetchone()[0] == 81
    assert s.verify().ok


def test_stopping_a_clock_makes_one_entry(store):
    fill(store)
    store.clock_start("Outlier", "Genesis Dolphin", "tasking", at=T("2026-03-03T09:00"))
    with pytest.raises(StoreError, match="before it started"):
        store.clock_stop(at=T("2026-03-03T08:00"))
    wid = store.clock_stop(at=T("2026-03-03T10:30"))
    row = store.get("work", wid)
    assert row["end"] - row["start"] == 90 * 60 and row["source"] == "clock"
    assert store.running_clocks() == []


def _many_entries(store: Store, n: int) -> None:
    fill(store)
    for i in range(n):
        store.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin" if i % 3 else None,
                                 kind="tasking" if i % 2 else "assessment", start=T("2026-03-03T09:00") + 600 * i,
                                 end=T("2026-03-03T09:05") + 600 * i, pay="0.5" if i % 2 else None,
                                 units=i % 4 or None, note=f"n{i}"))
    store.update("work", 3, {"note": "edited"}, "manual")


def test_a_big_logbook_is_read_in_two_halves_with_the_same_result(store, monkeypatch):
    _many_entries(store, 40)
    one_go = store.frames()
    monkeypatch.setattr("taskerlog.store.reads._READ_IN_HALVES", 10)
    halves = []
    real = store._read_halves
    monkeypatch.setattr(store, "_read_halves", lambda sql: halves.append(r := real(sql)) or r)
    both = store.frames()
    assert len(halves) == 1 and halves[0] is not None and len(halves[0]) == 2  # it did read in halves
    pd.testing.assert_frame_equal(both.work, one_go.work)
    edited = both.work.set_index("id").loc[3]
    assert len(both.work) == 41 and edited["note"] == "edited" and not pd.isna(edited["edited_at"])


def test_the_light_read_leaves_when_recorded_blank_and_the_rest_equal(store, monkeypatch):
    _many_entries(store, 12)
    full, light = store.frames(), store.frames(detail=False)
    figures = ["id", "platform", "project", "kind", "start", "end", "units", "pay_micros", "currency", "status"]
    pd.testing.assert_frame_equal(light.work[figures], full.work[figures])
    assert light.work["recorded_at"].isna().all() and light.work["note"].isna().all()
    assert full.work["recorded_at"].notna().all()


def test_a_write_between_the_two_snapshots_means_one_read_instead(store, monkeypatch, tmp_path):
    _many_entries(store, 12)
    monkeypatch.setattr("taskerlog.store.reads._READ_IN_HALVES", 10)
    other = Store(tmp_path / "logbook.sqlite")
    real_connect = sqlite3.connect

    def connect_after_a_write(*args, **kwargs):  # the second snapshot starts after another commit
        other.add_eq(EQPeriod.model_validate({"platform": "Outlier", "start_date": "2026-04-01"}))
        return real_connect(*args, **kwargs)

    monkeypatch.setattr("taskerlog.store.reads.sqlite3.connect", connect_after_a_write)
    with store._lock:
        store.conn.execute("BEGIN")
        store.conn.execute("SELECT 1 FROM journal").fetchone()  # the caller's snapshot
        try:
            assert store._read_halves("SELECT count(*) FROM work w") is None
        finally:
            store.conn.execute("COMMIT")
    other.close()
    monkeypatch.undo()
    assert len(store.frames().work) == 13


def test_payouts_for_earlier_work_migration_backs_up_and_keeps_verify_clean(tmp_path, monkeypatch):
    """A logbook made before payouts had ``for_earlier_work``: opening it backs it up, adds
    the column (0 for every payout), and the journal still vouches for every row, except
    one already changed behind taskerlog's back, which verify keeps naming."""
    path = tmp_path / "log.sqlite"
    m006 = next(m for m in schema.migrations._migrations if m.name == "m006_payouts_for_earlier_work")
    monkeypatch.setattr(schema.migrations, "_migrations", [m for m in schema.migrations._migrations if m is not m006])
    with Store(path) as s:
        fill(s)
        assert "for_earlier_work" not in s.columns("payouts")
        cols = ["platform_id", "paid_at", "amount_micros", "currency", "fee_micros", "method",
                "received_amount_micros", "received_currency", "reference", "note"]
        pid = s.platform_id("Outlier")
        s.insert_many("payouts", cols, [(pid, T("2026-03-09T10:00"), 105_000_000, "USD", 0, *[None] * 5),
                                        (pid, T("2026-03-16T10:00"), 80_000_000, "USD", 0, *[None] * 5)], "manual")
        assert s.verify().ok
    tampered = sqlite3.connect(path)
    tampered.execute("UPDATE payouts SET amount_micros = 999000000 WHERE id = 2")
    tampered.commit()
    tampered.close()
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations, m006])
    with Store(path) as s:
        assert s.columns("payouts")[-1] == "for_earlier_work"
        assert [r["for_earlier_work"] for r in s.rows("payouts")] == [0, 0]
        assert [p.message for p in s.verify().problems] == ["payouts #2 was changed outside taskerlog"]
        last = s.journal_entries("payouts")[-1]
        assert last["source"] == "migration:m006_payouts_for_earlier_work" and [r[0] for r in last["rows"]] == [1]
        # new payouts are journaled with the new column
        from taskerlog.model import Payout
        s.add_payout(Payout(platform="Outlier", paid_at=T("2026-03-20T10:00"), amount="50", currency="USD",
                            for_earlier_work="yes"))
        assert [p.message for p in s.verify().problems] == ["payouts #2 was changed outside taskerlog"]
        assert s.frames().payouts["for_earlier_work"].tolist() == [0, 0, 1]
    backups = list(tmp_path.glob("log.before-m006_payouts_for_earlier_work-*.sqlite"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert "for_earlier_work" not in [r[1] for r in old.execute("PRAGMA table_info(payouts)")]


def test_restore_reads_a_backup_whose_name_holds_uri_characters_and_refuses_a_database_that_is_no_logbook(tmp_path):
    """``back#1.sqlite`` is that file (as a bare ``file:`` address it was a new, empty
    ``back`` that then replaced the logbook); an SQLite file without a logbook is refused."""
    src = Store(tmp_path / "logbook.sqlite")
    src.set_settings(Logbook(home_currency="KES", timezone="Africa/Nairobi"))
    src.backup(tmp_path / "back#1.sqlite")
    src.close()
    other = Store(tmp_path / "other.sqlite")
    other.restore_from(tmp_path / "back#1.sqlite")
    assert other.settings().home_currency == "KES" and not (tmp_path / "back").exists()
    sqlite3.connect(tmp_path / "empty.sqlite").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StoreError, match="not a taskerlog backup"):
        other.restore_from(tmp_path / "empty.sqlite")
    assert other.settings().home_currency == "KES"
    other.close()
