"""The figures of shared/docs/metrics.md: pure functions, frames in, figures out.

No I/O, no clock, no streamlit. Money is summed in integer micro-units of the home
currency; time is measured on the *union* of spans (Hara et al. 2018), vectorised with
numpy so a million entries take well under the 2 s budget.

Choices where metrics.md is silent (also written down in docs/metrics-choices.md):
- Derived pay is rounded to the micro-unit (half to even) per entry; conversion to the
  home currency is rounded the same way, per entry, at the rate of the entry's local date.
- Platform-level money and queues: payouts, fees, outstanding, EQ and expenses belong to
  platforms, so a project filter (and each ``by_project`` row) reports its platform's.
- ``by_week`` lists every ISO week overlapping the period when it has both ends, else every
  week from the first to the last week with a work entry or an EQ day.
- An EQ period with no end is open: it runs to ``today`` (the shell passes it), clipped to
  the period; EQ episodes and their lengths are counted inside the period.
- ``reference_wage`` in another currency is converted at the rate on or before the
  period's last day (else the last day with a work entry).
- Wage-type figures are rounded to 6 decimals for output; sums of money are exact.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any, Collection

import numpy as np
import pandas as pd

from . import timeutil
from .frames import LogbookFrames
from .intervals import Union, clip, merge, prev_max
from .model import BILLABLE_KINDS, KINDS, UNPAID_KEYS
from .money import MICRO, format_micros

NKEYS = len(UNPAID_KEYS)
_KEY_INDEX = {k: i for i, k in enumerate(UNPAID_KEYS)}
_KIND_INDEX = {k: i for i, k in enumerate(KINDS)}
_EPOCH_DATE = dt.date(1970, 1, 1)


UNPRICED_NO_RATE = 1
"""An entry that would be paid from the rate starts before any rate of its project and kind."""
UNPRICED_NO_UNITS = 2
"""An entry that would be paid per task has no number of tasks."""


class MetricsError(ValueError):
    """The figures cannot be computed (e.g. a missing exchange rate); the message says what to add."""


# ---------------------------------------------------------------------------------------
# Exchange rates
# ---------------------------------------------------------------------------------------
class _Fx:
    """Most recent rate on or before a date, per currency, as exact fractions."""

    def __init__(self, fx: pd.DataFrame, home: str):
        self.home = home
        self.by_cur: dict[str, tuple[np.ndarray, list[Decimal]]] = {}
        self._frac: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if len(fx):
            df = fx.sort_values(["currency", "date"])
            for cur, g in df.groupby("currency", sort=False):
                days = np.array([_ordinal(d) for d in g["date"]], dtype=np.int64)
                self.by_cur[str(cur)] = (days, list(g["rate"]))

    def rate(self, currency: str, day: dt.date) -> Decimal:
        if currency == self.home:
            return Decimal(1)
        got = self.by_cur.get(currency)
        if got is not None:
            i = int(np.searchsorted(got[0], _ordinal(day), side="right")) - 1
            if i >= 0:
                return got[1][i]
        from .problems import fix, say
        raise MetricsError(say("fx.missing_in_home", "no exchange rate for {currency} on or before {day}: add one "
                               "{fix} giving one {currency} in {home}", currency=currency, day=day.isoformat(),
                               home=self.home, fix=fix("add_fx", currency=currency, day=day.isoformat())))

    def rate_from(self, currency: str, day: dt.date) -> Decimal:
        """The rate in force on ``day``, else (none recorded that early) the first one after
        it: for a figure that is not an amount earned on a day (an advertised rate)."""
        got = self.by_cur.get(currency)
        if currency != self.home and got is not None and len(got[0]) and _ordinal(day) < int(got[0][0]):
            return got[1][0]
        return self.rate(currency, day)

    def _fractions(self, cur: str) -> tuple[np.ndarray, np.ndarray]:
        """Each rate of ``cur`` as an exact fraction num/den (int64; Python ints if huge)."""
        if cur not in self._frac:
            pairs = [r.as_integer_ratio() for r in self.by_cur[cur][1]]
            big = any(abs(a) >= 2**62 or b >= 2**62 for a, b in pairs)
            dtype = object if big else np.int64
            self._frac[cur] = (np.array([a for a, _ in pairs], dtype=dtype),
                               np.array([b for _, b in pairs], dtype=dtype))
        return self._frac[cur]

    def convert(self, micros: np.ndarray, currency: np.ndarray, days: np.ndarray,
                ticks: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Convert amounts to the home currency, exactly.

        An amount is ``micros + ticks / TICKS`` micro-units (``ticks`` None: all 0). Returns
        (micros int64, ticks int64, missing bool): each converted amount rounded half-even to
        the micro-unit, plus what that rounding left out, in ticks (rounded to the tick), so
        that sums can be exact. Amounts without a rate are marked missing (the caller raises
        only if it needs them). ``days`` are day ordinals.
        """
        out = micros.astype(np.int64).copy()
        out_ticks = np.zeros(len(micros), dtype=np.int64) if ticks is None else ticks.astype(np.int64).copy()
        missing = np.zeros(len(micros), dtype=bool)
        foreign = (currency != self.home) & ((micros != 0) | (out_ticks != 0))
        if not foreign.any():
            return out, out_ticks, missing
        idx = np.flatnonzero(foreign)
        sub = pd.DataFrame({"i": idx, "cur": currency[idx], "day": days[idx]})
        for cur, g in sub.groupby("cur", sort=False):
            got = self.by_cur.get(str(cur))
            if got is None:
                missing[g["i"].to_numpy()] = True
                continue
            pos = np.searchsorted(got[0], g["day"].to_numpy(), side="right") - 1
            ok = pos >= 0
            missing[g["i"].to_numpy()[~ok]] = True
            gi = g["i"].to_numpy()[ok]
            gp = pos[ok]
            if not len(gi):
                continue
            nums, dens = self._fractions(str(cur))
            num, den = nums[gp], dens[gp]
            # the amount in ticks is v = micros × TICKS + ticks; in the home currency it is exactly
            # v × num / den ticks: rounded once to the micro-unit, and what is left rounded to the
            # tick (no double rounding)
            big = int(np.abs(micros[gi]).max()) + 1
            if (num.dtype != object and big < 2**62 // TICKS
                    and big * TICKS * int(np.abs(num).max()) < 2**62 and int(den.max()) < 2**62 // TICKS):
                v = micros[gi].astype(np.int64) * TICKS + out_ticks[gi]  # exact in int64
                exact = v * num
                out[gi] = _round_div_array(exact, den * TICKS)
                out_ticks[gi] = _round_div_array(exact - out[gi] * den * TICKS, den)
            else:  # too big for int64: Python integers
                v = [int(m) * TICKS + int(t) for m, t in zip(micros[gi].tolist(), out_ticks[gi].tolist())]
                for j, a, b, c in zip(gi.tolist(), v, num.tolist(), den.tolist()):
                    exact = a * int(b)
                    out[j] = _round_div(exact, int(c) * TICKS)
                    out_ticks[j] = _round_div(exact - int(out[j]) * int(c) * TICKS, int(c))
        return out, out_ticks, missing


TICKS = 3600
"""Sub-units of a micro-unit in which sums of money are exact: hours × rate is a whole
number of ticks for any whole number of seconds (metrics.md: "Money is exact")."""


def _round_div_array(n: np.ndarray, d) -> np.ndarray:
    """``n / d`` rounded half-even, element-wise, in int64."""
    q, r = np.divmod(n, d)
    return q + ((2 * r > d) | ((2 * r == d) & (q % 2 == 1)))


def _exact(micros, ticks):
    """Sums of rounded micro-units and of the ticks their rounding left out → the exact sum
    rounded half-even to the micro-unit (Python ints or int64 arrays alike)."""
    if isinstance(micros, np.ndarray):
        return micros + _round_div_array(ticks, TICKS)
    return int(micros) + _round_div(int(ticks), TICKS)


def _round_div(n: int, d: int) -> int:
    q, r = divmod(n, d)
    if 2 * r > d or (2 * r == d and q % 2 == 1):
        q += 1
    return q


def _ordinal(d: dt.date) -> int:
    return d.toordinal()


def _fail_missing(missing: np.ndarray, currency: np.ndarray, days: np.ndarray) -> None:
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        day = dt.date.fromordinal(int(days[i]))
        from .problems import fix, say
        raise MetricsError(say("fx.missing", "no exchange rate for {currency} on or before {day}: add one {fix}",
                               currency=str(currency[i]), day=day.isoformat(),
                               fix=fix("add_fx", currency=str(currency[i]), day=day.isoformat())))


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


def prepare(frames: LogbookFrames) -> Prepared:
    """Derive everything that does not depend on the period or filter."""
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
            rounded = _round_div_array(num, TICKS)
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
    work_ids = _ints(w["id"], -1) if "id" in w.columns else np.full(n, -1, dtype=np.int64)
    return Prepared(home=home, tz=tz, platform_names=platform_names, project_keys=project_keys, plat=plat, pk=pk,
                    work_ids=work_ids, unpriced=unpriced, first_rate_at=first_rate_at,
                    start=start, end=end, day=day, units=units, pay=pay_home, pay_ticks=ticks_home, pay_missing=missing,
                    pay_currency=pay_cur, earning_status=earning_status, pending=pending, earns=earns, key=key,
                    kind_order=kind_code, earned_cum=earned_cum, projects=projects, rate_changes=changes,
                    first_rates=firsts, eq=eq_df, payouts=payouts, expenses=expenses, fx=fx,
                    last_day=max(days_seen) if days_seen else None)


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
    """Changes (a rate replacing a previous one for the same project, kind set and unit)."""
    cols = ["platform", "project", "day", "old", "new", "pct", "unit", "currency", "applies_to", "effective_at"]
    if not len(rates):
        empty = pd.DataFrame({c: [] for c in cols + ["pkey"]})
        return empty, pd.DataFrame({c: [] for c in ["platform", "project", "rate_micros", "currency", "unit", "day"]})
    df = rates.copy()
    df["effective_at"] = _ints(df["effective_at"])
    df["rate_micros"] = _ints(df["rate_micros"])
    df["day"] = _local_days(df["effective_at"].to_numpy(), tz)
    df["applies_to"] = df["applies_to"].fillna("").astype(object)
    df = df.sort_values(["effective_at"], kind="stable")
    # a change: a rate after an earlier one in the same (project, kind set, unit) series
    df["_series"] = df.groupby(["platform", "project", "applies_to", "unit"], sort=False).ngroup()
    df = df.sort_values(["_series", "effective_at"], kind="stable")
    prev = df.groupby("_series", sort=False)["rate_micros"].shift(1)
    has_prev = prev.notna().to_numpy()
    ch = df[has_prev]
    old = prev[has_prev].astype(np.int64).to_numpy()
    new = ch["rate_micros"].to_numpy(dtype=np.int64)
    pct = [float((Decimal(int(n)) - Decimal(int(o))) / Decimal(int(o)) * 100) if o else math.nan
           for o, n in zip(old, new)]
    changes = pd.DataFrame({"platform": ch["platform"].to_numpy(dtype=object),
                            "project": ch["project"].to_numpy(dtype=object),
                            "day": ch["day"].to_numpy(dtype=np.int64), "old": old, "new": new,
                            "pct": np.array(pct, dtype=float), "unit": ch["unit"].to_numpy(dtype=object),
                            "currency": ch["currency"].to_numpy(dtype=object),
                            "applies_to": ch["applies_to"].to_numpy(dtype=object),
                            "effective_at": ch["effective_at"].to_numpy(dtype=np.int64)}, columns=cols)
    changes = changes.sort_values("effective_at", kind="stable").reset_index(drop=True)
    df = df.sort_values(["effective_at"], kind="stable")
    changes["pkey"] = changes["platform"].astype(str) + "\x1f" + changes["project"].astype(str)
    firsts = df.groupby(["platform", "project"], sort=False).head(1)[
        ["platform", "project", "rate_micros", "currency", "unit", "day"]]
    return changes, firsts


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
# The figures
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


def _cv(values) -> float:
    if len(values) < 2:
        return 0.0
    arr = np.asarray(values, dtype=float)
    mean = arr.mean()
    if mean == 0:
        return 0.0
    return float(arr.std(ddof=0) / mean)


def compute(frames: LogbookFrames | None = None, *, date_from: dt.date | None = None,
            date_to: dt.date | None = None, platform: str | None = None, project: str | None = None,
            projects: Collection[tuple[str, str]] | None = None, reference_wage: Decimal | None = None,
            reference_currency: str | None = None, breakdowns: bool = True, today: dt.date | None = None,
            prepared: Prepared | None = None) -> dict[str, Any]:
    """Every figure of metrics.md for one period and filter, as the JSON of ``metrics --json``.

    ``date_to`` is inclusive. ``reference_wage`` defaults to the logbook's. Pass ``prepared``
    (from :func:`prepare`) to reuse the derivation across calls.
    """
    if prepared is None:
        if frames is None:
            raise TypeError("compute() needs frames or prepared")
        prepared = prepare(frames)
    p = prepared
    if date_from and date_to and date_to < date_from:
        raise MetricsError(f"the period ends ({date_to}) before it starts ({date_from})")
    lo = date_from.toordinal() if date_from else None
    hi = date_to.toordinal() if date_to else None
    today_o = today.toordinal() if today else None

    # reference wage in home micro-units
    if reference_wage is None and frames is not None:
        reference_wage = frames.settings.reference_wage
        reference_currency = reference_currency or frames.settings.reference_currency
    ref_micros = None
    if reference_wage is not None:
        cur = reference_currency or p.home
        ref_day = hi if hi is not None else (p.last_day or today_o or _EPOCH_DATE.toordinal())
        rate = p.fx.rate(cur, dt.date.fromordinal(ref_day)) if cur != p.home else Decimal(1)
        ref_micros = _round_div(*(Decimal(reference_wage) * rate * MICRO).as_integer_ratio())

    # the selection
    n = len(p.start)
    mask = np.ones(n, dtype=bool)
    project_set = None
    if projects is not None:
        project_set = {(str(a), str(b)) for a, b in projects}
    if project is not None:
        sel = {(a, b) for a, b in zip(p.projects["platform"], p.projects["project"])
               if b == project and (platform is None or a == platform)}
        project_set = sel if project_set is None else (project_set & sel)
    if platform is not None:
        mask &= np.isin(p.plat, p.plat_codes([platform]))
    if project_set is not None:
        mask &= np.isin(p.pk, p.pk_codes(project_set))
    # entries belong to the day they start on
    mask &= _in(p.day, lo, hi)
    idx = np.flatnonzero(mask)
    _fail_missing(p.pay_missing[idx], p.pay_currency[idx], p.day[idx])

    if platform is not None:
        platforms: set[str] | None = {platform}
    elif project_set is not None:
        platforms = {a for a, _ in project_set}
    else:
        platforms = None

    po_sel, ex_sel = p.payouts, p.expenses
    if platforms is not None:
        po_sel = po_sel[po_sel["platform"].isin(platforms)]
        ex_sel = ex_sel[ex_sel["platform"].isin(platforms)]
    _fail_missing(po_sel["missing"].to_numpy(dtype=bool) & _in(po_sel["day"].to_numpy(), None, hi),
                  po_sel["currency"].to_numpy(), po_sel["day"].to_numpy())
    _fail_missing(ex_sel["missing"].to_numpy(dtype=bool) & _in(ex_sel["day"].to_numpy(), lo, hi),
                  ex_sel["currency"].to_numpy(), ex_sel["day"].to_numpy())
    # outstanding needs all earnings of the selected platforms up to the period's end
    if p.pay_missing.any():
        plat_mask = np.ones(n, dtype=bool) if platforms is None else np.isin(p.plat, p.plat_codes(platforms))
        _fail_missing(p.pay_missing & plat_mask & _in(p.day, None, hi), p.pay_currency, p.day)

    def earned_upto(sc_platforms, day_hi) -> int:
        codes = p.earned_cum.keys() if sc_platforms is None else p.plat_codes(sc_platforms)
        total = total_ticks = 0
        for c in codes:
            got = p.earned_cum.get(int(c))
            if got is None:
                continue
            j = len(got[0]) if day_hi is None else int(np.searchsorted(got[0], day_hi, side="right"))
            if j:
                total += int(got[1][j - 1])
                total_ticks += int(got[2][j - 1])
        return _exact(total, total_ticks)

    # weeks
    week_of = p.day[idx] - ((p.day[idx] - 1) % 7)  # Monday's ordinal (ordinal 1 = Monday 0001-01-01)
    if lo is not None and hi is not None:
        w_first, w_last = _monday(lo), _monday(hi)
    else:
        marks = [int(week_of.min()), int(week_of.max())] if len(week_of) else []
        eq_s = p.eq if platforms is None else p.eq[p.eq["platform"].isin(platforms)]
        if len(eq_s):
            marks += [_monday(int(x)) for x in eq_s["start"]]
            open_end = today_o if today_o is not None else (hi if hi is not None else p.last_day)
            marks += [_monday(int(x) if not math.isnan(x) else int(open_end or 0)) for x in eq_s["end"]]
        marks = [m for m in marks if (lo is None or m + 6 >= lo) and (hi is None or m <= hi)]
        if marks:
            w_first, w_last = min(marks), max(marks)
            if lo is not None:
                w_first = max(w_first, _monday(lo))
            if hi is not None:
                w_last = min(w_last, _monday(hi))
        else:
            w_first = w_last = None
    nweeks = 0 if w_first is None else (w_last - w_first) // 7 + 1
    wk = ((week_of - w_first) // 7).astype(np.int64) if nweeks else np.zeros(len(idx), dtype=np.int64)

    # entry aggregates: overall, per week
    zero = np.zeros(len(idx), dtype=np.int64)
    tot = _time_figures(p, idx, zero, 1)
    earned_tot = _money_sum(p, idx, p.earning_status)
    pending_tot = _money_sum(p, idx, p.pending)[0]
    wtime = _time_figures(p, idx, wk, max(nweeks, 1))
    w_earned, w_earned_t = _money_sum(p, idx, p.earning_status, wk, max(nweeks, 1))
    w_pending = _money_sum(p, idx, p.pending, wk, max(nweeks, 1))[0]
    units_tot = int(p.units[idx].sum())
    w_units = _sum_by(wk, p.units[idx], max(nweeks, 1))

    def weekly_cvs(worked_w: np.ndarray, earned_w: np.ndarray) -> tuple[float, float]:
        have = np.flatnonzero(worked_w > 0)
        if not len(have):
            return 0.0, 0.0
        wage = earned_w[have] * 3600 / worked_w[have] / MICRO
        span = earned_w[have.min():have.max() + 1] / MICRO
        return _cv(wage), _cv(span)

    def weekly_shortfall(worked_w: np.ndarray, earned_t: np.ndarray) -> tuple[int | None, int, int | None]:
        """(Sum over weeks of max(0, reference × hours − earned), exact (``earned_t``: each
        week's earnings in ticks) and rounded once; weeks with work; weeks whose own
        effective hourly wage is below the reference). The reference figures are None
        without a reference."""
        with_work = int((worked_w > 0).sum())
        if ref_micros is None:
            return None, with_work, None
        w = worked_w.astype(np.int64)
        if len(w) and ref_micros * int(w.max()) * TICKS >= 2**62:
            w = w.astype(object)
        short = w * ref_micros * TICKS // 3600 - earned_t
        # a week is below when earned < reference × hours, i.e. its shortfall is above 0
        below = int(((short > 0) & (worked_w > 0)).sum())
        return _round_div(int(short[short > 0].sum()), TICKS), with_work, below

    cache: dict[tuple, _ScopeTables] = {}
    open_end = today_o if today_o is not None else (hi if hi is not None else p.last_day)

    def tables(sc_platforms, sc_projects) -> _ScopeTables:
        k = (None if sc_platforms is None else frozenset(sc_platforms),
             None if sc_projects is None else frozenset(sc_projects))
        if k not in cache:
            base = next((t for (pl, _), t in cache.items() if pl == k[0]), None)
            cache[k] = _scope_tables(p, k[0], k[1], open_end, base)
        return cache[k]

    def figures(worked, paid, unpaid_row, earned: tuple[int, int], pending, units, sc: _Scope, sc_projects,
                cvs: tuple[float, float], weekly: tuple[int | None, int, int | None],
                advertised: int | None) -> dict[str, Any]:
        """``earned``: (rounded to the micro-unit, exact in ticks); the per-hour figures and
        the comparison with the reference use the exact sum."""
        earned, earned_t = earned
        t = tables(sc.platforms, sc_projects)
        in_p = _in(t.po_day, sc.lo, sc.hi)
        paid_out = int(t.po_amount[in_p].sum())
        fees = int(t.po_fee[in_p].sum())
        expenses = int(t.ex_amount[_in(t.ex_day, sc.lo, sc.hi)].sum())
        # outstanding: all earnings minus all payouts up to the period's end, for these platforms
        paid_upto = int(t.po_amount[_in(t.po_day, None, sc.hi)].sum())
        eqf = _eq_figures(t, sc.lo, sc.hi)
        unpaid_s = worked - paid
        out: dict[str, Any] = {
            "hours_worked": _hours(worked),
            "hours_paid": _hours(paid),
            "hours_unpaid": _hours(unpaid_s),
            "unpaid_hours_by_kind": {k: _hours(int(v)) for k, v in zip(UNPAID_KEYS, unpaid_row) if v},
            "unpaid_share": (unpaid_s / worked) if worked else None,
            "earned": format_micros(earned),
            "pending": format_micros(pending),
            "effective_hourly_wage": _ratio_money(earned_t, worked),
            "paid_hourly_rate": _ratio_money(earned_t, paid),
            "advertised_rate": None if advertised is None else format_micros(advertised),
            "advertised_gap": None,
            "paid_out": format_micros(paid_out),
            "paid_out_earlier": format_micros(int(t.pe_amount[_in(t.pe_day, sc.lo, sc.hi)].sum())),
            "fees": format_micros(fees),
            "outstanding": format_micros(earned_upto(sc.platforms, sc.hi) - paid_upto),
            "expenses": format_micros(expenses),
            "net_hourly_wage": _ratio_money(earned_t - (fees + expenses) * TICKS, worked),
            "units": units,
            **eqf,
            "eq_share": (eqf["eq_days"] / (sc.hi - sc.lo + 1)) if (sc.lo is not None and sc.hi is not None) else None,
            **_rate_figures(t, sc.lo, sc.hi),
            "weekly_wage_cv": cvs[0],
            "weekly_earnings_cv": cvs[1],
            "reference_wage": None if ref_micros is None else format_micros(ref_micros),
            "below_reference": None,
            "shortfall": None,
            "weekly_shortfall": None if weekly[0] is None else format_micros(weekly[0]),
            "weeks_with_work": weekly[1],
            "weeks_below_reference": weekly[2],
        }
        if advertised is not None and worked:
            with localcontext() as ctx:
                ctx.prec = 40
                eff = _per_hour(earned_t, worked)
                out["advertised_gap"] = _fmt_dec((Decimal(advertised) - eff) / MICRO)
        if ref_micros is not None:
            out["below_reference"] = (earned_t * 3600 < ref_micros * worked * TICKS) if worked else False
            out["shortfall"] = format_micros(_round_div(_short(ref_micros, worked, earned_t), TICKS))
        return out

    top_scope = _Scope(platforms, lo, hi)
    top_adv = None
    if project_set is not None:
        one = project_set
    else:  # no project filter, but every entry with a project is on the same one
        one = {p.project_keys[c] for c in np.unique(p.pk[idx])}
        one = {k for k in one if k[1] is not None}
    if len(one) == 1:
        top_adv = _advertised(p, next(iter(one)))
    result = {
        "period_from": date_from.isoformat() if date_from else None,
        "period_to": date_to.isoformat() if date_to else None,
        "home_currency": p.home,
        "platform": platform,
        "project": project,
        **figures(int(tot[0][0]), int(tot[1][0]), tot[2][0], earned_tot, pending_tot, units_tot, top_scope,
                  project_set, weekly_cvs(wtime[0][:nweeks], w_earned[:nweeks]),
                  weekly_shortfall(wtime[0][:nweeks], w_earned_t[:nweeks]), top_adv),
    }
    if not breakdowns:
        return result

    by_week = []
    for wi in range(nweeks):
        mon = w_first + 7 * wi
        wlo = mon if lo is None else max(mon, lo)
        whi = mon + 6 if hi is None else min(mon + 6, hi)
        cv = (0.0, 0.0)
        ws = weekly_shortfall(wtime[0][wi:wi + 1], w_earned_t[wi:wi + 1])
        row = {"week": timeutil.iso_week_label(dt.date.fromordinal(mon)),
               "week_start": dt.date.fromordinal(mon).isoformat(),
               **figures(int(wtime[0][wi]), int(wtime[1][wi]), wtime[2][wi], (int(w_earned[wi]), int(w_earned_t[wi])),
                         int(w_pending[wi]),
                         int(w_units[wi]), _Scope(platforms, wlo, whi), project_set, cv, ws, top_adv)}
        by_week.append(row)
    result["by_week"] = by_week

    # per project (platform-level time is its own row with project None)
    used = np.unique(p.pk[idx])
    uniq = sorted((p.project_keys[c] for c in used), key=lambda t: (t[0], t[1] or ""))
    codes = {k: i for i, k in enumerate(uniq)}
    npj = len(uniq)
    by_project = []
    if npj:
        remap = np.zeros(len(p.project_keys), dtype=np.int64)
        for c in used:
            remap[c] = codes[p.project_keys[c]]
        pc = remap[p.pk[idx]]
        # order by (project, start): a stable sort of small ints is a radix sort, and idx is by start
        o = np.argsort(pc.astype(np.int16 if npj < 32000 else np.int64), kind="stable")
        idx, pc, wk = idx[o], pc[o], wk[o]
        ptime = _time_figures(p, idx, pc, npj)
        p_earned, p_earned_t = _money_sum(p, idx, p.earning_status, pc, npj)
        p_pending = _money_sum(p, idx, p.pending, pc, npj)[0]
        p_units = _sum_by(pc, p.units[idx], npj)
        nw = max(nweeks, 1)
        pw = pc * nw + wk
        pwtime = _time_figures(p, idx, pw, npj * nw)
        pw_earned, pw_earned_t = _money_sum(p, idx, p.earning_status, pw, npj * nw)
        for (plat, proj), i in codes.items():
            ww = pwtime[0][i * nw:(i + 1) * nw][:nweeks]
            we = pw_earned[i * nw:(i + 1) * nw][:nweeks]
            we_t = pw_earned_t[i * nw:(i + 1) * nw][:nweeks]
            sc_projects = {(plat, proj)} if proj is not None else set()
            row = {"platform": plat, "project": proj,
                   **figures(int(ptime[0][i]), int(ptime[1][i]), ptime[2][i], (int(p_earned[i]), int(p_earned_t[i])),
                             int(p_pending[i]), int(p_units[i]), _Scope({plat}, lo, hi), sc_projects,
                             weekly_cvs(ww, we), weekly_shortfall(ww, we_t), _advertised(p, (plat, proj)) if proj else None)}
            by_project.append(row)
    result["by_project"] = by_project
    return result


def _in(days: np.ndarray, lo: int | None, hi: int | None) -> np.ndarray:
    m = np.ones(len(days), dtype=bool)
    if lo is not None:
        m &= days >= lo
    if hi is not None:
        m &= days <= hi
    return m


def _monday(ordinal: int) -> int:
    return ordinal - ((ordinal - 1) % 7)


def _advertised(p: Prepared, key: tuple[str, str]) -> int | None:
    """The project's advertised rate (else its first rate) in home micro-units; hourly projects only."""
    if key in p.advertised_cache:
        return p.advertised_cache[key]
    if not p.advertised_cache:  # first call: index the small tables once
        p.advertised_cache["__projects__"] = {(r.platform, r.project): r for r in p.projects.itertuples(index=False)}
        p.advertised_cache["__firsts__"] = {(r.platform, r.project): r for r in p.first_rates.itertuples(index=False)}
    row = p.advertised_cache["__projects__"].get(key)
    fr = p.advertised_cache["__firsts__"].get(key)
    value = None
    if row is not None and row.pay_model == "hourly":
        adv, currency, day = row.advertised_rate_micros, row.currency, row.started_on
        if adv is None or adv is pd.NA or (isinstance(adv, float) and math.isnan(adv)):
            adv = None
            if fr is not None:
                adv, currency, day = int(fr.rate_micros), fr.currency, dt.date.fromordinal(int(fr.day))
        if adv is not None:
            adv = int(adv)
            if currency == p.home:
                value = adv
            else:
                if day is None:
                    day = dt.date.fromordinal(int(fr.day) if fr is not None else (p.last_day or _EPOCH_DATE.toordinal()))
                num, den = (Decimal(adv) * p.fx.rate_from(currency, day)).as_integer_ratio()
                value = _round_div(num, den)
    p.advertised_cache[key] = value
    return value


def unpriced_entries(p: Prepared) -> list[dict[str, Any]]:
    """The entries that earn nothing only because no pay could be worked out for them
    (metrics.md's *unpriced*), so the shells can tell the worker: each as ``id``, ``reason``
    (``"no_rate"``: it starts before the first rate of its project and kind, or there is
    none; ``"no_units"``: a per-task rate and no number of tasks), ``kind``, ``platform``,
    ``project``, ``day`` (the local day it starts) and ``first_rate_day`` (or None)."""
    rows = np.flatnonzero(p.unpriced)
    firsts = p.first_rate_at[rows].astype(np.int64)
    first_days = _local_days(np.maximum(firsts, 0), p.tz)  # one time-zone conversion for all of them
    out = []
    for i, first, first_day in zip(rows.tolist(), firsts.tolist(), first_days.tolist()):
        plat, proj = p.project_keys[int(p.pk[i])]
        out.append({"id": int(p.work_ids[i]), "reason": "no_rate" if p.unpriced[i] == UNPRICED_NO_RATE else "no_units",
                    "kind": KINDS[int(p.kind_order[i])], "platform": plat, "project": proj,
                    "day": dt.date.fromordinal(int(p.day[i])),
                    "first_rate_day": None if first < 0 else dt.date.fromordinal(int(first_day))})
    return out
