"""The fast cell parsers read every cell exactly as the original pandas rules did.

``tests/_parse_reference.py`` is a frozen copy of ``taskerlog/bundle/parse.py`` from before
the fast paths. Hypothesis feeds both the same columns, mixing the common well-formed
shapes with near misses (bad digits, impossible dates, DST gaps and folds, offsets, signs,
exponents, too many decimals, unicode digits, blanks and spaces, the spreadsheet guard),
and every parser must give the same values and the same problems (file, line, column and
wording), in the same order. Columns come whole or in chunks (as the CSV reader leaves
them) and are read in batches of a few rows, so the seams are crossed too.

``tests/_reader_reference.py`` does the same for ``parse_csv``: generated CSV files (quotes,
line breaks in cells, blank lines, CRLF, a BOM, ragged rows, odd headers, broken UTF-8)
must give the same frames, line numbers and problems.
"""

from __future__ import annotations

import csv
import io
import re
from itertools import pairwise
from unittest import mock

import _parse_reference as ref
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from taskerlog import money, timeutil
from taskerlog.bundle import parse
from taskerlog.bundle.problems import Problem
from taskerlog.bundle.importer import _PARSERS

ZONES = ["Europe/London", "America/New_York", "UTC", "Asia/Kolkata", "Australia/Lord_Howe"]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- cells --------------------------------------------------------------------------------
digit = st.sampled_from("0123456789")
odd_char = st.sampled_from(["١", "٢", "۳", "𝟏", "x", "-", "+", ".", ",", ":", " ", "T", "Z", "e", "'", "é", "\u00a0"])


def _pad2(n: int) -> str:
    return f"{n:02d}"


@st.composite
def local_times(draw) -> str:
    """Date-times near the common shape: sometimes invalid, sometimes in a DST gap or fold."""
    kind = draw(st.sampled_from(["plain", "plain", "dst", "edge"]))
    if kind == "dst":
        # London: gap 2026-03-29 01:00-02:00, fold 2026-10-25 01:00-02:00;
        # New York: gap 2026-03-08 02:00-03:00, fold 2026-11-01 01:00-02:00
        day, hour = draw(st.sampled_from([("2026-03-29", 1), ("2026-10-25", 1), ("2026-03-08", 2),
                                          ("2026-11-01", 1), ("2025-03-30", 1), ("2025-10-26", 1)]))
        hour = draw(st.sampled_from([hour - 1, hour, hour, hour + 1]))
        y, m, d = day.split("-")
    else:
        years = [1899, 1900, 1970, 2024, 2025, 2026, 2199, 2200, 2262, 1677, 1]
        y = f"{draw(st.sampled_from(years) if kind == 'edge' else st.integers(2020, 2030)):04d}"
        m = _pad2(draw(st.sampled_from([0, 1, 2, 12, 13]) if kind == "edge" else st.integers(1, 12)))
        d = _pad2(draw(st.sampled_from([0, 28, 29, 30, 31, 32]) if kind == "edge" else st.integers(1, 28)))
        hour = draw(st.sampled_from([0, 23, 24, 25]) if kind == "edge" else st.integers(0, 23))
    minute = draw(st.sampled_from([0, 30, 59, 60]) if kind == "edge" else st.integers(0, 59))
    sep = draw(st.sampled_from(["T", "T", " ", "t"]))
    text = f"{y}-{m}-{d}{sep}{_pad2(hour)}:{_pad2(minute)}"
    if draw(st.booleans()):
        text += ":" + _pad2(draw(st.sampled_from([0, 7, 59, 60]) if kind == "edge" else st.integers(0, 59)))
    suffix = draw(st.sampled_from(["", "", "", "offset", "offset", "Z", "z", "+05", ".5", ".123456789", " +01:00",
                                   "+3:00"]))
    if suffix == "offset":
        hours = draw(st.one_of(st.integers(0, 14), st.sampled_from([18, 23, 24, 25, 99])))
        minutes = draw(st.sampled_from([0, 30, 45, 59, 60]))
        suffix = draw(st.sampled_from("+-")) + _pad2(hours) + draw(st.sampled_from([":", ":", ""])) + _pad2(minutes)
    return text + suffix


@st.composite
def numbers(draw) -> str:
    whole = draw(st.text(digit, min_size=0, max_size=16))
    text = whole
    if draw(st.booleans()):
        text += "." + draw(st.text(digit, min_size=0, max_size=8))
    return draw(st.sampled_from(["", "", "", "+", "-", "++"])) + text


