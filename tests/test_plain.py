"""Small tables read in plain Python (bundle/plain.py) come out as the Checker reads them.

The plain reading may refuse a table (then the Checker reads it, as before); when it takes
one, the parsed frame must be the Checker's, value for value and type for type, and the
Checker must have found no problem in it. Hypothesis builds small tables of every file the
plain reading serves from cells that are mostly well formed, with the near misses that
matter (padding, the spreadsheet guard, case, other alphabets, impossible dates, DST gaps,
signs, too many decimals, rows the table's rules refuse). Whole imports go both ways too:
the same rows, so the same journal, hash for hash.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from taskerlog.bundle import import_tables, importer, read_bundle
from taskerlog.bundle.parse import STR, Checker
from taskerlog.bundle.plain import NotPlain, PlainChecker
from taskerlog.bundle.spec import FILES, LINE
from taskerlog.store import Store

SAMPLES = sorted(p for p in (Path(__file__).resolve().parents[1] / "sample_data").iterdir() if p.is_dir())
TABLES = ["projects", "rates", "eq", "payouts", "expenses", "fx"]

# (well formed, near misses) for each kind of column
TEXT = (["Outlier", "Genesis Dolphin", "Requester 00 — Köln", "paid in £", "“quoted”", "é", "=1+2", "-", ""],
        [" padded", "padded ", "\u00a0nbsp", "tab\t", "'=SUM(A1)", "'x", "x" * 201])
PAY_MODEL = (["hourly", "HOURLY", "per_task", "Per_Task", ""], ["bogus", "hour", " hourly", "ho\u212aurly"])
UNIT = (["hour", "task", "TASK", ""], ["tas\u212a", " hour", "hours"])
END_REASON = (["finished", "removed", "Quit", "paused", ""], ["fired", "finished "])
CURRENCY = (["USD", "usd", "KES", "Kes", "EUR", ""], ["XYZ", "XXX", "US", "€", "ｕｓｄ", " USD"])
DATE = (["2026-03-02", "2026-03-05", "2026-02-28", "1900-01-01", "2199-12-31", ""],
        ["2026-02-30", "2026-3-2", "1899-12-31", "2200-01-01", "2026-03-02T09:00", " 2026-03-02", "٢٠٢٦-٠٣-٠٢"])
INSTANT = (["2026-03-02T09:00", "2026-03-02 09:00:30", "2026-10-25T01:30", "2026-11-01T01:30", "2026-03-02T09:00Z",
            "2026-03-02T09:00+03:00", "2026-03-02T09:00+0300", ""],
           ["2026-03-29T01:30", "2026-03-08T02:30", "2026-03-02T24:00", "2026-03-02", "1900-01-01T00:30+01:00",
            "2199-12-31T23:30-01:00", "2026-03-02T09:00+3:00", "2026-03-02t09:00"])
AMOUNT = (["20", "20.00", "0.05", ".5", "5.", "0", "9" * 14, ""],
          ["-5", "+5", "1,000", "12.1234567", "1e3", " 12", "١٢", "."])
APPLIES = (["", "training", "training;review", "Training", "tasking; review"], ["bogus", ";", "paid"])
FX_RATE = (["1", "1.2500", "0.0077", "1.0"], ["0", "-1", "abc", "", " 1"])

POOLS = {"pay_model": PAY_MODEL, "unit": UNIT, "end_reason": END_REASON, "currency": CURRENCY,
         "received_currency": CURRENCY, "advertised_rate": AMOUNT, "amount": AMOUNT, "fee": AMOUNT,
         "received_amount": AMOUNT, "started_on": DATE, "ended_on": DATE, "start_date": DATE, "end_date": DATE,
         "date": DATE, "effective_at": INSTANT, "paid_at": INSTANT, "applies_to": APPLIES}
ZONES = ["Europe/London", "America/New_York", "UTC"]


def pool(table: str, col: str) -> tuple[list[str], list[str]]:
    if col == "rate":
        return FX_RATE if table == "fx" else AMOUNT
    return POOLS.get(col, TEXT)


def table_frame(table: str, rows: list[dict[str, str | None]], columns: list[str]) -> pd.DataFrame:
    """What the reader gives: pandas ``str`` columns on large_string arrow arrays, and ``_line``."""
    df = pd.DataFrame({c: pd.arrays.ArrowStringArray(pa.array([r[c] for r in rows], pa.large_string()), dtype=STR)
                       for c in columns})
    df[LINE] = np.arange(2, len(rows) + 2, dtype=np.int64)
    df.attrs["file"] = FILES[table].filename
    return df


@st.composite
def tables(draw) -> tuple[str, pd.DataFrame]:
    table = draw(st.sampled_from(TABLES))
    spec = FILES[table]
    columns = [c for c in spec.columns if c in spec.required or draw(st.integers(0, 4))]
    # half the tables only well-formed cells (most are then plain; some rows still break a
    # rule of the table), half with near misses too
    odd = draw(st.booleans())

    def cell(c: str):
        good, near = pool(table, c)
        if c in spec.required or c in ("platform", "project", "category", "paid_at", "effective_at", "amount",
                                        "start_date", "date"):
            good = [v for v in good if v]  # (a blank where one is needed is a near miss)
            near = [*near, ""]
        if not odd:
            return st.sampled_from(good)
        return st.sampled_from(good * 3 + near + [None])

    rows = draw(st.lists(st.fixed_dictionaries({c: cell(c) for c in columns}), min_size=1, max_size=5))
    return table, table_frame(table, rows, columns)


def read_plain(table: str, df: pd.DataFrame, tz: str, home: str) -> pd.DataFrame | None:
    try:
        return importer._PARSERS[table](PlainChecker(df, table), tz, home)
    except NotPlain:
        return None


def read_checker(table: str, df: pd.DataFrame, tz: str, home: str) -> tuple[pd.DataFrame, list]:
    ck = Checker(df, table)
    return importer._PARSERS[table](ck, tz, home), ck.problems


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(ZONES), st.sampled_from(["USD", "KES"]))
@example(("fx", table_frame("fx", [{"date": "2026-03-02", "currency": "USD", "rate": "1.0"}],
                            ["date", "currency", "rate"])), "UTC", "USD")
@example(("projects", table_frame("projects", [{"platform": "Outlier", "project": "P", "started_on": "2026-03-05",
                                                "ended_on": "2026-03-02"}],
                                  ["platform", "project", "started_on", "ended_on"])), "UTC", "USD")
def test_a_plain_table_reads_as_the_checker_reads_it(table_df, tz, home):
    table, df = table_df
    got = read_plain(table, df, tz, home)
    want, problems = read_checker(table, df, tz, home)
    if got is not None:
        assert problems == []
        pd.testing.assert_frame_equal(got, want)


def _base_row(table: str) -> dict[str, str]:
    """A well-formed row: each column's first well-formed non-blank cell."""
    return {c: next(v for v in pool(table, c)[0] if v) for c in FILES[table].columns}


