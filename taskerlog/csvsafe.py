"""Spreadsheet-safe CSV: the one guard and the one writer for every CSV a person may open.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a
tab or a carriage return) as a formula; a note or a project name written that way could
run one on the reader's machine. Such a text cell gets one ``'`` in front, which the
spreadsheet shows as a text marker and the bundle importer removes again; a cell that
already starts with ``'`` followed by one of those gets another, so a round trip is
exact. Plain numbers (``-12.50``, ``+3``) are left alone: they are not formulas. Names a
person types for others to read (campaign platforms and categories) are refused when
they start with one of these characters, so they never need the marker.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterable, Sequence

FORMULA_START = "=+-@\t\r"
"""Characters that make a spreadsheet read a cell as a formula when it starts with one."""
PATTERN = r"'*[=+\-@\t\r]"
"""A cell that needs the marker: formula characters first, after any ``'`` already there."""
_NEEDS = re.compile(PATTERN)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def starts_formula(text: str) -> bool:
    """Whether ``text`` would be read as a formula (after any leading ``'``)."""
    return bool(_NEEDS.match(text))


def guard(value: Any) -> str:
    """One cell as safe text (None → blank); a plain number stays as it is."""
    if value is None:
        return ""
    text = str(value)
    if _NEEDS.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def escape(s):
    """A pandas Series of text cells guarded (every one, numbers too: the bundle's text
    columns are read back by taskerlog, which removes the marker)."""
    s = s.astype(object).where(s.notna(), "").astype(str)
    return s.where(~s.str.match(PATTERN), "'" + s)


def _line_end(has_cr: bool) -> str:
    """Lines end in LF; where a cell holds a bare carriage return, in CR LF: Python's csv
    quotes a cell only for the characters of the line ending, and an unquoted CR in a cell
    would end the row for every reader."""
    return "\r\n" if has_cr else "\n"


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV of ``header`` and ``rows`` with every cell guarded."""
    cells = [[guard(h) for h in header], *([guard(v) for v in r] for r in rows)]
    buf = io.StringIO()
    csv.writer(buf, lineterminator=_line_end(any("\r" in c for r in cells for c in r))).writerows(cells)
    return buf.getvalue().encode("utf-8")


def frame_csv_bytes(df) -> bytes:
    """UTF-8 CSV of a frame of strings whose text cells were already guarded (:func:`escape`)."""
    has_cr = any(df[c].astype(str).str.contains("\r", regex=False).any() for c in df.columns)
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator=_line_end(has_cr))
    return buf.getvalue().encode("utf-8")
