"""Every CSV a person may open is spreadsheet-safe: the evidence report's files, the
organizer's report and the bundle export go through one guard (taskerlog.csvsafe), and a
campaign refuses names that would need it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from types import SimpleNamespace

import pandas as pd
import pytest

from taskerlog import csvsafe, timeutil
from taskerlog.bundle import export_bundle, import_path
from taskerlog.evidence import report
from taskerlog.model import EQPeriod, Logbook, Payout, Project, Rate, WorkEntry
from taskerlog.pool import report as pool_report
from taskerlog.pool.campaign import Campaign
from taskerlog.store import Store

TZ = "Europe/Berlin"
ATTACKS = ["=HYPERLINK(\"http://x.test\",\"pay\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB",
           "\rCR", "'=quoted"]


def t(text: str) -> int:
    return timeutil.parse_instant(text, TZ)


def formula_cells(data: bytes) -> list[str]:
    """Cells a spreadsheet would run: a formula character first and not a plain number."""
    out = []
    for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
        for cell in row:
            if cell[:1] in tuple(csvsafe.FORMULA_START) and not csvsafe._NUMBER.fullmatch(cell):
                out.append(cell)
    return out


@pytest.fixture
def hostile(tmp_path):
    """A logbook whose every text a worker types starts like a formula."""
    s = Store(tmp_path / "logbook.sqlite", now=lambda: t("2026-03-20T10:00"))
    s.set_settings(Logbook(home_currency="EUR", timezone=TZ))
    for i, text in enumerate(ATTACKS):
        project = f"{text} project"
        s.add_project(Project(platform="Outlier", project=project, notes=text, currency="EUR"))
        s.add_rate(Rate(platform="Outlier", project=project, effective_at=t("2026-03-01T00:00"), rate="20",
                        currency="EUR", note=text))
        wid = s.add_work(WorkEntry(platform="Outlier", project=project, kind="tasking", external_id=text,
                                   start=t(f"2026-03-0{i + 2}T09:00"), end=t(f"2026-03-0{i + 2}T10:00"), note=text))
        s.update("work", wid, {"note": text + " edited"}, "manual")
        s.add_payout(Payout(platform="Outlier", paid_at=t(f"2026-03-1{i}T10:00"), amount="10", currency="EUR",
                            method=text, reference=text, note=text))
    s.add_eq(EQPeriod(platform="Outlier", start_date=dt.date(2026, 3, 12), end_date=dt.date(2026, 3, 13),
                      note=ATTACKS[0]))
    yield s
    s.close()


def test_the_evidence_reports_csv_files_hold_no_formula(hostile):
    """entries, edits, rates, payouts and eq.csv wrote cells starting with = + - @ as they were."""
    data, _, _ = report.make_report(hostile, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31),
                                    reference=None, now=t("2026-03-25T10:00"), statement=None, anchor_claims=())
    z = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in z.namelist() if n.endswith(".csv")]
    assert {"entries.csv", "edits.csv", "rates.csv", "payouts.csv", "eq.csv"} <= set(names)
    for name in names:
        assert formula_cells(z.read(name)) == [], name
    entries = z.read("entries.csv").decode()
    assert "'=HYPERLINK" in entries and "'-2+3" in entries and "''=quoted" in entries
    assert "'@SUM(A1) edited" in z.read("edits.csv").decode()


def test_negative_numbers_stay_numbers():
    assert csvsafe.csv_bytes(["a", "b", "c"], [["-12.50", "+3", "-2+3"]]) == b"a,b,c\n-12.50,+3,'-2+3\n"


def test_the_bundle_export_holds_no_formula_and_imports_back(hostile, tmp_path):
    export_bundle(hostile, tmp_path / "out.zip")
    z = zipfile.ZipFile(tmp_path / "out.zip")
    for name in z.namelist():
        assert formula_cells(z.read(name)) == [], name
    again = Store(tmp_path / "again.sqlite")
    import_path(again, tmp_path / "out.zip")
    assert sorted(again.frames().work["note"]) == sorted(a + " edited" for a in ATTACKS)
    again.close()


def test_the_organizers_csv_holds_no_formula():
    groups = pd.DataFrame([{"level": "cell", "platform": "=cmd|' /C calc'!A0", "category": "@writing",
                            "month": "2026-02", "workers": 12, "wage_p25": 12.75, "wage_median": -1.5,
                            "wage_p75": 18.25, "paid_rate_median": 15.5, "unpaid_share": 0.0, "eq_days_median": 0.0,
                            "rate_cut_share": 0.0, "below_reference_share": 16.7}])
    rep = SimpleNamespace(groups=groups, campaign=SimpleNamespace(currency="USD"))
    text = pool_report.to_csv(rep)
    assert formula_cells(text.encode()) == []
    assert "cell,'=cmd|' /C calc'!A0,'@writing,2026-02,12,USD,12.75,-1.50,18.25" in text


@pytest.mark.parametrize("name", ["=SUM(A1)", "+Outlier", "-Remotasks", "@writing", "'=x"])
def test_a_campaign_refuses_names_a_spreadsheet_would_run(name):
    with pytest.raises(ValueError, match="cannot be a name here.*spreadsheets read as a formula"):
        Campaign(campaign_id="dla-2026", name="What the platforms pay", months=["2026-01"], currency="USD",
                 platforms=["Outlier", name], categories=["writing"])
    with pytest.raises(ValueError, match="cannot be a name here"):
        Campaign(campaign_id="dla-2026", name="What the platforms pay", months=["2026-01"], currency="USD",
                 platforms=["Outlier"], categories=[name])
