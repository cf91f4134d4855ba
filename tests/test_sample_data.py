"""The three sample logbooks import with zero problems and say what their README says.

Every expected figure below is worked out by hand from the story in
sample_data/make_samples.py (the arithmetic is in the comments), not read back from
taskerlog. The bundles are committed; ``test_samples_are_up_to_date`` fails when the
script and the CSVs drift apart.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from taskerlog import bundle, metrics
from taskerlog.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
NAMES = ("hourly-usd", "kenya-kes", "microtask-mturk")
D = dt.date
NOW = 1_780_000_000  # 2026-05-28, a fixed "now" for the store's recorded_at
H = pytest.approx  # hours are floats in the metrics JSON


def money(value) -> Decimal:
    return Decimal(value)


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    """Each sample imported once into its own fresh logbook, as the user would."""
    out = {}
    for name in NAMES:
        tables, problems = bundle.read_bundle(SAMPLES / name)
        assert [str(p) for p in problems] == [], name
        store = Store(tmp_path_factory.mktemp(name) / "logbook.sqlite", now=lambda: NOW)
        bundle.import_tables(store, tables, source="sample")
        out[name] = store.frames()
        store.close()
    return out


def figures(frames, name, date_from=None, date_to=None, **kw):
    return metrics.compute(frames[name], date_from=date_from, date_to=date_to, breakdowns=False, **kw)


# -- every bundle ------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_bundle_imports_every_row(frames, name):
    work_rows = (SAMPLES / name / "work.csv").read_text(encoding="utf-8").count("\n") - 1
    assert len(frames[name].work) == work_rows


def test_second_import_changes_nothing(tmp_path):
    tables, _ = bundle.read_bundle(SAMPLES / "hourly-usd")
    store = Store(tmp_path / "twice.sqlite", now=lambda: NOW)
    bundle.import_tables(store, tables, source="sample")
    before = len(store.frames().work)
    tables, _ = bundle.read_bundle(SAMPLES / "hourly-usd")
    bundle.import_tables(store, tables, source="sample")
    assert len(store.frames().work) == before


def test_samples_are_up_to_date(tmp_path, monkeypatch):
    """make_samples.py rewrites byte-identical CSVs (seeded, no clock)."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = mod
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "HERE", tmp_path)
    for make in (mod.hourly_usd, mod.kenya_kes, mod.microtask_mturk):
        out = make().write()
        for csv_file in sorted((SAMPLES / out.name).glob("*.csv")):
            assert (out / csv_file.name).read_bytes() == csv_file.read_bytes(), csv_file
    assert "Łódź" in (SAMPLES / "microtask-mturk" / "work.csv").read_text(encoding="utf-8")


# -- hourly-usd: Dana ------------------------------------------------------------------------
def test_hourly_january_is_forty_unpaid_onboarding_hours(frames):
    # Jan 5: 4 + 3.5 + 3 + 4.5 (platform courses) + 5 + 4 + 3 (Crimson Heron) + 3 + 4.5 + 3 + 2.5
    # (White Wolf) = 40 h onboarding; tests 2 + 1.5 + 1.5 = 5 h; 1 h reading, 1 h webinar.
    f = figures(frames, "hourly-usd", D(2026, 1, 1), D(2026, 1, 31))
    assert f["unpaid_hours_by_kind"]["onboarding"] == H(40.0)
    assert f["unpaid_hours_by_kind"]["assessment"] == H(5.0)
    assert f["hours_worked"] == H(47.0)
    assert f["hours_paid"] == H(0.0)
    assert money(f["earned"]) == 0
    assert f["unpaid_share"] == H(1.0)
    # 7.25 × 47 = 340.75 owed against the federal minimum, for a month with no pay at all
    assert money(f["shortfall"]) == Decimal("340.75")
    assert money(f["expenses"]) == Decimal("104.99")  # internet 65.00 + headset 39.99


