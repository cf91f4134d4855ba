"""Column parsers: a column of strings in, typed values and problems out.

Each parser reads a whole column with pyarrow's compute kernels (a regular expression for
the shape, ``strptime`` for real days and clock times, ``is_in`` for codes, casts for the
numbers). A non-blank cell those kernels do not take is given to the model's own rule for
one value (``timeutil.parse_instant``, ``timeutil.parse_date``, ``money.parse_amount``):
it either reads the cell after all (a rarer shape, such as an offset with seconds) or
raises, and its message is the problem. So a bad cell reads the same whether typed on the
command line or imported, and the rules are written once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import money, timeutil
from ..model import NO, YES
from .problems import Problem
from .spec import FILE_ATTR, LINE

NULL_INT = np.iinfo(np.int64).min
"""Marks a blank in int64 arrays (with a separate mask where it matters)."""

STR = pd.StringDtype("pyarrow", na_value=np.nan)
"""pandas' default ``str`` dtype: what ``astype(str)`` gives and every text column here is."""
SMALL = 256
"""Columns of at most this many cells are handed to the store as Python lists."""
EMPTY = pa.scalar("", pa.large_string())
"""The blank cell, typed as the columns are."""

_YEARS = timeutil.YEARS
_INSTANTS = timeutil.INSTANTS
_WALL = "%Y-%m-%dT%H:%M:%S"
_INSTANT = (r"^(?P<day>\d{4}-\d{2}-\d{2})[Tt ](?P<clock>\d{2}:\d{2})(?P<sec>:\d{2})?(?:[.,]\d+)?"
            r"(?P<zone>[Zz]|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2}))?$")
"""The shapes read column-wise: YYYY-MM-DD, T or a space, HH:MM[:SS][.fraction], then no
offset (local time), Z, ±HH:MM or ±HHMM. Any other cell goes to ``timeutil.parse_instant``."""
_NUMBER = r"^\+?(?P<whole>\d*)(?:\.(?P<frac>\d*))?$"
_DANGER = r"^'+[=+\-@\t\r]"
"""A cell the exporter guarded with one ``'`` (csvsafe.py)."""

Column = pa.Array | pa.ChunkedArray


def _text(v: str) -> pa.Scalar:
    return pa.scalar(v, pa.large_string())


def _arrow(s: pd.Series) -> Column:
    """A column's cells as pyarrow ``large_string`` (what ``astype(str)`` holds), no copy."""
    a = pa.array((s if s.dtype == STR else s.astype(str)).array)
    return a if a.type == pa.large_string() else a.cast(pa.large_string())


def _series(a: Column, index: pd.Index, name: str | None = None) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(a, dtype=STR), index=index, name=name, copy=False)


def _np(mask: Column, null: bool = False) -> np.ndarray:
    """A pyarrow boolean column → numpy bool (nulls become ``null``)."""
    if mask.null_count:
        mask = mask.fill_null(null)
    return mask.to_numpy(zero_copy_only=False)


def _ints(a: Column) -> np.ndarray:
    """An integer column → int64 numpy (nulls 0), ours to change."""
    return a.fill_null(0).to_numpy(zero_copy_only=False, writable=True).astype(np.int64, copy=False)


def or_default(s: pd.Series, default: str | pd.Series | pa.Array) -> pd.Series:
    """Text cells with every blank one ("") replaced by ``default`` (one text, or a text per row)."""
    a = _arrow(s)
    d = (pa.scalar(default, pa.large_string()) if isinstance(default, str) else
         _arrow(default) if isinstance(default, pd.Series) else default.cast(pa.large_string()))
    return _series(pc.if_else(pc.equal(a, EMPTY), d, a), s.index, s.name)


def blank_as_null(a: Column) -> pa.Array:
    """Text with every blank ("") cell missing."""
    a = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
    return pc.if_else(pc.equal(a, EMPTY), pa.scalar(None, a.type), a)


