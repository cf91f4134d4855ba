"""Reference wages: the legal minimums shipped in ``data/minimum_wages.csv``, or the worker's own.

Each row of the table is one published figure: the amount in the unit it was published
in (per hour, day or month), the hours used to turn it into an hourly figure, the date
it took effect and its source. A place may have several rows; the one in force on a day
is the latest whose ``effective_from`` is on or before it. The figures are dated: the
worker must check the current one (docs/evidence.md says so, and so does the report).
"""

from __future__ import annotations

import csv
import functools
import datetime as dt
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from importlib import resources

from .. import i18n, money
from ..i18n import N_, _
from ..model import Logbook
from ..problems import fix, say

CENT = Decimal("0.01")


class ReferenceError_(ValueError):
    """A reference wage that cannot be used; the message says what to do."""


@dataclass(frozen=True)
class MinimumWage:
    """One published legal minimum wage."""

    key: str
    place: str
    currency: str
    amount: Decimal
    unit: str
    """``hour``, ``day`` or ``month``: the unit the figure was published in."""
    hours_per_unit: Decimal
    hours_basis: str
    """How ``hours_per_unit`` was chosen (e.g. "8-hour day")."""
    effective_from: dt.date
    source: str
    notes: str

    @property
    def hourly(self) -> Decimal:
        """The hourly figure: ``amount ÷ hours_per_unit``, rounded to the cent (half to even)."""
        return (self.amount / self.hours_per_unit).quantize(CENT, rounding=ROUND_HALF_EVEN)

    def explain(self) -> str:
        """How the hourly figure was reached, in one line, in the current language (the
        figures as the table gives them; the place, basis and source stay as issued)."""
        from ..render import local  # the figures as the table gives them, in the language's notation

        if self.unit == "hour":
            return _("{amount} {currency} per hour, in force from {day}").format(
                amount=local(str(self.amount)), currency=self.currency, day=self.effective_from)
        per = {"day": _("{amount} {currency} per day ÷ {hours} hours ({basis}) = {hourly} {currency} per hour, "
                        "in force from {day}"),
               "month": _("{amount} {currency} per month ÷ {hours} hours ({basis}) = {hourly} {currency} per hour, "
                          "in force from {day}")}[self.unit]
        return per.format(amount=local(str(self.amount)), currency=self.currency, hours=local(str(self.hours_per_unit)),
                          basis=self.hours_basis, hourly=local(str(self.hourly)), day=self.effective_from)


def load_table(text: str | None = None) -> list[MinimumWage]:
    """The shipped table (or ``text`` in the same format), validated."""
    if text is None:
        text = resources.files("taskerlog").joinpath("data/minimum_wages.csv").read_text(encoding="utf-8")
    out = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            unit = row["unit"].strip()
            if unit not in ("hour", "day", "month"):
                raise ValueError(f"unit '{unit}' is not hour, day or month")
            hours = Decimal(row["hours_per_unit"])
            if hours <= 0:
                raise ValueError("hours_per_unit must be more than 0")
            out.append(MinimumWage(
                key=row["key"].strip(), place=row["place"].strip(),
                currency=money.check_currency(row["currency"]), amount=money.parse_amount(row["amount"]),
                unit=unit, hours_per_unit=hours, hours_basis=(row["hours_basis"] or "").strip(),
                effective_from=dt.date.fromisoformat(row["effective_from"].strip()),
                source=row["source"].strip(), notes=(row["notes"] or "").strip()))
        except (ValueError, KeyError, ArithmeticError) as exc:
            raise ReferenceError_(f"minimum_wages.csv:{line}: {exc}") from exc
    return out


def keys(table: list[MinimumWage] | None = None) -> list[str]:
    table = load_table() if table is None else table
    return sorted({w.key for w in table})


_COUNTRY_KEYS = {"GB": "uk"}
"""ISO 3166 codes whose table key is not the code itself."""


