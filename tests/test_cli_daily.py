"""The everyday command line, driven as a worker would: commands in, figures out.

The worked example of shared/docs/metrics.md is built with commands only (project add,
rate, log, eq start/end) and ``metrics --json`` must give its figures to the cent.
The clock is fixed by replacing ``timeutil.now_epoch`` (the only place commands read it).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from click.testing import CliRunner
from taskerlog.cli import cli
from taskerlog.store import Store

TZ = "Africa/Nairobi"  # UTC+3 all year
GD = "Genesis Dolphin"


def local(text: str, tz: str = TZ) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).timestamp())


# the clock, db and run fixtures (a fixed clock, a logbook path, the CLI) are in conftest.py


def as_json(result):
    return json.loads(result.stdout)


def worked_example(run) -> None:
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    run("project", "add", "Outlier", GD, "--pay-model", "hourly", "--currency", "USD")
    run("rate", "Outlier", GD, "35", "--from", "2026-03-02 09:00")
    run("rate", "Outlier", GD, "20", "--from", "2026-03-04")
    run("log", "Outlier", GD, "--kind", "onboarding", "--start", "2026-03-01 10:00", "--end", "2026-03-01 14:00")
    run("log", "Outlier", GD, "--kind", "assessment", "--start", "2026-03-01 14:00", "--minutes", "60")
    run("log", "Outlier", GD, "--kind", "tasking", "--start", "2026-03-02 09:00", "--end", "2026-03-02 12:00")
    run("log", "Outlier", GD, "--kind", "tasking", "--start", "2026-03-03 09:00", "--end", "2026-03-03 11:00",
        "--status", "lost", "--note", "platform crash")
    run("log", "Outlier", GD, "--start", "2026-03-04 09:00", "--end", "2026-03-04 13:00")
    run("eq", "start", "Outlier", "--on", "2026-03-05")
    run("eq", "end", "Outlier", "--on", "2026-03-07")


# -- the worked example, by commands --------------------------------------------------------
def test_worked_example_by_commands_gives_the_documented_figures(run):
    worked_example(run)
    m = as_json(run("metrics", "--json", "--from", "2026-03-01", "--to", "2026-03-07", "--reference-wage", "15"))
    assert m["hours_worked"] == 14
    assert m["hours_paid"] == 7
    assert m["hours_unpaid"] == 7
    assert m["unpaid_hours_by_kind"] == {"onboarding": 4, "assessment": 1, "lost": 2}
    assert Decimal(m["earned"]) == Decimal("185")
    # 185 / 14 = 13.2142857...; 185 / 7 = 26.428571...; 35 - 13.214... = 21.785714...
    assert abs(Decimal(m["effective_hourly_wage"]) - Decimal(185) / 14) < Decimal("0.000001")
    assert abs(Decimal(m["paid_hourly_rate"]) - Decimal(185) / 7) < Decimal("0.000001")
    assert abs(Decimal(m["advertised_gap"]) - (35 - Decimal(185) / 14)) < Decimal("0.000001")
    assert m["eq_days"] == 3
    assert m["rate_cuts"] == 1
    assert m["largest_cut_pct"] == pytest.approx(-42.857142857, abs=1e-6)
    assert Decimal(m["shortfall"]) == Decimal("25")  # 15 x 14 - 185
    assert m["below_reference"] is True
    assert (m["weeks_with_work"], m["weeks_below_reference"], m["weekly_shortfall"]) == (2, 1, "75.00")
    assert {r["project"] for r in m["by_project"]} == {GD}
    assert [w["week"] for w in m["by_week"]] == ["2026-W09", "2026-W10"]


def test_metrics_text_shows_each_definition_of_working_time_labelled(run):
    worked_example(run)
    out = run("metrics", "--from", "2026-03-01", "--to", "2026-03-07", "--reference-wage", "15").output
    assert "effective hourly wage = earned / all hours worked" in out
    assert "paid hourly rate      = earned / paid hours only" in out
    assert "net hourly wage" in out and "advertised rate" in out
    # the reference is met or not week by week first; the period average comes second, labelled
    assert "week by week (as the law measures)  below in 1 of 2 weeks, short by 75.00" in out
    assert out.index("week by week (as the law measures)") < out.index("whole period, averaged: below it")
    # the numbers, rounded for reading: 13.21, 26.43, 35.00, gap 21.79, shortfall 25.00
    for figure in ("13.21", "26.43", "35.00", "21.79", "25.00", "14.00 h", "7.00 h"):
        assert figure in out, figure
    assert "onboarding 4.00, assessment 1.00, lost 2.00" in out


def test_metrics_to_is_inclusive_and_filters(run):
    worked_example(run)
    m = as_json(run("metrics", "--json", "--from", "2026-03-04", "--to", "2026-03-04"))
    assert m["hours_worked"] == 4 and Decimal(m["earned"]) == 80  # 4 h x $20 after the cut
    m = as_json(run("metrics", "--json", "--to", "2026-03-02"))
    assert m["hours_worked"] == 8 and Decimal(m["earned"]) == 105
    m = as_json(run("metrics", "--json", "--platform", "Outlier", "--project", GD))
    assert m["hours_worked"] == 14
    assert Decimal(m["advertised_rate"]) == 35


def test_reference_wage_defaults_to_the_logbooks_in_its_own_currency(run):
    worked_example(run)
    # 12.50 EUR at 1.20 USD per EUR = 15 USD/h -> shortfall 15 x 14 - 185 = 25
    run("settings", "--reference-wage", "12.50", "--reference-currency", "EUR", "--reference-label", "target")
    run("fx", "EUR", "1.20", "--on", "2026-03-01")
    m = as_json(run("metrics", "--json", "--from", "2026-03-01", "--to", "2026-03-07"))
    assert Decimal(m["reference_wage"]) == 15
    assert Decimal(m["shortfall"]) == 25
    # on the command line the reference is in the home currency
    m = as_json(run("metrics", "--json", "--from", "2026-03-01", "--to", "2026-03-07", "--reference-wage", "10"))
    assert Decimal(m["shortfall"]) == 0  # 10 x 14 = 140 < 185


def test_missing_exchange_rate_is_one_clear_line(run):
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    run("project", "add", "Remotasks", "Bounding boxes", "--pay-model", "per_task", "--currency", "KES")
    run("log", "Remotasks", "Bounding boxes", "--start", "2026-03-02 09:00", "--minutes", "30",
        "--pay", "650", "--currency", "KES")
    r = run("metrics", "--json", ok=False)
    assert r.exit_code == 1
    assert r.stdout == ""
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and "KES" in err and "2026-03-02" in err
    assert "Traceback" not in r.output
    run("fx", "KES", "0.0077", "--on", "2026-03-01")
    m = as_json(run("metrics", "--json"))
    assert Decimal(m["earned"]) == Decimal("5.005")  # 650 x 0.0077


# -- everyday money: per-task pay, payouts, fees, expenses -------------------------------------
def test_per_task_pay_payouts_and_expenses_reach_the_figures(run):
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    run("project", "add", "MTurk", "Receipts", "--pay-model", "per_task")
    run("rate", "MTurk", "Receipts", "0.05", "--from", "2026-03-01")
    run("log", "MTurk", "Receipts", "--start", "2026-03-02 09:00", "--end", "2026-03-02 11:00", "--units", "300")
    run("log", "MTurk", "--kind", "waiting", "--start", "2026-03-02 11:00", "--minutes", "30")
    run("payout", "MTurk", "12", "--fee", "0.60", "--method", "PayPal", "--on", "2026-03-03")
    run("expense", "1.40", "--category", "internet", "--on", "2026-03-02")
    m = as_json(run("metrics", "--json", "--from", "2026-03-01", "--to", "2026-03-07"))
    assert Decimal(m["earned"]) == 15  # 300 x 0.05
    assert m["hours_worked"] == 2.5 and m["hours_paid"] == 2
    assert Decimal(m["effective_hourly_wage"]) == 6  # 15 / 2.5
    assert Decimal(m["paid_out"]) == 12 and Decimal(m["fees"]) == Decimal("0.6")
    assert Decimal(m["outstanding"]) == 3
    assert Decimal(m["net_hourly_wage"]) == Decimal("5.2")  # (15 - 0.60 - 1.40) / 2.5
    out = run("entries").output
    assert "15.00*" in out and "waiting" in out


def test_payout_currency_defaults_to_the_platforms_and_received_amount(run):
    run("settings", "--home-currency", "KES", "--timezone", TZ)
    run("project", "add", "Outlier", GD, "--currency", "USD")
    p = as_json(run("payout", "Outlier", "100", "--fee", "2", "--received-amount", "12740", "--json",
                    "--on", "2026-03-09 10:00"))
    assert p["currency"] == "USD" and p["received_currency"] == "KES"
    assert p["paid_at"] == local("2026-03-09 10:00")
    r = run("payout", "Outlier", "100", "--received-currency", "USD", ok=False)
    assert r.exit_code == 1 and "--received-currency: give the amount received too" in r.output


# -- the clock ----------------------------------------------------------------------------------
def test_clock_survives_a_new_process_and_makes_one_entry_of_the_right_length(run, db, clock):
    run("settings", "--timezone", TZ)
    run("project", "add", "Outlier", GD)
    clock.now = local("2026-03-10 09:00")
    run("clock", "start", "Outlier", GD)
    # another process, another Store: the clock is a row in the logbook
    with Store(db) as s:
        running = s.running_clocks()
    assert [(c["platform"], c["project"], c["kind"], c["started_at"]) for c in running] == \
        [("Outlier", GD, "tasking", local("2026-03-10 09:00"))]
    clock.now = local("2026-03-10 10:35")
    shown = run("clock").output
    assert "since 09:00" in shown and "(1:35)" in shown  # h:mm, as the app and `entries` show lengths
    out = run("clock", "stop", "--units", "7").output
    assert "(1:35)" in out
    with Store(db) as s:
        assert s.running_clocks() == []
        work = s.frames().work
    assert len(work) == 1
    assert int(work["end"][0]) - int(work["start"][0]) == 95 * 60
    assert int(work["units"][0]) == 7 and work["source"][0] == "clock"


def test_clock_start_and_stop_in_separate_processes(db, tmp_path):
    def proc(*args):
        return subprocess.run([sys.executable, "-c", "from taskerlog.cli import main; main()", "--db", db, *args],
                              capture_output=True, text=True, timeout=120)

    assert proc("settings", "--timezone", TZ).returncode == 0
    r = proc("clock", "start", "Outlier", "--kind", "waiting", "--at", "2026-03-10 08:00")
    assert r.returncode == 0, r.stderr
    r = proc("clock", "stop", "--at", "2026-03-10 08:45", "--json")
    assert r.returncode == 0, r.stderr
    entry = json.loads(r.stdout)
    assert entry["start"] == "2026-03-10T08:00:00+03:00" and entry["end"] == "2026-03-10T08:45:00+03:00"
    assert entry["kind"] == "waiting" and entry["status"] == "unpaid" and entry["hours"] == 0.75


def test_second_clock_is_allowed_but_said_and_stop_asks_which(run):
    run("settings", "--timezone", TZ)
    run("clock", "start", "Outlier")
    out = run("clock", "start", "Remotasks", "--kind", "waiting").output
    assert "other clock still running" in out and "#1" in out
    r = run("clock", "stop", ok=False)
    assert r.exit_code == 1 and "--id" in r.output and "Traceback" not in r.output
    run("clock", "stop", "--id", "2", "--at", "13:00")
    assert len(as_json(run("clock", "--json"))) == 1


def test_status_shows_running_clock_today_and_this_weeks_wage(run, clock):
    run("settings", "--timezone", TZ)
    run("project", "add", "Outlier", GD)
    run("rate", "Outlier", GD, "20", "--from", "2026-03-01")
    # Tuesday 2026-03-10; the week is Monday 03-09 to Sunday 03-15
    run("log", "Outlier", GD, "--start", "2026-03-09 09:00", "--end", "2026-03-09 12:00")  # 3 h paid, $60
    run("log", "Outlier", GD, "--kind", "instructions", "--start", "08:00", "--end", "09:00")  # today, 1 h unpaid
    clock.now = local("2026-03-10 11:00")
    run("clock", "start", "Outlier", GD, "--at", "10:30")
    s = as_json(run("status", "--json"))
    assert s["clocks"][0]["elapsed_seconds"] == 1800
    assert s["today"]["hours_worked"] == 1 and s["today"]["hours_paid"] == 0
    assert s["week"]["week"] == "2026-W11"
    assert s["week"]["hours_worked"] == 4 and Decimal(s["week"]["earned"]) == 60
    assert Decimal(s["week"]["effective_hourly_wage"]) == 15  # 60 / 4
    out = run("status").output
    assert "since 10:30" in out and "(0:30)" in out and "15.00 USD/h" in out


# -- times as a worker writes them ------------------------------------------------------------
def test_log_accepts_hh_mm_today_and_yesterday_in_the_logbook_zone(run, clock, db):
    run("settings", "--timezone", TZ)
    clock.now = local("2026-03-10 12:00")
    run("log", "Outlier", "--kind", "admin", "--start", "yesterday 22:30", "--end", "yesterday 23:15")
    run("log", "Outlier", "--kind", "waiting", "--start", "09:00", "--minutes", "7.5")
    rows = as_json(run("entries", "--json"))
    assert [(r["start"], r["end"]) for r in rows] == [
        ("2026-03-09T22:30:00+03:00", "2026-03-09T23:15:00+03:00"),
        ("2026-03-10T09:00:00+03:00", "2026-03-10T09:07:30+03:00"),
    ]
    assert rows[0]["status"] == "unpaid"
    only = as_json(run("entries", "--json", "--from", "yesterday", "--to", "yesterday"))
    assert [r["kind"] for r in only] == ["admin"]


def test_times_without_offset_follow_dst_in_the_logbook_zone(run, clock):
    run("settings", "--timezone", "America/New_York")
    # 2026-03-08 is the day clocks spring forward in New York: 01:00 EST to 04:00 EDT is 2 hours
    run("log", "MTurk", "--kind", "waiting", "--start", "2026-03-08 01:00", "--end", "2026-03-08 04:00")
    row = as_json(run("entries", "--json"))[0]
    assert row["hours"] == 2.0
    assert row["start"].endswith("-05:00") and row["end"].endswith("-04:00")


# -- edits and deletions leave a trail ----------------------------------------------------------
def test_edit_and_delete_are_journaled_and_verify_stays_ok(run, db):
    worked_example(run)
    rows = as_json(run("entries", "--json"))
    lost = next(r for r in rows if r["status"] == "lost")
    assert lost["edited"] is False
    out = run("edit", str(lost["id"]), "--status", "paid", "--pay", "40", "--note", "paid after a ticket").output
    assert "edited entry" in out
    row = next(r for r in as_json(run("entries", "--json")) if r["id"] == lost["id"])
    assert row["edited"] is True and row["status"] == "paid" and row["pay"] == "40.00"
    assert "edited 2026" in run("entries").output
    m = as_json(run("metrics", "--json", "--from", "2026-03-01", "--to", "2026-03-07"))
    assert Decimal(m["earned"]) == 225 and m["hours_paid"] == 9
    first = rows[0]["id"]
    assert "deleted entry" in run("delete", str(first), "--yes").output
    assert first not in [r["id"] for r in as_json(run("entries", "--json"))]
    con = sqlite3.connect(db)
    trail = con.execute("SELECT action, old, new FROM journal WHERE tbl = 'work' AND action != 'insert' ORDER BY seq"
                        ).fetchall()
    con.close()
    assert [a for a, _, _ in trail] == ["update", "delete"]
    assert json.loads(trail[0][1])["status"] == "lost" and json.loads(trail[0][2])["status"] == "paid"
    assert json.loads(trail[1][1])["kind"] == "onboarding"
    v = run("verify", "--json")
    assert as_json(v)["ok"] is True


def test_delete_asks_before_deleting(run):
    run("settings", "--timezone", TZ)
    run("log", "Outlier", "--kind", "admin", "--start", "09:00", "--minutes", "10")
    r = run("delete", "1", input="n\n", ok=False)
    assert r.exit_code == 1
    assert len(as_json(run("entries", "--json"))) == 1


def test_edit_refuses_an_end_before_the_start(run):
    run("settings", "--timezone", TZ)
    run("log", "Outlier", "--kind", "admin", "--start", "09:00", "--minutes", "10")
    r = run("edit", "1", "--end", "08:00", ok=False)
    assert r.exit_code == 1 and "end must be after the start" in r.output
    assert as_json(run("entries", "--json"))[0]["end"].endswith("09:10:00+03:00")


# -- projects, eq list, settings, fx --------------------------------------------------------------
def test_project_list_and_end(run):
    worked_example(run)
    out = run("project", "list").output
    assert GD in out and "20.00/hour" in out
    run("project", "end", "Outlier", GD, "--reason", "removed", "--on", "2026-03-08")
    assert GD not in run("project", "list").output
    rows = as_json(run("project", "list", "--all", "--json"))
    assert rows[0]["ended_on"] == "2026-03-08" and rows[0]["end_reason"] == "removed"


def test_project_list_rate_now_is_the_paid_rate_in_effect(run, clock):
    """Not the last rate typed: a training-only rate or one that starts next week is not
    what the project pays now."""
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    run("project", "add", "Outlier", GD, "--currency", "USD")
    run("rate", "Outlier", GD, "35", "--from", "2026-03-02 09:00")
    run("rate", "Outlier", GD, "10", "--from", "2026-03-03 09:00", "--applies-to", "training")
    run("rate", "Outlier", GD, "20", "--from", "2026-04-01 09:00")
    clock.now = local("2026-03-10 12:00")
    [row] = as_json(run("project", "list", "--json"))
    assert (row["current_rate"], row["current_rate_unit"], row["current_rate_applies_to"]) == ("35.00", "hour", None)
    run("project", "add", "Outlier", "Bee", "--currency", "USD")
    run("rate", "Outlier", "Bee", "10", "--from", "2026-03-03 09:00", "--applies-to", "training")
    assert "10.00/hour (training only)" in run("project", "list").output


def test_eq_list_counts_days_and_open_periods_to_today(run, clock):
    run("settings", "--timezone", TZ)
    run("eq", "start", "Outlier", "--on", "2026-03-01")
    run("eq", "end", "Outlier", "--on", "2026-03-03")
    clock.now = local("2026-03-10 12:00")
    run("eq", "start", "Outlier", "--on", "2026-03-08")
    rows = as_json(run("eq", "list", "--json"))
    assert [(r["start_date"], r["end_date"], r["days"], r["open"]) for r in rows] == [
        ("2026-03-01", "2026-03-03", 3, False), ("2026-03-08", None, 3, True)]
    r = run("eq", "start", "Outlier", ok=False)
    assert r.exit_code == 1 and "already in empty queue since 2026-03-08" in r.output


def test_settings_show_and_change(run):
    out = run("settings", "--home-currency", "kes", "--timezone", TZ, "--reference-wage", "120",
              "--reference-label", "Kenya minimum wage").output
    assert "KES" in out and "120.00 KES/hour (Kenya minimum wage)" in out
    s = as_json(run("settings", "--json"))
    assert s == {"home_currency": "KES", "timezone": TZ, "reference_wage": "120", "reference_currency": None,
                 "reference_label": "Kenya minimum wage", "language": None, "long_clock_hours": "8"}
    run("settings", "--reference-wage", "none")
    assert as_json(run("settings", "--json"))["reference_wage"] is None


def test_fx_records_and_lists(run):
    run("settings", "--home-currency", "KES", "--timezone", TZ)
    run("fx", "USD", "129.50", "--on", "2026-03-01")
    run("fx", "USD", "130", "--on", "2026-03-01")  # a correction of the same day replaces it
    rows = as_json(run("fx", "--json"))
    assert rows == [{"date": "2026-03-01", "currency": "USD", "rate": "130"}]


def test_rate_change_is_reported_with_its_percentage(run):
    run("settings", "--timezone", TZ)
    run("project", "add", "Outlier", GD)
    run("rate", "Outlier", GD, "35", "--from", "2026-03-02 09:00")
    out = run("rate", "Outlier", GD, "20", "--from", "2026-03-04", "--note", "announced as a mistake").output
    assert "(was 35.00, −42.9%)" in out  # the words and sign the app's rate form says too
    out = run("rate", "Outlier", GD, "12", "--applies-to", "training", "--from", "2026-03-04").output
    assert "for training" in out and "was" not in out


# -- bad input: one clear line, non-zero exit, never a traceback -----------------------------------
@pytest.mark.parametrize("args, needle", [
    (["log", "Outlier", "--start", "2026-13-45 09:00", "--minutes", "30"], "--start"),
    (["log", "Outlier", "--start", "25:00", "--minutes", "30"], "--start"),
    (["log", "Outlier", "Nope", "--start", "09:00", "--minutes", "30"], "no project 'Nope' on Outlier"),
    (["log", "Outlier", "--kind", "sleeping", "--start", "09:00", "--minutes", "30"], "--kind"),
    (["log", "Outlier", "--start", "09:00"], "--end TIME or --minutes"),
    (["log", "Outlier", "--start", "09:00", "--end", "08:00"], "--end"),
    (["log", "Outlier", "--start", "09:00", "--minutes", "30", "--pay", "-5"], "--pay"),
    (["log", "Outlier", "--start", "09:00", "--minutes", "30", "--units", "3.5"], "--units"),
    (["expense", "1,000", "--category", "internet"], "AMOUNT"),
    (["expense", "10", "--category", "internet", "--on", "03/05/2026"], "--on"),
    (["payout", "Outlier", "10", "--currency", "dollars"], "--currency"),
    (["payout", "Outlier", "10", "--fee", "-1"], "--fee"),
    (["payout", "Outlier", "-5"], "'-5' is negative"),
    (["expense", "-3", "--category", "internet"], "'-3' is negative"),
    (["eq", "end", "Outlier"], "no open empty-queue period"),
    (["rate", "Outlier", "Ghost", "20"], "no project 'Ghost' on Outlier"),
    (["fx", "USD", "0"], "RATE"),
    (["settings", "--timezone", "Nairobi"], "--timezone"),
    (["metrics", "--from", "2026-03-10", "--to", "2026-03-01"], "--to"),
    (["metrics", "--from", "March"], "--from"),
    (["edit", "99", "--status", "paid"], "no work entry #99"),
    (["clock", "stop"], "no clock is running"),
])
def test_bad_input_gives_a_clear_error(run, args, needle):
    run("settings", "--timezone", TZ)
    run("project", "add", "Outlier", GD)
    r = run(*args, ok=False)
    assert r.exit_code != 0
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    assert needle in r.output, r.output


def test_eq_end_before_its_start_is_an_error(run):
    run("settings", "--timezone", TZ)
    run("eq", "start", "Outlier", "--on", "2026-03-05")
    r = run("eq", "end", "Outlier", "--on", "2026-03-04", ok=False)
    assert r.exit_code == 1 and "before the empty queue started (2026-03-05)" in r.output
    assert as_json(run("eq", "list", "--json"))[0]["open"] is True


def test_every_command_has_help_with_an_example(run):
    def walk(group, path):
        for name, cmd in group.commands.items():
            yield path + [name], cmd
            if hasattr(cmd, "commands"):
                yield from walk(cmd, path + [name])

    for path, cmd in walk(cli, []):
        out = run(*path, "--help").output
        assert "Example: taskerlog" in out, path


def test_status_still_shows_the_clock_when_an_exchange_rate_is_missing(run):
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    run("log", "Remotasks", "--kind", "tasking", "--start", "09:00", "--minutes", "30", "--pay", "650",
        "--currency", "KES")
    run("clock", "start", "Remotasks", "--kind", "waiting", "--at", "11:00")
    r = run("status")
    assert "since 11:00" in r.output and "figures unavailable" in r.output and "KES" in r.output
    assert "no exchange rate" in run("entries").output


def test_an_edit_that_would_end_after_now_is_refused_as_in_the_app(run):
    """The clock is at 2026-03-10 12:00: an entry moved to end tomorrow is refused whole, as the
    app's Entries page refuses it (one edit use case for both)."""
    run("settings", "--timezone", TZ)
    run("log", "Outlier", "--kind", "waiting", "--start", "09:00", "--minutes", "30")
    r = run("edit", "1", "--end", "2026-03-11 09:00", "--note", "typo", ok=False)
    assert r.exit_code != 0 and "after now" in r.output
    row = as_json(run("entries", "--json"))[0]
    assert row["end"].startswith("2026-03-10T09:30") and row["note"] is None and not row["edited"]


