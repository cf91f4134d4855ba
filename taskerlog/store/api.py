"""The store: one SQLite file, opened safely, written only through journaled calls.

Every connection runs with WAL, ``synchronous=FULL``, foreign keys on and a busy
timeout. Every write is a transaction (``BEGIN IMMEDIATE``, so two writers queue rather
than deadlock) and appends to the journal in that same transaction. Before a migration
touches an existing logbook, a verified backup is taken.
"""

from __future__ import annotations

import contextlib
import functools
import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import platformdirs
from sqlite_utils import Database

from .. import money, timeutil
from ..frames import WORK_COLUMNS, LogbookFrames
from ..model import (
    KINDS, STATUSES, EQPeriod, Expense, FxRate, Logbook, Payout, Project, Rate, WorkEntry, applies_to_text,
    home_rate_problem,
)
from . import journal as jr
from . import partial
from .schema import DATA_TABLES, migrations

# Python's sqlite3 (3.11) binds int, float, str and bytes straight away, but sends every
# None through its adapter protocol first: two failed attribute lookups, each formatting
# an AttributeError, about 3,000 instructions a value. An import of 10k work entries binds
# some 20,000 of them (blank notes, task ids, units), about a tenth of its instructions
# (callgrind). With an adapter registered for None, sqlite3 finds it in its table and binds
# the None it returns as NULL, as before; executemany of 10k rows with two Nones each is a
# third quicker (docs/performance.md). The table is process-wide; this entry only gives
# None the meaning it already had.
sqlite3.register_adapter(type(None), {}.get)  # None → None, in C (a lambda: a Python call per value)

ENV_VAR = "TASKERLOG_DB"
_DEFER_INDEXES = 5_000
"""A batch of at least this many rows, and at least as many as the table holds, is
inserted before the table's indexes are built again (one sort instead of a B-tree update
per row: 10k rows into an empty table take 40 ms instead of 75)."""
_WRITE_BATCH = 20_000
"""Rows ``insert_columns`` turns into Python values (and hashes) at a time: memory stays a
few MB however many rows one import adds, and the one transaction and journal entry are
the same."""
_READ_IN_HALVES = 200_000
"""Work entries from which ``frames()`` reads the table in two halves at once, one per core."""
_VERIFY_BATCH = 100_000
"""Rows ``verify`` reads and hashes at a time."""


class StoreError(Exception):
    """A problem with the logbook file or a write; the message is for a worker."""


