"""Fixing and deleting the records other than work entries (`taskerlog record ...`):
a typo in a payout, a wrong rate, an EQ period that ended earlier. Every change is checked
as the record was when it was entered, journaled with the old values, and shows in the
figures; nothing is left half-changed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from taskerlog.store import Store
from tests.test_cli_daily import GD, as_json, worked_example


def figures(run) -> dict:
    return as_json(run("metrics", "--json", "--from", "2026-03-01", "--to", "2026-03-07"))


def journal_edits(db: str, table: str) -> list[tuple[str, dict, dict]]:
    with Store(db) as s:
        return [(src, json.loads(old), json.loads(new)) for src, old, new in s.conn.execute(
            "SELECT source, old, new FROM journal WHERE tbl = ? AND action = 'update' ORDER BY seq", (table,))]


def test_a_payout_typed_ten_times_too_big_is_fixed_and_the_figures_follow(run, db):
    worked_example(run)
    run("payout", "Outlier", "1850", "--on", "2026-03-06", "--fee", "3.50", "--method", "PayPal")
    assert Decimal(figures(run)["paid_out"]) == Decimal("1850")
    [p] = as_json(run("record", "list", "payouts", "--json"))
    assert (p["amount"], p["fee"], p["method"], p["platform"]) == ("1850.00", "3.50", "PayPal", "Outlier")
    out = run("record", "edit", "payouts", p["id"], "amount=185", "note=typo: was 1850").output
    assert "amount=185.00" in out and "the journal keeps the old values" in out
    m = figures(run)
    assert (Decimal(m["paid_out"]), Decimal(m["fees"])) == (Decimal("185"), Decimal("3.5"))
    assert Decimal(m["outstanding"]) == Decimal("0")  # 185 earned, 185 paid out
    assert journal_edits(db, "payouts") == [
        ("manual", {"amount_micros": 1_850_000_000, "note": None}, {"amount_micros": 185_000_000, "note": "typo: was 1850"})]
    assert "ok:" in run("verify").output


def test_a_bad_change_is_refused_with_a_sentence_and_changes_nothing(run, db):
    worked_example(run)
    run("payout", "Outlier", "185", "--on", "2026-03-06")
    before = as_json(run("record", "list", "payouts", "--json"))
    for args, message in [
        (("amount=-5",), "negative"),
        (("amount=12,50",), "amount: '12,50' is not an amount"),
        (("currency=dollars",), "currency: 'dollars' is not a currency code"),
        (("paid_at=yesterday-ish",), "paid_at: 'yesterday-ish' is not a time"),
        (("platform=Remotaskz",), "there is no platform 'Remotaskz'"),
        (("amout=5",), "a payout has no field amout; its fields are: platform, paid_at, amount"),
        (("amount",), "'amount' is not FIELD=VALUE"),
    ]:
        r = run("record", "edit", "payouts", "1", *args, ok=False)
        assert r.exit_code != 0 and message in r.output, (args, r.output)
        assert "Traceback" not in r.output
    assert as_json(run("record", "list", "payouts", "--json")) == before
    assert journal_edits(db, "payouts") == []
    r = run("record", "edit", "payouts", "9", "amount=1", ok=False)
    assert "there is no payout #9; see the numbers with: taskerlog record list payouts" in r.output


def test_a_rate_typed_wrong_is_fixed_and_the_pay_is_worked_out_again(run, db):
    worked_example(run)  # 3 h at 35 + 4 h at 20 = 185
    rates = as_json(run("record", "list", "rates", "--json"))
    assert [(r["rate"], r["project"], r["unit"]) for r in rates] == [("35.00", GD, "hour"), ("20.00", GD, "hour")]
    run("record", "edit", "rates", rates[1]["id"], "rate=25")
    assert Decimal(figures(run)["earned"]) == Decimal("205")  # 3 × 35 + 4 × 25
    run("record", "edit", "rates", rates[1]["id"], "effective_at=2026-03-05T00:00")  # the cut came a day later
    assert Decimal(figures(run)["earned"]) == Decimal("245")  # all 7 paid hours at 35
    r = run("record", "edit", "rates", rates[1]["id"], "unit=minute", ok=False)
    assert "unit: 'minute' is not one of: hour, task" in r.output and r.exit_code != 0  # the bundle's words
    run("record", "edit", "rates", rates[1]["id"], "unit=Task")  # read as the bundle reads it
    assert as_json(run("record", "list", "rates", "--json"))[1]["unit"] == "task"


def test_an_eq_period_and_an_expense_are_fixed_or_deleted(run, db):
    worked_example(run)
    [e] = as_json(run("record", "list", "eq", "--json"))
    assert (e["start_date"], e["end_date"]) == ("2026-03-05", "2026-03-07")
    r = run("record", "edit", "eq", e["id"], "end_date=2026-03-01", ok=False)
    assert "the last day (end_date) is before the first (start_date)" in r.output
    r = run("record", "edit", "eq", e["id"], "end_date=2026-13-01", ok=False)
    assert "end_date: '2026-13-01' is not a date; write it as YYYY-MM-DD" in r.output
    run("record", "edit", "eq", e["id"], "end_date=2026-03-06")
    assert figures(run)["eq_days"] == 2
    run("expense", "12.50", "--category", "internet", "--platform", "Outlier", "--on", "2026-03-03")
    [x] = as_json(run("record", "list", "expenses", "--json"))
    run("record", "edit", "expenses", x["id"], "platform=")  # shared by all work: blank clears it
    assert as_json(run("record", "list", "expenses", "--json"))[0]["platform"] == ""
    r = run("record", "delete", "expenses", x["id"], input="n\n", ok=False)
    assert r.exit_code != 0 and as_json(run("record", "list", "expenses", "--json"))  # not confirmed: kept
    out = run("record", "delete", "expenses", x["id"], "--yes").output
    assert "deleted expense #1 (date=2026-03-03, category=internet, amount=12.50" in out
    assert as_json(run("record", "list", "expenses", "--json")) == []
    with Store(db) as s:
        [(old,)] = s.conn.execute("SELECT old FROM journal WHERE tbl = 'expenses' AND action = 'delete'")
        assert json.loads(old)["amount_micros"] == 12_500_000
    assert "ok:" in run("verify").output


def test_a_project_in_use_is_not_deleted_and_names_clash(run, db):
    worked_example(run)
    run("project", "add", "Outlier", "White Wolf")
    projects = {p["project"]: p["id"] for p in as_json(run("record", "list", "projects", "--json"))}
    r = run("record", "delete", "projects", projects[GD], "--yes", ok=False)
    assert "still has 5 work entries and 2 rates" in r.output
    r = run("record", "edit", "projects", projects["White Wolf"], f"project={GD}", ok=False)
    assert "that platform already has a project of that name" in r.output
    r = run("record", "edit", "projects", projects[GD], "platform=Remotasks", ok=False)
    assert "a project stays on its platform (Outlier)" in r.output  # its work entries name Outlier
    run("record", "edit", "projects", projects["White Wolf"], "project=White Wolf II", "advertised_rate=18")
    assert {p["project"]: p["advertised_rate"] for p in as_json(run("record", "list", "projects", "--json"))} == {
        GD: "", "White Wolf II": "18.00"}
    run("record", "delete", "projects", projects["White Wolf"], "--yes")
    assert [p["project"] for p in as_json(run("record", "list", "projects", "--json"))] == [GD]


def test_exchange_rates_are_fixed_and_work_entries_point_to_their_own_commands(run, db):
    run("settings", "--home-currency", "USD", "--timezone", "Africa/Nairobi")
    run("fx", "KES", "0.0077", "--on", "2026-03-01")
    [f] = as_json(run("record", "list", "fx", "--json"))
    run("record", "edit", "fx", f["id"], "rate=0.00775")
    assert as_json(run("record", "list", "fx", "--json"))[0]["rate"] == "0.00775"
    r = run("record", "list", "work", ok=False)
    assert r.exit_code != 0 and "projects" in r.output  # the kinds it knows are listed


@pytest.mark.parametrize("kind", ["projects", "rates", "payouts", "expenses", "eq", "fx"])
def test_an_empty_list_says_so(run, kind):
    run("settings", "--home-currency", "USD")
    assert f"no {kind} yet" in run("record", "list", kind).output


def test_a_first_payout_for_earlier_work_is_offered_marked_and_kept_out_of_outstanding(run, db):
    """Work logged from 1 March; $60 paid on 28 February was for work before the logbook.
    Unmarked, it makes outstanding 185 − 60 − 185 = −60 (explained); marked, it is
    paid_out_earlier and outstanding is 185 − 185 = 0."""
    worked_example(run)
    out = run("payout", "Outlier", "60", "--on", "2026-02-28").output
    assert "dated before any work logged on Outlier" in out and "for_earlier_work=yes" in out
    run("payout", "Outlier", "185", "--on", "2026-03-06")
    whole = ["metrics", "--from", "2026-02-01", "--to", "2026-03-31"]
    assert as_json(run(*whole, "--json"))["outstanding"] == "-60.00"
    assert "outstanding is below zero: more was paid out than the logbook shows earned" in run(*whole).output
    [early, _] = as_json(run("record", "list", "payouts", "--json"))
    assert early["for_earlier_work"] == ""
    run("record", "edit", "payouts", early["id"], "for_earlier_work=yes")
    m = as_json(run(*whole, "--json"))
    assert (m["outstanding"], m["paid_out"], m["paid_out_earlier"]) == ("0.00", "185.00", "60.00")
    text = run(*whole).output
    assert "paid out for earlier work" in text and "below zero" not in text
    assert "ok:" in run("verify").output
    # the option on the command, and a payout after the first entry gets no hint
    out = run("payout", "Outlier", "10", "--on", "2026-02-27", "--for-earlier-work").output
    assert "for work done before this logbook" in out and "dated before" not in out
    assert "dated before" not in run("payout", "Outlier", "5", "--on", "2026-03-20").output
    assert as_json(run(*whole, "--json"))["paid_out_earlier"] == "70.00"
    bad = run("record", "edit", "payouts", early["id"], "for_earlier_work=maybe", ok=False)
    assert "'maybe' is not yes or no" in bad.output
