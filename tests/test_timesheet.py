"""The week grid's plan: raise a cell → one entry after the day's work; lower it → the
cell's latest entries shortened or deleted; refused as a whole, cell named; all or nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from taskerlog import timesheet
from taskerlog.model import Logbook, Project, WorkEntry
from taskerlog.store import Store

TZ = "Africa/Nairobi"
MON = dt.date(2026, 3, 9)
ROW = ("Outlier", "GD", "tasking")


def at(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(TZ)).timestamp())


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "l.sqlite")
    s.set_settings(Logbook(home_currency="USD", timezone=TZ))
    s.add_project(Project(platform="Outlier", project="GD", currency="USD"))
    s.add_work(WorkEntry(platform="Outlier", project="GD", kind="tasking", start=at("2026-03-09 10:00"),
                         end=at("2026-03-09 11:30")))
    s.add_work(WorkEntry(platform="Outlier", project="GD", kind="tasking", start=at("2026-03-09 13:00"),
                         end=at("2026-03-09 14:00")))
    return s


def _state(store):
    return timesheet.cells(store.frames().work, TZ, MON)


@pytest.mark.parametrize("typed, mins", [("1.5", 90), ("1,5", 90), ("1:30", 90), ("", 0), (None, 0), (2, 120),
                                         (0.25, 15)])
def test_cells_read_hours_as_typed(typed, mins):
    assert timesheet.minutes(typed) == mins


@pytest.mark.parametrize("typed", ["-1", "25", "1:75", "abc"])
def test_bad_cells_are_refused_in_words(typed):
    with pytest.raises(ValueError, match="hours"):
        timesheet.minutes(typed)


def test_grid_sums_a_days_entries(store):
    by, _ = _state(store)
    assert timesheet.grid(by, MON) == {ROW: [150, 0, 0, 0, 0, 0, 0]}


def test_raising_and_lowering_cells_and_a_new_row(store):
    by, busy = _state(store)
    wanted = {ROW: [180, 0, 0, 0, 0, 0, 0], ("Outlier", "GD", "training"): [0, 60, 0, 0, 0, 0, 0]}
    p = timesheet.plan(by, busy, wanted, MON, TZ, now=at("2026-03-12 12:00"))
    assert p.problems == []
    # Monday +30 min after the day's last entry (14:00); Tuesday from 09:00
    assert p.add == [(ROW, at("2026-03-09 14:00"), at("2026-03-09 14:30")),
                     (("Outlier", "GD", "training"), at("2026-03-10 09:00"), at("2026-03-10 10:00"))]
    assert timesheet.apply(store, p, "test") == 2
    by, busy = _state(store)
    assert timesheet.grid(by, MON)[ROW][0] == 180
    # lowered to 1:00: the 13:00 entry (1 h) and 14:00 entry (0:30) go, 10:00-11:30 shortened by 30 min
    p = timesheet.plan(by, busy, {ROW: [60, 0, 0, 0, 0, 0, 0], ("Outlier", "GD", "training"): [0, 60, 0, 0, 0, 0, 0]},
                       MON, TZ, now=at("2026-03-12 12:00"))
    assert len(p.delete) == 2 and len(p.shorten) == 1 and p.add == []
    timesheet.apply(store, p, "test")
    w = store.frames().work.sort_values("start")
    assert [(int(s), int(e)) for s, e in zip(w["start"], w["end"])][0] == (at("2026-03-09 10:00"), at("2026-03-09 11:00"))
    assert store.verify().ok


def test_a_day_to_come_is_refused_and_nothing_is_written(store):
    by, busy = _state(store)
    head = store.journal_head()
    p = timesheet.plan(by, busy, {ROW: [180, 0, 0, 0, 60, 0, 0]}, MON, TZ, now=at("2026-03-12 12:00"))
    assert p.add and len(p.problems) == 1 and "Fri 13 Mar" in p.problems[0] and "after now" in p.problems[0]
    with pytest.raises(ValueError, match="after now"):
        timesheet.apply(store, p, "test")
    assert store.journal_head() == head


def test_more_than_the_day_holds_after_its_work_is_refused(store):
    by, busy = _state(store)
    p = timesheet.plan(by, busy, {ROW: [150 + 11 * 60, 0, 0, 0, 0, 0, 0]}, MON, TZ, now=at("2026-03-12 12:00"))
    assert "does not fit" in p.problems[0]


def test_an_hour_added_after_a_night_that_began_the_day_before_starts_when_the_night_ended(store):
    """A night from the week before's Sunday 22:00 to Monday 15:00: Monday's added hour starts
    at 15:00, not at 14:00 after Monday's own entries (inside the night); Tuesday's at 09:00."""
    store.add_work(WorkEntry(platform="Outlier", project="GD", kind="tasking", start=at("2026-03-08 22:00"),
                             end=at("2026-03-09 15:00")))
    by, busy = _state(store)
    assert busy[MON] == at("2026-03-09 15:00") and MON + dt.timedelta(days=1) not in busy
    p = timesheet.plan(by, busy, {ROW: [210, 60, 0, 0, 0, 0, 0]}, MON, TZ, now=at("2026-03-12 12:00"))
    assert p.problems == []
    assert p.add == [(ROW, at("2026-03-09 15:00"), at("2026-03-09 16:00")),
                     (ROW, at("2026-03-10 09:00"), at("2026-03-10 10:00"))]
