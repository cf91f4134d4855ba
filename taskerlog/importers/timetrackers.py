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
"""

from __future__ import annotations

from ..model import Logbook
from ._common import FormatMismatch, Problem, Sheet, Tables, find_column
from .spreadsheet import Options, read_work

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


def read_tracker(sheet: Sheet, fmt: str, settings: Logbook, opts: Options) -> tuple[Tables, list[Problem]]:
    preset = TOGGL if fmt == "toggl" else CLOCKIFY
    mapping = _mapping(sheet, preset, "Toggl Track" if fmt == "toggl" else "Clockify")
    if fmt == "clockify" and "duration" in mapping and "decimal" in mapping["duration"].lower():
        opts.duration_unit = opts.duration_unit or "hours"
    opts.kind_from_tags = True
    opts.zero_pay_is_blank = True
    task_col = find_column(sheet.header, "Task")
    if task_col is not None:  # fold the Task into the note
        note_i = sheet.header.index(mapping["note"]) if "note" in mapping else None
        for _, rec in sheet.rows:
            task = str(rec[task_col]).strip() if task_col < len(rec) else ""
            if task and note_i is not None and note_i < len(rec):
                rec[note_i] = f"{rec[note_i]} ({task})".strip() if str(rec[note_i]).strip() else task
    return read_work(sheet, mapping, settings, opts)
