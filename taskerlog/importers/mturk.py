"""Mechanical Turk history: MTurk Suite's HIT Tracker backup (JSON), HIT Database backups.

Accepted shapes: MTurk Suite's backup ``{"hits": [...], "days": [...]}``, a HIT Database
backup ``{"HIT": [...], "STATS": [...]}``, a list of HIT objects, an object keyed by id, or
an object with a ``HITs``/``data`` list. Each HIT is read from these fields (the first that
is present):

- ids: ``hit_id`` / ``hitId`` and ``assignment_id`` / ``assignmentId``. external_id is the
  assignment id, else the HIT id. MTurk Suite records a HIT under its HIT id when it is
  accepted and learns the assignment id only when it syncs, so both ids travel with the row
  (``_ids``) and :func:`taskerlog.importers.apply` matches a HIT already in the logbook
  under either: the later backup settles it instead of adding a copy.
- requester: ``requester_name`` / ``requesterName`` / ``requester.name`` → project
- reward: ``reward`` (a number, ``"$0.05"`` or ``{"amount_in_dollars": 0.05}``) → pay, USD
- state: ``state`` / ``status`` (what the tracker writes, see :data:`STATES`). Assigned /
  Accepted (not submitted when the backup was made) are left out, noted; a later backup
  brings them in once MTurk says how they ended. An unknown state is a note for that HIT
  (``strict``: a problem).
- time: ``accepted``/``accept_time``/``acceptTime`` to ``submitted``/``submit_time``/
  ``submitTime`` (ISO 8601 or epoch milliseconds); when only a ``date`` (YYYY-MM-DD or
  YYYYMMDD, MTurk's day in Pacific time) is known, ``--hit-minutes N`` places each HIT of
  that day back to back from midnight as an N-minute entry noted "[duration estimated]".
  Such a row carries ``_estimated``: its times are a guess, never its identity (see apply).
- title → note.

Platform "MTurk", kind ``tasking``, one work entry per HIT; requesters become per-task
projects in USD.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..model import Logbook
from ..problems import Said, fix, nsay, say
from ._common import (
    ESTIMATED, PROJECT_COLUMNS, WORK_COLUMNS, CellError, FormatMismatch, Problem, Tables, check_year, iso_local,
    json_kind, load_json, local_epoch, marked, norm, numbers_listed,
)

PLATFORM = "MTurk"
MTURK_TZ = "America/Los_Angeles"
#: states MTurk Suite's tracker and HIT Database write → the logbook's status (None: left out)
STATES: dict[str, str | None] = {
    "approved": "paid", "paid": "paid", "approved paid": "paid", "pending payment": "paid",
    "approved pending payment": "paid",
    "submitted": "pending", "pending": "pending", "pending approval": "pending",
    "rejected": "rejected",
    "returned": "returned", "abandoned": "returned", "expired": "returned",
    "assigned": None, "accepted": None,
}
#: the private columns a work row carries for :func:`taskerlog.importers.apply`
ID_COLUMNS = ["_ids", "_estimated"]


def _get(h: dict, *names: str) -> Any:
    for n in names:
        cur: Any = h
        for part in n.split("."):
            cur = cur.get(part) if isinstance(cur, dict) else None
        if cur not in (None, ""):
            return cur
    return None


def _not_text(what: str, v: Any) -> Said:
    """``v`` where text was expected: one whole sentence for each value :func:`_text` reads."""
    kind = json_kind(v)
    if what == "id":
        return say("mturk.id_not_text", "the id is {kind}, not text", kind=kind)
    if what == "requester":
        return say("mturk.requester_not_text", "the requester's name is {kind}, not text", kind=kind)
    if what == "state":
        return say("mturk.state_not_text", "the state is {kind}, not text", kind=kind)
    if what == "title":
        return say("mturk.title_not_text", "the title is {kind}, not text", kind=kind)
    return say("mturk.date_not_text", "the date is {kind}, not text", kind=kind)


def known_export(header: list[str]) -> Said | None:
    """What another tool's file is, when its columns say so (for a message naming it). Here, not in
    the package's ``__init__`` that dispatches to this module: one would import the other."""
    from ._common import find_column
    from .paypal import looks_like_paypal
    if looks_like_paypal(header):
        return say("import.is_paypal", "a PayPal activity download; import it with {fix}",
                   fix=fix("use_format", format="paypal"))
    if all(find_column(header, c) is not None for c in ("HITId", "WorkerId", "AssignmentId")):
        return say("import.is_mturk_batch", "an MTurk requester's batch results file (HITId, WorkerId, Answer.* "
                   "columns): it holds the answers workers sent a requester, not your own work; for your HIT history "
                   "export a backup from MTurk Suite's HIT Tracker and use {fix}", fix=fix("use_format", format="mturk"))
    return None


