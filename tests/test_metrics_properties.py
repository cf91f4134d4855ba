"""Invariants of metrics.md checked on random logbooks (hypothesis), against a brute-force
minute-by-minute sweep of the same definitions."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from taskerlog import metrics
from taskerlog.frames import PROJECT_COLUMNS, RATE_COLUMNS, WORK_COLUMNS, LogbookFrames
from taskerlog.model import BILLABLE_KINDS, KINDS, UNPAID_KEYS, Logbook, default_status

T0 = 1772442000  # 2026-03-02T09:00Z, a Monday

entry = st.fixed_dictionaries({
    "start": st.integers(0, 600),
    "minutes": st.integers(1, 120),
    "kind": st.sampled_from(KINDS),
    "status": st.sampled_from([None, "paid", "pending", "rejected", "returned", "lost", "capped", "unpaid"]),
    "pay": st.sampled_from([None, None, "0", "0.01", "3.50", "12"]),
})


def frames_of(entries) -> LogbookFrames:
    rows = []
    for i, e in enumerate(entries):
        pay = None if e["pay"] is None else int(Decimal(e["pay"]) * 1_000_000)
        status = e["status"] or default_status(e["kind"], None if e["pay"] is None else Decimal(e["pay"]))
        rows.append({"id": i, "platform": "P", "project": "A", "kind": e["kind"], "start": T0 + 60 * e["start"],
                     "end": T0 + 60 * (e["start"] + e["minutes"]), "units": None, "pay_micros": pay,
                     "currency": None, "status": status, "external_id": None, "note": None, "recorded_at": T0,
                     "edited_at": None, "source": "test"})
    work = pd.DataFrame(rows, columns=WORK_COLUMNS)
    for c in ("units", "pay_micros", "edited_at"):
        work[c] = work[c].astype("Int64")
    projects = pd.DataFrame([{"platform": "P", "project": "A", "pay_model": "hourly", "currency": "USD",
                              "advertised_rate_micros": None, "started_on": None, "ended_on": None,
                              "end_reason": None, "notes": None}], columns=PROJECT_COLUMNS)
    rates = pd.DataFrame([{"platform": "P", "project": "A", "effective_at": T0 - 86400, "rate_micros": 20_000_000,
                           "unit": "hour", "currency": "USD", "applies_to": "", "note": None}], columns=RATE_COLUMNS)
    return LogbookFrames(settings=Logbook(home_currency="USD", timezone="UTC"), work=work, projects=projects,
                         rates=rates)


def brute_force(entries):
    """Minute sweep of metrics.md's definitions, written as plainly as possible."""
    worked = paid = 0
    by_key: dict[str, int] = {}
    earned = Decimal(0)
    for e in entries:
        kind, pay = e["kind"], e["pay"]
        status = e["status"] or default_status(kind, None if pay is None else Decimal(pay))
        amount = Decimal(pay) if pay is not None else (
            Decimal(20) * e["minutes"] / 60 if kind in BILLABLE_KINDS and status in ("paid", "pending") else Decimal(0))
        e["_status"], e["_earns"] = status, status in ("paid", "pending") and amount > 0
        if status in ("paid", "pending"):
            earned += amount
        e["_key"] = status if (kind in BILLABLE_KINDS and status in ("rejected", "returned", "lost", "capped")) else kind
    for minute in range(0, 800):
        covering = [e for e in entries if e["start"] <= minute < e["start"] + e["minutes"]]
        if not covering:
            continue
        worked += 1
        if any(e["_earns"] for e in covering):
            paid += 1
            continue
        # ties: earlier kind in metrics.md's list, then the earlier key (rejected, returned, lost, capped)
        first = min(covering, key=lambda e: (e["start"], KINDS.index(e["kind"]), UNPAID_KEYS.index(e["_key"])))
        by_key[first["_key"]] = by_key.get(first["_key"], 0) + 1
    return worked, paid, by_key, earned


@settings(max_examples=80, deadline=None)
@given(st.lists(entry, min_size=1, max_size=12))
def test_figures_match_a_brute_force_sweep(entries):
    m = metrics.compute(frames_of(entries), breakdowns=False)
    worked, paid, by_key, earned = brute_force([dict(e) for e in entries])
    assert round(m["hours_worked"] * 60) == worked
    assert round(m["hours_paid"] * 60) == paid
    assert {k: round(v * 60) for k, v in m["unpaid_hours_by_kind"].items()} == by_key
    # exact: the sum of hours × rate, rounded half-even to the millionth once, not per entry
    assert Decimal(m["earned"]) == earned.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)


@settings(max_examples=80, deadline=None)
@given(st.lists(entry, min_size=1, max_size=12), entry)
def test_invariants(entries, extra):
    m = metrics.compute(frames_of(entries), breakdowns=False)
    # unpaid hours by kind add up to hours_unpaid, and every key is a known one
    assert abs(sum(m["unpaid_hours_by_kind"].values()) - m["hours_unpaid"]) < 1e-9
    assert set(m["unpaid_hours_by_kind"]) <= set(UNPAID_KEYS)
    # a union is never longer than the sum of durations, never shorter than the longest entry
    assert m["hours_worked"] <= sum(e["minutes"] for e in entries) / 60 + 1e-9
    assert m["hours_worked"] >= max(e["minutes"] for e in entries) / 60 - 1e-9
    assert m["hours_paid"] <= m["hours_worked"]
    # adding unpaid time never raises the effective wage
    unpaid = dict(extra, kind="waiting", status="unpaid", pay=None)
    m2 = metrics.compute(frames_of([*entries, unpaid]), breakdowns=False)
    assert Decimal(m2["effective_hourly_wage"]) <= Decimal(m["effective_hourly_wage"])
    assert m2["hours_worked"] >= m["hours_worked"]


@settings(max_examples=60, deadline=None)
@given(st.lists(entry, min_size=1, max_size=12))
def test_breakdowns_add_up(entries):
    m = metrics.compute(frames_of(entries))
    assert sum(Decimal(w["earned"]) for w in m["by_week"]) == Decimal(m["earned"])
    assert sum(Decimal(r["earned"]) for r in m["by_project"]) == Decimal(m["earned"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=8),
       st.one_of(st.none(), st.integers(-5, 70)), st.one_of(st.none(), st.integers(-5, 70)))
def test_eq_days_are_the_days_in_any_span_counted_once(spans, lo, hi):
    """EQ spans of several platforms may overlap; a day counts once (checked day by day)."""
    import numpy as np
    spans = [(s, s + d) for s, d in spans]
    t = metrics._ScopeTables(*(np.zeros(0, dtype=np.int64),) * 7,
                             eq_start=np.array([s for s, _ in spans], dtype=np.int64),
                             eq_end=np.array([e + 1 for _, e in spans], dtype=np.int64),
                             rc_day=np.zeros(0, dtype=np.int64), rc_old=np.zeros(0, dtype=np.int64),
                             rc_new=np.zeros(0, dtype=np.int64), rc_pct=np.zeros(0))
    low, high = -10**9 if lo is None else lo, 10**9 if hi is None else hi
    inside = [(max(s, low), min(e, high)) for s, e in spans if max(s, low) <= min(e, high)]
    days = {d for s, e in inside for d in range(s, e + 1)}
    assert metrics._eq_figures(t, lo, hi) == {"eq_days": len(days), "eq_episodes": len(inside),
                                              "longest_eq_days": max((e - s + 1 for s, e in inside), default=0)}
