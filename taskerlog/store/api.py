"""The store: one SQLite file, opened safely, written only through journaled calls.

Every connection runs with WAL, ``synchronous=FULL``, foreign keys on and a busy
timeout. Every write is a transaction (``BEGIN IMMEDIATE``, so two writers queue rather
than deadlock) and appends to the journal in that same transaction. Before a migration
touches an existing logbook, a verified backup is taken.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlite_utils import Database

from .. import money, timeutil
from ..model import (
    EQPeriod, Expense, FxRate, Logbook, Payout, Project, Rate, WorkEntry, applies_to_text,
    home_rate_problem,
)
from .schema import DATA_TABLES, migrations
from .reads import Reads
from .writes import Writes
from .backup import Backups, backup_to
from .connection import (  # noqa: F401 (some re-exported: callers import them from here)
    BUSY_TIMEOUT_MS, ENV_VAR, SAMPLE_MARK, NeedsUpgrade, StoreError, _connect, _connect_readonly, _unwritable,
    default_db_path, is_sample_path,
)
from .verify import Verify


class Store(Verify, Backups, Writes, Reads):
    """A logbook on disk. Thread-safe for use from several Streamlit sessions.

    ``readonly``: open an existing logbook only to read it; it works on a read-only or
    full disk and never writes (a write raises StoreError). A logbook that needs an upgrade
    raises NeedsUpgrade instead, since the upgrade writes.
    """

    def __init__(self, path: str | Path | None = None, *, now: Callable[[], int] = timeutil.now_epoch,
                 readonly: bool = False):
        self.path = Path(path) if path is not None else default_db_path()
        self.now = now
        self.readonly = readonly
        self._tmp: Path | None = None
        """Where a read-only logbook was copied to be read (see _connect_readonly), or None."""
        self._ro_uri = f"{self.path.resolve().as_uri()}?mode=ro" if str(self.path) != ":memory:" else ""
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tidy = readonly and not any(Path(f"{self.path}{side}").exists() for side in ("-wal", "-shm"))
        """Read-only, and SQLite's side files were not there: remove those reading made, on close."""
        try:
            if readonly:
                self.conn, self._ro_uri, self._tmp = _connect_readonly(self.path)
            else:
                self.conn = _connect(self.path)
        except OSError as exc:
            raise StoreError(f"{self.path} cannot be read ({exc.strerror or exc})") from exc
        except sqlite3.DatabaseError as exc:
            if readonly:
                raise StoreError(f"{self.path} cannot be read ({exc}): check that it is a taskerlog logbook "
                                 "and that you may read it") from exc
            if "unable to open" in str(exc):
                raise StoreError(f"{self.path} cannot be opened or created ({exc}): check that its folder exists "
                                 "and that you may write to it") from exc
            refused = _unwritable(self.path, exc) if isinstance(exc, sqlite3.OperationalError) else None
            raise refused or StoreError(f"{self.path} is not a taskerlog logbook ({exc})") from exc
        self.db = Database(self.conn)
        self._lock = threading.RLock()
        self._depth = 0
        self._bulk: set[str] | None = None
        """In a bulk transaction: the tables edited or deleted from so far."""
        self._columns: dict[str, list[str]] = {}
        self._refs: dict[str, list[tuple[str, str, str]]] = {}
        if readonly:
            if migrations.pending(self.db):
                self.close()
                raise NeedsUpgrade(f"{self.path} was written by an older taskerlog and must be upgraded before it "
                                   "can be read; the upgrade writes to it")
        else:
            self._migrate()

    # -- lifecycle ---------------------------------------------------------------
    def _migrate(self) -> None:
        if not migrations.pending(self.db):
            return
        with self._lock:
            # Another process (a second window, the command line) may be opening the same
            # logbook: take the write lock, then look again, so that exactly one of them
            # backs up and migrates and the others find it done.
            self._begin(f"{self.path} needs an upgrade, but another program holds it")
            try:
                pending = migrations.pending(self.db)
                if pending and self.db.table_names():
                    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
                    # read through a second connection: SQLite's backup cannot read from one
                    # that holds the write lock
                    source = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
                    try:
                        backup_to(source, self.path.with_name(
                            f"{self.path.stem}.before-{pending[0].name}-{stamp}{self.path.suffix or '.sqlite'}"))
                    finally:
                        source.close()
                if pending:
                    migrations.apply(self.db)  # each migration a savepoint inside this transaction
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _begin(self, busy: str) -> None:
        """Take the write lock (BEGIN IMMEDIATE), waiting up to BUSY_TIMEOUT_MS for another
        program's write to end; if it never does, a StoreError that says ``busy`` and what to do."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise _unwritable(self.path, exc) or exc
            raise StoreError(f"{busy} ({exc}); close other taskerlog windows and commands, then try again") from exc

    def close(self) -> None:
        self.conn.close()
        if self._tidy and self._tmp is None and self._ro_uri.endswith("mode=ro"):
            # a read-only connection leaves the -wal and -shm files it made; the last
            # connection that may write removes them on close (SQLite checks that it is the
            # last), as a write's would. Where that cannot be (a full disk), they stay.
            self._tidy = False
            with contextlib.suppress(sqlite3.Error):
                tidy = sqlite3.connect(str(self.path))
                try:
                    tidy.execute("SELECT count(*) FROM sqlite_master").fetchone()
                finally:
                    tidy.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


    # -- transactions ------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[Store]:
        """All writes inside commit together or not at all. Nested calls are savepoints.

        ``bulk``: for a large import. SQLite's per-row foreign-key lookups are switched
        off for the transaction and the store checks the same constraints set-wise
        instead: each ``insert_columns`` looks up every distinct id its rows refer to once,
        before inserting, and a table edited or deleted from is checked (with the tables
        that refer to it) before COMMIT. Any violation rolls everything back, as SQLite's own check would.
        Only an outermost transaction can be bulk (SQLite cannot switch foreign keys
        inside one); nested, the flag changes nothing.
        """
        with self._lock:
            if self._depth == 0:
                if bulk:
                    self.conn.execute("PRAGMA foreign_keys = OFF")
                    self._bulk = set()
                try:
                    self._begin(f"{self.path} is being written by another program")
                    self._depth += 1
                    try:
                        yield self
                        if self._bulk:
                            self._check_references(self._bulk)
                        self.conn.execute("COMMIT")
                    except BaseException as exc:
                        if self.conn.in_transaction:
                            self.conn.execute("ROLLBACK")
                        if isinstance(exc, sqlite3.OperationalError):
                            raise _unwritable(self.path, exc) or exc
                        raise
                    finally:
                        self._depth -= 1
                finally:
                    if bulk:
                        self._bulk = None
                        self.conn.execute("PRAGMA foreign_keys = ON")
            else:
                name = f"sp{self._depth}"
                self.conn.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self
                except BaseException:
                    # on SQLITE_FULL (and a few other errors) SQLite has already rolled the
                    # whole transaction back, savepoints included: the outer level reports it
                    if self.conn.in_transaction:
                        self.conn.execute(f"ROLLBACK TO {name}")
                        self.conn.execute(f"RELEASE {name}")
                    raise
                else:
                    self.conn.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1


    def columns(self, table: str) -> list[str]:
        """The table's columns except ``id``, in schema order (the journal's ``cols``)."""
        if table not in self._columns:
            if table not in DATA_TABLES and table not in self.extra_tables():
                raise StoreError(f"unknown table {table}")
            info = self.conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            self._columns[table] = [r[1] for r in info if r[1] != "id"]
        return self._columns[table]

    def extra_tables(self) -> set[str]:
        """Data tables added by later features' migrations (journaled the same way)."""
        return {t for t in self.db.table_names()
                if t not in DATA_TABLES and t != "journal" and not t.startswith("_")}


    def set_settings(self, logbook: Logbook, source: str = "manual") -> None:
        """Save every setting (validated by :class:`Logbook`)."""
        values = {
            "home_currency": logbook.home_currency,
            "timezone": logbook.timezone,
            "reference_wage": None if logbook.reference_wage is None else str(logbook.reference_wage),
            "reference_currency": logbook.reference_currency,
            "reference_label": logbook.reference_label,
        }
        with self.transaction():
            existing = {k: i for i, k in self.conn.execute("SELECT id, key FROM settings")}
            for key, value in values.items():
                if key in existing:
                    self.update("settings", existing[key], {"value": value}, source)
                else:
                    self.insert("settings", {"key": key, "value": value}, source)


    def platform_id(self, name: str, *, create: bool = True, source: str = "manual") -> int | None:
        name = name.strip()
        row = self.conn.execute("SELECT id FROM platforms WHERE name = ?", (name,)).fetchone()
        if row:
            return row[0]
        if not create:
            return None
        if not name:
            raise StoreError("a platform name is needed")
        return self.insert("platforms", {"name": name}, source)


    # -- records in ------------------------------------------------------------------
    def add_project(self, p: Project, source: str = "manual") -> int:
        with self.transaction():
            if self.project_row(p.platform, p.project):
                raise StoreError(f"{p.platform} already has a project called '{p.project}'")
            return self.insert("projects", project_values(p, self.platform_id(p.platform, source=source)), source)

    def add_rate(self, r: Rate, source: str = "manual") -> int:
        with self.transaction():
            pid = self.project_id(r.platform, r.project)
            return self.insert("rates", rate_values(r, pid), source)

    def add_work(self, w: WorkEntry, source: str = "manual") -> int:
        with self.transaction():
            pid = self.project_id(w.platform, w.project)
            return self.insert("work", work_values(w, self.platform_id(w.platform, source=source), pid), source)

    def add_eq(self, e: EQPeriod, source: str = "manual") -> int:
        with self.transaction():
            return self.insert("eq", eq_values(e, self.platform_id(e.platform, source=source)), source)


    def add_payout(self, p: Payout, source: str = "manual") -> int:
        with self.transaction():
            return self.insert("payouts", payout_values(p, self.platform_id(p.platform, source=source)), source)

    def add_expense(self, e: Expense, source: str = "manual") -> int:
        with self.transaction():
            pid = self.platform_id(e.platform, source=source) if e.platform else None
            return self.insert("expenses", expense_values(e, pid), source)

    def add_fx(self, f: FxRate, source: str = "manual") -> int:
        problem = home_rate_problem(f.currency, f.rate, self.settings().home_currency)
        if problem:
            raise StoreError(problem)
        with self.transaction():
            row = self.conn.execute("SELECT id, rate FROM fx WHERE date = ? AND currency = ?",
                                    (f.date.isoformat(), f.currency)).fetchone()
            if row:
                if Decimal(row[1]) != f.rate:
                    self.update("fx", row[0], {"rate": str(f.rate)}, source)
                return row[0]
            return self.insert("fx", fx_values(f), source)

    # -- the running clock -----------------------------------------------------------
    def clock_start(self, platform: str, project: str | None, kind: str, note: str | None = None,
                    at: int | None = None, source: str = "clock") -> int:
        """Start a clock; it lives in the logbook, so it survives a closed tab or a reboot."""
        at = self.now() if at is None else at
        with self.transaction():
            pid = self.project_id(platform, project)
            fid = self.platform_id(platform, source=source)
            return self.insert("clock", {"platform_id": fid, "project_id": pid, "kind": kind,
                                         "started_at": at, "note": note}, source)


    def clock_stop(self, clock_id: int | None = None, at: int | None = None, *, units: int | None = None,
                   pay: Decimal | None = None, status: str | None = None, note: str | None = None,
                   source: str = "clock") -> int:
        """Stop a running clock (the only one, or ``clock_id``) and save it as a work entry."""
        at = self.now() if at is None else at
        with self.transaction():
            clocks = self.running_clocks()
            if not clocks:
                raise StoreError("no clock is running")
            if clock_id is None:
                if len(clocks) > 1:
                    raise StoreError("several clocks are running; say which one to stop")
                clock = clocks[0]
            else:
                matches = [c for c in clocks if c["id"] == clock_id]
                if not matches:
                    raise StoreError(f"clock #{clock_id} is not running")
                clock = matches[0]
            if at <= clock["started_at"]:
                raise StoreError("the clock would stop before it started")
            entry = WorkEntry(platform=clock["platform"], project=clock["project"], kind=clock["kind"],
                              start=clock["started_at"], end=at, units=units, pay=pay, status=status,
                              note=note if note is not None else clock["note"])
            self.delete("clock", clock["id"], source)
            return self.add_work(entry, source)