def test_edit_can_clear_pay_so_it_is_derived_from_the_rate_again(run):
    run("settings", "--timezone", TZ)
    run("project", "add", "MTurk", "Receipts", "--pay-model", "per_task")
    out = run("rate", "MTurk", "Receipts", "0.005", "--from", "2026-03-01").output
    assert "0.005 USD/task" in out  # a sub-cent piece rate is shown with its digits
    run("log", "MTurk", "Receipts", "--start", "09:00", "--minutes", "60", "--units", "200", "--pay", "2")
    assert as_json(run("entries", "--json"))[0]["pay_home"] == "2.00"
    run("edit", "1", "--pay", "")
    row = as_json(run("entries", "--json"))[0]
    assert row["pay"] is None and row["pay_from"] == "rate" and row["pay_home"] == "1.00"  # 200 x 0.005


def test_store_frames_can_load_only_some_work_entries(run, db):
    worked_example(run)
    with Store(db) as s:
        whole = s.frames()
        one = s.frames(work_ids=[3])
        none = s.frames(work_ids=[])
        day = s.frames(work_start=(local("2026-03-02 00:00"), local("2026-03-03 00:00")))
    assert len(whole.work) == 5
    assert one.work["id"].tolist() == [3] and none.work.empty
    assert day.work["id"].tolist() == [3]
    for f in (one, none, day):  # the other tables stay whole: an entry's pay needs them
        assert len(f.rates) == 2 and len(f.projects) == 1 and len(f.eq) == 1


