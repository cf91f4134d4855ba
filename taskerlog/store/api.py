"""The Store: one logbook file, opened, upgraded, and written in transactions.

This file holds what the Store is: opening the file (and upgrading it, after a verified
backup, when a migration is pending), closing it, and transactions (``BEGIN IMMEDIATE``,
so two writers queue rather than deadlock; nested calls are savepoints). Everything else
the Store does lives in one file a job, mixed into :class:`Store`:

=====================  ==========================================================
store/connection.py    opening the file: WAL, ``synchronous=FULL``, read-only disks, errors
store/schema.py        the tables and the migrations
store/writes.py        journaled insert / update / delete (every write appends to the journal)
store/recording.py     records in: ``add_project``, ``add_work`` ... and ``*_values``
store/reads.py         rows, settings, names, journal entries, ``frames()`` for the figures
store/verify.py        ``verify``: the hash chain and every row against the journal
store/backup.py        ``backup`` / ``restore_from``
store/journal.py       the journal's hashing (pure)
=====================  ==========================================================

Every name callers imported from here before the split still imports from here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Callable, Iterator

from .. import timeutil
from .backup import Backups, backup_to
from .connection import (  # noqa: F401 (some re-exported: callers import them from here)
    BUSY_TIMEOUT_MS, ENV_VAR, SAMPLE_MARK, NeedsUpgrade, StoreError, _connect, _connect_readonly, _unwritable,
    default_db_path, is_sample_path,
)
from .reads import Reads
from .recording import (  # noqa: F401 (re-exported: callers import them from here)
    Recording, eq_values, expense_values, fx_values, payout_values, project_values, rate_values, work_values,
)
from .schema import DATA_TABLES, migrations
from .verify import Verify
from .writes import Writes


class Store(Verify, Backups, Writes, Reads, Recording):
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
        self._lock = threading.RLock()
        self._depth = 0
        self._bulk: set[str] | None = None
        """In a bulk transaction: the tables edited or deleted from so far."""
        self._columns: dict[str, list[str]] = {}
        self._refs: dict[str, list[tuple[str, str, str]]] = {}
        if readonly:
            if migrations.pending(self.conn):
                self.close()
                raise NeedsUpgrade(f"{self.path} was written by an older taskerlog and must be upgraded before it "
                                   "can be read; the upgrade writes to it")
        else:
            self._migrate()

    # -- lifecycle ---------------------------------------------------------------
    def _migrate(self) -> None:
        if not migrations.pending(self.conn):
            return
        with self._lock:
            # Another process (a second window, the command line) may be opening the same
            # logbook: take the write lock, then look again, so that exactly one of them
            # backs up and migrates and the others find it done.
            self._begin(f"{self.path} needs an upgrade, but another program holds it")
            try:
                pending = migrations.pending(self.conn)
                if pending and self.table_names():
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
                    migrations.apply(self.conn)  # each migration a savepoint inside this transaction
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

    @functools.cached_property
    def db(self):
        """sqlite-utils' view of the logbook, for code that wants it (imported on first use: it
        brings pandas with it)."""
        from sqlite_utils import Database

        return Database(self.conn)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def extra_tables(self) -> set[str]:
        """Data tables added by later features' migrations (journaled the same way)."""
        return {t for t in self.table_names()
                if t not in DATA_TABLES and t != "journal" and not t.startswith("_")}


