"""Bringing in history: spreadsheets, Toggl, Clockify, MTurk, PayPal, ActivityWatch.

Fixtures in tests/fixtures/importers are written from each format's documented columns;
the expected values beside each test were worked out by hand from those files.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from taskerlog import appsupport, importers, timeutil
from taskerlog.bundle.problems import ImportProblems
from taskerlog.cli import cli
from taskerlog.importers import _common as c
from taskerlog.model import Logbook
from taskerlog.store import activity as act_store
from taskerlog.store.activity import active_seconds

F = Path(__file__).parent / "fixtures" / "importers"
NAIROBI = Logbook(home_currency="USD", timezone="Africa/Nairobi")
TODAY = dt.date(2026, 6, 1)


def read(fmt, name, settings=NAIROBI, **opts):
    return importers.read_history(fmt, F / name, settings, today=TODAY, **opts)


def epoch(text: str) -> int:
    return timeutil.parse_instant(text, "UTC")


def work_rows(r) -> list[dict]:
    return r.tables["work"].to_dict("records")


def msgs(r) -> list[str]:
    return [str(p) for p in r.problems]


@pytest.fixture
def nairobi(store):
    store.set_settings(NAIROBI)
    return store


def run(store, fmt, name, **opts):
    r = read(fmt, name, store.settings(), **opts)
    assert r.problems == [], msgs(r)
    return importers.apply(store, r.tables, source=f"import:{fmt}:{name}")


# -- cell parsers ---------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("09:00", dt.time(9)), ("9:00 AM", dt.time(9)), ("1:05 AM", dt.time(1, 5)), ("1:05 PM", dt.time(13, 5)),
    ("12:30 AM", dt.time(0, 30)), ("12:30 pm", dt.time(12, 30)), ("9am", dt.time(9)), ("23:59:59", dt.time(23, 59, 59)),
])
def test_times_of_day_in_the_ways_people_write_them(text, expected):
    assert c.parse_time_of_day(text)[0] == expected


@pytest.mark.parametrize("text", ["13:05 PM", "25:00", "9", "0:30 AM", "noon"])
def test_impossible_times_are_refused_with_a_reason(text):
    with pytest.raises(c.CellError):
        c.parse_time_of_day(text)


@pytest.mark.parametrize("text,unit,seconds", [
    ("1:30", None, 5400), ("1:30:15", None, 5415), ("90m", None, 5400), ("1.5h", None, 5400), ("1,5 h", None, 5400),
    ("1h 30m", None, 5400), ("90", "minutes", 5400), ("1.5", "hours", 5400), ("2 hrs", None, 7200),
])
def test_durations(text, unit, seconds):
    assert c.parse_duration(text, unit) == seconds


def test_a_plain_number_duration_asks_for_its_unit():
    with pytest.raises(c.CellError, match="--duration-unit"):
        c.parse_duration("90", None)


@pytest.mark.parametrize("text,comma,value,currency", [
    ("$12.50", None, "12.50", "USD"), ("12,50 €", None, "12.50", "EUR"), ("KES 1,250.00", None, "1250.00", "KES"),
    ("1.234,50", None, "1234.50", None), ("₱0.20", None, "0.20", "PHP"), ("1,250", True, "1.250", None),
    ("1,250", False, "1250", None), ("0.005", None, "0.005", None),
])
def test_amounts_with_symbols_and_decimal_commas(text, comma, value, currency):
    a = c.split_amount(text)
    assert c.resolve_amount(a, comma) == Decimal(value)
    assert a.currency == currency


def test_an_amount_that_could_be_thousands_or_decimals_is_a_question():
    a = c.split_amount("1,250")
    value, problems = c.decide_decimal_comma([(2, a)], None, "f.csv", "Pay")
    assert value is None and "--decimal-comma" in str(problems[0]) and str(problems[0]).startswith("f.csv:2: Pay:")


# -- spreadsheets ---------------------------------------------------------------------
def test_day_first_sheet_with_am_pm_euro_commas_and_work_past_midnight():
    r = read("spreadsheet", "sheet_dayfirst.csv")
    assert r.problems == []
    rows = work_rows(r)
    first, onboarding, late = rows
    # 02/03/2026 is 2 March: 15/03/2026 in the same column proves day-first
    assert first["start"] == "2026-03-02T09:00:00+03:00" and first["end"] == "2026-03-02T12:00:00+03:00"
    assert (first["pay"], first["currency"], first["status"], first["kind"]) == ("105.00", "EUR", "paid", "tasking")
    assert onboarding["start"] == "2026-03-15T13:05:00+03:00" and onboarding["pay"] == ""
    # 23:00 → 01:00 crossed midnight (2 h), not a 22-hour negative span
    assert late["end"] == "2026-03-17T01:00:00+03:00"
    assert (late["pay"], late["units"], late["status"], late["kind"]) == ("40.50", "3", "pending", "review")
    assert [p["_line"] for p in rows] == [2, 3, 4]
    projects = r.tables["projects"].to_dict("records")
    assert [(p["project"], p["pay_model"], p["currency"]) for p in projects] == [("Genesis Dolphin", "hourly", "EUR")]


def test_ambiguous_dates_ask_instead_of_guessing():
    r = read("spreadsheet", "sheet_ambiguous.csv")
    assert msgs(r) == ["sheet_ambiguous.csv:2: Date: dates like this could be day/month or month/day (2 such rows); "
                       "say which with --day-first yes (DD/MM/YYYY) or --day-first no (MM/DD/YYYY)"]
    yes = work_rows(read("spreadsheet", "sheet_ambiguous.csv", day_first="yes"))
    no = work_rows(read("spreadsheet", "sheet_ambiguous.csv", day_first="no"))
    assert [w["start"][:10] for w in yes] == ["2026-03-02", "2026-03-04"]
    assert [w["start"][:10] for w in no] == ["2026-02-03", "2026-04-03"]


def test_mixed_date_formats_name_the_odd_row():
    r = read("spreadsheet", "sheet_mixed_dates.csv")
    assert len(r.problems) == 1
    p = r.problems[0]
    assert (p.file, p.line, p.column) == ("sheet_mixed_dates.csv", 4, "Date") and "mixed date formats" in p.message


def test_a_typo_in_the_year_is_caught():
    r = read("spreadsheet", "sheet_typo_year.csv")
    assert msgs(r) == ["sheet_typo_year.csv:3: Date: 2062-03-03 is in the future; check the year (a typo?)"]


def test_an_am_pm_slip_is_named_not_turned_into_a_14_hour_night():
    r = read("spreadsheet", "sheet_ampm_slip.csv")
    assert len(r.problems) == 1
    p = r.problems[0]
    assert (p.line, p.column) == (2, "End") and "AM/PM slip" in p.message


def test_durations_in_every_notation_and_untimed_rows_placed_back_to_back():
    r = read("spreadsheet", "sheet_durations.csv", kind=None)
    assert r.problems == [], msgs(r)
    rows = work_rows(r)
    spans = [(epoch(w["end"]) - epoch(w["start"])) for w in rows]
    assert spans == [5400, 5400, 5400, 7200]  # 1:30, 90m, 1.5h, and "2" under a column called Hours
    # two entries on 2 March without times: 09:00-10:30 then 10:30-12:00, never overlapping
    assert [w["start"][11:16] for w in rows[:2]] == ["09:00", "10:30"]
    assert all(w["note"].endswith("[time of day not recorded]") for w in rows)
    assert [w["pay"] for w in rows] == ["52.50", "", "1050.00", "0.00"]
    # the "What" column is recognised as the kind
    assert [w["kind"] for w in rows] == ["tasking", "assessment", "tasking", "meeting"]


def test_plain_number_durations_ask_for_a_unit_once():
    r = read("spreadsheet", "sheet_custom_cols.csv", platform="Remotasks",
             mapping="Fecha=date,Desde=start,Pago=pay,Proyecto=project,Minutos=duration", duration_unit=None)
    assert r.problems == []  # "Minutos" says minutes
    in_hours = read("spreadsheet", "sheet_custom_cols.csv", platform="Remotasks",
                       mapping="Fecha=date,Desde=start,Pago=pay,Proyecto=project,Minutos=duration",
                       duration_unit="hours")
    spans = [(epoch(w["end"]) - epoch(w["start"])) for w in work_rows(in_hours)]
    assert spans[0] == 45 * 3600


def test_semicolons_dotted_dates_and_decimal_commas_with_a_mapping():
    r = read("spreadsheet", "sheet_custom_cols.csv", platform="Remotasks", currency="PHP",
             mapping="Fecha=date,Desde=start,Minutos=duration,Proyecto=project,Pago=pay")
    rows = work_rows(r)
    assert [(w["start"], w["end"], w["pay"], w["currency"]) for w in rows] == [
        ("2026-03-02T08:00:00+03:00", "2026-03-02T08:45:00+03:00", "3.20", "PHP"),
        ("2026-03-03T08:30:00+03:00", "2026-03-03T09:00:00+03:00", "2.10", "PHP"),
        ("2026-03-14T08:00:00+03:00", "2026-03-14T09:00:00+03:00", "4.25", "PHP"),
    ]


def test_unmapped_columns_say_how_to_map_them():
    r = read("spreadsheet", "sheet_custom_cols.csv")
    assert "--mapping 'YourColumn=date'" in msgs(r)[0]


def test_a_mapping_to_a_field_that_does_not_exist_is_refused():
    r = read("spreadsheet", "sheet_custom_cols.csv", mapping="Fecha=dat")
    assert "unknown field 'dat'" in msgs(r)[0]


def test_xlsx_with_real_dates_and_times(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Start", "End", "Platform", "Project", "Pay"])
    ws.append([dt.datetime(2026, 3, 2), dt.time(9, 0), dt.time(11, 30), "Outlier", "Genesis Dolphin", 87.5])
    ws.append([dt.date(2026, 3, 3), "1:05 PM", "2:05 PM", "Outlier", "Genesis Dolphin", "$35.00"])
    wb.save(tmp_path / "mine.xlsx")
    r = importers.read_history("spreadsheet", tmp_path / "mine.xlsx", NAIROBI)
    assert r.problems == [], msgs(r)
    rows = work_rows(r)
    assert [(w["start"], w["end"], w["pay"]) for w in rows] == [
        ("2026-03-02T09:00:00+03:00", "2026-03-02T11:30:00+03:00", "87.50"),
        ("2026-03-03T13:05:00+03:00", "2026-03-03T14:05:00+03:00", "35.00")]
    assert r.tables["work"].attrs["file"] == "mine.xlsx"


def test_an_empty_file_and_a_file_of_another_format_are_clear_errors():
    assert msgs(read("spreadsheet", "empty.csv")) == [
        "empty.csv:1: empty.csv is empty; export it again (it needs a header row and some rows)"]
    assert "looks like a PayPal activity download; import it with --from paypal" in msgs(
        read("spreadsheet", "paypal_activity.csv"))[0]
    assert "looks like a PayPal activity download; import it with --from paypal" in msgs(
        read("toggl", "paypal_activity.csv"))[0]
    assert "does not look like a Toggl Track detailed CSV" in msgs(read("toggl", "sheet_durations.csv"))[0]
    assert "does not look like a PayPal activity download" in msgs(read("paypal", "toggl_detailed.csv"))[0]
    assert "looks like an ActivityWatch export" in msgs(read("mturk", "activitywatch_export.json"))[0]
    assert "does not look like an ActivityWatch export" in msgs(read("activitywatch", "mturk_hits.json"))[0]
    for fmt in importers.FORMATS:
        r = read(fmt, "empty.csv")
        assert r.problems and r.tables == {}


# -- Toggl and Clockify -----------------------------------------------------------------
def test_toggl_kinds_come_from_tags_then_description():
    r = read("toggl", "toggl_detailed.csv")
    rows = work_rows(r)
    assert [(w["project"], w["kind"]) for w in rows] == [
        ("Genesis Dolphin", "tasking"), ("Genesis Dolphin", "onboarding"), ("Genesis Dolphin", "assessment"),
        ("White Wolf", "instructions")]
    assert [w["pay"] for w in rows] == ["105.00", "", "", ""]  # an amount of 0.00 is "not recorded"
    assert rows[0]["currency"] == "USD"  # from the header "Amount (USD)"
    assert {w["platform"] for w in rows} == {"Outlier"}  # the Client


def test_toggl_import_twice_adds_nothing_and_a_later_export_adds_only_the_new_entry(nairobi):
    from taskerlog import metrics
    report, _ = run(nairobi, "toggl", "toggl_detailed.csv")
    assert report.tables["work"].added == 4 and report.tables["projects"].added == 2
    again, _ = run(nairobi, "toggl", "toggl_detailed.csv")
    assert again.added == 0
    later, _ = run(nairobi, "toggl", "toggl_later.csv")
    assert (later.tables["work"].added, later.tables["work"].already) == (1, 2)
    m = metrics.compute(nairobi.frames())
    # 4 h onboarding + 1 h test + 3 h + 4 h tasking + 0.5 h instructions
    assert m["hours_worked"] == 12.5
    assert Decimal(m["earned"]) == Decimal("185.00")


def test_clockify_month_first_dates_with_am_pm_and_pesos():
    r = read("clockify", "clockify_detailed.csv")
    assert r.problems == [], msgs(r)
    rows = work_rows(r)
    assert [(w["start"], w["end"], w["kind"], w["pay"], w["currency"]) for w in rows] == [
        ("2026-03-13T09:00:00+03:00", "2026-03-13T11:30:00+03:00", "tasking", "500.00", "PHP"),
        ("2026-03-14T20:00:00+03:00", "2026-03-14T20:45:00+03:00", "waiting", "", ""),
    ]
    assert r.tables["projects"].to_dict("records")[0]["currency"] == "PHP"


# -- MTurk ----------------------------------------------------------------------------
def test_mturk_hits_become_one_entry_each_with_status_and_reward():
    r = read("mturk", "mturk_hits.json")
    assert r.problems == []
    rows = work_rows(r)
    assert [(w["external_id"], w["project"], w["status"], w["pay"]) for w in rows] == [
        ("3AAA111ASSIGN", "Pew Research", "paid", "1.50"),
        ("3AAA222ASSIGN", "ProBoards, Inc.", "rejected", "0.02"),
        ("3AAA333ASSIGN", "ProBoards, Inc.", "pending", "0.02"),
        ("3AAA444ASSIGN", "dvamnr", "returned", "0.00"),
    ]
    assert rows[0]["start"] == "2026-02-10T17:00:00+03:00" and rows[0]["end"] == "2026-02-10T17:12:00+03:00"
    assert {w["platform"] for w in rows} == {"MTurk"}
    assert {p["pay_model"] for p in r.tables["projects"].to_dict("records")} == {"per_task"}


def test_mturk_import_is_idempotent_and_rejected_time_counts_as_unpaid(nairobi):
    from taskerlog import metrics
    run(nairobi, "mturk", "mturk_hits.json")
    again, _ = run(nairobi, "mturk", "mturk_hits.json")
    assert again.added == 0
    m = metrics.compute(nairobi.frames())
    assert m["hours_worked"] == pytest.approx((12 * 60 + 90 + 60 + 20 * 60) / 3600)
    assert Decimal(m["earned"]) == Decimal("1.52")  # 1.50 approved + 0.02 pending
    assert Decimal(m["pending"]) == Decimal("0.02")


def _later_export(tmp_path, states: dict[str, str]):
    import json
    hits = json.loads((F / "mturk_hits.json").read_text(encoding="utf-8"))
    for k, v in states.items():
        hits[k]["state"] = v
    later = tmp_path / "mturk_hits_later.json"
    later.write_text(json.dumps(hits), encoding="utf-8")
    return later


def test_a_later_mturk_export_settles_the_pending_hit_through_the_journal(nairobi, tmp_path):
    from taskerlog import metrics
    run(nairobi, "mturk", "mturk_hits.json")
    [pending] = [w for w in nairobi.rows("work") if w["external_id"] == "3AAA333ASSIGN"]
    assert pending["status"] == "pending"
    later = _later_export(tmp_path, {"3AAA333ASSIGN": "Approved"})
    r = importers.read_history("mturk", later, nairobi.settings(), today=TODAY)
    preview, _ = importers.apply(nairobi, r.tables, source="import:mturk:later", dry_run=True)
    assert preview.tables["work"].settled == 1 and "would settle 1" in str(preview)
    assert nairobi.get("work", pending["id"])["status"] == "pending"  # a dry run writes nothing
    report, _ = importers.apply(nairobi, r.tables, source="import:mturk:later")
    counts = report.tables["work"]
    assert (counts.added, counts.already, counts.settled, counts.kept_yours) == (0, 3, 1, 0)
    assert "settled 1 (pending in the logbook, now settled by the platform" in str(report)
    row = nairobi.get("work", pending["id"])
    assert row["status"] == "paid" and row["pay_micros"] == 20_000 and row["edited_at"] is not None
    m = metrics.compute(nairobi.frames())
    assert (Decimal(m["earned"]), Decimal(m["pending"])) == (Decimal("1.52"), Decimal("0"))
    # the edit trail shows where the new status came from, and the journal still verifies
    entry = nairobi.conn.execute("SELECT source, old, new FROM journal WHERE tbl = 'work' AND action = 'update'"
                                 ).fetchall()
    assert entry == [("import:mturk:later", '{"status": "pending"}', '{"status": "paid"}')]
    assert nairobi.verify().ok
    again, _ = importers.apply(nairobi, r.tables, source="import:mturk:later")
    assert (again.tables["work"].settled, again.added) == (0, 0)  # importing twice changes nothing


def test_a_hit_the_worker_edited_or_a_bundle_import_is_never_settled(nairobi, tmp_path):
    from taskerlog.bundle import import_tables
    run(nairobi, "mturk", "mturk_hits.json")
    [pending] = [w for w in nairobi.rows("work") if w["external_id"] == "3AAA333ASSIGN"]
    later = importers.read_history("mturk", _later_export(tmp_path, {"3AAA333ASSIGN": "Rejected"}),
                                   nairobi.settings(), today=TODAY)
    # the CSV bundle keeps its contract: a differing row is the worker's, kept
    bundle_tables, _ = importers.read("mturk", _later_export(tmp_path, {"3AAA333ASSIGN": "Rejected"}),
                                      nairobi.settings(), today=TODAY)
    report = import_tables(nairobi, bundle_tables, source="import:bundle")
    assert (report.tables["work"].kept_yours, report.tables["work"].settled) == (1, 0)
    # an entry the worker changed by hand is theirs: kept, even from the platform's export
    # (here changed and changed back, so that only the edit tells it apart)
    nairobi.update("work", pending["id"], {"note": "asked the requester about it"}, "manual")
    nairobi.update("work", pending["id"], {"note": pending["note"]}, "manual")
    report, _ = importers.apply(nairobi, later.tables, source="import:mturk:later")
    assert (report.tables["work"].kept_yours, report.tables["work"].settled) == (1, 0)
    assert nairobi.get("work", pending["id"])["status"] == "pending"


def test_mturk_hits_with_only_a_date_ask_for_minutes_once():
    r = read("mturk", "mturk_dates_only.json")
    assert len(r.problems) == 1 and "--hit-minutes" in r.problems[0].message
    rows = work_rows(read("mturk", "mturk_dates_only.json", hit_minutes=3))
    # midnight Pacific (PST, -08:00) on 1 March = 11:00 in Nairobi; back to back
    assert [(w["start"], w["end"]) for w in rows] == [
        ("2026-03-01T11:00:00+03:00", "2026-03-01T11:03:00+03:00"),
        ("2026-03-01T11:03:00+03:00", "2026-03-01T11:06:00+03:00")]
    assert all("[duration estimated]" in w["note"] for w in rows)


# -- PayPal ---------------------------------------------------------------------------
def test_paypal_keeps_only_incoming_platform_payments_and_says_what_it_skipped():
    r = read("paypal", "paypal_activity.csv")
    assert r.problems == []
    pays = r.tables["payouts"].to_dict("records")
    assert [(p["platform"], p["amount"], p["fee"], p["received_amount"], p["currency"], p["reference"])
            for p in pays] == [("Outlier", "185.00", "3.70", "181.30", "USD", "1AB23456CD789012E"),
                               ("Remotasks", "45.50", "0.91", "44.59", "USD", "5REM")]
    # 08:15:02 PST (-08:00) = 16:15:02 UTC = 19:15:02 in Nairobi
    assert pays[0]["paid_at"] == "2026-03-06T19:15:02+03:00"
    assert pays[1]["paid_at"] == "2026-03-13T17:30:00+03:00"  # 07:30 PDT (-07:00)
    skipped = "\n".join(r.notes)
    assert "Cousin Joe" in skipped and "--payer 'Cousin Joe=Platform'" in skipped
    assert skipped.count("skipped") == 4


def test_paypal_payer_option_and_idempotent_import(nairobi):
    report, _ = run(nairobi, "paypal", "paypal_activity.csv", payer="Cousin Joe=Family")
    assert report.tables["payouts"].added == 3
    again, _ = run(nairobi, "paypal", "paypal_activity.csv", payer="Cousin Joe=Family")
    assert again.added == 0 and again.tables["payouts"].already == 3


# -- ActivityWatch ----------------------------------------------------------------------
def test_activitywatch_is_evidence_and_never_hours_worked(nairobi):
    from taskerlog import metrics
    run(nairobi, "toggl", "toggl_detailed.csv")
    before = metrics.compute(nairobi.frames())
    r = read("activitywatch", "activitywatch_export.json")
    assert r.problems == []
    assert "work" not in r.tables
    _, counts = importers.apply(nairobi, r.tables, source="import:aw")
    assert (counts.added, counts.already) == (3, 0)
    _, again = importers.apply(nairobi, r.tables, source="import:aw")
    assert (again.added, again.already) == (0, 3)
    after = metrics.compute(nairobi.frames())
    assert after["hours_worked"] == before["hours_worked"] and after["earned"] == before["earned"]
    spans = act_store.spans(nairobi)
    assert set(spans["bucket"]) == {"aw-watcher-afk", "aw-watcher-window"}  # no host name kept
    # the Toggl entry 09:00-12:00 Nairobi = 06:00-09:00 UTC; the active spans are 09:00-10:30 and
    # 10:40-12:00 UTC, so they cover none of it; an entry 09:00-12:00 UTC is covered 90 + 80 minutes
    assert active_seconds(spans, epoch("2026-03-02T06:00"), epoch("2026-03-02T09:00")) == 0
    assert active_seconds(spans, epoch("2026-03-02T09:00"), epoch("2026-03-02T12:00")) == (90 + 80) * 60
    assert nairobi.verify().ok
    assert any("aw-stopwatch" in n for n in r.notes)


# -- the command ------------------------------------------------------------------------
def test_cli_refuses_with_file_line_column_and_writes_nothing(tmp_path):
    db = tmp_path / "l.sqlite"
    res = CliRunner().invoke(cli, ["--db", str(db), "import-history", "spreadsheet", str(F / "sheet_ampm_slip.csv")])
    assert res.exit_code == 1
    assert "sheet_ampm_slip.csv:2: End: ends (01:00) before it starts (11:00)" in res.output
    assert "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["--db", str(db), "--help"])
    assert "import-history" in res.output


def test_cli_saves_the_mapping_and_reuses_it_for_the_next_file(tmp_path):
    db = tmp_path / "l.sqlite"
    r = CliRunner()
    args = ["--db", str(db), "import-history", "spreadsheet"]
    first = r.invoke(cli, args + [str(F / "sheet_custom_cols.csv"), "--platform", "Remotasks", "--currency", "PHP",
                                  "--mapping", "Fecha=date,Desde=start,Minutos=duration,Proyecto=project,Pago=pay"])
    assert first.exit_code == 0, first.output
    assert "work: added 3" in first.output
    later = tmp_path / "march-later.csv"
    shutil.copy(F / "sheet_custom_cols.csv", later)
    with later.open("a", encoding="utf-8") as fh:
        fh.write("20.03.2026;09:00;30;MM Biscuits;2,00\n")
    second = r.invoke(cli, args + [str(later), "--platform", "Remotasks", "--currency", "PHP", "--dry-run"])
    assert second.exit_code == 0, second.output
    assert "Fecha → date" in second.output and "would add 1, already there 3" in second.output
    assert (tmp_path / "l.mappings.json").exists()


def test_bundle_problems_of_imported_rows_point_at_the_source_file(nairobi):
    r = read("toggl", "toggl_detailed.csv")
    r.tables["work"].loc[0, "kind"] = "napping"  # as if a reader let a bad value through
    with pytest.raises(ImportProblems) as exc:
        importers.apply(nairobi, r.tables, source="x")
    assert str(exc.value.problems[0]).startswith("toggl_detailed.csv:2: kind:")


# -- the app page -----------------------------------------------------------------------
def test_history_page_renders_each_format_without_an_exception(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("TASKERLOG_DB", str(tmp_path / "logbook.sqlite"))
    st.cache_resource.clear()
    page = Path(__file__).resolve().parent.parent / "app_pages" / "history.py"
    at = AppTest.from_file(str(page), default_timeout=60)
    at.session_state["db_path"] = str(tmp_path / "logbook.sqlite")
    at.run()
    assert not at.exception
    for fmt in importers.FORMATS:
        at.selectbox(key="hist_fmt").set_value(fmt).run()
        assert not at.exception, fmt
    st.cache_resource.clear()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 120), st.sampled_from(["active", "window"])),
                max_size=12),
       st.lists(st.tuples(st.integers(0, 400), st.integers(0, 200)), min_size=1, max_size=6))
def test_active_time_inside_entries_is_the_union_counted_second_by_second(raw_spans, raw_entries):
    import numpy as np

    from taskerlog.store.activity import active_within
    spans = pd.DataFrame([{"kind": k, "start": a, "end": a + d, "app": "", "title": ""} for a, d, k in raw_spans],
                         columns=["kind", "start", "end", "app", "title"])
    starts = [a for a, _ in raw_entries]
    ends = [a + d for a, d in raw_entries]
    got = active_within(spans, starts, ends)
    covered = np.zeros(800, dtype=bool)
    for a, d, k in raw_spans:
        if k == "active":
            covered[a:a + d] = True
    assert got.tolist() == [int(covered[s:e].sum()) for s, e in zip(starts, ends)]


def test_a_decimal_comma_left_unquoted_is_a_problem_not_a_lost_fraction(tmp_path):
    """'2,50' unquoted read as pay 2 and a stray '50' dropped: the bundle refuses such rows."""
    (tmp_path / "my-hours.csv").write_text("Date,Start,End,Platform,Project,Pay\n"
                                           "2026-09-01,09:00,11:00,Prolific,Study A,6.00\n"
                                           "2026-09-02,10:00,10:30,Prolific,Study B,2,50\n"
                                           "2026-09-03,10:00,10:30,Prolific,Study B,3.00,,\n")  # blank extras: fine
    r = importers.read_history("spreadsheet", tmp_path / "my-hours.csv", NAIROBI)
    assert [p for p in msgs(r) if "cells" in p] == [
        "my-hours.csv:3: has 7 cells but the header names 6 columns; the extra cell '50' has no column. Put quotes "
        "around a cell that holds a comma (a decimal comma, 2,50, too), or save the sheet again as CSV from your "
        "spreadsheet"]


# -- issue 20: real exports (fixtures follow MTurk Suite's hit-tracker.js / hit_tracker.js:
# a HIT is stored under its hit_id when accepted, with state Assigned and an MTurk date, and
# gains its assignment_id when the tracker syncs; the backup is {"hits": [...], "days": [...]};
# HIT Database backups are {"STATS": [...], "HIT": [...]} with hitId, requesterName, status) --
def _figures(store):
    from taskerlog import metrics
    m = metrics.compute(store.frames())
    return round(m["hours_worked"] * 60), Decimal(m["earned"]), Decimal(m["pending"])


def test_a_later_mturk_suite_backup_adds_exactly_the_new_hits_and_settles_by_either_id(nairobi):
    early = run(nairobi, "mturk", "mturk_suite_backup_early.json", hit_minutes=5)[0]
    # 3HITAAA3 was still Assigned (in the queue) when the backup was made: left out, noted
    assert early.tables["work"].added == 2
    assert _figures(nairobi) == (10, Decimal("0.62"), Decimal("0.62"))  # 0.50 + 0.12 pending
    r = read("mturk", "mturk_suite_backup_later.json", nairobi.settings(), hit_minutes=5)
    assert r.problems == []
    # the later backup lists a new HIT first on 1 March, which moves every estimated time
    # after it, and knows each HIT by its assignment id: neither makes a second copy
    report, _ = importers.apply(nairobi, r.tables, source="import:mturk:later")
    work = report.tables["work"]
    assert (work.added, work.already, work.settled, work.kept_yours) == (3, 1, 1, 0)
    rows = sorted(nairobi.rows("work"), key=lambda w: w["start"])
    assert len(rows) == 5
    # 1 March, Pacific midnight = 08:00 UTC: the two first HITs kept their places, the two
    # new ones follow them, nothing overlaps
    first = epoch("2026-03-01T08:00")
    assert [(w["start"] - first) // 60 for w in rows[:4]] == [0, 5, 10, 15]
    assert all(a["end"] <= b["start"] for a, b in zip(rows, rows[1:]))
    by_id = {w["external_id"]: w["status"] for w in rows}
    assert by_id == {"3HITAAA1": "paid", "3HITAAA2": "pending", "3ASGAAA0": "paid", "3ASGAAA3": "returned",
                     "3ASGAAA4": "paid"}
    # 5 HITs x 5 min; earned 0.12 + 0.50 + 0.05 paid + 0.12 pending; the abandoned HIT earns 0
    assert _figures(nairobi) == (25, Decimal("0.79"), Decimal("0.12"))
    again, _ = importers.apply(nairobi, read("mturk", "mturk_suite_backup_later.json", nairobi.settings(),
                                             hit_minutes=5).tables, source="import:mturk:later")
    assert (again.added, again.tables["work"].settled) == (0, 0)
    assert _figures(nairobi) == (25, Decimal("0.79"), Decimal("0.12"))


def test_the_same_hit_twice_in_one_backup_is_one_entry(tmp_path, nairobi):
    import json
    hit = {"hit_id": "3HITX", "requester_name": "Akkroo", "reward": {"amount_in_dollars": 0.12}, "date": "20260301"}
    (tmp_path / "b.json").write_text(json.dumps({"hits": [{**hit, "state": "Submitted"},
                                                          {**hit, "assignment_id": "3ASGX", "state": "Approved"}]}))
    r = importers.read_history("mturk", tmp_path / "b.json", nairobi.settings(), today=TODAY, hit_minutes=4)
    report, _ = importers.apply(nairobi, r.tables, source="import:mturk:b")
    assert report.tables["work"].added == 1
    assert [w["status"] for w in nairobi.rows("work")] == ["paid"]


def test_mturk_states_the_tracker_writes_are_known_and_an_unknown_one_is_a_note(tmp_path):
    import json
    from taskerlog.importers.mturk import STATES
    # every state MTurk Suite writes: Assigned/Accepted on accept, Submitted, Returned and
    # Abandoned from the queue, Approved/Paid/Rejected/Pending from the status pages
    for state in ("Accepted", "Assigned", "Submitted", "Returned", "Abandoned", "Approved", "Paid", "Rejected",
                  "Pending"):
        assert state.lower() in STATES
    hits = [{"hit_id": f"3H{i}", "requester_name": "Akkroo", "reward": 0.10, "state": s, "date": "20260301"}
            for i, s in enumerate(["Approved", "Frobbed", "Assigned"])]
    (tmp_path / "odd.json").write_text(json.dumps({"hits": hits}))
    r = importers.read_history("mturk", tmp_path / "odd.json", NAIROBI, today=TODAY, hit_minutes=2)
    assert r.problems == [] and len(r.tables["work"]) == 1
    notes = "\n".join(r.notes)
    assert "left out 1 HIT with the state 'frobbed'" in notes and "--strict" in notes
    assert "left out 1 HIT still Assigned/Accepted" in notes
    strict = importers.read_history("mturk", tmp_path / "odd.json", NAIROBI, today=TODAY, hit_minutes=2,
                                    strict="yes")
    assert [(p.line, p.column) for p in strict.problems] == [(2, "state")]
    assert "'frobbed' is not a HIT state" in strict.problems[0].message


def test_a_hit_database_backup_with_a_top_level_hit_key(nairobi):
    r = read("mturk", "hit_database_backup.json", nairobi.settings(), hit_minutes=3)
    assert r.problems == [], msgs(r)
    assert [(w["external_id"], w["project"], w["status"], w["pay"]) for w in work_rows(r)] == [
        ("3HDB0001", "Pew Research", "paid", "0.40"), ("3HDB0002", "Akkroo", "pending", "0.12"),
        ("3HDB0003", "Akkroo", "rejected", "0.12")]
    importers.apply(nairobi, r.tables, source="import:mturk:hdb")
    assert _figures(nairobi) == (9, Decimal("0.52"), Decimal("0.12"))  # a rejection is not earned


def test_clockify_breaks_and_zero_length_entries_are_left_out_with_a_note(nairobi):
    r = read("clockify", "clockify_with_break.csv", nairobi.settings())
    assert r.problems == [], msgs(r)
    assert [(w["start"][11:16], w["end"][11:16], w["pay"]) for w in work_rows(r)] == [
        ("09:00", "11:30", "25.00"), ("12:15", "13:45", "15.00")]
    notes = "\n".join(r.notes)
    assert "left out 1 break" in notes and "line 3" in notes
    assert "left out 1 zero-length entry" in notes and "line 5" in notes
    report, _ = importers.apply(nairobi, r.tables, source="import:clockify")
    assert report.tables["work"].added == 2
    assert _figures(nairobi)[:2] == (240, Decimal("40.00"))  # 2.5 h + 1.5 h; the 45-minute lunch is not work


def test_toggls_current_detailed_csv_member_and_stop_columns(nairobi):
    r = read("toggl", "toggl_current.csv", nairobi.settings())
    assert r.problems == [], msgs(r)
    rows = work_rows(r)
    assert [(w["start"], w["end"], w["kind"], w["pay"]) for w in rows] == [
        ("2026-03-02T09:00:00+03:00", "2026-03-02T12:00:00+03:00", "tasking", "105.00"),
        ("2026-03-02T22:30:00+03:00", "2026-03-03T00:15:00+03:00", "instructions", "")]
    assert "left out 1 break" in "\n".join(r.notes)  # the entry tagged "break"
    run(nairobi, "toggl", "toggl_current.csv")
    assert run(nairobi, "toggl", "toggl_current.csv")[0].added == 0
    assert _figures(nairobi)[:2] == (285, Decimal("105.00"))


def test_a_blank_client_column_is_one_question_naming_the_option():
    r = read("toggl", "toggl_no_client.csv")
    assert msgs(r) == ["toggl_no_client.csv:2: Client: which platform is this? 3 rows have an empty Client column; "
                       "say which with --platform NAME (e.g. --platform Outlier), or fill the column in"]
    # the app names its own field for the same problem
    assert r.problems[0].message.problem.words(appsupport.FIXES) == (
        "which platform is this? 3 rows have an empty Client column; say which under Options → Platform, "
        "or fill the column in")
    assert read("toggl", "toggl_no_client.csv", platform="Outlier").problems == []


# -- PayPal as people download it --------------------------------------------------------
PAYPAL_EN = ('"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address",'
             '"To Email Address","Transaction ID","Balance Impact"\n')


def _paypal(tmp_path, rows: list[str], header: str = PAYPAL_EN, name: str = "Download.CSV"):
    (tmp_path / name).write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path / name


def test_money_from_a_named_payer_counts_whatever_paypals_type_word_is(tmp_path):
    types = ["Express Checkout Payment", "Mobile Payment", "Pre-approved Payment Bill User Payment",
             "Payment Received", "PreApproved Payment Bill User Payment"]
    rows = [f'"03/{10 + i}/2026","09:00:00","PDT","Acme Labeling","{t}","Completed","USD","10.00","-0.50",'
            f'"9.50","pay@acme.example","me@example.org","7ACME{i}","Credit"' for i, t in enumerate(types)]
    rows.append('"03/20/2026","09:00:00","PDT","","General Currency Conversion","Completed","USD","-9.50","0.00",'
                '"-9.50","","","8CONV","Debit"')
    f = _paypal(tmp_path, rows)
    r = importers.read_history("paypal", f, NAIROBI, today=TODAY, payer=["Acme Labeling=Acme"])
    assert r.problems == [], msgs(r)
    pays = r.tables["payouts"].to_dict("records")
    assert [(p["platform"], p["amount"], p["fee"], p["received_amount"]) for p in pays] == [
        ("Acme", "10.00", "0.50", "9.50")] * 5
    notes = "\n".join(r.notes)
    assert "not a payment received" not in notes and notes.count("skipped") == 1 and "8CONV" not in notes


def test_paypal_refuses_oddly_grouped_numbers_and_a_net_that_is_not_gross_minus_fee(tmp_path):
    f = _paypal(tmp_path, [
        '"03/13/2026","09:00:00","PDT","Smart Ecosystem","Mass Pay Payment","Completed","USD","1,2,3","0.00",'
        '"1,2,3","","","1ODD","Credit"',
        '"03/14/2026","09:00:00","PDT","Smart Ecosystem","Mass Pay Payment","Completed","USD","185.00","-3.70",'
        '"118.30","","","2NET","Credit"',
        '"03/15/2026","09:00:00","PDT","Smart Ecosystem","Mass Pay Payment","Completed","USD","1,185.00","-3.70",'
        '"1,181.30","","","3OK","Credit"'])
    r = importers.read_history("paypal", f, NAIROBI, today=TODAY)
    assert (r.problems[0].line, r.problems[0].column) == (2, "Gross") and "grouped oddly" in r.problems[0].message
    assert (r.problems[1].line, r.problems[1].column) == (3, "Net")
    assert "gross 185.00 − fee 3.70 is 181.30, but the net says 118.30" in r.problems[1].message
    assert len(r.problems) == 2  # 1,185.00 - 3.70 = 1,181.30 is fine
    for text, value in (("1,234,567.89", "1234567.89"), ("12,34,567.00", "1234567.00"), ("1.234.567,89", "1234567.89"),
                        ("1 234,50", "1234.50"), ("1'234.50", "1234.50")):
        assert c.resolve_amount(c.split_amount(text), None) == Decimal(value)
    for text in ("1,2,3", "12,3456.00", "1.2.3", "1,234.567,00", "12 34", "1'2"):
        with pytest.raises(c.CellError):
            c.split_amount(text)


#: each language's PayPal download: its headers (date, time, zone, name, type, status,
#: currency, gross, fee, net, transaction id, balance impact), completed word, credit word, zone
PAYPAL_LANGS = {
    "de": (["Datum", "Uhrzeit", "Zeitzone", "Name", "Typ", "Status", "Währung", "Brutto", "Gebühr", "Netto",
            "Transaktionscode", "Auswirkung auf Guthaben"], "Abgeschlossen", "Haben", "Soll", "MEZ", "+01:00"),
    "es": (["Fecha", "Hora", "Zona horaria", "Nombre", "Tipo", "Estado", "Divisa", "Bruto", "Tarifa", "Neto",
            "Id. de transacción", "Impacto en el saldo"], "Completado", "Crédito", "Débito", "CET", "+01:00"),
    "fr": (["Date", "Heure", "Fuseau horaire", "Nom", "Type", "État", "Devise", "Brut", "Frais", "Net",
            "Numéro de transaction", "Impact sur le solde"], "Terminé", "Crédit", "Débit", "CET", "+01:00"),
    "pt": (["Data", "Horário", "Fuso horário", "Nome", "Tipo", "Status", "Moeda", "Bruto", "Tarifa", "Líquido",
            "Código da transação", "Impacto no saldo"], "Concluído", "Crédito", "Débito", "BRT", "-03:00"),
}


@pytest.mark.parametrize("lang", sorted(PAYPAL_LANGS))
def test_paypal_downloads_in_german_spanish_french_portuguese(tmp_path, lang, nairobi):
    header, done, credit, debit, zone, offset = PAYPAL_LANGS[lang]
    q = lambda cells: ",".join(f'"{x}"' for x in cells)  # noqa: E731
    rows = [q(["06.03.2026", "08:15:02", zone, "Smart Ecosystem", "Massenzahlung", done, "EUR", "1.185,00", "-23,70",
               "1.161,30", "1DE", credit]),
            q(["07.03.2026", "10:00:00", zone, "Acme Labeling", "Express Checkout", done, "EUR", "45,50", "-0,91",
               "44,59", "2DE", credit]),
            q(["08.03.2026", "10:00:00", zone, "", "Conversion", done, "EUR", "-1.161,30", "0,00", "-1.161,30", "3DE",
               debit])]
    f = _paypal(tmp_path, rows, header=q(header) + "\n", name=f"paypal_{lang}.csv")
    r = importers.read_history("paypal", f, nairobi.settings(), today=TODAY, payer=["Acme Labeling=Acme"])
    assert r.problems == [], msgs(r)
    pays = r.tables["payouts"].to_dict("records")
    # 06.03 is 6 March (the language writes the day first); 1.185,00 is 1185.00
    assert [(p["platform"], p["amount"], p["fee"], p["received_amount"], p["currency"], p["reference"])
            for p in pays] == [("Outlier", "1185.00", "23.70", "1161.30", "EUR", "1DE"),
                               ("Acme", "45.50", "0.91", "44.59", "EUR", "2DE")]
    assert timeutil.parse_instant(pays[0]["paid_at"], "UTC") == timeutil.parse_instant(
        f"2026-03-06T08:15:02{offset}", "UTC")
    report, _ = importers.apply(nairobi, r.tables, source=f"import:paypal:{lang}")
    assert report.tables["payouts"].added == 2
    again, _ = importers.apply(nairobi, importers.read_history("paypal", f, nairobi.settings(), today=TODAY,
                                                               payer=["Acme Labeling=Acme"]).tables, source="again")
    assert again.added == 0


def test_a_paypal_download_without_its_key_columns_says_which_it_needs(tmp_path):
    f = _paypal(tmp_path, ['"x","y"'], header='"Datum","Name"\n')
    r = importers.read_history("paypal", f, NAIROBI, today=TODAY)
    assert "it has no Gross (Brutto / Bruto / Brut), Currency (Währung / Divisa / Moneda), Transaction ID" in msgs(r)[0]


def test_paypal_payer_options_accumulate_from_the_command_line_and_import_from(tmp_path):
    f = _paypal(tmp_path, [
        '"03/13/2026","09:00:00","PDT","Acme Labeling","Payment Received","Completed","USD","10.00","0.00","10.00",'
        '"","","1A","Credit"',
        '"03/14/2026","09:00:00","PDT","Scale AI, Inc.","Payment Received","Completed","USD","20.00","0.00","20.00",'
        '"","","2B","Credit"'])
    for args in (["import-history", "paypal", str(f), "--payer", "Acme Labeling=Acme", "--payer",
                  "Scale AI, Inc.=Outlier"],
                 ["import", str(f), "--from", "paypal", "-o", "payer=Acme Labeling=Acme", "-o",
                  "payer=Scale AI, Inc.=Outlier"]):
        db = tmp_path / f"{args[0]}.sqlite"
        res = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert res.exit_code == 0, res.output
        assert "payouts: added 2" in res.output
        from taskerlog.store import Store
        assert sorted(p["reference"] for p in Store(db).rows("payouts")) == ["1A", "2B"]


# -- JSON that is not what it says (issue 19 item 6) -------------------------------------
_HIT = '{"hit_id": "3H1", "requester_name": "Akkroo", "reward": 0.1, "state": "Approved", ' \
       '"accepted": "2026-03-01T10:00:00Z", "submitted": "2026-03-01T10:05:00Z"}'
_AW = '{"buckets": {"aw-watcher-afk_h": {"type": "afkstatus", "hostname": "h", "events": [%s]}}}'
_EV = '{"timestamp": "2026-03-01T10:00:00Z", "duration": 5, "data": {"status": "not-afk"}}'


@pytest.mark.parametrize("fmt,text,where,says", [
    ("mturk", '{"hits": [%s]}' % _HIT.replace('"reward": 0.1', '"reward": NaN'), (1, "reward"), "not a reward"),
    ("mturk", '{"hits": [%s]}' % _HIT.replace('"reward": 0.1', '"reward": 1e999'), (1, "reward"), "not a reward"),
    ("mturk", '{"hits": [%s]}' % _HIT.replace('"reward": 0.1', '"reward": -Infinity'), (1, "reward"), "not a reward"),
    ("mturk", '{"hits": [%s]}' % _HIT.replace('"reward": 0.1', '"reward": [1]'), (1, "reward"), "a list"),
    ("mturk", '{"hits": [%s]}' % _HIT.replace('"accepted": "2026-03-01T10:00:00Z"', '"accepted": NaN'),
     (1, "accepted"), "not a time"),
    ("mturk", '{"hits": [%s]}' % _HIT.replace('"accepted": "2026-03-01T10:00:00Z"', '"accepted": 1e999'),
     (1, "accepted"), "not a time"),
    ("mturk", '{"hits": [%s]}' % _HIT.replace('"requester_name": "Akkroo"', '"requester_name": {"a": 1}'),
     (1, "requester_name"), "an object, not text"),
    ("mturk", '{"data": "x"}', (1, ""), "'data' is text, not a list of HITs"),
    ("mturk", '{"hits": 5}', (1, ""), "'hits' is the number 5, not a list of HITs"),
    ("mturk", '{"hits": ["x", %s]}' % _HIT, (1, ""), "HIT 1: is text, not a HIT object"),
    ("mturk", "[" * 100_000 + "]" * 100_000, (1, ""), "nests its data thousands of levels deep"),
    ("activitywatch", _AW % _EV.replace('"duration": 5', '"duration": NaN'), (1, "duration"), "not a duration"),
    ("activitywatch", _AW % _EV.replace('"duration": 5', '"duration": 1e999'), (1, "duration"), "not a duration"),
    ("activitywatch", _AW % _EV.replace('"duration": 5', '"duration": "x"'), (1, "duration"), "not a duration"),
    ("activitywatch", _AW % _EV.replace('{"status": "not-afk"}', '"x"'), (1, "data"), "'data' is text"),
    ("activitywatch", _AW.replace("[%s]", "5"), (1, "events"), "'events' is '5', not a list"),
    ("activitywatch", '{"buckets": "x"}', (1, ""), "'buckets' is text"),
    ("activitywatch", _AW % _EV.replace('"2026-03-01T10:00:00Z"', "5"), (1, "timestamp"), "not an ISO 8601"),
    ("activitywatch", '{"buckets": ' + "[" * 100_000 + "]" * 100_000 + "}", (1, ""), "thousands of levels deep"),
])
def test_json_of_the_wrong_shape_is_a_problem_naming_the_record_and_field(tmp_path, fmt, text, where, says):
    (tmp_path / "export.json").write_text(text, encoding="utf-8")
    r = importers.read_history(fmt, tmp_path / "export.json", NAIROBI, today=TODAY)
    assert len(r.problems) == 1, msgs(r)
    p = r.problems[0]
    assert (p.file, p.line, p.column) == ("export.json", *where) and says in p.message, str(p)


def test_a_refused_or_empty_import_into_a_new_path_leaves_no_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(_AW % _EV.replace('{"status": "not-afk"}', '"x"'), encoding="utf-8")
    for args in (["import-history", "activitywatch", str(bad)], ["import", str(bad), "--from", "activitywatch"],
                 ["import-history", "mturk", str(F / "empty.csv")]):
        db = tmp_path / "new" / "l.sqlite"
        db.parent.mkdir(exist_ok=True)
        res = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert res.exit_code == 1 and "Traceback" not in res.output, res.output
        assert list(db.parent.iterdir()) == []


def test_activitywatch_keeps_events_shorter_than_a_second(tmp_path, nairobi):
    evs = ",".join(['{"timestamp": "2026-03-01T10:00:00.250Z", "duration": 0.5, "data": {"status": "not-afk"}}',
                    '{"timestamp": "2026-03-01T10:00:10Z", "duration": 0.0, "data": {"status": "not-afk"}}'])
    (tmp_path / "aw.json").write_text(_AW % evs, encoding="utf-8")
    r = importers.read_history("activitywatch", tmp_path / "aw.json", nairobi.settings(), today=TODAY)
    assert r.problems == []
    [span] = r.tables["activity"].to_dict("records")
    # 10:00:00.25 + 0.5 s lies inside the second 10:00:00-10:00:01: kept as that second
    assert (int(span["start"]), int(span["end"])) == (epoch("2026-03-01T10:00:00"), epoch("2026-03-01T10:00:01"))
    assert "left out 0 away (afk) and 1 zero-length events" in "\n".join(r.notes)


def test_an_mturk_requester_batch_file_is_named_for_what_it_is(tmp_path):
    (tmp_path / "Batch_4711_batch_results.csv").write_text(
        '"HITId","HITTypeId","Title","Reward","AssignmentId","WorkerId","AssignmentStatus","AcceptTime",'
        '"SubmitTime","Input.image_url","Answer.label"\n'
        '"3H","3T","Label images","$0.05","3A","A1W","Submitted","Mon Mar 02 09:00:00 PST 2026",'
        '"Mon Mar 02 09:01:00 PST 2026","https://example.org/1.png","cat"\n', encoding="utf-8")
    for fmt in ("spreadsheet", "toggl", "clockify", "paypal"):
        r = importers.read_history(fmt, tmp_path / "Batch_4711_batch_results.csv", NAIROBI, today=TODAY)
        assert "looks like an MTurk requester's batch results file" in msgs(r)[0], fmt
    r = importers.read_history("mturk", tmp_path / "Batch_4711_batch_results.csv", NAIROBI, today=TODAY)
    assert "an MTurk requester's batch results file" in msgs(r)[0]


def test_a_paypal_transaction_is_one_payout_whatever_platform_a_later_import_names(nairobi):
    run(nairobi, "paypal", "paypal_activity.csv", payer="Cousin Joe=Family")
    # the worker names the payer differently the next time: the transaction id says it is the same payment
    again, _ = run(nairobi, "paypal", "paypal_activity.csv", payer="Cousin Joe=Relatives")
    assert (again.added, again.tables["payouts"].already) == (0, 3)
    assert sorted(p["reference"] for p in nairobi.rows("payouts")) == ["1AB23456CD789012E", "4JOE", "5REM"]


def test_a_spreadsheet_with_an_empty_platform_column_asks_once(tmp_path):
    (tmp_path / "hours.csv").write_text("Date,Start,End,Client,Project\n2026-03-02,09:00,10:00,,P\n"
                                        "2026-03-03,09:00,10:00,,P\n2026-03-04,09:00,10:00,Outlier,P\n")
    r = importers.read_history("spreadsheet", tmp_path / "hours.csv", NAIROBI, today=TODAY)
    assert msgs(r) == ["hours.csv:2: Client: which platform is this? 2 rows have an empty Client column; say which "
                       "with --platform NAME (e.g. --platform Outlier), or fill the column in"]
    r = importers.read_history("spreadsheet", tmp_path / "hours.csv", NAIROBI, today=TODAY, platform="Remotasks")
    assert [w["platform"] for w in work_rows(r)] == ["Remotasks", "Remotasks", "Outlier"]


def test_a_later_spreadsheet_with_one_more_untimed_row_adds_exactly_that_row(tmp_path, nairobi):
    """Rows without a time of day are placed by the importer (09:00 onwards): that placement
    is a guess, so a row added above them in a later copy of the sheet must not make the
    others new."""
    first = tmp_path / "hours.csv"
    first.write_text("Day,Hours,Site,What,Pay\n2026-03-02,1:30,Outlier,tasking,$52.50\n"
                     "2026-03-02,1:00,Outlier,review,\n")
    later = tmp_path / "hours-later.csv"
    later.write_text("Day,Hours,Site,What,Pay\n2026-03-02,0:30,Outlier,meeting,\n"
                     "2026-03-02,1:30,Outlier,tasking,$52.50\n2026-03-02,1:00,Outlier,review,\n")
    for f, added, already in ((first, 2, 0), (later, 1, 2), (later, 0, 3)):
        r = importers.read_history("spreadsheet", f, nairobi.settings(), today=TODAY)
        assert r.problems == [], msgs(r)
        report, _ = importers.apply(nairobi, r.tables, source=f"import:spreadsheet:{f.name}")
        assert (report.tables["work"].added, report.tables["work"].already) == (added, already), f.name
    rows = sorted(nairobi.rows("work"), key=lambda w: w["start"])
    nine = epoch("2026-03-02T06:00")  # 09:00 in Nairobi
    # the first two keep 09:00-10:30 and 10:30-11:30; the meeting follows them, 11:30-12:00
    assert [((w["start"] - nine) // 60, (w["end"] - nine) // 60, w["kind"]) for w in rows] == [
        (0, 90, "tasking"), (90, 150, "review"), (150, 180, "meeting")]


def test_a_spreadsheets_break_and_zero_length_rows_are_left_out_not_refused(tmp_path, nairobi):
    (tmp_path / "mine.csv").write_text("Date,Start,Duration,Platform,Type\n2026-03-02,09:00,1:30,Outlier,tasking\n"
                                       "2026-03-02,10:30,0:30,Outlier,Lunch break\n2026-03-02,11:00,0:00,Outlier,tasking\n"
                                       "2026-03-02,11:00,1:00,Outlier,review\n")
    r = importers.read_history("spreadsheet", tmp_path / "mine.csv", nairobi.settings(), today=TODAY)
    assert r.problems == [], msgs(r)
    assert [(w["start"][11:16], w["end"][11:16], w["kind"]) for w in work_rows(r)] == [
        ("09:00", "10:30", "tasking"), ("11:00", "12:00", "review")]
    notes = "\n".join(r.notes)
    assert "left out 1 break: a break is not work; line 3" in notes and "zero-length entr" in notes
    importers.apply(nairobi, r.tables, source="import:spreadsheet")
    assert _figures(nairobi)[0] == 150  # 1.5 h + 1 h; lunch is not work


def test_the_same_problem_on_many_rows_is_one_problem_counting_them(tmp_path):
    rows = "".join(f"2026-03-{d:02d},09:00,10:00,Outlier,Chat\n" for d in range(2, 7))
    (tmp_path / "chats.csv").write_text("Date,Start,End,Platform,Type\n" + rows + "2026-03-09,09:00,10:00,Outlier,Nap\n")
    r = importers.read_history("spreadsheet", tmp_path / "chats.csv", NAIROBI, today=TODAY)
    assert [(p.line, p.column) for p in r.problems] == [(2, "Type"), (7, "Type")]
    assert r.problems[0].message.endswith("(5 rows like this: lines 2, 3, 4, 5, 6)")
    assert "'Chat' is not a kind of work" in r.problems[0].message and "rows like" not in r.problems[1].message


def test_the_apps_payer_box_lists_several_payers_whose_names_hold_commas():
    from taskerlog.importers.paypal import parse_payers
    assert parse_payers("Scale AI, Inc.=Outlier, Acme Labeling=Acme") == {"Scale AI, Inc.": "Outlier",
                                                                          "Acme Labeling": "Acme"}
    with pytest.raises(ValueError, match="'Cousin Joe' is not NAME=PLATFORM"):
        parse_payers("Acme=Acme, Cousin Joe")


def test_a_clockify_export_with_a_yes_no_break_column(tmp_path):
    src = (F / "clockify_with_break.csv").read_text().splitlines()
    rows = [src[0].replace(",Type,", ",Break,")] + [r.replace(",Regular,", ",No,").replace(",Break,", ",Yes,")
                                                      for r in src[1:]]
    (tmp_path / "clockify.csv").write_text("\n".join(rows) + "\n")
    r = importers.read_history("clockify", tmp_path / "clockify.csv", NAIROBI, today=TODAY)
    assert r.problems == [] and len(r.tables["work"]) == 2
    assert "left out 1 break" in "\n".join(r.notes)


def test_an_object_of_hits_keyed_by_hit_id_or_by_number_is_not_taken_for_assignment_ids(tmp_path):
    import json
    hit = {"requester_name": "Akkroo", "reward": 0.12, "state": "Paid", "date": "20260301"}
    (tmp_path / "b.json").write_text(json.dumps({"hits": {"3HITK": {**hit, "hit_id": "3HITK"},
                                                          "1": {**hit, "hit_id": "3HITN"},
                                                          "3ASGK": {**hit, "hit_id": "3HITA"}}}))
    r = importers.read_history("mturk", tmp_path / "b.json", NAIROBI, today=TODAY, hit_minutes=2)
    assert [w["external_id"] for w in work_rows(r)] == ["3HITK", "3HITN", "3ASGK"]


def test_a_zero_duration_written_as_a_decimal_is_left_out_too(tmp_path):
    src = (F / "clockify_with_break.csv").read_text().splitlines()
    # Clockify with durations shown as decimal hours: "Duration (h)" holds 0.00 for the zero entry
    rows = [src[0]] + [r.replace(",02:30:00,", ",2.50,").replace(",01:30:00,", ",1.50,")
                       .replace(",00:45:00,", ",0.75,").replace(",00:00:00,", ",0.00,") for r in src[1:]]
    (tmp_path / "clockify.csv").write_text("\n".join(rows) + "\n")
    r = importers.read_history("clockify", tmp_path / "clockify.csv", NAIROBI, today=TODAY)
    assert r.problems == [], msgs(r)
    assert len(r.tables["work"]) == 2 and "left out 1 zero-length entry" in "\n".join(r.notes)


def test_a_cut_off_hit_tracker_backup_is_called_broken_json_not_a_sheet_with_too_many_columns(tmp_path):
    """A one-line backup cut off at the end: the guess at another kind of file (read as a
    sheet, 8,000 columns) must not replace the JSON's own message."""
    hits = [{"hit_id": f"H{i}", "state": "Approved", "reward": 0.1, "date": "2026-03-01"} for i in range(2000)]
    (tmp_path / "cut.json").write_text(json.dumps({"hits": hits})[:-500], encoding="utf-8")
    r = importers.read_history("mturk", tmp_path / "cut.json", NAIROBI, today=TODAY)
    assert [p.message for p in r.problems] == [
        "cut.json is not JSON (line 1: Expecting ',' delimiter); the MTurk HIT Tracker importer reads its JSON export"]
