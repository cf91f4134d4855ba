"""Sums per group: time on the union of spans, exact money sums, and the per-hour ratios.

Seconds worked, paid and unpaid are measured on the union of an entry group's spans;
money is summed exactly (micro-units plus ticks) and rounded once. The small converters
from those sums to the JSON's numbers (hours, per-hour money, coefficient of variation)
live here too.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np

from ..intervals import prev_max, Union
from ..money import format_micros, MICRO
from .common import _exact, NKEYS, TICKS
from .prepare import Prepared


# ---------------------------------------------------------------------------------------
# Time on the union of spans, per group
# ---------------------------------------------------------------------------------------
def _ordered(keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``rows`` ordered by ``keys`` (already in order almost always: entries are sorted by start)."""
    return rows if (np.diff(keys) >= 0).all() else rows[np.argsort(keys, kind="stable")]


def _time_figures(p: Prepared, idx: np.ndarray, groups: np.ndarray, ngroups: int):
    """Seconds worked, paid, and unpaid per key, for each group, on the union of spans.

    Groups are kept apart by offsetting each group's times by ``group × span``, so one
    pass over sorted spans measures every group's union at once. A span adds the part of
    it past the latest end before it; that is exactly its share of the union.
    """
    worked = np.zeros(ngroups, dtype=np.int64)
    paid = np.zeros(ngroups, dtype=np.int64)
    unpaid = np.zeros((ngroups, NKEYS), dtype=np.int64)
    if len(idx) == 0:
        return worked, paid, unpaid
    s0 = p.start[idx]
    base = int(s0.min())
    span = int(p.end[idx].max()) - base + 1
    s = (s0 - base) + groups * span
    e = (p.end[idx] - base) + groups * span
    earns = p.earns[idx]
    # seconds fit float64 exactly (< 2^53), so bincount's sums of them are exact

    # worked: all entries, by (group, start)
    order = _ordered(s, np.arange(len(s)))
    contrib = np.maximum(e[order] - np.maximum(s[order], prev_max(e[order])), 0)
    worked += np.bincount(groups[order], weights=contrib, minlength=ngroups).round().astype(np.int64)

    # paid: the union of earning entries, kept as merged segments for the overlap measure
    pi = np.flatnonzero(earns)
    if len(pi):
        # groups are offset apart, so no segment spans two groups: its group is its start's
        paid_union = Union(s[pi], e[pi])
        seg_group = (paid_union.starts // span).astype(np.int64)
        paid += np.bincount(seg_group, weights=paid_union.ends - paid_union.starts,
                            minlength=ngroups).round().astype(np.int64)

    # unpaid: each instant not covered by paid time goes to the unpaid entry that started
    # first (ties: the earlier kind in metrics.md's list, then the earlier key)
    ui = np.flatnonzero(~earns)
    if len(ui):
        uorder = _ordered((s[ui] * 16 + p.kind_order[idx][ui]) * 16 + p.key[idx][ui], ui)
        ua = np.maximum(s[uorder], prev_max(e[uorder]))
        ub = e[uorder]
        length = np.maximum(ub - ua, 0)
        if len(pi):
            length = length - paid_union.within(ua, ub)
        code = groups[uorder] * NKEYS + p.key[idx][uorder]
        unpaid += np.bincount(code, weights=length, minlength=ngroups * NKEYS).round().astype(np.int64).reshape(
            ngroups, NKEYS)
    return worked, paid, unpaid


_LIMB = 21
_LIMB_MASK = (1 << _LIMB) - 1


def _sum_by(groups: np.ndarray, values: np.ndarray, ngroups: int) -> np.ndarray:
    """Exact int64 sums per group.

    ``np.bincount`` adds in float64, so each value is split into 21-bit limbs: a limb's
    sum over fewer than 2^32 entries stays below 2^53 and is therefore exact, and the
    limbs are recombined in integers. Negative values take the exact sorting path.
    """
    out = np.zeros(ngroups, dtype=np.int64)
    if not len(values):
        return out
    v = values.astype(np.int64)
    if (v < 0).any():
        order = np.argsort(groups, kind="stable")
        g, v = groups[order], v[order]
        starts = np.flatnonzero(np.concatenate([[True], g[1:] != g[:-1]]))
        out[g[starts]] = np.add.reduceat(v, starts)
        return out
    for shift in (0, _LIMB, 2 * _LIMB):
        limb = (v >> shift) & _LIMB_MASK
        if limb.any():
            out += np.bincount(groups, weights=limb, minlength=ngroups).astype(np.int64) << shift
    return out


def _money_sum(p: Prepared, idx: np.ndarray, which: np.ndarray, groups: np.ndarray | None = None,
               ngroups: int = 1):
    """The pay of the entries ``idx`` where ``which``: (the exact sum rounded half-even to
    the micro-unit once per total, not per entry; the exact sum in ticks, for the per-hour
    figures and the comparisons with a reference). One int each, or an array of one per
    group."""
    sel = which[idx]
    if groups is None:
        micros, ticks = int(p.pay[idx][sel].sum()), int(p.pay_ticks[idx][sel].sum())
        return _exact(micros, ticks), micros * TICKS + ticks
    micros = _sum_by(groups, p.pay[idx] * sel, ngroups)
    ticks = _sum_by_signed(groups, p.pay_ticks[idx] * sel, ngroups)
    if len(micros) and int(np.abs(micros).max()) >= 2**62 // TICKS:  # Python ints where int64 could overflow
        return _exact(micros, ticks), micros.astype(object) * TICKS + ticks.astype(object)
    return _exact(micros, ticks), micros * TICKS + ticks


def _sum_by_signed(groups: np.ndarray, values: np.ndarray, ngroups: int) -> np.ndarray:
    """Exact int64 sums per group of small values of either sign (ticks: |v| ≤ TICKS / 2)."""
    if not len(values):
        return np.zeros(ngroups, dtype=np.int64)
    # |sum| ≤ 1800 × entries < 2^53: bincount's float64 sums are exact
    return np.bincount(groups, weights=values, minlength=ngroups).round().astype(np.int64)


# ---------------------------------------------------------------------------------------
# From sums to the JSON's numbers
# ---------------------------------------------------------------------------------------
def _hours(seconds: int) -> float:
    return seconds / 3600


def _ratio_money(ticks: int, seconds: int) -> str | None:
    """money per hour (an exact amount in ticks over seconds) as a 6-decimal string."""
    if seconds <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        v = _per_hour(ticks, seconds) / MICRO
    return _fmt_dec(v)


def _per_hour(ticks: int, seconds: int) -> Decimal:
    """micro-units per hour (call inside a 40-digit context)."""
    return Decimal(ticks) * 3600 / TICKS / Decimal(seconds)


def _fmt_dec(v: Decimal | None) -> str | None:
    if v is None:
        return None
    q = v.quantize(Decimal("0.000001"))
    return format_micros(int(q * MICRO))


def _short(ref_micros: int, seconds: int, earned_ticks: int) -> int:
    """max(0, reference × hours − earned) in ticks, exactly (a tick is 1/3600 micro-unit)."""
    return max(0, ref_micros * seconds * TICKS // 3600 - earned_ticks)


def _cv(values) -> float:
    if len(values) < 2:
        return 0.0
    arr = np.asarray(values, dtype=float)
    mean = arr.mean()
    if mean == 0:
        return 0.0
    return float(arr.std(ddof=0) / mean)