def test_hourly_rate_cut_from_35_to_20(frames):
    f = figures(frames, "hourly-usd")
    assert f["rate_cuts"] == 1 and f["rate_raises"] == 1  # 35 → 20, and 22 → 24 in May
    assert f["largest_cut_pct"] == H(-42.857142857, abs=1e-3)  # (20 − 35) / 35 × 100
    first = figures(frames, "hourly-usd", D(2026, 3, 23), D(2026, 3, 23))
    assert money(first["earned"]) == Decimal("140")  # 4 h × $35
    after = figures(frames, "hourly-usd", D(2026, 3, 24), D(2026, 3, 24))
    assert money(after["earned"]) == Decimal("110")  # (2.5 h + 3 h) × $20


def test_hourly_training_rate_lost_and_capped_time(frames):
    week1 = figures(frames, "hourly-usd", D(2026, 2, 2), D(2026, 2, 8))
    assert money(week1["earned"]) == Decimal("150")  # 5 days × 3 h training × $10
    crash = figures(frames, "hourly-usd", D(2026, 2, 18), D(2026, 2, 18))
    # Wednesday: 3.5 h paid, 20 min past the cap, 1.5 h crashed submission
    assert crash["unpaid_hours_by_kind"]["lost"] == H(1.5)
    assert crash["unpaid_hours_by_kind"]["capped"] == H(1 / 3)
    assert money(crash["earned"]) == Decimal("87.5")  # 3.5 h × $25


def test_hourly_whole_logbook(frames):
    f = figures(frames, "hourly-usd")
    # earned: White Wolf 150 + 625 + 587.50 + 625 + 500 (pending) = 2487.50,
    # Genesis Dolphin 140 + 120 h × 20 = 2540, Jellyfish IF 50 h × 22 + 50 h × 24 = 2300
    assert money(f["earned"]) == Decimal("7327.50")
    assert money(f["pending"]) == Decimal("1100")  # White Wolf's last week 500 + Jellyfish's 600
    # payouts: 150 + 625 + 587.50 + 540 + 500 × 3 + 550 × 2 + 600; two weeks never paid
    assert money(f["paid_out"]) == Decimal("5102.50")
    assert money(f["outstanding"]) == Decimal("2225.00")  # 625 + 500 missing + 1100 pending
    assert money(f["fees"]) == Decimal("102.05")  # 2 % of each payout
    assert money(f["expenses"]) == Decimal("364.99")  # 5 × 65 + 39.99
    # 47 (Jan) + 15 training + 95 + 124 + 100 tasking + 6.5 instructions + 0.5 meeting
    # + 1.75 admin + 1 waiting + 13 × 20 min capped = 395 h 05 min
    assert f["hours_worked"] == H(395 + 5 / 60)
    assert f["hours_paid"] == H(332.5)  # 15 + 93.5 + 124 + 100
    assert float(f["effective_hourly_wage"]) == H(7327.50 / (395 + 5 / 60), abs=1e-4)
    assert f["eq_days"] == 23 and f["eq_episodes"] == 2 and f["longest_eq_days"] == 16


# -- kenya-kes: Achieng ------------------------------------------------------------------------
def test_kenya_rejected_batch(frames):
    f = figures(frames, "kenya-kes")
    # 3 March: 08:00-11:00, 14:00-17:30, 20:00-22:00 voided by the 85 % accuracy threshold
    assert f["unpaid_hours_by_kind"]["rejected"] == H(8.5)
    day = figures(frames, "kenya-kes", D(2026, 3, 3), D(2026, 3, 3))
    assert money(day["earned"]) == 0
    assert day["hours_worked"] == H(8.75)  # with the 15 min of Discord updates