@pytest.mark.parametrize("table", TABLES)
def test_each_cell_alone(table):
    """Every cell of the pools, well formed or a near miss, in a row that is otherwise
    well formed (and again beside a second, well-formed row): read the same way, or refused."""
    taken = 0
    base = _base_row(table)
    for col in FILES[table].columns:
        good, near = pool(table, col)
        for value in [*good, *near, None]:
            for rows in ([{**base, col: value}], [base, {**base, col: value}]):
                df = table_frame(table, rows, list(base))
                for tz, home in (("Europe/London", "USD"), ("America/New_York", "KES")):
                    got = read_plain(table, df, tz, home)
                    want, problems = read_checker(table, df, tz, home)
                    if got is not None:
                        taken += 1
                        assert problems == [], (col, value)
                        pd.testing.assert_frame_equal(got, want, obj=f"{table}.{col}={value!r}")
    assert taken > 0


def test_clean_tables_take_the_plain_way():
    """Well-formed rows of every table the plain reading serves are read by it (so the
    comparison above is not vacuous), and give the Checker's frame."""
    rows = {
        "projects": [{"platform": "Outlier", "project": "Genesis Dolphin", "pay_model": "Hourly", "currency": "usd",
                      "advertised_rate": "35", "started_on": "2026-03-01", "ended_on": "2026-03-20",
                      "end_reason": "removed", "notes": "“quality issue”"}],
        "rates": [{"platform": "Outlier", "project": "Genesis Dolphin", "effective_at": "2026-03-29T02:30+01:00",
                   "rate": "20.50", "unit": "", "currency": "", "applies_to": "training;review", "note": ""}],
        "eq": [{"platform": "Outlier", "start_date": "2026-03-05", "end_date": "2026-03-07", "note": "EQ"}],
        "payouts": [{"platform": "Outlier", "paid_at": "2026-10-25 01:30", "amount": "185", "currency": "USD",
                     "fee": "", "method": "PayPal", "received_amount": "23500", "received_currency": "kes",
                     "reference": "PP-1", "note": ""}],
        "expenses": [{"date": "2026-03-01", "category": "internet", "amount": "55.5", "currency": "KES",
                      "platform": "", "note": "Safaricom bundle"}],
        "fx": [{"date": "2026-03-01", "currency": "KES", "rate": "0.00770"}],
    }
    for table, rs in rows.items():
        df = table_frame(table, rs, list(rs[0]))
        got = read_plain(table, df, "Europe/London", "USD")
        assert got is not None, table
        want, problems = read_checker(table, df, "Europe/London", "USD")
        assert problems == []
        pd.testing.assert_frame_equal(got, want)
    assert read_plain("payouts", table_frame("payouts", rows["payouts"], list(rows["payouts"][0])),
                      "Europe/London", "USD")["paid_at"].tolist() == [1792888200]  # the fold: its first 01:30 (BST), 00:30 UTC


