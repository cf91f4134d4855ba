"""Time: UTC instants in storage, calendar days and ISO weeks in the logbook's zone.

Instants are stored as integer seconds since the Unix epoch (UTC). A time written
without an offset is local time in the logbook's time zone; DST gaps and folds are
resolved the way ``zoneinfo`` does (``fold=0``: the first of two repeated hours).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_zones = functools.cache(available_timezones)
"""The installed zone names (reading them walks the tz database: ~25 ms a call)."""

UTC = dt.timezone.utc


class TimeError(ValueError):
    """A value that cannot be a time, a date or a time zone; the message is for a worker."""


def zone(name: str) -> ZoneInfo:
    try:
        if not name or name != name.strip():
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise TimeError(
            f"'{name}' is not a time zone; use a name like Africa/Nairobi, "
            "Asia/Manila, America/New_York or UTC"
        ) from exc


def system_timezone() -> str:
    """The machine's IANA zone name if it can be found, else UTC."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and tz in _zones():
        return tz
    try:
        link = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in link:
            name = link.split(marker, 1)[1]
            if name in _zones():
                return name
    except OSError:
        pass
    return "UTC"


def parse_instant(text: str, tz: str) -> int:
    """ISO 8601 date-time → epoch seconds. No offset means local time in ``tz``."""
    s = str(text).strip()
    if not s:
        raise TimeError("a time is needed here")
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(s)
    except ValueError as exc:
        raise TimeError(
            f"'{text}' is not a time; write it as 2026-03-02T09:00 or 2026-03-02 09:00 "
            "(add +03:00 or Z for an explicit offset)"
        ) from exc
    if len(s) <= 10:
        raise TimeError(f"'{text}' is a date without a time of day; add one, e.g. {s}T09:00")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return int(value.timestamp())


def parse_date(text: str) -> dt.date:
    s = str(text).strip()
    try:
        return dt.date.fromisoformat(s)
    except ValueError as exc:
        raise TimeError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-05") from exc


def to_local(epoch: int, tz: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), tz=zone(tz))


def format_local(epoch: int | None, tz: str) -> str | None:
    """Epoch seconds → ISO 8601 local time with its offset (round-trips exactly)."""
    if epoch is None:
        return None
    return to_local(epoch, tz).isoformat()


def local_midnight(day: dt.date, tz: str) -> int:
    """Epoch seconds of the first instant of ``day`` in ``tz`` (DST-safe)."""
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=zone(tz)).timestamp())


def iso_week_label(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def now_epoch() -> int:
    """The clock. Only shells (cli, app) call this; pure code takes time as an argument."""
    return int(dt.datetime.now(tz=UTC).timestamp())
