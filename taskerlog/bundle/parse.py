"""Vectorised cell parsers: a column of strings in, typed values and problems out.

Each parser works on a whole column and applies the same rules as
``model.py``/``money.py``/``timeutil.py``, with the same wording, so a bad cell reads the
same whether typed or imported. Only the failing rows are turned into messages.

A million work rows must import in seconds, so every parser has two halves. A fast path
takes the shape nearly every cell has (``2026-03-02T09:00:00``, ``12.50``, ``17``) and
reads it straight from the UTF-8 bytes with pyarrow and numpy. Every other non-blank cell
goes to the careful path: the original pandas rules, run on just those rows, which decide
what they mean and word their problems. The fast path only accepts cells the careful path
would read the same way, so the two halves together behave exactly like the careful path
alone (tests/test_parse_fast.py checks this against a frozen copy of it).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator

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

_DANGER = r"'+[=+\-@\t\r]"
_AMOUNT = r"\+?(?:\d+(?:\.\d*)?|\.\d+)"
_MAX_INT_DIGITS = money.MAX_INT_DIGITS

STR = pd.StringDtype("pyarrow", na_value=np.nan)
"""pandas' default ``str`` dtype: what ``astype(str)`` gives and every text column here is."""
_FAST_YEARS = timeutil.YEARS
"""Years the fast date/time path reads itself (well inside what pandas parses in any unit),
and the years a time may be in at all."""
_INSTANT_RANGE = timeutil.INSTANTS
"""Epoch seconds of 1900-01-01 and 2200-01-01 UTC."""
EMPTY = pa.scalar("", pa.large_string())
"""The blank cell, typed as the columns are: a Python "" in a pyarrow call is converted
and cast on every call (20 µs, more than a few dozen cells' work)."""


def _month_table() -> tuple[np.ndarray, np.ndarray]:
    """(days from 1970-01-01 to the 1st, days in the month) for each month of _FAST_YEARS."""
    first = (np.arange((_FAST_YEARS[1] - _FAST_YEARS[0] + 1) * 12 + 1) + (_FAST_YEARS[0] - 1970) * 12)
    days = first.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return days[:-1], np.diff(days)


_MONTH_START, _MONTH_DAYS = _month_table()
_SCORE = np.full(256, 2, dtype=np.uint8)
_SCORE[ord("0"):ord("9") + 1] = 0
_SCORE[ord(".")] = 1
"""Per byte: 0 for an ASCII digit, 1 for '.', 2 for anything else (see _plain_numbers)."""


# -- pyarrow plumbing ---------------------------------------------------------------------
# A column is a pyarrow large_string Array or ChunkedArray (as the CSV reader left it:
# joining the chunks would copy all the text). The helpers read the UTF-8 bytes in place.
Column = pa.Array | pa.ChunkedArray


def _arrow(s: pd.Series) -> Column:
    """A column's cells as pyarrow ``large_string`` (what ``astype(str)`` holds), no copy."""
    a = pa.array((s if s.dtype == STR else s.astype(str)).array)
    return a if a.type == pa.large_string() else a.cast(pa.large_string())


def _series(a: Column, index: pd.Index, name: str | None = None) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(a, dtype=STR), index=index, name=name, copy=False)


def or_default(s: pd.Series, default: str | pd.Series | pa.Array) -> pd.Series:
    """Text cells with every blank one ("") replaced by ``default`` (one text, or a text per
    row); what ``s.where(s != "", default)`` gives, without pandas' per-call cost."""
    a = _arrow(s)
    d = (pa.scalar(default, pa.large_string()) if isinstance(default, str) else
         _arrow(default) if isinstance(default, pd.Series) else default.cast(pa.large_string()))
    return _series(pc.if_else(pc.equal(a, EMPTY), d, a), s.index, s.name)


def _np(mask: Column, null: bool = False) -> np.ndarray:
    """A pyarrow boolean column → numpy bool (nulls become ``null``)."""
    if mask.null_count:
        mask = mask.fill_null(null)
    return mask.to_numpy(zero_copy_only=False)


def _chunks(a: Column) -> list[tuple[int, pa.Array]]:
    """(first row, chunk) for each non-empty chunk."""
    if not isinstance(a, pa.ChunkedArray):
        return [(0, a)] if len(a) else []
    starts = np.cumsum([0] + [len(c) for c in a.chunks])
    return [(int(s), c) for s, c in zip(starts, a.chunks) if len(c)]