def test_white_space_is_what_python_calls_white_space():
    """The plain reading trusts ``str.isspace`` to tell which cells the Checker would strip
    (arrow's ``utf8_trim_whitespace``): the two agree on every code point."""
    points = [chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000]
    left = pc.utf8_trim_whitespace(pa.array([c + "x" for c in points])).to_pylist()
    right = pc.utf8_trim_whitespace(pa.array(["x" + c for c in points])).to_pylist()
    trimmed = {c for c, a, b in zip(points, left, right) if a != c + "x" or b != "x" + c}
    assert trimmed == {c for c in points if c.isspace()}


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_an_import_stores_the_same_rows_either_way(folder, tmp_path):
    """A sample bundle imported with the plain reading and without it: the same journal,
    hash for hash (so the same rows in every table)."""
    heads = []
    for plain in (True, False):
        store = Store(tmp_path / f"{plain}.sqlite", now=lambda: 1_790_000_000)
        with mock.patch.object(importer, "PlainChecker", PlainChecker if plain else _refuse):
            import_tables(store, read_bundle(folder)[0], source="import:test")
        heads.append(store.journal_head())
        store.close()
    assert heads[0] == heads[1]


def _refuse(df, name):
    raise NotPlain


def test_a_bad_cell_in_a_small_table_is_still_named(tmp_path):
    """A table the plain reading refuses goes to the Checker, which words the problem."""
    from taskerlog.bundle import ImportProblems

    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "projects.csv").write_text("platform,project,pay_model\nOutlier,Genesis Dolphin,hourlyy\n")
    store = Store(tmp_path / "l.sqlite")
    with pytest.raises(ImportProblems) as exc:
        import_tables(store, read_bundle(folder)[0], source="t")
    assert [str(p) for p in exc.value.problems] == [
        "projects.csv:2: pay_model: 'hourlyy' is not one of: hourly, per_task"]
    assert store.is_empty()
