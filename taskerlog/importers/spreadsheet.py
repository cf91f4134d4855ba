"""Any spreadsheet (CSV or XLSX) of work, once its columns are mapped to logbook fields.

A *mapping* says which column holds which field (``{"date": "Day", "duration": "Hours"}``).
Columns with obvious names are mapped automatically; the worker can override or complete
the mapping, and the shells save it beside the logbook keyed by the file's header
signature, so the next export of the same sheet needs nothing.

The same engine reads the Toggl and Clockify exports with a preset mapping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

from ..i18n import N_
from ..model import BILLABLE_KINDS, Logbook
from ..problems import fix, problems_of, say
from ._common import (
    PROJECT_COLUMNS, UNTIMED, WORK_COLUMNS, CellError, Problem, Sheet, Tables, check_currency, currency_in_header,
    decide_day_first, decide_decimal_comma, iso_local, local_epoch, marked, norm, parse_duration, parse_kind,
    parse_status, parse_time_of_day, resolve_amount, resolve_date, split_amount, split_date, split_datetime,
)

#: the fields a column can be mapped to, and what each means
FIELDS: dict[str, str] = {  # what each field holds, shown in the worker's language (``_()``)
    "date": N_("the day the work started (or put date and time together in start)"),
    "start": N_("when the work started: a time of day (09:00, 1:05 PM) or a date and time"),
    "end": N_("when it ended: a time of day or a date and time"),
    "end_date": N_("the day it ended, when a separate column holds it"),
    "duration": N_("how long: 1:30, 90m, 1.5h (plain numbers need the duration unit option)"),
    "platform": N_("the platform (Outlier, Remotasks...); else the platform option"),
    "project": N_("the project's name on that platform"),
    "kind": N_("tasking, review, training, onboarding, assessment, instructions, meeting, admin, waiting"),
    "tags": N_("tags; the first one that names a kind sets the kind"),
    "pay": N_("what the entry earned ($12.50, 12,50 €, KES 1,250)"),
    "currency": N_("the currency of pay (USD, KES...)"),
    "units": N_("number of tasks or items"),
    "status": N_("paid, pending, rejected, returned, lost, capped, unpaid (approved, submitted... are understood)"),
    "external_id": N_("the platform's task or HIT id"),
    "note": N_("a note or description"),
}

#: header names recognised without a mapping (compared after normalising case and punctuation)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "work date", "start date", "started on"),
    "start": ("start", "start time", "from", "begin", "began", "started", "started at", "clock in", "time in",
              "start datetime"),
    "end": ("end", "end time", "to", "stop", "stop time", "finish", "finished", "ended", "ended at", "clock out",
            "time out", "end datetime"),
    "end_date": ("end date", "stop date", "finish date"),
    "duration": ("duration", "duration h", "hours", "hours worked", "time spent", "minutes", "mins",
                 "duration minutes", "duration hours", "time worked", "length"),
    "platform": ("platform", "client", "company", "site", "marketplace"),
    "project": ("project", "project name", "campaign"),
    "kind": ("kind", "type", "activity", "work type", "category", "task type", "what"),
    "tags": ("tags", "tag", "labels"),
    "pay": ("pay", "earnings", "earned", "amount", "payment", "income", "reward", "billable amount", "paid amount"),
    "currency": ("currency", "curr"),
    "units": ("units", "tasks", "items", "count", "tasks done", "quantity", "number of tasks", "tasks completed"),
    "status": ("status", "state"),
    "external_id": ("external id", "task id", "hit id", "assignment id", "id"),
    "note": ("note", "notes", "description", "comment", "comments", "details", "memo"),
}


class MappingError(ValueError):
    """The mapping names a field or column that does not exist."""


def parse_mapping(text: str | dict | None) -> dict[str, str]:
    """``"Day=date, Hours=duration"`` (column=field) or a dict field→column → dict field→column."""
    if text is None or text == "":
        return {}
    if isinstance(text, dict):
        out = dict(text)
    else:
        out = {}
        for part in str(text).split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise MappingError(say("import.mapping_syntax", "'{part}' is not COLUMN=FIELD; write e.g. {fix}",
                                       part=part.strip(), fix=fix("mapping", example="Day=date,Hours=duration")))
            col, fld = part.rsplit("=", 1)
            out[fld.strip()] = col.strip()
    bad = [f for f in out if f not in FIELDS]
    if bad:
        raise MappingError(say("import.unknown_field", "unknown field {names}; fields are: {fields}",
                               names=", ".join(repr(b) for b in bad), fields=", ".join(FIELDS)))
    return out


def auto_mapping(header: Sequence[str]) -> dict[str, str]:
    """Map columns whose names are obvious (see :data:`SYNONYMS`); first match wins."""
    out: dict[str, str] = {}
    used: set[int] = set()
    normed = [norm(h.replace("(", " ").replace(")", " ")) for h in header]
    stripped = [norm(_strip_currency(h)) for h in header]
    for fld, names in SYNONYMS.items():
        for name in names:
            hit = next((i for i, (a, b) in enumerate(zip(normed, stripped))
                        if i not in used and (a == name or b == name)), None)
            if hit is not None:
                out[fld] = header[hit]
                used.add(hit)
                break
    return out


def _strip_currency(h: str) -> str:
    import re
    return re.sub(r"\(([A-Za-z]{3})\)", "", h)


@dataclass
class Options:
    """What the worker told the importer (each ambiguity has an option to settle it)."""

    platform: str | None = None
    day_first: bool | None = None
    decimal_comma: bool | None = None
    duration_unit: str | None = None  # minutes | hours
    currency: str | None = None
    timezone: str | None = None
    default_kind: str = "tasking"
    pay_model: str = "hourly"
    day_starts_at: dt.time = dt.time(9, 0)
    today: dt.date | None = None
    kind_from_tags: bool = False
    zero_pay_is_blank: bool = False
    notes: list[str] = field(default_factory=list)


def duration_unit_hint(header_name: str) -> str | None:
    n = norm(header_name)
    if any(w in n.split() for w in ("minutes", "mins", "min", "m", "minutos", "minutes", "dakika", "minuto")):
        return "minutes"
    if any(w in n.split() for w in ("hours", "hrs", "h", "decimal", "horas", "heures", "saat", "oras")):
        return "hours"
    return None


def read_work(sheet: Sheet, mapping: dict[str, str], settings: Logbook, opts: Options) -> tuple[Tables, list[Problem]]:
    """Turn mapped rows into ``work`` (and ``projects``) bundle rows, or problems."""
    file = sheet.name
    problems: list[Problem] = []
    tables = Tables(file)
    header = sheet.header
    idx: dict[str, int] = {}
    for fld, col in mapping.items():
        if col not in header:
            problems.append(Problem(file, 1, col, say(
                "import.mapped_column_missing", "the mapping puts {field} in column '{column}', which this file does "
                "not have; its columns are: {columns}", field=fld, column=col, columns=", ".join(header))))
        else:
            idx[fld] = header.index(col)
    if problems:
        return tables, problems
    if "date" not in idx and "start" not in idx:
        return tables, [Problem(file, 1, "", say("import.no_when", "no column says when the work happened; map one "
                                                 "with {fix} (or =start); columns are: {columns}",
                                                 fix=fix("mapping", example="YourColumn=date"),
                                                 columns=", ".join(header)))]
    if "end" not in idx and "duration" not in idx:
        return tables, [Problem(file, 1, "", say("import.no_how_long", "no column says how long the work took; map "
                                                 "an end time or a duration with {fix} (or YourColumn=duration)",
                                                 fix=fix("mapping", example="YourColumn=end")))]
    if "platform" not in idx and not opts.platform:
        return tables, [Problem(file, 1, "", say("import.no_platform", "which platform is this work for? {fix}",
                                                 fix=fix("platform_or_column")))]
    tz = opts.timezone or settings.timezone
    unit = opts.duration_unit or (duration_unit_hint(header[idx["duration"]]) if "duration" in idx else None)
    header_currency = currency_in_header(header[idx["pay"]]) if "pay" in idx else None

    def _clean(v: Any) -> Any:
        return "" if v is None else (v.strip() if isinstance(v, str) else v)

    # column-wise: each mapped field's cells, cleaned once
    colv: dict[str, list[Any]] = {
        fld: [_clean(rec[i]) if i < len(rec) else "" for _, rec in sheet.rows] for fld, i in idx.items()}
    blank = [""] * len(sheet.rows)

    def cell(k: int, fld: str) -> Any:
        return colv.get(fld, blank)[k]

    if "duration" in idx and unit is None:
        plain = [line for k, (line, _) in enumerate(sheet.rows) if _is_plain_number(cell(k, "duration"))]
        if plain:
            return tables, [Problem(file, plain[0], header[idx["duration"]],
                                    say("import.durations_no_unit", "durations like this have no unit ({rows} such "
                                        "rows): say whether they are minutes or hours with {fix} (or write 90m / 1.5h)",
                                        rows=len(plain), fix=fix("duration_unit")))]

    # pass 1: split dates and amounts so the whole column decides D/M order and decimal commas
    date_cells: list[tuple[int, Any]] = []
    split_cache: dict[Any, Any] = {}
    parts: list[dict[str, Any]] = []
    amounts: list[tuple[int, Any]] = []
    row_errors: dict[int, Problem] = {}

    def sdate(line: int, col: str, value: Any):
        key = value if isinstance(value, str) else repr(value)
        got = split_cache.get(key)
        if got is None:
            got = split_date(value)
            split_cache[key] = got
        date_cells.append((line, got))
        return got

    for k, (line, rec) in enumerate(sheet.rows):
        p: dict[str, Any] = {"line": line, "k": k}
        cur = None
        try:
            for fld in ("date", "start", "end", "end_date"):
                cur = fld
                v = cell(k, fld)
                if v == "":
                    continue
                if fld in ("start", "end"):
                    dpart, tpart = split_datetime(v)
                    if tpart is None:  # only a time of day
                        p[fld + "_time"] = v
                    else:
                        p[fld + "_date"] = sdate(line, header[idx[fld]], dpart)
                        p[fld + "_time"] = tpart
                else:
                    p[fld] = sdate(line, header[idx[fld]], v)
            cur = "pay"
            pay = cell(k, "pay")
            if pay != "":
                a = split_amount(pay)
                if a is not None:
                    p["pay"] = a
                    amounts.append((line, a))
        except CellError as exc:
            row_errors[line] = Problem(file, line, _colname(cur, header, idx), str(exc))
        parts.append(p)

    date_col = header[idx["date"]] if "date" in idx else header[idx["start"]]
    day_first, dp = decide_day_first(date_cells, opts.day_first, file, date_col)
    problems.extend(dp)
    pay_col = header[idx["pay"]] if "pay" in idx else "pay"
    dec_comma, mp = decide_decimal_comma(amounts, opts.decimal_comma, file, pay_col)
    problems.extend(mp)
    flagged = {p.line for p in problems}

    # pass 2: build entries
    stack: dict[tuple[str, dt.date], int] = {}  # where the next untimed entry of a day starts
    new_projects: dict[tuple[str, str], tuple[int, str, str]] = {}
    default_currency = opts.currency or header_currency
    for p in parts:
        line, k = p["line"], p["k"]
        if line in row_errors:
            problems.append(row_errors[line])
            continue
        if line in flagged:
            continue
        col = None
        try:
            col = "platform"
            platform = str(cell(k, "platform") or opts.platform or "").strip()
            if not platform:
                raise CellError(say("import.platform_needed", "a platform is needed; fill it in or {fix}",
                                    fix=fix("platform_add")))
            col = "project"
            project = str(cell(k, "project") or "").strip()
            col = "kind"
            kind = None
            if opts.kind_from_tags:
                kind = _kind_from_tags(cell(k, "tags"), cell(k, "note"))
            else:
                kind = parse_kind(cell(k, "kind"))
            kind = kind or opts.default_kind
            col = "status"
            status = parse_status(cell(k, "status"))
            col = "date"
            day = resolve_date(p["date"], day_first, today=opts.today) if "date" in p else None
            col = "start"
            sday = resolve_date(p["start_date"], day_first, today=opts.today) if "start_date" in p else day
            if sday is None:
                raise CellError(say("import.time_no_day", "a date is needed: this row has a time but no day"))
            stime = parse_time_of_day(p["start_time"])[0] if "start_time" in p else None
            col = "duration"
            dur = parse_duration(cell(k, "duration"), unit) if cell(k, "duration") != "" else None
            if dur is not None and dur <= 0:
                raise CellError(say("import.zero_duration", "the duration is 0; an entry needs some time"))
            col = "end"
            end = None
            eday_explicit = "end_date" in p or "end_date" in idx and cell(k, "end_date") != ""
            if "end_time" in p:
                eday = (resolve_date(p["end_date"], day_first, today=opts.today) if "end_date" in p else sday)
                etime, _ = parse_time_of_day(p["end_time"])
            note = str(cell(k, "note") or "").strip()
            if stime is None:
                if dur is None:
                    raise CellError(say("import.no_start_no_duration", "this row has no start time and no duration; "
                                        "fill one in"))
                key = (platform, sday)
                start = stack.get(key) or local_epoch(sday, opts.day_starts_at, tz)
                stack[key] = start + dur
                note = marked(note, UNTIMED)
            else:
                start = local_epoch(sday, stime, tz)
            if "end_time" in p and stime is not None:
                end = local_epoch(eday, etime, tz)
                if end <= start and not eday_explicit:
                    overnight = local_epoch(eday + dt.timedelta(days=1), etime, tz)
                    if overnight - start <= 8 * 3600:
                        end = overnight  # crossed midnight
                    else:
                        raise CellError(say("import.ends_before_start", "ends ({end}) before it starts ({start}); an "
                                            "AM/PM slip? fix the time (work past midnight needs an end date)",
                                            end=_hm(etime), start=_hm(stime)))
                elif end <= start:
                    raise CellError(say("import.end_not_after", "the end is not after the start"))
                if dur is not None and abs((end - start) - dur) > 60:
                    col = "duration"
                    raise CellError(say("import.duration_mismatch", "the duration ({minutes} min) does not match "
                                        "start to end ({span} min); fix one of them", minutes=dur // 60,
                                        span=(end - start) // 60))
            elif dur is not None:
                end = start + dur
            else:
                raise CellError(say("import.no_end", "an end time or a duration is needed"))
            if end - start > 7 * 24 * 3600:
                col = "duration" if dur is not None else "end"
                raise CellError(say("import.too_long", "an entry longer than 7 days is almost certainly a typo"))
            col = "pay"
            pay = None
            currency = None
            if "pay" in p:
                pay = resolve_amount(p["pay"], dec_comma)
                currency = p["pay"].currency
                if opts.zero_pay_is_blank and pay == 0:
                    pay = None
            col = "currency"
            cur_cell = str(cell(k, "currency") or "").strip()
            if cur_cell:
                code = check_currency(cur_cell)
                if currency and currency != code:
                    raise CellError(say("import.two_currencies", "the pay says {pay} but the currency column says "
                                        "{column}", pay=currency, column=code))
                currency = code
            currency = currency or default_currency
            if pay is not None and currency is None:
                currency = settings.home_currency
            col = "units"
            units = cell(k, "units")
            if units != "":
                units = _int(units)
            col = "external_id"
            ext = str(cell(k, "external_id") or "").strip()
        except CellError as exc:
            msg = str(exc)
            asked = {p.fix.action for p in problems_of(exc) if p.fix}
            if (asked & {"day_first_set", "day_first_which"} and dp) or (
                    asked & {"decimal_comma_set", "decimal_comma_which"} and mp):
                continue  # the column-level question above already asks
            problems.append(Problem(file, line, _colname(col, header, idx), msg))
            continue
        if project and (platform, project) not in new_projects:
            new_projects[(platform, project)] = (line, opts.pay_model, currency or default_currency
                                                 or settings.home_currency)
        tables.add("work", WORK_COLUMNS, line, {
            "platform": platform, "project": project, "kind": kind, "start": iso_local(start, tz),
            "end": iso_local(end, tz), "units": units, "pay": pay, "currency": currency if pay is not None else "",
            "status": status, "external_id": ext, "note": note})
    for (platform, project), (line, pay_model, cur) in new_projects.items():
        tables.add("projects", PROJECT_COLUMNS, line,
                   {"platform": platform, "project": project, "pay_model": pay_model, "currency": cur})
    return tables, problems


def _is_plain_number(v: Any) -> bool:
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return True
    import re
    return bool(re.fullmatch(r"\d+(?:[.,]\d+)?", str(v).strip()))


def _hm(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _int(v: Any) -> int:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    s = str(v).strip()
    if s.isdigit():
        return int(s)
    if isinstance(v, (int, Decimal)) and int(v) == v and v >= 0:
        return int(v)
    raise CellError(say("import.not_units", "'{cell}' is not a whole number of tasks", cell=v))


def _kind_from_tags(tags: Any, description: Any) -> str | None:
    """Toggl/Clockify rule: the first tag naming a kind, else a description that is exactly a kind."""
    for tag in str(tags or "").replace(";", ",").split(","):
        try:
            k = parse_kind(tag)
        except CellError:
            continue
        if k:
            return k
    try:
        return parse_kind(description)
    except CellError:
        return None


def _colname(fld: str | None, header: Sequence[str], idx: dict[str, int]) -> str | None:
    if fld in idx:
        return header[idx[fld]]
    if fld == "start" and "start" not in idx and "date" in idx:
        return header[idx["date"]]
    return fld or ""


__all__ = ["FIELDS", "SYNONYMS", "Options", "parse_mapping", "auto_mapping", "read_work", "MappingError",
           "BILLABLE_KINDS"]