# -- record → row values (shared by single writes and bulk import) -----------------------
def _m(d: Decimal | None) -> int | None:
    return None if d is None else money.to_micros(d)


def _d(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def project_values(p: Project, platform_id: int) -> dict[str, Any]:
    return {"platform_id": platform_id, "name": p.project, "pay_model": p.pay_model, "currency": p.currency,
            "advertised_rate_micros": _m(p.advertised_rate), "started_on": _d(p.started_on),
            "ended_on": _d(p.ended_on), "end_reason": p.end_reason, "notes": p.notes}


def rate_values(r: Rate, project_id: int) -> dict[str, Any]:
    return {"project_id": project_id, "effective_at": r.effective_at, "rate_micros": money.to_micros(r.rate),
            "unit": r.unit, "currency": r.currency, "applies_to": applies_to_text(r.applies_to), "note": r.note}


def work_values(w: WorkEntry, platform_id: int, project_id: int | None) -> dict[str, Any]:
    return {"platform_id": platform_id, "project_id": project_id, "kind": w.kind, "start": w.start, "end": w.end,
            "units": w.units, "pay_micros": _m(w.pay), "currency": w.currency, "status": w.status,
            "external_id": w.external_id, "note": w.note}


def eq_values(e: EQPeriod, platform_id: int) -> dict[str, Any]:
    return {"platform_id": platform_id, "start_date": _d(e.start_date), "end_date": _d(e.end_date), "note": e.note}


def payout_values(p: Payout, platform_id: int) -> dict[str, Any]:
    return {"platform_id": platform_id, "paid_at": p.paid_at, "amount_micros": money.to_micros(p.amount),
            "currency": p.currency, "fee_micros": money.to_micros(p.fee or Decimal(0)), "method": p.method,
            "received_amount_micros": _m(p.received_amount), "received_currency": p.received_currency,
            "reference": p.reference, "note": p.note, "for_earlier_work": int(p.for_earlier_work)}


def expense_values(e: Expense, platform_id: int | None) -> dict[str, Any]:
    return {"date": _d(e.date), "category": e.category, "amount_micros": money.to_micros(e.amount),
            "currency": e.currency, "platform_id": platform_id, "note": e.note}


def fx_values(f: FxRate) -> dict[str, Any]:
    return {"date": _d(f.date), "currency": f.currency, "rate": str(f.rate)}
