"""Unions of half-open spans ``[start, end)`` on int64 arrays.

Time in taskerlog is measured on the union of spans, never by adding durations
(metrics.md, after Hara et al. 2018). Three places need it: the metrics (time worked, time
paid, and the paid time lying under unpaid entries), the empty-queue days (calendar days,
inclusive spans turned into ``[first, last + 1)``), and the ActivityWatch time inside a
work entry. They all use this module, so a union means the same thing everywhere.

Spans that overlap or touch (one starts where another ends) merge into one segment.
Empty spans (``end <= start``) add nothing.
"""

from __future__ import annotations

import numpy as np


def prev_max(ends: np.ndarray) -> np.ndarray:
    """For each span (in order), the latest end among the spans before it (−∞ for the first).

    Over spans sorted by start, ``max(0, end − max(start, prev_max))`` is each span's own
    share of the union: the shares add up to the union's length.
    """
    ends = np.asarray(ends, dtype=np.int64)
    prev = np.empty_like(ends)
    if len(ends):
        prev[0] = np.iinfo(np.int64).min
        prev[1:] = np.maximum.accumulate(ends)[:-1]
    return prev


def merge(starts, ends) -> tuple[np.ndarray, np.ndarray]:
    """The union of the spans as disjoint segments in order: ``(segment starts, segment ends)``.

    The spans may come in any order; a segment ends strictly before the next one starts.
    """
    s = np.asarray(starts, dtype=np.int64)
    e = np.asarray(ends, dtype=np.int64)
    keep = e > s
    s, e = s[keep], e[keep]
    if len(s) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if not (np.diff(s) >= 0).all():
        order = np.argsort(s, kind="stable")
        s, e = s[order], e[order]
    new = s > prev_max(e)
    return s[new], np.maximum.reduceat(e, np.flatnonzero(new))


class Union:
    """The union of some spans, asked how much of it lies before an instant or in a window."""

    def __init__(self, starts, ends):
        self.starts, self.ends = merge(starts, ends)
        self._cum = np.concatenate([[0], np.cumsum(self.ends - self.starts)]).astype(np.int64)

    def __len__(self) -> int:
        """The number of disjoint segments."""
        return len(self.starts)

    @property
    def length(self) -> int:
        """The union's total length."""
        return int(self._cum[-1])

    def before(self, t) -> np.ndarray:
        """For each instant in ``t``: how much of the union lies before it."""
        t = np.asarray(t, dtype=np.int64)
        if not len(self.starts):
            return np.zeros(t.shape, dtype=np.int64)
        j = np.searchsorted(self.starts, t, side="right") - 1
        jj = np.maximum(j, 0)
        inside = np.clip(t - self.starts[jj], 0, self.ends[jj] - self.starts[jj])
        return np.where(j >= 0, self._cum[jj] + inside, 0)

    def within(self, starts, ends) -> np.ndarray:
        """For each window ``[starts[i], ends[i])``: how much of the union lies inside it
        (0 for an empty window)."""
        a = np.asarray(starts, dtype=np.int64)
        b = np.asarray(ends, dtype=np.int64)
        return np.where(b > a, self.before(np.maximum(a, b)) - self.before(a), 0)


def clip(starts, ends, lo: int | None, hi: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The spans cut to the window ``[lo, hi)`` (an open side when None), empty ones dropped."""
    s = np.asarray(starts, dtype=np.int64)
    e = np.asarray(ends, dtype=np.int64)
    if lo is not None:
        s = np.maximum(s, lo)
    if hi is not None:
        e = np.minimum(e, hi)
    keep = e > s
    return s[keep], e[keep]
