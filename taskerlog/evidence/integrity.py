"""How much each entry weighs as a record: when it was recorded, how, and what changed since.

Pure functions over plain values and journal entries (no store, no clock).

The rule (stated in every report, ``RULE``):
- ``running clock``: the entry came from taskerlog's running clock (started and stopped
  as the work began and ended);
- ``during the work``: typed in before the work's end;
- ``within 24 h``: typed in no later than ``window`` (24 hours) after the work's end;
- those three are **contemporaneous**;
- ``late``: typed in more than ``window`` after the end (the report says how much later);
- ``before the work``: typed in before the work started (a plan, not a record of it);
- ``imported``: read from a file (the source names it); the import's date is when taskerlog
  first saw it, which says nothing about when the platform or the worker recorded it.
Independently of that, an entry is **edited** when it was changed through taskerlog after
it was first recorded; the journal keeps each change's old and new values and time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from ..i18n import N_, _, ngettext

WINDOW_SECONDS = 24 * 3600

# the classes as entries.csv writes them (English, a contract); ``_(CLASS)`` shows one
CLOCK = N_("running clock")
DURING = N_("during the work")
SOON = N_("within 24 h")
LATE = N_("late")
EARLY = N_("before the work")
IMPORTED = N_("imported")
CONTEMPORANEOUS = (CLOCK, DURING, SOON)
CLASSES = (CLOCK, DURING, SOON, LATE, EARLY, IMPORTED)


def rule_text(window: int = WINDOW_SECONDS) -> str:
    h = window / 3600
    hours = ngettext("{n} hour", "{n} hours", int(h) if h == int(h) else 2).format(n=f"{h:g}")
    return _(
        "How each entry is classified. Contemporaneous: the entry came from taskerlog's running "
        "clock (started and stopped with the work), or was typed in before the work ended, or no "
        "later than {window} after it ended (recorded_at - end <= {window}). Late: typed in more than "
        "{window} after the work ended; the report says how much later. Before the work: typed in "
        "before the work started (a plan, not a record). Imported: read from a file; the import date "
        "is when taskerlog first saw it and says nothing about when the work was first recorded. "
        "Edited: changed through taskerlog after it was first recorded; every change is listed with "
        "its old and new values and when it was made. The recorded time of every entry is set by "
        "taskerlog itself when it is saved, and is covered by the journal's hash chain.").format(window=hours)


def classify(source: str, start: int, end: int, recorded_at: int, window: int = WINDOW_SECONDS,
             ) -> tuple[str, int | None]:
    """The entry's class and its lag (seconds from the end of the work to the recording)."""
    src = (source or "").strip()
    if src == "clock":
        return CLOCK, recorded_at - end
    if src.startswith(("import", "sample:")):  # "sample:<label>": samples opened by older versions of the app
        return IMPORTED, None
    if recorded_at < start:
        return EARLY, recorded_at - end
    lag = recorded_at - end
    if lag <= 0:
        return DURING, lag
    if lag <= window:
        return SOON, lag
    return LATE, lag


def describe_lag(seconds: int | None) -> str:
    """``3 days 4 h later`` / ``2 h 10 min later`` / ``before the end``."""
    if seconds is None:
        return ""
    if seconds <= 0:
        return _("before the end")
    minutes = seconds // 60
    days, rem = divmod(minutes, 24 * 60)
    hours, mins = divmod(rem, 60)
    if days:
        return ngettext("{days} day {hours} h later", "{days} days {hours} h later", days).format(days=days, hours=hours)
    if hours:
        return _("{hours} h {mins} min later").format(hours=hours, mins=mins)
    return _("{mins} min later").format(mins=max(mins, 1))


@dataclass(frozen=True)
class Change:
    """One field of one record changed through taskerlog (from the journal)."""

    seq: int
    at: int
    source: str
    row_id: int
    field: str
    old: str
    new: str


#: storage column → name shown to a reader
FIELD_NAMES = {"pay_micros": "pay", "project_id": "project", "platform_id": "platform",
               "amount_micros": "amount", "fee_micros": "fee", "rate_micros": "rate"}


#: the fields of a work entry as the report shows them (the edit trail's ``field`` stays as above in edits.csv)
FIELD_LABELS = {"pay": N_("pay"), "project": N_("project"), "platform": N_("platform"), "start": N_("start"),
                "end": N_("end"), "kind": N_("kind"), "status": N_("status"), "note": N_("note"),
                "units": N_("units"), "currency": N_("currency"), "external_id": N_("external id"),
                "source": N_("source")}


def edit_trail(entries: list[dict[str, Any]], show: Callable[[str, Any], str]) -> dict[int, list[Change]]:
    """Journal ``update`` entries → row id → its changes, oldest first.

    ``show(column, value)`` turns a stored value into text (local times, amounts, names).
    """
    out: dict[int, list[Change]] = {}
    for e in entries:
        if e["action"] != "update" or not e["rows"]:
            continue
        rid = int(e["rows"][0][0])
        old = json.loads(e["old"] or "{}")
        new = json.loads(e["new"] or "{}")
        for col in sorted(set(old) | set(new)):
            if col == "edited_at":
                continue
            out.setdefault(rid, []).append(Change(
                seq=e["seq"], at=e["recorded_at"], source=e["source"], row_id=rid,
                field=FIELD_NAMES.get(col, col), old=show(col, old.get(col)), new=show(col, new.get(col))))
    return out


def deletions(entries: list[dict[str, Any]]) -> list[tuple[int, int, str, dict[str, Any]]]:
    """Journal ``delete`` entries → ``(row id, deleted at, source, the values it had)``."""
    out = []
    for e in entries:
        if e["action"] == "delete" and e["rows"]:
            out.append((int(e["rows"][0][0]), e["recorded_at"], e["source"], json.loads(e["old"] or "{}")))
    return out