fixed = st.sampled_from([
    "", " ", "  ", "\t", "+1.5", ".5", "1.", "1e3", "-2", "-0", "0", "00", "1.1234567", "1234567890123",
    "123456789012", "999999999.999999", "9999999999.99", "0000000000000012", "١٢", "١٢.٥", "12.50", "+", ".",
    "nan", "inf", "1,5", "1 2", "0x1F", "2026-03-02", "2026-02-30", "2026-13-01", "2024-02-29", "2025-02-29",
    "١٩٩٩-01-01", "2026-03-02T09:00", "2026-03-02 09:00:00", "2026-03-02T24:00", "2026-03-02T9:00",
    "2026-03-02T09", "2026-03-02T09:00:00.5", "2026-03-02T09:00Z", "2026-03-02T09:00+03:00",
    "2026-03-02T09:00-0530", "٢٠٢٦-03-02T09:00", "2026-03-29T01:30", "2026-10-25T01:30",
    "2026-03-08T02:30", "2026-11-01T01:30", "0001-01-01T00:00", "9999-12-31T23:59:59",
    "usd", "USD", "US", "USDX", "ÜSD", "tasking", "Tasking", "paid", "ß", "'=1", "''=1", "'+5", "'-2", "'x",
    "'\t3", "'@a", "'", "a\nb", "x" * 250,
])


@st.composite
def mutated(draw, base) -> str:
    """A cell from ``base`` with a character swapped, dropped or added."""
    text = draw(base)
    if text and draw(st.booleans()):
        i = draw(st.integers(0, len(text) - 1))
        how = draw(st.sampled_from(["swap", "drop", "add"]))
        c = draw(odd_char)
        text = text[:i] + (c if how != "drop" else "") + text[i + (how != "add"):]
    return text


@st.composite
def dressed(draw, base) -> str:
    text = draw(base)
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.sampled_from(["'", "''"])) + draw(st.sampled_from(["=", "+", "-", "@", "\t", "\r", "x"])) + text
    if draw(st.integers(0, 6)) == 0:
        text = draw(st.sampled_from([" ", "\t", "\u3000", "\n "])) + text + draw(st.sampled_from(["", " ", "\r"]))
    return text


instant_cells = dressed(st.one_of(local_times(), mutated(local_times()), fixed))
number_cells = dressed(st.one_of(numbers(), mutated(numbers()), fixed))
any_cells = dressed(st.one_of(local_times(), numbers(), fixed, mutated(fixed)))


def column(cells):
    return st.lists(cells, min_size=1, max_size=60)


# -- comparing ------------------------------------------------------------------------------
def frame(cells: list, *, missing: bool = False, chunks: int = 1) -> pd.DataFrame:
    """A table as the CSV reader gives it (a str column, in ``chunks`` pieces); ``missing``:
    as another reader might, object dtype with None for some cells."""
    if missing:
        values = pd.Series([None if i % 5 == 3 else c for i, c in enumerate(cells)], dtype=object)
    else:
        cuts = np.linspace(0, len(cells), chunks + 1).astype(int)
        pieces = [pa.array(cells[a:b], pa.large_string()) for a, b in pairwise(cuts)]
        values = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(pieces, pa.large_string()),
                                                      dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
        assert values.dtype == pd.Series(["x"]).dtype
    df = pd.DataFrame({"c": values, "_line": np.arange(len(cells)) * 3 + 7})
    df.attrs["file"] = "t.csv"
    return df


layout = st.fixed_dictionaries({"missing": st.integers(0, 9).map(lambda i: i == 0), "chunks": st.integers(1, 4),
                                "batch": st.sampled_from([parse._BATCH, 1, 5]),
                                "small": st.sampled_from([parse.SMALL, 0])})
"""``batch``: rows the fast paths read at a time; ``small``: the most cells a column may have
for the few-cells way (0: always the numpy way)."""


def same(method: str, df: pd.DataFrame, *args, batch: int = parse._BATCH, small: int = parse.SMALL,
         **kwargs) -> None:
    with mock.patch.object(parse, "_BATCH", batch), mock.patch.object(parse, "SMALL", small):
        _same(method, df, *args, **kwargs)


