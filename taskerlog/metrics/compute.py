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
from decimal import Decimal, localcontext
from typing import Any, Collection

import numpy as np
import pandas as pd

from .. import timeutil
from ..frames import LogbookFrames
from ..model import UNPAID_KEYS
from ..money import format_micros, MICRO, round_div
from .common import _EPOCH_DATE, _exact, _fail_missing, _in, MetricsError, TICKS
from .prepare import prepare, Prepared
from .scope import _eq_figures, _rate_figures, _Scope, _ScopeCache
from .sums import _cv, _fmt_dec, _hours, _money_sum, _per_hour, _ratio_money, _short, _sum_by, _time_figures


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
    if p.pay_only:
        raise TypeError("compute() needs a whole prepare(), not prepare(pay_only=True)")
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
        ref_micros = round_div(*(Decimal(reference_wage) * rate * MICRO).as_integer_ratio())

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

    open_end = today_o if today_o is not None else (hi if hi is not None else p.last_day)
    tables = _ScopeCache(p, open_end)

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
        **_figures(p, tables, ref_micros, int(tot[0][0]), int(tot[1][0]), tot[2][0], earned_tot, pending_tot,
                   units_tot, top_scope, project_set, _weekly_cvs(wtime[0][:nweeks], w_earned[:nweeks]),
                   _weekly_shortfall(ref_micros, wtime[0][:nweeks], w_earned_t[:nweeks]), top_adv),
    }
    if not breakdowns:
        return result

    by_week = []
    for wi in range(nweeks):
        mon = w_first + 7 * wi
        wlo = mon if lo is None else max(mon, lo)
        whi = mon + 6 if hi is None else min(mon + 6, hi)
        cv = (0.0, 0.0)
        ws = _weekly_shortfall(ref_micros, wtime[0][wi:wi + 1], w_earned_t[wi:wi + 1])
        row = {"week": timeutil.iso_week_label(dt.date.fromordinal(mon)),
               "week_start": dt.date.fromordinal(mon).isoformat(),
               **_figures(p, tables, ref_micros, int(wtime[0][wi]), int(wtime[1][wi]), wtime[2][wi],
                          (int(w_earned[wi]), int(w_earned_t[wi])), int(w_pending[wi]),
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
                   **_figures(p, tables, ref_micros, int(ptime[0][i]), int(ptime[1][i]), ptime[2][i],
                              (int(p_earned[i]), int(p_earned_t[i])),
                              int(p_pending[i]), int(p_units[i]), _Scope({plat}, lo, hi), sc_projects,
                              _weekly_cvs(ww, we), _weekly_shortfall(ref_micros, ww, we_t),
                              _advertised(p, (plat, proj)) if proj else None)}
            by_project.append(row)
    result["by_project"] = by_project
    return result


def _figures(p: Prepared, tables: _ScopeCache, ref_micros: int | None, worked, paid, unpaid_row,
             earned: tuple[int, int], pending, units, sc: _Scope, sc_projects,
             cvs: tuple[float, float], weekly: tuple[int | None, int, int | None],
             advertised: int | None) -> dict[str, Any]:
    """``earned``: (rounded to the micro-unit, exact in ticks); the per-hour figures and
    the comparison with the reference use the exact sum."""
    earned, earned_t = earned
    t = tables.get(sc.platforms, sc_projects)
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
        "outstanding": format_micros(_earned_upto(p, sc.platforms, sc.hi) - paid_upto),
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
        out["shortfall"] = format_micros(round_div(_short(ref_micros, worked, earned_t), TICKS))
    return out


def _earned_upto(p: Prepared, sc_platforms, day_hi) -> int:
    """Everything the platforms earned up to ``day_hi`` (inclusive; None: ever), exact, rounded once."""
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


def _weekly_cvs(worked_w: np.ndarray, earned_w: np.ndarray) -> tuple[float, float]:
    """(CV of the weekly effective wages, CV of weekly earnings from the first to the last week with work)."""
    have = np.flatnonzero(worked_w > 0)
    if not len(have):
        return 0.0, 0.0
    wage = earned_w[have] * 3600 / worked_w[have] / MICRO
    span = earned_w[have.min():have.max() + 1] / MICRO
    return _cv(wage), _cv(span)


def _weekly_shortfall(ref_micros: int | None, worked_w: np.ndarray,
                      earned_t: np.ndarray) -> tuple[int | None, int, int | None]:
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
    return round_div(int(short[short > 0].sum()), TICKS), with_work, below


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
                value = round_div(num, den)
    p.advertised_cache[key] = value
    return value
