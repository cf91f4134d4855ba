"""Toggl Track and Clockify "detailed" CSV exports.

Both are read by the spreadsheet engine with a preset mapping, matching columns by
name (a currency in the header such as ``Amount (USD)`` is understood; dates in the
user's locale are decided for the whole file, or asked about with ``--day-first``).

The rule (documented in docs/importers.md):
- platform = Client (else ``--platform``); project = Project;
- kind = the first tag that names a kind (``onboarding``, ``test``, ``qa``...), else a
  description that is exactly a kind word, else ``--kind`` (default ``tasking``);
- note = Description (plus the Task, when there is one);
- pay = the exported amount when above 0 (it is what the tracker computed from the rate
  the worker set), else blank so the logbook derives it from the project's rates;
- every new project is created hourly, in the amount's currency.

Rows that are not work are left out, each kind counted in one note for the preview: a
break (Clockify's ``Type`` = Break, or a row tagged ``break``) and a zero-length entry (a
timer started and stopped at once, exported as 00:00:00). Rows without a Client, when no
``--platform`` is given, are one question for the whole file, not one problem per row.
"""

from __future__ import annotations

from ..model import Logbook
from ..problems import fix, nsay, say
from ._common import (
    CellError, FormatMismatch, Problem, Sheet, Tables, find_column, norm, numbers_listed, parse_duration,
)
from .spreadsheet import Options, duration_unit_hint, read_work

TOGGL = {
    "platform": ("Client",),
    "project": ("Project",),
    "date": ("Start date",),
    "start": ("Start time",),
    "end_date": ("End date", "Stop date"),
    "end": ("End time", "Stop time"),
    "duration": ("Duration",),
    "tags": ("Tags",),
    "note": ("Description",),
    "pay": ("Amount", "Billable amount", "Amount ()"),
}
CLOCKIFY = {
    "platform": ("Client",),
    "project": ("Project",),
    "date": ("Start Date",),
    "start": ("Start Time",),
    "end_date": ("End Date",),
    "end": ("End Time",),
    "duration": ("Duration (h)", "Duration (decimal)", "Duration"),
    "tags": ("Tags",),
    "note": ("Description",),
    "pay": ("Billable Amount", "Amount"),
}
REQUIRED = ("date", "start", "duration")


def _mapping(sheet: Sheet, preset: dict[str, tuple[str, ...]], fmt: str) -> dict[str, str]:
    out = {}
    for fld, names in preset.items():
        i = find_column(sheet.header, *names)
        if i is not None:
            out[fld] = sheet.header[i]
    missing = [preset[f][0] for f in REQUIRED if f not in out]
    if missing:
        raise FormatMismatch(f"this does not look like a {fmt} detailed CSV export: it has no "
                             f"{', '.join(repr(m) for m in missing)} column")
    return out


def _cell(rec: list, i: int | None) -> str:
    return "" if i is None or i >= len(rec) or rec[i] is None else str(rec[i]).strip()


#: what a type / kind / tag cell says for a break (not work)
BREAK_WORDS = frozenset({"break", "lunch", "lunch break", "coffee break", "pause", "rest", "tea break"})