def _same(method: str, df: pd.DataFrame, *args, **kwargs) -> None:
    new, old = parse.Checker(df, "t"), ref.Checker(df, "t")
    try:
        want = getattr(old, method)("c", *args, **kwargs)
    except Exception:  # noqa: BLE001
        # the original crashed on a cell such as 2026-03-02T09:00+3:00 (an offset its pattern
        # misses but pandas reads) or 9999-12-31T23:59 in a zone with DST; now every such
        # cell gets a message and the import goes on to list the rest
        got = getattr(new, method)("c", *args, **kwargs)
        flagged = {p.line for p in new.problems}
        lines = df["_line"].to_numpy()
        for i in np.flatnonzero(~new.blank("c") & got.isna().to_numpy()):
            assert int(lines[i]) in flagged
        return
    got = getattr(new, method)("c", *args, **kwargs)
    expected_problems = list(old.problems)
    if method == "instant":  # a time outside 1900-2199 (a typo in the year) is now refused
        lo, hi = parse._INSTANT_RANGE
        far = (want.notna() & ((want < lo) | (want >= hi))).to_numpy(dtype=bool)
        cells, lines = old.cell("c").to_numpy(), df["_line"].to_numpy()
        expected_problems += [Problem("t.csv", int(lines[i]), "c", f"'{cells[i]}' is not in the years 1900 to 2199; "
                                      "check the year") for i in np.flatnonzero(far)]
        want = want.where(~far, pd.NA)
        # a time the clocks jumped over: the suggested offset is now the zone's own, not +03:00
        expected_problems = [Problem(q.file, q.line, q.column, timeutil.skipped_message(q.message.split("'")[1], args[0]))
                             if "does not exist in" in q.message else q for q in expected_problems]
    if method == "currency":  # three capitals that are no ISO 4217 code (XYZ, UDS) are now refused too
        message = "is not a currency code; use the three-letter ISO 4217 code such as USD, KES, PHP, INR, EUR"
        expected_problems = [Problem(q.file, q.line, q.column, q.message + " (check the spelling)")
                             if q.message.endswith(message) else q for q in expected_problems]
        cells, lines = old.cell("c").to_numpy(), df["_line"].to_numpy()
        unknown = [i for i, v in enumerate(want.tolist()) if isinstance(v, str)
                   and re.fullmatch("[A-Z]{3}", v) and v not in money.currency_codes()]
        expected_problems += [Problem("t.csv", int(lines[i]), "c", money.CURRENCY_MESSAGE.format(v=cells[i]))
                              for i in unknown]
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)
    else:
        pd.testing.assert_series_equal(got, want)
    key = lambda p: (p.line or 0, p.message)  # noqa: E731
    assert sorted(new.problems, key=key) == sorted(expected_problems, key=key)
    pd.testing.assert_series_equal(new.cell("c"), old.cell("c"))
    np.testing.assert_array_equal(new.blank("c"), old.blank("c"))


@SETTINGS
@given(column(instant_cells), st.sampled_from(ZONES), st.booleans(), layout)
@example(["2026-03-29T01:30", "2026-10-25T01:30:00", "2026-03-29 00:59", "2026-03-29T02:00"], "Europe/London",
         True, {"missing": False, "chunks": 2, "batch": 3, "small": 0})
@example(["2026-03-08T02:30", "2026-11-01T01:30", "2026-11-01 01:59:59", "2026-03-08T03:00"], "America/New_York",
         False, {"missing": False, "chunks": 1, "batch": 1, "small": 256})
def test_instant_is_unchanged(cells, tz, required, layout):
    same("instant", frame(cells, missing=layout["missing"], chunks=layout["chunks"]), tz,
         required="the start time" if required else None, batch=layout["batch"], small=layout["small"])


@SETTINGS
@given(column(number_cells), st.booleans(), layout)
def test_amounts_are_unchanged(cells, required, layout):
    df = frame(cells, missing=layout["missing"], chunks=layout["chunks"])
    same("micros", df, required="the rate" if required else None, batch=layout["batch"], small=layout["small"])
    same("duration_seconds", df, batch=layout["batch"], small=layout["small"])
    same("_decimal_parts", df, batch=layout["batch"], small=layout["small"])


@SETTINGS
@given(column(number_cells), layout)
def test_integers_are_unchanged(cells, layout):
    same("integer", frame(cells, missing=layout["missing"], chunks=layout["chunks"]), batch=layout["batch"],
         small=layout["small"])