def test_logging_on_a_project_with_no_rate_yet_saves_once_and_says_so(run, db):
    """It used to save the entry and then fail (exit 1) working out its pay: a retry saved it twice."""
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    run("project", "add", "Outlier", "Plain New")
    run("project", "add", "Outlier", GD)
    run("rate", "Outlier", GD, "35", "--from", "2026-03-02 09:00")  # a rate, but none for Plain New
    out = run("log", "Outlier", "Plain New", "--start", "2026-03-09 09:00", "--minutes", "5").output
    assert out.startswith("logged entry #1: 2026-03-09 09:00–09:05 (0:05) Outlier / Plain New (tasking), paid")
    rows = as_json(run("entries", "--project", "Plain New", "--json"))
    assert [r["id"] for r in rows] == [1] and rows[0]["pay_home"] == "0.00"
    m = as_json(run("metrics", "--json", "--project", "Plain New"))
    assert m["hours_worked"] == pytest.approx(5 / 60) and m["earned"] == "0.00"


@pytest.mark.parametrize("start,says", [
    ("2026-03-08T02:30", "--start: '2026-03-08T02:30' does not exist in America/New_York: the clocks jumped forward "
                         "over it (daylight saving); add the UTC offset the clock had (e.g. 2026-03-08T02:30-05:00)"),
    ("9999-08-10T10:00", "--start: '9999-08-10T10:00' is not in the years 1900 to 2199; check the year"),
])
def test_log_refuses_what_the_bundle_refuses(run, start, says):
    """A time the clocks skipped was stored an hour later, a year 9999 as written."""
    run("settings", "--home-currency", "USD", "--timezone", "America/New_York")
    run("project", "add", "Outlier", GD)
    r = run("log", "Outlier", GD, "--start", start, "--minutes", "5", ok=False)
    assert r.exit_code != 0 and says in r.output
    assert as_json(run("entries", "--json")) == []