def int_series(values: np.ndarray, ok: np.ndarray, index: pd.Index) -> pd.Series:
    """int64 values → nullable Int64 (``ok`` False → <NA>)."""
    np.putmask(values, ~ok, 0)  # (the caller's array)
    return pd.Series(pd.arrays.IntegerArray(values, ~ok), index=index, copy=False)


def _clean(a: Column) -> Column:
    """Cells stripped of white space and of the exporter's spreadsheet guard (one leading
    ``'`` before ``= + - @ tab CR``). Most columns have neither: they are not copied."""
    if pc.any(pc.match_substring_regex(a, r"^\s|\s$")).as_py():
        a = pc.utf8_trim_whitespace(a)
    guarded = pc.match_substring_regex(a, _DANGER)
    if pc.any(guarded).as_py():
        a = pc.if_else(guarded, pc.utf8_slice_codeunits(a, 1), a)
    return a


def unescape(s: pd.Series) -> pd.Series:
    """Undo the exporter's spreadsheet guard: one leading ``'`` before ``= + - @ tab CR``."""
    a = _arrow(s)
    guarded = pc.match_substring_regex(a, _DANGER)
    return _series(pc.if_else(guarded, pc.utf8_slice_codeunits(a, 1), a), s.index, s.name)


@functools.cache
def _known_codes() -> pa.Array:
    return pa.array(sorted(money.currency_codes()), pa.large_string())


def _in_years(epoch: np.ndarray) -> np.ndarray:
    return (epoch >= _INSTANTS[0]) & (epoch < _INSTANTS[1])


