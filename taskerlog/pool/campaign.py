"""The campaign file: what an organizer asks members to contribute.

A campaign is a small public JSON file (``taskerlog pool campaign new``): its id and
name, the months it covers, the platforms and the public list of project categories,
the reporting currency (with optional exchange rates), and the minimum group size
``k`` below which nothing is ever shown (``publish_k`` for figures meant to be
published). Nothing in it is about any worker.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import money
from ..csvsafe import starts_formula
from ..problems import say

CAMPAIGN_FORMAT = "taskerlog-campaign/1"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_MONTHS = 36


class CampaignError(ValueError):
    """A campaign file that cannot be used; the message says which field and what to do."""


def canonical_json(obj: Any) -> str:
    """One byte sequence per value: sorted keys, fixed separators, ASCII, a final newline."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=True, indent=1, separators=(",", ": ")) + "\n"


def check_month(text: str) -> str:
    s = str(text).strip()
    if not _MONTH_RE.match(s):
        raise ValueError(say("campaign.not_month", "'{text}' is not a month; write it as YYYY-MM, e.g. 2026-03",
                             text=text))
    return s


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last calendar day of ``YYYY-MM``."""
    y, m = int(month[:4]), int(month[5:7])
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def month_range(text: str) -> list[str]:
    """``2026-01..2026-06`` or ``2026-01,2026-03`` → the list of months."""
    out: list[str] = []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        if ".." in part:
            a, b = (check_month(x) for x in part.split("..", 1))
            y, m = int(a[:4]), int(a[5:])
            while f"{y:04d}-{m:02d}" <= b:
                out.append(f"{y:04d}-{m:02d}")
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            if a > b:
                raise ValueError(say("campaign.months_backwards", "'{part}': the first month is after the last",
                                     part=part))
        else:
            out.append(check_month(part))
    return out


class Campaign(BaseModel):
    """A call for contributions. Public: it says nothing about any worker."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    format: Literal["taskerlog-campaign/1"] = CAMPAIGN_FORMAT
    campaign_id: str
    """Short id, lower-case letters, digits, ``.``, ``_``, ``-`` (e.g. ``dla-2026-h1``)."""
    name: Annotated[str, Field(min_length=1, max_length=200)]
    """What the campaign is, in words."""
    months: tuple[str, ...]
    """Calendar months covered, ``YYYY-MM``."""
    platforms: tuple[str, ...]
    """Platforms covered, as the organizer spells them (``Outlier``, ``Remotasks``)."""
    categories: tuple[str, ...]
    """The public categories members map their projects to (``rating/ranking``, ``writing``)."""
    currency: str = "USD"
    """The reporting currency every amount is converted to."""
    fx: dict[str, dict[str, Decimal]] = {}
    """Optional conversion: currency → {month or ``*``: one unit of it in the reporting currency}.
    Without an entry, a member's own logbook exchange rates are used."""
    k: Annotated[int, Field(ge=3, le=1000)] = 5
    """Minimum number of distinct workers behind any figure shown."""
    publish_k: Annotated[int, Field(ge=3, le=1000)] = 11
    """Minimum group size of the working view with ``pool report --publish`` (still not for publication)."""
    epsilon_total: Annotated[Decimal, Field(gt=0, le=10)] = Decimal("1.0")
    """The campaign's whole privacy budget ε for published releases (``pool publish``); never resets."""
    wage_range: tuple[Decimal, Decimal] = (Decimal(0), Decimal(100))
    """Effective hourly wages are clamped to this range (reporting currency) before published quantiles."""
    max_pairs_per_member: Annotated[int, Field(ge=1, le=50)] = 2
    """At most this many platform × category pairs of one member count in a published release
    (the ones with the most hours); it bounds how much one member can move the figures."""

    @field_validator("campaign_id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError(say("campaign.bad_id", "'{id}' is not a campaign id; use 3-64 lower-case letters, digits, "
                                 "'.', '_' or '-'", id=v))
        return v

    @field_validator("months", mode="before")
    @classmethod
    def _months(cls, v):
        if isinstance(v, str):
            v = month_range(v)
        months = sorted({check_month(m) for m in v})
        if not months:
            raise ValueError(say("campaign.no_months", "at least one month is needed"))
        if len(months) > MAX_MONTHS:
            raise ValueError(say("campaign.too_many_months", "at most {most} months per campaign", most=MAX_MONTHS))
        return tuple(months)

    @field_validator("platforms", "categories", mode="before")
    @classmethod
    def _names(cls, v, info):
        if isinstance(v, str):
            v = [x for x in v.split(",")]
        names = [str(x).strip() for x in v if str(x).strip()]
        if not names:
            if info.field_name == "platforms":
                raise ValueError(say("campaign.no_platforms", "at least one platform is needed"))
            raise ValueError(say("campaign.no_categories", "at least one category is needed"))
        folded = [n.casefold() for n in names]
        dup = sorted({n for n in names if folded.count(n.casefold()) > 1})
        if dup:
            raise ValueError(say("campaign.twice", "listed twice: {names}", names=", ".join(dup)))
        for n in names:
            if len(n) > 80 or any(c in n for c in "=\t\n\r") or starts_formula(n):
                raise ValueError(say("campaign.bad_name", "'{name}' cannot be a name here (at most 80 characters, no "
                                     "'=' or tabs, and not starting with + - or @, which spreadsheets read as a "
                                     "formula)", name=n))
        return tuple(names)

    @field_validator("currency")
    @classmethod
    def _cur(cls, v: str) -> str:
        return money.check_currency(v)

    @field_validator("fx", mode="before")
    @classmethod
    def _fx(cls, v):
        out: dict[str, dict[str, Decimal]] = {}
        for cur, rates in (v or {}).items():
            cur = money.check_currency(cur)
            if not isinstance(rates, dict):
                rates = {"*": rates}
            out[cur] = {}
            for month, rate in rates.items():
                month = "*" if month == "*" else check_month(month)
                out[cur][month] = money.parse_rate_decimal(str(rate))
        return out

    @field_validator("wage_range")
    @classmethod
    def _wage_range(cls, v: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
        lo, hi = v
        if not (lo.is_finite() and hi.is_finite()) or lo < 0 or hi <= lo or hi > 100_000:
            raise ValueError(say("campaign.bad_wage_range", "write the wage range as two amounts, low below high, "
                                 "e.g. [0, 100]"))
        return v

    @model_validator(mode="after")
    def _ks(self):
        if self.publish_k < self.k:
            raise ValueError(say("campaign.publish_k", "publish_k ({publish_k}) must be at least k ({k})",
                                 publish_k=self.publish_k, k=self.k))
        for cur, rates in self.fx.items():
            bad = sorted(m for m in rates if m != "*" and m not in self.months)
            if bad:
                raise ValueError(say("campaign.fx_months", "fx for {currency} names months the campaign does not "
                                     "cover: {months}", currency=cur, months=", ".join(bad)))
        return self

    def fx_rate(self, currency: str, month: str) -> Decimal | None:
        """One unit of ``currency`` in the reporting currency for ``month``, if the campaign says."""
        if currency == self.currency:
            return Decimal(1)
        rates = self.fx.get(currency) or {}
        return rates.get(month, rates.get("*"))

    def category_of(self, text: str) -> str:
        """The campaign's spelling of a category (case-insensitive match), or a clear error."""
        for c in self.categories:
            if c.casefold() == str(text).strip().casefold():
                return c
        raise CampaignError(say("campaign.not_category", "'{text}' is not a category of campaign {campaign}; use one "
                                "of: {categories}", text=text, campaign=self.campaign_id,
                                categories=", ".join(self.categories)))

    def platform_of(self, text: str) -> str | None:
        """The campaign's spelling of a platform (case, spaces and punctuation ignored), or None."""
        key = _fold(text)
        for p in self.platforms:
            if _fold(p) == key:
                return p
        return None

    def to_json(self) -> str:
        data = self.model_dump(mode="json")
        data["fx"] = {c: {m: money.plain(r) for m, r in rates.items()} for c, rates in self.fx.items()}
        data["epsilon_total"] = str(self.epsilon_total)
        data["wage_range"] = [str(x) for x in self.wage_range]
        return canonical_json(data)


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", str(text)).casefold()


def explain(exc: ValidationError, where: str) -> str:
    from ..model import error_words
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()))
        msg = error_words(err)  # taskerlog's words for pydantic's kinds of error, in the language in use
        parts.append(f"{where}: {loc}: {msg}" if loc else f"{where}: {msg}")
    return "\n".join(parts)


def load_campaign(path: str | Path) -> Campaign:
    path = Path(path)
    if path.is_dir():
        path = path / "campaign.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CampaignError(say("campaign.no_file", "{path}: no such campaign file", path=path)) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CampaignError(say("campaign.not_json", "{path}: not a campaign file (not valid JSON: {why})", path=path,
                                why=exc)) from exc
    if not isinstance(raw, dict):
        raise CampaignError(say("campaign.not_object", "{path}: not a campaign file (expected a JSON object)",
                                path=path))
    try:
        return Campaign.model_validate(raw)
    except ValidationError as exc:
        raise CampaignError(explain(exc, str(path))) from exc
