"""Preparation: the logbook, derived once per logbook (independent of the period and filter).

:func:`prepare` works out each entry's pay in home micro-units (from its own pay or the
rate in force, converted at the day's exchange rate), its local day, its platform and
project codes, and the unions of time that compute() sums; cache the :class:`Prepared`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Collection

import numpy as np
import pandas as pd

from .. import timeutil
from ..frames import LogbookFrames
from ..model import BILLABLE_KINDS, KINDS
from ..money import round_div
from .common import (
    _EPOCH_DATE, _KIND_INDEX, MetricsError, TICKS, UNPRICED_NO_RATE, UNPRICED_NO_UNITS,
)
from .fx import _Fx


# ---------------------------------------------------------------------------------------
# Preparation (independent of the filter; cache it)
# ---------------------------------------------------------------------------------------
@dataclass
class Prepared:
    """The logbook, derived once: pay per entry in home micro-units, local days, keys.

    Work arrays are sorted by start. Platforms and projects are integer codes
    (``platform_names[code]``, ``project_keys[code] = (platform, project or None)``).
    """

    home: str
    tz: str
    platform_names: list[str]
    project_keys: list[tuple[str, str | None]]
    plat: np.ndarray  # platform code per entry
    pk: np.ndarray  # (platform, project) code per entry
    start: np.ndarray
    end: np.ndarray
    day: np.ndarray  # local day ordinal of start
    units: np.ndarray  # int64, 0 where blank
    pay: np.ndarray  # home micro-units, each entry's rounded half-even
    pay_ticks: np.ndarray  # what that rounding left out, in ticks (exact sums: see TICKS)
    pay_missing: np.ndarray  # bool: needed an exchange rate that is missing
    pay_currency: np.ndarray
    earning_status: np.ndarray  # status paid/pending
    pending: np.ndarray
    earns: np.ndarray
    key: np.ndarray  # index into UNPAID_KEYS for unpaid attribution
    kind_order: np.ndarray
    work_ids: np.ndarray  # the entries' ids (-1 where the frame has none)
    unpriced: np.ndarray  # int8: 0, UNPRICED_NO_RATE or UNPRICED_NO_UNITS (see prepare)
    first_rate_at: np.ndarray  # epoch of the first rate of the entry's project and kind, -1 if none
    earned_cum: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]  # platform code -> (days, cumulative
    # earned micro-units, cumulative ticks)
    # small tables
    projects: pd.DataFrame
    rate_changes: pd.DataFrame  # platform, project, day, old, new, pct
    first_rates: pd.DataFrame  # platform, project, rate_micros, currency, unit, day
    eq: pd.DataFrame  # platform, start (ordinal), end (ordinal or NaN)
    payouts: pd.DataFrame  # platform, day, amount (home micros), fee, missing, earlier (for earlier work)
    expenses: pd.DataFrame  # platform (None = shared), day, amount (home micros), missing
    fx: _Fx
    last_day: int | None
    advertised_cache: dict = field(default_factory=dict)
    rate_columns: dict = field(default_factory=dict)  # rate_changes as arrays, filled when first needed
    pay_only: bool = False  # prepare(pay_only=True): the entries' pay alone, not for compute()

    def plat_codes(self, names: Collection[str]) -> np.ndarray:
        return np.array([i for i, n in enumerate(self.platform_names) if n in set(names)], dtype=np.int64)

    def pk_codes(self, keys: Collection[tuple[str, str]]) -> np.ndarray:
        want = set(keys)
        return np.array([i for i, k in enumerate(self.project_keys) if k in want], dtype=np.int64)


def _local_days(epochs: np.ndarray, tz: str) -> np.ndarray:
    if len(epochs) == 0:
        return np.zeros(0, dtype=np.int64)
    ts = pd.to_datetime(pd.Series(epochs, dtype="int64"), unit="s", utc=True).dt.tz_convert(tz)
    local = ts.dt.tz_localize(None).to_numpy().astype("datetime64[D]").astype(np.int64)
    return local + _EPOCH_DATE.toordinal()


def _obj(s: pd.Series) -> np.ndarray:
    return s.astype(object).to_numpy(dtype=object, na_value=None)


def _ints(s: pd.Series, fill: int = 0) -> np.ndarray:
    return pd.to_numeric(s).astype("Int64").fillna(fill).to_numpy(dtype=np.int64)


def _vocab_codes(s: pd.Series, vocab: tuple[str, ...]) -> np.ndarray:
    """Index of each value in ``vocab`` (the records were validated on the way in)."""
    codes, uniques = pd.factorize(s)
    lookup = np.array([vocab.index(str(u)) for u in uniques], dtype=np.int64)
    return lookup[codes] if len(codes) else np.zeros(0, dtype=np.int64)


def _codes(s: pd.Series) -> tuple[np.ndarray, list]:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes.astype(np.int64), [None if v is None or v is pd.NA else str(v) for v in uniques]


def prepare(frames: LogbookFrames, pay_only: bool = False) -> Prepared:
    """Derive everything that does not depend on the period or filter.

    ``pay_only``: derive the entries' pay (and why an entry is unpriced) and nothing else:
    no rate history, payouts, expenses or cumulative earnings, which cost more than pricing
    a few entries (a saved entry's message, the recent entries). Such a Prepared is refused
    by :func:`compute`; its other tables are empty."""
    st = frames.settings
    home, tz = st.home_currency, st.timezone
    fx = _Fx(frames.fx, home)
    w = frames.work
    if len(w) and not (np.diff(_ints(w["start"])) >= 0).all():
        w = w.sort_values(["start", "end"], kind="stable")
    w = w.reset_index(drop=True)
    n = len(w)
    plat, platform_names = _codes(w["platform"])
    proj, proj_names = _codes(w["project"])
    pk_raw = plat * (len(proj_names) + 1) + (proj + 1)
    pk, pk_uniq = pd.factorize(pk_raw)
    pk = pk.astype(np.int64)
    project_keys = [(platform_names[int(v) // (len(proj_names) + 1)],
                     proj_names[int(v) % (len(proj_names) + 1) - 1] if int(v) % (len(proj_names) + 1) else None)
                    for v in pk_uniq]
    kind_code = _vocab_codes(w["kind"], KINDS)
    status_code = _vocab_codes(w["status"], ("paid", "pending", "rejected", "returned", "lost", "capped", "unpaid"))
    start = _ints(w["start"])
    end = _ints(w["end"])
    units = _ints(w["units"])
    rec = pd.to_numeric(w["pay_micros"]).astype("Int64")
    has_pay = rec.notna().to_numpy()
    rec_pay = rec.fillna(0).to_numpy(dtype=np.int64)
    day = _local_days(start, tz)

    projects = frames.projects.copy()
    proj_cur = {(r.platform, r.project): r.currency for r in projects.itertuples()}
    pk_cur = np.array([proj_cur.get(k) or home for k in project_keys], dtype=object)
    cur_codes, cur_names = _codes(w["currency"])

    pay = np.where(has_pay, rec_pay, 0).astype(np.int64)
    ticks = np.zeros(n, dtype=np.int64)
    # recorded pay: currency = entry's, else the project's, else home
    cur_lookup = np.array(cur_names + [None], dtype=object)
    pay_cur = np.where(cur_codes >= 0, cur_lookup[cur_codes], pk_cur[pk] if n else cur_lookup[:0]).astype(object)
    earning_status = status_code <= 1
    billable = kind_code < len(BILLABLE_KINDS)
    derive = (~has_pay) & earning_status & billable & (proj >= 0)
    # why a derived pay came out 0: no rate in effect at the start (UNPRICED_NO_RATE), or a
    # per-task rate and no number of tasks (UNPRICED_NO_UNITS); first rate of that project and kind
    unpriced = np.where(derive, UNPRICED_NO_RATE, 0).astype(np.int8)
    first_rate_at = np.full(n, -1, dtype=np.int64)
    if derive.any() and len(frames.rates):
        pk_index = {k: i for i, k in enumerate(project_keys)}
        rates = _expand_rates(frames.rates, pk_index)
        di = np.flatnonzero(derive)
        left = pd.DataFrame({"i": di, "start": start[di], "k": pk[di] * 16 + kind_code[di]})
        merged = pd.merge_asof(left, rates, left_on="start", right_on="effective_at", by="k",
                               direction="backward", allow_exact_matches=True)
        firsts = rates.groupby("k", sort=False)["effective_at"].min()
        first_rate_at[di] = left["k"].map(firsts).fillna(-1).to_numpy(dtype=np.int64)
        merged = merged[merged["rate_micros"].notna()]
        if len(merged):
            ii = merged["i"].to_numpy(dtype=np.int64)
            rate = merged["rate_micros"].to_numpy(dtype=np.int64)
            is_hour = (merged["unit"] == "hour").to_numpy()
            secs = end[ii] - start[ii]
            # hours × rate is exact in ticks (1/3600 of a micro-unit); each entry's pay is that
            # rounded half-even to the micro-unit, and the ticks left out are kept for exact sums
            num = secs * rate  # < 2^63 for any sane rate and entry length (≤ 7 days)
            too_big = ~is_hour & (units[ii] > (2**62) // np.maximum(rate, 1))  # units × rate would overflow
            if too_big.any():
                j = int(ii[np.flatnonzero(too_big)[0]])
                raise MetricsError(f"an entry of {int(units[j]):,} tasks at the rate in effect would pay more "
                                   "than any amount the logbook can hold; check its number of tasks and the rate")
            rounded = round_div(num, TICKS)
            unpriced[ii] = np.where(~is_hour & (units[ii] == 0), UNPRICED_NO_UNITS, 0)
            pay[ii] = np.where(is_hour, rounded, units[ii] * rate)
            ticks[ii] = np.where(is_hour, num - rounded * TICKS, 0)
            pay_cur[ii] = merged["currency"].to_numpy(dtype=object)
    pay_home, ticks_home, missing = fx.convert(pay, pay_cur, day, ticks)
    # an amount that will not be counted as earned does not need a rate
    missing &= earning_status
    earns = earning_status & (pay_home > 0)
    ticks_home = np.where(earns, ticks_home, 0)  # an entry that does not earn adds nothing, not even ticks
    pending = status_code == 1
    failed = (status_code >= 2) & (status_code <= 5) & billable
    key = np.where(failed, len(KINDS) + status_code - 2, kind_code).astype(np.int64)

    work_ids = _ints(w["id"], -1) if "id" in w.columns else np.full(n, -1, dtype=np.int64)
    entries = dict(home=home, tz=tz, platform_names=platform_names, project_keys=project_keys, plat=plat, pk=pk,
                   work_ids=work_ids, unpriced=unpriced, first_rate_at=first_rate_at, start=start, end=end, day=day,
                   units=units, pay=pay_home, pay_ticks=ticks_home, pay_missing=missing, pay_currency=pay_cur,
                   earning_status=earning_status, pending=pending, earns=earns, key=key, kind_order=kind_code,
                   projects=projects, fx=fx)
    if pay_only:
        empty = pd.DataFrame()
        return Prepared(**entries, earned_cum={}, rate_changes=empty, first_rates=empty, eq=empty, payouts=empty,
                        expenses=empty, last_day=None, pay_only=True)

    earned = pay_home * earning_status
    earned_cum = {}
    if n:
        order = np.lexsort((day, plat))
        ps, ds, es, ts = plat[order], day[order], earned[order], ticks_home[order]
        bounds = np.flatnonzero(np.diff(ps)) + 1
        for chunk_p, chunk_d, chunk_e, chunk_t in zip(np.split(ps, bounds), np.split(ds, bounds),
                                                      np.split(es, bounds), np.split(ts, bounds)):
            earned_cum[int(chunk_p[0])] = (chunk_d, np.cumsum(chunk_e), np.cumsum(chunk_t))

    changes, firsts = _rate_history(frames.rates, tz)

    eq = frames.eq
    eq_df = pd.DataFrame({
        "platform": eq["platform"].astype(object).to_numpy(),
        "start": np.array([d.toordinal() for d in eq["start_date"]], dtype=np.int64),
        "end": np.array([np.nan if d is None else d.toordinal() for d in eq["end_date"]], dtype=float),
    })

    po = frames.payouts
    po_days = _local_days(_ints(po["paid_at"]), tz)
    po_cur = po["currency"].astype(object).to_numpy()
    amt, _, m1 = fx.convert(_ints(po["amount_micros"]), po_cur, po_days)
    fee, _, m2 = fx.convert(_ints(po["fee_micros"]), po_cur, po_days)
    earlier = (_ints(po["for_earlier_work"]) == 1) if "for_earlier_work" in po.columns else np.zeros(len(po), bool)
    payouts = pd.DataFrame({"platform": po["platform"].astype(object).to_numpy(), "day": po_days,
                            "amount": amt, "fee": fee, "missing": m1 | m2, "currency": po_cur, "earlier": earlier})
    payouts = payouts.sort_values("day", kind="stable").reset_index(drop=True)

    ex = frames.expenses
    ex_days = np.array([d.toordinal() for d in ex["date"]], dtype=np.int64)
    ex_cur = ex["currency"].astype(object).to_numpy()
    ex_amt, _, m3 = fx.convert(_ints(ex["amount_micros"]), ex_cur, ex_days)
    expenses = pd.DataFrame({"platform": _obj(ex["platform"]), "day": ex_days, "amount": ex_amt,
                             "missing": m3, "currency": ex_cur})

    days_seen = [int(day.max())] if n else []
    if len(eq_df):
        days_seen.append(int(np.nanmax(np.concatenate([eq_df["start"].to_numpy(dtype=float),
                                                       eq_df["end"].to_numpy(dtype=float)]))))
    return Prepared(**entries, earned_cum=earned_cum, rate_changes=changes, first_rates=firsts, eq=eq_df,
                    payouts=payouts, expenses=expenses, last_day=max(days_seen) if days_seen else None)


def _expand_rates(rates: pd.DataFrame, pk_index: dict[tuple[str, str | None], int]) -> pd.DataFrame:
    """One row per (project, kind) a rate applies to, keyed ``project code × 16 + kind`` for merge_asof."""
    rows = []
    for r in rates.itertuples(index=False):
        code = pk_index.get((r.platform, r.project))
        if code is None:
            continue  # no work on this project
        kinds = BILLABLE_KINDS if not r.applies_to else tuple(str(r.applies_to).split(";"))
        for k in kinds:
            rows.append((code * 16 + _KIND_INDEX[k], int(r.effective_at), int(r.rate_micros), r.unit, r.currency))
    df = pd.DataFrame(rows, columns=["k", "effective_at", "rate_micros", "unit", "currency"])
    for c in ("k", "effective_at", "rate_micros"):  # typed even when empty (no rate for any worked project)
        df[c] = df[c].astype(np.int64)
    # a later rate replaces an earlier one; at the same instant, the one recorded last wins
    df = df.drop_duplicates(["k", "effective_at"], keep="last")
    return df.sort_values("effective_at", kind="stable")


def _rate_history(rates: pd.DataFrame, tz: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Changes (a rate replacing a previous one for the same project, kind set and unit), in
    the order they took effect, and each project's first rate. Worked out row by row: a
    logbook holds few rates, and pandas' grouping of a handful cost more than the rows (about
    25 ms on each save in the app)."""
    cols = ["platform", "project", "day", "old", "new", "pct", "unit", "currency", "applies_to", "effective_at"]
    series: dict[tuple, int] = {}  # (project, kind set, unit) → its number, in order of first rate
    last: dict[tuple, int] = {}
    changes: list[tuple[int, int, tuple]] = []
    firsts: dict[tuple, tuple] = {}
    # in the order they took effect; at the same instant, in the order they were recorded
    for r in sorted(rates.to_dict("records"), key=lambda r: int(r["effective_at"])):
        at, rate = int(r["effective_at"]), int(r["rate_micros"])
        applies = "" if pd.isna(r["applies_to"]) else r["applies_to"]
        key = (r["platform"], r["project"], applies, r["unit"])
        day = timeutil.to_local(at, tz).date().toordinal()
        n = series.setdefault(key, len(series))
        if key in last:
            old = last[key]
            pct = float((Decimal(rate) - Decimal(old)) / Decimal(old) * 100) if old else math.nan
            changes.append((at, n, (r["platform"], r["project"], day, old, rate, pct, r["unit"], r["currency"],
                                    applies, at)))
        last[key] = rate
        firsts.setdefault((r["platform"], r["project"]), (r["platform"], r["project"], rate, r["currency"],
                                                          r["unit"], day))
    changes.sort(key=lambda c: c[:2])  # by instant, then series (stable: recorded order within one)
    ch = list(zip(*(c[2] for c in changes))) or [()] * len(cols)
    types = {"day": np.int64, "old": np.int64, "new": np.int64, "pct": float, "effective_at": np.int64}
    out = pd.DataFrame({**{c: np.array(v, dtype=types.get(c, object)) for c, v in zip(cols, ch)},
                        "pkey": np.array([f"{a}\x1f{b}" for a, b in zip(ch[0], ch[1])], dtype=object)})
    fr = list(zip(*firsts.values())) or [()] * 6
    first_cols = ["platform", "project", "rate_micros", "currency", "unit", "day"]
    first = pd.DataFrame({c: np.array(v, dtype=np.int64 if c in ("rate_micros", "day") else object)
                          for c, v in zip(first_cols, fr)}, columns=first_cols)
    return out, first
