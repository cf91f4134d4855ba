"""Journaled writes: insert (one row or a million, column by column), update, delete.

Each write runs in the caller's transaction (or its own) and appends one journal entry in
that same transaction. Inside a bulk transaction the foreign keys are checked set-wise
here instead of by SQLite row by row. The Store's writing methods, as the mixin
:class:`Writes`.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable, Sequence

from . import journal as jr
from .connection import StoreError, _Background
from .schema import DATA_TABLES


_DEFER_INDEXES = 5_000
"""A batch of at least this many rows, and at least as many as the table holds, is
inserted before the table's indexes are built again (one sort instead of a B-tree update
per row: 10k rows into an empty table take 40 ms instead of 75)."""


_WRITE_BATCH = 20_000
"""Rows ``insert_columns`` turns into Python values (and hashes) at a time: memory stays a
few MB however many rows one import adds, and the one transaction and journal entry are
the same."""


def _values(column: Any, lo: int, size: int) -> list:
    """Rows ``lo`` .. ``lo + size`` of a column (a pyarrow array or a list) as Python values."""
    part = column[lo:lo + size]
    return part.to_pylist() if jr.is_arrow(part) else part


def _sql_literal(v: int | str | None) -> str:
    """An SQL literal for a value written into a statement (ints, NULL, text quoted)."""
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, str) and "\x00" not in v:
        return "'" + v.replace("'", "''") + "'"
    raise StoreError(f"cannot write {v!r} into the logbook")


class Writes:
    """The Store's journaled writes (mixed into Store, which supplies conn, now, transaction, columns, get)."""

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
            if jr.is_arrow(column):
                import pyarrow.compute as pc

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

    # -- journaled writes --------------------------------------------------------
    def _append_journal(self, tbl: str, action: str, source: str, ids: Sequence[int],
                        hashes: Sequence[bytes] | bytes, old: str | None, new: str | None, at: int) -> None:
        head = self.conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (head[0] + 1, head[1]) if head else (1, jr.GENESIS)
        cols = ",".join(self.columns(tbl))
        fmt = jr.ROW_FORMAT
        h = jr.entry_hash(prev, seq, at, tbl, action, source, cols, len(ids), jr.packed_pieces(ids, hashes), old,
                          new, fmt)
        # The packed rows (ROW_BYTES a row) are never built whole: the entry is inserted with
        # that many zero bytes, which are then overwritten a piece at a time, in this same
        # transaction. A whole blob, bound to the statement, was held three times at once
        # (by Python, the statement and the record): 110 MB for an import of 1.5M rows.
        self.conn.execute(
            "INSERT INTO journal (seq, recorded_at, tbl, action, source, cols, row_count, rows, old, new, prev_hash,"
            " hash, row_format) VALUES (?,?,?,?,?,?,?,zeroblob(?),?,?,?,?,?)",
            (seq, at, tbl, action, source, cols, len(ids), jr.ROW_BYTES * len(ids), old, new, prev, h, fmt),
        )
        with self.conn.blobopen("journal", "rows", seq) as blob:
            for piece in jr.packed_pieces(ids, hashes):
                blob.write(piece)

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