def _bytes(a: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data) of one ``large_string`` chunk without copying: row i is
    ``data[offsets[i]:offsets[i + 1]]`` (a missing row's bytes are meaningless)."""
    _, off_buf, data_buf = a.buffers()
    if off_buf is None:
        return np.zeros(len(a) + 1, np.int64), np.zeros(0, np.uint8)
    offsets = np.frombuffer(off_buf, dtype=np.int64, count=len(a) + 1, offset=a.offset * 8)
    base, size = int(offsets[0]), int(offsets[-1] - offsets[0])
    data = np.frombuffer(data_buf, dtype=np.uint8, count=size, offset=base) if size else np.zeros(0, np.uint8)
    return (offsets - base if base else offsets), data


def _lengths(a: Column) -> np.ndarray:
    """Each cell's length in bytes; -1 for a missing cell."""
    lengths = pc.binary_length(a)
    return (lengths.fill_null(-1) if lengths.null_count else lengths).to_numpy(zero_copy_only=False)


def _gather(a: Column, rows: np.ndarray, at: int) -> np.ndarray:
    """For each of ``rows`` (sorted row numbers), the byte ``at`` bytes into its cell (the
    cells must be long enough)."""
    parts = []
    for first, chunk in _chunks(a):
        lo, hi = np.searchsorted(rows, [first, first + len(chunk)])
        if lo < hi:
            offsets, data = _bytes(chunk)
            parts.append(data[offsets[rows[lo:hi] - first] + at])
    return np.concatenate(parts) if parts else np.zeros(0, np.uint8)


def _only(a: pa.Array, rows: np.ndarray) -> pa.Array:
    """``a`` with every row outside the bool mask ``rows`` missing (no copy of the text)."""
    bits = np.concatenate([np.zeros(a.offset, dtype=bool), rows]) if a.offset else rows
    _, off_buf, data_buf = a.buffers()
    validity = pa.py_buffer(np.packbits(bits, bitorder="little"))
    return pa.Array.from_buffers(a.type, len(a), [validity, off_buf, data_buf], offset=a.offset)


def blank_as_null(a: Column) -> pa.Array:
    """Text with every blank ("") or missing cell missing, the text itself not copied."""
    a = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
    return _only(a, _lengths(a) > 0)


SMALL = 256
"""Columns of at most this many cells take the quicker way for a few cells where there is
one (the numpy set-up costs more than the work)."""
_BATCH = 1 << 16
"""Rows the fast paths read at a time: their temporaries stay small (in cache, and memory
is reused rather than fresh pages from the system)."""


def _batches(a: Column) -> Iterator[tuple[int, pa.Array]]:
    """(first row, contiguous array) for each batch of _BATCH rows."""
    for first in range(0, len(a), _BATCH):
        part = a.slice(first, _BATCH)
        if isinstance(part, pa.ChunkedArray):
            part = part.chunk(0) if part.num_chunks == 1 else part.combine_chunks()
        yield first, part


def _blank_strings(n: int) -> pa.Array:
    return pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(np.zeros(n + 1, np.int64)),
                                                        pa.py_buffer(b"")])


def _unescaped(a: Column) -> Column:
    """Drop the exporter's spreadsheet guard: one leading ``'`` before ``= + - @ tab CR``."""
    if not pc.any(pc.starts_with(a, "'")).as_py():
        return a
    guarded = pc.match_substring_regex(a, "^" + _DANGER).fill_null(False)
    if not pc.any(guarded).as_py():
        return a
    return pc.if_else(guarded, pc.utf8_slice_codeunits(a, 1), a)


def _clean(a: Column) -> Column:
    """Cells stripped of white space and unescaped. The first and last byte of each cell
    tell whether either can change anything; usually neither can, and both passes are skipped."""
    if len(a) <= SMALL:  # the same test on the characters: quicker than numpy for a few cells
        ends = "".join(c[0] + c[-1] for c in a.to_pylist() if c)
        if ends.isascii() and ends.isprintable() and " " not in ends:
            return _unescaped(a) if "'" in ends[::2] else a
        return _unescaped(pc.utf8_trim_whitespace(a))
    printable = np.uint8(0x7F - 0x21)  # bytes 0x21-0x7e cannot be (part of) white space
    quoted = False
    for _, chunk in _chunks(a):
        offsets, data = _bytes(chunk)
        if data.size:
            first = np.take(data, offsets[:-1], mode="clip")  # an empty cell reads a neighbour: harmless
            last = np.take(data, offsets[1:] - 1, mode="clip")
            if ((first - np.uint8(0x21)) > printable).any() or ((last - np.uint8(0x21)) > printable).any():
                return _unescaped(pc.utf8_trim_whitespace(a))
            quoted = quoted or bool((first == ord("'")).any())
    return _unescaped(a) if quoted else a


def unescape(s: pd.Series) -> pd.Series:
    """Undo the exporter's spreadsheet guard: one leading ``'`` before ``= + - @ tab CR``."""
    return _series(_unescaped(_arrow(s)), s.index, s.name)


def _is_ascii(a: Column) -> bool:
    return all(int(data.max()) < 0x80 for data in (_bytes(c)[1] for _, c in _chunks(a)) if data.size)


