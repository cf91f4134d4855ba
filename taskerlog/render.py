"""Plain text for people: aligned tables, hours, money and durations.

Pure functions of their arguments (no clock, no I/O): the commands choose between this
and JSON. Numbers arrive as exact Decimals or decimal strings and are only rounded here,
for display; figures keep every digit in JSON.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, Iterable, Sequence

from . import i18n, money, problems, vocab
from .i18n import _, ngettext
from .problems import fix, say

# a number in any language's notation: 1,234.50 · 1.234,50 · 1 234,50 (a no-break space)
_NUMERIC = re.compile(r"^[−+-]?\d[\d,.\u00a0\u202f]*\*?( ?%| h)?$")


def local(text: str) -> str:
    """A number written the English way (``1,234.50``, ``-3.5``) in the current language's
    notation (``1.234,50`` in Brazil, ``1 234,50`` in France), digits unchanged: how every
    figure here reaches a person. English (any country) is written as it is, without
    loading Babel's locale data."""
    lang = i18n.language()
    if lang == "en" or lang.startswith("en_"):
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    places = len(digits.split(".")[1]) if "." in digits else 0
    return sign + i18n.number(Decimal(digits.replace(",", "")), places)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, empty: str | None = None) -> str:
    """An aligned table; numeric-looking columns are right-aligned. None shows as blank."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if not cells:
        return _("(nothing yet)") if empty is None else empty
    widths = [len(h) for h in headers]
    for row in cells:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], len(v))
    numeric = [
        all(_NUMERIC.match(row[i]) or row[i] in ("", "-") for row in cells) and any(row[i] for row in cells)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        out = [v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in enumerate(values)]
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(list(headers)), rule, *(line(r) for r in cells)])


def pairs(rows: Iterable[tuple[str, Any]], *, indent: str = "  ") -> str:
    """``label   value`` lines with the values lined up."""
    rows = [(k, "" if v is None else str(v)) for k, v in rows]
    if not rows:
        return ""
    w = max(len(k) for k, _v in rows)
    return "\n".join(f"{indent}{k.ljust(w)}  {v}".rstrip() for k, v in rows)


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def amount(value: Any, places: int = 2) -> str:
    """Money for reading: at least ``places`` decimals, more when a piece rate needs them
    (0.005 stays 0.005); blank for None."""
    d = _dec(value)
    if d is None:
        return ""
    text = money.format_amount(d)
    if len(text.split(".")[1]) > places:
        return local(text)
    return local(money.format_amount(d, places))


def figure(value: Any, places: int = 2) -> str:
    """A computed figure (a wage, a sum) rounded for reading; "n/a" when undefined."""
    d = _dec(value)
    if d is None:
        return _("n/a")
    return local(money.format_amount(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN), places))


def grouped(value: Any, places: int = 2, *, micros: bool = False) -> str:
    """Money for a person to read, to ``places`` (half to even) with thousands grouped:
    ``"1000000054.505"`` → ``"1,000,000,054.50"``; blank when not recorded (None, NaN, NA).
    ``micros``: ``value`` is integer micro-units. The one money formatter of the app's pages
    and the command line's entry lists; exact figures stay in JSON and CSV."""
    if value is None:
        return ""
    try:
        d = money.from_micros(int(value)) if micros else _dec(value)
    except (TypeError, ValueError):  # pandas.NA, NaN in micro-units
        return ""
    if d is None or not d.is_finite():
        return ""
    return local(format(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN), f",.{places}f"))


def money_text(value: Any, currency: str, places: int = 2) -> str:
    """``"13.214285"`` → ``"USD 13.21"``, ``"105216.5"`` → ``"KES 105,216.50"``; None → ``"—"``
    (undefined, e.g. no hours)."""
    if value is None:
        return "—"
    return f"{currency} {grouped(value, places)}"


def hm(seconds: int | float) -> str:
    """Seconds → ``h:mm`` (a 1-minute task is ``0:01``, 14 hours ``14:00``), minutes rounded
    down: how both shells show a length of time worked."""
    minutes = max(0, int(seconds)) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def signed_percent(value: Any, places: int = 1) -> str:
    """A change in % with its sign: ``+10.0%``, ``−42.9%`` (half to even)."""
    d = _dec(value)
    if d is None:
        return _("n/a")
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    return f"{'−' if q < 0 else '+'}{_percent_sign(local(str(abs(q))))}"


def rate_was(before: Any, change_pct: Any) -> str:
    """What a new rate replaced, after the new rate: `` (was 35.00, −42.9%)``; `` (was 0.00)``
    when there is no % to give; blank for a project's first rate (``before`` None)."""
    if before is None:
        return ""
    if change_pct is None:
        return " " + _("(was {rate})").format(rate=amount(before))
    return " " + _("(was {rate}, {change})").format(rate=amount(before), change=signed_percent(change_pct))


def entry_pay(row: dict[str, Any]) -> str:
    """The pay an entry counts for (a row of ``usecases.list_entries``), as both shells show
    it in their lists: ``1,050.00``; ``no exchange rate``; ``0.00 (no rate applies)`` or
    ``0.00 (no number of tasks)`` when the rate gave nothing; blank when its status earns
    nothing (rejected, returned, lost, capped, unpaid)."""
    if row["fx_missing"]:
        return _("no exchange rate")
    if row["pay_home"] is None:
        return ""
    if row.get("unpriced") == "no_rate":
        return _("{pay} (no rate applies)").format(pay=grouped(row["pay_home"]))
    if row.get("unpriced") == "no_units":
        return _("{pay} (no number of tasks)").format(pay=grouped(row["pay_home"]))
    return grouped(row["pay_home"])


