"""Opening a logbook file: where it is, the connection's settings, read-only opening, the errors.

Every connection runs with WAL, ``synchronous=FULL``, foreign keys on and a busy timeout
(:func:`_connect`); a logbook on a read-only or full disk is opened by
:func:`_connect_readonly`. Also the small tools every other store module shares: the
store's error types, the lock decorator for reads and the helper thread for SQL.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Sequence

import platformdirs


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
        from ..problems import fix, say
        return StoreError(say("store.read_only", "{path} can be read but not written (the file or its folder is "
                              "read-only, or on a read-only disk); nothing was written. Copy the logbook somewhere "
                              "you can write and {fix}", path=str(path), fix=fix("open_copy")))
    if "disk is full" in text or "disk I/O error" in text:
        return StoreError(f"{path} could not be written ({text}); nothing was written. Free some disk space "
                          "or check the disk, then try again")
    return None


SAMPLE_MARK = ".SAMPLE-"
"""In the file name of a sample person's logbook (``<mine>.SAMPLE-<label>.sqlite``): what it
shows is not a real worker's record, and reports made from it say so on every page."""


def is_sample_path(path: str | Path) -> bool:
    return SAMPLE_MARK in Path(path).name


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


def _locked(method):
    """Run a read on the shared connection under the store's lock (sessions share one Store)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class NeedsUpgrade(StoreError):
    """A logbook opened only to read was written by an older taskerlog and must be upgraded first."""