def _load(path: Path) -> list[tuple[int, dict | Any]]:
    name = path.name
    try:
        data = load_json(path, "MTurk HIT Tracker", "export your HITs again from the HIT Tracker")
    except FormatMismatch as not_json:
        from ._common import read_sheet
        try:  # only a guess at what else the file is: its own failure must not hide the JSON's
            what = known_export(read_sheet(path).header)
        except Exception:  # noqa: BLE001
            what = None
        if what:
            raise FormatMismatch(say("mturk.looks_like", "{file} is not a HIT Tracker backup: it looks like {what}",
                                     file=name, what=what)) from None
        raise not_json
    if isinstance(data, dict) and "buckets" in data:
        raise FormatMismatch(say("import.is_activitywatch", "{file} looks like an ActivityWatch export; use {fix}",
                                 file=name, fix=fix("use_format", format="activitywatch")))
    if isinstance(data, dict):
        for key in ("hits", "HIT", "HITs", "data", "hit"):
            if key in data:
                if not isinstance(data[key], (list, dict)):
                    raise FormatMismatch(say("mturk.key_not_list", "{file}: '{key}' is {kind}, not a list of HITs; "
                                             "export the backup again from the HIT Tracker", file=name, key=key,
                                             kind=json_kind(data[key])))
                data = data[key]
                break
    if isinstance(data, dict):
        items = []
        for key, v in data.items():  # keyed by assignment id (not when the key is the HIT id or a number)
            if isinstance(v, dict) and _get(v, "assignment_id", "assignmentId") is None \
                    and str(key) != str(_get(v, "hit_id", "hitId")) and not str(key).isdigit():
                v = {**v, "assignment_id": key}
            items.append(v)
        data = items
    if not isinstance(data, list):
        raise FormatMismatch(say("mturk.not_list", "{file} does not hold a list of HITs (it holds {kind})", file=name,
                                 kind=json_kind(data)))
    if data and not any(isinstance(h, dict) and _get(h, "reward", "requester_name", "requesterName",
                                                        "requester.name", "hit_id", "hitId") is not None
                        for h in data[:50]):
        raise FormatMismatch(say("mturk.no_hits", "{file} has no HITs with a requester or reward; is it the HIT "
                                 "Tracker export?", file=name))
    return list(enumerate(data, start=1))


def _text(v: Any, what: str) -> str:
    """A JSON value that should be text (an id, a name): numbers are fine, nothing else."""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    raise CellError(_not_text(what, v))


def _instant(v: Any, tz: str) -> int:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if not math.isfinite(v) or abs(v) > 1e14:
            raise CellError(say("mturk.not_epoch", "{number} is not a time (epoch milliseconds or ISO 8601)", number=v))
        return int(v / 1000) if v > 1e11 else int(v)
    if not isinstance(v, str):
        raise CellError(say("mturk.time_not_text", "the time is {kind}, not ISO 8601 or epoch milliseconds",
                            kind=json_kind(v)))
    s = v.strip()
    if s.isdigit():
        return _instant(int(s), tz)
    from .. import timeutil
    try:
        return timeutil.parse_instant(s, tz)
    except timeutil.TimeError as exc:
        raise CellError(*exc.args) from exc  # the problem itself (a Said), worded where it is shown


