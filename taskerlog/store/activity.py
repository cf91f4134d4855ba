"""Active-time evidence (ActivityWatch spans) in the logbook: table ``activity`` (m004).

Written through the journaled ``Store.insert_many`` like every other table; read for
display beside work entries. Metrics never read it, so it cannot change hours worked.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..intervals import Union
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


def active_within(spans: pd.DataFrame, starts, ends) -> np.ndarray:
    """For each span [starts[i], ends[i]): the seconds covered by the union of ``active``
    spans (time at the computer counted once however many spans overlap), as int64."""
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    if spans is None or spans.empty:
        return np.zeros(len(starts), dtype=np.int64)
    a = spans[spans["kind"] == "active"]
    if a.empty:
        return np.zeros(len(starts), dtype=np.int64)
    active = Union(a["start"].to_numpy(dtype=np.int64), a["end"].to_numpy(dtype=np.int64))
    return active.within(starts, ends)


def active_seconds(spans: pd.DataFrame, start: int, end: int) -> int:
    """Seconds of [start, end) covered by the union of ``active`` spans (for display beside an entry)."""
    return int(active_within(spans, [start], [end])[0])