def test_a_db_in_a_folder_that_does_not_exist_is_refused_not_made(tmp_path, clock):
    from click.testing import CliRunner
    missing = tmp_path / "typo" / "log.sqlite"
    r = CliRunner().invoke(cli, ["--db", str(missing), "status"])
    assert r.exit_code == 1 and f"--db: there is no folder {missing.parent}" in r.output
    assert not missing.parent.exists()


def test_looking_at_an_import_leaves_no_logbook_behind(tmp_path, clock):
    """A dry run, or a refused import, into a new --db used to leave an empty logbook file."""
    from click.testing import CliRunner
    good = tmp_path / "good"
    good.mkdir()
    (good / "work.csv").write_text("platform,kind,start,end\nOutlier,admin,2026-03-02T09:00Z,2026-03-02T10:00Z\n")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "work.csv").write_text("platform,kind,start,end\nOutlier,nap,2026-03-02T09:00Z,2026-03-02T10:00Z\n")
    new = tmp_path / "new.sqlite"
    assert CliRunner().invoke(cli, ["--db", str(new), "import", str(good), "--dry-run"]).exit_code == 0
    assert CliRunner().invoke(cli, ["--db", str(new), "import", str(bad)]).exit_code == 1
    assert list(tmp_path.glob("new.sqlite*")) == []
    assert CliRunner().invoke(cli, ["--db", str(new), "import", str(good)]).exit_code == 0
    assert new.exists() and len(Store(new).rows("work")) == 1