def _wall_clock(day: Column, clock: Column, sec: Column) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock text (``YYYY-MM-DD``, ``HH:MM``, ``:SS`` or "") → (a real day and clock
    time in the years allowed, its seconds since 1970-01-01 00:00 read as UTC).
    ``strptime`` would roll 02-30 over to 03-02, so the time is written back and compared."""
    sec = pc.if_else(pc.equal(sec, EMPTY), _text(":00"), sec)
    wall = pc.binary_join_element_wise(pc.binary_join_element_wise(day, clock, _text("T")), sec, EMPTY)
    parsed = pc.strptime(wall, format=_WALL, unit="s", error_is_null=True)
    ok = _np(pc.equal(pc.strftime(parsed, format=_WALL), wall))
    secs = _ints(parsed.cast(pa.int64()))
    return ok & _in_years(secs), secs


def _localize(local: np.ndarray, tz: str) -> np.ndarray:
    """Wall-clock seconds in ``tz`` → epoch seconds UTC. A repeated time (DST fold) is its
    first occurrence; a skipped one (DST gap) is NULL_INT."""
    idx = pd.DatetimeIndex(local.astype("datetime64[s]"))
    return idx.tz_localize(tz, ambiguous=np.ones(len(local), dtype=bool), nonexistent="NaT").as_unit("s").asi8


class Checker:
    """Parses the columns of one table and collects its problems."""

    def __init__(self, df: pd.DataFrame, name: str):
        self.df = df
        self.file = df.attrs.get(FILE_ATTR, f"{name}.csv")
        self.lines = df[LINE].to_numpy() if LINE in df.columns else np.arange(2, len(df) + 2)
        self.n = len(df)
        self.problems: list[Problem] = []
        self._arrays: dict[str, Column] = {}
        self._blanks: dict[str, np.ndarray] = {}

    # -- plumbing ---------------------------------------------------------------
    def cells(self, col: str) -> Column:
        """The column's cells, stripped and unescaped, as a pyarrow array; all blank when
        the column is absent."""
        if col not in self._arrays:
            self._arrays[col] = (_clean(_arrow(self.df[col])) if col in self.df.columns else
                                 pa.repeat(EMPTY, self.n))
        return self._arrays[col]

    def cell(self, col: str) -> pd.Series:
        """The column's cells, stripped and unescaped; all blank when the column is absent."""
        return _series(self.cells(col), self.df.index, self._name(col))

    def _name(self, col: str) -> str | None:
        """The name of the column's Series (as pandas gives it: None when absent)."""
        return col if col in self.df.columns else None

    def fail(self, col: str, mask, message) -> None:
        """Add a problem for each row where ``mask``; ``message(value)`` or a fixed string."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        values = self.cells(col).take(pa.array(idx)).to_pylist() if callable(message) else None
        for j, i in enumerate(idx):
            msg = message(values[j]) if values is not None else message
            self.problems.append(Problem(self.file, int(self.lines[i]), col, msg))

    def _each(self, col: str, rows: np.ndarray, read: Callable[[str], object]) -> tuple[list, np.ndarray]:
        """The cells of ``rows`` (a bool mask) through the model's rule for one value, once
        for each distinct cell: → (the values, where read), and a problem with the rule's
        message on each row where it raised."""
        idx = np.flatnonzero(rows)
        cells = self.cells(col).take(pa.array(idx)).to_pylist()
        seen: dict[str, tuple[object, str | None]] = {}
        values, ok = [], np.zeros(len(idx), dtype=bool)
        for j, (i, cell) in enumerate(zip(idx, cells)):
            if cell not in seen:
                try:
                    seen[cell] = (read(cell), None)
                except ValueError as exc:
                    seen[cell] = (None, str(exc))
            value, message = seen[cell]
            values.append(value)
            if message is None:
                ok[j] = True
            else:
                self.problems.append(Problem(self.file, int(self.lines[i]), col, message))
        return values, ok

    def blank(self, col: str) -> np.ndarray:
        if col not in self._blanks:
            self._blanks[col] = _np(pc.equal(self.cells(col), EMPTY))
        return self._blanks[col]

    def require(self, col: str, what: str) -> np.ndarray:
        b = self.blank(col)
        self.fail(col, b, f"is blank; {what} is needed here")
        return b

    def _regex(self, col: str, pattern: str) -> pa.StructArray:
        """The pattern's named groups in each cell; a cell that does not match is null."""
        a = self.cells(col)
        a = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
        return pc.extract_regex(a, pattern)

    # -- parsers ---------------------------------------------------------------------
    def text(self, col: str, *, required: str | None = None, max_len: int | None = None) -> pd.Series:
        """Text; blank → "". ``required``: what to call it in the message when blank."""
        if required:
            self.require(col, required)
        if max_len:
            self.fail(col, _np(pc.greater(pc.utf8_length(self.cells(col)), max_len)),
                      f"is longer than {max_len} characters; shorten it")
        return self.cell(col)

    def _coded(self, col: str, upper: bool, required: str | None, allowed: pa.Array) -> tuple[pd.Series, np.ndarray]:
        """(the cells in lower or upper case, mask of non-blank cells not in ``allowed``)."""
        a = self.cells(col)
        a = pc.utf8_upper(a) if upper else pc.utf8_lower(a)
        if required:
            self.require(col, required)
        return _series(a, self.df.index, self._name(col)), ~_np(pc.is_in(a, value_set=allowed)) & ~self.blank(col)

    def choice(self, col: str, allowed: tuple[str, ...], *, required: str | None = None) -> pd.Series:
        s, bad = self._coded(col, False, required, pa.array(allowed, pa.large_string()))
        self.fail(col, bad, lambda v: f"'{v}' is not one of: {', '.join(allowed)}")
        return s

    def yes_no(self, col: str) -> pd.Series:
        """A yes/no column (``model.parse_yes_no``'s words) → Int64 1/0, blank 0."""
        s, bad = self._coded(col, False, None, pa.array(YES + NO, pa.large_string()))
        self.fail(col, bad, lambda v: f"'{v}' is not yes or no; write yes, or leave it blank")
        return pd.Series(s.isin(YES).to_numpy().astype(np.int64), index=self.df.index, dtype="Int64", name=s.name)

    def currency(self, col: str, *, required: bool = False) -> pd.Series:
        """ISO 4217 codes (any case) → upper case."""
        s, bad = self._coded(col, True, "a currency code (USD, KES, PHP, ...)" if required else None, _known_codes())
        self.fail(col, bad, lambda v: money.CURRENCY_MESSAGE.format(v=v))
        return s

    def _micro_units(self, col: str) -> tuple[np.ndarray, np.ndarray]:
        """A plain non-negative decimal column → (value × 10**6 as int64, ok). Exact: the
        digits before and after the dot are read as integers, never as floats."""
        m = self._regex(col, _NUMBER)
        whole, frac = m.field("whole"), m.field("frac")
        ok = (_np(m.is_valid()) & _np(pc.less_equal(pc.binary_length(whole), money.MAX_INT_DIGITS))
              & _np(pc.less_equal(pc.binary_length(frac), 6)) & ~self.blank(col)
              & _np(pc.greater(pc.add(pc.binary_length(whole), pc.binary_length(frac)), 0)))
        keep = pa.array(ok)
        whole = pc.if_else(pc.and_(keep, pc.not_equal(whole, EMPTY)), whole, _text("0")).cast(pa.int64())
        frac = pc.if_else(keep, pc.utf8_rpad(frac, 6, "0"), _text("0")).cast(pa.int64())
        values = _ints(whole) * 1_000_000 + _ints(frac)
        rest = ~ok & ~self.blank(col)
        if rest.any():
            read, good = self._each(col, rest, lambda v: money.to_micros(money.parse_amount(v)))
            at = np.flatnonzero(rest)
            values[at[good]] = [v for v, g in zip(read, good) if g]
            ok[at[good]] = True
        return values, ok

    def micros(self, col: str, *, required: str | None = None) -> pd.Series:
        """Amount → nullable Int64 micro-units (blank → <NA>)."""
        if required:
            self.require(col, required)
        values, ok = self._micro_units(col)
        return int_series(values, ok, self.df.index)

    def duration_seconds(self, col: str) -> pd.Series:
        """Decimal minutes → whole seconds (half to even), nullable Int64; must be more than 0."""
        micro_minutes, ok = self._micro_units(col)
        too_long = ok & (micro_minutes // 1_000_000 > 10 * 24 * 60)  # (minutes × 60 × 10**6 may overflow)
        q, r = np.divmod(micro_minutes * 60, 1_000_000)
        q = q + ((2 * r > 1_000_000) | ((2 * r == 1_000_000) & (q % 2 == 1)))
        zero = ok & (q <= 0) & ~too_long
        self.fail(col, zero, lambda v: f"'{v}' minutes is no time at all; give a duration above 0")
        return int_series(q, ok & ~zero, self.df.index)

    def integer(self, col: str) -> pd.Series:
        m = self._regex(col, r"^\+?(?P<digits>\d{1,15})$")
        ok = _np(m.is_valid())
        values = _ints(pc.if_else(m.is_valid(), m.field("digits"), _text("0")).cast(pa.int64()))
        self.fail(col, ~ok & ~self.blank(col), lambda v: f"'{v}' is not a whole number of 0 or more")
        return int_series(values, ok, self.df.index)

    def date(self, col: str, *, required: str | None = None) -> pd.Series:
        """YYYY-MM-DD → the same text (blank → ""); ``timeutil.parse_date`` words the others."""
        if required:
            self.require(col, required)
        m = self._regex(col, r"^(?P<day>\d{4}-\d{2}-\d{2})$")
        ok = _wall_clock(m.field("day"), _text("00:00"), EMPTY)[0]
        rest = ~ok & ~self.blank(col)
        if rest.any():
            ok[np.flatnonzero(rest)] = self._each(col, rest, timeutil.parse_date)[1]
        return _series(pc.if_else(pa.array(ok), self.cells(col), EMPTY), self.df.index, self._name(col))

    def instant(self, col: str, tz: str, *, required: str | None = None) -> pd.Series:
        """ISO 8601 date-time → epoch seconds UTC (nullable Int64).

        No offset: local time in ``tz``. A local time the clocks skipped (DST gap) is a
        problem; a repeated one (DST fold) is the first occurrence, as in timeutil.
        """
        if required:
            self.require(col, required)
        m = self._regex(col, _INSTANT)
        ok, out = _wall_clock(m.field("day"), m.field("clock"), m.field("sec"))
        ok &= _np(m.is_valid())
        zone = _np(pc.not_equal(m.field("zone"), EMPTY))
        offset = _np(pc.not_equal(m.field("sign"), EMPTY))
        if offset.any():  # ±HH:MM: the wall clock minus the offset
            off_h, off_m = (_ints(pc.if_else(pa.array(offset), m.field(f), _text("0"))
                                  .cast(pa.int64())) for f in ("oh", "om"))
            sign = np.where(_np(pc.equal(m.field("sign"), "-")), -1, 1)
            ok &= (off_h <= 23) & (off_m <= 59)
            out -= sign * (off_h * 3600 + off_m * 60)
        local = ok & ~zone
        if local.any():
            out[local] = _localize(out[local], tz)
            ok[local] &= out[local] != NULL_INT  # a DST gap: timeutil words it
        ok &= _in_years(out)
        rest = ~ok & ~self.blank(col)
        if rest.any():
            read, good = self._each(col, rest, lambda v: timeutil.parse_instant(v, tz))
            at = np.flatnonzero(rest)
            out[at[good]] = [v for v, g in zip(read, good) if g]
            ok[at[good]] = True
        return int_series(out, ok, self.df.index)

    # -- whole columns: what the table parsers do with the parsed columns ----------------
    def frame(self, columns: dict[str, pd.Series | np.ndarray]) -> pd.DataFrame:
        """The parsed table: ``columns`` (each a row per row of the file, on the file's
        index) and the file's line numbers."""
        cols = {k: v.array if isinstance(v, pd.Series) else v for k, v in columns.items()}
        return pd.DataFrame({**cols, LINE: self.lines}, index=self.df.index)

    @staticmethod
    def before(later: pd.Series, earlier: pd.Series) -> np.ndarray:
        """Rows where two dates (``YYYY-MM-DD`` text, blank "") are both given and ``later``
        is the earlier one (the text compares as the dates do)."""
        a, b = (pa.array(s.array) for s in (later, earlier))
        both = pc.and_kleene(pc.and_kleene(pc.not_equal(a, EMPTY), pc.not_equal(b, EMPTY)), pc.less(a, b))
        return _np(both)

    @staticmethod
    def above(a: pd.Series, b: pd.Series) -> np.ndarray:
        """Rows where two nullable integer columns are both given and ``a`` is the larger."""
        return (a > b).fillna(False).to_numpy(dtype=bool)

    @staticmethod
    def or_default(s: pd.Series, default: str) -> pd.Series:
        return or_default(s, default)

    @staticmethod
    def zero_if_blank(s: pd.Series) -> pd.Series:
        return s.fillna(0)

    def canonical(self, col: str, read: Callable[[str], str]) -> pd.Series:
        """The column's cells, each distinct one given to ``read`` once for its canonical
        text; where ``read`` raises ValueError, its message is a problem on every row with
        that cell, and those rows get ""."""
        raw = self.cell(col)
        canon: dict = {}
        for v in raw.unique().tolist():
            try:
                canon[v] = read(v)
            except ValueError as exc:
                canon[v] = None
                self.fail(col, (raw == v).to_numpy(), str(exc))
        return raw.map(canon).fillna("")

    def fail_where(self, col: str, columns: list[pd.Series], message_of: Callable[..., str | None]) -> None:
        """A problem on each row for which ``message_of(*the row's values in columns)``
        gives a message (asked once for each distinct combination of values)."""
        keys = list(zip(*([None if v is None or v is pd.NA or v != v else v for v in c.tolist()]
                          for c in columns)))
        found = {k: message_of(*k) for k in set(keys)}
        for message in sorted(set(found.values()) - {None}):
            self.fail(col, np.array([found[k] == message for k in keys], dtype=bool), message)
