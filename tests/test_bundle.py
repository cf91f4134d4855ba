"""The CSV bundle: every bad input names file:line: column and writes nothing; imports are
idempotent and never overwrite the worker's rows; export → import is exact."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from taskerlog.bundle import (
    ExportError, ImportProblems, export_bundle, import_path, import_tables, read_bundle,
)
from taskerlog.model import Logbook, Project, WorkEntry
from taskerlog.store import Store

NOW = 1_800_000_000
PY = str(Path(sys.executable))

WORKED = {
    "logbook.csv": "home_currency,timezone\nUSD,America/New_York\n",
    "projects.csv": "platform,project,pay_model,currency\nOutlier,Genesis Dolphin,hourly,USD\n",
    "rates.csv": ("platform,project,effective_at,rate\n"
                  "Outlier,Genesis Dolphin,2026-03-02T09:00,35\n"
                  "Outlier,Genesis Dolphin,2026-03-04T00:00,20\n"),
    "work.csv": ("platform,project,kind,start,end,status,note\n"
                 "Outlier,Genesis Dolphin,onboarding,2026-03-01T10:00,2026-03-01T14:00,,\n"
                 "Outlier,Genesis Dolphin,assessment,2026-03-01 14:00,2026-03-01 15:00,,\n"
                 "Outlier,Genesis Dolphin,tasking,2026-03-02T09:00,2026-03-02T12:00,,\n"
                 "Outlier,Genesis Dolphin,tasking,2026-03-03T09:00,2026-03-03T11:00,lost,crash\n"
                 "Outlier,Genesis Dolphin,tasking,2026-03-04T09:00,2026-03-04T13:00,,\n"),
    "eq.csv": "platform,start_date,end_date\nOutlier,2026-03-05,2026-03-07\n",
}


def utc(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc).timestamp())


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "log.sqlite", now=lambda: NOW)
    yield s
    s.close()


def bundle(tmp_path: Path, files: dict[str, str | bytes], name: str = "bundle") -> Path:
    d = tmp_path / name
    d.mkdir()
    for fname, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (d / fname).write_bytes(data)
    return d


def rows(store: Store, table: str) -> list[tuple]:
    cols = [c for c in store.columns(table) if c not in ("recorded_at", "edited_at", "source")]
    sql = f'SELECT {",".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}" ORDER BY id'
    return sorted((tuple(r) for r in store.conn.execute(sql)), key=repr)


def named_work(store: Store) -> list[tuple]:
    """Work rows by platform/project name (ids of platforms may be given out in another order)."""
    w = store.frames().work.drop(columns=["id", "recorded_at", "edited_at", "source"])
    return sorted((tuple(None if pd.isna(v) else v for v in r) for r in w.astype(object).itertuples(
        index=False, name=None)), key=repr)


def problems_of(store: Store, path: Path) -> list[str]:
    head = store.journal_head()
    with pytest.raises(ImportProblems) as exc:
        import_path(store, path)
    assert store.journal_head() == head, "a refused import must write nothing"
    for t in ("platforms", "projects", "work", "rates", "eq", "payouts", "expenses", "fx"):
        assert rows(store, t) == [], t
    return [str(p) for p in exc.value.problems]


def where(problems: list[str]) -> list[str]:
    """Each problem's ``file:line: column``, without its message."""
    return [": ".join(p.split(": ")[:2]) for p in problems]


# -- the worked example of metrics.md ------------------------------------------------------------
def test_worked_example_imports_at_the_right_instants(store, tmp_path):
    report = import_path(store, bundle(tmp_path, WORKED))
    assert report.tables["work"].added == 5 and report.tables["rates"].added == 2
    assert report.platforms_added == ["Outlier"]
    assert store.settings().timezone == "America/New_York"
    w = store.frames().work
    # New York is UTC-5 in early March 2026 (DST starts on the 8th)
    assert w["start"].tolist() == [utc("2026-03-01T15:00"), utc("2026-03-01T19:00"), utc("2026-03-02T14:00"),
                                   utc("2026-03-03T14:00"), utc("2026-03-04T14:00")]
    assert w["status"].tolist() == ["unpaid", "unpaid", "paid", "lost", "paid"]
    assert w["pay_micros"].isna().all() and w["currency"].isna().all()  # blank pay stays blank (derived later)
    r = store.frames().rates
    assert r["rate_micros"].tolist() == [35_000_000, 20_000_000]
    assert r["unit"].tolist() == ["hour", "hour"] and r["currency"].tolist() == ["USD", "USD"]
    assert store.verify().ok


def test_second_import_changes_nothing_not_even_the_journal(store, tmp_path):
    path = bundle(tmp_path, WORKED)
    import_path(store, path)
    head = store.journal_head()
    before = {t: rows(store, t) for t in ("work", "rates", "projects", "eq", "settings")}
    report = import_path(store, path)
    assert report.added == 0 and report.tables["work"].already == 5 and report.kept_yours == 0
    assert "nothing new" in str(report)
    assert store.journal_head() == head
    assert {t: rows(store, t) for t in before} == before


def test_dry_run_reports_the_same_counts_and_writes_nothing(store, tmp_path):
    path = bundle(tmp_path, WORKED)
    head = store.journal_head()
    preview = import_path(store, path, dry_run=True)
    assert store.journal_head() == head and rows(store, "work") == []
    assert preview.tables["work"].added == 5 and preview.platforms_added == ["Outlier"]
    assert "dry run" in str(preview)
    real = import_path(store, path)
    assert {k: v.__dict__ for k, v in real.tables.items()} == {k: v.__dict__ for k, v in preview.tables.items()}


