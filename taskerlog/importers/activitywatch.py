"""ActivityWatch export (JSON: ``{"buckets": {id: {type, events: [...]}}}``) → evidence.

Active time is supporting evidence, not paid work: it goes to its own table
(``activity``, migration m004) and never into ``work``, so it cannot change any hour in
the metrics. Three kinds of bucket are read:

- ``afkstatus`` (aw-watcher-afk): events with status ``not-afk`` → ``active`` spans;
  ``afk`` events are left out;
- ``currentwindow`` (aw-watcher-window): the focused ``app`` and window ``title`` → ``window``;
- ``web.tab.current`` (aw-watcher-web): the tab's ``url`` (as app) and ``title`` → ``web``.

Other buckets are skipped (the preview says so). Events of zero duration (a single
heartbeat) are left out. The bucket is stored without its host-name suffix, so the
logbook never holds the machine's name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ._common import ACTIVITY_COLUMNS, CellError, FormatMismatch, Problem, Tables, check_year, load_json

TYPES = {"afkstatus": "active", "currentwindow": "window", "web.tab.current": "web"}


def _ts(v: Any) -> float:
    s = str(v).strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        t = dt.datetime.fromisoformat(s)
    except ValueError as exc:
        raise CellError(f"'{v}' is not an ISO 8601 time") from exc
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)  # ActivityWatch stores UTC
    return t.timestamp()


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
    if not isinstance(buckets, dict):
        raise FormatMismatch(f"{file} has no 'buckets'; it does not look like an ActivityWatch export")
    n = 0
    for bid, b in buckets.items():
        if not isinstance(b, dict):
            continue
        kind = TYPES.get(str(b.get("type")))
        events = b.get("events") or []
        name = _bucket_name(str(bid), b)
        if kind is None:
            notes.append(f"{file}: skipped bucket {name} ({b.get('type')}, {len(events)} events): "
                         "only AFK, window and web buckets are evidence of active time")
            n += len(events)
            continue
        zero = afk = 0
        for ev in events:
            n += 1
            col = "timestamp"
            try:
                if not isinstance(ev, dict):
                    raise CellError("is not an event object")
                start = _ts(ev.get("timestamp"))
                col = "duration"
                dur = float(ev.get("duration") or 0)
                if dur < 0:
                    raise CellError("a negative duration")
                col = "data"
                d = ev.get("data") or {}
                if kind == "active":
                    status = d.get("status")
                    if status != "not-afk":
                        afk += 1
                        continue
                    app, title = "", ""
                elif kind == "window":
                    app, title = str(d.get("app") or ""), str(d.get("title") or "")
                else:
                    app, title = str(d.get("url") or ""), str(d.get("title") or "")
                s, e = int(start), int(start + dur)
                if e <= s:
                    zero += 1
                    continue
                col = "timestamp"
                check_year(dt.datetime.fromtimestamp(s, dt.timezone.utc).date(), today)
            except (CellError, TypeError, ValueError) as exc:
                problems.append(Problem(file, n, col, f"bucket {name}, event {n}: {exc}"))
                continue
            tables.add("activity", ACTIVITY_COLUMNS, n,
                       {"bucket": name, "kind": kind, "start": s, "end": e, "app": app, "title": title})
        if zero or afk:
            notes.append(f"{file}: bucket {name}: left out {afk} away (afk) and {zero} zero-length events")
    if n == 0:
        raise FormatMismatch(f"{file} holds no events")
    return tables, problems