def hours(value: Any) -> str:
    """Decimal hours → ``3.50 h`` (``1,234.50 h``), half to even: both shells' hours."""
    d = _dec(value)
    if d is None:
        return _("n/a")
    return f"{local(format(d.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN), ','))} h"


def percent(value: Any, places: int = 1) -> str:
    d = _dec(value)
    if d is None:
        return _("n/a")
    return _percent_sign(local(str(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))))


def _percent_sign(number: str) -> str:
    """``8.8%``; ``8,8 %`` in Spanish and French, whose percent sign stands after a no-break space
    (Babel's percent pattern for the language)."""
    lang = i18n.language()
    if lang == "en" or lang.startswith("en_"):
        return number + "%"
    from babel import Locale

    pattern = Locale.parse(i18n._babel_locale()).percent_formats[None].pattern
    return number + ("\xa0%" if "\xa0%" in pattern or " %" in pattern else "%")


def hours_of(seconds: int) -> str:
    """Seconds → decimal hours with two places (``1.50``), exact rounding."""
    return str((Decimal(int(seconds)) / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def weekly_verdict(m: dict[str, Any], money_text) -> str | None:
    """The answer to "was I paid below the reference?" as metrics.md asks for it: week by
    week, never the period's average ("below in 9 of 14 weeks, short by $348").
    ``money_text`` formats an amount of the home currency. None without a reference."""
    if m.get("weeks_below_reference") is None or m.get("weekly_shortfall") is None:
        return None
    n, of = int(m["weeks_below_reference"]), int(m.get("weeks_with_work") or 0)
    if of == 0:
        return _("no week with work in the period")
    if n == 0:
        return ngettext("not below in the {of} week with work", "not below in any of {of} weeks", of).format(of=of)
    return ngettext("below in {n} of {of} week, short by {amount}", "below in {n} of {of} weeks, short by {amount}",
                    of).format(n=n, of=of, amount=money_text(m["weekly_shortfall"]))


def before_logbook_hint(platform: str) -> str:
    """Said of a payout dated before the logbook's first work entry on its platform."""
    return _("this payout is dated before any work logged on {platform}. If it paid for work done before "
             "you started this logbook (a first payout usually does), mark it as for earlier work: it is then "
             "kept out of paid out and outstanding, which would otherwise go below zero.").format(platform=platform)


def negative_outstanding_note(outstanding: Any) -> str | None:
    """Why outstanding is below zero (the evidence report's note, no fix), or None when it is
    not."""
    d = _dec(outstanding)
    if d is None or d >= 0:
        return None
    return _("below zero: more was paid out than the logbook shows earned (a payout for work done before "
             "the logbook began, or work that was not logged)")


def negative_outstanding_sentence(outstanding: Any, *, line: bool = False) -> str | None:
    """The whole sentence saying outstanding is below zero, why and what to do (the app's
    caption and warning; ``line``: the command line's lower-case line), or None when it is
    not. One sentence per place, so each language words it whole."""
    d = _dec(outstanding)
    if d is None or d >= 0:
        return None
    if line:
        return say("outstanding.negative_line", "outstanding is below zero: more was paid out than the logbook "
                   "shows earned. Usually a payout for work done before the logbook began: mark it as for earlier "
                   "work ({fix}); else some work is not logged yet.", fix=problems.fix("mark_earlier_work"))
    return say("outstanding.negative_sentence", "Outstanding is below zero: more was paid out than the logbook "
               "shows earned. Usually a payout for work done before the logbook began: mark it as for earlier "
               "work ({fix}); else some work is not logged yet.", fix=problems.fix("mark_earlier_work"))


def unpriced_note(u: dict[str, Any]) -> str:
    """Why an entry earns nothing (one of ``metrics.unpriced_entries``) and the fix, in the
    words of the shell in use (``taskerlog.problems``)."""
    return say("unpriced.entry", "this {kind} entry earns nothing: {why}", kind=problems.Word(u["kind"]), why=_unpriced_why(u))


def _unpriced_why(u: dict[str, Any]) -> str:
    day = u["day"].isoformat()
    what = f"{u['platform']} / {u['project']}"
    if u["reason"] == "no_units":
        return say("unpriced.no_units", "{what} pays per task and the entry has no number of tasks; {fix}.",
                   what=what, fix=fix("add_units", id=u["id"]))
    if u["first_rate_day"] is None:
        return say("unpriced.no_rate", "{what} has no rate for {kind} work; {fix}.", what=what,
                   kind=problems.Word(u["kind"]),
                   fix=fix("add_rate", platform=u["platform"], project=u["project"], day=day))
    return say("unpriced.before_first_rate", "it starts on {day}, before the first rate of {what} (from {first}), "
               "so no rate applies to it. If the rate applied already then, set the rate's start date to {day} or "
               "earlier ({fix}).", day=day, what=what, first=u["first_rate_day"].isoformat(),
               fix=fix("move_rate_start", day=day))


def unpriced_summary(found: list[dict[str, Any]]) -> str | None:
    """Several unpriced entries (``metrics.unpriced_entries``) in one warning: how many,
    and the first one's reason and fix."""
    if not found:
        return None
    first = min(found, key=lambda u: (u["day"], u["id"]))
    n = len(found)
    return ngettext("{n} entry earns nothing because no pay could be worked out for it. It is a {kind} entry: {why}",
                    "{n} entries earn nothing because no pay could be worked out for them. The first is a {kind} "
                    "entry: {why}", n).format(n=n, kind=vocab.shown(first["kind"]), why=_unpriced_why(first))
