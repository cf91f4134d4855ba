"""metrics.py against hand calculations (metrics.md's worked example first)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from taskerlog import metrics
from taskerlog.model import EQPeriod, Expense, FxRate, Logbook, Payout, Project, Rate, WorkEntry
from taskerlog.timeutil import parse_instant

TZ = "UTC"


def t(s: str, tz: str = TZ) -> int:
    return parse_instant(s, tz)


def work(store, start, end, kind="tasking", project="Genesis Dolphin", platform="Outlier", tz=TZ, **kw):
    return store.add_work(WorkEntry(platform=platform, project=project, kind=kind, start=t(start, tz),
                                    end=t(end, tz), **kw))


@pytest.fixture
def worked_example(store):
    """metrics.md: Genesis Dolphin, $35/h then $20/h; 14 h worked, $185 earned."""
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_project(Project(platform="Outlier", project="Genesis Dolphin", currency="USD"))
    store.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", effective_at=t("2026-03-02T09:00"), rate="35"))
    store.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", effective_at=t("2026-03-04T00:00"), rate="20"))
    work(store, "2026-03-01T10:00", "2026-03-01T14:00", kind="onboarding")
    work(store, "2026-03-01T14:00", "2026-03-01T15:00", kind="assessment")
    work(store, "2026-03-02T09:00", "2026-03-02T12:00")
    work(store, "2026-03-03T09:00", "2026-03-03T11:00", status="lost")
    work(store, "2026-03-04T09:00", "2026-03-04T13:00")
    store.add_eq(EQPeriod(platform="Outlier", start_date=dt.date(2026, 3, 5), end_date=dt.date(2026, 3, 7)))
    return store


def test_worked_example_to_the_cent(worked_example):
    m = metrics.compute(worked_example.frames(), reference_wage=Decimal(15))
    assert m["hours_worked"] == 14
    assert m["hours_paid"] == 7
    assert m["hours_unpaid"] == 7
    assert m["unpaid_hours_by_kind"] == {"onboarding": 4, "assessment": 1, "lost": 2}
    assert Decimal(m["earned"]) == Decimal("185")
    assert Decimal(m["effective_hourly_wage"]) == Decimal("13.214286")  # 185/14
    assert Decimal(m["paid_hourly_rate"]) == Decimal("26.428571")  # 185/7
    assert Decimal(m["advertised_rate"]) == 35  # first recorded rate, one project
    assert Decimal(m["advertised_gap"]) == Decimal("21.785714")
    assert m["eq_days"] == 3 and m["eq_episodes"] == 1 and m["longest_eq_days"] == 3
    assert m["rate_changes"] == 1 and m["rate_cuts"] == 1 and m["rate_raises"] == 0
    assert m["largest_cut_pct"] == pytest.approx(-42.857142857)
    assert Decimal(m["shortfall"]) == Decimal(25)
    assert m["below_reference"] is True
    assert m["unpaid_share"] == 0.5
    # two ISO weeks: W09 (Sunday 1 March: 5 unpaid hours), W10 (9 hours, $185)
    weeks = {w["week"]: w for w in m["by_week"]}
    assert list(weeks) == ["2026-W09", "2026-W10"]
    assert weeks["2026-W09"]["hours_worked"] == 5 and Decimal(weeks["2026-W09"]["earned"]) == 0
    assert weeks["2026-W10"]["hours_worked"] == 9 and weeks["2026-W10"]["eq_days"] == 3
    # each week measured on its own: 15*5 - 0 = 75 and max(0, 15*9 - 185) = 0
    assert Decimal(m["weekly_shortfall"]) == 75
    assert [(r["platform"], r["project"]) for r in m["by_project"]] == [("Outlier", "Genesis Dolphin")]


def test_period_filter_counts_entries_by_start_day_and_eq_days_inside(worked_example):
    m = metrics.compute(worked_example.frames(), date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 6))
    assert m["hours_worked"] == 9
    assert Decimal(m["earned"]) == 185
    assert m["eq_days"] == 2  # 5 and 6 March fall inside
    assert m["eq_share"] == pytest.approx(2 / 5)


def test_overlapping_entries_count_once_and_paid_wins(store):
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_project(Project(platform="MTurk", project="Receipts", pay_model="per_task", currency="USD"))
    # two HITs overlapping 10:00-10:30 and 10:15-10:45, one paid $0.50, one rejected; waiting 9:50-10:20
    work(store, "2026-05-04T10:00", "2026-05-04T10:30", project="Receipts", platform="MTurk", pay="0.50")
    work(store, "2026-05-04T10:15", "2026-05-04T10:45", project="Receipts", platform="MTurk", pay="0.40",
         status="rejected")
    work(store, "2026-05-04T09:50", "2026-05-04T10:20", project=None, platform="MTurk", kind="waiting")
    m = metrics.compute(store.frames())
    assert m["hours_worked"] == pytest.approx(55 / 60)  # 9:50-10:45
    assert m["hours_paid"] == pytest.approx(30 / 60)
    # unpaid: 9:50-10:00 waiting (10 min), 10:30-10:45 rejected (15 min)
    assert m["unpaid_hours_by_kind"] == pytest.approx({"waiting": 10 / 60, "rejected": 15 / 60})
    assert Decimal(m["earned"]) == Decimal("0.50")  # rejected pay is not earned


def test_unpaid_instant_goes_to_the_entry_that_started_first(store):
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    work(store, "2026-05-04T10:00", "2026-05-04T11:00", project=None, platform="P", kind="instructions")
    work(store, "2026-05-04T10:30", "2026-05-04T12:00", project=None, platform="P", kind="admin")
    # a tie: same start, onboarding is earlier in metrics.md's list than meeting
    work(store, "2026-05-05T10:00", "2026-05-05T11:00", project=None, platform="P", kind="meeting")
    work(store, "2026-05-05T10:00", "2026-05-05T11:00", project=None, platform="P", kind="onboarding")
    m = metrics.compute(store.frames())
    assert m["unpaid_hours_by_kind"] == {"instructions": 1.0, "admin": 1.0, "onboarding": 1.0}


def test_per_task_pay_training_rate_and_currency_conversion(store):
    store.set_settings(Logbook(home_currency="KES", timezone="Africa/Nairobi"))
    store.add_project(Project(platform="Remotasks", project="Boxes", pay_model="per_task", currency="USD"))
    store.add_rate(Rate(platform="Remotasks", project="Boxes", effective_at=t("2026-04-01T00:00", "Africa/Nairobi"),
                        rate="0.05", unit="task", currency="USD"))
    store.add_rate(Rate(platform="Remotasks", project="Boxes", effective_at=t("2026-04-01T00:00", "Africa/Nairobi"),
                        rate="0.02", unit="task", currency="USD", applies_to="training"))
    store.add_fx(FxRate(date=dt.date(2026, 4, 1), currency="USD", rate="129.50"))
    store.add_fx(FxRate(date=dt.date(2026, 4, 3), currency="USD", rate="130"))
    tz = "Africa/Nairobi"
    work(store, "2026-04-02T08:00", "2026-04-02T10:00", project="Boxes", platform="Remotasks", units=100, tz=tz)
    work(store, "2026-04-02T10:00", "2026-04-02T11:00", project="Boxes", platform="Remotasks", units=50,
         kind="training", tz=tz)
    work(store, "2026-04-03T08:00", "2026-04-03T09:00", project="Boxes", platform="Remotasks", units=10, tz=tz)
    store.add_payout(Payout(platform="Remotasks", paid_at=t("2026-04-03T12:00", tz), amount="5", currency="USD",
                            fee="0.30"))
    store.add_expense(Expense(date=dt.date(2026, 4, 2), category="internet", amount="100", currency="KES"))
    m = metrics.compute(store.frames())
    # 100×0.05 + 50×0.02 = 6 USD at 129.50 = 777 KES; 10×0.05 = 0.5 USD at 130 = 65 KES
    assert Decimal(m["earned"]) == 842
    assert Decimal(m["paid_out"]) == 650 and Decimal(m["fees"]) == 39
    assert Decimal(m["outstanding"]) == 842 - 650
    assert Decimal(m["expenses"]) == 100
    assert Decimal(m["net_hourly_wage"]) == Decimal(842 - 39 - 100) / 4
    assert m["units"] == 160


def test_pay_only_prepares_the_same_pay_and_compute_refuses_it(store):
    """prepare(pay_only=True), for a saved entry's message: each entry's pay (per task, training
    rate, converted at the day's rate) exactly as the whole prepare, and why one is unpriced;
    compute() will not take it (its rate history, payouts and expenses are not derived)."""
    tz = "Africa/Nairobi"
    store.set_settings(Logbook(home_currency="KES", timezone=tz))
    store.add_project(Project(platform="Remotasks", project="Boxes", pay_model="per_task", currency="USD"))
    store.add_rate(Rate(platform="Remotasks", project="Boxes", effective_at=t("2026-04-01T00:00", tz),
                        rate="0.05", unit="task", currency="USD"))
    store.add_rate(Rate(platform="Remotasks", project="Boxes", effective_at=t("2026-04-01T00:00", tz),
                        rate="0.02", unit="task", currency="USD", applies_to="training"))
    store.add_fx(FxRate(date=dt.date(2026, 4, 1), currency="USD", rate="129.50"))
    store.add_payout(Payout(platform="Remotasks", paid_at=t("2026-04-03T12:00", tz), amount="5", currency="USD"))
    work(store, "2026-04-02T08:00", "2026-04-02T10:00", project="Boxes", platform="Remotasks", units=100, tz=tz)
    work(store, "2026-04-02T10:00", "2026-04-02T11:00", project="Boxes", platform="Remotasks", units=50,
         kind="training", tz=tz)
    work(store, "2026-03-31T08:00", "2026-03-31T09:00", project="Boxes", platform="Remotasks", units=10, tz=tz)
    frames = store.frames()
    whole, light = metrics.prepare(frames), metrics.prepare(frames, pay_only=True)
    # 100 × 0.05 USD = 5 USD × 129.50 = 647.50 KES; 50 × 0.02 = 1 USD = 129.50 KES; 31 March: before any rate
    assert sorted(light.pay.tolist()) == [0, 129_500_000, 647_500_000]
    assert light.pay.tolist() == whole.pay.tolist() and light.work_ids.tolist() == whole.work_ids.tolist()
    assert metrics.unpriced_entries(light) == metrics.unpriced_entries(whole)
    assert [u["reason"] for u in metrics.unpriced_entries(light)] == ["no_rate"]
    assert len(whole.payouts) == 1 and len(light.payouts) == 0
    with pytest.raises(TypeError, match="pay_only"):
        metrics.compute(prepared=light)


def test_missing_exchange_rate_is_an_error_naming_currency_and_date(store):
    store.set_settings(Logbook(home_currency="KES", timezone="UTC"))
    store.add_project(Project(platform="R", project="X", currency="USD"))
    store.add_rate(Rate(platform="R", project="X", effective_at=t("2026-04-01T00:00"), rate="2", currency="USD"))
    work(store, "2026-04-02T08:00", "2026-04-02T10:00", project="X", platform="R")
    with pytest.raises(metrics.MetricsError, match="USD on or before 2026-04-02"):
        metrics.compute(store.frames())


def test_weeks_start_monday_in_local_time_across_dst(store):
    # America/New_York: DST starts Sunday 2026-03-08. 23:30 local Sunday is still week 10.
    tz = "America/New_York"
    store.set_settings(Logbook(home_currency="USD", timezone=tz))
    work(store, "2026-03-08T23:30", "2026-03-09T00:30", project=None, platform="P", kind="waiting", tz=tz)
    work(store, "2026-03-09T00:30", "2026-03-09T01:30", project=None, platform="P", kind="waiting", tz=tz)
    m = metrics.compute(store.frames())
    assert [(w["week"], w["hours_worked"]) for w in m["by_week"]] == [("2026-W10", 1.0), ("2026-W11", 1.0)]
    m = metrics.compute(store.frames(), date_from=dt.date(2026, 3, 9), date_to=dt.date(2026, 3, 9))
    assert m["hours_worked"] == 1.0


def test_weekly_cvs_by_hand(store):
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_project(Project(platform="O", project="A", currency="USD"))
    store.add_rate(Rate(platform="O", project="A", effective_at=t("2026-01-01T00:00"), rate="10"))
    work(store, "2026-01-05T09:00", "2026-01-05T11:00", project="A", platform="O")  # W02: $20, 2h
    work(store, "2026-01-19T09:00", "2026-01-19T10:00", project="A", platform="O")  # W04: $10, 1h
    work(store, "2026-01-19T10:00", "2026-01-19T11:00", project=None, platform="O", kind="waiting")
    m = metrics.compute(store.frames())
    # weekly wages: 10 and 5 -> mean 7.5, pop std 2.5 -> cv 1/3
    assert m["weekly_wage_cv"] == pytest.approx(1 / 3)
    # weekly earnings over W02..W04 incl. the empty W03: 20, 0, 10 -> mean 10, std sqrt(200/3)
    assert m["weekly_earnings_cv"] == pytest.approx((200 / 3) ** 0.5 / 10)


def test_conversion_is_exact_and_rounds_half_to_even(store):
    # 0.000005 GBP × 1.5 = 0.0000075 USD -> 0.000008 (half to even: 7.5 micro -> 8)
    # 0.000003 GBP × 1.5 = 0.0000045 USD -> 0.000004 (4.5 micro -> 4)
    # 1234.567891 GBP × 1.27123456789 = 1569.4118... computed exactly
    store.set_settings(Logbook(home_currency="USD", timezone="UTC"))
    store.add_fx(FxRate(date=dt.date(2026, 1, 1), currency="GBP", rate="1.5"))
    store.add_fx(FxRate(date=dt.date(2026, 2, 1), currency="GBP", rate="1.27123456789"))
    for i, (day, pay) in enumerate([("2026-01-05", "0.000005"), ("2026-01-06", "0.000003"),
                                    ("2026-02-02", "1234.567891")]):
        work(store, f"{day}T09:00", f"{day}T10:00", project=None, platform="Prolific", pay=pay, currency="GBP")
    m = metrics.compute(store.frames(), breakdowns=False)
    exact = (Decimal("1234.567891") * Decimal("1.27123456789")).quantize(Decimal("0.000001"))
    assert Decimal(m["earned"]) == Decimal("0.000008") + Decimal("0.000004") + exact


def test_derived_pay_adds_up_exactly_not_entry_by_entry(store):
    """Three 7-minute entries and one of 3 minutes at $35/h are 0.4 h × 35 = $14.00 exactly.
    Rounding each entry to the millionth first (4.083333 × 3 + 1.75) gave 13.999999, and
    put a worker paid exactly the reference 'below' it."""
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_project(Project(platform="S", project="Sx", currency="USD"))
    store.add_rate(Rate(platform="S", project="Sx", effective_at=t("2026-01-01T00:00"), rate="35"))
    for start, end in [("09:00", "09:07"), ("10:00", "10:07"), ("11:00", "11:07"), ("12:00", "12:03")]:
        work(store, f"2026-03-02T{start}", f"2026-03-02T{end}", project="Sx", platform="S")
    m = metrics.compute(store.frames(), reference_wage=Decimal(35))
    assert (m["earned"], m["effective_hourly_wage"], m["paid_hourly_rate"]) == ("14.00", "35.00", "35.00")
    assert m["below_reference"] is False and m["shortfall"] == "0.00" and m["weekly_shortfall"] == "0.00"
    assert m["outstanding"] == "14.00"
    assert [w["earned"] for w in m["by_week"]] == ["14.00"] and [r["earned"] for r in m["by_project"]] == ["14.00"]


def test_a_wage_of_exactly_the_reference_is_not_below_it_when_the_total_is_not_whole_micros(store):
    """61 minutes at $35/h earn 35 × 61/60 = $35.583333…: shown rounded to the millionth,
    but the hourly wage is exactly 35, so a $35 reference is met (the rounded 35.583333
    over 61/60 h is 34.99999967, which called it below). The same with entries of 7, 7,
    7 and 3 minutes and 30 seconds: exactly $35/h, not 35.000001."""
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_project(Project(platform="P", project="H", currency="USD"))
    store.add_rate(Rate(platform="P", project="H", effective_at=t("2026-03-01T00:00"), rate="35"))
    store.add_project(Project(platform="P", project="K", currency="USD"))
    store.add_rate(Rate(platform="P", project="K", effective_at=t("2026-03-01T00:00"), rate="35"))
    work(store, "2026-03-02T09:00", "2026-03-02T10:01", project="H", platform="P")
    for start, end in [("09:00:00", "09:07:00"), ("10:00:00", "10:07:00"), ("11:00:00", "11:07:00"),
                       ("12:00:00", "12:03:00"), ("13:00:00", "13:00:30")]:
        work(store, f"2026-03-10T{start}", f"2026-03-10T{end}", project="K", platform="P")
    m = metrics.compute(store.frames(), reference_wage=Decimal(35))
    assert m["earned"] == "49.875"  # 35 × (61 + 24.5) / 60 = 49.875 exactly
    rows = [m, *m["by_week"], *m["by_project"]]
    assert [r["earned"] for r in m["by_project"]] == ["35.583333", "14.291667"]  # 35 × 24.5 / 60
    for r in rows:
        assert (r["effective_hourly_wage"], r["paid_hourly_rate"], r["net_hourly_wage"]) == ("35.00",) * 3, r
        assert r["below_reference"] is False and r["shortfall"] == "0.00", r
        assert r["weekly_shortfall"] == "0.00", r
    h = metrics.compute(store.frames(), project="H", reference_wage=Decimal(35))
    assert h["advertised_gap"] == "0.00"
    # a millionth of a dollar an hour less than the reference is below it
    below = metrics.compute(store.frames(), project="H", reference_wage=Decimal("35.000001"))
    assert below["below_reference"] is True and below["shortfall"] == "0.000001"  # 35.000001 × 61/60 − 35.583333…


def test_converted_derived_pay_is_exact_too(store):
    """KES home, $10/h paid in USD, three 20-minute entries on a day USD is 129.5 KES:
    1 h × 10 × 129.5 = 1,295 KES (each entry alone is 431.666…)."""
    store.set_settings(Logbook(home_currency="KES", timezone="Africa/Nairobi"))
    store.add_project(Project(platform="R", project="Lidar", currency="USD"))
    store.add_rate(Rate(platform="R", project="Lidar", effective_at=t("2026-01-01T00:00"), rate="10", currency="USD"))
    store.add_fx(FxRate(date=dt.date(2026, 3, 1), currency="USD", rate="129.5"))
    for start, end in [("09:00", "09:20"), ("10:00", "10:20"), ("11:00", "11:20")]:
        work(store, f"2026-03-02T{start}", f"2026-03-02T{end}", project="Lidar", platform="R")
    m = metrics.compute(store.frames(), breakdowns=False)
    assert m["earned"] == "1295.00" and m["effective_hourly_wage"] == "1295.00"


def test_pay_too_large_to_hold_is_an_error_not_a_negative_amount(store):
    """units × rate used to wrap around int64: 'earned' came out as -8446744073709.55."""
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_project(Project(platform="O", project="PT", pay_model="per_task", currency="USD"))
    store.add_rate(Rate(platform="O", project="PT", effective_at=t("2026-01-01T00:00"), rate="999999999999",
                        unit="task"))
    work(store, "2026-03-02T09:00", "2026-03-02T10:00", project="PT", platform="O", units=10_000_000)
    with pytest.raises(metrics.MetricsError, match="10,000,000 tasks at the rate in effect would pay more"):
        metrics.compute(store.frames())


def test_a_large_foreign_amount_converts_exactly_beyond_int64_ticks(store):
    """5,000,000,000.5 VND is 5.0e15 micro-units: times 3600 ticks it passes int64, so it
    must go the Python-integer way (it once overflowed silently). × 0.00004 = 200,000.00002."""
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_fx(FxRate(date=dt.date(2026, 1, 1), currency="VND", rate="0.00004"))
    work(store, "2026-03-02T09:00", "2026-03-02T10:00", project=None, platform="X", pay="5000000000.5",
         currency="VND")
    m = metrics.compute(store.frames(), breakdowns=False)
    assert m["earned"] == "200000.00002"


def test_weeks_below_reference_are_counted_week_by_week(worked_example):
    """metrics.md's worked example against $15/h: W09 (5 unpaid hours) is below, W10 ($185
    for 9 h = $20.56/h) is not: below in 1 of 2 weeks, short by $75, although the period
    averaged is short by only $25."""
    m = metrics.compute(worked_example.frames(), reference_wage=Decimal(15))
    assert (m["weeks_with_work"], m["weeks_below_reference"], m["weekly_shortfall"]) == (2, 1, "75.00")
    weeks = {w["week"]: w for w in m["by_week"]}
    assert (weeks["2026-W09"]["weeks_with_work"], weeks["2026-W09"]["weeks_below_reference"]) == (1, 1)
    assert (weeks["2026-W10"]["weeks_with_work"], weeks["2026-W10"]["weeks_below_reference"]) == (1, 0)
    assert (m["by_project"][0]["weeks_with_work"], m["by_project"][0]["weeks_below_reference"]) == (2, 1)
    # at $21/h W10 (185 < 21 × 9 = 189) is below too
    assert metrics.compute(worked_example.frames(), reference_wage=Decimal(21))["weeks_below_reference"] == 2
    # a week without work is not counted; without a reference there is nothing to be below
    m = metrics.compute(worked_example.frames(), date_from=dt.date(2026, 2, 16), date_to=dt.date(2026, 3, 8))
    assert m["weeks_with_work"] == 2 and len(m["by_week"]) == 3
    assert m["weeks_below_reference"] is None


def test_a_week_paid_exactly_the_reference_is_not_below_it(store):
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_project(Project(platform="S", project="Sx", currency="USD"))
    store.add_rate(Rate(platform="S", project="Sx", effective_at=t("2026-01-01T00:00"), rate="35"))
    work(store, "2026-03-02T09:00", "2026-03-02T10:01", project="Sx", platform="S")
    m = metrics.compute(store.frames(), reference_wage=Decimal(35))
    assert (m["weeks_with_work"], m["weeks_below_reference"]) == (1, 0)
    m = metrics.compute(store.frames(), reference_wage=Decimal("35.000001"))
    assert (m["weeks_with_work"], m["weeks_below_reference"]) == (1, 1)


def test_a_payout_for_earlier_work_is_kept_apart(worked_example):
    """A newcomer's first payout ($60 on 3 March, for work before the logbook) is reported
    as paid_out_earlier and left out of paid_out, fees, outstanding and the net wage; the
    $105 payout of 9 March (fee $5) is an ordinary one."""
    s = worked_example
    s.add_payout(Payout(platform="Outlier", paid_at=t("2026-03-03T10:00"), amount="60", fee="2", currency="USD",
                        for_earlier_work=True))
    s.add_payout(Payout(platform="Outlier", paid_at=t("2026-03-09T10:00"), amount="105", fee="5", currency="USD"))
    m = metrics.compute(s.frames(), date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    assert (m["paid_out"], m["fees"], m["paid_out_earlier"]) == ("105.00", "5.00", "60.00")
    assert m["outstanding"] == "80.00"  # 185 − 105, not 185 − 165
    assert Decimal(m["net_hourly_wage"]) == Decimal("12.857143")  # (185 − 5) / 14
    weeks = {w["week"]: w for w in m["by_week"]}
    assert weeks["2026-W10"]["paid_out_earlier"] == "60.00" and weeks["2026-W10"]["paid_out"] == "0.00"
    assert m["by_project"][0]["paid_out_earlier"] == "60.00"
    # before the ordinary payout: nothing of the 185 was paid out yet
    m = metrics.compute(s.frames(), date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 7))
    assert (m["outstanding"], m["paid_out"], m["paid_out_earlier"]) == ("185.00", "0.00", "60.00")