def test_export_to_a_place_that_cannot_be_written_is_a_sentence(run, tmp_path, monkeypatch):
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    r = run("export", str(tmp_path / "nowhere" / "x.zip"), ok=False)
    assert r.exit_code == 1 and "there is no folder" in r.output and not (tmp_path / "nowhere").exists()
    import tempfile

    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".x.zip.abc.partial"))
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    r = run("export", str(tmp_path / "x.zip"), ok=False)
    assert r.exit_code == 1 and f"{tmp_path / 'x.zip'}: permission denied" in r.output
    assert "Traceback" not in r.output


def test_a_currency_typo_is_refused_by_every_command(run):
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    run("project", "add", "Outlier", GD)
    for args in (["payout", "Outlier", "10", "--currency", "UDS"], ["fx", "XYZ", "1.5"],
                 ["log", "Outlier", GD, "--start", "2026-03-09 09:00", "--minutes", "5", "--pay", "1",
                  "--currency", "XYZ"]):
        r = run(*args, ok=False)
        assert r.exit_code != 0 and "is not a currency code" in r.output, (args, r.output)
    assert as_json(run("entries", "--json")) == []


def test_an_exchange_rate_for_the_home_currency_itself_is_refused(run):
    run("settings", "--home-currency", "USD", "--timezone", TZ)
    r = run("fx", "USD", "2", ok=False)
    assert r.exit_code == 1 and "USD is your home currency; it needs no exchange rate" in r.output


