"""Shared parsing for the importers: tolerant of what people and other tools write,
and asking (a problem that names the option to set) when a value is ambiguous.

Nothing here touches the logbook or the clock. Every parser either returns a value or
raises :class:`CellError` with a message a worker can act on; the readers turn that into
a ``Problem(file, line, column, message)``.
"""

from __future__ import annotations

import csv
import functools
import json
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import pandas as pd

from .. import money, timeutil
from ..model import BILLABLE_KINDS, KINDS, STATUSES
from ..i18n import LANGUAGES, N_, _, using
from ..problems import Said, fix, say

from ..bundle.problems import Problem, wide_row  # the bundle's, so both report the same way


WORK_COLUMNS = ["platform", "project", "kind", "start", "end", "duration_minutes", "units", "pay",
                "currency", "status", "external_id", "note"]
PROJECT_COLUMNS = ["platform", "project", "pay_model", "currency", "advertised_rate", "started_on",
                   "ended_on", "end_reason", "notes"]
PAYOUT_COLUMNS = ["platform", "paid_at", "amount", "currency", "fee", "method", "received_amount",
                  "received_currency", "reference", "note"]
ACTIVITY_COLUMNS = ["bucket", "kind", "start", "end", "app", "title"]

#: earliest plausible year of crowd work (Mechanical Turk opened in 2005)
EARLIEST_YEAR = 2005


def json_kind(v: Any) -> Said:
    """What a JSON value is, in words (the ``{kind}`` of 'is X, not a list of HITs'), worded
    again in the language of the sentence that names it."""
    if isinstance(v, bool):
        return say("json.kind_bool", "true/false")
    if isinstance(v, (int, float)):
        return say("json.kind_number", "the number {number}", number=v)
    if isinstance(v, str):
        return say("json.kind_text", "text")
    if isinstance(v, dict):
        return say("json.kind_object", "an object")
    return say("json.kind_list", "a list")


class CellError(ValueError):
    """One cell's value cannot be read; the message says what to write instead."""


class FormatMismatch(ValueError):
    """The file is not of the format asked for (the message says which it looks like)."""