def _reward(v: Any) -> Decimal:
    if isinstance(v, dict):
        v = _get(v, "amount_in_dollars", "amount", "value")
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        if v is None:
            raise CellError(say("mturk.reward_missing_amount", "the reward is missing, not an amount in dollars"))
        raise CellError(say("mturk.reward_not_amount", "the reward is {kind}, not an amount in dollars",
                            kind=json_kind(v)))
    if isinstance(v, float) and not math.isfinite(v):
        raise CellError(say("mturk.not_reward", "'{cell}' is not a reward in dollars", cell=v))
    s = (repr(v) if isinstance(v, float) else str(v)).strip().lstrip("$").replace(",", "")
    try:
        d = Decimal(s)
    except InvalidOperation as exc:
        raise CellError(say("mturk.not_reward", "'{cell}' is not a reward in dollars", cell=v)) from exc
    if not d.is_finite() or d < 0 or d > 10_000:
        raise CellError(say("mturk.not_reward", "'{cell}' is not a reward in dollars", cell=v))
    return d.quantize(Decimal("0.000001")) if d.as_tuple().exponent < -6 else d  # type: ignore[operator]


def _day(v: Any) -> dt.date:
    s = _text(v, "date")[:10]
    try:
        if len(s) == 8 and s.isdigit():
            return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
        return dt.date.fromisoformat(s)
    except ValueError as exc:
        raise CellError(say("mturk.not_day", "'{cell}' is not a date (YYYY-MM-DD or YYYYMMDD)", cell=v)) from exc


