"""Mechanical Turk history as exported by the MTurk Suite HIT Tracker (JSON).

Accepted shapes: a list of HIT objects, an object keyed by assignment id, or an object
with a ``hits``/``HITs``/``data`` list. Each HIT is read from these fields (the first
that is present):

- id: ``assignment_id`` / ``assignmentId`` (else ``hit_id`` / ``hitId``) → external_id
- requester: ``requester_name`` / ``requesterName`` / ``requester.name`` → project
- reward: ``reward`` (a number, ``"$0.05"`` or ``{"amount_in_dollars": 0.05}``) → pay, USD
- status: ``state`` / ``status`` — Approved/Paid → paid; Submitted/Pending → pending;
  Rejected → rejected; Returned/Abandoned/Expired → returned; Accepted (never submitted)
  → returned
- time: ``accepted``/``accept_time``/``acceptTime`` to ``submitted``/``submit_time``/
  ``submitTime`` (ISO 8601 or epoch milliseconds); when only a ``date`` (YYYY-MM-DD or
  YYYYMMDD, MTurk's day in Pacific time) is known, ``--hit-minutes N`` places each HIT of
  that day back to back from midnight as an N-minute entry noted "[duration estimated]".
- title → note.

Platform "MTurk", kind ``tasking``, one work entry per HIT; requesters become per-task
projects in USD.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..model import Logbook
from ._common import (
    PROJECT_COLUMNS, WORK_COLUMNS, CellError, FormatMismatch, Problem, Tables, check_year, iso_local, load_json,
    local_epoch,
)

PLATFORM = "MTurk"
MTURK_TZ = "America/Los_Angeles"
STATES = {
    "approved": "paid", "paid": "paid", "approved paid": "paid",
    "submitted": "pending", "pending": "pending", "pending approval": "pending",
    "rejected": "rejected",
    "returned": "returned", "abandoned": "returned", "expired": "returned", "accepted": "returned",
}


def _get(h: dict, *names: str) -> Any:
    for n in names:
        cur: Any = h
        for part in n.split("."):
            cur = cur.get(part) if isinstance(cur, dict) else None
        if cur not in (None, ""):
            return cur
    return None


def _load(path: Path) -> list[tuple[int, dict]]:
    data = load_json(path, "MTurk HIT Tracker", "export your HITs again from the HIT Tracker")
    if isinstance(data, dict) and "buckets" in data:
        raise FormatMismatch(f"{path.name} looks like an ActivityWatch export; use --from activitywatch")
    if isinstance(data, dict):
        for key in ("hits", "HITs", "data", "hit"):
            if isinstance(data.get(key), (list, dict)):
                data = data[key]
                break
    if isinstance(data, dict):
        items = []
        for key, v in data.items():
            if isinstance(v, dict):
                items.append({"assignment_id": key, **v})
        data = items
    if not isinstance(data, list) or not all(isinstance(h, dict) for h in data):
        raise FormatMismatch(f"{path.name} does not hold a list of HITs")
    if data and not any(_get(h, "reward", "requester_name", "requesterName", "requester.name") is not None
                        for h in data[:50]):
        raise FormatMismatch(f"{path.name} has no HITs with a requester or reward; is it the HIT Tracker export?")
    return list(enumerate(data, start=1))


def _instant(v: Any, tz: str) -> int:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return int(v / 1000) if v > 1e11 else int(v)
    s = str(v).strip()
    if s.isdigit():
        return _instant(int(s), tz)
    from .. import timeutil
    try:
        return timeutil.parse_instant(s, tz)
    except timeutil.TimeError as exc:
        raise CellError(str(exc)) from exc


def _reward(v: Any) -> Decimal:
    if isinstance(v, dict):
        v = _get(v, "amount_in_dollars", "amount", "value")
    s = str(v).strip().lstrip("$").replace(",", "")
    try:
        d = Decimal(s)
    except InvalidOperation as exc:
        raise CellError(f"'{v}' is not a reward in dollars") from exc
    if d < 0 or not d.is_finite():
        raise CellError(f"'{v}' is not a reward in dollars")
    return d


def _day(v: Any) -> dt.date:
    s = str(v).strip()[:10]
    try:
        if len(s) == 8 and s.isdigit():
            return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
        return dt.date.fromisoformat(s)
    except ValueError as exc:
        raise CellError(f"'{v}' is not a date (YYYY-MM-DD or YYYYMMDD)") from exc


def read_mturk(path: Path, settings: Logbook, *, hit_minutes: int | None = None,
               today: dt.date | None = None, timezone: str | None = None) -> tuple[Tables, list[Problem]]:
    file = path.name
    tables = Tables(file)
    problems: list[Problem] = []
    tz = timezone or settings.timezone
    stack: dict[dt.date, int] = {}
    requesters: dict[str, int] = {}
    untimed: list[int] = []
    for n, h in _load(path):
        col = None
        try:
            col = "assignment_id"
            ext = _get(h, "assignment_id", "assignmentId", "hit_id", "hitId", "id")
            if ext is None:
                raise CellError("a HIT without an assignment or HIT id cannot be matched on a later import")
            col = "requester_name"
            requester = str(_get(h, "requester_name", "requesterName", "requester.name", "requester") or "").strip()
            if not requester:
                raise CellError("the requester's name is missing")
            col = "reward"
            raw_reward = _get(h, "reward", "reward.amount_in_dollars")
            if raw_reward is None:
                raise CellError("the reward is missing")
            reward = _reward(raw_reward)
            col = "state"
            state = str(_get(h, "state", "status") or "").strip().lower()
            status = STATES.get(state)
            if status is None:
                raise CellError(f"'{state or '(blank)'}' is not a HIT status this importer knows; expected one of: "
                                "Approved, Paid, Submitted, Pending, Rejected, Returned, Abandoned")
            col = "accepted"
            acc = _get(h, "accepted", "accept_time", "acceptTime", "accepted_at")
            sub = _get(h, "submitted", "submit_time", "submitTime", "submitted_at")
            note = str(_get(h, "title") or "").strip()
            if acc is not None and sub is not None:
                start = _instant(acc, MTURK_TZ)
                col = "submitted"
                end = _instant(sub, MTURK_TZ)
                if end <= start:
                    raise CellError("submitted at or before it was accepted")
                check_year(dt.datetime.fromtimestamp(start, dt.timezone.utc).date(), today)
            else:
                col = "date"
                day_v = _get(h, "date")
                if day_v is None:
                    raise CellError("no accept/submit times and no date")
                day = _day(day_v)
                check_year(day, today)
                if not hit_minutes:
                    untimed.append(n)
                    continue
                start = stack.get(day) or local_epoch(day, dt.time(0), MTURK_TZ)
                end = start + int(hit_minutes) * 60
                stack[day] = end
                note = (note + " " if note else "") + "[duration estimated]"
        except CellError as exc:
            problems.append(Problem(file, n, col, f"HIT {n}: {exc}"))
            continue
        requesters.setdefault(requester, n)
        tables.add("work", WORK_COLUMNS, n, {
            "platform": PLATFORM, "project": requester, "kind": "tasking", "start": iso_local(start, tz),
            "end": iso_local(end, tz), "units": 1, "pay": reward if status != "returned" else Decimal(0),
            "currency": "USD", "status": status, "external_id": str(ext), "note": note})
    if untimed:
        problems.append(Problem(file, untimed[0], "date", f"{len(untimed)} HIT(s) have a date but no accept/submit "
                                "times; to import them, say how long each took with --hit-minutes N (each is then "
                                "placed back to back from midnight, Pacific time, and noted as estimated)"))
    for requester, n in requesters.items():
        tables.add("projects", PROJECT_COLUMNS, n, {"platform": PLATFORM, "project": requester,
                                                     "pay_model": "per_task", "currency": "USD"})
    return tables, problems
