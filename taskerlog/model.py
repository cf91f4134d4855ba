"""The logbook's records: immutable, documented, validated with messages a worker reads.

Instants are integer seconds since the Unix epoch (UTC); calendar dates are
``datetime.date`` in the logbook's time zone; money is ``Decimal`` (see money.py).
The vocabulary (kinds, statuses, pay models) is the one in shared/docs/metrics.md and
interchange.md; ``KINDS`` is ordered as metrics.md lists them, which breaks ties when
unpaid time is attributed to a kind.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from . import i18n, money, timeutil
from .i18n import N_, _
from .problems import problems_of, say
from .vocab import (  # noqa: F401  (the vocabulary, re-exported: it is the model's too)
    BILLABLE_KINDS, END_REASONS, EARNING_STATUSES, FAILED_STATUSES, KINDS, PAY_MODELS, RATE_UNITS, STATUSES,
    UNPAID_KEYS, UNPAID_KINDS, applies_to_text, default_status, parse_applies_to,
)

def fee_above_amount() -> str:
    return say("model.fee_above_amount", "the fee is more than the amount paid; the amount is the gross, before "
               "the fee came off")


MAX_UNITS = 10_000_000
"""The most tasks or items one entry may hold (more is a typo, and would overflow its pay)."""


def too_many_units(v) -> str:
    return say("model.too_many_units", "'{value}' tasks in one entry is more than {most}: almost certainly a typo",
               value=v, most=i18n.number(MAX_UNITS))


def received_without_amount() -> str:
    return say("model.received_without_amount", "give the amount received too (what arrived, in that currency)")


def received_in(amount, currency: str | None, home: str) -> str | None:
    """A payout's ``received_currency`` as the worker gives it: the currency typed, or the
    home currency when only the amount that arrived is given; None when nothing is said to
    have arrived. A currency without an amount says nothing and is refused (ValueError,
    :func:`received_without_amount`): the command line and the app ask the same."""
    if amount in (None, ""):
        if currency not in (None, ""):
            raise ValueError(received_without_amount())
        return None
    return currency if currency not in (None, "") else home


Day = Annotated[dt.date, AfterValidator(lambda d: timeutil.check_year(d))]
"""A calendar day in the years a logbook holds (1900-2199: 9999 is a typo)."""

Kind = Literal["tasking", "review", "training", "onboarding", "assessment", "instructions", "meeting", "admin", "waiting"]
Status = Literal["paid", "pending", "rejected", "returned", "lost", "capped", "unpaid"]

_FROZEN = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)


YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0", "")


def parse_yes_no(v) -> bool:
    """A yes/no cell as the bundle and the record editor read it: yes/y/true/1, or
    no/n/false/0/blank (any case)."""
    if v is None or isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        v = str(v)
    text = str(v).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(not_yes_no(v))


def not_yes_no(v) -> str:
    return say("model.not_yes_no", "'{value}' is not yes or no; write yes, or leave it blank", value=v)

class Logbook(BaseModel):
    """The logbook's settings."""

    model_config = _FROZEN
    home_currency: str = "USD"
    """ISO 4217 code all figures are reported in."""
    timezone: str = "UTC"
    """IANA zone for days and weeks, and for times written without an offset."""
    reference_wage: Decimal | None = None
    """A legal minimum or target hourly wage to measure against (optional)."""
    reference_currency: str | None = None
    """Currency of ``reference_wage`` (default: the home currency)."""
    reference_label: str | None = None
    """What the reference is, e.g. "Kenya minimum wage 2026"."""
    language: str | None = None
    """The language and country to speak and write numbers in (``es``, ``pt_BR``, ``sw_KE``);
    None: the system's language where taskerlog speaks it, else English (docs/languages.md)."""

    @field_validator("home_currency", "reference_currency")
    @classmethod
    def _currency(cls, v: str | None) -> str | None:
        return None if v in (None, "") else money.check_currency(v)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        timeutil.zone(v)
        return v

    @field_validator("language")
    @classmethod
    def _language(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        from . import i18n

        return i18n.check_language(v)

    @field_validator("reference_wage", mode="before")
    @classmethod
    def _ref(cls, v):
        return None if v in (None, "") else money.parse_amount(v)


class Project(BaseModel):
    """A project on a platform, as the worker knows it (code names change; keep them)."""

    model_config = _FROZEN
    platform: Annotated[str, Field(min_length=1, max_length=200)]
    """The platform or subcontractor: Outlier, Remotasks, MTurk, ..."""
    project: Annotated[str, Field(min_length=1, max_length=200)]
    """The project's name on that platform ("Genesis Dolphin")."""
    pay_model: Literal["hourly", "per_task"] = "hourly"
    """``hourly`` pays hours × rate, ``per_task`` pays units × rate."""
    currency: str = "USD"
    """Currency the project pays in."""
    advertised_rate: Decimal | None = None
    """What the project was advertised at; blank: its first recorded rate stands for it."""
    started_on: Day | None = None
    ended_on: Day | None = None
    end_reason: Literal["finished", "removed", "quit", "paused"] | None = None
    """Why it ended: finished, removed (e.g. "quality issue"), quit, paused."""
    notes: str | None = None

    _c = field_validator("currency")(lambda cls, v: money.check_currency(v))

    @field_validator("advertised_rate", mode="before")
    @classmethod
    def _adv(cls, v):
        return None if v in (None, "") else money.parse_amount(v)

    @model_validator(mode="after")
    def _dates(self):
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValueError(say("model.ended_before_start", "the day it ended (ended_on) is before the day it "
                                 "started (started_on)"))
        return self


class Rate(BaseModel):
    """From ``effective_at`` on, work of the kinds in ``applies_to`` pays ``rate`` per ``unit``."""

    model_config = _FROZEN
    platform: Annotated[str, Field(min_length=1)]
    project: Annotated[str, Field(min_length=1)]
    effective_at: int
    """Epoch seconds (UTC) from which the rate applies."""
    rate: Decimal
    unit: Literal["hour", "task"] = "hour"
    currency: str = "USD"
    applies_to: tuple[str, ...] = BILLABLE_KINDS
    """Kinds the rate pays; default all billable kinds."""
    note: str | None = None

    _c = field_validator("currency")(lambda cls, v: money.check_currency(v))

    @field_validator("rate", mode="before")
    @classmethod
    def _rate(cls, v):
        return money.parse_amount(v)

    @field_validator("applies_to", mode="before")
    @classmethod
    def _applies(cls, v):
        if v is None or isinstance(v, str):
            return parse_applies_to(v)
        return parse_applies_to(";".join(v))


class WorkEntry(BaseModel):
    """A span of time ``[start, end)`` spent on the work, and what came of its pay."""

    model_config = _FROZEN
    platform: Annotated[str, Field(min_length=1)]
    project: str | None = None
    """Blank for platform-level time (waiting, admin)."""
    kind: Kind
    start: int
    """Epoch seconds, UTC."""
    end: int
    """Epoch seconds, UTC; after ``start``."""
    units: int | None = None
    """Tasks or items done (needed for per-task pay)."""
    pay: Decimal | None = None
    """Recorded pay; blank: derived from the rate in effect (metrics.md)."""
    currency: str | None = None
    """Currency of ``pay``; blank: the project's currency, else the home currency."""
    status: Status | None = None
    """What came of the pay; blank: ``paid`` for billable kinds or recorded pay, else ``unpaid``."""
    external_id: str | None = None
    """The platform's task or HIT id."""
    note: str | None = None

    @field_validator("project", "external_id", "note", mode="before")
    @classmethod
    def _blank(cls, v):
        return None if v is None or str(v).strip() == "" else v

    @field_validator("currency", mode="before")
    @classmethod
    def _cur(cls, v):
        return None if v in (None, "") else money.check_currency(v)

    @field_validator("pay", mode="before")
    @classmethod
    def _pay(cls, v):
        return None if v in (None, "") else money.parse_amount(v)

    @field_validator("units")
    @classmethod
    def _units(cls, v):
        if v is not None and v < 0:
            raise ValueError(say("model.units_negative", "units must be 0 or more"))
        if v is not None and v > MAX_UNITS:
            raise ValueError(too_many_units(v))
        return v

    @model_validator(mode="after")
    def _span(self):
        if self.end <= self.start:
            raise ValueError(say("model.end_not_after_start", "the end must be after the start"))
        if self.end - self.start > 7 * 24 * 3600:
            raise ValueError(say("model.entry_too_long", "an entry longer than 7 days is almost certainly a typo; "
                                 "split it or fix the dates"))
        if self.status is None:
            object.__setattr__(self, "status", default_status(self.kind, self.pay))
        return self


class EQPeriod(BaseModel):
    """Inclusive calendar days on a platform with no work available (empty queue)."""

    model_config = _FROZEN
    platform: Annotated[str, Field(min_length=1)]
    start_date: Day
    end_date: Day | None = None
    """Blank: the queue is still empty."""
    note: str | None = None

    @model_validator(mode="after")
    def _order(self):
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError(say("model.eq_end_before_start", "the last day (end_date) is before the first "
                                 "(start_date)"))
        return self


class Payout(BaseModel):
    """Money the platform sent: gross ``amount`` before ``fee``; what arrived, after conversion."""

    model_config = _FROZEN
    platform: Annotated[str, Field(min_length=1)]
    paid_at: int
    amount: Decimal
    currency: str
    fee: Decimal = Decimal(0)
    method: str | None = None
    received_amount: Decimal | None = None
    received_currency: str | None = None
    reference: str | None = None
    note: str | None = None
    for_earlier_work: bool = False
    """Pays for work done before the logbook began (a newcomer's first payout): left out of
    paid out, fees, outstanding and the net wage, and reported as ``paid_out_earlier``."""

    @field_validator("for_earlier_work", mode="before")
    @classmethod
    def _earlier(cls, v):
        return parse_yes_no(v)

    @field_validator("amount", "fee", "received_amount", mode="before")
    @classmethod
    def _amt(cls, v):
        return None if v in (None, "") else money.parse_amount(v)

    @field_validator("currency", "received_currency", mode="before")
    @classmethod
    def _cur(cls, v):
        return None if v in (None, "") else money.check_currency(v)

    @model_validator(mode="after")
    def _fee(self):
        if self.fee is None:
            object.__setattr__(self, "fee", Decimal(0))
        if self.fee > self.amount:
            raise ValueError(fee_above_amount())
        return self


class Expense(BaseModel):
    """A cost of doing the work (internet bundle, electricity, equipment, cybercafé)."""

    model_config = _FROZEN
    date: Day
    category: Annotated[str, Field(min_length=1)]
    amount: Decimal
    currency: str
    platform: str | None = None
    """Blank for costs shared by all work."""
    note: str | None = None

    @field_validator("amount", mode="before")
    @classmethod
    def _amt(cls, v):
        return money.parse_amount(v)

    _c = field_validator("currency")(lambda cls, v: money.check_currency(v))

    @field_validator("platform", mode="before")
    @classmethod
    def _blank(cls, v):
        return None if v is None or str(v).strip() == "" else v


def home_rate_problem(currency: str, rate: Decimal, home: str) -> str | None:
    """An exchange rate for the home currency itself is 1 by definition; any other is a mistake."""
    if currency == home and rate != 1:
        return say("model.home_rate", "{currency} is the logbook's home currency: one {currency} is always 1 "
                   "{home}. An exchange rate gives one unit of another currency in {home}; delete this one or fix "
                   "its currency", currency=currency, home=home)
    return None


class FxRate(BaseModel):
    """One unit of ``currency`` is worth ``rate`` units of the home currency from ``date`` on."""

    model_config = _FROZEN
    date: Day
    currency: str
    rate: Decimal

    _c = field_validator("currency")(lambda cls, v: money.check_currency(v))

    @field_validator("rate", mode="before")
    @classmethod
    def _rate(cls, v):
        return money.parse_rate_decimal(v)


_PLAIN = {
    "missing": N_("is needed"),
    "string_too_short": N_("is needed"),
    "string_type": N_("is needed"),
    "decimal_type": N_("is needed: write an amount like 12.50"),
    "decimal_parsing": N_("is not an amount; write it like 12.50"),
    "int_parsing": N_("is not a whole number"),
    "int_type": N_("is needed: write a whole number"),
    "int_from_float": N_("is not a whole number"),
    "date_type": N_("is needed: pick a day"),
    "date_from_datetime_parsing": N_("is not a day; write it as 2026-03-05"),
    "date_parsing": N_("is not a day; write it as 2026-03-05"),
    "bool_parsing": N_("is not yes or no"),
    "extra_forbidden": N_("is not a field of this record"),
}
"""Pydantic's messages ("String should have at least 1 character") in a worker's words: taskerlog's
own checks raise their problems already worded (``problems.say``), and pydantic's English for
the kinds of error taskerlog's models produce never reaches a worker (the shells, the bundle
and the records editor all word them here)."""


def error_words(err: dict, choices: tuple[str, ...] = ()) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as what is wrong, without
    the field: a validator's own problem as it said it, a choice with the values allowed."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), Exception):
        said = problems_of(ctx["error"])  # a taskerlog check: its own problem, worded now
        return said[0].words() if len(said) == 1 else str(ctx["error"])
    if kind == "literal_error":
        allowed = ", ".join(choices) if choices else str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("'{value}' is not one of: {choices}").format(value=err.get("input"), choices=allowed)
    if kind == "string_too_short" and ctx.get("min_length", 1) > 1:
        return _("is too short: at least {n} characters").format(n=ctx["min_length"])
    if kind == "string_too_long":
        return _("is longer than {n} characters; shorten it").format(n=ctx.get("max_length"))
    if kind in _PLAIN:
        return _(_PLAIN[kind])
    return err.get("msg", "invalid").removeprefix("Value error, ")