# ---------------------------------------------------------------------------------------
# reading files
@dataclass
class Sheet:
    """A table read from CSV or XLSX: header and rows with their 1-based line numbers."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]


def wide_rows(sheet: Sheet) -> list[Problem]:
    """A problem for each row with more cells than the header, the extra ones not blank:
    almost always a comma inside a cell that was not put in quotes ("2,50" for 2.50), which
    read anyway would drop the rest of the number. Blank extra cells (a spreadsheet's
    empty columns) are fine."""
    width = len(sheet.header)
    out = []
    for line, rec in sheet.rows:
        extra = [c for c in rec[width:] if str(c).strip()]
        if extra:
            out.append(wide_row(sheet.name, line, len(rec), width, extra[0], sheet=True))
    return out


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(enc)
            if enc == "utf-16" and not raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                continue
            return text
        except UnicodeDecodeError:
            continue
    return raw.decode("cp1252", errors="replace")


def read_sheet(path: str | Path, *, sheet: str | None = None) -> Sheet:
    """Read a CSV (comma, semicolon or tab separated) or an XLSX workbook's first sheet."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise FormatMismatch(f"{path} does not exist")
    if not path.is_file():  # a folder, or a device such as /dev/zero that never ends
        raise FormatMismatch(f"{path} is not a file; give the CSV or .xlsx file itself")
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    text = _decode(raw)
    if not text.strip():
        return Sheet(name, [], [])
    first = text.splitlines()[0] if text.splitlines() else ""
    delim = max((",", ";", "\t"), key=lambda d: first.count(d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    line = 1
    for rec in reader:
        start = line
        line = reader.line_num + 1
        if header is None:
            if not any(c.strip() for c in rec):
                continue
            header = _header([c.strip() for c in rec], name)
            continue
        if not any(c.strip() for c in rec):
            continue
        rows.append((start, rec))
    return Sheet(name, header or [], rows)


def _header(header: list[str], name: str) -> list[str]:
    """The header, unless it is too wide to be a sheet of work (each later step would crawl)."""
    from ..bundle.reader import MAX_COLUMNS

    if len(header) > MAX_COLUMNS:
        raise FormatMismatch(f"the header has {len(header):,} columns; taskerlog reads at most "
                             f"{MAX_COLUMNS:,}: is this the right file, or the right sheet?")
    return header


def _read_xlsx(path: Path, sheet: str | None) -> Sheet:
    import zipfile

    import openpyxl

    from ..bundle.reader import MAX_XLSX_BYTES, zip_refusal

    try:
        with zipfile.ZipFile(path) as zf:  # the bundle's zip rules, before openpyxl decompresses anything
            refused = zip_refusal(zf.infolist(), MAX_XLSX_BYTES)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatMismatch(say("xlsx.unreadable", "{file} is not a readable .xlsx workbook ({why})", file=path.name,
                                 why=exc)) from exc
    if refused:
        raise FormatMismatch(say("xlsx.refused", "{file} {problem}", file=path.name, problem=refused))
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FormatMismatch(say("xlsx.unreadable", "{file} is not a readable .xlsx workbook ({why})", file=path.name,
                                 why=exc)) from exc
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
    except KeyError as exc:
        raise FormatMismatch(f"{path.name} has no sheet '{sheet}'; it has: {', '.join(wb.sheetnames)}") from exc
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for i, rec in enumerate(ws.iter_rows(values_only=True), start=1):
        vals = ["" if v is None else v for v in rec]
        if not any(str(v).strip() for v in vals):
            continue
        if header is None:
            header = [str(v).strip() for v in vals]
            while header and not header[-1]:
                header.pop()
            header = _header(header, path.name)
            continue
        rows.append((i, vals[: len(header)]))
    wb.close()
    return Sheet(path.name, header or [], rows)


def header_signature(header: Sequence[str]) -> str:
    """The key a saved mapping is stored under: the normalised column names, in order."""
    return "|".join(norm(h) for h in header)


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(name).lower()).strip()


def currency_in_header(name: str) -> str | None:
    """``Amount (USD)`` → USD."""
    m = re.search(r"\(([A-Za-z]{3})\)", str(name))
    return m.group(1).upper() if m else None


def find_column(header: Sequence[str], *candidates: str) -> int | None:
    """Index of the first header matching a candidate (case/punctuation-insensitive;
    a trailing currency such as ``(USD)`` is ignored)."""
    normed = [norm(re.sub(r"\([A-Za-z]{3}\)", "", h)) for h in header]
    for cand in candidates:
        c = norm(cand)
        for i, h in enumerate(normed):
            if h == c:
                return i
    return None


# ---------------------------------------------------------------------------------------
# dates
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTHS.update({"sept": 9})
_ISO_D = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUM_D = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$")
_TXT_D1 = re.compile(r"^(?:[A-Za-z]+,?\s+)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{2,4})$")  # 2 Mar 2026
_TXT_D2 = re.compile(r"^(?:[A-Za-z]+,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")  # Mar 2, 2026
_COMPACT_D = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 20260302


@dataclass
class DateText:
    """A date cell split into parts; ``order`` is None when D/M vs M/D is undecided."""

    a: int
    b: int
    year: int
    ambiguous: bool  # numeric a/b with both <= 12 and a != b
    fixed: dt.date | None = None  # already decided (ISO, textual, a spreadsheet date)


def _year(y: str | int) -> int:
    yi = int(y)
    if isinstance(y, str) and len(y) == 2:
        return 2000 + yi
    if isinstance(y, str) and len(y) == 3:
        raise CellError(say("cell.year_three_digits", "the year '{year}' has three digits; check it (a typo?)", year=y))
    return yi


def split_date(value: Any) -> DateText:
    """Classify one date cell (no decision on day/month order yet)."""
    if isinstance(value, dt.datetime):
        d = value.date()
        return DateText(d.day, d.month, d.year, False, d)
    if isinstance(value, dt.date):
        return DateText(value.day, value.month, value.year, False, value)
    s = str(value).strip()
    if not s:
        raise CellError(say("cell.date_needed", "a date is needed here"))
    m = _ISO_D.match(s) or _COMPACT_D.match(s)
    if m:
        return _fixed(int(m.group(1)), int(m.group(2)), int(m.group(3)), s)
    m = _NUM_D.match(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        if a > 12 and b > 12:
            raise CellError(say("cell.no_month", "'{cell}' is not a date: neither {a} nor {b} can be a month", cell=s, a=a,
                                b=b))
        if a == 0 or b == 0:
            raise CellError(say("cell.not_date", "'{cell}' is not a date", cell=s))
        return DateText(a, b, y, a <= 12 and b <= 12 and a != b)
    m = _TXT_D1.match(s)
    if m:
        return _fixed(_year(m.group(3)), _month(m.group(2), s), int(m.group(1)), s)
    m = _TXT_D2.match(s)
    if m:
        return _fixed(int(m.group(3)), _month(m.group(1), s), int(m.group(2)), s)
    raise CellError(say("cell.not_date_write", "'{cell}' is not a date; write it as 2026-03-02, 02/03/2026 or 2 Mar 2026",
                        cell=s))


def _month(name: str, s: str) -> int:
    key = name.lower()[:4] if name.lower().startswith("sept") else name.lower()[:3]
    if key not in _MONTHS:
        raise CellError(say("cell.not_month", "'{cell}' is not a date: '{name}' is not a month", cell=s, name=name))
    return _MONTHS[key]


def _fixed(y: int, mo: int, d: int, s: str) -> DateText:
    try:
        day = dt.date(y, mo, d)
    except ValueError as exc:
        raise CellError(f"'{s}' is not a date ({exc})") from exc
    return DateText(d, mo, y, False, day)


def decide_day_first(cells: Iterable[tuple[int, DateText]], option: bool | None,
                     file: str, column: str) -> tuple[bool | None, list[Problem]]:
    """Decide D/M or M/D for a whole column, or ask.

    Evidence: a first part above 12 means day first; a second part above 12 means month
    first. With ``option`` set, contradicting rows are problems. Without it, both kinds of
    evidence in one column is a problem (mixed formats), and no evidence while some dates
    are ambiguous is a question (set ``--day-first``)."""
    problems: list[Problem] = []
    day_first_lines: list[int] = []
    month_first_lines: list[int] = []
    ambiguous_lines: list[int] = []
    for line, c in cells:
        if c.fixed is not None:
            continue
        if c.a > 12:
            day_first_lines.append(line)
        elif c.b > 12:
            month_first_lines.append(line)
        elif c.ambiguous:
            ambiguous_lines.append(line)
    if option is not None:
        bad = month_first_lines if option else day_first_lines
        order = "DD/MM/YYYY" if option else "MM/DD/YYYY"
        said = say("import.date_order_misfit", "this date does not fit {order}; fix it or {fix}", order=order,
                   fix=fix("day_first_change", now="yes" if option else "no"))
        for line in bad:
            problems.append(Problem(file, line, column, said))
        return option, problems
    if day_first_lines and month_first_lines:
        return None, _mixed(file, column, day_first_lines, month_first_lines, "day first (DD/MM)",
                            "month first (MM/DD)", lambda most: say(
                                "import.mixed_dates", "mixed date formats: most dates in this column are {most} but "
                                "this one is not; fix it, or {fix} to say which is right", most=most,
                                fix=fix("day_first_set")))
    if day_first_lines:
        return True, problems
    if month_first_lines:
        return False, problems
    if ambiguous_lines:
        problems.append(Problem(file, ambiguous_lines[0], column,
                                say("import.date_order_unknown", "dates like this could be day/month or month/day "
                                    "({rows} such rows); {fix}", rows=len(ambiguous_lines), fix=fix("day_first_which"))))
        return None, problems
    return None, problems


def _mixed(file: str, column: str, a: list[int], b: list[int], a_name: str, b_name: str,
           message: Callable[[str], str]) -> list[Problem]:
    """Both notations in one column: name the rows of the rarer one (at most 20);
    ``message(most)``: the problem, given how most of the column is written."""
    minority, majority = (b, a_name) if len(a) >= len(b) else (a, b_name)
    said = message(majority)
    return [Problem(file, line, column, said) for line in minority[:20]]


def load_json(path: Path, what: str, export_hint: str) -> Any:
    """A JSON export, or FormatMismatch saying it is empty or not JSON."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if not text.strip():
        raise FormatMismatch(f"{path.name} is empty; {export_hint}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatMismatch(f"{path.name} is not JSON (line {exc.lineno}: {exc.msg}); the {what} importer reads "
                             "its JSON export") from exc
    except RecursionError as exc:  # thousands of nested brackets: no export looks like this
        raise FormatMismatch(f"{path.name} nests its data thousands of levels deep, which no {what} export does; "
                             f"{export_hint}") from exc


def resolve_date(c: DateText, day_first: bool | None, *, today: dt.date | None = None) -> dt.date:
    if c.fixed is not None:
        day = c.fixed
    else:
        if c.ambiguous and day_first is None:
            raise CellError(say("import.day_month_unknown", "day/month order unknown; {fix}", fix=fix("day_first_set")))
        if day_first is None:
            day_first = c.a > 12
        d, mo = (c.a, c.b) if day_first else (c.b, c.a)
        try:
            day = dt.date(c.year, mo, d)
        except ValueError as exc:
            raise CellError(f"not a date ({exc})") from exc
    check_year(day, today)
    return day


def check_year(day: dt.date, today: dt.date | None) -> None:
    if day.year < EARLIEST_YEAR:
        raise CellError(say("cell.too_early", "{day} is before {year}; check the year (a typo?)", day=day.isoformat(),
                            year=EARLIEST_YEAR))
    if today is not None and day > today + dt.timedelta(days=1):
        raise CellError(say("cell.future", "{day} is in the future; check the year (a typo?)", day=day.isoformat()))
    if today is None and day.year > 2100:
        raise CellError(say("cell.far_future", "{day} is too far in the future; check the year (a typo?)",
                            day=day.isoformat()))


# ---------------------------------------------------------------------------------------
# times of day, date-times, durations
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2})(?:\.\d+)?)?\s*([AaPp])?\.?\s*([Mm])?\.?$")


def parse_time_of_day(value: Any) -> tuple[dt.time, bool]:
    """``09:00``, ``9:00:00``, ``1:05 PM``, ``9am``, ``13.30`` → (time, had_am_pm)."""
    if isinstance(value, str):
        return _time_text(value)
    return _time_value(value)


@functools.lru_cache(maxsize=8192)
def _time_text(value: str) -> tuple[dt.time, bool]:
    return _time_value(value)


def _time_value(value: Any) -> tuple[dt.time, bool]:
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0), False
    if isinstance(value, dt.time):
        return value.replace(microsecond=0), False
    if isinstance(value, float) and 0 <= value < 1:  # a spreadsheet time stored as a day fraction
        secs = round(value * 86400)
        return dt.time(secs // 3600 % 24, secs // 60 % 60, secs % 60), False
    s = str(value).strip()
    m = _TIME.match(s)
    if not m or (m.group(4) is None and m.group(5) is not None):
        raise CellError(say("cell.not_time", "'{cell}' is not a time of day; write it as 09:00, 21:30 or 9:30 PM", cell=s))
    h, mi, se = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    ampm = m.group(4)
    if m.group(2) is None and ampm is None:
        raise CellError(say("cell.not_time", "'{cell}' is not a time of day; write it as 09:00, 21:30 or 9:30 PM", cell=s))
    if mi > 59 or se > 59:
        raise CellError(say("cell.minutes_above_59", "'{cell}' is not a time of day (minutes or seconds above 59)",
                            cell=s))
    if ampm:
        if h > 12:
            raise CellError(say("cell.ampm_24", "'{cell}' mixes a 24-hour time with AM/PM; write {hhmm} or {pm} PM",
                                cell=s, hhmm="%d:%02d" % (h, mi), pm="%d:%02d" % (h - 12, mi)))
        if h == 0:
            raise CellError(say("cell.ampm_zero", "'{cell}' is not a time: with AM/PM, hours go from 1 to 12", cell=s))
        h = h % 12 + (12 if ampm.lower() == "p" else 0)
    elif h > 23:
        raise CellError(say("cell.hour_above_23", "'{cell}' is not a time of day (hour above 23)", cell=s))
    return dt.time(h, mi, se), bool(ampm)


_DATETIME_SPLIT = re.compile(r"^(\S+(?:\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4}|,?\s+\d{1,2},?\s+\d{4})?)[T\s]+(.+)$")


def split_datetime(value: Any) -> tuple[Any, Any | None]:
    """A cell holding a date and maybe a time → (date part, time part or None)."""
    if isinstance(value, str):
        return _split_datetime_text(value)
    return _split_datetime(value)


@functools.lru_cache(maxsize=65536)
def _split_datetime_text(value: str) -> tuple[Any, Any | None]:
    return _split_datetime(value)


def _split_datetime(value: Any) -> tuple[Any, Any | None]:
    if isinstance(value, dt.datetime):
        return value.date(), value.time()
    if isinstance(value, dt.date):
        return value, None
    s = str(value).strip()
    if "T" in s and _ISO_D.match(s.split("T", 1)[0]):
        return s.split("T", 1)
    parts = s.split()
    if len(parts) >= 2:
        # try the longest date prefix that parses, the rest is the time
        for k in range(min(4, len(parts) - 1), 0, -1):
            head, tail = " ".join(parts[:k]), " ".join(parts[k:])
            try:
                split_date(head)
            except CellError:
                continue
            return head, tail
    return s, None


_ISO_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def local_epoch(day: dt.date, t: dt.time, tz: str) -> int:
    return int(dt.datetime.combine(day, t, tzinfo=_zone(tz)).timestamp())


@functools.lru_cache(maxsize=64)
def _zone(tz: str):
    return timeutil.zone(tz)


_DUR_HMS = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?$")
_DUR_UNITS = re.compile(
    r"^(?:(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*(?:(\d+(?:[.,]\d+)?)\s*(?:m|min|mins|minute|minutes))?"
    r"\s*(?:(\d+)\s*(?:s|sec|secs|seconds))?$", re.I)
_PLAIN_NUM = re.compile(r"^\d+(?:[.,]\d+)?$")


def parse_duration(value: Any, unit: str | None) -> int:
    """A duration → seconds. ``1:30`` and ``1:30:00`` are h:mm(:ss); ``1.5h``, ``90m``,
    ``1h 30m`` carry their unit; a plain number needs ``unit`` (``minutes``/``hours``)."""
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds())
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        value = str(value)
    s = str(value).strip()
    if not s:
        raise CellError(say("cell.duration_needed", "a duration is needed here"))
    m = _DUR_HMS.match(s)
    if m:
        mins, secs = int(m.group(2)), int(m.group(3) or 0)
        if mins > 59 or secs > 59:
            raise CellError(say("cell.not_hmm", "'{cell}' is not a duration in h:mm", cell=s))
        return int(m.group(1)) * 3600 + mins * 60 + secs
    if _PLAIN_NUM.match(s):
        if unit not in ("minutes", "hours"):
            raise CellError(say("import.duration_no_unit", "'{cell}' has no unit: say whether durations are minutes "
                                "or hours with {fix} (or write 90m / 1.5h)", cell=s, fix=fix("duration_unit")))
        n = Decimal(s.replace(",", "."))
        return int(n * (60 if unit == "minutes" else 3600))
    m = _DUR_UNITS.match(s)
    if m and any(m.groups()):
        h = Decimal((m.group(1) or "0").replace(",", "."))
        mi = Decimal((m.group(2) or "0").replace(",", "."))
        return int(h * 3600 + mi * 60 + int(m.group(3) or 0))
    raise CellError(say("cell.not_duration", "'{cell}' is not a duration; write it as 1:30, 90m or 1.5h", cell=s))


# ---------------------------------------------------------------------------------------
# money
_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₱": "PHP", "₹": "INR", "₺": "TRY",
            "KSH": "KES", "KSh": "KES", "Ksh": "KES", "₦": "NGN", "R$": "BRL", "¥": "CNY", "Bs": "VES"}
_SYM_RE = re.compile(r"US\$|R\$|KSh|Ksh|KSH|Bs|[$€£₱₹₺₦¥]|\b[A-Z]{3}\b")


@dataclass
class AmountText:
    digits: str  # sign-free number text with its separators
    negative: bool
    currency: str | None
    style: str  # 'dot' | 'comma' | 'none' | 'amb'


def split_amount(value: Any) -> AmountText | None:
    """Classify an amount cell: number text, sign, currency and decimal style. Blank → None."""
    if isinstance(value, str):
        return _amount_text(value)
    return _split_amount(value)


@functools.lru_cache(maxsize=65536)
def _amount_text(value: str) -> AmountText | None:
    return _split_amount(value)


def _split_amount(value: Any) -> AmountText | None:
    if value is None:
        return None
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        d = Decimal(value)
        return AmountText(format(abs(d), "f"), d < 0, None, "dot")
    if isinstance(value, float):
        d = Decimal(repr(value))
        return AmountText(format(abs(d), "f"), d < 0, None, "dot")
    s = str(value).strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not s:
        return None
    currency = None
    for m in _SYM_RE.finditer(s):
        tok = m.group(0)
        code = _SYMBOLS.get(tok, tok if re.fullmatch(r"[A-Z]{3}", tok) else None)
        if code:
            if currency and currency != code:
                raise CellError(say("cell.two_currencies", "'{cell}' names two currencies", cell=s))
            currency = code
    body = _SYM_RE.sub("", s).strip()
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip()
    if body.startswith("-") or body.startswith("\u2212"):
        negative, body = True, body[1:].strip()
    elif body.endswith("-"):
        negative, body = True, body[:-1].strip()
    if body.startswith("+"):
        body = body[1:].strip()
    if (" " in body or "'" in body) and not re.fullmatch(r"\d{1,3}(?:[ ']\d{3})+(?:[.,]\d+)?", body):
        raise CellError(say("cell.odd_groups_space", "'{cell}' is not an amount: its digits are grouped oddly; write it "
                            "like 1 234,50 or 1234.50", cell=s))
    body = body.replace(" ", "").replace("'", "")
    if not re.fullmatch(r"\d[\d.,]*|[.,]\d+", body):
        raise CellError(say("cell.not_amount", "'{cell}' is not an amount; write it like 12.50, $12.50 or 12,50 €", cell=s))
    dots, commas = body.count("."), body.count(",")
    _check_groups(body, s)
    if dots and commas:
        style = "dot" if body.rfind(".") > body.rfind(",") else "comma"
    elif dots > 1:
        style = "comma"  # 1.250.000 : dots are thousands separators
    elif commas > 1:
        style = "dot"
    elif dots == 1 or commas == 1:
        sep = "." if dots else ","
        after = body.split(sep)[1]
        if len(after) == 3 and body.split(sep)[0] not in ("", "0"):
            style = "amb"
        else:
            style = "dot" if sep == "." else "comma"
    else:
        style = "none"
    return AmountText(body, negative, currency, style)


def _check_groups(body: str, shown: str) -> None:
    """Thousands separators must group digits as people do: 1,234,567 or (India)
    12,34,567. Anything else ('1,2,3', '12,34.5,6') is refused rather than read as a
    number the cell never meant."""
    seps = [c for c in body if c in ".,"]
    if len(seps) < 2:
        return
    last = seps[-1]
    if len(set(seps)) == 2:  # both: the last one is the decimal point, the other groups
        if seps.count(last) > 1:
            raise CellError(say("cell.mixed_separators", "'{cell}' is not an amount: its separators are mixed up; write it "
                                "like 1,234.50", cell=shown))
        whole = body[:body.rfind(last)]
        group = "," if last == "." else "."
    else:  # one kind, several times: they group the digits (1.250.000 or 1,250,000)
        whole, group = body, last
    parts = whole.split(group)
    western = 1 <= len(parts[0]) <= 3 and all(len(x) == 3 for x in parts[1:])
    indian = len(parts) > 2 and 1 <= len(parts[0]) <= 2 and all(len(x) == 2 for x in parts[1:-1]) \
        and len(parts[-1]) == 3
    if not (western or indian):
        raise CellError(say("cell.odd_groups", "'{cell}' is not an amount: its digits are grouped oddly; write it like "
                            "1,234.50 or 1.234,50 (or without a thousands separator)", cell=shown))


def decide_decimal_comma(cells: Iterable[tuple[int, AmountText]], option: bool | None,
                         file: str, column: str) -> tuple[bool | None, list[Problem]]:
    """Decide the decimal separator of a whole column, or ask (see :func:`decide_day_first`)."""
    problems: list[Problem] = []
    dot, comma, amb = [], [], []
    for line, c in cells:
        {"dot": dot, "comma": comma, "amb": amb}.get(c.style, []).append(line)
    if option is not None:
        return option, problems
    if dot and comma:
        return None, _mixed(file, column, dot, comma, "a dot", "a comma",
                            lambda most: say("import.mixed_numbers", "mixed number formats: most amounts in this "
                                             "column use {most} for decimals but this one does not; fix it or {fix}",
                                             most=most, fix=fix("decimal_comma_set")))
    if comma:
        return True, problems
    if dot:
        return False, problems
    if amb:
        problems.append(Problem(file, amb[0], column,
                                say("import.decimal_unknown", "an amount like this could be thousands or decimals "
                                    "(1,250 = 1250 or 1.25?); {fix}", fix=fix("decimal_comma_which"))))
    return None, problems


def resolve_amount(c: AmountText, decimal_comma: bool | None, *, allow_negative: bool = False) -> Decimal:
    body = c.digits
    if c.style == "amb" and decimal_comma is None:
        raise CellError(say("import.decimal_separator_unknown", "decimal separator unknown; {fix}",
                            fix=fix("decimal_comma_set")))
    if decimal_comma is None:
        decimal_comma = c.style == "comma"
    if decimal_comma:
        body = body.replace(".", "").replace(",", ".")
    else:
        body = body.replace(",", "")
    try:
        value = Decimal(body)
    except InvalidOperation as exc:
        raise CellError(say("cell.not_a_number", "'{cell}' is not an amount", cell=c.digits)) from exc
    if c.negative:
        value = -value
    if value < 0 and not allow_negative:
        raise CellError(say("cell.negative", "'{cell}' is negative; pay must be 0 or more", cell="-" + c.digits))
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        raise CellError(say("cell.too_precise", "'{cell}' has more than 6 decimal places", cell=c.digits))
    return value


def check_currency(code: str) -> str:
    try:
        return money.check_currency(code)
    except money.MoneyError as exc:
        raise CellError(str(exc)) from exc


# ---------------------------------------------------------------------------------------
# kinds and statuses
KIND_WORDS: dict[str, str] = {
    **{k: k for k in KINDS},
    "task": "tasking", "tasks": "tasking", "work": "tasking", "working": "tasking", "labeling": "tasking",
    "labelling": "tasking", "annotation": "tasking", "rating": "tasking", "ranking": "tasking",
    "attempt": "tasking", "attempter": "tasking",
    "reviewing": "review", "reviewer": "review", "qa": "review", "audit": "review",
    "train": "training", "training task": "training", "training tasks": "training",
    "onboard": "onboarding", "course": "onboarding",
    "test": "assessment", "qual": "assessment", "qualification": "assessment", "quiz": "assessment",
    "exam": "assessment", "assessments": "assessment",
    "instruction": "instructions", "reading": "instructions", "docs": "instructions", "guidelines": "instructions",
    "meetings": "meeting", "call": "meeting", "standup": "meeting", "stand up": "meeting", "webinar": "meeting",
    "support": "admin", "payment": "admin", "payments": "admin", "ticket": "admin",
    "wait": "waiting", "searching": "waiting", "search": "waiting", "looking for tasks": "waiting",
    "queue": "waiting", "eq": "waiting", "refreshing": "waiting",
}
STATUS_WORDS: dict[str, str] = {
    **{s: s for s in STATUSES},
    "approved": "paid", "accepted": "paid", "done": "paid", "completed": "paid", "complete": "paid",
    "submitted": "pending", "in review": "pending", "under review": "pending", "awaiting": "pending",
    "pending approval": "pending", "declined": "rejected", "refused": "rejected", "denied": "rejected",
    "abandoned": "returned", "expired": "returned", "timed out": "returned", "timeout": "returned",
    "crashed": "lost", "crash": "lost", "failed": "lost", "error": "lost",
    "cap": "capped", "over cap": "capped", "over time": "capped", "not paid": "unpaid", "free": "unpaid",
}


@functools.lru_cache(maxsize=1024)
def _kind_text(value: str) -> str | None:
    return _parse_word(value, KIND_WORDS, "a kind of work", KINDS)


@functools.lru_cache(maxsize=1024)
def _status_text(value: str) -> str | None:
    return _parse_word(value, STATUS_WORDS, "a status", STATUSES)


def _parse_word(value: Any, words: dict[str, str], what: str, allowed) -> str | None:
    s = norm(str(value or ""))
    if not s:
        return None
    got = words.get(s)
    if got is None:
        raise CellError(f"'{value}' is not {what}; use one of: {', '.join(allowed)}")
    return got


def parse_kind(value: Any) -> str | None:
    return _kind_text(value if isinstance(value, str) else str(value or ""))


def parse_status(value: Any) -> str | None:
    return _status_text(value if isinstance(value, str) else str(value or ""))


def yes_no(value: Any, name: str) -> bool | None:
    """Option values yes/no/true/false/1/0 (None stays None)."""
    if value is None or isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("yes", "y", "true", "1", "on"):
        return True
    if s in ("no", "n", "false", "0", "off"):
        return False
    if s in ("", "auto"):
        return None
    raise ValueError(f"--{name.replace('_', '-')} must be yes or no, not '{value}'")


# ---------------------------------------------------------------------------------------
# output
@dataclass
class Tables:
    """Rows collected for the bundle tables (all values strings), with their source lines."""

    file: str
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)

    def add(self, table: str, columns: list[str], line: int, values: dict[str, Any]) -> None:
        self.columns.setdefault(table, columns)
        get = values.get
        row = [_s(get(c)) for c in columns]
        row.append(line)
        self.rows.setdefault(table, []).append(row)

    def frames(self) -> dict[str, pd.DataFrame]:
        out = {}
        for table, rows in self.rows.items():
            cols = self.columns[table] + ["_line"]
            df = pd.DataFrame(rows, columns=cols, dtype=object)
            df["_line"] = df["_line"].astype(int)
            df.attrs["file"] = self.file
            out[table] = df
        return out


def _s(v: Any) -> str:
    if v is None:
        return ""
    if type(v) is str:
        return v
    if isinstance(v, Decimal):
        return money.format_amount(v) or ""
    return str(v)


def iso_local(epoch: int, tz: str) -> str:
    """Epoch seconds → ISO 8601 local time with its offset (as timeutil.format_local)."""
    return dt.datetime.fromtimestamp(int(epoch), tz=_zone(tz)).isoformat()


def new_projects(tables: Tables, pairs: dict[tuple[str, str], tuple[int, str, str]]) -> None:
    """Emit a ``projects`` row for each (platform, project): pay_model and currency given.

    ``pairs`` maps (platform, project) → (first line, pay_model, currency)."""
    for (platform, project), (line, pay_model, currency) in pairs.items():
        tables.add("projects", PROJECT_COLUMNS, line,
                   {"platform": platform, "project": project, "pay_model": pay_model, "currency": currency})


def iter_cells(rows: Sequence[tuple[int, list[Any]]], idx: int | None) -> Iterator[tuple[int, Any]]:
    if idx is None:
        return
    for line, rec in rows:
        v = rec[idx] if idx < len(rec) else ""
        if v is not None and str(v).strip() != "":
            yield line, v


__all__ = [
    "Problem", "CellError", "FormatMismatch", "Sheet", "read_sheet", "header_signature", "find_column",
    "split_date", "decide_day_first", "resolve_date", "parse_time_of_day", "split_datetime", "parse_duration",
    "split_amount", "decide_decimal_comma", "resolve_amount", "parse_kind", "parse_status", "yes_no",
    "Tables", "iso_local", "new_projects", "BILLABLE_KINDS",
]


# ---------------------------------------------------------------------------------------
# marks an importer writes at the end of a note
ESTIMATED = N_("[duration estimated]")
"""MTurk: a HIT placed back to back from midnight (``--hit-minutes``): its times are a guess."""
UNTIMED = N_("[time of day not recorded]")
"""A spreadsheet row without a time of day, placed from the day's start."""


def marked(note: str, mark: str) -> str:
    """``note`` with ``mark`` at its end, in the language in use: the note is the worker's to
    read (docs/languages.md, "Notes an import writes")."""
    return f"{note} {_(mark)}" if note else _(mark)


@functools.lru_cache(maxsize=None)
def mark_forms(mark: str) -> tuple[str, ...]:
    """``mark`` in every language taskerlog speaks (English first)."""
    forms = []
    for code in LANGUAGES:
        with using(code):
            forms.append(_(mark))
    return tuple(dict.fromkeys(forms))


def unmarked(note: str, mark: str) -> str | None:
    """``note`` without ``mark`` at its end, in whichever language it was written; None when it
    has no such mark. Two notes that differ only in the mark's language are the same note."""
    for form in mark_forms(mark):
        if note.endswith(form):
            return note[: -len(form)].rstrip()
    return None


def numbers_listed(ns: list[int]) -> str:
    """Line or HIT numbers for a note: the first 20, then "..."."""
    return ", ".join(str(n) for n in ns[:20]) + (" ..." if len(ns) > 20 else "")