def read_mturk(path: Path, settings: Logbook, *, hit_minutes: int | None = None,
               today: dt.date | None = None, timezone: str | None = None, strict: bool = False,
               notes: list[str] | None = None) -> tuple[Tables, list[Problem]]:
    file = path.name
    tables = Tables(file)
    problems: list[Problem] = []
    notes = notes if notes is not None else []
    tz = timezone or settings.timezone
    stack: dict[dt.date, int] = {}
    requesters: dict[str, int] = {}
    untimed: list[int] = []
    unfinished: list[int] = []
    unknown: dict[str, list[int]] = {}
    columns = WORK_COLUMNS + ID_COLUMNS
    for n, h in _load(path):
        col = None
        try:
            if not isinstance(h, dict):
                raise CellError(say("mturk.not_hit", "is {kind}, not a HIT object", kind=json_kind(h)))
            col = "hit_id"
            hit_id = _get(h, "hit_id", "hitId")
            assignment = _get(h, "assignment_id", "assignmentId")
            ids = [_text(x, "id") for x in (assignment, hit_id) if x is not None]
            ids = list(dict.fromkeys(x for x in ids if x))
            if not ids:
                other = _get(h, "id")
                ids = [_text(other, "id")] if other is not None else []
            if not ids:
                raise CellError(say("mturk.no_id", "a HIT without an assignment or HIT id cannot be matched on a later "
                                    "import"))
            ext = ids[0]
            col = "requester_name"
            requester = _text(_get(h, "requester_name", "requesterName", "requester.name", "requester") or "",
                              "requester")
            if not requester:
                raise CellError(say("mturk.no_requester", "the requester's name is missing"))
            col = "reward"
            raw_reward = _get(h, "reward", "reward.amount_in_dollars")
            if raw_reward is None:
                raise CellError(say("mturk.no_reward", "the reward is missing"))
            reward = _reward(raw_reward)
            col = "state"
            state = norm(_text(_get(h, "state", "status") or "", "state"))
            if state not in STATES:
                if strict:
                    states = ", ".join(sorted({k.title() for k in STATES}))
                    if not state:
                        raise CellError(say("mturk.no_state", "the HIT has no state; expected one of: {states}",
                                            states=states))
                    raise CellError(say("mturk.unknown_state", "'{state}' is not a HIT state this importer knows; "
                                        "expected one of: {states}", state=state, states=states))
                unknown.setdefault(state, []).append(n)
                continue
            status = STATES[state]
            if status is None:
                unfinished.append(n)
                continue
            col = "accepted"
            acc = _get(h, "accepted", "accept_time", "acceptTime", "accepted_at")
            sub = _get(h, "submitted", "submit_time", "submitTime", "submitted_at")
            note = _text(_get(h, "title") or "", "title")
            estimated = False
            if acc is not None and sub is not None:
                start = _instant(acc, MTURK_TZ)
                col = "submitted"
                end = _instant(sub, MTURK_TZ)
                if end <= start:
                    raise CellError(say("mturk.submitted_first", "submitted at or before it was accepted"))
                check_year(dt.datetime.fromtimestamp(start, dt.timezone.utc).date(), today)
            else:
                col = "date"
                day_v = _get(h, "date")
                if day_v is None:
                    raise CellError(say("mturk.no_times", "no accept/submit times and no date"))
                day = _day(day_v)
                check_year(day, today)
                if not hit_minutes:
                    untimed.append(n)
                    continue
                start = stack.get(day) or local_epoch(day, dt.time(0), MTURK_TZ)
                end = start + int(hit_minutes) * 60
                stack[day] = end
                note = marked(note, ESTIMATED)
                estimated = True
        except CellError as exc:
            problems.append(Problem(file, n, col or "", say("mturk.hit_problem", "HIT {hit}: {problem}", hit=n,
                                                            problem=exc.args[0])))
            continue
        requesters.setdefault(requester, n)
        tables.add("work", columns, n, {
            "platform": PLATFORM, "project": requester, "kind": "tasking", "start": iso_local(start, tz),
            "end": iso_local(end, tz), "units": 1, "pay": reward if status != "returned" else Decimal(0),
            "currency": "USD", "status": status, "external_id": ext, "note": note,
            "_ids": " ".join(ids), "_estimated": day.isoformat() if estimated else ""})
    if untimed:
        problems.append(Problem(file, untimed[0], "date", nsay(
            "import.hits_untimed", "{n} HIT has a date but no accept/submit times; to import it, say how long it "
            "took with {fix} (it is then placed from midnight, Pacific time, and noted as estimated)",
            "{n} HITs have a date but no accept/submit times; to import them, say how long each took with {fix} "
            "(each is then placed back to back from midnight, Pacific time, and noted as estimated)",
            n=len(untimed), fix=fix("hit_minutes"))))
    if unfinished:
        notes.append(nsay("mturk.hits_unfinished", "{file}: left out {n} HIT still Assigned/Accepted (not submitted "
                          "when the backup was made); a later backup brings it in once MTurk says how it ended: HIT "
                          "{hits}", "{file}: left out {n} HITs still Assigned/Accepted (not submitted when the backup "
                          "was made); a later backup brings them in once MTurk says how they ended: HITs {hits}",
                          n=len(unfinished), file=file, hits=numbers_listed(unfinished)))
    for state, ns in unknown.items():
        if not state:
            notes.append(nsay("import.hits_no_state", "{file}: left out {n} HIT with no state (use {fix} to refuse "
                              "the file instead): HIT {hits}", "{file}: left out {n} HITs with no state (use {fix} to "
                              "refuse the file instead): HITs {hits}", n=len(ns), file=file, hits=numbers_listed(ns),
                              fix=fix("strict")))
            continue
        notes.append(nsay("import.hits_unknown_state", "{file}: left out {n} HIT with the state '{state}', which this "
                          "importer does not know (use {fix} to refuse the file instead): HIT {hits}",
                          "{file}: left out {n} HITs with the state '{state}', which this importer does not know (use "
                          "{fix} to refuse the file instead): HITs {hits}",
                          n=len(ns), file=file, state=state, hits=numbers_listed(ns), fix=fix("strict")))
    for requester, n in requesters.items():
        tables.add("projects", PROJECT_COLUMNS, n, {"platform": PLATFORM, "project": requester,
                                                     "pay_model": "per_task", "currency": "USD"})
    return tables, problems

