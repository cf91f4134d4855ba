"""Column parsers: a column of strings in, typed values and problems out.

Each parser reads a whole column with pyarrow's casts (ISO 8601 times and days, decimals,
integers) and compute kernels (``is_in`` for codes and choices, substring tests for the
shapes a cast would take but the bundle does not). A non-blank cell they do not take is
given to the model's own rule for one value (``timeutil.parse_instant``,
``timeutil.parse_date``, ``money.parse_amount``): it either reads the cell after all (a
rarer shape, such as ``2026-03-02t09:00,5``) or raises, and its message is the problem. So a
bad cell reads the same whether typed on the command line or imported, and the rules are
written once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import money, timeutil
from ..i18n import _
from ..model import NO, YES, not_yes_no
from ..problems import say
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


def blank_as_null(a: Column) -> Column:
    """Text with every blank ("") cell missing; the text itself is not copied (a validity
    bitmap is laid over the same buffers), a chunk at a time (a big file's batches stay
    apart: joining them would copy every cell)."""
    if isinstance(a, pa.ChunkedArray):
        return pa.chunked_array([blank_as_null(c) for c in a.chunks], a.type)
    if pa.types.is_dictionary(a.type):  # the indices of the blank text missing
        blank = pc.take(pc.equal(a.dictionary, EMPTY), a.indices).fill_null(False)
        return pa.DictionaryArray.from_arrays(pc.if_else(blank, pa.scalar(None, a.indices.type), a.indices),
                                              a.dictionary)
    if a.null_count or a.offset:
        return pc.if_else(pc.equal(a, EMPTY), pa.scalar(None, a.type), a)
    given = pc.greater(pc.binary_length(a), 0)
    return pa.Array.from_buffers(a.type, len(a), [given.buffers()[1], *a.buffers()[1:]])


def int_series(values: np.ndarray, ok: np.ndarray, index: pd.Index) -> pd.Series:
    """int64 values → nullable Int64 (``ok`` False → <NA>)."""
    np.putmask(values, ~ok, 0)  # (the caller's array)
    return pd.Series(pd.arrays.IntegerArray(values, ~ok), index=index, copy=False)


def _clean(a: Column) -> Column:
    """Cells stripped of white space and of the exporter's spreadsheet guard (one leading
    ``'`` before ``= + - @ tab CR``). Most columns have neither: they are not copied."""
    trimmed = pc.utf8_trim_whitespace(a)
    if pc.sum(pc.binary_length(trimmed)) != pc.sum(pc.binary_length(a)):
        a = trimmed
    del trimmed
    if pc.any(pc.starts_with(a, "'")).as_py():
        guarded = pc.match_substring_regex(a, _DANGER)
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