def _word_tests(pattern: str, start: int) -> tuple[int, int, int, int]:
    """Tests for the 8 bytes of ``pattern`` from ``start``, read as a little-endian uint64
    ``x``: they fit iff ``x & keep == want`` and ``(x & low + six) & carry == 0``. The first
    checks the exact bytes and that digits are 0x3_; the second that a digit's low nibble
    is at most 9 (adding 6 to 10-15 carries into bit 4; no carry crosses a byte)."""
    keep = want = low = six = 0
    for i, c in enumerate(pattern[start:start + 8]):
        if c == "9":
            keep, want, low, six = keep | 0xF0 << 8 * i, want | 0x30 << 8 * i, low | 0x0F << 8 * i, six | 6 << 8 * i
        elif c != "?":
            keep, want = keep | 0xFF << 8 * i, want | ord(c) << 8 * i
    return keep, want, low, six


class _Fixed:
    """Every cell of ``a`` as ``len(pattern)`` (>= 8) bytes: the cells in the bool mask
    ``rows`` are that long, the others read as zero bytes. ``ok``: the cells in ``rows``
    that fit ``pattern`` ('9' an ASCII digit, '?' any byte, else that byte)."""

    def __init__(self, a: pa.Array, rows: np.ndarray, pattern: str):
        n, width = len(a), len(pattern)
        if a.null_count or not rows.all():
            a = _only(a, rows)
        fixed = a.cast(pa.large_binary()).cast(pa.binary(width))  # checks no byte lengths of missing rows
        buf, start = fixed.buffers()[1], fixed.offset * width
        self.m = np.frombuffer(buf, dtype=np.uint8, count=n * width, offset=start).reshape(n, width)
        self.ok = rows.copy()
        word, test = np.empty(n, dtype=np.uint64), np.empty(n, dtype=bool)
        for at in sorted({*range(0, width - 7, 8), width - 8}):  # 8-byte words covering the cell; may overlap
            x = np.ndarray((n,), dtype="<u8", buffer=buf, offset=start + at, strides=(width,))
            keep, want, low, six = (np.uint64(v) for v in _word_tests(pattern, at))
            self.ok &= np.equal(np.bitwise_and(x, keep, out=word), want, out=test)
            if six:
                np.bitwise_and(x, low, out=word)
                word += six
                word &= np.uint64(0x1010101010101010)
                self.ok &= np.equal(word, 0, out=test)

    def byte(self, i: int) -> np.ndarray:
        return self.m[:, i]

    def two(self, i: int) -> np.ndarray:
        """The two-digit number at byte ``i`` (int16; meaningless where not digits)."""
        v = self.m[:, i].astype(np.int16)
        v *= 10
        v += self.m[:, i + 1]
        v -= 11 * ord("0")
        return v

    def ymd(self) -> tuple[np.ndarray, np.ndarray]:
        """Cells starting ``YYYY-MM-DD`` (digits checked) → (a real calendar day in
        _FAST_YEARS, days since 1970-01-01)."""
        year = self.two(0).astype(np.int32)
        year *= 100
        year += self.two(2)
        month, day = self.two(5), self.two(8)
        ok = (year >= _FAST_YEARS[0]) & (year <= _FAST_YEARS[1]) & (month >= 1) & (month <= 12) & (day >= 1)
        i = year - _FAST_YEARS[0]
        i *= 12
        i += month - 1
        i[~ok] = 0
        ok &= day <= _MONTH_DAYS[i]
        days = _MONTH_START[i]
        days += day - 1
        return ok, days


# -- the same for a few cells: a column of at most SMALL cells is read cell by cell in Python.
# Each reader takes only cells of the shapes above and gives them the same values (exact
# integer arithmetic); any other cell is left to the careful path, as the numpy readers do.
_FEW_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_FEW_INSTANT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
                          r"(?:(Z)|([+-])([0-9]{2}):?([0-9]{2}))?", re.ASCII)
_FEW_NUMBER = re.compile(r"([0-9]*)(?:(\.)([0-9]*))?", re.ASCII)
_FEW_CODE = re.compile(r"[A-Z]{3}", re.ASCII)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


@functools.lru_cache(maxsize=1 << 12)  # the same days come again and again
def few_days(cell: str | None) -> int | None:
    """A ``YYYY-MM-DD`` cell of a real day in _FAST_YEARS → days since 1970-01-01."""
    m = _FEW_DATE.fullmatch(cell) if cell else None
    if m is None or not _FAST_YEARS[0] <= int(m[1]) <= _FAST_YEARS[1]:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        return None