def leave_out(sheet: Sheet, mapping: dict[str, str], opts: Options, notes: list[str]) -> None:
    """Drop the rows that are not work from ``sheet``, with a note saying how many and which
    lines: breaks (the kind or ``Type`` column, or a tag, says break/lunch/pause, or a
    ``Break`` column says yes) and
    zero-length entries (a duration of 0). Spreadsheets use it too."""
    h = sheet.header
    unit = opts.duration_unit or (duration_unit_hint(mapping["duration"]) if "duration" in mapping else None)
    kind_col = mapping.get("kind")
    type_i = h.index(kind_col) if kind_col in h else find_column(h, "Type")
    tags_i = h.index(mapping["tags"]) if mapping.get("tags") in h else None
    dur_i = h.index(mapping["duration"]) if mapping.get("duration") in h else None
    flag_i = find_column(h, "Break", "Is break")  # a yes/no column some exports have instead of a Type
    breaks, zero, keep = [], [], []
    is_break: dict[str, bool] = {}  # per distinct cell text: a big sheet repeats a few kinds and tags
    is_zero: dict[str, bool] = {}
    for line, rec in sheet.rows:
        kind, tags, dur = _cell(rec, type_i), _cell(rec, tags_i), _cell(rec, dur_i)
        for text, split in ((kind, False), (tags, True)):
            if text and text not in is_break:
                words = {norm(t) for t in text.split(",")} if split else {norm(text)}
                is_break[text] = bool(words & BREAK_WORDS)
        if (kind and is_break[kind]) or (tags and is_break[tags]) or \
                (flag_i is not None and _cell(rec, flag_i).lower() in ("yes", "true", "1", "y")):
            breaks.append(line)
            continue
        if dur and dur not in is_zero:
            try:
                is_zero[dur] = parse_duration(dur, unit) == 0
            except CellError:
                is_zero[dur] = False  # read_work names the problem
        if dur and is_zero[dur]:
            zero.append(line)
            continue
        keep.append((line, rec))
    if breaks:
        notes.append(nsay("import.breaks_left_out", "{file}: left out {n} break: a break is not work; line {lines}",
                          "{file}: left out {n} breaks: a break is not work; lines {lines}", n=len(breaks),
                          file=sheet.name, lines=numbers_listed(breaks)))
    if zero:
        notes.append(nsay("import.zero_left_out", "{file}: left out {n} zero-length entry (a timer started and "
                          "stopped at once, 00:00:00); line {lines}", "{file}: left out {n} zero-length entries (a "
                          "timer started and stopped at once, 00:00:00); lines {lines}", n=len(zero),
                          file=sheet.name, lines=numbers_listed(zero)))
    sheet.rows[:] = keep


def no_platform(sheet: Sheet, mapping: dict[str, str], opts: Options) -> Problem | None:
    """One question for the file when rows have no platform (Client) and no --platform was
    given, instead of the same problem on every row (spreadsheets use it too)."""
    if opts.platform:
        return None
    i = sheet.header.index(mapping["platform"]) if "platform" in mapping else None
    blank = [line for line, rec in sheet.rows if not _cell(rec, i)]
    if not blank:
        return None
    if i is None:
        said = say("import.no_client_column", "which platform is this? this file has no Client column; {fix}",
                   fix=fix("platform_say"))
    else:
        said = nsay("import.empty_client", "which platform is this? {n} row has an empty {column} column; {fix}, or "
                    "fill the column in", "which platform is this? {n} rows have an empty {column} column; {fix}, or "
                    "fill the column in", n=len(blank), column=sheet.header[i], fix=fix("platform_say"))
    return Problem(sheet.name, blank[0], sheet.header[i] if i is not None else "", said)


def read_tracker(sheet: Sheet, fmt: str, settings: Logbook, opts: Options,
                 notes: list[str] | None = None) -> tuple[Tables, list[Problem]]:
    preset = TOGGL if fmt == "toggl" else CLOCKIFY
    mapping = _mapping(sheet, preset, "Toggl Track" if fmt == "toggl" else "Clockify")
    if fmt == "clockify" and "duration" in mapping and "decimal" in mapping["duration"].lower():
        opts.duration_unit = opts.duration_unit or "hours"
    opts.kind_from_tags = True
    opts.zero_pay_is_blank = True
    leave_out(sheet, mapping, opts, notes if notes is not None else opts.notes)
    if (question := no_platform(sheet, mapping, opts)) is not None:
        return Tables(sheet.name), [question]
    task_col = find_column(sheet.header, "Task")
    if task_col is not None:  # fold the Task into the note
        note_i = sheet.header.index(mapping["note"]) if "note" in mapping else None
        for _, rec in sheet.rows:
            task = str(rec[task_col]).strip() if task_col < len(rec) else ""
            if task and note_i is not None and note_i < len(rec):
                rec[note_i] = f"{rec[note_i]} ({task})".strip() if str(rec[note_i]).strip() else task
    return read_work(sheet, mapping, settings, opts)
