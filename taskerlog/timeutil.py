"""Time: UTC instants in storage, calendar days and ISO weeks in the logbook's zone.

Instants are stored as integer seconds since the Unix epoch (UTC). A time written
without an offset is local time in the logbook's time zone; DST gaps and folds are
resolved as the bundle resolves them: a time the clocks jumped over is refused, a repeated
one is the first of the two (``fold=0``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .problems import say

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
        raise TimeError(say("time.not_zone", "'{name}' is not a time zone; use a name like Africa/Nairobi, "
                            "Asia/Manila, America/New_York or UTC", name=name)) from exc


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


YEARS = (1900, 2199)
"""The years a time or a date may fall in: a year like 0226 or 9999 is a typo, named as one."""
INSTANTS = (-2208988800, 7258118400)
"""Epoch seconds of 1900-01-01 and 2200-01-01 UTC: an instant is checked against these
(in UTC), so that whatever is stored is read back by an import of its export."""
_ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                        r"(?:[Zz]|[+-]\d{2}:?\d{2}(?::?\d{2})?)?)?")
"""What the bundle reads as a time: YYYY-MM-DD, then T or a space and HH:MM[:SS], then an
offset. Python would also take 20260601T0900 or week dates; the bundle does not."""


def offset_text(offset: dt.timedelta) -> str:
    """A UTC offset as ISO 8601 writes it: ``+03:00``, ``-05:00``, ``+05:30``."""
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def skipped_message(text: str, tz: str) -> str:
    """What to say of a local time the clocks jumped over (a DST gap) in ``tz``."""
    example = "+03:00"
    try:
        naive = dt.datetime.fromisoformat(str(text).strip()).replace(tzinfo=None)
        example = offset_text(naive.replace(tzinfo=zone(tz)).utcoffset())  # fold=0: the offset before the jump
    except (ValueError, TypeError, TimeError):
        pass
    return say("time.skipped", "'{text}' does not exist in {tz}: the clocks jumped forward over it (daylight "
               "saving); add the UTC offset the clock had (e.g. {example}) or write the time the clock showed after "
               "the jump", text=text, tz=tz, example=str(text).strip() + example)


def in_gap(naive: dt.datetime, tz: str) -> bool:
    """Whether the wall-clock time ``naive`` never happened in ``tz`` (the clocks jumped over it)."""
    z = zone(tz)
    naive = naive.replace(microsecond=0)  # whole seconds: a float round trip could move the microseconds
    back = dt.datetime.fromtimestamp(int(naive.replace(tzinfo=z).timestamp()), tz=z).replace(tzinfo=None)
    return back != naive


def parse_instant(text: str, tz: str) -> int:
    """ISO 8601 date-time → epoch seconds. No offset means local time in ``tz``.

    A local time the clocks skipped (a DST gap) is refused, as the bundle refuses it; a
    repeated one (a fold) is its first occurrence. The year must be in :data:`YEARS`.
    """
    s = str(text).strip()
    if not s:
        raise TimeError(say("time.needed", "a time is needed here"))
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    try:
        if not _ISO_SHAPE.fullmatch(s):
            raise ValueError(s)
        value = dt.datetime.fromisoformat(s)
    except ValueError as exc:
        raise TimeError(say("time.not_time", "'{text}' is not a time; write it as 2026-03-02T09:00 or 2026-03-02 "
                            "09:00 (add +03:00 or Z for an explicit offset)", text=text)) from exc
    if len(s) <= 10:
        raise TimeError(say("time.no_time_of_day", "'{text}' is a date without a time of day; add one, e.g. "
                            "{example}", text=text, example=s + "T09:00"))
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise TimeError(_out_of_years(text))
    if value.tzinfo is None:
        if in_gap(value, tz):
            raise TimeError(skipped_message(text, tz))
        value = value.replace(tzinfo=zone(tz))
    epoch = int(value.timestamp())
    if not INSTANTS[0] <= epoch < INSTANTS[1]:
        raise TimeError(_out_of_years(text))
    return epoch


def parse_date(text: str) -> dt.date:
    s = str(text).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            raise ValueError(s)
        day = dt.date.fromisoformat(s)
    except ValueError as exc:
        raise TimeError(not_a_date(text)) from exc
    return check_year(day, text)


def not_a_date(text) -> str:
    return say("time.not_date", "'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-05", text=text)


def check_year(day: dt.date, text=None) -> dt.date:
    """``day`` if its year is in :data:`YEARS`; a year like 0226 or 9999 is named as a typo
    (an empty-queue period to 9999 would otherwise make every weekly figure run for ever)."""
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise TimeError(_out_of_years(text if text is not None else day))
    return day


def _out_of_years(text) -> str:
    return say("time.out_of_years", "'{text}' is not in the years {first} to {last}; check the year", text=text,
               first=YEARS[0], last=YEARS[1])


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