@functools.cache
def country_of_zone(tz: str) -> str | None:
    """The ISO 3166 country of an IANA time zone (tzdata's zone.tab), e.g. Africa/Nairobi → KE."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not line.startswith("#") and parts[2] == tz:
            return parts[0]
    return None


def key_for_zone(tz: str, available: list[str]) -> str | None:
    """The minimum wage a worker in ``tz`` most likely means (a national or federal one
    before a city's or a state's), or None when the table has none for that country."""
    cc = country_of_zone(tz)
    if cc is None:
        return None
    prefix = _COUNTRY_KEYS.get(cc, cc.lower())
    mine = [k for k in available if k == prefix or k.startswith(prefix + "-")]
    return min(mine, key=lambda k: (k != prefix, "federal" not in k, k)) if mine else None


def minimum_wage(key: str, on: dt.date | None, table: list[MinimumWage] | None = None) -> MinimumWage:
    """The figure for ``key`` in force on ``on`` (the latest one when ``on`` is None)."""
    table = load_table() if table is None else table
    rows = sorted((w for w in table if w.key == key), key=lambda w: w.effective_from)
    if not rows:
        raise ReferenceError_(f"there is no minimum wage called '{key}'; choose one of: {', '.join(keys(table))}")
    if on is None:
        return rows[-1]
    in_force = [w for w in rows if w.effective_from <= on]
    if not in_force:
        raise ReferenceError_(say("evidence.minimum_too_late", "the table's first figure for '{key}' took effect on "
                                  "{first}, after {on}; give the figure that applied with {fix}", key=key,
                                  first=str(rows[0].effective_from), on=str(on), fix=fix("reference_wage")))
    return in_force[-1]


@dataclass(frozen=True)
class Reference:
    """The hourly wage a report measures against, and where it came from."""

    hourly: Decimal
    currency: str
    label: str
    origin: str
    """``legal minimum`` (from the table), ``worker's figure`` (logbook settings) or
    ``given for this report`` (command line / page)."""
    detail: str
    source: str = ""
    effective_from: dt.date | None = None
    other_figures: tuple[str, ...] = ()
    """Other figures of the same minimum in force during part of the period."""

    minimum: MinimumWage | None = None
    """The table's row, for a legal minimum."""
    others: tuple[MinimumWage, ...] = ()
    """The rows behind ``other_figures``."""
    own_label: bool = False
    """``label`` is the worker's own words (from settings), shown as written."""

    def words(self) -> tuple[str, str, str, tuple[str, ...]]:
        """``(label, origin, detail, other figures)`` in the current language, for showing.

        The fields themselves stay English (the evidence manifest keeps them); place names,
        sources and the worker's own label stay as written."""
        origin = _(ORIGINS[self.origin]) if self.origin in ORIGINS else self.origin
        if self.minimum is not None:
            return (_("Legal minimum: {place}").format(place=self.minimum.place), origin, self.minimum.explain(),
                    tuple(o.explain() for o in self.others))
        if self.origin == GIVEN:
            return (_("Reference wage given for this report"), origin,
                    _("{amount} {currency} per hour").format(amount=self.hourly, currency=self.currency), ())
        label = self.label if self.own_label else _("The worker's own reference wage")
        return (label, origin, _("{amount} {currency} per hour, from the logbook's settings").format(
            amount=self.hourly, currency=self.currency), ())

    def describe(self) -> str:
        label, origin, _detail, _others = self.words()
        text = _("{label}: {amount} {currency} per hour ({origin})").format(
            label=label, amount=self.hourly, currency=self.currency, origin=origin)
        if self.source:
            text = _("{text}. Source: {source}").format(text=text, source=self.source)
        return text


LEGAL, OWN, GIVEN = "legal minimum", "worker's figure", "given for this report"
ORIGINS = {LEGAL: N_("legal minimum"), OWN: N_("worker's figure"), GIVEN: N_("given for this report")}
"""Where a reference came from: the value kept in the manifest → its words."""


def choose_reference(settings: Logbook, *, minimum: str | None = None, reference_wage: Decimal | str | None = None,
                     reference_currency: str | None = None, date_from: dt.date | None = None,
                     date_to: dt.date | None = None, table: list[MinimumWage] | None = None) -> Reference | None:
    """Pick the reference: ``--minimum KEY``, else ``--reference-wage``, else the logbook's own.

    A legal minimum is the figure in force on the period's last day; figures of the same
    minimum that took effect inside the period are listed in ``other_figures``.
    """
    if minimum and reference_wage is not None:
        raise ReferenceError_(say("evidence.two_references", "choose either {fix}, not both",
                                  fix=fix("minimum_or_own")))
    if minimum:
        table = load_table() if table is None else table
        w = minimum_wage(minimum, date_to, table)
        others = []
        if date_from is not None:
            try:
                first = minimum_wage(minimum, date_from, table)
            except ReferenceError_:
                first = None
            same = [o for o in table if o.key == w.key and o is not w]
            others = [o for o in same if o is first or date_from < o.effective_from <= (date_to or o.effective_from)]
        with i18n.using("en"):  # the fields are kept in the manifest as they always were; words() shows them
            detail, other_figures = w.explain(), tuple(o.explain() for o in others)
        return Reference(hourly=w.hourly, currency=w.currency, label=f"Legal minimum: {w.place}",
                         origin=LEGAL, detail=detail, source=w.source,
                         effective_from=w.effective_from, other_figures=other_figures, minimum=w, others=tuple(others))
    if reference_wage is not None:
        amount = money.parse_amount(reference_wage)
        cur = money.check_currency(reference_currency or settings.home_currency)
        return Reference(hourly=amount, currency=cur, label="Reference wage given for this report",
                         origin=GIVEN, detail=f"{amount} {cur} per hour")
    if settings.reference_wage is not None:
        cur = settings.reference_currency or settings.home_currency
        label = settings.reference_label or "The worker's own reference wage"
        return Reference(hourly=settings.reference_wage, currency=cur, label=label, origin=OWN,
                         detail=f"{settings.reference_wage} {cur} per hour, from the logbook's settings",
                         own_label=bool(settings.reference_label))
    return None