def test_identical_rows_are_a_multiset(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    line = "MTurk,tasking,2026-03-02T09:00,2026-03-02T09:05,0.10\n"
    head = "platform,kind,start,end,pay\n"
    r1 = import_path(store, bundle(tmp_path, {"work.csv": head + line}, "one"))
    assert r1.tables["work"].added == 1
    r3 = import_path(store, bundle(tmp_path, {"work.csv": head + line * 3}, "three"))
    assert (r3.tables["work"].added, r3.tables["work"].already) == (2, 1)
    assert len(rows(store, "work")) == 3
    assert import_path(store, bundle(tmp_path, {"work.csv": head + line * 3}, "again")).added == 0


def test_a_differing_row_with_the_same_key_keeps_yours(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    store.add_work(WorkEntry(platform="MTurk", kind="tasking", start=utc("2026-03-02T09:00"),
                             end=utc("2026-03-02T09:05"), pay=Decimal("0.25"), note="typed by hand"))
    mine = rows(store, "work")
    path = bundle(tmp_path, {"work.csv": "platform,kind,start,end,pay,note\n"
                                         "MTurk,tasking,2026-03-02T09:00,2026-03-02T09:05,0.10,from the platform\n"
                                         "MTurk,tasking,2026-03-02T10:00,2026-03-02T10:05,0.10,\n"})
    report = import_path(store, path)
    assert (report.tables["work"].added, report.tables["work"].already, report.tables["work"].kept_yours) == (1, 0, 1)
    assert "kept yours 1" in str(report)
    assert rows(store, "work")[0] == mine[0]  # 0.25 and the hand-typed note survive
    assert rows(store, "work")[0][6] == 250_000


def test_projects_and_fx_keep_yours_too(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    store.add_project(Project(platform="Outlier", project="White Wolf", pay_model="hourly", currency="USD",
                              notes="mine"))
    path = bundle(tmp_path, {"projects.csv": "platform,project,pay_model,notes\nOutlier,White Wolf,per_task,theirs\n",
                             "fx.csv": "date,currency,rate\n2026-03-01,KES,0.0077\n"})
    r = import_path(store, path)
    assert r.tables["projects"].kept_yours == 1 and r.tables["fx"].added == 1
    assert store.frames().projects["pay_model"].tolist() == ["hourly"]
    again = bundle(tmp_path, {"fx.csv": "date,currency,rate\n2026-03-01,KES,0.00770\n"}, "fx2")
    assert import_path(store, again).tables["fx"].already == 1  # same rate, written differently


# -- every kind of bad input ------------------------------------------------------------------------
W = "platform,project,kind,start,end,duration_minutes,units,pay,currency,status\n"
P = "platform,project,pay_model,currency,advertised_rate,started_on,ended_on,end_reason\n"
OK_P = "Outlier,Wolf,hourly,USD,,,,\n"

BAD = [
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00+3:00,2026-03-02T10:00,,,,,\n"},  # pandas used to raise
     "work.csv:2: start: '2026-03-02T09:00+3:00' is not a time"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,0226-03-02T10:00,,,,,\n"},
     "work.csv:2: end: '0226-03-02T10:00' is not in the years 1900 to 2199; check the year"),
    ({"work.csv": W + "Outlier,,tasking,9999-12-31T23:00,9999-12-31T23:59:59,,,,,\n"},
     "work.csv:2: start: '9999-12-31T23:00' is not"),
    ({"work.csv": W + "Outlier,,tasking,2026-13-01 09:00,2026-03-02T10:00,,,,,\n"},
     "work.csv:2: start: '2026-13-01 09:00' is not a time; write it as 2026-03-02T09:00"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02,2026-03-02T10:00,,,,,\n"},
     "work.csv:2: start: '2026-03-02' is a date without a time of day"),
    # a day that does not exist is no time at all (it was once called "a date without a time of day")
    ({"work.csv": W + "Outlier,,tasking,2026-02-30,2026-03-02T10:00,,,,,\n"},
     "work.csv:2: start: '2026-02-30' is not a time; write it as 2026-03-02T09:00"),
    ({"work.csv": W + "Outlier,,tasking,2026-02-30T09:00,2026-03-02T10:00,,,,,\n"},
     "work.csv:2: start: '2026-02-30T09:00' is not a time"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00:60,2026-03-02T10:00,,,,,\n"},
     "work.csv:2: start: '2026-03-02T09:00:60' is not a time"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,1e3,,,\n"},
     "work.csv:2: units: '1e3' is not a whole number of 0 or more"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,1e3,,\n"},
     "work.csv:2: pay: '1e3' is not an amount"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,1234567890123,,\n"},
     "work.csv:2: pay: '1234567890123' is too large to be an amount"),
    ({"eq.csv": "platform,start_date\nOutlier,2026-02-29\n"},
     "eq.csv:2: start_date: '2026-02-29' is not a date; write it as YYYY-MM-DD"),
    ({"work.csv": W + "Outlier,,typing,2026-03-02T09:00,2026-03-02T10:00,,,,,\n"},
     "work.csv:2: kind: 'typing' is not one of: tasking"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,,,done\n"},
     "work.csv:2: status: 'done' is not one of: paid, pending"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T08:00,,,,,\n"},
     "work.csv:2: end: is not after the start"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,,,,,,\n"},
     "work.csv:2: end: is blank; give the end time or the duration_minutes"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,30,,,,\n"},
     "work.csv:2: duration_minutes: '30' minutes does not match the start and end"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,,0,,,,\n"},
     "work.csv:2: duration_minutes: '0' minutes is no time at all"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-12T09:00,,,,,\n"},
     "work.csv:2: end: makes an entry longer than 7 days"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,2.5,,,\n"},
     "work.csv:2: units: '2.5' is not a whole number of 0 or more"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,-1,,,\n"},
     "work.csv:2: units: '-1' is not a whole number"),
    ({"work.csv": W + 'Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,"1,50",,\n'},
     "work.csv:2: pay: '1,50' is not an amount; write it as a plain number like 12.50"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,-3,,\n"},
     "work.csv:2: pay: '-3' is negative"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,0.1234567,,\n"},
     "work.csv:2: pay: '0.1234567' has more than 6 decimal places"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,1,dollars,\n"},
     "work.csv:2: currency: 'dollars' is not a currency code"),
    ({"work.csv": W + ",,tasking,2026-03-02T09:00,2026-03-02T10:00,,,,,\n"},
     "work.csv:2: platform: is blank; the platform's name is needed here"),
    ({"work.csv": W + "Outlier,Ghost,tasking,2026-03-02T09:00,2026-03-02T10:00,,,,,\n"},
     "work.csv:2: project: there is no project 'Ghost' on Outlier; add it to projects.csv"),
    ({"projects.csv": P + "Outlier,Wolf,monthly,USD,,,,\n"}, "projects.csv:2: pay_model: 'monthly' is not one of"),
    ({"projects.csv": P + "Outlier,Wolf,hourly,USD,,,,fired\n"}, "projects.csv:2: end_reason: 'fired' is not one of"),
    ({"projects.csv": P + "Outlier,Wolf,hourly,USD,,2026-03-05,2026-03-01,\n"},
     "projects.csv:2: ended_on: is before started_on"),
    ({"projects.csv": P + "Outlier,Wolf,hourly,US,,,,\n"}, "projects.csv:2: currency: 'US' is not a currency code"),
    ({"projects.csv": P + "Outlier,Wolf,hourly,USD,,2026-02-30,,\n"},
     "projects.csv:2: started_on: '2026-02-30' is not a date; write it as YYYY-MM-DD"),
    ({"projects.csv": P + "Outlier,Wolf,hourly,USD,$20,,,\n"}, "projects.csv:2: advertised_rate: '$20' is not an amount"),
    ({"projects.csv": P + OK_P + "Outlier,Wolf,per_task,USD,,,,\n"},
     "projects.csv:3: project: Outlier / Wolf is already on line 2 with other values"),
    ({"projects.csv": P + OK_P, "rates.csv": "platform,project,effective_at,rate,unit\nOutlier,Wolf,2026-03-01T00:00,20,day\n"},
     "rates.csv:2: unit: 'day' is not one of: hour, task"),
    ({"projects.csv": P + OK_P,
      "rates.csv": "platform,project,effective_at,rate,applies_to\nOutlier,Wolf,2026-03-01T00:00,20,training;naps\n"},
     "rates.csv:2: applies_to: unknown kind 'naps'"),
    ({"projects.csv": P + OK_P, "rates.csv": "platform,project,effective_at,rate\nOutlier,Wolf,2026-03-01T00:00,\n"},
     "rates.csv:2: rate: is blank; the rate is needed here"),
    ({"projects.csv": P + OK_P, "rates.csv": "platform,project,effective_at,rate\nOutlier,Wolf,soon,20\n"},
     "rates.csv:2: effective_at: 'soon' is not a time"),
    ({"eq.csv": "platform,start_date,end_date\nOutlier,2026-03-05,2026-03-01\n"},
     "eq.csv:2: end_date: is before start_date"),
    ({"eq.csv": "platform,start_date,end_date\nOutlier,,2026-03-01\n"}, "eq.csv:2: start_date: is blank"),
    ({"payouts.csv": "platform,paid_at,amount,currency\nOutlier,2026-03-06T10:00,,USD\n"},
     "payouts.csv:2: amount: is blank"),
    ({"payouts.csv": "platform,paid_at,amount\nOutlier,2026-03-06T10:00,10\n"},
     "payouts.csv:1: currency: missing column; add a 'currency' column to the header"),
    ({"payouts.csv": "platform,paid_at,amount,currency,fee\nOutlier,2026-03-06T10:00,10,USD,-1\n"},
     "payouts.csv:2: fee: '-1' is negative"),
    ({"payouts.csv": "platform,paid_at,amount,currency\nOutlier,06/03/2026,10,USD\n"},
     "payouts.csv:2: paid_at: '06/03/2026' is not a time"),
    ({"expenses.csv": "date,category,amount,currency\n2026-3-5,internet,10,KES\n"},
     "expenses.csv:2: date: '2026-3-5' is not a date"),
    ({"expenses.csv": "date,category,amount,currency\n2026-03-05,,10,KES\n"}, "expenses.csv:2: category: is blank"),
    ({"fx.csv": "date,currency,rate\n2026-03-05,KES,0\n"}, "fx.csv:2: rate: '0' must be more than 0"),
    ({"fx.csv": "date,currency,rate\n2026-03-05,KES,abc\n"}, "fx.csv:2: rate: 'abc' is not an exchange rate"),
    ({"fx.csv": "date,currency,rate\n2026-06-01,USD,2\n"}, "fx.csv:2: currency: USD is the logbook's home currency"),
    # a year typo in a day: an empty queue to 9999 made every weekly figure run for 44 s
    ({"eq.csv": "platform,start_date\nOutlier,9999-12-30\n"}, "eq.csv:2: start_date: '9999-12-30' is not in the years 1900 to 2199"),
    ({"expenses.csv": "date,category,amount,currency\n0226-03-05,internet,10,USD\n"},
     "expenses.csv:2: date: '0226-03-05' is not in the years 1900 to 2199"),
    ({"work.csv": "platform,kind,start,end\nOutlier,admin,1899-12-31T23:59,1900-01-01T00:30\n"},
     "work.csv:2: start: '1899-12-31T23:59' is not in the years 1900 to 2199"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,20000000000000,,,\n"},
     "work.csv:2: units: '20000000000000' tasks in one entry is more than 10,000,000"),
    ({"payouts.csv": "platform,paid_at,amount,currency\nOutlier,2026-03-06T10:00,10,XTS\n"},
     "payouts.csv:2: currency: 'XTS' is not a currency code"),
    ({"fx.csv": "date,currency,rate\n2026-03-05,KES,0.0077\n2026-03-05,KES,0.008\n"},
     "fx.csv:3: currency: 2026-03-05 / KES is already on line 2 with other values"),
    ({"logbook.csv": "home_currency,timezone\nUSD,Mars/Olympus\n"}, "logbook.csv:2: timezone: 'Mars/Olympus' is not a time zone"),
    ({"logbook.csv": "home_currency,timezone\nshillings,UTC\n"}, "logbook.csv:2: home_currency: 'shillings' is not a currency"),
    # three capitals are not enough: a typo would make every figure fail for want of its exchange rate
    ({"payouts.csv": "platform,paid_at,amount,currency\nOutlier,2026-03-06T10:00,10,UDS\n"},
     "payouts.csv:2: currency: 'UDS' is not a currency code"),
    ({"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,5,XYZ,\n"},
     "work.csv:2: currency: 'XYZ' is not a currency code"),
    ({"logbook.csv": "home_currency\nUSD\nKES\n"}, "logbook.csv:3: logbook.csv has one row of settings"),
    ({"work.csv": "platform,kind,start,end,hours\nOutlier,tasking,2026-03-02T09:00,2026-03-02T10:00,1\n"},
     "work.csv:1: hours: unknown column 'hours'; the columns of work.csv are: platform, project, kind"),
    ({"work.csv": "platform,start,end\nOutlier,2026-03-02T09:00,2026-03-02T10:00\n"},
     "work.csv:1: kind: missing column"),
    ({"work.csv": "platform,kind,start\nOutlier,tasking,2026-03-02T09:00\n"},
     "work.csv:1: end: missing column; add an 'end' or a 'duration_minutes' column"),
    ({"work.csv": "platform,kind,start,end,note,note\n"}, "work.csv:1: note: this column appears more than once"),
    ({"works.csv": "platform\n"}, "works.csv: is not a bundle file"),
    ({"work.csv": "platform,kind,start,end\nA,tasking,2026-03-02T09:00,2026-03-02T10:00\n"
                  "A,tasking,2026-03-02T11:00,2026-03-02T12:00,oops\n"},
     "work.csv:3: has 5 cells but the header names 4 columns; the extra cell 'oops' has no column"),
    # a wide first row: pandas once took the first column as an index and shifted the rest
    ({"projects.csv": "platform,project,notes\nOutlier,Nova,great pay, fast reviews\nOutlier,Orion,ok\n"},
     "projects.csv:2: has 4 cells but the header names 3 columns; the extra cell ' fast reviews'"),
    ({"work.csv": "platform,kind,start,end,note\nA,tasking,2026-03-02T09:00,2026-03-02T10:00,\"two\nlines\"\n"
                  "A,tasking,2026-03-02T11:00,2026-03-02T12:00,x,y\n"},
     "work.csv:4: has 6 cells"),  # the line the editor shows, after a cell holding a line break
    ({"work.csv": "platform,kind,start,end,note\nA,tasking,2026-03-02T09:00,2026-03-02T10:00,\"open\n"
                  "A,tasking,2026-03-02T11:00,2026-03-02T12:00,x\n"},
     "work.csv:2: a quoted cell that starts on this line is never closed"),
    ({"work.csv": "\nplatform,kind,start,end\nA,tasking,2026-03-02T09:00,2026-03-02T10:00\n"},
     "work.csv:1: the first line is blank"),
    # an unclosed quote on the last line swallows no line, but would take the cell to the end
    ({"work.csv": "platform,kind,start,end,note\nA,admin,2026-03-02T09:00,2026-03-02T10:00,ok\n"
                  "A,admin,2026-03-03T09:00,2026-03-03T10:00,\"never closed\n"},
     "work.csv:3: a quoted cell that starts on this line is never closed"),
    ({"work.csv": "platform,kind,start,end,note\nA,admin,2026-03-02T09:00,2026-03-02T10:00,ok\n"
                  "A,admin,2026-03-03T09:00,2026-03-03T10:00,\"never closed"},
     "work.csv:3: a quoted cell that starts on this line is never closed"),
    # ...and one closed only by a later cell's quotes would read the lines between into one note
    ({"work.csv": "platform,kind,start,end,note\nA,admin,2026-03-02T09:00,2026-03-02T10:00,\"never closed\n"
                  "A,admin,2026-13-03T09:00,2026-03-03T10:00,x\nA,admin,2026-03-04T09:00,2026-03-04T10:00,\"q\"\n"},
     "work.csv:2: a quote (\") on this line is out of place, so the lines after it would be read into one cell"),
    # more than 128 KiB after an unclosed quote used to hit the csv module's field limit (a traceback)
    ({"work.csv": "platform,kind,start,end,note\nA,admin,2026-03-02T09:00,2026-03-02T10:00,\"open\n"
                  + "A,admin,2026-03-02T09:00,2026-03-02T10:00,padding padding padding\n" * 3000},
     "work.csv:2: a quoted cell that starts on this line is never closed"),
    # a title above the header: one problem, not one a row
    ({"work.csv": "Outlier export, June 2026\nplatform,kind,start,end\n"
                  + "A,admin,2026-03-02T09:00,2026-03-02T10:00\n" * 500},
     "work.csv:1: the first line names none of this file's columns (platform, project, kind, start, end, "
     "duration_minutes, units, pay, currency, status, external_id, note), but line 2 does"),
    # the line of a bad byte, counted as an editor counts: lone CR line ends, and after a BOM
    ({"work.csv": b"platform,kind,start,end,note\rA,admin,2026-03-02T09:00,2026-03-02T10:00,ok\r"
                  b"A,admin,2026-03-02T09:00,2026-03-02T10:00,caf\xe9\r"}, "work.csv:3: is not UTF-8 text"),
    ({"work.csv": b"\xef\xbb\xbfplatform,kind,start,end\nA,admin,2026-03-02T09:00,2026-03-02T10:00\n"
                  b"\xe9A,admin,2026-03-02T09:00,2026-03-02T10:00\n"}, "work.csv:3: is not UTF-8 text"),
    ({"work.csv": "platform,kind,start,end\nA,tasking,2026-03-02T09:00,2026-03-02T10:00\n".encode("utf-16-le")},
     "work.csv:1: is not UTF-8 text (it looks like UTF-16)"),
    ({"work.csv": ""}, "work.csv:1: is empty; it needs a header row"),
    ({"work.csv": "platform;kind;start;end\nA;tasking;2026-03-02T09:00;2026-03-02T10:00\n"},
     "work.csv:1: separates its cells with ';'; a bundle uses commas"),
    ({"work.csv": (W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,,,\n"
                   "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,,,caf\u00e9\n").encode("latin-1")},
     "work.csv:3: is not UTF-8 text; in your spreadsheet choose 'Save as CSV UTF-8'"),
    ({"logbook.csv": "home_currency,timezone\nUSD,America/New_York\n",
      "work.csv": W + "Outlier,,tasking,2026-03-08T02:30,2026-03-08T04:00,,,,,\n"},
     "work.csv:2: start: '2026-03-08T02:30' does not exist in America/New_York"),
]


@pytest.mark.parametrize("files,expected", BAD, ids=[e[:60] for _, e in BAD])
def test_bad_input_names_the_place_and_writes_nothing(store, tmp_path, files, expected):
    store.set_settings(Logbook(timezone="UTC"))
    found = problems_of(store, bundle(tmp_path, files))
    assert any(p.startswith(expected) for p in found), found


def test_every_wide_row_is_reported_and_blank_extra_cells_are_a_spreadsheets_empty_columns(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    head = "platform,kind,start,end\n"
    found = problems_of(store, bundle(tmp_path, {"work.csv": head + "A,tasking,2026-03-02T09:00,2026-03-02T10:00,x\n"
                                                 "A,tasking,2026-03-02T10:00,2026-03-02T11:00\n"
                                                 "A,tasking,2026-03-02T11:00,2026-03-02T12:00,,y\n"}))
    assert [p.split(": ")[0] for p in found] == ["work.csv:2", "work.csv:4"]
    ok = bundle(tmp_path, {"work.csv": head + "A,tasking,2026-03-02T09:00,2026-03-02T10:00,,\n"
                                              "A,tasking,2026-03-02T10:00,2026-03-02T11:00, ,\n"
                                              " , , , \n"  # a row of spaces is a blank row, skipped
                                              ",,,\n"}, name="ok")
    assert import_path(store, ok).tables["work"].added == 2


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_any_line_ending_reads_alike(store, tmp_path, newline):
    """Excel for Mac's old 'CSV (Macintosh)' ends lines with a lone CR."""
    store.set_settings(Logbook(timezone="UTC"))
    text = newline.join(["platform,kind,start,end,note", "A,tasking,2026-03-02T09:00,2026-03-02T10:00,x",
                         'A,tasking,2026-03-02T11:00,2026-03-02T12:00,"two' + newline + 'lines"', ""])
    assert import_path(store, bundle(tmp_path, {"work.csv": text})).tables["work"].added == 2
    assert store.frames().work["note"].tolist() == ["x", "two" + newline + "lines"]


def test_withdrawn_currencies_of_old_records_are_accepted(store, tmp_path):
    """Croatia's kuna (until 2023) and Bulgaria's lev (until 2026) are still ISO 4217 codes
    for the years they were paid in."""
    store.set_settings(Logbook(timezone="UTC", home_currency="EUR"))
    files = {"fx.csv": "date,currency,rate\n2022-05-01,HRK,0.133\n2025-05-01,bgn,0.511\n"}
    assert import_path(store, bundle(tmp_path, files)).tables["fx"].added == 2
    assert sorted(store.frames().fx["currency"]) == ["BGN", "HRK"]


def test_every_problem_is_reported_not_just_the_first(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    files = {"work.csv": W + "Outlier,,tasking,2026-03-02T09:00,2026-03-02T10:00,,,,,\n"
                             "Outlier,,nap,2026-03-02T09:00,2026-03-02T10:00,,,,,\n"
                             "\n"
                             "Outlier,,tasking,yesterday,2026-03-02T10:00,,,x,,\n",
             "eq.csv": "platform,start_date\nOutlier,2026-99-01\n"}
    found = problems_of(store, bundle(tmp_path, files))
    assert where(found) == [
        "work.csv:3: kind", "work.csv:5: start", "work.csv:5: pay", "eq.csv:2: start_date"]


def test_a_wrong_header_in_one_file_does_not_hide_the_other_files_problems(store, tmp_path):
    """An unknown column in eq.csv used to stop the checks there: work.csv's bad rows went
    unreported, and the worker fixed one file only to be told about the next."""
    store.set_settings(Logbook(timezone="UTC"))
    files = {"work.csv": "platform,project,kind,start,end\nPlat,,waiting,2026-04-01 09:00,2026-04-01 08:00\n"
                         "Plat,Nova,tasking,2026-04-01 10:00,2026-04-01 11:00\n",
             "eq.csv": "platform,start_date,end_date,extra\nPlat,2026-04-02,2026-04-03,x\n",
             "projects.csv": "platform,project\nPlat,Orion\n"}
    assert where(problems_of(store, bundle(tmp_path, files))) == ["work.csv:2: end", "work.csv:3: project", "eq.csv:1: extra"]  # Nova is not a project
    # with projects.csv's header wrong, work.csv's rows are checked but not against its projects
    files["projects.csv"] = "platform,project,rate\nPlat,Orion,5\n"
    assert where(problems_of(store, bundle(tmp_path, files, "b2"))) == ["projects.csv:1: rate", "work.csv:2: end", "eq.csv:1: extra"]


def test_quoted_line_breaks_keep_line_numbers_right(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    files = {"work.csv": "platform,kind,start,end,note\n"
                         'Outlier,tasking,2026-03-02T09:00,2026-03-02T10:00,"two\nlines"\n'
                         "Outlier,tasking,2026-03-02T11:00,2026-03-02T10:00,\n"}
    assert problems_of(store, bundle(tmp_path, files))[0].startswith("work.csv:4: end:")


def test_logbook_differing_from_a_configured_logbook_is_a_problem(store, tmp_path):
    store.set_settings(Logbook(timezone="Africa/Nairobi", home_currency="KES"))
    store.add_work(WorkEntry(platform="Remotasks", kind="tasking", start=utc("2026-03-02T09:00"),
                             end=utc("2026-03-02T10:00")))
    path = bundle(tmp_path, {"logbook.csv": "home_currency,timezone\nKES,America/New_York\n"})
    with pytest.raises(ImportProblems) as exc:
        import_path(store, path)
    (p,) = exc.value.problems
    assert str(p).startswith("logbook.csv:2: timezone: the bundle says 'America/New_York' but this logbook uses "
                             "'Africa/Nairobi'")
    assert "--db" in p.message
    # the same settings are fine
    ok = bundle(tmp_path, {"logbook.csv": "home_currency,timezone\nKES,Africa/Nairobi\n"}, "ok")
    assert import_path(store, ok).settings_applied == {}


def test_logbook_applies_to_a_configured_but_empty_logbook(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC", home_currency="USD"))
    path = bundle(tmp_path, {"logbook.csv": "home_currency,timezone,reference_wage\nPHP,Asia/Manila,76.5\n"})
    r = import_path(store, path)
    assert r.settings_applied == {"home_currency": "PHP", "timezone": "Asia/Manila", "reference_wage": "76.5"}
    s = store.settings()
    assert (s.home_currency, s.timezone, s.reference_wage) == ("PHP", "Asia/Manila", Decimal("76.5"))


# -- zips -------------------------------------------------------------------------------------------
def make_zip(path: Path, members: list[tuple[str, bytes]], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


GOOD_WORK = b"platform,kind,start,end\nOutlier,tasking,2026-03-02T09:00Z,2026-03-02T10:00Z\n"


@pytest.mark.parametrize("members,symlink,expected", [
    ([("../work.csv", GOOD_WORK)], None, "points outside the bundle"),
    ([("/tmp/work.csv", GOOD_WORK)], None, "points outside the bundle"),
    ([("work.csv", GOOD_WORK)], "projects.csv", "is a symbolic link"),
    ([("work.csv", GOOD_WORK), ("work.csv", GOOD_WORK)], None, "appears twice"),
    ([("work.csv", GOOD_WORK), ("notes.csv", b"a\n")], None, "notes.csv: is not a bundle file"),
    ([("a/b/work.csv", GOOD_WORK)], None, "is in a sub-folder"),
    ([("work.csv", b"platform,kind,start,end\n" + b"0" * (8 * 1024 * 1024))], None, "a zip bomb"),
])
def test_unsafe_zips_are_refused_before_reading(store, tmp_path, members, symlink, expected):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name we build on purpose
        z = make_zip(tmp_path / "b.zip", members, symlink=symlink)
    found = problems_of(store, z)
    assert any(expected in p for p in found), found


def test_zip_with_one_top_folder_and_a_readme_imports(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    z = make_zip(tmp_path / "b.zip", [("export-2026/work.csv", b"\xef\xbb\xbf" + GOOD_WORK),
                                      ("export-2026/README.txt", b"hi")])
    assert import_path(store, z).tables["work"].added == 1
    assert store.frames().work["start"].tolist() == [utc("2026-03-02T09:00")]


def test_a_password_protected_zip_is_refused_in_words(store, tmp_path):
    z = make_zip(tmp_path / "b.zip", [("work.csv", GOOD_WORK)])
    raw = bytearray(z.read_bytes())  # mark the member encrypted, as `zip -P` does (bit 0 of its flags)
    for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        raw[raw.index(signature) + at] |= 0x1
    z.write_bytes(bytes(raw))
    assert problems_of(store, z) == ["b.zip: member 'work.csv' is protected by a password; "
                                     "make the zip again without a password"]


def test_a_zip_with_damaged_data_is_refused_in_words(store, tmp_path):
    z = make_zip(tmp_path / "b.zip", [("work.csv", GOOD_WORK * 50)])
    raw = bytearray(z.read_bytes())
    at = raw.index(b"work.csv") + len("work.csv") + 5  # inside the deflated data of the first member
    raw[at:at + 8] = b"\xff" * 8
    z.write_bytes(bytes(raw))
    found = problems_of(store, z)
    assert len(found) == 1 and "member 'work.csv' cannot be read" in found[0] and "damaged" in found[0], found


def test_not_a_zip(store, tmp_path):
    p = tmp_path / "b.zip"
    p.write_bytes(b"PK not really")
    assert "is not a folder or a readable .zip" in problems_of(store, p)[0]


# -- values -----------------------------------------------------------------------------------------
def test_defaults_amounts_and_durations(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC", home_currency="KES"))
    files = {
        "projects.csv": "platform,project,pay_model\nRemotasks,Boxes,per_task\n",
        "rates.csv": "platform,project,effective_at,rate\nRemotasks,Boxes,2026-03-01T00:00,0.005\n",
        "work.csv": ("Platform , KIND,start,duration_minutes,units,pay,currency,status\n"   # header: spaces, case
                     "Remotasks,onboarding,2026-03-02T09:00,1.5,,,,\n"
                     "Remotasks,onboarding,2026-03-02T10:00,0.025,,0.01,usd,\n"
                     "Remotasks,TASKING,2026-03-02T11:00,60,,1250.50,KES,pending\n"),
    }
    import_path(store, bundle(tmp_path, files))
    f = store.frames()
    assert f.projects["currency"].tolist() == ["KES"]                       # blank → home currency
    assert (f.rates["unit"].tolist(), f.rates["rate_micros"].tolist()) == (["task"], [5000])
    w = f.work
    assert (w["end"] - w["start"]).tolist() == [90, 2, 3600]                 # 1.5 s rounds half to even → 2
    assert w["pay_micros"].tolist()[1:] == [10_000, 1_250_500_000]
    assert w["status"].tolist() == ["unpaid", "paid", "pending"]             # recorded pay → paid
    assert w["currency"].tolist()[0] is None or w["currency"].isna().tolist()[0]  # blank stays NULL
    assert w["currency"].tolist()[1:] == ["USD", "KES"]
    assert w["kind"].tolist() == ["onboarding", "onboarding", "tasking"]


def test_per_task_work_without_units_is_accepted(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    files = {"projects.csv": "platform,project,pay_model\nRemotasks,Boxes,per_task\n",
             "work.csv": "platform,project,kind,start,end\nRemotasks,Boxes,tasking,2026-03-02T09:00,2026-03-02T10:00\n"}
    assert import_path(store, bundle(tmp_path, files)).tables["work"].added == 1
    assert store.frames().work["units"].isna().all()


def test_local_times_across_the_new_york_dst_change(store, tmp_path):
    files = {"logbook.csv": "home_currency,timezone\nUSD,America/New_York\n",
             "work.csv": ("platform,kind,start,end\n"
                          "MTurk,tasking,2026-03-08T01:30,2026-03-08T03:30\n"        # spans the jump: 1 hour
                          "MTurk,tasking,2026-03-07T09:00,2026-03-07T10:00\n"        # EST -5
                          "MTurk,tasking,2026-03-09T09:00,2026-03-09T10:00\n"        # EDT -4
                          "MTurk,review,2026-11-01T01:30,2026-11-01T01:45\n"         # fold: first occurrence (EDT)
                          "MTurk,review,2026-11-01T01:30-05:00,2026-11-01T01:45-05:00\n")}  # the second, by offset
    import_path(store, bundle(tmp_path, files))
    w = store.frames().work.sort_values("start")
    got = list(zip(w["start"].tolist(), w["end"].tolist()))
    assert got == [(utc("2026-03-07T14:00"), utc("2026-03-07T15:00")),
                   (utc("2026-03-08T06:30"), utc("2026-03-08T07:30")),
                   (utc("2026-03-09T13:00"), utc("2026-03-09T14:00")),
                   (utc("2026-11-01T05:30"), utc("2026-11-01T05:45")),
                   (utc("2026-11-01T06:30"), utc("2026-11-01T06:45"))]


# -- export -----------------------------------------------------------------------------------------
FULL = {
    **WORKED,
    "projects.csv": ("platform,project,pay_model,currency,advertised_rate,started_on,ended_on,end_reason,notes\n"
                     "Outlier,Genesis Dolphin,hourly,USD,35,2026-03-01,2026-03-06,removed,quality issue\n"
                     "Remotasks,Boxes,per_task,KES,,2026-01-01,,,\n"),
    "work.csv": WORKED["work.csv"] + "Remotasks,Boxes,tasking,2026-03-02T20:00,2026-03-02T21:00,,\n"
                                     "Remotasks,,waiting,2026-03-02T19:00,2026-03-02T20:00,,\n",
    "payouts.csv": ("platform,paid_at,amount,currency,fee,method,received_amount,received_currency,reference\n"
                    "Outlier,2026-03-06T10:00,105,USD,2.5,PayPal,13000,KES,TX-1\n"),
    "expenses.csv": "date,category,amount,currency,platform,note\n2026-03-03,internet,1000,KES,,bundle\n",
    "fx.csv": "date,currency,rate\n2026-01-01,KES,0.0077\n",
}


def test_export_then_import_into_a_fresh_logbook_is_identical(store, tmp_path):
    import_path(store, bundle(tmp_path, FULL))
    tables = ("platforms", "projects", "rates", "work", "eq", "payouts", "expenses", "fx")
    for out in ("out.zip", "outdir"):
        export_bundle(store, tmp_path / out)
        fresh = Store(tmp_path / f"fresh-{out}.sqlite", now=lambda: NOW)
        report = import_path(fresh, tmp_path / out)
        assert report.kept_yours == 0
        assert {t: rows(fresh, t) for t in tables} == {t: rows(store, t) for t in tables}
        assert fresh.settings() == store.settings()
        try:
            from taskerlog import metrics
        except ImportError:  # pragma: no cover - metrics arrives with its own engineer
            pass
        else:
            assert metrics.compute(fresh.frames()) == metrics.compute(store.frames())
        # and exporting the copy gives the same bytes
        export_bundle(fresh, tmp_path / f"again-{out}.zip")
        fresh.close()
    with zipfile.ZipFile(tmp_path / "out.zip") as a, zipfile.ZipFile(tmp_path / "again-outdir.zip") as b:
        assert sorted(a.namelist()) == sorted(b.namelist()) == sorted(
            ["logbook.csv", "projects.csv", "rates.csv", "work.csv", "eq.csv", "payouts.csv", "expenses.csv",
             "fx.csv"])
        for n in a.namelist():
            assert a.read(n) == b.read(n), n


def test_export_writes_local_times_plain_amounts_and_blank_pay(store, tmp_path):
    import_path(store, bundle(tmp_path, FULL))
    export_bundle(store, tmp_path / "out")
    work = (tmp_path / "out" / "work.csv").read_text()
    assert ("Outlier,Genesis Dolphin,tasking,2026-03-02T09:00:00-05:00,2026-03-02T12:00:00-05:00,,,,,paid,,\n"
            in work)
    pay = (tmp_path / "out" / "payouts.csv").read_text().splitlines()[1]
    assert pay == "Outlier,2026-03-06T10:00:00-05:00,105.00,USD,2.50,PayPal,13000.00,KES,TX-1,,"  # for_earlier_work blank
    assert (tmp_path / "out" / "fx.csv").read_text() == "date,currency,rate\n2026-01-01,KES,0.0077\n"


def test_export_refuses_a_folder_with_files_and_replaces_a_zip(store, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "thesis.docx").write_text("x")
    with pytest.raises(ExportError, match="already exists"):
        export_bundle(store, tmp_path / "busy")
    assert os.listdir(tmp_path / "busy") == ["thesis.docx"]
    (tmp_path / "b.zip").write_text("old")
    export_bundle(store, tmp_path / "b.zip")
    assert zipfile.is_zipfile(tmp_path / "b.zip")
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_spreadsheet_injection_is_escaped_and_round_trips(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    nasty = ["=HYPERLINK(\"http://x\")", "+1", "-2 tasks", "@SUM(A1)", "'=already quoted", "'tis fine", "plain"]
    quoted = ['"' + n.replace('"', '""') + '"' for n in nasty]
    body = "".join(f"Outlier,tasking,2026-03-02T{9 + i:02d}:00Z,2026-03-02T{9 + i:02d}:30Z,{q}\n"
                   for i, q in enumerate(quoted))
    # the hand-written bundle has no escapes: "'=already quoted" loses its one guard quote on the way in
    import_path(store, bundle(tmp_path, {"work.csv": "platform,kind,start,end,note\n" + body}))
    stored = store.frames().work["note"].tolist()
    assert stored == ["=HYPERLINK(\"http://x\")", "+1", "-2 tasks", "@SUM(A1)", "=already quoted", "'tis fine", "plain"]
    export_bundle(store, tmp_path / "out")
    text = (tmp_path / "out" / "work.csv").read_text()
    for cell in ("'=HYPERLINK", ",'+1", ",'-2 tasks", ",'@SUM(A1)", ",'=already quoted", ",'tis fine", ",plain"):
        assert cell in text, cell
    for line in text.splitlines()[1:]:
        note = line.rsplit(",", 1)[1].strip('"')
        assert note[0] not in "=+-@", line
    fresh = Store(tmp_path / "fresh.sqlite", now=lambda: NOW)
    import_path(fresh, tmp_path / "out")
    assert fresh.frames().work["note"].tolist() == stored
    fresh.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(
    st.sampled_from(["Outlier", "MTurk", "=Evil", "Remo tasks"]),
    st.sampled_from(["tasking", "review", "training", "onboarding", "waiting"]),
    st.integers(1_700_000_000, 1_900_000_000),
    st.integers(1, 7 * 24 * 3600),
    st.one_of(st.none(), st.integers(0, 10_000)),
    st.one_of(st.none(), st.integers(0, 10**12)),
    st.sampled_from([None, "USD", "KES"]),
    st.sampled_from([None, "paid", "pending", "rejected", "lost"]),
    st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
              .map(str.strip).filter(bool)),
), min_size=1, max_size=8), st.sampled_from(["UTC", "America/New_York", "Asia/Manila"]))
def test_hypothesis_round_trip_of_random_work_rows(entries, tz):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        a = Store(d / "a.sqlite", now=lambda: NOW)
        a.set_settings(Logbook(timezone=tz))
        for pf, kind, start, length, units, pay, cur, status, note in entries:
            a.add_work(WorkEntry(platform=pf, kind=kind, start=start, end=start + length, units=units,
                                 pay=None if pay is None else Decimal(pay) / 10**6, currency=cur, status=status,
                                 note=note))
        export_bundle(a, d / "x.zip")
        b = Store(d / "b.sqlite", now=lambda: NOW)
        report = import_path(b, d / "x.zip")
        assert report.tables["work"].added == len(entries)
        assert named_work(b) == named_work(a)
        assert import_path(b, d / "x.zip").added == 0
        a.close()
        b.close()


# -- the command line ------------------------------------------------------------------------------
def run(*args):
    from conftest import cli_process  # in this process: these tests are about what the command says

    return cli_process(*args)


def test_cli_import_export_and_every_problem_on_stderr(tmp_path):
    db = str(tmp_path / "log.sqlite")
    bad = bundle(tmp_path, {"work.csv": W + "Outlier,,nap,2026-03-02T09:00,2026-03-02T10:00,,,,,\n"
                                            "Outlier,,tasking,2026-13-01 09:00,2026-03-02T10:00,,,,,\n"}, "bad")
    r = run("--db", db, "import", str(bad))
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0].startswith("work.csv:2: kind: 'nap' is not one of")
    assert lines[1].startswith("work.csv:3: start: '2026-13-01 09:00' is not a time")
    assert "nothing was imported: 2 problems" in lines[2]
    assert "Traceback" not in r.stderr
    good = bundle(tmp_path, WORKED, "good")
    r = run("--db", db, "import", str(good), "--dry-run")
    assert r.returncode == 0 and "dry run" in r.stdout
    r = run("--db", db, "import", str(good))
    assert r.returncode == 0 and "work: added 5" in r.stdout, r.stdout + r.stderr
    r = run("--db", db, "import", str(good), "--json")
    assert r.returncode == 0 and '"added": 0' in r.stdout
    r = run("--db", db, "export", str(tmp_path / "out.zip"))
    assert r.returncode == 0 and "5 work" in r.stdout
    r = run("--db", db, "import", str(tmp_path / "nowhere"))
    assert r.returncode == 1 and "there is no file or folder" in r.stderr
    for cmd in ("import", "export"):
        h = run(cmd, "--help")
        assert "Example: taskerlog " + cmd in h.stdout


def test_cli_unknown_format_is_named(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n")
    r = run("--db", str(tmp_path / "log.sqlite"), "import", str(f), "--from", "excel97")
    assert r.returncode == 1 and "excel97" in (r.stderr + r.stdout) and "Traceback" not in r.stderr


def test_read_bundle_gives_string_tables_with_lines(tmp_path):
    tables, problems = read_bundle(bundle(tmp_path, {"work.csv": "\ufeffplatform,kind,start,end\n\nA,tasking,x,y\n"}))
    assert problems == []
    w = tables["work"]
    assert w["_line"].tolist() == [3] and w.attrs["file"] == "work.csv"
    assert w["platform"].tolist() == ["A"]


def test_import_tables_accepts_tables_from_other_readers(store):
    store.set_settings(Logbook(timezone="UTC"))
    df = pd.DataFrame({"platform": ["MTurk"], "kind": ["tasking"], "start": ["2026-03-02T09:00"],
                       "duration_minutes": ["5"], "pay": ["0.10"], "external_id": ["3ABC"], "_line": [7]})
    df.attrs["file"] = "mturk-earnings.csv"
    r = import_tables(store, {"work": df}, source="import:mturk")
    assert r.tables["work"].added == 1
    bad = df.assign(pay=["ten cents"])
    bad.attrs["file"] = "mturk-earnings.csv"
    with pytest.raises(ImportProblems) as exc:
        import_tables(store, {"work": bad}, source="import:mturk")
    assert str(exc.value.problems[0]).startswith("mturk-earnings.csv:7: pay: 'ten cents' is not an amount")


def test_a_missing_project_from_another_reader_is_no_project(store):
    """A reader that leaves an empty cell as None (not "") means "no project", as a blank
    cell in the bundle does; it used to be reported as a project called 'nan'."""
    store.set_settings(Logbook(timezone="UTC"))
    df = pd.DataFrame({"platform": ["MTurk", "MTurk"], "project": [None, "Nope"], "kind": ["tasking"] * 2,
                       "start": ["2026-03-02T09:00", "2026-03-02T10:00"], "duration_minutes": ["5", "6"],
                       "_line": [7, 8]}, dtype=object)
    df.attrs["file"] = "mturk-earnings.csv"
    with pytest.raises(ImportProblems) as exc:
        import_tables(store, {"work": df}, source="import:mturk")
    assert [str(p) for p in exc.value.problems] == [
        "mturk-earnings.csv:8: project: there is no project 'Nope' on MTurk; add it to projects.csv "
        "(or to the logbook) first, or check the spelling"]
    r = import_tables(store, {"work": df.iloc[:1]}, source="import:mturk")
    assert r.tables["work"].added == 1
    assert store.rows("work")[0]["project_id"] is None


def test_names_become_ids_once_per_name_and_unknown_ones_are_refused():
    import pyarrow as pa

    from taskerlog.bundle.importer import _ids
    from taskerlog.store import StoreError

    # a str column pandas holds in several arrow chunks, as a big CSV gives it
    platform = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["Outlier", "MTurk"], ["Outlier", "MTurk"]])))
    project = pd.Series(["White Wolf", "", "Genesis Dolphin", None], dtype="str")
    ids = {("Outlier", "White Wolf"): 7, ("Outlier", "Genesis Dolphin"): 9}
    assert _ids([platform, project], ids, "project").to_pylist() == [7, None, 9, None]  # blank project: NULL
    assert _ids([platform], {"Outlier": 1, "MTurk": 2}, "platform").to_pylist() == [1, 2, 1, 2]
    with pytest.raises(StoreError, match="there is no platform MTurk in the logbook"):
        _ids([platform], {"Outlier": 1}, "platform")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=60) | st.lists(st.integers(0, 2**40), max_size=60))
def test_distinct_keys_are_numbered_as_numpy_unique_numbers_them(codes):
    import numpy as np

    from taskerlog.bundle.importer import _distinct
    codes = np.array(codes, dtype=np.int64)
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    got_first, got_inverse = _distinct(codes)
    assert got_first.tolist() == first.tolist() and got_inverse.tolist() == inverse.ravel().tolist()


@pytest.mark.parametrize("rows", [3, 3000])
def test_columns_reach_the_store_with_blanks_as_null(rows):
    """Few rows go as a list, many as an arrow array; either way a blank or missing text is
    NULL, text is kept as given and integers stay integers."""
    from taskerlog.bundle.importer import _column
    text = pd.Series((["a", "", None, "Łódź"] * rows)[:rows * 4], dtype=object)
    ints = pd.Series(([1, None, 3] * rows)[:rows * 3], dtype="Int64")
    got_text, got_ints = _column(text), _column(ints)
    as_list = lambda v: v if isinstance(v, list) else v.to_pylist()  # noqa: E731
    assert as_list(got_text) == ["a", None, None, "Łódź"] * rows
    assert as_list(got_ints) == [1, None, 3] * rows
    assert isinstance(got_text, list) == (rows * 4 <= 256)


def test_applies_to_reads_kinds_in_any_case_as_kind_does(store, tmp_path):
    store.set_settings(Logbook(timezone="UTC"))
    files = {"projects.csv": "platform,project\nOutlier,Wolf\n",
             "rates.csv": "platform,project,effective_at,rate,applies_to\nOutlier,Wolf,2026-03-01T00:00,20,Training; Review\n"}
    import_path(store, bundle(tmp_path, files))
    assert store.frames().rates["applies_to"].tolist() == ["review;training"]


def test_payouts_for_earlier_work_column_is_optional_read_and_written(store, tmp_path):
    files = dict(WORKED)
    files["payouts.csv"] = ("platform,paid_at,amount,currency,for_earlier_work\n"
                            "Outlier,2026-02-27T10:00,60,USD,yes\n"
                            "Outlier,2026-03-09T10:00,105,USD,\n")
    import_path(store, bundle(tmp_path, files))
    assert store.frames().payouts["for_earlier_work"].tolist() == [1, 0]
    from taskerlog import metrics
    m = metrics.compute(store.frames(), date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 3, 31))
    assert (m["paid_out"], m["paid_out_earlier"], m["outstanding"]) == ("105.00", "60.00", "80.00")
    export_bundle(store, tmp_path / "out")
    lines = (tmp_path / "out" / "payouts.csv").read_text().splitlines()
    assert lines[0].endswith(",for_earlier_work") and lines[1].endswith(",yes") and lines[2].endswith(",")
    # importing the export again changes nothing; a bad value names file, line and column
    assert import_path(store, tmp_path / "out").added == 0
    files["payouts.csv"] = "platform,paid_at,amount,currency,for_earlier_work\nOutlier,2026-02-27T10:00,60,USD,maybe\n"
    with pytest.raises(ImportProblems) as err:
        import_path(Store(tmp_path / "other.sqlite", now=lambda: NOW), bundle(tmp_path, files, "bad"))
    assert "payouts.csv:2: for_earlier_work: 'maybe' is not yes or no" in str(err.value)


def test_the_shapes_a_time_may_take_and_a_few_bad_cells_among_thousands(store, tmp_path):
    """Times with fractions, an offset without a colon or with hours only, a lower-case t,
    a comma before the fraction; amounts with a plus or a bare dot; counts with a plus. And
    three bad cells among 5,000 good ones are each named on their own line (the column
    reader finds them without refusing the rest)."""
    rows_in = ["Outlier,,tasking,2026-03-02T09:00:30.9,2026-03-02T10:30+0100,,+3,+.5,,",
               "Outlier,,tasking,2026-03-02t09:00,2026-03-02T11:00:00+01,,,5.,,",
               "Outlier,,tasking,2026-03-02T09:00:00,5,30,,,,",
               "Outlier,,tasking,2026-03-02 09:00:30,5,-4,,,,",
               "Outlier,,tasking,2026-03-02T09:00:00,,9999999999999,,,,"]
    path = bundle(tmp_path, {"logbook.csv": "home_currency,timezone\nUSD,UTC\n", "work.csv": W + "\n".join(rows_in[:2]) + "\n"})
    report = import_path(store, path)
    assert report.tables["work"].added == 2
    got = store.conn.execute("SELECT start, end, units, pay_micros FROM work ORDER BY id").fetchall()
    day = 1772409600  # 2026-03-02T00:00Z
    assert got == [(day + 9 * 3600 + 30, day + 9 * 3600 + 1800, 3, 500_000), (day + 9 * 3600, day + 10 * 3600, None, 5_000_000)]
    good = [f"Outlier,,tasking,2026-03-{1 + i % 28:02d}T{i % 24:02d}:00,,{1 + i % 50},,,," for i in range(5000)]
    body = good[:1000] + rows_in[2:3] + good[1000:4000] + rows_in[3:] + good[4000:]
    path = bundle(tmp_path, {"work.csv": W + "\n".join(body) + "\n"}, name="big")
    with pytest.raises(ImportProblems) as exc:
        import_path(store, path)
    assert [str(p) for p in exc.value.problems] == [
        "work.csv:1002: end: '5' is not a time; write it as 2026-03-02T09:00 or 2026-03-02 09:00 "
        "(add +03:00 or Z for an explicit offset)",
        "work.csv:4003: end: '5' is not a time; write it as 2026-03-02T09:00 or 2026-03-02 09:00 "
        "(add +03:00 or Z for an explicit offset)",
        "work.csv:4003: duration_minutes: '-4' is negative; amounts here must be 0 or more",
        "work.csv:4004: duration_minutes: '9999999999999' is too large to be an amount (at most 12 digits before "
        "the dot)"]


# -- a big work.csv, read and checked a batch of rows at a time ------------------------------------
@pytest.fixture
def in_pieces(monkeypatch):
    """Every work.csv read as a big one is: a hundred bytes or so (a few rows) at a time."""
    from taskerlog.bundle import reader

    monkeypatch.setattr(reader, "STREAM_BYTES", 0)
    monkeypatch.setattr(reader, "BLOCK", 100)


def work_csv(n: int) -> str:
    return "platform,project,kind,start,end,note\n" + "".join(
        f"MTurk,,tasking,2026-03-02T{9 + i // 60:02d}:{i % 60:02d},2026-03-02T{9 + i // 60:02d}:{i % 60:02d}:30,"
        f"n{i}\n" for i in range(n))


def zipped(folder: Path) -> Path:
    out = folder.with_suffix(".zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in folder.iterdir():
            zf.write(p, p.name)
    return out


@pytest.mark.parametrize("as_zip", [False, True])
def test_a_big_work_csv_is_checked_in_pieces_with_its_line_numbers(store, tmp_path, request, as_zip):
    from taskerlog.bundle import reader

    with Store(tmp_path / "whole.sqlite", now=lambda: NOW) as whole:
        import_path(whole, bundle(tmp_path, {"work.csv": work_csv(40)}, "whole"))
        expected = named_work(whole)
    request.getfixturevalue("in_pieces")
    path = bundle(tmp_path, {"work.csv": work_csv(40)})
    path = zipped(path) if as_zip else path
    tables, _ = read_bundle(path)
    assert isinstance(tables["work"], reader.Batches) and len(list(tables["work"])) > 10
    # a bad cell early and one far on: each named on its own line
    bad = work_csv(40).replace("T09:03,", "T9:3,").replace("T09:30,", "T09:30:99,")
    fresh = Store(tmp_path / "bad.sqlite", now=lambda: NOW)
    bad_path = bundle(tmp_path, {"work.csv": bad}, "bad")
    assert where(problems_of(fresh, zipped(bad_path) if as_zip else bad_path)) == [
        "work.csv:5: start", "work.csv:32: start"]
    fresh.close()
    assert import_path(store, path).tables["work"].added == 40
    assert named_work(store) == expected
    assert import_path(store, path).tables["work"].already == 40


def test_a_big_work_csv_with_a_cell_over_two_lines_is_read_whole_with_right_line_numbers(store, tmp_path, in_pieces):
    text = work_csv(40).replace(",n20\n", ',"two\nlines"\n').replace("T09:30,", "T09:30:99,")
    assert where(problems_of(store, bundle(tmp_path, {"work.csv": text}))) == ["work.csv:33: start"]


def test_a_big_work_csv_not_utf8_far_on_is_named_at_its_line(store, tmp_path, in_pieces):
    data = work_csv(40).replace(",n30\n", ",caf\xe9\n").encode("latin-1")
    assert problems_of(store, bundle(tmp_path, {"work.csv": data}))[0].startswith("work.csv:32: is not UTF-8 text")


def test_an_imports_unpriced_entries_are_all_found_a_batch_at_a_time(store, tmp_path, monkeypatch):
    """The entries an import added that earn nothing are worked out a batch at a time (all
    at once took some 1 KB an entry, and over 250,000 ids failed): every batch is counted,
    the ones before the first rate and the per-task ones without units alike."""
    from taskerlog.store import reads

    monkeypatch.setattr(reads, "_UNPRICED_BATCH", 3)
    work = ["platform,project,kind,start,end,units"]
    for day in range(1, 11):  # Wolf's rate starts on the 6th: the 1st to the 5th earn nothing
        work.append(f"Outlier,Wolf,tasking,2026-03-{day:02d}T09:00,2026-03-{day:02d}T10:00,")
    work += ["Outlier,Tags,tasking,2026-03-07T09:00,2026-03-07T10:00,",  # per task, no units
             "Outlier,Tags,tasking,2026-03-08T09:00,2026-03-08T10:00,12"]
    import_path(store, bundle(tmp_path, {
        "logbook.csv": "home_currency,timezone\nUSD,UTC\n",
        "projects.csv": "platform,project,pay_model,currency\nOutlier,Wolf,hourly,USD\nOutlier,Tags,per_task,USD\n",
        "rates.csv": "platform,project,effective_at,rate\nOutlier,Wolf,2026-03-06T00:00,20\n"
                     "Outlier,Tags,2026-03-01T00:00,0.50\n",
        "work.csv": "\n".join(work) + "\n"}), source="import:b")
    found = store.unpriced(source="import:b")
    assert sorted((u["project"], u["day"].day, u["reason"]) for u in found) == [
        ("Tags", 7, "no_units"), *(("Wolf", d, "no_rate") for d in range(1, 6))]
    monkeypatch.setattr(reads, "_UNPRICED_BATCH", 20_000)
    assert sorted(u["id"] for u in store.unpriced(source="import:b")) == sorted(u["id"] for u in found)


def test_a_big_work_csv_in_pieces_imports_as_a_small_one_does(store, tmp_path, request):
    """Names, kinds, currencies and statuses (kept as categories once a batch is checked)
    are written as a whole read writes them, blanks as NULL; importing again adds nothing,
    and a row changed in the logbook is kept (kept yours)."""
    lines = ["platform,project,kind,start,end,pay,currency,status,note"]
    for i in range(60):
        lines.append(f"{('MTurk', 'Prolific', 'Outlier')[i % 3]},{('', 'Alpha', 'Beta')[i % 4 % 3]},"
                     f"{('tasking', 'Training', 'admin')[i % 5 % 3]},2026-03-02T{8 + i // 6:02d}:{i % 6 * 10:02d},"
                     f"2026-03-02T{8 + i // 6:02d}:{i % 6 * 10 + 5:02d},{'' if i % 4 else '1.25'},"
                     f"{('', 'usd', 'EUR')[i % 3]},{('', 'paid', 'Pending')[i % 7 % 3]},{'n' if i % 2 else ''}")
    files = {"logbook.csv": "home_currency,timezone\nUSD,UTC\n",
             "projects.csv": "platform,project,pay_model,currency\n" + "".join(
                 f"{pf},{pj},hourly,USD\n" for pf in ("MTurk", "Prolific", "Outlier") for pj in ("Alpha", "Beta")),
             "work.csv": "\n".join(lines) + "\n"}
    with Store(tmp_path / "whole.sqlite", now=lambda: NOW) as whole:
        import_path(whole, bundle(tmp_path, files, "whole"))
        expected = named_work(whole)
    request.getfixturevalue("in_pieces")
    path = bundle(tmp_path, files)
    assert import_path(store, path).tables["work"].added == 60
    assert named_work(store) == expected
    assert store.conn.execute("SELECT count(*) FROM work WHERE note IS NULL").fetchone()[0] == 30  # blanks: NULL
    assert store.conn.execute("SELECT count(*) FROM work WHERE project_id IS NULL").fetchone()[0] == 30
    assert {r[0] for r in store.conn.execute("SELECT DISTINCT status FROM work")} == {"paid", "pending", "unpaid"}
    wid = store.conn.execute("SELECT min(id) FROM work").fetchone()[0]
    store.update("work", wid, {"note": "mine"}, "manual")
    counts = import_path(store, path).tables["work"]
    assert (counts.added, counts.already, counts.kept_yours) == (0, 59, 1)
    assert store.verify().ok
