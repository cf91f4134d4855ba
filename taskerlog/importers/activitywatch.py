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

from ._common import ACTIVITY_COLUMNS, CellError, FormatMismatch, Problem, Tables, check_year, load_json

TYPES = {"afkstatus": "active", "currentwindow": "window", "web.tab.current": "web"}


def _ts(v: Any) -> float:
    if not isinstance(v, str):
        raise CellError(f"{_what(v)} is not an ISO 8601 time")
    s = v.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        t = dt.datetime.fromisoformat(s)
    except ValueError as exc:
        raise CellError(f"'{v}' is not an ISO 8601 time") from exc
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)  # ActivityWatch stores UTC
    return t.timestamp()


def _what(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, (bool, int, float)):
        return f"'{v}'"
    return "text" if isinstance(v, str) else ("an object" if isinstance(v, dict) else "a list")


def _duration(v: Any) -> float:
    if v is None:
        return 0.0
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise CellError(f"{_what(v)} is not a duration in seconds")
    if not math.isfinite(v) or v < 0 or v > 366 * 86400:
        raise CellError(f"{v} is not a duration in seconds (it must be a number from 0 to a year)")
    return float(v)


def _text(d: dict, key: str) -> str:
    v = d.get(key)
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    raise CellError(f"data.{key} is {_what(v)}, not text")


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
        raise FormatMismatch(f"{file}: 'buckets' is {_what(buckets)}, not an object of buckets; export your data "
                             "again from ActivityWatch (Settings → Export)")
    if not isinstance(buckets, dict):
        raise FormatMismatch(f"{file} has no 'buckets'; it does not look like an ActivityWatch export")
    n = 0
    for bid, b in buckets.items():
        if not isinstance(b, dict):
            n += 1
            problems.append(Problem(file, n, "buckets", f"bucket {bid} is {_what(b)}, not a bucket object"))
            continue
        kind = TYPES.get(str(b.get("type")))
        events = b.get("events")
        name = _bucket_name(str(bid), b)
        if events is None:
            events = []
        if not isinstance(events, list):
            n += 1
            problems.append(Problem(file, n, "events", f"bucket {name}: 'events' is {_what(events)}, not a list "
                                    "of events; export your data again from ActivityWatch"))
            continue
        if kind is None:
            notes.append(f"{file}: skipped bucket {name} ({b.get('type')}, {len(events)} events): "
                         "only AFK, window and web buckets are evidence of active time")
            n += len(events)
            continue
        zero = afk = 0
        for k, ev in enumerate(events, start=1):
            n += 1
            col = "timestamp"
            try:
                if not isinstance(ev, dict):
                    raise CellError(f"is {_what(ev)}, not an event object")
                start = _ts(ev.get("timestamp"))
                col = "duration"
                dur = _duration(ev.get("duration"))
                col = "data"
                d = ev.get("data")
                if d is None:
                    d = {}
                if not isinstance(d, dict):
                    raise CellError(f"'data' is {_what(d)}, not an object")
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
                problems.append(Problem(file, n, col, f"bucket {name}, event {k}: {exc}"))
                continue
            tables.add("activity", ACTIVITY_COLUMNS, n,
                       {"bucket": name, "kind": kind, "start": s, "end": e, "app": app, "title": title})
        if zero or afk:
            notes.append(f"{file}: bucket {name}: left out {afk} away (afk) and {zero} zero-length events")
    if n == 0:
        raise FormatMismatch(f"{file} holds no events")
    return tables, problems
