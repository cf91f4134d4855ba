"""The daily path's rules, one implementation for the app and the command line.

- a *forgotten clock*: one running longer than the logbook's threshold (``long_clock_hours``
  in its settings, 8 h unless set) is not taken as work without a question;
- a stop or a corrected start time typed as a local day and time, checked against the clock;
- today and this week at a glance (the figures of ``taskerlog status``);
- amounts typed with a decimal comma ("12,50") where that is unambiguous;
- durations as ``h:mm`` and one-line summaries of what a save recorded.

Functions take ``now`` as an argument; a store is passed in, never imported.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from . import render, timeutil, vocab
from .i18n import _
from .problems import fix, say

LONG_CLOCK_KEY = "long_clock_hours"
DEFAULT_LONG_CLOCK_HOURS = Decimal(8)


# -- the forgotten clock ------------------------------------------------------------------
def long_clock_hours(store) -> Decimal:
    """The logbook's threshold for asking "Still working?" (hours; 8 unless set)."""
    raw = store.settings_raw().get(LONG_CLOCK_KEY)
    try:
        value = Decimal(str(raw)) if raw else DEFAULT_LONG_CLOCK_HOURS
    except ArithmeticError:
        return DEFAULT_LONG_CLOCK_HOURS
    return value if value > 0 else DEFAULT_LONG_CLOCK_HOURS


def check_long_clock_hours(text: str | Decimal | int) -> Decimal:
    """A threshold typed by the worker: hours, more than 0 and at most 7 days."""
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except ArithmeticError:
        raise ValueError(say("clock.not_hours", "'{text}' is not a number of hours; write it like 8 or 10.5",
                             text=text)) from None
    if not value.is_finite() or value <= 0 or value > 168:
        raise ValueError(say("clock.hours_range", "{text} hours: give a number of hours above 0 and at most 168 (a "
                             "week)", text=text))
    return value


def set_long_clock_hours(store, hours: str | Decimal | int, source: str = "manual") -> Decimal:
    """Save the threshold in the logbook's settings (journaled)."""
    value = check_long_clock_hours(hours)
    store.set_setting(LONG_CLOCK_KEY, str(value), source)
    return value


def is_forgotten(started_at: int, now: int, hours: Decimal) -> bool:
    """A clock that has run longer than ``hours``: ask before counting it as work."""
    return now - int(started_at) > hours * 3600


def forgotten_warning(clock: dict[str, Any], now: int, hours: Decimal, tz: str) -> str:
    """A forgotten clock, and how to stop it at the time the work stopped (the app asks the
    same with buttons)."""
    what = clock["platform"] + (f" / {clock['project']}" if clock.get("project") else "")
    return say("clock.forgotten", "still working? clock #{id} ({what}) has run {ran} since {since}, longer than "
               "{hours} h. If you stopped earlier, stop it at that time: {fix}", id=clock["id"], what=what,
               ran=fmt_hm(now - int(clock["started_at"])),
               since=_minute(clock["started_at"], tz), hours=_hours(hours),
               fix=fix("stop_clock_at", id=clock["id"]))


def _hours(h: Decimal) -> str:
    return format(h.normalize(), "f")


def stop_instant(day: dt.date, time: dt.time, tz: str, started_at: int, now: int) -> int:
    """A stop typed as a local day and time → epoch seconds, after the start and not after now."""
    at = timeutil.parse_instant(dt.datetime.combine(day, time).isoformat(timespec="minutes"), tz)
    if at <= int(started_at):
        raise ValueError(say("clock.stop_before_start_at", "the clock started at {at}; the stop must be after that",
                             at=_minute(started_at, tz)))
    if at > now + 60:
        raise ValueError(say("clock.stop_in_future", "{at} is still to come; a clock stops now or at a time already "
                             "past", at=_minute(at, tz)))
    return min(at, now)


def start_instant(day: dt.date, time: dt.time, tz: str, now: int) -> int:
    """A corrected start typed as a local day and time: not after now."""
    at = timeutil.parse_instant(dt.datetime.combine(day, time).isoformat(timespec="minutes"), tz)
    if at >= now:
        raise ValueError(say("clock.start_in_future", "{at} is not yet past; a clock's start is a time already past",
                             at=_minute(at, tz)))
    return at


def _minute(at: int, tz: str) -> str:
    return f"{timeutil.to_local(int(at), tz):%Y-%m-%d %H:%M}"


# -- display -------------------------------------------------------------------------------
fmt_hm = render.hm
"""Seconds → ``h:mm`` (:func:`taskerlog.render.hm`)."""


def fmt_amount(value: Decimal | str | None) -> str:
    """An amount to cents with thousands grouped (``9950`` → ``9,950.00``): :func:`taskerlog.render.grouped`."""
    return render.grouped(value)