def few_instant(cell: str | None) -> tuple[int, bool] | None:
    """A date-time cell of one of the fast shapes → (seconds since 1970-01-01 00:00 on the
    wall clock minus any offset, whether it is local time: no offset), else None."""
    m = _FEW_INSTANT.fullmatch(cell) if cell else None
    if m is None or (days := few_days(m[1])) is None:
        return None
    hour, minute, second = int(m[2]), int(m[3]), int(m[4] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    secs = days * 86400 + hour * 3600 + minute * 60 + second
    if m[6]:
        off_h, off_m = int(m[7]), int(m[8])
        if off_h > 23 or off_m > 59:
            return None
        secs -= (off_h * 3600 + off_m * 60) * (1 if m[6] == "+" else -1)
    return secs, not (m[5] or m[6])


def _few_instants(a: Column, tz: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_fast_instants` for a few cells."""
    fast = np.zeros(len(a), dtype=bool)
    out = np.full(len(a), NULL_INT, dtype=np.int64)
    local: list[int] = []
    for i, cell in enumerate(a.to_pylist()):
        if (read := few_instant(cell)) is not None:
            fast[i], out[i] = True, read[0]
            if read[1]:
                local.append(i)
    if local:
        out[local] = _localize(out[local], tz)
    return fast, out


def few_number(cell: str | None, max_int: int, max_frac: int) -> int | None:
    """A plain number cell (see :func:`_plain_numbers`) → its value × 10**max_frac, else None."""
    m = _FEW_NUMBER.fullmatch(cell) if cell else None
    if m is None:
        return None
    whole, dot, frac = m[1], m[2], m[3] or ""
    if not (whole or frac) or (dot and not max_frac):
        return None
    if len(whole) > (min(max_int, 15 - max_frac) if max_frac else max_int) or len(frac) > max_frac:
        return None
    return int(whole or 0) * 10 ** max_frac + int(frac.ljust(max_frac, "0") or 0)


def _few_numbers(a: Column, max_int: int, max_frac: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_plain_numbers` for a few cells."""
    read = [few_number(cell, max_int, max_frac) for cell in a.to_pylist()]
    ok = np.array([v is not None for v in read], dtype=bool)
    return ok, np.array([v or 0 for v in read], dtype=np.int64)


def _fast_dates(a: Column) -> np.ndarray:
    """Rows that are exactly a valid ``YYYY-MM-DD`` (ASCII) → bool mask."""
    if len(a) <= SMALL:
        return np.array([few_days(c) is not None for c in a.to_pylist()], dtype=bool)
    ok = _lengths(a) == 10
    for first, part in _batches(a) if ok.any() else ():
        rows = ok[first:first + len(part)]
        cells = _Fixed(part, rows, "9999-99-99")
        rows &= cells.ok & cells.ymd()[0]
    return ok


_INSTANT_SHAPES = {len(p): p for p in (
    date + clock + zone for date in ("9999-99-99?99:99",) for clock in ("", ":99")
    for zone in ("", "Z", "?99:99", "?9999"))}
"""The date-time shapes the fast path reads, by length: ``T`` or space between date and
time, seconds or not, then no offset (local time), ``Z``, ``±HH:MM`` or ``±HHMM``."""


def _fast_instants(a: Column, tz: str) -> tuple[np.ndarray, np.ndarray]:
    """→ (the rows the fast path reads, their epoch seconds UTC; NULL_INT for a local time
    in a DST gap, and elsewhere)."""
    if len(a) <= SMALL:
        return _few_instants(a, tz)
    fast = np.zeros(len(a), dtype=bool)
    out = np.full(len(a), NULL_INT, dtype=np.int64)
    for first, part in _batches(a):
        rows, secs, offset = _instants(part)
        if rows.size:
            if not offset.all():
                secs[~offset] = _localize(secs[~offset], tz)
            fast[first + rows] = True
            out[first + rows] = secs
    return fast, out


def _instants(a: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows in one of _INSTANT_SHAPES, ASCII, with a real date, clock time and offset →
    (row numbers, seconds since 1970-01-01 00:00 on the wall clock minus any offset,
    whether the row had an offset)."""
    lengths = pc.binary_length(a).fill_null(-1).to_numpy(zero_copy_only=False)
    found: list[tuple[np.ndarray, np.ndarray, bool]] = []
    for width, pattern in _INSTANT_SHAPES.items():
        rows = lengths == width
        if not rows.any():
            continue
        cells = _Fixed(a, rows, pattern)
        base = 19 if pattern[16:17] == ":" else 16  # where the offset starts
        sep = cells.byte(10)
        ok, secs = cells.ymd()
        hour, minute = cells.two(11), cells.two(14)
        ok &= cells.ok & ((sep == ord("T")) | (sep == ord(" "))) & (hour <= 23) & (minute <= 59)
        if base == 19:
            second = cells.two(17)
            ok &= second <= 59
        if width - base > 1:  # ±HH:MM or ±HHMM
            off_h, off_m, sign = cells.two(base + 1), cells.two(width - 2), cells.byte(base)
            ok &= ((sign == ord("+")) | (sign == ord("-"))) & (off_h <= 23) & (off_m <= 59)
        rows = np.flatnonzero(ok)
        secs = secs[rows] * 86400 + (hour[rows].astype(np.int32) * 3600 + minute[rows] * 60)
        if base == 19:
            secs += second[rows]
        if width - base > 1:
            offset = off_h[rows].astype(np.int32) * 3600 + off_m[rows] * 60
            secs -= np.where(sign[rows] == ord("+"), offset, -offset)
        found.append((rows, secs, width > base))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
    return (np.concatenate([r for r, _, _ in found]), np.concatenate([s for _, s, _ in found]),
            np.concatenate([np.full(len(r), o) for r, _, o in found]))


def _localize(local: np.ndarray, tz: str) -> np.ndarray:
    """Wall-clock seconds in ``tz`` → epoch seconds UTC. A repeated time (DST fold) is its
    first occurrence; a skipped one (DST gap) is NULL_INT."""
    idx = pd.DatetimeIndex(local.astype("datetime64[s]"))
    return idx.tz_localize(tz, ambiguous=np.ones(len(local), dtype=bool), nonexistent="NaT").as_unit("s").asi8


def _plain_numbers(a: Column, max_int: int, max_frac: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows that are plain ASCII ``[0-9]*(.[0-9]*)?`` with at least one digit, at most
    ``max_int`` digits before the dot and ``max_frac`` after (0: no dot) → (mask, value ×
    10**max_frac as int64). Decimals are parsed as float64, exact while value × 10**max_frac
    stays below 10**15; rows with more integer digits than that allows are not taken."""
    if len(a) <= SMALL:
        return _few_numbers(a, max_int, max_frac)
    ok = np.zeros(len(a), dtype=bool)
    values = np.zeros(len(a), dtype=np.int64)
    for first, part in _batches(a):
        rows = ok[first:first + len(part)]
        offsets, data = _bytes(part)
        lengths = np.diff(offsets)
        cum = np.zeros(data.size + 1, dtype=np.int32)
        np.cumsum(_SCORE[data], out=cum[1:], dtype=np.int32)
        score = cum[offsets[1:]] - cum[offsets[:-1]]  # per cell: dots + 2 × other bytes
        rows[:] = (score <= (1 if max_frac else 0)) & (lengths > score)
        if part.null_count:
            rows &= _np(part.is_valid())
        if not rows.any():
            continue
        if max_frac:
            dot = pc.find_substring(_only(part, rows), ".").fill_null(-1).to_numpy(zero_copy_only=False)
            int_digits = np.where(dot >= 0, dot, lengths)
            rows &= (int_digits <= min(max_int, 15 - max_frac)) & (lengths - int_digits - 1 <= max_frac)
            parsed = pc.cast(_only(part, rows), pa.float64()).fill_null(0).to_numpy(zero_copy_only=False)
            values[first:first + len(part)] = np.rint(parsed * 10.0 ** max_frac)
        else:
            rows &= lengths <= max_int
            values[first:first + len(part)] = pc.cast(_only(part, rows), pa.int64()).fill_null(0).to_numpy(
                zero_copy_only=False)
    return ok, values


def few_code(cell: str | None) -> bool:
    """Whether the cell is an ISO 4217 currency code (three ASCII capitals that ISO 4217 has)."""
    return cell is not None and cell in money.currency_codes() and _FEW_CODE.fullmatch(cell) is not None


def _codes(a: Column) -> np.ndarray:
    """Rows that are ISO 4217 currency codes (three ASCII capitals that ISO 4217 has)."""
    if len(a) <= SMALL:
        return np.array([few_code(c) for c in a.to_pylist()], dtype=bool)
    ok = _lengths(a) == 3
    rows = np.flatnonzero(ok)
    for i in range(3 if rows.size else 0):
        ok[rows] &= (_gather(a, rows, i) - np.uint8(ord("A"))) < 26
    if ok.any():
        ok &= _np(pc.is_in(a, value_set=_known_codes()))
    return ok


@functools.cache
def _known_codes() -> pa.Array:
    return pa.array(sorted(money.currency_codes()), pa.large_string())


def int_series(values: np.ndarray, ok: np.ndarray, index: pd.Index) -> pd.Series:
    """int64 values → nullable Int64 (``ok`` False → <NA>)."""
    np.putmask(values, ~ok, 0)  # (the caller's array)
    return pd.Series(pd.arrays.IntegerArray(values, ~ok), index=index, copy=False)


# -- the careful path: the original rules, for the rows the fast path leaves --------------------
def _careful_decimals(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """Non-blank cells → (integer part, six-digit fraction, ok, masks of the problems
    negative / not an amount / too precise / too large)."""
    ok = s.str.fullmatch(_AMOUNT).to_numpy()
    neg = np.zeros(len(s), dtype=bool)
    if not ok.all():
        neg = s.str.fullmatch("-" + _AMOUNT[3:]).to_numpy()
        s = s.where(ok, "0")
    parts = s.str.lstrip("+").str.partition(".")
    whole = parts[0].str.lstrip("0")
    frac = parts[2]
    too_precise = ok & (frac.str.len() > 6).to_numpy()
    too_big = ok & (whole.str.len() > _MAX_INT_DIGITS).to_numpy()
    problems = [neg, ~ok & ~neg, too_precise, too_big]
    ok = ok & ~too_precise & ~too_big
    whole = whole.where(ok & (whole != "").to_numpy(), "0").astype("int64").to_numpy()
    frac = frac.where(ok, "").str.slice(0, 6).str.pad(6, side="right", fillchar="0").astype("int64").to_numpy()
    return whole, frac, ok, problems


def _careful_instants(s: pd.Series, tz: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Non-blank cells → (epoch seconds, ok, date without a time, DST gap)."""
    n = len(s)
    out = np.full(n, NULL_INT, dtype=np.int64)
    good = np.zeros(n, dtype=bool)
    gap = np.zeros(n, dtype=bool)
    date_only = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy()
    shaped = s.str.match(r"\d{4}-\d{2}-\d{2}[Tt ]\d").to_numpy() & ~date_only
    offset = s.str.contains(r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)$", regex=True).to_numpy() & shaped
    naive = shaped & ~offset
    for rows, read in ((offset, _offset_instants), (naive, lambda cells: _naive_instants(cells, tz))):
        if rows.any():
            idx = np.flatnonzero(rows)
            values, ok, skipped = _each_if_needed(read, s[rows])
            out[idx[ok]] = values[ok]
            good[idx[ok]] = True
            gap[idx[skipped]] = True
    return out, good, date_only, gap


def _offset_instants(cells: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells with a UTC offset → (epoch seconds, parsed, in a DST gap: never)."""
    d = pd.to_datetime(cells, format="ISO8601", utc=True, errors="coerce")
    ok = d.notna().to_numpy()
    out = np.full(len(cells), NULL_INT, dtype=np.int64)
    out[ok] = _epoch(d[ok])
    return out, ok, np.zeros(len(cells), dtype=bool)


def _naive_instants(cells: pd.Series, tz: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Local times in ``tz`` → (epoch seconds, parsed and real, skipped by a DST jump)."""
    d = pd.to_datetime(cells, format="ISO8601", errors="coerce")
    parsed = d.notna().to_numpy()
    local = d.dt.tz_localize(tz, ambiguous=np.ones(len(d), dtype=bool), nonexistent="NaT")
    ok = local.notna().to_numpy()
    out = np.full(len(cells), NULL_INT, dtype=np.int64)
    out[ok] = _epoch(local[ok])
    return out, ok, parsed & ~ok


def _each_if_needed(read, cells: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``read(cells)``; if pandas raises on some odd cell (an offset like ``+3:00``, a
    year it cannot place in a time zone), read them one by one and let the cells that
    still raise count as unreadable, so they get a message instead of a traceback."""
    try:
        return read(cells)
    except (ValueError, TypeError, OverflowError, NotImplementedError, pd.errors.OutOfBoundsDatetime):
        pass
    n = len(cells)
    out, ok, gap = np.full(n, NULL_INT, dtype=np.int64), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for i in range(n):
        try:
            o, k, g = read(cells.iloc[i:i + 1])
        except (ValueError, TypeError, OverflowError, NotImplementedError, pd.errors.OutOfBoundsDatetime):
            continue
        out[i], ok[i], gap[i] = o[0], k[0], g[0]
    return out, ok, gap


def _careful_dates(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """→ (a real day in the years allowed, a real day in other years: a typo in the year)."""
    shaped = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy()
    parsed = pd.to_datetime(s.where(shaped, None), format="%Y-%m-%d", errors="coerce").notna().to_numpy()
    real = shaped & parsed
    years = s.where(shaped, "0000").str.slice(0, 4).astype("int64").to_numpy()
    inside = (years >= _FAST_YEARS[0]) & (years <= _FAST_YEARS[1])
    return real & inside, real & ~inside


def _careful_integers(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    ok = s.str.fullmatch(r"\+?\d{1,15}").to_numpy()
    return s.where(ok, "0").str.lstrip("+").astype("int64").to_numpy(), ok


def _epoch(d: pd.Series) -> np.ndarray:
    """Tz-aware datetimes → int64 epoch seconds (fractions of a second dropped)."""
    utc = d.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[us]")
    return utc.astype(np.int64) // 1_000_000


class Checker:
    """Parses the columns of one table and collects its problems."""

    def __init__(self, df: pd.DataFrame, name: str):
        self.df = df
        self.file = df.attrs.get(FILE_ATTR, f"{name}.csv")
        self.lines = df[LINE].to_numpy() if LINE in df.columns else np.arange(2, len(df) + 2)
        self.n = len(df)
        self.problems: list[Problem] = []
        self._cache: dict[str, pd.Series] = {}
        self._arrays: dict[str, Column] = {}
        self._blanks: dict[str, np.ndarray] = {}

    # -- plumbing ---------------------------------------------------------------
    def cells(self, col: str) -> Column:
        """The column's cells, stripped and unescaped, as a pyarrow array; all blank when
        the column is absent."""
        if col not in self._arrays:
            if col in self.df.columns:
                self._arrays[col] = _clean(_arrow(self.df[col]))
            else:
                self._arrays[col] = _blank_strings(self.n)
        return self._arrays[col]

    def cell(self, col: str) -> pd.Series:
        """The column's cells, stripped and unescaped; all blank when the column is absent."""
        if col not in self._cache:
            self._cache[col] = _series(self.cells(col), self.df.index, self._name(col))
        return self._cache[col]

    def _name(self, col: str) -> str | None:
        """The name of the column's Series (as pandas gives it: None when absent)."""
        return col if col in self.df.columns else None

    def fail(self, col: str, mask, message) -> None:
        """Add a problem for each row where ``mask``; ``message(value)`` or a fixed string."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        values = None
        if callable(message):  # a missing cell reads 'nan', as pandas shows it
            values = [np.nan if v is None else v for v in self.cells(col).take(pa.array(idx)).to_pylist()]
        for j, i in enumerate(idx):
            msg = message(values[j]) if values is not None else message
            self.problems.append(Problem(self.file, int(self.lines[i]), col, msg))

    def blank(self, col: str) -> np.ndarray:
        if col not in self._blanks:
            self._blanks[col] = _lengths(self.cells(col)) == 0
        return self._blanks[col]

    def require(self, col: str, what: str) -> np.ndarray:
        b = self.blank(col)
        self.fail(col, b, f"is blank; {what} is needed here")
        return b

    def _careful(self, col: str, rows: np.ndarray) -> pd.Series:
        """The cells of ``rows`` (a bool mask), for the careful path."""
        return self.cell(col)[rows]

    def _spread(self, rows: np.ndarray, part: np.ndarray) -> np.ndarray:
        """A mask over ``rows`` (a bool mask of the table) → a mask over the table."""
        out = np.zeros(self.n, dtype=bool)
        out[np.flatnonzero(rows)[part]] = True
        return out

    # -- parsers ---------------------------------------------------------------------
    def text(self, col: str, *, required: str | None = None, max_len: int | None = None) -> pd.Series:
        """Text; blank → None. ``required``: what to call it in the message when blank."""
        if required:
            self.require(col, required)
        if max_len and (_lengths(self.cells(col)) > max_len).any():  # else no cell has so many characters
            self.fail(col, _np(pc.greater(pc.utf8_length(self.cells(col)), max_len)),
                      f"is longer than {max_len} characters; shorten it")
        return self.cell(col)

    def _coded(self, col: str, upper: bool, required: str | None,
               ok: Callable[[pa.Array], np.ndarray]) -> tuple[pd.Series, np.ndarray]:
        """(the cells in lower or upper case, mask of non-blank cells that are not ``ok``).
        Changing case never empties a cell, so blank after is blank before."""
        a = self.cells(col)
        if _is_ascii(a):  # the same result, many times faster
            a = pc.ascii_upper(a) if upper else pc.ascii_lower(a)
        else:
            a = pc.utf8_upper(a) if upper else pc.utf8_lower(a)
        if required:
            self.require(col, required)
        return _series(a, self.df.index, self._name(col)), ~ok(a) & ~self.blank(col)

    def choice(self, col: str, allowed: tuple[str, ...], *, required: str | None = None) -> pd.Series:
        s, bad = self._coded(col, False, required,
                             lambda a: _np(pc.is_in(a, value_set=pa.array(allowed, pa.large_string()))))
        self.fail(col, bad, lambda v: f"'{v}' is not one of: {', '.join(allowed)}")
        return s

    def yes_no(self, col: str) -> pd.Series:
        """A yes/no column (``model.parse_yes_no``'s words) → Int64 1/0, blank 0."""
        s, bad = self._coded(col, False, None, lambda a: _np(pc.is_in(a, value_set=pa.array(YES + NO, pa.large_string()))))
        self.fail(col, bad, lambda v: f"'{v}' is not yes or no; write yes, or leave it blank")
        return pd.Series(s.isin(YES).to_numpy().astype(np.int64), index=self.df.index, dtype="Int64", name=s.name)

    def currency(self, col: str, *, required: bool = False) -> pd.Series:
        s, bad = self._coded(col, True, "a currency code (USD, KES, PHP, ...)" if required else None, _codes)
        self.fail(col, bad, lambda v: money.CURRENCY_MESSAGE.format(v=v))
        return s

    def _decimal_parts(self, col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """→ (integer part, six-digit fraction, ok mask) of a plain non-negative decimal column."""
        ok, micros = _plain_numbers(self.cells(col), _MAX_INT_DIGITS, 6)
        whole, frac = np.divmod(np.where(ok, micros, 0), 1_000_000)
        rest = ~ok & ~self.blank(col)
        if rest.any():
            w, f, o, problems = _careful_decimals(self._careful(col, rest))
            whole[rest], frac[rest], ok[rest] = w, f, o
            for mask, message in zip(problems, (
                    lambda v: f"'{v}' is negative; amounts here must be 0 or more",
                    lambda v: f"'{v}' is not an amount; write it as a plain number like 12.50 "
                              "(a dot for decimals, no currency sign, no thousands separator)",
                    lambda v: f"'{v}' has more than 6 decimal places",
                    lambda v: f"'{v}' is too large to be an amount")):
                self.fail(col, self._spread(rest, mask), message)
        return whole, frac, ok

    def micros(self, col: str, *, required: str | None = None) -> pd.Series:
        """Amount → nullable Int64 micro-units (blank → <NA>)."""
        if required:
            self.require(col, required)
        whole, frac, ok = self._decimal_parts(col)
        return int_series(whole * 1_000_000 + frac, ok, self.df.index)

    def duration_seconds(self, col: str) -> pd.Series:
        """Decimal minutes → whole seconds (half to even), nullable Int64; must be more than 0."""
        whole, frac, ok = self._decimal_parts(col)
        micro_minutes = whole * 1_000_000 + frac
        too_long = ok & (whole > 10 * 24 * 60)
        n = micro_minutes * 60
        q = money.round_div(n, 1_000_000)
        zero = ok & (q <= 0) & ~too_long
        self.fail(col, zero, lambda v: f"'{v}' minutes is no time at all; give a duration above 0")
        return int_series(q, ok & ~zero, self.df.index)

    def integer(self, col: str) -> pd.Series:
        ok, vals = _plain_numbers(self.cells(col), 15, 0)
        rest = ~ok & ~self.blank(col)
        if rest.any():
            vals[rest], ok[rest] = _careful_integers(self._careful(col, rest))
            self.fail(col, rest & ~ok, lambda v: f"'{v}' is not a whole number of 0 or more")
        return int_series(vals, ok, self.df.index)

    def date(self, col: str, *, required: str | None = None) -> pd.Series:
        """YYYY-MM-DD → the same text (blank → ""); an impossible date is a problem."""
        a = self.cells(col)
        if required:
            self.require(col, required)
        ok = _fast_dates(a)
        rest = ~ok & ~self.blank(col)
        if rest.any():
            far = np.zeros(self.n, dtype=bool)
            ok[rest], far[rest] = _careful_dates(self._careful(col, rest))
            self.fail(col, far, lambda v: f"'{v}' is not in the years {_FAST_YEARS[0]} to {_FAST_YEARS[1]}; "
                                          "check the year")
            self.fail(col, rest & ~ok & ~far,
                      lambda v: f"'{v}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-05")
        return _series(pc.if_else(pa.array(ok), a, EMPTY), self.df.index, self._name(col))

    def instant(self, col: str, tz: str, *, required: str | None = None) -> pd.Series:
        """ISO 8601 date-time → epoch seconds UTC (nullable Int64).

        No offset: local time in ``tz``. A local time the clocks skipped (DST gap) is a
        problem; a repeated one (DST fold) is the first occurrence, as in timeutil.
        """
        a = self.cells(col)
        if required:
            self.require(col, required)
        blank = self.blank(col)
        fast, out = _fast_instants(a, tz)
        good = fast & (out != NULL_INT)
        gap = fast & ~good
        date_only = np.zeros(self.n, dtype=bool)
        rest = ~blank & ~fast
        if rest.any():
            out[rest], good[rest], date_only[rest], gap[rest] = _careful_instants(self._careful(col, rest), tz)
        far = good & ((out < _INSTANT_RANGE[0]) | (out >= _INSTANT_RANGE[1]))
        if good[rest].any():  # the year as written counts too (the fast path reads only those years)
            written = self._careful(col, rest & good).str.slice(0, 4).astype("int64").to_numpy()
            far[rest & good] |= (written < _FAST_YEARS[0]) | (written > _FAST_YEARS[1])
        if far.any():  # a typo in the year (0226, 9999) would otherwise be taken as written
            good &= ~far
            self.fail(col, far, lambda v: f"'{v}' is not in the years {_FAST_YEARS[0]} to {_FAST_YEARS[1]}; "
                                          "check the year")
        self.fail(col, date_only, lambda v: f"'{v}' is a date without a time of day; add one, e.g. {v}T09:00")
        self.fail(col, gap, lambda v: timeutil.skipped_message(v, tz))
        self.fail(col, ~blank & ~date_only & ~(good | gap | far),
                  lambda v: f"'{v}' is not a time; write it as 2026-03-02T09:00 or 2026-03-02 09:00 "
                            "(add +03:00 or Z for an explicit offset)")
        return int_series(out, good, self.df.index)

    # -- whole columns: what the table parsers do with the parsed columns (PlainChecker, in
    # plain.py, has the same methods for Python lists) -------------------------------------
    def frame(self, columns: dict[str, pd.Series | np.ndarray]) -> pd.DataFrame:
        """The parsed table: ``columns`` (each a row per row of the file, on the file's
        index) and the file's line numbers. Built from the columns' arrays: pandas would
        otherwise align every Series on its index again, a good part of a small table's time."""
        cols = {k: v.array if isinstance(v, pd.Series) else v for k, v in columns.items()}
        return pd.DataFrame({**cols, LINE: self.lines}, index=self.df.index)

    @staticmethod
    def before(later: pd.Series, earlier: pd.Series) -> np.ndarray:
        """Rows where two dates (``YYYY-MM-DD`` text, blank "") are both given and ``later``
        is the earlier one (the text compares as the dates do)."""
        a, b = (pa.array(s.array) for s in (later, earlier))
        both = pc.and_kleene(pc.and_kleene(pc.not_equal(a, EMPTY), pc.not_equal(b, EMPTY)), pc.less(a, b))
        return both.fill_null(False).to_numpy(zero_copy_only=False)

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
