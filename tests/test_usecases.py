"""The use cases both shells call (taskerlog.usecases), with figures checked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from taskerlog import i18n, render, timeutil, usecases
from taskerlog.model import EQPeriod, FxRate, Logbook, Project, Rate, WorkEntry
from taskerlog.store import StoreError

TZ = "Africa/Nairobi"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> int:
    return timeutil.parse_instant(f"2026-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}", TZ)


@pytest.fixture
def book(store):
    """USD logbook: Outlier / Genesis ($35/h from 2 March 09:00), MTurk / Receipts ($0.005 a
    task from 1 March), Remotasks / Tagging paying in KES (no exchange rate yet)."""
    store.set_settings(Logbook(home_currency="USD", timezone=TZ))
    store.add_project(Project(platform="Outlier", project="Genesis"))
    store.add_rate(Rate(platform="Outlier", project="Genesis", rate="35", effective_at=at(2, 9)))
    store.add_project(Project(platform="MTurk", project="Receipts", pay_model="per_task"))
    store.add_rate(Rate(platform="MTurk", project="Receipts", rate="0.005", unit="task", effective_at=at(1, 0)))
    store.add_project(Project(platform="Remotasks", project="Tagging", currency="KES"))
    return store


def _work(store, platform, project, start, minutes, **kw) -> int:
    return store.add_work(WorkEntry(platform=platform, project=project, kind=kw.pop("kind", "tasking"),
                                    start=start, end=start + minutes * 60, **kw))


def test_each_entry_is_priced_as_recorded_or_from_the_rate(book):
    before = _work(book, "Outlier", "Genesis", at(1, 9), 120)  # before the first rate: 0, and why
    by_rate = _work(book, "Outlier", "Genesis", at(2, 9), 180)  # 3 h × 35 = 105.00
    recorded = _work(book, "Outlier", "Genesis", at(3, 9), 60, pay="25.50", currency="USD")
    rejected = _work(book, "Outlier", "Genesis", at(3, 11), 60, status="rejected")
    three = _work(book, "MTurk", "Receipts", at(4, 9), 6, units=3)  # 3 × 0.005 = 0.015 → 0.02 (half even)
    five = _work(book, "MTurk", "Receipts", at(4, 10), 6, units=5)  # 5 × 0.005 = 0.025 → 0.02 (half even)
    no_units = _work(book, "MTurk", "Receipts", at(4, 11), 1)
    kes = _work(book, "Remotasks", "Tagging", at(5, 9), 30, pay="1295", currency="KES")  # no KES→USD rate
    rows = {r["id"]: r for r in usecases.entries(book)}
    assert rows[by_rate]["pay_home"] == Decimal("105.00") and rows[by_rate]["pay_from"] == "rate"
    assert rows[by_rate]["minutes"] == 180 and render.entry_pay(rows[by_rate]) == "105.00"
    assert rows[recorded]["pay_home"] == Decimal("25.50") and rows[recorded]["pay_from"] == "recorded"
    assert rows[recorded]["pay"] == Decimal("25.50") and rows[recorded]["currency"] == "USD"
    assert rows[before]["pay_home"] == Decimal("0.00") and rows[before]["unpriced"] == "no_rate"
    assert render.entry_pay(rows[before]) == "0.00 (no rate applies)"
    assert "before the first rate of Outlier / Genesis" in rows[before]["unpriced_note"]
    assert rows[rejected]["pay_home"] is None and render.entry_pay(rows[rejected]) == ""
    assert rows[three]["pay_home"] == Decimal("0.02") and rows[five]["pay_home"] == Decimal("0.02")
    assert render.entry_pay(rows[no_units]) == "0.00 (no number of tasks)"
    assert rows[kes]["fx_missing"] and rows[kes]["pay_home"] is None
    assert render.entry_pay(rows[kes]) == "no exchange rate"
    # the app's way: the pay read from the whole logbook's cached derivation, the same rows
    from taskerlog import metrics
    assert usecases.list_entries(book.frames(), prepared=metrics.prepare(book.frames(detail=False))) == \
        list(rows.values())
    book.add_fx(FxRate(currency="KES", rate="0.0077", date=dt.date(2026, 3, 1)))
    [row] = usecases.entries(book, usecases.EntryQuery(ids=frozenset({kes})))
    assert row["pay_home"] == Decimal("9.97")  # 1295 × 0.0077 = 9.9715


def test_a_query_narrows_and_last_keeps_the_latest(book):
    ids = [_work(book, "Outlier", "Genesis", at(d, 9), 60, note=f"day {d}") for d in (2, 3, 4, 5)]
    q = usecases.EntryQuery
    assert [r["id"] for r in usecases.entries(book, q(last=2))] == ids[2:]
    assert [r["id"] for r in usecases.entries(book, q(date_from=dt.date(2026, 3, 3),
                                                     date_to=dt.date(2026, 3, 4)))] == ids[1:3]
    assert [r["id"] for r in usecases.entries(book, q(text="DAY 5"))] == ids[3:]
    assert usecases.entries(book, q(platform="MTurk")) == []
    # the same rows from frames already read (the app's cached frames) and from the store
    assert usecases.list_entries(book.frames(), q(last=2)) == usecases.entries(book, q(last=2))


def test_an_edit_is_checked_whole_and_journaled(book):
    wid = _work(book, "Outlier", "Genesis", at(2, 9), 60)
    now = at(10, 12)
    changed = usecases.edit_entry(book, wid, {"status": "rejected", "note": "no reason given"}, source="manual",
                                  now=now)
    assert changed == {"status": "rejected", "note": "no reason given"}
    assert book.get("work", wid)["status"] == "rejected" and book.get("work", wid)["edited_at"] is not None
    assert usecases.edit_entry(book, wid, {"status": "rejected"}, source="manual", now=now) == {}
    # pay cleared: derived from the rate again (1 h × 35)
    usecases.edit_entry(book, wid, {"status": "paid", "pay": Decimal("30"), "currency": "USD"}, source="app", now=now)
    assert usecases.entries(book)[0]["pay_home"] == Decimal("30.00")
    usecases.edit_entry(book, wid, {"pay": None, "currency": None}, source="app", now=now)
    assert usecases.entries(book)[0]["pay_home"] == Decimal("35.00")
    head = book.journal_head()
    with pytest.raises(ValueError):  # the end before the start: nothing written
        usecases.edit_entry(book, wid, {"end": at(2, 8)}, source="manual", now=now)
    with pytest.raises(ValueError, match="after now"):
        usecases.edit_entry(book, wid, {"start": at(10, 11), "end": at(10, 13)}, source="manual", now=now)
    with pytest.raises(StoreError):
        usecases.edit_entry(book, wid, {"project": "Nope"}, source="manual", now=now)
    with pytest.raises(ValueError, match="no work entry #99"):
        usecases.edit_entry(book, 99, {"note": "x"}, source="manual", now=now)
    assert book.journal_head() == head


def test_the_rate_replaced_and_the_change(book):
    rates = book.frames(work_ids=[]).rates
    assert usecases.previous_rate(rates, "Outlier", "Genesis", "hour", None, at(2, 8)) is None  # before the first
    assert usecases.previous_rate(rates, "Outlier", "Genesis", "hour", None, at(3, 0)) == Decimal(35)
    assert usecases.previous_rate(rates, "Outlier", "Genesis", "task", None, at(3, 0)) is None  # another unit
    assert usecases.previous_rate(rates, "Outlier", "Genesis", "hour", ("training",), at(3, 0)) is None
    assert usecases.rate_change_pct(Decimal(20), Decimal(35)) == Decimal(-15) / 35 * 100
    assert usecases.rate_change_pct(Decimal(20), None) is None and usecases.rate_change_pct(Decimal(1), Decimal(0)) is None


@pytest.mark.parametrize("read", ["frames", "one project's rows"])
def test_the_rate_forms_live_line(book, read):
    """The same line from the logbook's rates frame and from the project's rates read as rows
    (``usecases.project_rates``: what the app's rate form reads, quicker after a save)."""
    def line(typed, unit="hour", project="Genesis"):
        platform = "Outlier" if project == "Genesis" else "MTurk"
        rates = (book.frames(work_ids=[]).rates if read == "frames" else usecases.project_rates(book, platform, project))
        return usecases.rate_preview(rates, platform, project, unit, None, at(10, 12), typed, "USD")
    cut = line("20")
    assert cut.current == Decimal(35) and cut.new == Decimal(20)
    assert cut.text() == "Now 35.00 USD/hour → 20.00: −42.9%."
    assert line("3,850.5").text() == "Now 35.00 USD/hour → 3850.50: +10901.4%."  # English notation's grouping
    assert line("38,50").new == Decimal("38.50")  # a decimal comma where it can be nothing else (23.6)
    with i18n.using("es"):
        assert line("38,50").new == Decimal("38.50")  # 3.5/35: the decimal comma of a Spanish logbook
    assert line("").text() == "Now 35.00 USD/hour."
    assert "not" in line("abc").text() and line("abc").new is None
    assert line("12", unit="task").text() == "No task rate yet for this project: this will be its first: 12.00 USD/task."
    assert line("0.006", unit="task", project="Receipts").text() == "Now 0.005 USD/task → 0.006: +20.0%."
    assert [r["rate_micros"] for r in usecases.project_rates(book, "MTurk", "Receipts")] == [5_000]
    assert usecases.project_rates(book, "Outlier", "Nope") == []  # a project deleted meanwhile: no rate, no error


def test_empty_queue_days_count_both_ends_and_an_open_one_to_today(book):
    book.add_eq(EQPeriod(platform="Outlier", start_date=dt.date(2026, 3, 5), end_date=dt.date(2026, 3, 7)))
    book.add_eq(EQPeriod(platform="MTurk", start_date=dt.date(2026, 3, 30)))
    rows = usecases.eq_periods(book, dt.date(2026, 4, 2))
    assert [(r["platform"], r["days"], r["open"]) for r in rows] == [("Outlier", 3, False), ("MTurk", 4, True)]
    assert [r["platform"] for r in usecases.eq_periods(book, dt.date(2026, 4, 2), "MTurk")] == ["MTurk"]


def test_one_money_and_hours_formatter():
    assert render.grouped("1000000054.505") == "1,000,000,054.50"  # half to even
    assert render.grouped("0.015") == "0.02" and render.grouped("0.025") == "0.02"
    assert render.grouped(12_500_000, micros=True) == "12.50"
    assert render.grouped(None) == render.grouped(float("nan")) == ""
    assert render.money_text("105216.5", "KES") == "KES 105,216.50" and render.money_text(None, "KES") == "—"
    assert render.amount("0.005") == "0.005"  # a piece rate keeps its digits
    assert [render.hm(s) for s in (59, 60, 5400, 50400)] == ["0:00", "0:01", "1:30", "14:00"]
    assert render.signed_percent(Decimal("-42.857")) == "−42.9%" and render.signed_percent(0) == "+0.0%"


def test_rate_history_compares_each_rate_with_the_one_before_for_the_same_kinds(book):
    book.add_rate(Rate(platform="Outlier", project="Genesis", rate="20", effective_at=at(4, 0), note="a mistake"))
    book.add_rate(Rate(platform="Outlier", project="Genesis", rate="12", applies_to=("training",),
                       effective_at=at(5, 0)))
    book.add_rate(Rate(platform="Outlier", project="Genesis", rate="22", effective_at=at(6, 0)))
    rows = usecases.rate_history(book.frames(work_ids=[]).rates, TZ, "Outlier")
    assert [(r["when"], r["rate"], r["applies_to"], r["change"]) for r in rows] == [
        ("2026-03-02 09:00", Decimal("35.00"), "", "first"), ("2026-03-04 00:00", Decimal("20.00"), "", "cut"),
        ("2026-03-05 00:00", Decimal("12.00"), "training", "first"), ("2026-03-06 00:00", Decimal("22.00"), "", "raise")]
    assert [render.signed_percent(r["change_pct"]) for r in rows if r["change_pct"] is not None] == [
        "−42.9%", "+10.0%"]  # −15/35; +2/20
    assert rows[1]["note"] == "a mistake"