def default_db_path() -> Path:
    """``$TASKERLOG_DB`` if set, else ``logbook.sqlite`` in the user's data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("taskerlog", appauthor=False)) / "logbook.sqlite"


BUSY_TIMEOUT_MS = 30_000
"""How long a connection waits for another one's write lock before giving up."""


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal" and str(path) != ":memory:":
        raise StoreError(f"could not switch {path} to write-ahead logging (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _connect_readonly(path: Path) -> tuple[sqlite3.Connection, str, Path | None]:
    """Open a logbook only to read it, on a disk that may be read-only or full.

    → (connection, URI a second read-only connection can use, a temporary folder to remove
    on close). SQLite's ``mode=ro`` needs the WAL's side files to exist or be creatable;
    where they cannot be, a logbook without a ``-wal`` file is opened ``immutable`` (nothing
    is written there, so nothing else writes it either), and one with a ``-wal`` file (left
    by a program that stopped without closing it) is copied with that file to a temporary
    folder and read there, so no recorded change is missed. Every connection is
    ``query_only``: a write is refused as on a read-only disk.
    """
    uri = path.resolve().as_uri()
    wal = Path(f"{path}-wal")
    tries = [f"{uri}?mode=ro"]
    if not (wal.exists() and wal.stat().st_size):
        tries.append(f"{uri}?immutable=1")
    for target in tries:
        try:
            conn = sqlite3.connect(target, uri=True, check_same_thread=False)
        except sqlite3.OperationalError:
            continue
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            continue
        conn.execute("PRAGMA query_only = ON")
        return conn, target, None
    tmp = Path(tempfile.mkdtemp(prefix="taskerlog-read-"))
    try:
        copy = tmp / path.name
        shutil.copyfile(path, copy)
        if wal.exists():
            shutil.copyfile(wal, f"{copy}-wal")
        conn = sqlite3.connect(str(copy), check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return conn, f"{copy.as_uri()}?mode=ro", tmp


def _unwritable(path: Path, exc: sqlite3.OperationalError) -> StoreError | None:
    """SQLite's word for a logbook it may read but not write, as a sentence (None: another error)."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path} can be read but not written (the file or its folder is read-only, or on a "
                          "read-only disk); nothing was written. Copy the logbook somewhere you can write "
                          "and use --db with the copy")
    if "disk is full" in text or "disk I/O error" in text:
        return StoreError(f"{path} could not be written ({text}); nothing was written. Free some disk space "
                          "or check the disk, then try again")
    return None


SAMPLE_MARK = ".SAMPLE-"
"""In the file name of a sample person's logbook (``<mine>.SAMPLE-<label>.sqlite``): what it
shows is not a real worker's record, and reports made from it say so on every page."""


def is_sample_path(path: str | Path) -> bool:
    return SAMPLE_MARK in Path(path).name


def backup_to(conn: sqlite3.Connection, dest: Path) -> Path:
    """Copy a live database with SQLite's backup API, integrity-check it, rename into place.

    On failure (a full disk, a folder that cannot be written) nothing is left behind, not
    even a folder this call made, and the StoreError says what happened and what to do.
    """
    dest = Path(dest)
    made = [p for p in (dest.parent, *dest.parent.parents) if not p.exists()]
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with partial.writing(dest) as tmp:
            target = sqlite3.connect(str(tmp))
            try:
                conn.backup(target)
                result = target.execute("PRAGMA integrity_check").fetchone()[0]
                if result != "ok":
                    raise StoreError(f"the backup failed its integrity check: {result}")
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
    except (sqlite3.Error, OSError) as exc:
        for folder in made:  # innermost first; one holding something else stays
            with contextlib.suppress(OSError):
                folder.rmdir()
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(f"the backup could not be written to {dest} ({why}); nothing was left there and the "
                         "logbook is unchanged. Free some space on that disk or choose another place "
                         "(taskerlog backup PATH), then try again") from exc
    return dest


class _Background:
    """Run SQL statements on ``conn`` in a helper thread while the caller does Python work
    that does not touch ``conn`` (SQLite releases the GIL for each statement, so the two
    use both cores). ``result()`` re-raises what the statements raised, else returns each
    statement's first row."""

    def __init__(self, conn: sqlite3.Connection, statements: Sequence[str | tuple[str, tuple]]):
        self.conn = conn
        self.statements = [(s, ()) if isinstance(s, str) else s for s in statements]
        self.rows: list[tuple | None] = []
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def _run(self) -> None:
        try:
            for sql, params in self.statements:
                self.rows.append(self.conn.execute(sql, params).fetchone())
        except BaseException as exc:  # handed to the caller's thread by result()
            self.error = exc

    def __enter__(self) -> _Background:
        if self.statements:
            self.thread = threading.Thread(target=self._run, name="taskerlog-sql", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.thread is not None:
            self.thread.join()

    def result(self) -> list[tuple | None]:
        if self.error is not None:
            raise self.error
        return self.rows


def _values(column: Any, lo: int, size: int) -> list:
    """Rows ``lo`` .. ``lo + size`` of a column (a pyarrow array or a list) as Python values."""
    part = column[lo:lo + size]
    return part.to_pylist() if isinstance(part, (pa.Array, pa.ChunkedArray)) else part


def _locked(method):
    """Run a read on the shared connection under the store's lock (sessions share one Store)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class NeedsUpgrade(StoreError):
    """A logbook opened only to read was written by an older taskerlog and must be upgraded first."""


class Store:
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

    def backup(self, dest: str | Path | None = None) -> Path:
        """A consistent copy of the logbook (including WAL commits), integrity-checked."""
        if dest is None:
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            dest = self.path.parent / "backups" / f"{self.path.stem}-{stamp}.sqlite"
        with self._lock:
            return backup_to(self.conn, Path(dest))

    def restore_from(self, backup: str | Path) -> None:
        """Replace this logbook's content by a backup file's, through SQLite's backup API (safe with
        the live WAL); the backup is opened read-only and integrity-checked first."""
        backup = Path(backup)
        try:
            # as a file: URI, so a name with # ? or % is that file (not a new, empty one)
            src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
            try:
                result = src.execute("PRAGMA integrity_check").fetchone()[0]
                if result != "ok":
                    raise StoreError(f"{backup} failed its integrity check ({result}); choose another backup")
                tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not {"work", "journal"} <= tables:
                    raise StoreError(f"{backup} is not a taskerlog backup (it holds no logbook); choose a file "
                                     "made by taskerlog backup")
                with self._lock:
                    src.backup(self.conn)
            finally:
                src.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{backup} is not a taskerlog backup ({exc}); choose a file made by taskerlog backup") from exc

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

    def _references(self, table: str) -> list[tuple[str, str, str]]:
        """The table's foreign keys: (column, parent table, parent column); read once, like
        :meth:`columns` (the schema changes only in migrations, when the store opens)."""
        if table not in self._refs:
            self._refs[table] = [(r[3], r[2], r[4] or "id")
                                 for r in self.conn.execute(f'PRAGMA foreign_key_list("{table}")')]
        return self._refs[table]

    def _check_new_references(self, table: str, values: dict[str, Any]) -> None:
        """In a bulk transaction: every value about to go into a foreign-key column of
        ``table`` names a row that exists (checked once per distinct value)."""
        for col, parent, parent_col in self._references(table):
            column = values.get(col)
            if column is None:
                continue
            if isinstance(column, (pa.Array, pa.ChunkedArray)):
                distinct = pc.unique(column).drop_null().to_pylist()
            else:
                distinct = list({v for v in column if v is not None})
            for lo in range(0, len(distinct), 500):
                part = distinct[lo:lo + 500]
                found = {r[0] for r in self.conn.execute(
                    f'SELECT "{parent_col}" FROM "{parent}" WHERE "{parent_col}" IN ({",".join("?" * len(part))})',
                    part)}
                missing = [v for v in part if v not in found]
                if missing:
                    raise StoreError(f"could not save to {table}: FOREIGN KEY constraint failed "
                                     f"({col} {missing[0]!r} is not in {parent})")

    def _check_references(self, edited: set[str]) -> None:
        """Before a bulk transaction commits: the tables edited or deleted from, and the
        tables that refer to them, hold no dangling reference."""
        tables = set(edited)
        for t in set(DATA_TABLES) | self.extra_tables():
            if any(parent in edited for _c, parent, _pc in self._references(t)):
                tables.add(t)
        for t in sorted(tables):
            found = self.conn.execute(f'PRAGMA foreign_key_check("{t}")').fetchone()
            if found is not None:
                raise StoreError(f"could not save to {t}: FOREIGN KEY constraint failed (row {found[1]})")

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

    # -- journaled writes --------------------------------------------------------
    def _append_journal(self, tbl: str, action: str, source: str, ids: Sequence[int],
                        hashes: Sequence[bytes] | bytes, old: str | None, new: str | None, at: int) -> None:
        head = self.conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (head[0] + 1, head[1]) if head else (1, jr.GENESIS)
        cols = ",".join(self.columns(tbl))
        rows = jr.pack_rows(ids, hashes)
        fmt = jr.ROW_FORMAT
        h = jr.entry_hash(prev, seq, at, tbl, action, source, cols, len(ids), rows, old, new, fmt)
        self.conn.execute(
            "INSERT INTO journal (seq, recorded_at, tbl, action, source, cols, row_count, rows, old, new, prev_hash,"
            " hash, row_format) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (seq, at, tbl, action, source, cols, len(ids), rows, old, new, prev, h, fmt),
        )

    def insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                    source: str, *, journal_values: bool = False) -> list[int]:
        """Insert rows (values for ``columns``; ``recorded_at``/``source`` are filled in).

        One journal entry covers them all. Values must be Python ints, strs or None.
        """
        rows = list(rows)
        by_col = [list(c) for c in zip(*rows)] if rows else [[] for _ in columns]
        return list(self.insert_columns(table, dict(zip(columns, by_col)), source, journal_values=journal_values,
                                        count=len(rows)))

    def insert_columns(self, table: str, values: dict[str, Any], source: str, *,
                       journal_values: bool = False, count: int | None = None) -> range:
        """Insert rows given column by column: ``{column: values}``, each a list of Python
        ints/strs/None or a pyarrow array (nulls stored as NULL) of the same length.

        ``recorded_at``, ``edited_at`` and ``source`` are filled in. One journal entry
        covers every row, with each row's hash (format 2, computed a column at a time).
        A large batch (see ``_DEFER_INDEXES``) is written before the table's indexes are
        built again (SQLite sorts once instead of updating the index row by row), all
        inside the same transaction. Returns the new rows' ids.
        """
        cols = self.columns(table)
        given = list(values)
        missing = [c for c in given if c not in cols]
        if missing:
            raise StoreError(f"{table} has no column {', '.join(missing)}")
        at = self.now()
        fixed = {"recorded_at": at, "source": source, "edited_at": None}
        free = [c for c in cols if c not in fixed or c in given]
        if sorted(free) != sorted(given):
            raise StoreError(f"{table} needs values for {', '.join(c for c in free if c not in given)}")
        arrays = [values[c] for c in free]  # in the table's column order
        n = count if count is not None else (len(arrays[0]) if arrays else 0)
        if any(len(a) != n for a in arrays):
            raise StoreError(f"{table}: the columns given have different lengths")
        if n == 0:
            return range(0)
        with self.transaction():
            start_id = (self.conn.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0] or 0) + 1
            ids = range(start_id, start_id + n)
            # the values every row shares go into the statement once: binding them per row
            # was a quarter of executemany's time
            placeholders = ",".join("?" if c in given else _sql_literal(fixed[c]) for c in cols)
            colsql = ",".join(f'"{c}"' for c in cols)
            if self._bulk is not None:
                self._check_new_references(table, values)
            deferred = []
            if n >= _DEFER_INDEXES and n >= self.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]:
                deferred = self._drop_indexes(table)
            sql = f'INSERT INTO "{table}" ({colsql}) VALUES ({placeholders})'
            first_row = None
            try:
                # SQLite gives a rowid table max(id)+1 for each new row; inside this
                # transaction nobody else writes, so the ids are start_id, start_id+1, ...
                # A batch at a time as Python values: all the rows at once took some
                # 400 bytes a row (a 480 MiB work.csv needed gigabytes)
                for lo in range(0, n, _WRITE_BATCH):
                    lists = [_values(a, lo, _WRITE_BATCH) for a in arrays]
                    if first_row is None:
                        first_row = [c[0] for c in lists]
                    self.conn.executemany(sql, zip(*lists) if len(lists) > 1 else ((v,) for v in lists[0]))
                del lists
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"could not save to {table}: {exc}") from exc
            # SQLite builds the indexes without holding the GIL: hash the rows meanwhile
            with _Background(self.conn, deferred) as building:
                hashes = b"".join(jr.row_hashes([values[c][lo:lo + _WRITE_BATCH] if c in given else jr.Same(fixed[c])
                                                  for c in cols], min(_WRITE_BATCH, n - lo))
                                  for lo in range(0, n, _WRITE_BATCH))
            try:
                building.result()
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"could not save to {table}: {exc}") from exc
            last = self.conn.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]
            if last != ids[-1]:
                raise StoreError(f"{table}: row ids were not assigned in order (got {last}, expected {ids[-1]})")
            new = None
            if journal_values or n == 1:
                first = dict(zip(free, first_row))
                new = json.dumps({c: first[c] if c in given else fixed[c] for c in cols}, sort_keys=True)
            self._append_journal(table, "insert", source, ids, hashes, None, new, at)
        return ids

    def _drop_indexes(self, table: str) -> list[str]:
        """Drop the table's own indexes (inside the caller's transaction); → the SQL that
        builds them again."""
        found = self.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                                  " AND sql IS NOT NULL", (table,)).fetchall()
        for name, _sql in found:
            self.conn.execute(f'DROP INDEX "{name}"')
        return [sql for _name, sql in found]

    def insert(self, table: str, values: dict[str, Any], source: str) -> int:
        return self.insert_many(table, list(values), [tuple(values.values())], source)[0]

    @_locked
    def get(self, table: str, row_id: int) -> dict[str, Any] | None:
        cur = self.conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def update(self, table: str, row_id: int, changes: dict[str, Any], source: str) -> None:
        """Change some fields of one row; the journal keeps the old and new values."""
        cols = self.columns(table)
        bad = [c for c in changes if c not in cols or c in ("recorded_at", "source", "edited_at")]
        if bad:
            raise StoreError(f"cannot change {', '.join(bad)} of {table}")
        at = self.now()
        with self.transaction():
            old = self.get(table, row_id)
            if old is None:
                raise StoreError(f"{table} #{row_id} does not exist")
            new = {**old, **changes, "edited_at": at}
            if all(old[c] == new[c] for c in changes):
                return
            if self._bulk is not None:
                self._bulk.add(table)
            sets = ",".join(f'"{c}" = ?' for c in [*changes, "edited_at"])
            try:
                self.conn.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?',
                                  (*changes.values(), at, row_id))
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"could not save to {table}: {exc}") from exc
            values = tuple(new[c] for c in cols)
            before = {c: old[c] for c in changes}
            after = {c: new[c] for c in changes}
            self._append_journal(table, "update", source, [row_id], [jr.row_hash(values)],
                                 json.dumps(before, sort_keys=True), json.dumps(after, sort_keys=True), at)

    def delete(self, table: str, row_id: int, source: str) -> None:
        """Remove one row; the journal keeps every value it had."""
        at = self.now()
        with self.transaction():
            old = self.get(table, row_id)
            if old is None:
                raise StoreError(f"{table} #{row_id} does not exist")
            if self._bulk is not None:
                self._bulk.add(table)
            try:
                self.conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (row_id,))
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"{table} #{row_id} is still used by other records; delete those first") from exc
            self._append_journal(table, "delete", source, [row_id], [jr.DELETED],
                                 json.dumps({c: old[c] for c in self.columns(table)}, sort_keys=True), None, at)

    # -- verification ------------------------------------------------------------
    def verify(self) -> jr.VerifyResult:
        """Re-walk the hash chain, then check every live row against the journal."""
        problems: list[jr.Problem] = []
        prev = jr.GENESIS
        touched: dict[str, list[tuple[np.ndarray, np.ndarray, int]]] = {}
        entry_cols: dict[str, str] = {}
        n = 0
        chain_ok = True
        cur = self.conn.execute(
            "SELECT seq, recorded_at, tbl, action, source, cols, row_count, rows, old, new, prev_hash, hash, row_format"
            " FROM journal ORDER BY seq")
        last_seq = 0
        for (seq, at, tbl, action, source, cols, count, rows, old, new, prev_hash, h, fmt) in cur:
            n += 1
            if chain_ok:
                if seq != last_seq + 1:
                    problems.append(jr.Problem(seq, tbl, None, f"journal entry {last_seq + 1} is missing"))
                    chain_ok = False
                elif prev_hash != prev or jr.entry_hash(prev, seq, at, tbl, action, source, cols, count,
                                                        rows, old, new, fmt) != h:
                    problems.append(jr.Problem(seq, tbl, None,
                                               f"journal entry {seq} ({action} in {tbl}) does not match its hash:"
                                               " it was changed after it was written"))
                    chain_ok = False
            last_seq = seq
            prev = h
            entry_cols[tbl] = cols
            ids, hashes = jr.unpack_arrays(rows)
            touched.setdefault(tbl, []).append((ids, hashes, fmt))
        guards = dict(self.conn.execute("SELECT name, upper(sql) FROM sqlite_master WHERE type = 'trigger' "
                                        "AND tbl_name = 'journal'").fetchall())
        for name, action in (("journal_no_update", "UPDATE"), ("journal_no_delete", "DELETE")):
            sql = guards.get(name) or ""
            if f"BEFORE {action} ON JOURNAL" not in sql or "RAISE(ABORT" not in sql:
                problems.append(jr.Problem(None, "journal", None,
                                           f"the journal's append-only guard {name} was removed or changed outside "
                                           f"taskerlog: journal entries could be {action.lower()}d without it; "
                                           "only an anchor you kept can show whether they were"))
        for tbl in sorted(set(DATA_TABLES) | self.extra_tables()):
            cols = self.columns(tbl)
            if tbl in entry_cols and entry_cols[tbl] != ",".join(cols):
                problems.append(jr.Problem(None, tbl, None, f"the columns of {tbl} changed outside taskerlog"))
                continue
            want_ids, want_h, want_fmt = jr.replay(touched.get(tbl, []))
            seen = np.zeros(len(want_ids), dtype=bool)
            colsql = ",".join(f'"{c}"' for c in cols)
            cur = self.conn.execute(f'SELECT id, {colsql} FROM "{tbl}" ORDER BY id')
            while batch := cur.fetchmany(_VERIFY_BATCH):
                columns = [list(c) for c in zip(*batch)]
                ids = np.asarray(columns[0], dtype=np.int64)
                now = np.frombuffer(jr.row_hashes(columns[1:], len(batch)), dtype="<u8").reshape(-1, 2)
                pos = np.minimum(np.searchsorted(want_ids, ids), max(len(want_ids) - 1, 0))
                found = (want_ids[pos] == ids) if len(want_ids) else np.zeros(len(ids), dtype=bool)
                seen[pos[found]] = True
                current = found & (want_fmt[pos] == jr.ROW_FORMAT) if len(want_ids) else found
                wrong = current & (now != want_h[pos]).any(axis=1) if len(want_ids) else found
                for i in np.flatnonzero(found & ~current):  # hashed by an older taskerlog
                    expected = want_h[pos[i]].tobytes()
                    wrong[i] = jr.row_hash(batch[i][1:], int(want_fmt[pos[i]])) != expected
                for i in np.flatnonzero(~found | wrong).tolist():
                    what = "changed" if found[i] else "added"
                    problems.append(jr.Problem(None, tbl, int(ids[i]), f"{tbl} #{ids[i]} was {what} outside taskerlog"))
            for rid in want_ids[~seen].tolist():
                problems.append(jr.Problem(None, tbl, rid, f"{tbl} #{rid} was deleted outside taskerlog"))
        return jr.VerifyResult(ok=not problems, entries=n, head=prev, problems=problems)

    @_locked
    def journal_head(self, skip: Sequence[str] = ()) -> tuple[int, str]:
        """The latest journal entry's ``(seq, hash)``; ``skip``: tables whose changes do not
        count (the app keys its figures on the head without ``clock``: starting a clock changes
        no figure). Read from the end: only the trailing skipped entries are passed over."""
        where = f" WHERE tbl NOT IN ({','.join('?' * len(skip))})" if skip else ""
        row = self.conn.execute(f"SELECT seq, hash FROM journal{where} ORDER BY seq DESC LIMIT 1",
                                tuple(skip)).fetchone()
        return (row[0], row[1]) if row else (0, jr.GENESIS)

    def journal_entries(self, table: str | None = None, actions: Sequence[str] | None = None,
                        ) -> list[dict[str, Any]]:
        """Journal entries (all, or of one table / some actions) in order, as dicts.

        ``rows`` is unpacked to ``[(row id, row hash hex), ...]``; ``old``/``new`` stay JSON text.
        Read by the evidence report (edit trails) and by anchor checks.
        """
        sql = ("SELECT seq, recorded_at, tbl, action, source, cols, row_count, rows, old, new, prev_hash, hash"
               " FROM journal")
        where, params = [], []
        if table is not None:
            where.append("tbl = ?")
            params.append(table)
        if actions:
            where.append(f"action IN ({','.join('?' * len(actions))})")
            params.extend(actions)
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            cur = self.conn.execute(sql + " ORDER BY seq", params)
            names = [d[0] for d in cur.description]
            out = [dict(zip(names, r)) for r in cur]
        for e in out:
            e["rows"] = [(rid, h.hex()) for rid, h in jr.unpack_rows(e["rows"])]
        return out

    def journal_entry(self, seq: int) -> dict[str, Any] | None:
        """One journal entry by its sequence number (see :meth:`journal_entries`)."""
        with self._lock:
            row = self.conn.execute("SELECT seq, hash, recorded_at, tbl, action FROM journal WHERE seq = ?",
                                    (seq,)).fetchone()
        return dict(zip(("seq", "hash", "recorded_at", "tbl", "action"), row)) if row else None

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a data table (including ``id``), in id order, as dicts."""
        self.columns(table)  # refuses unknown tables
        with self._lock:
            cur = self.conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur]

    # -- settings ------------------------------------------------------------------
    SETTING_KEYS = ("home_currency", "timezone", "reference_wage", "reference_currency", "reference_label")

    @_locked
    def settings_raw(self) -> dict[str, str | None]:
        return {k: v for k, v in self.conn.execute("SELECT key, value FROM settings")}

    def settings(self) -> Logbook:
        raw = self.settings_raw()
        return Logbook(
            home_currency=raw.get("home_currency") or "USD",
            timezone=raw.get("timezone") or timeutil.system_timezone(),
            reference_wage=raw.get("reference_wage") or None,
            reference_currency=raw.get("reference_currency") or None,
            reference_label=raw.get("reference_label") or None,
        )

    def is_configured(self) -> bool:
        return "home_currency" in self.settings_raw()

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

    @_locked
    def is_empty(self) -> bool:
        """No work, projects, payouts or EQ yet (a first run)."""
        return not self.has_rows("work", "projects", "payouts", "eq", "clock", "expenses")

    @_locked
    def has_rows(self, *tables: str) -> bool:
        """Whether any of these tables holds a row."""
        present = [t for t in tables if self.columns(t)]
        if not present:
            return False
        return bool(self.conn.execute("SELECT " + " OR ".join(f'EXISTS (SELECT 1 FROM "{t}")' for t in present))
                    .fetchone()[0])

    # -- names -------------------------------------------------------------------
    @_locked
    def name_ids(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        """Every platform's id by name, and every project's id by (platform, project):
        two queries, for callers that resolve many names at once."""
        platforms = dict(self.conn.execute("SELECT name, id FROM platforms"))
        projects = {(pf, pj): i for pf, pj, i in self.conn.execute(
            "SELECT f.name, p.name, p.id FROM projects p JOIN platforms f ON f.id = p.platform_id")}
        return platforms, projects

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

    @_locked
    def project_row(self, platform: str, project: str) -> dict[str, Any] | None:
        cur = self.conn.execute(
            "SELECT p.* FROM projects p JOIN platforms f ON f.id = p.platform_id WHERE f.name = ? AND p.name = ?",
            (platform.strip(), project.strip()))
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row)) if row else None

    def project_id(self, platform: str, project: str | None) -> int | None:
        """The project's id; None for a blank project. Unknown projects are an error."""
        if project is None or not str(project).strip():
            return None
        row = self.project_row(platform, project)
        if row is None:
            raise StoreError(f"there is no project '{project}' on {platform}; add it first (projects)")
        return row["id"]

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

    def unpriced(self, ids: Sequence[int] | None = None, *, source: str | None = None) -> list[dict[str, Any]]:
        """Which of the entries ``ids`` (or those the latest write by ``source`` added, e.g. an
        import's ``import:<name>``: the journal names them, so an earlier import of a file of
        the same name is not counted again) earn nothing because no pay could be worked out for
        them: ``metrics.unpriced_entries`` of just those entries (their pay depends only on the
        rates, never on other entries, so this is quick on a big logbook)."""
        from .. import metrics

        if source is not None:
            with self._lock:
                row = self.conn.execute("SELECT rows FROM journal WHERE tbl = 'work' AND action = 'insert' AND source = ?"
                                        " ORDER BY seq DESC LIMIT 1", (source,)).fetchone()
            ids = [] if row is None else [int(i) for i in jr.unpack_arrays(row[0])[0]]
        return metrics.unpriced_entries(metrics.prepare(self.frames(work_ids=list(ids or []))))

    @_locked
    def first_work_start(self, platform: str | None = None) -> int | None:
        """The start of the earliest work entry (on ``platform``, if given), or None."""
        if platform is None:
            row = self.conn.execute("SELECT min(start) FROM work").fetchone()
        else:
            row = self.conn.execute("SELECT min(w.start) FROM work w JOIN platforms f ON f.id = w.platform_id"
                                    " WHERE f.name = ?", (platform,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

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

    @_locked
    def eq_periods(self, platform: str | None = None) -> list[dict[str, Any]]:
        """EQ periods with their ids (to close or edit one), oldest first; ``end_date`` None = still empty."""
        sql = ("SELECT e.id, f.name AS platform, e.start_date, e.end_date, e.note FROM eq e"
               " JOIN platforms f ON f.id = e.platform_id")
        args: tuple = ()
        if platform is not None:
            sql += " WHERE f.name = ?"
            args = (platform.strip(),)
        cur = self.conn.execute(sql + " ORDER BY e.start_date, e.id", args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    @_locked
    def running_clocks(self) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            "SELECT c.id, f.name AS platform, p.name AS project, c.kind, c.started_at, c.note FROM clock c"
            " JOIN platforms f ON f.id = c.platform_id LEFT JOIN projects p ON p.id = c.project_id ORDER BY c.id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

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

    # -- frames for the pure logic -------------------------------------------------------
    def frames(self, *, work_ids: Sequence[int] | None = None,
               work_start: tuple[int | None, int | None] | None = None, detail: bool = True) -> LogbookFrames:
        """The whole logbook as data frames (see frames.py).

        ``work_ids`` / ``work_start`` (``[from, before)`` epoch seconds) load only those work
        entries, every other table whole: what one entry's pay needs, fast on a big logbook.
        ``detail=False`` leaves out what the figures never read and a million entries take
        seconds to load: the entries' free text (external_id, note, source) and when each was
        recorded and edited (those columns are there, blank).
        """
        q = lambda sql, params=(): pd.read_sql_query(  # noqa: E731
            sql, self.conn, params=params, dtype_backend="numpy_nullable")
        where, params = [], []
        if work_ids is not None:
            ids = [int(i) for i in work_ids]
            where.append(f"w.id IN ({','.join('?' * len(ids))})" if ids else "0")
            params += ids
        if work_start is not None:
            if work_start[0] is not None:
                where.append("w.start >= ?")
                params.append(int(work_start[0]))
            if work_start[1] is not None:
                where.append("w.start < ?")
                params.append(int(work_start[1]))
        with self._lock:
            own = not self.conn.in_transaction  # else: read inside the caller's write transaction
            if own:
                self.conn.execute("BEGIN")
            try:
                settings = self.settings()
                work = self._work_frame(" WHERE " + " AND ".join(where) if where else "", tuple(params), detail)
                projects = q(
                    "SELECT f.name AS platform, p.name AS project, p.pay_model, p.currency, p.advertised_rate_micros,"
                    " p.started_on, p.ended_on, p.end_reason, p.notes FROM projects p"
                    " JOIN platforms f ON f.id = p.platform_id ORDER BY f.name, p.name")
                rates = q(
                    "SELECT f.name AS platform, p.name AS project, r.effective_at, r.rate_micros, r.unit, r.currency,"
                    " r.applies_to, r.note FROM rates r JOIN projects p ON p.id = r.project_id"
                    " JOIN platforms f ON f.id = p.platform_id ORDER BY r.effective_at, r.id")
                eq = q("SELECT f.name AS platform, e.start_date, e.end_date, e.note FROM eq e"
                       " JOIN platforms f ON f.id = e.platform_id ORDER BY e.start_date, e.id")
                payouts = q(
                    "SELECT f.name AS platform, o.paid_at, o.amount_micros, o.currency, o.fee_micros, o.method,"
                    " o.received_amount_micros, o.received_currency, o.reference, o.note, o.for_earlier_work FROM payouts o"
                    " JOIN platforms f ON f.id = o.platform_id ORDER BY o.paid_at, o.id")
                expenses = q("SELECT x.date, x.category, x.amount_micros, x.currency, f.name AS platform, x.note"
                             " FROM expenses x LEFT JOIN platforms f ON f.id = x.platform_id ORDER BY x.date, x.id")
                fx = q("SELECT date, currency, rate FROM fx ORDER BY currency, date")
            finally:
                if own:
                    self.conn.execute("COMMIT")
        for df, cols in ((projects, ["advertised_rate_micros"]), (rates, ["effective_at", "rate_micros"]),
                         (payouts, ["paid_at", "amount_micros", "fee_micros", "received_amount_micros", "for_earlier_work"]),
                         (expenses, ["amount_micros"])):
            for c in cols:
                df[c] = pd.to_numeric(df[c]).astype("Int64")
        for df, cols in ((projects, ["started_on", "ended_on"]), (eq, ["start_date", "end_date"]),
                         (expenses, ["date"]), (fx, ["date"])):
            for c in cols:
                df[c] = _dates(df[c])
        fx["rate"] = pd.Series([Decimal(r) for r in fx["rate"]], index=fx.index, dtype=object)
        return LogbookFrames(settings=settings, work=work, projects=projects, rates=rates, eq=eq,
                             payouts=payouts, expenses=expenses, fx=fx)

    def _read_halves(self, select: str) -> list[tuple] | None:
        """``select`` (one row of whole-table aggregates of ``work w``) for the lower and the
        upper half of the ids, read at once on this connection and a second read-only one:
        on a big logbook the two cores share SQLite's work. Both must see the same commit
        (the caller's read transaction is open; every write appends to the journal, so equal
        journal heads mean the same snapshot). None: read it in one go instead (small, in
        memory, or a write came between the two snapshots)."""
        lo, hi, n = self.conn.execute("SELECT min(id), max(id), count(*) FROM work").fetchone()
        if n < _READ_IN_HALVES or str(self.path) == ":memory:":
            return None
        try:
            other = sqlite3.connect(self._ro_uri, uri=True, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            head = "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1"
            other.execute("BEGIN")
            if other.execute(head).fetchone() != self.conn.execute(head).fetchone():
                return None
            mid = (lo + hi) // 2
            with _Background(other, [(f"{select} WHERE w.id > ?", (mid,))]) as upper:
                first = self.conn.execute(f"{select} WHERE w.id <= ?", (mid,)).fetchone()
            return [first, *upper.result()]
        except sqlite3.OperationalError:  # the second connection could not read: one go
            return None
        finally:
            other.close()

    def _work_frame(self, where: str, params: tuple, detail: bool) -> pd.DataFrame:
        """Work entries, read column by column as integers (a million rows in about a second).

        Each numeric column comes back as one ``group_concat`` string that numpy parses;
        names are integer ids looked up in the small tables; kinds and statuses are coded
        in SQL. Only free text needs SQLite's per-row path, and only with ``detail``.
        """
        kind_case = "CASE w.kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS)) + " ELSE -1 END"
        status_case = "CASE w.status " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(STATUSES)) \
            + " ELSE -1 END"
        ints = ["w.id", "w.platform_id", "coalesce(w.project_id, -1)", "w.start", 'w."end"',
                "coalesce(w.units, -1)", "coalesce(w.pay_micros, -1)", kind_case, status_case]
        if detail:  # when each entry was recorded and edited: the entries' story, not the figures
            ints += ["w.recorded_at", "coalesce(w.edited_at, -1)"]
        sel = ", ".join(f"group_concat({x}, ',')" for x in ints) + ", group_concat(coalesce(w.currency, ''), ',')"
        parts = None if where else self._read_halves(f"SELECT {sel} FROM work w")
        if parts is None:
            parts = [self.conn.execute(f"SELECT {sel} FROM work w{where}", params).fetchone()]
        parts = [p for p in parts if p[0] is not None]
        if not parts:
            out = pd.DataFrame(columns=WORK_COLUMNS, dtype=object)
            for c in ("id", "start", "end", "units", "pay_micros", "recorded_at", "edited_at"):
                out[c] = out[c].astype("Int64")
            return out
        arr = [np.concatenate([np.fromstring(p[i], dtype=np.int64, sep=",") for p in parts])  # text mode: not deprecated
               for i in range(len(ints))]
        wid, plat, proj, start, end, units, pay, kind, status = arr[:9]
        order = np.lexsort((wid, start))
        names = dict(self.conn.execute("SELECT id, name FROM platforms"))
        pnames = dict(self.conn.execute("SELECT id, name FROM projects"))
        plat_lut = np.array([None] * (max(names) + 1), dtype=object)
        for k, v in names.items():
            plat_lut[k] = v
        proj_lut = np.array([None] * (max(pnames, default=0) + 2), dtype=object)  # index -1 = last = None
        for k, v in pnames.items():
            proj_lut[k] = v
        currency = np.array([c for p in parts for c in p[-1].split(",")], dtype=object)
        currency[currency == ""] = None

        def nullable(a: np.ndarray) -> pd.Series:
            return pd.Series(pd.array(np.where(a[order] < 0, 0, a[order]), dtype="Int64")).mask(a[order] < 0)

        out = pd.DataFrame({
            "id": pd.Series(wid[order], dtype="Int64"),
            "platform": pd.Series(plat_lut[plat[order]], dtype=object),
            "project": pd.Series(proj_lut[proj[order]], dtype=object),
            "kind": pd.Series(np.array(KINDS, dtype=object)[kind[order]], dtype=object),
            "start": pd.Series(start[order], dtype="Int64"),
            "end": pd.Series(end[order], dtype="Int64"),
            "units": nullable(units),
            "pay_micros": nullable(pay),
            "currency": pd.Series(currency[order], dtype=object),
            "status": pd.Series(np.array(STATUSES, dtype=object)[status[order]], dtype=object),
        })
        if detail:
            text = self.conn.execute(f"SELECT w.external_id, w.note, w.source FROM work w{where}", params).fetchall()
            ext, note, source = (np.array(c, dtype=object)[order] for c in zip(*text))
        else:
            ext = note = source = np.full(len(order), None, dtype=object)
        out["external_id"] = pd.Series(ext, dtype=object)
        out["note"] = pd.Series(note, dtype=object)
        if detail:
            out["recorded_at"] = pd.Series(arr[9][order], dtype="Int64")
            out["edited_at"] = nullable(arr[10])
        else:
            out["recorded_at"] = out["edited_at"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
        out["source"] = pd.Series(source, dtype=object)
        return out


def _sql_literal(v: int | str | None) -> str:
    """An SQL literal for a value written into a statement (ints, NULL, text quoted)."""
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, str) and "\x00" not in v:
        return "'" + v.replace("'", "''") + "'"
    raise StoreError(f"cannot write {v!r} into the logbook")


def _dates(s: pd.Series) -> pd.Series:
    return pd.Series([None if (v is None or v is pd.NA or (isinstance(v, float))) else dt.date.fromisoformat(v)
                      for v in s.astype(object)], index=s.index, dtype=object)


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
