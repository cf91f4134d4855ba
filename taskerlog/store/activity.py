"""Active-time evidence (ActivityWatch spans) in the logbook: table ``activity`` (m004).

Written through the journaled ``Store.insert_many`` like every other table; read for
display beside work entries. Metrics never read it, so it cannot change hours worked.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from .api import Store

COLUMNS = ("bucket", "kind", "start", "end", "app", "title")


def existing_keys(store: Store, start: int | None = None, end: int | None = None) -> set[tuple]:
    """(bucket, kind, start, end, app, title) of spans already stored, optionally in [start, end]."""
    sql = 'SELECT bucket, kind, start, "end", app, title FROM activity'
    args: tuple = ()
    if start is not None and end is not None:
        sql += ' WHERE start >= ? AND start <= ?'
        args = (start, end)
    with store._lock:
        return {tuple(r) for r in store.conn.execute(sql, args)}


def add_spans(store: Store, rows: Iterable[Sequence], source: str) -> int:
    """Insert new spans (tuples in :data:`COLUMNS` order); returns how many were added."""
    ids = store.insert_many("activity", list(COLUMNS), list(rows), source)
    return len(ids)


def spans(store: Store, start: int | None = None, end: int | None = None, kind: str | None = None) -> pd.DataFrame:
    """Spans overlapping [start, end) (all when None), oldest first."""
    sql = 'SELECT id, bucket, kind, start, "end", app, title, source FROM activity WHERE 1=1'
    args: list = []
    if start is not None:
        sql += ' AND "end" > ?'
        args.append(start)
    if end is not None:
        sql += " AND start < ?"
        args.append(end)
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind)
    with store._lock:
        return pd.read_sql_query(sql + " ORDER BY start, id", store.conn, params=args)