def test_the_store_refuses_a_home_currency_rate_other_than_1(tmp_path):
    """What the app's Money page writes through."""
    import datetime as dt

    from taskerlog.model import FxRate, Logbook
    from taskerlog.store import StoreError
    s = Store(tmp_path / "log.sqlite")
    s.set_settings(Logbook(home_currency="KES", timezone=TZ))
    with pytest.raises(StoreError, match="KES is the logbook's home currency"):
        s.add_fx(FxRate(date=dt.date(2026, 3, 1), currency="KES", rate="129.5"))
    assert s.rows("fx") == []


@pytest.mark.parametrize("start", ["2199-12-31T23:00", "20260601T0900", "2026-W23-1T09:00"])
def test_log_takes_only_what_an_import_of_its_export_takes_back(run, start):
    """2199-12-31 23:00 in New York is 2200 in UTC: import refused it, so an export of what
    'log' stored would not import again. Python reads 20260601T0900; the bundle does not."""
    run("settings", "--home-currency", "USD", "--timezone", "America/New_York")
    r = run("log", "Outlier", "--kind", "admin", "--start", start, "--minutes", "30", ok=False)
    assert r.exit_code == 1 and f"'{start}'" in r.output
    assert as_json(run("entries", "--json")) == []


def test_a_read_only_command_on_a_mistyped_db_does_not_make_one(tmp_path, clock):
    from click.testing import CliRunner
    typo = tmp_path / "logbok.sqlite"
    for args in (["metrics", "--json"], ["export", str(tmp_path / "out.zip")], ["entries"], ["verify"]):
        r = CliRunner().invoke(cli, ["--db", str(typo), *args])
        assert r.exit_code == 1 and f"there is no logbook at {typo}" in r.output, (args, r.output)
    assert list(tmp_path.iterdir()) == []


