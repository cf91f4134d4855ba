"""Small tables of plain cells, read in plain Python.

A bundle's small files (projects, rates, eq, payouts, expenses, fx: a few dozen rows each)
cost more in pandas' and arrow's set-up for each column and frame than in their cells: about
1.5 ms a table through :class:`~taskerlog.bundle.parse.Checker`, most of an import's time
beside the work rows. :class:`PlainChecker` has the Checker's methods, which the table
parsers in importer.py call, but reads each column once into a Python list and works on
the lists.

It takes only what the Checker would read without a problem and in the same way: cells
with nothing to strip or unescape, of the shapes the Checker's own few-cell readers take
(the same functions: ``few_days``, ``few_number``, ``few_instant``, ``few_code``), and no
row the table's rules refuse. On anything else it raises :class:`NotPlain`, and the table
is read by the Checker, which words the problems. So there is one statement of each
table's rules (the parsers) and of each cell's (parse.py); tests/test_plain.py checks that
a table read both ways gives the same frame.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import money
from ..model import NO, YES
from .parse import (
    _INSTANT_RANGE, SMALL, STR, _localize, few_code, few_days, few_instant, few_number,
)
from .spec import LINE


class NotPlain(Exception):
    """A cell or row the plain reading does not take: the Checker reads the table."""


class Ints(list):
    """A parsed integer column: Python ints, None where blank."""


def _plain_ends(cells: list) -> bool:
    """Every cell is text with nothing the Checker would strip (white space at either end)
    or unescape (a leading ``'``). The ends of all cells are tested at once. Arrow's white
    space (what the Checker strips) is exactly what Python's ``str.isspace`` calls white
    space (tests/test_plain.py compares every code point)."""
    if any(c is None for c in cells):
        return False
    ends = "".join(c[0] + c[-1] for c in cells if c)
    if "'" in ends[::2]:
        return False
    return (ends.isascii() and ends.isprintable() and " " not in ends) or not any(map(str.isspace, ends))


def _lower_in(cell: str, allowed: tuple[str, ...]) -> str | None:
    """An ASCII cell in lower case when that is one of ``allowed`` (the Checker lowers ASCII
    columns as ASCII; any other cell is not plain)."""
    v = cell.lower() if cell.isascii() else None
    return v if v in allowed else None


def _code(cell: str) -> str | None:
    v = cell.upper() if cell.isascii() else None
    return v if few_code(v) else None


class PlainChecker:
    """The :class:`~taskerlog.bundle.parse.Checker` interface for a small table of plain
    cells; raises :class:`NotPlain` where the Checker would take another path or find a
    problem (``problems`` therefore stays empty)."""

    def __init__(self, df: pd.DataFrame, name: str):
        if len(df) > SMALL:
            raise NotPlain
        self.df = df
        self.n = len(df)
        self.lines = df[LINE].to_numpy() if LINE in df.columns else np.arange(2, self.n + 2)
        self.problems: list = []
        self._cells: dict[str, list[str]] = {}

    def cells(self, col: str) -> list[str]:
        """The column's cells as Python text; all blank when the column is absent."""
        if col not in self._cells:
            if col not in self.df.columns:
                self._cells[col] = [""] * self.n
            else:
                s = self.df[col]
                if s.dtype != STR:
                    raise NotPlain
                cells = pa.array(s.array).to_pylist()
                if not _plain_ends(cells):
                    raise NotPlain
                self._cells[col] = cells
        return self._cells[col]

    def cell(self, col: str) -> list[str]:
        return self.cells(col)

    def fail(self, col: str, mask, message) -> None:
        if any(mask):
            raise NotPlain

    def require(self, col: str, what: str) -> None:
        if "" in self.cells(col):
            raise NotPlain

    def _read(self, col: str, required, read: Callable[[str], object], blank=None) -> list:
        """Each cell through ``read`` (None: not plain); a blank cell is ``blank``."""
        if required:
            self.require(col, required)
        out = []
        for c in self.cells(col):
            if not c:
                out.append(blank)
            elif (v := read(c)) is None:
                raise NotPlain
            else:
                out.append(v)
        return out

    # -- parsers ---------------------------------------------------------------------
    def text(self, col: str, *, required: str | None = None, max_len: int | None = None) -> list[str]:
        if required:
            self.require(col, required)
        cells = self.cells(col)
        if max_len and any(len(c) > max_len for c in cells):
            raise NotPlain
        return cells

    def choice(self, col: str, allowed: tuple[str, ...], *, required: str | None = None) -> list[str]:
        return self._read(col, required, lambda c: _lower_in(c, allowed), "")

    def yes_no(self, col: str) -> Ints:
        read = self._read(col, None, lambda c: _lower_in(c, YES + NO), "")
        return Ints(1 if v in YES else 0 for v in read)

    def currency(self, col: str, *, required: bool = False) -> list[str]:
        return self._read(col, required, _code, "")

    def micros(self, col: str, *, required: str | None = None) -> Ints:
        return Ints(self._read(col, required, lambda c: few_number(c, money.MAX_INT_DIGITS, 6)))

    def date(self, col: str, *, required: str | None = None) -> list[str]:
        return self._read(col, required, lambda c: c if few_days(c) is not None else None, "")

    def instant(self, col: str, tz: str, *, required: str | None = None) -> Ints:
        read = self._read(col, required, few_instant)
        local = [i for i, v in enumerate(read) if v is not None and v[1]]
        out = [None if v is None else v[0] for v in read]
        if local:
            for i, secs in zip(local, _localize(np.array([out[i] for i in local], dtype=np.int64), tz).tolist()):
                out[i] = secs
        lo, hi = _INSTANT_RANGE
        if any(v is not None and not lo <= v < hi for v in out):
            raise NotPlain  # a year out of range, or a local time the clocks skipped (parse.NULL_INT)
        return Ints(out)

    # -- whole columns ---------------------------------------------------------------
    def frame(self, columns: dict[str, list]) -> pd.DataFrame:
        """The same frame as :meth:`Checker.frame` gives: text as pandas' ``str``, integers
        as nullable Int64."""
        cols: dict = {}
        for k, v in columns.items():
            if isinstance(v, Ints):
                mask = np.array([x is None for x in v], dtype=bool)
                values = np.array([x or 0 for x in v], dtype=np.int64)
                cols[k] = pd.arrays.IntegerArray(values, mask)
            else:
                cols[k] = pd.arrays.ArrowStringArray(pa.array(v, pa.large_string()), dtype=STR)
        return pd.DataFrame({**cols, LINE: self.lines}, index=self.df.index)

    @staticmethod
    def before(later: list[str], earlier: list[str]) -> list[bool]:
        return [bool(a and b and a < b) for a, b in zip(later, earlier)]

    @staticmethod
    def above(a: Ints, b: Ints) -> list[bool]:
        return [x is not None and y is not None and x > y for x, y in zip(a, b)]

    @staticmethod
    def or_default(s: list[str], default: str) -> list[str]:
        return [v or default for v in s]

    @staticmethod
    def zero_if_blank(s: Ints) -> Ints:
        return Ints(v or 0 for v in s)

    def canonical(self, col: str, read: Callable[[str], str]) -> list[str]:
        canon: dict[str, str] = {}
        for v in self.cells(col):
            if v not in canon:
                try:
                    canon[v] = read(v)
                except ValueError:
                    raise NotPlain from None
        return [canon[v] for v in self.cells(col)]

    def fail_where(self, col: str, columns: list[list], message_of: Callable[..., str | None]) -> None:
        if any(message_of(*row) is not None for row in set(zip(*columns))):
            raise NotPlain