@SETTINGS
@given(column(any_cells), st.booleans(), layout)
def test_dates_and_codes_are_unchanged(cells, required, layout):
    df = frame(cells, missing=layout["missing"], chunks=layout["chunks"])
    same("date", df, required="the date" if required else None, batch=layout["batch"], small=layout["small"])
    for small in (parse.SMALL, 0):
        same("currency", df, required=required, small=small)
        same("choice", df, ("tasking", "paid", "ß"), required="the kind" if required else None, small=small)
        same("text", df, required="a name" if required else None, max_len=20, small=small)


@SETTINGS
@given(column(any_cells))
def test_unescape_is_unchanged(cells):
    s = pd.Series(cells, dtype=str)
    pd.testing.assert_series_equal(parse.unescape(s), ref.unescape(s))


def test_spreadsheet_guard_is_undone():
    df = frame(["'=SUM(A1)", "'+5", "'-2", "'@x", "''=1", "'x", "'"])
    assert parse.Checker(df, "t").cell("c").tolist() == ["=SUM(A1)", "+5", "-2", "@x", "'=1", "'x", "'"]


def test_absent_column_is_blank():
    df = frame(["x", "y"])
    new, old = parse.Checker(df, "t"), ref.Checker(df, "t")
    for ck in (new, old):
        ck.require("start", "the start time")
        ck.instant("start", "UTC")
    assert new.problems == old.problems
    pd.testing.assert_series_equal(new.cell("start"), old.cell("start"))
    pd.testing.assert_series_equal(new.micros("pay"), old.micros("pay"))


def test_empty_table():
    df = frame(["x"]).iloc[:0]
    for method, args in [("instant", ("UTC",)), ("micros", ()), ("integer", ()), ("date", ()),
                         ("currency", ()), ("choice", (("a",),)), ("duration_seconds", ())]:
        same(method, df, *args)


class _RefChecker(ref.Checker):
    """The frozen cell rules, with today's whole-column steps (what the table parsers do
    with parsed columns, not how cells are read)."""

    frame, before, above, or_default, zero_if_blank, canonical, fail_where = (parse.Checker.__dict__[m] for m in (
        "frame", "before", "above", "or_default", "zero_if_blank", "canonical", "fail_where"))


@pytest.mark.parametrize("name", ["projects", "rates", "work", "eq", "payouts", "expenses", "fx"])
def test_sample_tables_parse_the_same(name):
    from pathlib import Path

    from taskerlog.bundle import read_bundle
    for folder in sorted((Path(__file__).resolve().parents[1] / "sample_data").glob("*")):
        tables, _ = read_bundle(folder)
        if name in tables:
            new, old = parse.Checker(tables[name], name), _RefChecker(tables[name], name)
            pd.testing.assert_frame_equal(_PARSERS[name](new, "Europe/London", "USD"),
                                          _PARSERS[name](old, "Europe/London", "USD"))
            assert new.problems == old.problems


# -- reading the CSV ------------------------------------------------------------------------
cell_text = st.text(st.sampled_from(list("ab1.-: ,\"'\n\ré١") + ["\t", "\u00a0"]), max_size=6)