def payout_summary(amount: Decimal | str, currency: str, fee: Decimal | str | None,
                   received: Decimal | str | None, received_currency: str | None) -> str:
    """``Payout USD 80.00 − 2.50 fee, KES 9,950.00 received`` (the parts that were given)."""
    values = dict(currency=currency, amount=fmt_amount(amount), received_currency=received_currency or currency,
                  received=fmt_amount(received), fee=fmt_amount(fee))
    with_fee = fee is not None and Decimal(str(fee)) != 0
    if with_fee and received is not None:
        text = _("Payout {currency} {amount} − {fee} fee, {received_currency} {received} received")
    elif with_fee:
        text = _("Payout {currency} {amount} − {fee} fee")
    elif received is not None:
        text = _("Payout {currency} {amount}, {received_currency} {received} received")
    else:
        text = _("Payout {currency} {amount}")
    return text.format(**values)


def entry_summary(row: dict[str, Any], home: str) -> str:
    """What a saved entry was: ``1:30 of tasking on Outlier · Genesis, earned USD 30.00``."""
    values = dict(length=fmt_hm(int(row["end_epoch"]) - int(row["start_epoch"])), kind=vocab.shown(row["kind"]),
                  what=row["platform"] + (f" · {row['project']}" if row.get("project") else ""))
    if row.get("pay_home") is not None:
        return _("{length} of {kind} on {what}, earned {currency} {amount}").format(
            **values, currency=home, amount=fmt_amount(row["pay_home"]))
    if row.get("fx_missing"):
        return _("{length} of {kind} on {what} (its pay needs an exchange rate)").format(**values)
    return _("{length} of {kind} on {what}, {status} (earns nothing)").format(
        **values, status=vocab.shown(row["status"]))


# -- typed amounts -------------------------------------------------------------------------
_COMMA_DECIMAL = re.compile(r"^-?\d+,\d{1,2}$")
_DOT_THOUSANDS_COMMA_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})+,\d{1,2}$")


def amount_text(text: str | None) -> str | None:
    """A typed amount, as the plain decimal text the records take: read in the notation of
    the language in use (:func:`taskerlog.i18n.parse_number`): ``12,50`` → ``12.50`` and
    ``1.234,50`` → ``1234.50`` in Spanish, Portuguese or French; ``1,234.50`` → ``1234.50`` in
    English or Swahili. A decimal comma is also read in a language that writes a point,
    where it cannot be anything else (``12,50``, ``1.234,50``: a comma before one or two
    digits separates no thousands). Anything else (``1,234`` in Spanish) is left as typed,
    for the amount's own check to read as a plain number or refuse with its usual words.
    Blank stays None."""
    from .i18n import parse_number

    if text is None or not str(text).strip():
        return None
    s = str(text).strip()
    try:
        return format(parse_number(s), "f")
    except ValueError:
        pass
    if _COMMA_DECIMAL.match(s) or _DOT_THOUSANDS_COMMA_DECIMAL.match(s):
        return s.replace(".", "").replace(",", ".")
    return s


# -- today and this week -------------------------------------------------------------------
def today_and_week(store, now: int) -> dict[str, Any]:
    """Today's and this week's figures (``taskerlog status``; the Log page's glance). Reads
    only this week's entries, so it is quick on a big logbook. Running clocks are not counted."""
    tz = store.settings().timezone
    today = timeutil.to_local(now, tz).date()
    monday = timeutil.week_monday(today)
    frames = store.frames(work_start=(timeutil.local_midnight(monday, tz),
                                      timeutil.local_midnight(monday + dt.timedelta(days=7), tz)))
    return figures(frames, today)[0]


def figures(frames, today: dt.date) -> tuple[dict[str, Any], Any]:
    """:func:`today_and_week`'s figures of ``frames`` (which hold at least this week's entries),
    and the ``metrics.prepare`` they came from (None when the figures could not be worked out:
    ``problem`` says why), for the caller to reuse."""
    from . import metrics

    monday = timeutil.week_monday(today)
    out: dict[str, Any] = {"today": None, "week": None, "problem": None}
    try:
        prepared = metrics.prepare(frames)
        d = metrics.compute(frames, date_from=today, date_to=today, breakdowns=False, today=today,
                            prepared=prepared)
        w = metrics.compute(frames, date_from=monday, date_to=monday + dt.timedelta(days=6),
                            breakdowns=False, today=today, prepared=prepared)
    except metrics.MetricsError as exc:
        out["problem"] = str(exc)
        return out, None
    out["today"] = {"date": today.isoformat(), "hours_worked": d["hours_worked"],
                    "hours_paid": d["hours_paid"], "earned": d["earned"],
                    "effective_hourly_wage": d["effective_hourly_wage"]}
    out["week"] = {"week": timeutil.iso_week_label(today), "from": monday.isoformat(),
                   "to": (monday + dt.timedelta(days=6)).isoformat(),
                   "hours_worked": w["hours_worked"], "hours_paid": w["hours_paid"], "earned": w["earned"],
                   "effective_hourly_wage": w["effective_hourly_wage"],
                   "paid_hourly_rate": w["paid_hourly_rate"], "eq_days": w.get("eq_days")}
    return out, prepared
