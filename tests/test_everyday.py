"""The daily path's shared rules (taskerlog/everyday.py) and the command line's forgotten-clock
warning: a clock running past the threshold is never saved as work without a word."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from taskerlog import everyday, i18n
from taskerlog.store import Store

TZ = "Africa/Nairobi"
GD = "Genesis Dolphin"


def local(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(TZ)).timestamp())


@pytest.mark.parametrize("seconds, shown", [(60, "0:01"), (59, "0:00"), (3600, "1:00"), (14 * 3600 + 125, "14:02"),
                                            (-5, "0:00")])
def test_durations_read_as_hours_and_minutes(seconds, shown):
    assert everyday.fmt_hm(seconds) == shown


@pytest.mark.parametrize("language, typed, read", [
    # a decimal-comma language: the comma is the decimal sign, the dot groups thousands
    ("es", "12,50", "12.50"), ("pt_BR", "12,5", "12.5"), ("fr", "12,50", "12.50"), ("es_VE", "1.234,50", "1234.50"),
    ("es", "1,234", "1.234"),  # in Spanish, one point two three four
    ("es", "12.50", "12.50"),  # not Spanish notation: left as typed, for the amount's own check (it reads 12.50)
    ("es", "1,234,56", "1,234,56"),  # nothing can read it: the amount's own check refuses it
    # a decimal-point language: the comma groups thousands
    ("en", "12.50", "12.50"), ("en", "1,234.50", "1234.50"), ("sw", "1,234", "1234"), ("en", " 80 ", "80"),
    # a decimal comma where it can be nothing else (a comma before one or two digits groups no thousands)
    ("en", "12,50", "12.50"), ("sw", "12,5", "12.5"), ("en", "1.234,50", "1234.50"),
    ("en", "", None), ("es", None, None)])
def test_a_typed_amount_is_read_in_the_logbooks_language(language, typed, read):
    with i18n.using(language):
        assert everyday.amount_text(typed) == read


def test_payout_summary_names_fee_and_what_arrived():
    assert (everyday.payout_summary(Decimal("80"), "USD", Decimal("2.5"), Decimal("9950"), "KES")
            == "Payout USD 80.00 − 2.50 fee, KES 9,950.00 received")
    assert everyday.payout_summary("80", "USD", "0", None, None) == "Payout USD 80.00"


def test_entry_summary_says_how_long_and_what_it_earned():
    row = {"platform": "Outlier", "project": GD, "kind": "tasking", "start_epoch": 0, "end_epoch": 5400,
           "pay_home": "30.000000", "status": "paid", "fx_missing": False}
    assert everyday.entry_summary(row, "USD") == "1:30 of tasking on Outlier · Genesis Dolphin, earned USD 30.00"
    unpaid = {**row, "kind": "onboarding", "pay_home": None, "status": "unpaid", "end_epoch": 60}
    assert everyday.entry_summary(unpaid, "USD") == "0:01 of onboarding on Outlier · Genesis Dolphin, unpaid (earns nothing)"


def test_forgotten_after_the_threshold_only():
    start = local("2026-03-09 17:00")
    assert not everyday.is_forgotten(start, start + 8 * 3600, Decimal(8))
    assert everyday.is_forgotten(start, start + 8 * 3600 + 1, Decimal(8))
    assert not everyday.is_forgotten(start, start + 9 * 3600, Decimal("10.5"))


def test_a_stop_is_between_the_start_and_now():
    start, now = local("2026-03-09 17:00"), local("2026-03-10 07:00")
    assert everyday.stop_instant(dt.date(2026, 3, 9), dt.time(18, 30), TZ, start, now) == local("2026-03-09 18:30")
    with pytest.raises(ValueError, match="after that"):
        everyday.stop_instant(dt.date(2026, 3, 9), dt.time(16, 0), TZ, start, now)
    with pytest.raises(ValueError, match="still to come"):
        everyday.stop_instant(dt.date(2026, 3, 10), dt.time(9, 0), TZ, start, now)
    with pytest.raises(ValueError, match="not yet past"):
        everyday.start_instant(dt.date(2026, 3, 10), dt.time(9, 0), TZ, now)


def test_threshold_setting_is_journaled_and_checked(tmp_path):
    s = Store(tmp_path / "l.sqlite")
    assert everyday.long_clock_hours(s) == 8
    before = s.journal_head()
    everyday.set_long_clock_hours(s, "10,5", source="test")
    assert s.journal_head() != before
    assert everyday.long_clock_hours(s) == Decimal("10.5")
    with pytest.raises(ValueError, match="above 0"):
        everyday.set_long_clock_hours(s, "0")
    assert everyday.long_clock_hours(s) == Decimal("10.5")


def test_one_read_gives_today_the_week_the_recent_entries_and_a_saved_entrys_row(tmp_path):
    """usecases.glance: the Log page's figures, recent entries and a just-saved entry's row from
    one read of this week and the last fortnight; an entry outside those days is not in it."""
    from taskerlog import usecases
    from taskerlog.model import Logbook, Project, Rate, WorkEntry

    s = Store(tmp_path / "l.sqlite")
    s.set_settings(Logbook(home_currency="USD", timezone=TZ))
    s.add_project(Project(platform="Outlier", project=GD, currency="USD"))
    s.add_rate(Rate(platform="Outlier", project=GD, effective_at=local("2026-03-01 00:00"), rate="20"))
    ids = [s.add_work(WorkEntry(platform="Outlier", project=GD, kind="tasking", start=local(a), end=local(b)))
           for a, b in (("2026-03-01 09:00", "2026-03-01 10:00"),  # Sunday 1 March: 9 days before, last week
                        ("2026-03-09 09:00", "2026-03-09 11:30"),  # Monday: this week
                        ("2026-03-10 08:00", "2026-03-10 09:30"))]  # today
    old = s.add_work(WorkEntry(platform="Outlier", project=GD, kind="tasking", start=local("2026-02-20 09:00"),
                               end=local("2026-02-20 10:00")))  # before the fortnight
    reads = []
    real = s.frames
    s.frames = lambda **k: reads.append(k) or real(**k)
    fig, row = usecases.glance(s, local("2026-03-10 12:00"), recent=6)
    assert len(reads) == 1
    # today 1.5 h × 20 = 30; this week 4 h = 80 (1 March is last week's)
    assert fig["today"]["hours_worked"] == Decimal("1.5") and Decimal(fig["today"]["earned"]) == 30
    assert fig["week"]["hours_worked"] == 4 and Decimal(fig["week"]["earned"]) == 80
    assert [r["id"] for r in fig["recent"]] == ids  # the fortnight's, oldest first; not 20 February
    assert row(ids[2])["pay_home"] == Decimal("30.00") and row(ids[0])["pay_home"] == Decimal("20.00")
    assert row(old) is None and len(reads) == 1
    s.frames = real
    assert row(ids[1]) == usecases.entries(s, usecases.EntryQuery(ids=frozenset({ids[1]})))[0]
    assert {k: v for k, v in fig.items() if k != "recent"} == everyday.today_and_week(s, local("2026-03-10 12:00"))


# -- the command line ------------------------------------------------------------------------
def _setup(run, clock):
    run("settings", "--timezone", TZ)
    run("project", "add", "Outlier", GD)
    run("rate", "Outlier", GD, "20", "--from", "2026-03-01")
    clock.now = local("2026-03-10 07:00")
    run("clock", "start", "Outlier", GD, "--at", "yesterday 17:00")


def test_status_and_clock_warn_of_a_clock_running_14_hours(run, clock):
    _setup(run, clock)
    out = run("status")
    assert "still working? clock #1 (Outlier / Genesis Dolphin) has run 14:00 since 2026-03-09 17:00" in out.stderr
    assert "clock stop --id 1 --at HH:MM" in out.stderr
    assert json.loads(run("status", "--json").stdout)["still_working_asked"] == [1]
    assert "still working?" in run("clock").stderr
    clock.now = local("2026-03-09 23:00")  # 6 hours: no question
    assert "still working?" not in run("status").stderr


def test_clock_stop_warns_and_at_stops_quietly(run, clock, db):
    _setup(run, clock)
    out = run("clock", "stop", "--at", "yesterday 21:00")
    assert "still working?" not in out.stderr  # the worker said when they stopped
    assert "(4:00)" in out.stdout
    run("clock", "start", "Outlier", GD, "--at", "2026-03-09 16:00")
    out = run("clock", "stop")  # not at a terminal: warned, then stopped as asked
    assert "still working?" in out.stderr and "has run 15:00" in out.stderr


def test_threshold_from_settings(run, clock):
    _setup(run, clock)
    assert json.loads(run("settings", "--long-clock-hours", "16", "--json").stdout)["long_clock_hours"] == "16"
    assert "still working?" not in run("status").stderr
    bad = run("settings", "--long-clock-hours", "-1", "--timezone", "UTC", ok=False)
    assert bad.exit_code != 0 and "--long-clock-hours" in bad.output
    assert json.loads(run("settings", "--json").stdout)["timezone"] == TZ  # nothing half-saved


def test_the_entries_table_shows_a_one_minute_hit_as_0_01(tmp_path):
    from taskerlog import appsupport
    from taskerlog.model import WorkEntry

    s = Store(tmp_path / "l.sqlite")
    start = local("2026-03-09 10:00")
    s.add_work(WorkEntry(platform="MTurk", kind="tasking", start=start, end=start + 60, pay="0.05", currency="USD"))
    from taskerlog import render, usecases

    [row] = usecases.list_entries(s.frames())
    assert row["minutes"] == 1 and render.hm(row["end_epoch"] - row["start_epoch"]) == "0:01"


def test_a_rate_change_says_what_it_replaces():
    from taskerlog import render
    from taskerlog.usecases import rate_change_pct

    def rate_change(new, before):
        return render.rate_was(before, rate_change_pct(new, before))
    assert rate_change(Decimal("20"), Decimal("35")) == " (was 35.00, −42.9%)"  # −15/35 = −42.857…
    assert rate_change(Decimal("22"), Decimal("20")) == " (was 20.00, +10.0%)"
    assert rate_change(Decimal("20"), None) == ""
    assert rate_change(Decimal("0.006"), Decimal("0.005")) == " (was 0.005, +20.0%)"  # a piece rate keeps its digits