@st.composite
def csv_files(draw) -> bytes:
    """CSV bytes near what spreadsheets write: quoting, line breaks in cells, blank lines,
    CRLF or lone CR, a BOM, ragged rows, odd headers, broken UTF-8."""
    names = draw(st.lists(st.sampled_from(["platform", "kind", "start", "Note ", "", "x;y", "a\tb"]),
                          min_size=1, max_size=4))
    width = len(names)
    rows = draw(st.lists(st.lists(cell_text, min_size=width, max_size=width), max_size=8))
    quote = draw(st.sampled_from(["minimal", "all", "none"]))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))

    def line(cells: list[str]) -> str:
        if draw(st.integers(0, 12)) == 0:  # ragged
            cells = cells[:-1] if len(cells) > 1 else cells + ["extra"]
        out = []
        for c in cells:
            special = any(ch in c for ch in ',"\n\r')
            if quote == "all" or (quote == "minimal" and special):
                c = '"' + c.replace('"', '""') + '"'
            out.append(c)
        return ",".join(out)

    lines = [",".join(names)]
    for r in rows:
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.sampled_from(["", " ", ",,"[:max(0, width - 1)]])))
        lines.append(line(r))
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 2]))
    data = (draw(st.sampled_from(["", "", "\ufeff"])) + text).encode("utf-8")
    if draw(st.integers(0, 10)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[at:]
    if draw(st.integers(0, 15)) == 0:
        data = draw(st.sampled_from([b"", b"\n\n", b"\xef\xbb\xbf", b"  \n \n", b"\n\nplatform\nA\n"]))
    return data


def _careful(data: bytes, file: str):
    """parse_csv with every fast path turned off: Python's csv module reads each record."""
    from taskerlog.bundle import reader
    with mock.patch.object(reader, "_fast_read", lambda data, names: None):
        return reader.parse_csv(data, file)


def _reference_applies(data: bytes) -> bool:
    """The frozen reference (pandas' reader) pins the behaviour of files it read rightly:
    every line ends in LF or CRLF and no record has more cells than the header. (On the
    others it shifted the columns of a wide first row, or raised.)"""
    if data.replace(b"\r\n", b"").count(b"\r"):
        return False
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return True
    return not rows or all(len(r) <= len(rows[0]) for r in rows)


@settings(max_examples=400, deadline=None)
@given(csv_files(), st.sampled_from(["work.csv", "fx.csv", "other.csv"]))
@example(b"platform,kind\r\nA,tasking\r\n\r\nB,x\r\n", "work.csv")
@example(b'platform,note\nA,"two\nlines"\nB,x\n', "work.csv")
@example(b"platform\nA\n\nB\n", "work.csv")
@example(b"\xef\xbb\xbfplatform,kind\nA,\xff\n", "work.csv")
@example(b"platform,kind\rA,tasking\rB,x\r", "work.csv")
@example(b"platform,kind\nA,tasking,,\nB,x,y\n", "work.csv")
@example(b"\n\nplatform\nA\n", "work.csv")
@example(b'platform\n",extra', "work.csv")  # a quote never closed on the last line (hypothesis found it)
@example(b'platform,kind\n,"\n"1', "work.csv")  # a quoted line break, then a stray 1 (hypothesis found it)
def test_parse_csv_fast_paths_agree_with_the_careful_reader(data, file):
    """Whatever the file, parse_csv answers (never raises), its fast paths give exactly what
    the careful reader gives, and where the frozen reference read a file rightly, so do we."""
    import _reader_reference as old_reader

    from taskerlog.bundle import reader
    got = reader.parse_csv(data, file)
    careful = _careful(data, file)
    assert got[1] == careful[1]
    if careful[0] is None:
        assert got[0] is None
    else:
        pd.testing.assert_frame_equal(got[0], careful[0])
        assert got[0].attrs == careful[0].attrs
    if not _reference_applies(data):
        return
    try:
        want = old_reader.parse_csv(data, file)
    except Exception:  # noqa: BLE001  (the reference raised: a traceback we no longer give)
        return
    if want[1] or got[1]:  # both refuse; the wording of structural problems has changed
        # or we refuse what it read leniently: a header problem, a quote never closed (on the
        # last line it took the rest of the line as the cell), or a quote out of place whose
        # cell swallows a line break (``"\n"1``: it read one cell across the lines)
        assert (bool(want[1]) == bool(got[1]) or got[1][0].line == 1 or "never closed" in got[1][0].message
                or "out of place, so the lines after it" in got[1][0].message)
        return
    cells = [c for c in want[0].columns if c != "_line"]
    # it kept a row of blank quoted cells ('""') or of spaces (' , '); now such rows are skipped as blank
    blank = want[0][cells].apply(lambda c: c.str.strip() == "").all(axis=1)
    pd.testing.assert_frame_equal(got[0], want[0][~blank].reset_index(drop=True))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40) | st.text(max_size=20).map(lambda s: s.encode("utf-8")))
def test_utf8_check_agrees_with_python(data):
    from taskerlog.bundle import reader
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert reader._utf8(data) == valid


@pytest.mark.parametrize("broken", [False, True])
def test_parse_csv_big_file_is_unchanged(broken):
    """Several of the reader's 4 MiB blocks, quoted cells throughout; ``broken``: one holds a
    line break (the careful path then numbers the lines)."""
    import _reader_reference as old_reader

    from taskerlog.bundle import reader
    rows = [f'Outlier,"P {i % 7}, x",tasking,2026-03-02T09:{i % 60:02d},{"two" + chr(10) + "lines" if broken and i == 77_777 else "n"}'
            for i in range(200_000)]
    data = ("platform,project,kind,start,note\n" + "\n".join(rows) + "\n").encode()
    assert len(data) > 2 * (1 << 22)
    got, want = reader.parse_csv(data, "work.csv"), old_reader.parse_csv(data, "work.csv")
    assert got[1] == want[1] == []
    pd.testing.assert_frame_equal(got[0], want[0])