def test_unpriced_work_is_never_silent(run):
    """Work logged before the project's first rate earns nothing (metrics.md: unpriced);
    `log` and `clock stop` say so with the fix; a per-task entry without units too."""
    worked_example(run)  # Genesis Dolphin's first rate: 2026-03-02 09:00
    out = run("log", "Outlier", GD, "--start", "2026-02-27 09:00", "--minutes", "60").output
    assert "warning: this tasking entry earns nothing: it starts on 2026-02-27, before the first rate of " \
           f"Outlier / {GD} (from 2026-03-02)" in out
    assert "set the rate's start date to 2026-02-27 or earlier" in out
    assert "effective_at=2026-02-27T00:00" in out
    run("clock", "start", "Outlier", GD, "--at", "2026-02-28 08:00")
    out = run("clock", "stop", "--at", "2026-02-28 09:30").output
    assert "earns nothing: it starts on 2026-02-28, before the first rate" in out
    # after the rate, or not billable: no warning
    assert "warning" not in run("log", "Outlier", GD, "--start", "2026-03-05 09:00", "--minutes", "30").output
    assert "warning" not in run("log", "Outlier", GD, "--kind", "onboarding", "--start", "2026-02-26 09:00",
                                "--minutes", "30").output
    # the fix it names works: the rate from 27 February prices both entries
    [rate] = [r for r in as_json(run("record", "list", "rates", "--json")) if r["rate"] == "35.00"]
    run("record", "edit", "rates", rate["id"], "effective_at=2026-02-27T00:00")
    m = as_json(run("metrics", "--json", "--from", "2026-02-27", "--to", "2026-02-28"))
    assert m["earned"] == "87.50"  # 2.5 h × 35
    # per task, no units
    run("project", "add", "Outlier", "Tagging", "--pay-model", "per_task", "--currency", "USD")
    run("rate", "Outlier", "Tagging", "0.50", "--from", "2026-03-01")
    out = run("log", "Outlier", "Tagging", "--start", "2026-03-05 09:00", "--minutes", "60").output
    assert "pays per task and the entry has no number of tasks" in out and "--units N" in out
    assert "warning" not in run("log", "Outlier", "Tagging", "--start", "2026-03-05 11:00", "--minutes", "60",
                                "--units", "40").output


