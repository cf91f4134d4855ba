"""Scopes: the payouts, expenses, EQ days and rate changes of a set of platforms/projects.

Payouts, fees, expenses and queues belong to platforms (metrics.md), so a project's row
reports its platform's. :func:`_scope_tables` cuts those small tables once per scope;
:func:`_eq_figures` and :func:`_rate_figures` are the EQ and rate-change figures of a period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..intervals import clip, merge, Union
from .common import _in
from .prepare import Prepared


@dataclass
class _Scope:
    """Which platforms' money and queues a figure covers, and its date bounds."""

    platforms: set[str] | None  # None = all
    lo: int | None  # inclusive day ordinal
    hi: int | None  # inclusive day ordinal


@dataclass
class _ScopeTables:
    """The small tables (payouts, expenses, EQ, rate changes) of one platform/project scope."""

    po_day: np.ndarray  # payouts for work in the logbook
    po_amount: np.ndarray
    po_fee: np.ndarray
    pe_day: np.ndarray  # payouts for work done before the logbook began (for_earlier_work)
    pe_amount: np.ndarray
    ex_day: np.ndarray
    ex_amount: np.ndarray
    eq_start: np.ndarray  # merged per platform: days [eq_start, eq_end), an open period ended at open_end
    eq_end: np.ndarray
    rc_day: np.ndarray
    rc_old: np.ndarray
    rc_new: np.ndarray
    rc_pct: np.ndarray


def _scope_tables(p: Prepared, platforms: frozenset[str] | None,
                  project_set: frozenset[tuple[str, str]] | None, open_end: int | None,
                  base: _ScopeTables | None = None) -> _ScopeTables:
    """Filter the small tables to a scope. ``base`` (same platforms) saves redoing money and EQ."""
    rc = _rate_columns(p)
    m = np.ones(len(rc["day"]), dtype=bool)
    if len(m) and platforms is not None:
        m &= np.fromiter((x in platforms for x in rc["platform"]), dtype=bool, count=len(m))
    if len(m) and project_set is not None:
        keys = {f"{a}\x1f{b}" for a, b in project_set}
        m &= np.fromiter((x in keys for x in rc["pkey"]), dtype=bool, count=len(m))
    rates = dict(rc_day=rc["day"][m], rc_old=rc["old"][m], rc_new=rc["new"][m], rc_pct=rc["pct"][m])
    i64 = lambda df, c: df[c].to_numpy(dtype=np.int64) if len(df) else np.zeros(0, dtype=np.int64)  # noqa: E731
    if base is not None:
        return _ScopeTables(po_day=base.po_day, po_amount=base.po_amount, po_fee=base.po_fee, pe_day=base.pe_day,
                            pe_amount=base.pe_amount, ex_day=base.ex_day,
                            ex_amount=base.ex_amount, eq_start=base.eq_start, eq_end=base.eq_end, **rates)
    po, ex, eq = p.payouts, p.expenses, p.eq
    if platforms is not None:
        po = po[po["platform"].isin(platforms)]
        ex = ex[ex["platform"].isin(platforms)]
        eq = eq[eq["platform"].isin(platforms)]
    eq_start, eq_end = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for _, g in eq.groupby("platform", sort=True):  # merge overlapping or adjacent periods, per platform
        st = g["start"].to_numpy(dtype=np.int64)
        en = g["end"].to_numpy(dtype=float)
        last = np.where(np.isnan(en), st if open_end is None else open_end, np.nan_to_num(en)).astype(np.int64)
        ms, me = merge(st, np.maximum(st, last) + 1)  # inclusive days as [first, last + 1)
        eq_start.append(ms)
        eq_end.append(me)
    pe = po[po["earlier"].to_numpy(dtype=bool)] if len(po) else po
    po = po[~po["earlier"].to_numpy(dtype=bool)] if len(po) else po
    return _ScopeTables(
        po_day=i64(po, "day"), po_amount=i64(po, "amount"), po_fee=i64(po, "fee"),
        pe_day=i64(pe, "day"), pe_amount=i64(pe, "amount"),
        ex_day=i64(ex, "day"), ex_amount=i64(ex, "amount"),
        eq_start=np.concatenate(eq_start), eq_end=np.concatenate(eq_end), **rates)


def _rate_columns(p: Prepared) -> dict[str, np.ndarray]:
    """The rate changes' columns as arrays, read once per :class:`Prepared` (every scope of
    a computation filters them)."""
    if not p.rate_columns:
        ch = p.rate_changes
        n = len(ch)
        p.rate_columns.update(
            platform=ch["platform"].to_numpy(dtype=object) if n else np.zeros(0, dtype=object),
            pkey=ch["pkey"].to_numpy(dtype=object) if n else np.zeros(0, dtype=object),
            **{c: ch[c].to_numpy(dtype=np.int64) if n else np.zeros(0, dtype=np.int64) for c in ("day", "old", "new")},
            pct=ch["pct"].to_numpy(dtype=float) if n else np.zeros(0))
    return p.rate_columns


def _eq_figures(t: _ScopeTables, lo: int | None, hi: int | None) -> dict[str, Any]:
    """EQ days (the union of the spans within lo..hi, inclusive days), episodes and the
    longest, in days."""
    s, e = clip(t.eq_start, t.eq_end, lo, None if hi is None else hi + 1)
    return {"eq_days": Union(s, e).length, "eq_episodes": len(s),  # platforms' spans may overlap: a day once
            "longest_eq_days": int((e - s).max()) if len(s) else 0}


def _rate_figures(t: _ScopeTables, lo: int | None, hi: int | None) -> dict[str, Any]:
    m = _in(t.rc_day, lo, hi)
    new, old, pct = t.rc_new[m], t.rc_old[m], t.rc_pct[m]
    valid = pct[~np.isnan(pct)]
    cuts = valid[valid < 0]
    return {
        "rate_changes": int(m.sum()),
        "rate_cuts": int((new < old).sum()),
        "rate_raises": int((new > old).sum()),
        "largest_cut_pct": float(cuts.min()) if len(cuts) else 0.0,
        "mean_abs_change_pct": float(np.abs(valid).mean()) if len(valid) else 0.0,
    }


class _ScopeCache:
    """The scope tables of one compute() call, cut once per (platforms, projects) scope;
    a project scope starts from its platforms' tables when those are cut already."""

    def __init__(self, p: Prepared, open_end: int | None):
        self.p = p
        self.open_end = open_end
        self.cache: dict[tuple, _ScopeTables] = {}

    def get(self, sc_platforms, sc_projects) -> _ScopeTables:
        k = (None if sc_platforms is None else frozenset(sc_platforms),
             None if sc_projects is None else frozenset(sc_projects))
        if k not in self.cache:
            base = next((t for (pl, _), t in self.cache.items() if pl == k[0]), None)
            self.cache[k] = _scope_tables(self.p, k[0], k[1], self.open_end, base)
        return self.cache[k]