def test_kenya_items_converted_at_the_days_rate(frames):
    # 2 Feb, Lidar Kestrel at $0.04: (138 + 140 + 60) items = $13.52; × 129.29 KES/USD
    f = figures(frames, "kenya-kes", D(2026, 2, 2), D(2026, 2, 2))
    assert money(f["earned"]) == Decimal("1748.0008")
    # 4 Mar, MM Biscuits after the cut to $0.025: (96 + 161 + 86) × 0.025 = $8.575 × 128.97
    f = figures(frames, "kenya-kes", D(2026, 3, 4), D(2026, 3, 4))
    assert money(f["earned"]) == Decimal("1105.91775")
    assert f["hours_worked"] == H(8.75)


def test_kenya_whole_logbook(frames):
    f = figures(frames, "kenya-kes")
    # 56 days × 8.5 h + 56 × 15 min updates + 4 × (3 h videos + 1 h quiz) + 4 × 1.5 h
    # refreshing an empty queue + 40 min support chat
    assert f["hours_worked"] == H(476 + 14 + 16 + 6 + 40 / 60)
    assert f["hours_paid"] == H(476 - 8.5)
    assert f["eq_days"] == 6 + 13 + 6 + 4
    assert f["rate_cuts"] == 1
    assert f["largest_cut_pct"] == H(-16.6667, abs=1e-3)  # $0.03 → $0.025 an item
    # weekly data bundles (13 Mondays × 250) + electricity 3 × 1000 + cybercafé 3 × 200
    assert money(f["expenses"]) == Decimal("6850.00")
    assert money(f["outstanding"]) > 0  # the Sunbird week of 30 March was never paid
    # Above the statutory minimum over the whole logbook, but not week by week: the weeks
    # of onboarding and empty queue earn nothing. 4 h (w/c 26 Jan) + 5.5 h (16 Feb) + 1.5 h
    # (9 Mar) + 4 h (16 Mar) + 5.5 h (6 Apr) + 1.5 h (27 Apr) = 22 h × KES 82.63
    assert f["below_reference"] is False
    assert money(f["shortfall"]) == 0
    assert money(f["weekly_shortfall"]) == Decimal("1817.86")
    # those six weeks are the ones below the minimum, of every week with work
    assert f["weeks_below_reference"] == 6
    assert f["weeks_with_work"] == 14  # 26 January to 27 April


# -- microtask-mturk: Rosa ------------------------------------------------------------------------
def test_mturk_overlapping_hits_counted_once(frames):
    # 10 March, written out by hand: waiting 19:00-19:10; HITs 19:10-19:16 ($0.25),
    # 19:11-19:19 ($0.10), 19:12-19:30 rejected, 19:25-19:28 returned; waiting 19:30-19:40;
    # HIT 19:40-19:45 ($0.05). Union 45 min; paid union 9 + 5 = 14 min; the rejected HIT
    # started first so it owns 19:19-19:30 (11 min); waiting 20 min.
    f = figures(frames, "microtask-mturk", D(2026, 3, 10), D(2026, 3, 10))
    assert f["hours_worked"] == H(0.75)
    assert f["hours_paid"] == H(14 / 60)
    assert money(f["earned"]) == Decimal("0.40")
    by_kind = f["unpaid_hours_by_kind"]
    assert by_kind["waiting"] == H(20 / 60)
    assert by_kind["rejected"] == H(11 / 60)
    assert by_kind.get("returned", 0) == H(0)
    assert float(f["effective_hourly_wage"]) == H(0.40 / 0.75, abs=1e-5)


def test_mturk_whole_logbook(frames):
    f = figures(frames, "microtask-mturk")
    work = frames["microtask-mturk"].work
    summed = float((work["end"] - work["start"]).sum()) / 3600
    assert f["hours_worked"] < summed  # parallel HITs are not double-counted
    assert f["largest_cut_pct"] == H(-20.0)  # receipts: $0.05 → $0.04
    assert money(f["pending"]) > 0  # the last three days are not approved yet
    assert f["unpaid_hours_by_kind"]["rejected"] > 0 and f["unpaid_hours_by_kind"]["returned"] > 0
    assert f["below_reference"] is True