def test_an_import_with_entries_before_the_first_rate_says_so(run, tmp_path):
    b = tmp_path / "b"
    b.mkdir()
    (b / "logbook.csv").write_text("home_currency,timezone\nUSD,UTC\n")
    (b / "projects.csv").write_text("platform,project,pay_model,currency\nOutlier,Wolf,hourly,USD\n")
    (b / "rates.csv").write_text("platform,project,effective_at,rate\nOutlier,Wolf,2026-03-04T00:00,20\n")
    (b / "work.csv").write_text("platform,project,kind,start,end\n"
                                "Outlier,Wolf,tasking,2026-03-02T09:00,2026-03-02T10:00\n"
                                "Outlier,Wolf,tasking,2026-03-03T09:00,2026-03-03T10:00\n"
                                "Outlier,Wolf,tasking,2026-03-05T09:00,2026-03-05T10:00\n")
    # the preview (a dry run) says it before anything is written, on a new logbook too
    fresh = str(tmp_path / "fresh.sqlite")
    preview = CliRunner().invoke(cli, ["--db", fresh, "import", str(b), "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert "warning: 2 entries earn nothing" in preview.output and "dry run: nothing written" in preview.output
    out = run("import", str(b), "--dry-run").output
    assert "warning: 2 entries earn nothing" in out
    out = run("import", str(b)).output
    assert "warning: 2 entries earn nothing because no pay could be worked out for them. The first is a " \
           "tasking entry: it starts on 2026-03-02, before the first rate of Outlier / Wolf" in out
    assert "warning" not in run("import", str(b)).output  # nothing new the second time
    # a later file of the same name with one more entry, priced: the earlier import's entries
    # are not warned about again
    with (b / "work.csv").open("a") as f:
        f.write("Outlier,Wolf,tasking,2026-03-06T09:00,2026-03-06T10:00\n")
    out = run("import", str(b)).output
    assert "work: added 1" in out and "warning" not in out, out


def test_with_a_project_filter_the_platform_figures_are_labelled(run):
    worked_example(run)
    out = run("metrics", "--project", GD).output
    for line in ("paid out (gross) [whole platform]", "fees [whole platform]", "expenses [whole platform]",
                 "outstanding (earned - paid out, to date) [whole platform]", "empty-queue days [whole platform]"):
        assert line in out, line
    assert "[whole platform]" not in run("metrics").output