def _cast(a: pa.Array, to: pa.DataType) -> pa.Array:
    """``a`` cast to ``to``, a cell that cannot be cast null: a slice the cast refuses is
    halved until the cells it refuses are found (a file has a few, if any)."""
    try:
        return a.cast(to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        if len(a) == 1:
            return pa.nulls(1, to)
        half = len(a) // 2
        return pa.concat_arrays([_cast(a.slice(0, half), to), _cast(a.slice(half), to)])


def _only(a: pa.Array, rows: np.ndarray) -> pa.Array:
    """``a`` with every cell outside the bool mask ``rows`` null (``a`` itself, not a copy,
    when that is every cell)."""
    if rows.all():
        return a
    return pc.if_else(pa.array(rows), a, pa.scalar(None, a.type))


def _whole(cell: str) -> int:
    """A count: digits (a ``+`` may lead), at most 15."""
    if not re.fullmatch(r"\+?[0-9]{1,15}", cell):
        raise ValueError(say("bundle.not_whole", "'{cell}' is not a whole number of 0 or more", cell=cell))
    return int(cell)


_MICROS = pa.scalar(Decimal(1_000_000), pa.decimal128(7, 0))
_DAY_RANGE = tuple(v // 86400 for v in _INSTANTS)


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
        self.fail(col, b, say("bundle.blank", "is blank; {what} is needed here", what=what))
        return b

    def _combined(self, col: str) -> pa.Array:
        a = self.cells(col)
        return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a

    def _read_rest(self, col: str, values: np.ndarray, ok: np.ndarray, read: Callable[[str], int]) -> None:
        """The non-blank cells not ``ok`` through the model's rule for one value: into
        ``values`` and ``ok`` where it reads them, a problem where it raises."""
        rest = ~ok & ~self.blank(col)
        if rest.any():
            got, good = self._each(col, rest, read)
            at = np.flatnonzero(rest)
            values[at[good]] = [v for v, g in zip(got, good) if g]
            ok[at[good]] = True

    # -- parsers ---------------------------------------------------------------------
    def text(self, col: str, *, required: str | None = None, max_len: int | None = None) -> pd.Series:
        """Text; blank → "". ``required``: what to call it in the message when blank."""
        if required:
            self.require(col, required)
        if max_len:
            self.fail(col, _np(pc.greater(pc.utf8_length(self.cells(col)), max_len)),
                      say("bundle.too_long", "is longer than {n} characters; shorten it", n=max_len))
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
        choices = ", ".join(allowed)
        self.fail(col, bad, lambda v: say("bundle.not_one_of", "'{value}' is not one of: {choices}", value=v,
                                          choices=choices))
        return s

    def yes_no(self, col: str) -> pd.Series:
        """A yes/no column (``model.parse_yes_no``'s words) → Int64 1/0, blank 0."""
        s, bad = self._coded(col, False, None, pa.array(YES + NO, pa.large_string()))
        self.fail(col, bad, not_yes_no)
        return pd.Series(s.isin(YES).to_numpy().astype(np.int64), index=self.df.index, dtype="Int64", name=s.name)

    def currency(self, col: str, *, required: bool = False) -> pd.Series:
        """ISO 4217 codes (any case) → upper case."""
        s, bad = self._coded(col, True, _("a currency code (USD, KES, PHP, ...)") if required else None,
                             _known_codes())
        self.fail(col, bad, lambda v: money.not_a_currency(v))
        return s

    def _micro_units(self, col: str) -> tuple[np.ndarray, np.ndarray]:
        """A plain non-negative decimal column → (value × 10**6 as int64, ok). Exact: cast
        to a decimal of 6 places, never to a float. A cast also takes exponents (``1e3``)
        and negative numbers: those cells, like any it refuses, go to ``money.parse_amount``."""
        a = self._combined(col)
        shaped = ~self.blank(col) & ~_np(pc.match_substring(a, "e", ignore_case=True))
        d = _cast(_only(a, shaped), pa.decimal128(6 + money.MAX_INT_DIGITS, 6))
        values = _ints(pc.multiply(d, _MICROS).cast(pa.int64()))
        ok = _np(d.is_valid()) & (values >= 0)
        self._read_rest(col, values, ok, lambda v: money.to_micros(money.parse_amount(v)))
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
        q = money.round_div(micro_minutes * 60, 1_000_000)
        zero = ok & (q <= 0) & ~too_long
        self.fail(col, zero, lambda v: say("bundle.no_time", "'{value}' minutes is no time at all; give a duration "
                                           "above 0", value=v))
        return int_series(q, ok & ~zero, self.df.index)

    def integer(self, col: str) -> pd.Series:
        """Counts (at most 15 digits) → nullable Int64; ``_whole`` reads and words the rest."""
        read = _cast(_only(self._combined(col), ~self.blank(col)), pa.int64())
        values = _ints(read)
        ok = _np(read.is_valid()) & (values >= 0) & (values < 10 ** 15)
        self._read_rest(col, values, ok, _whole)
        return int_series(values, ok, self.df.index)

    def date(self, col: str, *, required: str | None = None) -> pd.Series:
        """YYYY-MM-DD → the same text (blank → ""); ``timeutil.parse_date`` words the others."""
        if required:
            self.require(col, required)
        a = self._combined(col)
        read = _cast(_only(a, _np(pc.equal(pc.binary_length(a), 10))), pa.date32())
        days = _ints(read.cast(pa.int32()))
        ok = _np(read.is_valid()) & (days >= _DAY_RANGE[0]) & (days < _DAY_RANGE[1])
        self._read_rest(col, days, ok, lambda v: timeutil.parse_date(v).toordinal())
        return _series(pc.if_else(pa.array(ok), a, EMPTY), self.df.index, self._name(col))

    def instant(self, col: str, tz: str, *, required: str | None = None) -> pd.Series:
        """ISO 8601 date-time → epoch seconds UTC (nullable Int64).

        No offset: local time in ``tz``. A local time the clocks skipped (DST gap) is a
        problem; a repeated one (DST fold) is the first occurrence, as in timeutil.
        Fractions of a second are dropped.
        """
        if required:
            self.require(col, required)
        a = self._combined(col)
        # at least YYYY-MM-DD?HH:MM (a cast would take a day alone, or an hour alone)
        shaped = _np(pc.and_(pc.greater_equal(pc.binary_length(a), 16),
                             pc.equal(pc.utf8_slice_codeunits(a, 13, 14), ":")))
        tail = pc.utf8_slice_codeunits(a, 16)
        zoned = shaped & _np(pc.or_(pc.or_(pc.match_substring(tail, "+"), pc.match_substring(tail, "-")),
                                    pc.ends_with(tail, "Z")))
        local = shaped & ~zoned
        out = np.zeros(self.n, dtype=np.int64)
        ok = np.zeros(self.n, dtype=bool)
        for rows, to in ((local, pa.timestamp("us")), (zoned, pa.timestamp("us", "UTC"))):
            if rows.any():
                read = _cast(_only(a, rows), to)
                got = rows & _np(read.is_valid())
                out[got] = _ints(read.cast(pa.int64()))[got] // 1_000_000
                ok |= got
        # the year as written must be in the years allowed too (1900-01-01T01:00+03:00 is 1899 in UTC)
        ok &= _in_years(out)
        if (ok & zoned).any():
            year = _ints(_cast(_only(pc.utf8_slice_codeunits(a, 0, 4), ok & zoned), pa.int64()))
            ok &= ~zoned | ((year >= _YEARS[0]) & (year <= _YEARS[1]))
        wall = ok & local
        if wall.any():
            out[wall] = _localize(out[wall], tz)
            ok[wall] &= out[wall] != NULL_INT  # a DST gap: timeutil words it
        ok &= _in_years(out)
        self._read_rest(col, out, ok, lambda v: timeutil.parse_instant(v, tz))
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
