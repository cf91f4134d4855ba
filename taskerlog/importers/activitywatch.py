"""ActivityWatch export (JSON: ``{"buckets": {id: {type, events: [...]}}}``) → evidence.

Active time is supporting evidence, not paid work: it goes to its own table
(``activity``, migration m004) and never into ``work``, so it cannot change any hour in
the metrics. Three kinds of bucket are read:

- ``afkstatus`` (aw-watcher-afk): events with status ``not-afk`` → ``active`` spans;
  ``afk`` events are left out;
- ``currentwindow`` (aw-watcher-window): the focused ``app`` and window ``title`` → ``window``;
- ``web.tab.current`` (aw-watcher-web): the tab's ``url`` (as app) and ``title`` → ``web``.

Other buckets are skipped (the preview says so). Events of zero duration (a single
heartbeat) are left out; an event shorter than a second is kept, stored to the whole
second that holds it (spans are whole seconds, rounded outward: start down, end up).
A value of the wrong kind (text where an object or a number belongs, NaN, 1e999) is a
problem naming the bucket, the event and the field, never a traceback. The bucket is stored without its host-name suffix, so the
logbook never holds the machine's name.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from ..problems import Said, nsay, say
from ._common import ACTIVITY_COLUMNS, CellError, FormatMismatch, Problem, Tables, check_year, json_kind, load_json

TYPES = {"afkstatus": "active", "currentwindow": "window", "web.tab.current": "web"}


def _ts(v: Any) -> float:
    if not isinstance(v, str):
        raise CellError(say("aw.time_not_text", "{kind} is not an ISO 8601 time", kind=_what(v)))
    s = v.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        t = dt.datetime.fromisoformat(s)
    except ValueError as exc:
        raise CellError(say("aw.not_time", "'{cell}' is not an ISO 8601 time", cell=v)) from exc
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)  # ActivityWatch stores UTC
    return t.timestamp()


def _what(v: Any) -> Said:
    """What a JSON value is, in words (the ``{kind}`` of a problem), worded again in the
    language of the sentence that names it."""
    if v is None:
        return say("json.kind_nothing", "nothing")
    if isinstance(v, (bool, int, float)):
        return say("json.kind_value", "'{value}'", value=v)
    return json_kind(v)


def _duration(v: Any) -> float:
    if v is None:
        return 0.0
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise CellError(say("aw.duration_not_number", "{kind} is not a duration in seconds", kind=_what(v)))
    if not math.isfinite(v) or v < 0 or v > 366 * 86400:
        raise CellError(say("aw.not_duration", "{number} is not a duration in seconds (it must be a number from 0 to a "
                            "year)", number=v))
    return float(v)


def _text(d: dict, key: str) -> str:
    v = d.get(key)
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    raise CellError(say("aw.data_not_text", "data.{key} is {kind}, not text", key=key, kind=_what(v)))


def _bucket_name(bid: str, b: dict) -> str:
    host = str(b.get("hostname") or "")
    if host and bid.endswith("_" + host):
        return bid[: -len(host) - 1]
    return bid.split("_")[0] if "_" in bid else bid


def read_activitywatch(path: Path, *, today: dt.date | None = None,
                       notes: list[str] | None = None) -> tuple[Tables, list[Problem]]:
    file = path.name
    notes = notes if notes is not None else []
    tables = Tables(file)
    problems: list[Problem] = []
    data = load_json(path, "ActivityWatch", "export your data again from ActivityWatch (Settings → Export)")
    buckets = data.get("buckets") if isinstance(data, dict) else None
    if buckets is None and isinstance(data, dict) and "events" in data and "type" in data:
        buckets = {str(data.get("id", "bucket")): data}
    if isinstance(data, dict) and "buckets" in data and not isinstance(buckets, dict):
        raise FormatMismatch(say("aw.buckets_not_object", "{file}: 'buckets' is {kind}, not an object of buckets; "
                                 "export your data again from ActivityWatch (Settings → Export)", file=file,
                                 kind=_what(buckets)))
    if not isinstance(buckets, dict):
        raise FormatMismatch(say("aw.no_buckets", "{file} has no 'buckets'; it does not look like an ActivityWatch "
                                 "export", file=file))
    n = 0
    for bid, b in buckets.items():
        if not isinstance(b, dict):
            n += 1
            problems.append(Problem(file, n, "buckets", say("aw.not_bucket",
                                    "bucket {bucket} is {kind}, not a bucket object", bucket=bid, kind=_what(b))))
            continue
        kind = TYPES.get(str(b.get("type")))
        events = b.get("events")
        name = _bucket_name(str(bid), b)
        if events is None:
            events = []
        if not isinstance(events, list):
            n += 1
            problems.append(Problem(file, n, "events", say("aw.events_not_list", "bucket {bucket}: 'events' is {kind}, "
                                    "not a list of events; export your data again from ActivityWatch", bucket=name,
                                    kind=_what(events))))
            continue
        if kind is None:
            notes.append(nsay("aw.bucket_skipped", "{file}: skipped bucket {bucket} ({type}, {n} event): only AFK, "
                              "window and web buckets are evidence of active time", "{file}: skipped bucket {bucket} "
                              "({type}, {n} events): only AFK, window and web buckets are evidence of active time",
                              n=len(events), file=file, bucket=name, type=b.get("type")))
            n += len(events)
            continue
        zero = afk = 0
        for k, ev in enumerate(events, start=1):
            n += 1
            col = "timestamp"
            try:
                if not isinstance(ev, dict):
                    raise CellError(say("aw.not_event", "is {kind}, not an event object", kind=_what(ev)))
                start = _ts(ev.get("timestamp"))
                col = "duration"
                dur = _duration(ev.get("duration"))
                col = "data"
                d = ev.get("data")
                if d is None:
                    d = {}
                if not isinstance(d, dict):
                    raise CellError(say("aw.data_not_object", "'data' is {kind}, not an object", kind=_what(d)))
                if kind == "active":
                    if d.get("status") != "not-afk":
                        afk += 1
                        continue
                    app, title = "", ""
                elif kind == "window":
                    app, title = _text(d, "app"), _text(d, "title")
                else:
                    app, title = _text(d, "url"), _text(d, "title")
                if dur == 0:
                    zero += 1
                    continue
                s, e = math.floor(start), math.ceil(start + dur)
                col = "timestamp"
                check_year(dt.datetime.fromtimestamp(s, dt.timezone.utc).date(), today)
            except (CellError, OverflowError, OSError, ValueError) as exc:
                if not isinstance(exc, CellError):  # Python's words for a date beyond what it can count
                    exc = CellError(say("aw.out_of_range", "the time is outside the years a date can have; check the "
                                        "year (a typo?)"))
                problems.append(Problem(file, n, col, say("aw.event_problem", "bucket {bucket}, event {event}: {problem}",
                                                          bucket=name, event=k, problem=exc.args[0])))
                continue
            tables.add("activity", ACTIVITY_COLUMNS, n,
                       {"bucket": name, "kind": kind, "start": s, "end": e, "app": app, "title": title})
        if zero or afk:
            notes.append(say("aw.left_out", "{file}: bucket {bucket}: left out {afk} away (afk) and {zero} zero-length "
                             "events", file=file, bucket=name, afk=afk, zero=zero))
    if n == 0:
        raise FormatMismatch(say("aw.no_events", "{file} holds no events", file=file))
    return tables, problems
