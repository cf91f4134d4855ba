"""Helpers shared by the everyday commands: reading what a worker types.

Every parser here names the option it reads in its error (``--start: '25:00' is not a
time ...``) so a bad value gives one line saying what to write instead. Times come in
as a worker writes them: ``now``, ``14:30`` (today), ``yesterday 14:30``, or ISO 8601;
a time without an offset is local time in the logbook's zone. ``now`` is always an
argument: the commands read the clock once and pass it in.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .. import everyday, i18n, money, timeutil
from ..i18n import _
from ..problems import problems_of
from ._base import CLIError
from ..store import Store

_HHMM = re.compile(r"^(?:(today|yesterday)[ T]+)?(\d{1,2}):(\d{2})$")


def _named(option: str, exc: Exception) -> CLIError:
    return CLIError(_("{option}: {problem}").format(option=option, problem=exc))


def today(now: int, tz: str) -> dt.date:
    """The logbook's calendar day at instant ``now``."""
    return timeutil.to_local(now, tz).date()


def parse_when(text: str, tz: str, now: int, *, option: str, allow_date: bool = False) -> int:
    """A time as a worker writes it → epoch seconds.

    ``now``; ``HH:MM`` (today); ``yesterday HH:MM``; an ISO date-time (no offset: local
    in ``tz``); with ``allow_date``, a bare date means its local midnight.
    """
    s = str(text).strip()
    low = s.lower()
    if low == "now":
        return now
    m = _HHMM.match(low)
    if m:
        hour, minute = int(m.group(2)), int(m.group(3))
        if hour > 23 or minute > 59:
            raise CLIError(_("{option}: '{text}' is not a time of day; write HH:MM from 00:00 to 23:59").format(
                option=option, text=text))
        day = today(now, tz) - dt.timedelta(days=1 if m.group(1) == "yesterday" else 0)
        s = dt.datetime.combine(day, dt.time(hour, minute)).isoformat(timespec="minutes")
    elif allow_date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return timeutil.local_midnight(parse_day(s, tz, now, option=option), tz)
    try:
        return timeutil.parse_instant(s, tz)  # a time the clocks skipped, or year 9999, is refused here too
    except ValueError as exc:
        if "time.not_time" not in {p.code for p in problems_of(exc)}:  # a time, but not one that happened: say why
            raise _named(option, exc) from exc
        raise CLIError(_(
            "{option}: '{text}' is not a time; write 14:30 (today), 'yesterday 14:30', "
            "or 2026-03-02T09:00 (add +03:00 or Z for an explicit offset)").format(option=option, text=text)
        ) from exc


def parse_day(text: str | None, tz: str, now: int, *, option: str) -> dt.date:
    """A calendar day: ``today``, ``yesterday`` or YYYY-MM-DD; None → today."""
    if text is None:
        return today(now, tz)
    low = str(text).strip().lower()
    if low == "today":
        return today(now, tz)
    if low == "yesterday":
        return today(now, tz) - dt.timedelta(days=1)
    try:
        return timeutil.parse_date(text)
    except ValueError as exc:
        raise _named(option, exc) from exc


def _typed(text: str) -> str:
    """A number typed in the notation of a logbook whose language writes a decimal comma (``12,50``,
    ``1.234,50`` in Spanish), as plain text (``12.50``), the way the app reads amounts; elsewhere as
    typed: money's own check takes plain numbers and refuses ``1,000``, which a guess would read."""
    lang = i18n.language()
    if lang == "en" or lang.startswith("en_") or "," not in i18n.number(Decimal("1.5"), 1):
        return text
    return everyday.amount_text(text) or text


def parse_money(text: str | None, *, option: str) -> Decimal | None:
    """An amount of 0 or more, exact; None stays None. Typed in the logbook's notation
    (``12,50`` in Spanish) or as a plain number (``12.50``)."""
    if text is None:
        return None
    try:
        return money.parse_amount(_typed(text))
    except ValueError as exc:
        raise _named(option, exc) from exc


def parse_currency(text: str | None, *, option: str) -> str | None:
    if text is None:
        return None
    try:
        return money.check_currency(text)
    except ValueError as exc:
        raise _named(option, exc) from exc


def parse_fx_rate(text: str, *, option: str) -> Decimal:
    try:
        return money.parse_rate_decimal(_typed(text))
    except ValueError as exc:
        raise _named(option, exc) from exc


def parse_count(text: str | None, *, option: str) -> int | None:
    """A whole number of 0 or more (tasks, items)."""
    if text is None:
        return None
    s = str(text).strip()
    if not re.fullmatch(r"\d+", s):
        raise CLIError(_("{option}: '{text}' is not a count; write a whole number like 12").format(
            option=option, text=text))
    return int(s)


def parse_minutes(text: str, *, option: str) -> int:
    """Minutes (decimals allowed: 7.5) → whole seconds, more than 0."""
    try:
        value = money.parse_amount(text)
    except ValueError as exc:
        raise CLIError(_("{option}: '{text}' is not a number of minutes; write e.g. 45 or 7.5").format(
            option=option, text=text)) from exc
    if value <= 0:
        raise CLIError(_("{option}: must be more than 0 minutes").format(option=option))
    return int((value * 60).to_integral_value())


def need_project(store: Store, platform: str, project: str | None) -> None:
    """Fail with a useful line when ``project`` is not in the logbook (typos happen)."""
    if project is None or not project.strip():
        return
    if store.project_row(platform, project) is not None:
        return
    known = store.frames(work_ids=[]).projects
    here = sorted(known.loc[known["platform"] == platform.strip(), "project"].tolist())
    command = f"taskerlog project add {_q(platform)} {_q(project)}"
    if here:
        raise CLIError(_("there is no project '{project}' on {platform} (projects on {platform}: {known}); "
                         "add it with: {command}").format(project=project, platform=platform,
                                                          known=", ".join(here), command=command))
    raise CLIError(_("there is no project '{project}' on {platform}; add it with: {command}").format(
        project=project, platform=platform, command=command))


def _q(name: str) -> str:
    return f'"{name}"' if re.search(r"\s", name) else name


def new_platform_note(store: Store, platform: str) -> str | None:
    """A note when a name would create a platform the logbook has never seen (a typo?)."""
    if store.platform_id(platform, create=False) is None:
        return _("(new platform '{platform}')").format(platform=platform.strip())
    return None
