"""The SQLite schema, as sqlite-utils migrations.

Every data table has ``recorded_at`` (epoch seconds when the row was first written),
``edited_at`` (last edit through taskerlog, or NULL) and ``source`` (``manual``,
``clock``, ``import:<file>`` ...). Money is INTEGER micro-units; instants INTEGER epoch
seconds UTC; dates TEXT ``YYYY-MM-DD``; exchange rates TEXT decimals (exact).
The journal and its triggers make the history append-only.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class _Step:
    name: str
    fn: Callable[[Database], None]


class _Migrations:
    """The logbook's migrations in order, applied by sqlite-utils' ``Migrations``, which records
    each one in its ``_sqlite_migrations`` table. Which are still pending is read from that
    table with plain SQL, as sqlite-utils reads it: importing sqlite-utils imports pandas and
    numpy (about a second of CPU), which a command that only starts the clock must not pay
    each time it opens the logbook (docs/cli.md)."""

    TABLE = "_sqlite_migrations"

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[_Step] = []

    def __call__(self, *, name: str | None = None):
        def register(fn):
            self._migrations.append(_Step(name or fn.__name__, fn))
            return fn
        return register

    def pending(self, db: Database | sqlite3.Connection) -> list[_Step]:
        conn = getattr(db, "conn", db)
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (self.TABLE,)).fetchone() is None:
            return list(self._migrations)
        done = {r[0] for r in conn.execute(f"SELECT name FROM {self.TABLE} WHERE migration_set = ?", (self.name,))}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: Database | sqlite3.Connection) -> None:
        from sqlite_utils import Database, Migrations

        steps = Migrations(self.name)
        for m in self._migrations:
            steps(name=m.name)(m.fn)
        steps.apply(db if isinstance(db, Database) else Database(db))


migrations = _Migrations("taskerlog")

DATA_TABLES = (
    "settings", "platforms", "projects", "rates", "work", "eq", "payouts", "expenses", "fx", "clock",
)


def _run(db: Database, script: str) -> None:
    """Run ``;``-separated statements one by one, inside the migration's transaction.

    (``executescript`` would COMMIT first and break the all-or-nothing migration.)
    """
    for statement in re.split(r";\s*\n", script):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_initial(db: Database) -> None:
    _run(db, """
        CREATE TABLE settings (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, value TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE TABLE platforms (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            platform_id INTEGER NOT NULL REFERENCES platforms(id),
            name TEXT NOT NULL,
            pay_model TEXT NOT NULL CHECK (pay_model IN ('hourly','per_task')),
            currency TEXT NOT NULL,
            advertised_rate_micros INTEGER,
            started_on TEXT, ended_on TEXT,
            end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('finished','removed','quit','paused')),
            notes TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL,
            UNIQUE (platform_id, name));
        CREATE TABLE rates (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            effective_at INTEGER NOT NULL,
            rate_micros INTEGER NOT NULL CHECK (rate_micros >= 0),
            unit TEXT NOT NULL CHECK (unit IN ('hour','task')),
            currency TEXT NOT NULL,
            applies_to TEXT NOT NULL DEFAULT '',
            note TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE INDEX rates_project ON rates(project_id, effective_at);
        CREATE TABLE work (
            id INTEGER PRIMARY KEY,
            platform_id INTEGER NOT NULL REFERENCES platforms(id),
            project_id INTEGER REFERENCES projects(id),
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL CHECK ("end" > start),
            units INTEGER CHECK (units IS NULL OR units >= 0),
            pay_micros INTEGER CHECK (pay_micros IS NULL OR pay_micros >= 0),
            currency TEXT,
            status TEXT NOT NULL,
            external_id TEXT,
            note TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE INDEX work_start ON work(start);
        CREATE INDEX work_platform ON work(platform_id, start);
        CREATE TABLE eq (
            id INTEGER PRIMARY KEY,
            platform_id INTEGER NOT NULL REFERENCES platforms(id),
            start_date TEXT NOT NULL, end_date TEXT, note TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE TABLE payouts (
            id INTEGER PRIMARY KEY,
            platform_id INTEGER NOT NULL REFERENCES platforms(id),
            paid_at INTEGER NOT NULL,
            amount_micros INTEGER NOT NULL, currency TEXT NOT NULL,
            fee_micros INTEGER NOT NULL DEFAULT 0,
            method TEXT, received_amount_micros INTEGER, received_currency TEXT,
            reference TEXT, note TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE TABLE expenses (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL, category TEXT NOT NULL,
            amount_micros INTEGER NOT NULL, currency TEXT NOT NULL,
            platform_id INTEGER REFERENCES platforms(id),
            note TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE TABLE fx (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL, currency TEXT NOT NULL, rate TEXT NOT NULL,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL,
            UNIQUE (date, currency));
        CREATE TABLE clock (
            id INTEGER PRIMARY KEY,
            platform_id INTEGER NOT NULL REFERENCES platforms(id),
            project_id INTEGER REFERENCES projects(id),
            kind TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            note TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);

        -- The journal: one entry per change set, hash-chained (see store/journal.py).
        CREATE TABLE journal (
            seq INTEGER PRIMARY KEY,
            recorded_at INTEGER NOT NULL,
            tbl TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert','update','delete')),
            source TEXT NOT NULL,
            cols TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            rows BLOB NOT NULL,
            old TEXT,
            new TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL);
        CREATE INDEX journal_tbl ON journal(tbl, seq);
        CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        """)


@migrations()
def m002_evidence(db: Database) -> None:
    """Evidence for a wage claim (taskerlog/evidence): journal anchors and attachments.

    ``anchors``: each time the worker printed the journal head to keep elsewhere
    (``seq`` and ``hash`` of the journal entry that was the head then).
    ``attachments``: a file (screenshot, email, message) by its SHA-256, linked to a work
    entry, a project or a platform, or to nothing but its note; ``recorded_at`` is the
    time it was added. The content lives in ``<logbook stem>-attachments/`` beside the
    logbook, named by its hash.
    """
    _run(db, """
        CREATE TABLE anchors (
            id INTEGER PRIMARY KEY,
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            note TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            filename TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            media_type TEXT,
            work_id INTEGER REFERENCES work(id),
            platform_id INTEGER REFERENCES platforms(id),
            project_id INTEGER REFERENCES projects(id),
            note TEXT,
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL);
        CREATE INDEX attachments_sha ON attachments(sha256);
        CREATE INDEX attachments_work ON attachments(work_id);
        """)


@migrations()
def m004_importers(db: Database) -> None:
    """Active-time spans from ActivityWatch: evidence shown beside entries, never hours worked.

    ``kind`` is ``active`` (the AFK watcher saw the worker at the computer), ``window``
    (the focused app and window title) or ``web`` (the browser tab). Times are epoch
    seconds UTC. The metrics never read this table.
    """
    _run(db, """
        CREATE TABLE activity (
            id INTEGER PRIMARY KEY,
            bucket TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('active','window','web')),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL CHECK ("end" > start),
            app TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            recorded_at INTEGER NOT NULL, edited_at INTEGER, source TEXT NOT NULL,
            UNIQUE (bucket, start, "end", app, title));
        CREATE INDEX activity_start ON activity(start)
        """)


@migrations()
def m005_journal_row_format(db: Database) -> None:
    """``journal.row_format``: how a row's values become the bytes of its hash (store/journal.py).

    Entries written before this migration keep format 1 (their hashes are unchanged and
    still checked); new entries use format 2, which whole columns can be hashed in.
    """
    db.execute("ALTER TABLE journal ADD COLUMN row_format INTEGER NOT NULL DEFAULT 1")


def _add_column_journaled(db: Database, table: str, column: str, definition: str, default: object,
                          migration: str) -> None:
    """``ALTER TABLE table ADD COLUMN column definition`` (every row gets ``default``),
    keeping the journal's promise.

    The journal hashes every column of a row, so a new column changes every row's hash
    and the journal's column list. One ``update`` journal entry (source
    ``migration:<name>``) records the new hash of each row that still matched the journal
    before the change; a row already changed behind taskerlog's back keeps its old
    expected hash, so ``verify`` still names it. When the table's columns had already been
    changed outside taskerlog, no entry is written and ``verify`` keeps saying so.
    """
    from . import journal as jr  # core: hashing only

    conn = db.conn

    def cols() -> list[str]:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")').fetchall() if r[1] != "id"]

    entries = conn.execute("SELECT rows, row_format, cols FROM journal WHERE tbl = ? ORDER BY seq",
                           (table,)).fetchall()
    before = cols()
    intact: list[int] = []
    if entries and entries[-1][2] == ",".join(before):
        want_ids, want_h, want_fmt = jr.replay([(*jr.unpack_arrays(rows), fmt) for rows, fmt, _ in entries])
        colsql = ",".join(f'"{c}"' for c in before)
        for row in conn.execute(f'SELECT id, {colsql} FROM "{table}" ORDER BY id'):
            i = int(want_ids.searchsorted(row[0]))
            if i < len(want_ids) and want_ids[i] == row[0] and \
                    jr.row_hash(row[1:], int(want_fmt[i])) == want_h[i].tobytes():
                intact.append(int(row[0]))
    conn.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {definition}')
    if not entries or entries[-1][2] != ",".join(before):
        return
    after = cols()
    colsql = ",".join(f'"{c}"' for c in after)
    hashes = []
    for rid in intact:
        values = conn.execute(f'SELECT {colsql} FROM "{table}" WHERE id = ?', (rid,)).fetchone()
        hashes.append(jr.row_hash(values))
    head = conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = head[0] + 1, head[1]
    at, source = int(time.time()), f"migration:{migration}"
    rows = jr.pack_rows(intact, hashes)
    old, new = json.dumps({column: None}), json.dumps({column: default})
    h = jr.entry_hash(prev, seq, at, table, "update", source, ",".join(after), len(intact), rows, old, new,
                      jr.ROW_FORMAT)
    conn.execute("INSERT INTO journal (seq, recorded_at, tbl, action, source, cols, row_count, rows, old, new,"
                 " prev_hash, hash, row_format) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (seq, at, table, "update", source, ",".join(after), len(intact), rows, old, new, prev, h,
                  jr.ROW_FORMAT))


@migrations()
def m006_payouts_for_earlier_work(db: Database) -> None:
    """``payouts.for_earlier_work``: 1 for a payout for work done before the logbook began
    (a newcomer's first payout, metrics.md), left out of paid out, fees, outstanding and
    the net wage; 0 otherwise (every payout recorded before this migration)."""
    _add_column_journaled(db, "payouts", "for_earlier_work",
                          "INTEGER NOT NULL DEFAULT 0 CHECK (for_earlier_work IN (0, 1))", 0,
                          "m006_payouts_for_earlier_work")
