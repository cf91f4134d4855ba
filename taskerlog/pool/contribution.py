"""A worker's contribution to a campaign: coarse monthly totals, nothing else.

What leaves the machine is exactly :class:`Contribution` (see :func:`preview_rows`):
per completed month × platform × category — hours worked, hours paid, unpaid hours by
kind, earned (reporting currency), units, EQ days, rate cuts and the largest cut.
No notes, task ids, exact dates, project names, the worker's own platform spelling or
any file name. The pseudonym is HMAC-SHA256(device secret, campaign id), so two
campaigns cannot be linked without the secret.

Rounding (coarser values are harder to match against a platform's exact log):
hours to the nearest 0.5 h, money to whole units of the reporting currency, units to
the nearest 10, cut percentages to whole percent (half to even everywhere). A row whose
hours worked round to 0 is left out.

The figures follow metrics.md: they come from :func:`taskerlog.metrics.compute` on the
part of the logbook mapped to one platform × category, one calendar month at a time.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import operator
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Annotated, Any, Callable, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import timeutil
from ..frames import LogbookFrames
from ..model import UNPAID_KEYS
from ..i18n import number
from ..problems import fix, nsay, say
from ..store import partial
from .campaign import Campaign, CampaignError, canonical_json, check_month, explain, month_bounds

CONTRIBUTION_FORMAT = "taskerlog-contribution/1"
SETTINGS_KEY = "pool_mapping"
NOT_SHARED = "-"
"""The category of a project kept out of every contribution (``--map "PLATFORM/PROJECT=-"``)."""
HALF = Decimal("0.5")
_PSEUD_RE = re.compile(r"^[0-9a-f]{64}$")


MAX_FILE_BYTES = 4_000_000
"""A contribution of 36 months × many platforms and categories is far below this; larger files are refused unread."""
MAX_EARNED = 10**11
"""Earned in one month, platform and category, in whole units of the reporting currency (beyond: not a real month)."""
MAX_UNITS = 10**8
MAX_RATE_CUTS = 100

def month_hours(month: str) -> int:
    """The most hours a calendar month can hold (one extra for a DST change)."""
    first, last = month_bounds(month)
    return (last - first).days * 24 + 24 + 1


class ContributionError(ValueError):
    """Something that stops a contribution from being written; the message says what to do."""


# -- the file that leaves the machine ------------------------------------------------------
class Row(BaseModel):
    """One month × platform × category of one worker, rounded."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    month: str
    platform: str
    category: str
    hours_worked: Decimal
    """Union of all work time, hours, to 0.5 h (metrics.md ``hours_worked``)."""
    hours_paid: Decimal
    """Union of earning time, hours, to 0.5 h."""
    unpaid_hours: dict[str, Decimal] = {}
    """Unpaid hours by kind or failed status (metrics.md ``unpaid_hours_by_kind``), 0.5 h each; zero kinds left out."""
    earned: Annotated[int, Field(ge=0, le=MAX_EARNED)]
    """Earned (paid + pending), whole units of the reporting currency."""
    units: Annotated[int, Field(ge=0, le=MAX_UNITS)] = 0
    """Tasks or items recorded, to the nearest 10."""
    eq_days: Annotated[int, Field(ge=0, le=31)] = 0
    """Days of empty queue on the platform that month (the platform's, shared by its categories)."""
    rate_cuts: Annotated[int, Field(ge=0, le=MAX_RATE_CUTS)] = 0
    """Rate cuts that took effect that month in the mapped projects."""
    largest_cut_pct: Annotated[int, Field(le=0, ge=-100)] = 0
    """The largest cut that month, whole percent (0 if none)."""

    @field_validator("hours_worked", "hours_paid")
    @classmethod
    def _half(cls, v: Decimal) -> Decimal:
        if v < 0 or (v * 2) != (v * 2).to_integral_value():
            raise ValueError(say("contribution.hours_half", "hours must be 0 or more, in steps of 0.5"))
        return v

    @field_validator("unpaid_hours")
    @classmethod
    def _kinds(cls, v: dict[str, Decimal]) -> dict[str, Decimal]:
        bad = sorted(k for k in v if k not in UNPAID_KEYS)
        if bad:
            raise ValueError(say("contribution.unpaid_kind", "unknown unpaid kind {kinds}", kinds=", ".join(bad)))
        for h in v.values():
            cls._half(h)
        return v

    @field_validator("earned")
    @classmethod
    def _earned(cls, v: int) -> int:
        if v < 0:
            raise ValueError(say("contribution.earned_negative", "earned must be 0 or more"))
        return v

    @model_validator(mode="after")
    def _consistent(self):
        if self.hours_worked <= 0:
            raise ValueError(say("contribution.no_hours", "hours_worked must be more than 0"))
        if self.hours_worked > month_hours(check_month(self.month)):
            raise ValueError(say("contribution.hours_over_month", "hours_worked: more hours than the month has"))
        if any(h > self.hours_worked for h in self.unpaid_hours.values()):
            raise ValueError(say("contribution.unpaid_over_worked",
                                 "unpaid_hours: a kind has more hours than hours_worked"))
        if self.hours_paid > self.hours_worked:
            raise ValueError(say("contribution.paid_over_worked", "hours_paid is more than hours_worked"))
        if self.units % 10:
            raise ValueError(say("contribution.units_tens", "units must be rounded to tens"))
        return self


class Contribution(BaseModel):
    """The whole contribution file."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    format: Literal["taskerlog-contribution/1"] = CONTRIBUTION_FORMAT
    campaign_id: str
    pseudonym: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    currency: str
    months: tuple[str, ...]
    """The campaign months that were complete when the file was written (a month with no row: no work)."""
    rows: tuple[Row, ...]

    @model_validator(mode="after")
    def _unique(self):
        keys = [(r.month, r.platform, r.category) for r in self.rows]
        if len(set(keys)) != len(keys):
            raise ValueError(_twice())
        bad = sorted({r.month for r in self.rows if r.month not in self.months})
        if bad:
            raise ValueError(say("contribution.months_unlisted", "rows for months not listed in months: {months}",
                                 months=", ".join(bad)))
        return self

    def to_json(self) -> str:
        """Canonical bytes: re-exporting the same months gives the identical file."""
        return canonical_json(contribution_dict(self))


def _num(d: Decimal) -> float | int:
    return int(d) if d == d.to_integral_value() else float(d)


def contribution_dict(c: Contribution) -> dict[str, Any]:
    rows = []
    for r in sorted(c.rows, key=lambda r: (r.month, r.platform, r.category)):
        rows.append({
            "month": r.month, "platform": r.platform, "category": r.category,
            "hours_worked": _num(r.hours_worked), "hours_paid": _num(r.hours_paid),
            "unpaid_hours": {k: _num(v) for k, v in r.unpaid_hours.items()},
            "earned": r.earned, "units": r.units, "eq_days": r.eq_days,
            "rate_cuts": r.rate_cuts, "largest_cut_pct": r.largest_cut_pct,
        })
    return {"format": c.format, "campaign_id": c.campaign_id, "pseudonym": c.pseudonym,
            "currency": c.currency, "months": sorted(c.months), "rows": rows}


def preview_rows(c: Contribution) -> list[dict[str, Any]]:
    """Exactly the rows that leave the machine, flattened for a table."""
    out = []
    for r in contribution_dict(c)["rows"]:
        flat = {k: v for k, v in r.items() if k != "unpaid_hours"}
        flat["unpaid_hours"] = "; ".join(f"{k} {v}" for k, v in r["unpaid_hours"].items())
        out.append(flat)
    return out


def parse_contribution(text: str | bytes, where: str, campaign: Campaign | None = None) -> Contribution:
    """Validate one contribution file's text (schema, bounds, and the campaign's ids and names)."""
    if campaign is not None:
        _, _, problems = check_batch([(where, text)], campaign)
        if problems:
            raise ContributionError(problems[0])
    raw = load_json(text, where)
    if not isinstance(raw, dict) or raw.get("format") != CONTRIBUTION_FORMAT:
        raise ContributionError(_not_contribution(where))
    try:
        return Contribution.model_validate(raw)
    except ValidationError as exc:
        raise ContributionError(explain(exc, where)) from exc


# -- checking many files fast (the organizer's pool add) --------------------------------------------
TOP_KEYS = frozenset({"format", "campaign_id", "pseudonym", "currency", "months", "rows"})
ROW_KEYS = ("month", "platform", "category", "hours_worked", "hours_paid", "unpaid_hours", "earned", "units",
            "eq_days", "rate_cuts", "largest_cut_pct")
OPTIONAL_ROW_KEYS = frozenset({"unpaid_hours", "units", "eq_days", "rate_cuts", "largest_cut_pct"})
ROW_DEFAULTS = {"unpaid_hours": {}, "units": 0, "eq_days": 0, "rate_cuts": 0, "largest_cut_pct": 0}
_ROW_KEY_SET = frozenset(ROW_KEYS)
_REQUIRED_ROW_KEYS = _ROW_KEY_SET - OPTIONAL_ROW_KEYS


class _Refused(ValueError):
    pass


def _pairs(pairs):
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _Refused(say("contribution.key_twice", "the key '{key}' appears twice in one object; each field may "
                           "appear once", key=str(dup)[:40]))
    return d


def _constant(name):
    raise _Refused(say("contribution.not_number", "{name} is not a number a contribution can hold", name=name))


def load_json(data: bytes | str, where: str, *, repeated_keys: bool = True) -> Any:
    """JSON with duplicate keys, NaN and Infinity refused (a clear message naming ``where``).

    ``repeated_keys=False``: decoded at C speed without looking for repeated keys; the caller
    then counts the keys it decoded and calls :func:`refuse_repeated_keys`.
    """
    try:
        if not repeated_keys:
            return json.loads(data, parse_constant=_constant)
        return json.loads(data, object_pairs_hook=_pairs, parse_constant=_constant)
    except _Refused as exc:
        raise ContributionError(f"{where}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ContributionError(say("contribution.not_json", "{file}: not a contribution file (not valid JSON at "
                                    "line {line}, column {column})", file=where, line=exc.lineno,
                                    column=exc.colno)) from exc
    except UnicodeDecodeError as exc:
        raise ContributionError(say("contribution.not_utf8", "{file}: not a contribution file (not UTF-8 text)",
                                    file=where)) from exc
    except RecursionError as exc:
        raise ContributionError(say("contribution.too_deep", "{file}: not a contribution file (nested too deeply)",
                                    file=where)) from exc


def refuse_repeated_keys(data: bytes | str, where: str, keys: int) -> None:
    """Raise ContributionError if an object in the JSON text repeats a key; ``keys``: how many
    keys its decoded objects hold, all levels together.

    Every key in the text is followed by a ``:`` and a repeat leaves one key for two, so a text
    with exactly as many ``:`` as keys repeats none. Otherwise (a repeat, or a ``:`` inside a
    string) it is decoded again checking each object, for the exact message.
    """
    if data.count(b":" if isinstance(data, bytes) else ":") != keys:
        load_json(data, where)


def _numbers(values: list) -> np.ndarray:
    """JSON numbers as float64; anything else (text, lists, true/false, absurd sizes) becomes NaN."""
    try:
        if set(map(type, values)) <= {int, float}:
            return np.asarray(values, dtype="float64")
    except OverflowError:
        pass
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        if type(v) is int or type(v) is float:
            try:
                out[i] = float(v)
            except OverflowError:
                pass
    return out


def check_batch(items, campaign: Campaign) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """Check contribution files against the campaign, vectorized over all their rows.

    ``items``: (where, text) pairs. → (rows of the valid files with a ``pseudonym`` column,
    {pseudonym: where} of the valid files — a later file with the same pseudonym wins — and
    one problem per refused file, naming file, row and field). A file with any problem is
    refused whole; nothing here raises on bad input.
    """
    all_rows: list[dict] = []
    files: list[int] = []
    numbers: list[int] = []
    heads: list[tuple[str, dict]] = []
    problems: dict[int, list[str]] = {}
    max_rows = len(campaign.months) * len(campaign.platforms) * len(campaign.categories)
    months = set(campaign.months)
    for where, text in items:
        i = len(heads)
        heads.append((where, {}))
        try:
            raw = load_json(text, where, repeated_keys=False)
            if not isinstance(raw, dict) or raw.get("format") != CONTRIBUTION_FORMAT:
                raise ContributionError(_not_contribution(where))
            extra, missing = set(raw) - TOP_KEYS, TOP_KEYS - set(raw)
            if extra or missing:
                raise ContributionError(f"{where}: " + "; ".join(
                    [say("contribution.unknown_field", "{field}: not a field of a contribution", field=k)
                     for k in sorted(map(str, extra))] + [_missing(k) for k in sorted(missing)]))
            errs = []
            if raw["campaign_id"] != campaign.campaign_id:
                errs.append(f"{where}: campaign_id: " + say(
                    "contribution.other_campaign", "it was made for campaign '{theirs}', this pool is '{ours}'",
                    theirs=str(raw["campaign_id"])[:70], ours=campaign.campaign_id))
            if not isinstance(raw["pseudonym"], str) or not _PSEUD_RE.match(raw["pseudonym"]):
                errs.append(f"{where}: pseudonym: " + say("contribution.not_pseudonym", "not 64 hexadecimal digits"))
            if raw["currency"] != campaign.currency:
                errs.append(f"{where}: currency: " + say(
                    "contribution.other_currency", "{currency}, the campaign reports in {campaign_currency}",
                    currency=str(raw["currency"])[:10], campaign_currency=campaign.currency))
            ms = raw["months"]
            if not isinstance(ms, list) or not set(map(type, ms)) <= {str} or len(set(ms)) != len(ms):
                errs.append(f"{where}: months: " + say("contribution.months_list",
                                                       "a list of distinct months (YYYY-MM) is needed"))
                ms = []
            elif not set(ms) <= months:
                errs.append(f"{where}: months: " + say("contribution.months_not_campaign",
                                                       "not months of the campaign: {months}",
                                                       months=", ".join(sorted(set(ms) - months))[:200]))
            rows = raw["rows"]
            if not isinstance(rows, list):
                errs.append(f"{where}: rows: " + say("contribution.rows_list", "a list is needed"))
                rows = []
            elif len(rows) > max_rows:
                errs.append(f"{where}: rows: " + say(
                    "contribution.too_many_rows", "{n} rows, more than the campaign's {most} months × platforms × "
                    "categories", n=len(rows), most=max_rows))
                rows = []
            if errs:
                raise ContributionError("\n".join(errs))
            heads[i] = (where, {"pseudonym": raw["pseudonym"], "months": set(ms)})
            keys = len(raw)  # the keys of its objects, for refuse_repeated_keys (other objects are refused anyway)
            for j, r in enumerate(rows, 1):
                if type(r) is not dict:
                    raise ContributionError(f"{where}: rows[{j}]: " + say("contribution.row_not_object",
                                                                          "not an object"))
                keys += len(r)
                if r.keys() != _ROW_KEY_SET:
                    if not (r.keys() <= _ROW_KEY_SET and r.keys() >= _REQUIRED_ROW_KEYS):
                        extra = sorted(map(str, r.keys() - _ROW_KEY_SET))
                        raise ContributionError(f"{where}: rows[{j}]: " + (
                            say("contribution.unknown_row_field", "{field}: not a field of a row", field=extra[0][:40])
                            if extra else _missing(sorted(_REQUIRED_ROW_KEYS - r.keys())[0])))
                    rows[j - 1] = {**ROW_DEFAULTS, **r}
                if type(r.get("unpaid_hours")) is dict:
                    keys += len(r["unpaid_hours"])
            refuse_repeated_keys(text, where, keys)
            listed = set(ms)
            if listed != months:  # a file listing every campaign month cannot have a row in an unlisted one
                for j, m in enumerate(map(operator.itemgetter("month"), rows), 1):
                    if type(m) is str and m not in listed and m in months:
                        problems.setdefault(i, []).append(f"{where}: rows[{j}]: month: " + say(
                            "contribution.month_unlisted", "not listed in the file's months"))
            all_rows += rows
            files += [i] * len(rows)
            numbers += range(1, len(rows) + 1)
        except ContributionError as exc:
            try:  # a repeated key may be the cause (the first decoding did not look for them): name it
                load_json(text, where)
            except ContributionError as first:
                exc = first
            problems.setdefault(i, []).append(str(exc))
    df = pd.DataFrame({"file": np.asarray(files, dtype="int64"), "row": np.asarray(numbers, dtype="int64")})
    file_arr, row_arr = df["file"].to_numpy(), df["row"].to_numpy()
    cols = {k: list(map(operator.itemgetter(k), all_rows)) for k in ROW_KEYS}

    def refuse(mask, field_name: str, message: Callable[[], str]) -> None:
        if not mask.any():
            return
        message = message()
        for f, j in zip(file_arr[mask], row_arr[mask]):
            problems.setdefault(int(f), []).append(f"{heads[f][0]}: rows[{j}]: {field_name}: {message}")

    n = len(df)
    allowed = {"month": campaign.months, "platform": campaign.platforms, "category": campaign.categories}
    not_of = {
        "month": lambda v: say("contribution.not_month", "'{value}' is not a month of the campaign", value=v),
        "platform": lambda v: say("contribution.not_platform", "'{value}' is not a platform of the campaign", value=v),
        "category": lambda v: say("contribution.not_category", "'{value}' is not a category of the campaign", value=v),
    }
    for k, values in allowed.items():
        text = [v if type(v) is str else "" for v in cols[k]]
        known = set(values)
        bad = np.fromiter((v not in known for v in text), dtype=bool, count=n)
        for idx in np.flatnonzero(bad):
            f = int(file_arr[idx])
            problems.setdefault(f, []).append(f"{heads[f][0]}: rows[{row_arr[idx]}]: {k}: "
                                              + (not_of[k](text[idx][:60]) if text[idx]
                                                 else say("contribution.text_needed", "text is needed")))
        df[k] = np.asarray(text, dtype=object)
        cols[k] = text
    for k, integer in (("hours_worked", False), ("hours_paid", False), ("earned", True), ("units", True),
                       ("eq_days", True), ("rate_cuts", True), ("largest_cut_pct", True)):
        x = _numbers(cols[k])
        ok = np.isfinite(x)
        if integer:
            ok &= np.floor(np.where(ok, x, 0)) == np.where(ok, x, 0)
        refuse(~ok, k, (lambda: say("contribution.whole_number", "a whole number is needed")) if integer
               else (lambda: say("contribution.number_needed", "a number is needed")))
        df[k] = np.where(ok, x, 0.0)
    hours_of = {m: month_hours(m) for m in campaign.months}
    days_of = {m: month_bounds(m)[1].day for m in campaign.months}
    cap = np.fromiter(map(hours_of.get, cols["month"], itertools.repeat(745)), dtype="float64", count=n)
    days = np.fromiter(map(days_of.get, cols["month"], itertools.repeat(31)), dtype="float64", count=n)
    hw, hp = df["hours_worked"].to_numpy(), df["hours_paid"].to_numpy()
    half = lambda x: (x * 2) == np.round(x * 2)  # noqa: E731
    refuse(~((hw > 0) & half(hw)), "hours_worked",
           lambda: say("contribution.worked_half", "more than 0, in steps of 0.5"))
    refuse(hw > cap, "hours_worked", lambda: say("contribution.over_month", "more hours than the month has"))
    refuse(~((hp >= 0) & half(hp)), "hours_paid", lambda: say("contribution.paid_half", "0 or more, in steps of 0.5"))
    refuse(hp > hw, "hours_paid", lambda: say("contribution.over_worked", "more than hours_worked"))
    for k, lo, hi in (("earned", 0, MAX_EARNED), ("units", 0, MAX_UNITS), ("rate_cuts", 0, MAX_RATE_CUTS),
                      ("largest_cut_pct", -100, 0)):
        x = df[k].to_numpy()
        refuse((x < lo) | (x > hi), k, lambda: say("contribution.between", "must be between {low} and {high}",
                                                   low=number(lo), high=number(hi)))
    refuse(df["units"].to_numpy() % 10 != 0, "units", lambda: say("contribution.tens", "must be rounded to tens"))
    refuse((df["eq_days"].to_numpy() < 0) | (df["eq_days"].to_numpy() > days), "eq_days",
           lambda: say("contribution.days_over_month", "more days than the month has"))
    unpaid = [u if type(u) is dict else {} for u in cols["unpaid_hours"]]
    bad = np.fromiter((type(u) is not dict for u in cols["unpaid_hours"]), dtype=bool, count=n)
    owner = np.repeat(np.arange(n), np.fromiter(map(len, unpaid), dtype="int64", count=n))  # row of each kind
    kinds = list(itertools.chain.from_iterable(map(dict.keys, unpaid)))
    h = _numbers(list(itertools.chain.from_iterable(map(dict.values, unpaid))))
    wrong = ~np.fromiter(map(frozenset(UNPAID_KEYS).__contains__, kinds), dtype=bool, count=len(kinds))
    wrong |= ~(np.isfinite(h) & (h >= 0) & half(h) & (h <= hw[owner]))  # NaN compares False: refused
    bad[owner[wrong]] = True
    refuse(bad, "unpaid_hours", lambda: say("contribution.unpaid_kinds", "kinds of {kinds} with hours in steps of "
                                            "0.5, none more than hours_worked", kinds=", ".join(UNPAID_KEYS)))
    dup = df.duplicated(["file", "month", "platform", "category"], keep="first").to_numpy()
    refuse(dup, "month", _twice)
    good = [i for i in range(len(heads)) if i not in problems]
    keep = df["file"].isin(good).to_numpy()
    out = df[keep].copy()
    winner: dict[str, int] = {}
    for i in good:
        winner[heads[i][1]["pseudonym"]] = i  # later files win
    out = out[out["file"].isin(set(winner.values()))]
    names = [heads[i][1].get("pseudonym", "") for i in range(len(heads))]
    out["pseudonym"] = np.asarray(names, dtype=object)[out["file"].to_numpy()] if len(heads) else []
    for k in ("earned", "units", "eq_days", "rate_cuts", "largest_cut_pct"):
        out[k] = out[k].astype("int64")
    out = out.drop(columns=["file", "row"]).reset_index(drop=True)
    return out, {p: heads[i][0] for p, i in winner.items()}, [_listed(problems[i]) for i in sorted(problems)]


def _listed(lines: list[str], most: int = 10) -> str:
    more = len(lines) - most
    return "\n".join(lines[:most] + ([nsay("contribution.more", "... and {n} more problem in the same file",
                                          "... and {n} more problems in the same file", n=more)] if more > 0 else []))


def _not_contribution(where: str) -> str:
    return say("contribution.not_contribution", "{file}: not a taskerlog contribution file (format is not {format})",
               file=where, format=CONTRIBUTION_FORMAT)


def _missing(field_name: str) -> str:
    return say("contribution.missing", "{field}: missing", field=field_name)


def _twice() -> str:
    return say("contribution.twice", "the same month, platform and category appear twice")


# -- the device secret and the pseudonym -----------------------------------------------------
def secret_path(db_path: str | Path) -> Path:
    """The device secret lives beside the logbook: ``<logbook>.pool-secret`` (mode 0600)."""
    p = Path(db_path)
    return p.with_name(p.name + ".pool-secret")


def load_or_create_secret(path: str | Path) -> bytes:
    """32 random bytes, created once with permissions 0600 and reused; never leaves the machine."""
    path = Path(path)
    try:
        fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, 0o600)
        text = path.read_text(encoding="ascii").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError as exc:
            raise ContributionError(say("pool.not_secret", "{path} is not a taskerlog device secret; restore it from a "
                                        "backup", path=path)) from exc
        if len(key) < 32:
            raise ContributionError(say("pool.not_secret", "{path} is not a taskerlog device secret; restore it from a "
                                        "backup", path=path))
        return key
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key


def copy_secret(src_db: str | Path, dest_db: str | Path) -> Path | None:
    """Copy the device secret of logbook ``src_db`` beside ``dest_db`` (a backup, or a restored
    logbook), private (0600) from the first byte, so the pseudonym survives a restore and a
    resubmission replaces the member's earlier contribution instead of counting them twice.
    → the new secret file, or None when ``src_db`` has no secret (it never contributed)."""
    src, dest = secret_path(src_db), secret_path(dest_db)
    try:
        data = src.read_bytes()
    except FileNotFoundError:
        return None
    partial.write_file(dest, data)
    return dest


def pseudonym(secret: bytes, campaign_id: str) -> str:
    """HMAC-SHA256(device secret, campaign id), hex: stable per campaign, unlinkable across."""
    return hmac.new(secret, campaign_id.encode("utf-8"), hashlib.sha256).hexdigest()


# -- the worker's project → category mapping ----------------------------------------------------
@dataclass(frozen=True)
class Mapping:
    """Which of the worker's projects go to which public category; stays on the machine.

    ``projects`` keys are ``(platform, project)`` with project ``""`` for time logged on the
    platform without a project (waiting, admin) and ``"*"`` for every other project of that
    platform; the category ``"-"`` keeps a project out even when ``PLATFORM/*`` has a category.
    ``platforms`` maps the worker's spelling of a platform to the campaign's.
    """

    projects: dict[tuple[str, str], str] = field(default_factory=dict)
    platforms: dict[str, str] = field(default_factory=dict)

    def with_(self, projects: dict[tuple[str, str], str] | None = None,
              platforms: dict[str, str] | None = None) -> "Mapping":
        p = dict(self.projects)
        for key, cat in (projects or {}).items():
            if cat == "":
                p.pop(key, None)
            else:
                p[key] = cat  # "-" is kept: it overrides PLATFORM/*
        f = dict(self.platforms)
        f.update(platforms or {})
        return Mapping(p, f)

    def to_json(self) -> str:
        return json.dumps({"projects": sorted([pl, pr, c] for (pl, pr), c in self.projects.items()),
                           "platforms": dict(sorted(self.platforms.items()))}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> "Mapping":
        if not text:
            return cls()
        raw = json.loads(text)
        return cls({(pl, pr): c for pl, pr, c in raw.get("projects", [])}, dict(raw.get("platforms", {})))


def parse_map_option(text: str) -> tuple[tuple[str, str], str]:
    """``Outlier/Genesis Dolphin=rating/ranking`` → (("Outlier", "Genesis Dolphin"), "rating/ranking")."""
    if "=" not in text or "/" not in text.split("=", 1)[0] and "/" not in text.rsplit("=", 1)[0]:
        raise ContributionError(say(
            "pool.map_option", "'{text}': write a mapping as PLATFORM/PROJECT=CATEGORY, e.g. \"Outlier/Genesis "
            "Dolphin=rating/ranking\" (PLATFORM/ for time logged without a project, PLATFORM/* for all other projects, "
            "=- to stop sharing one)", text=text))
    key, cat = text.rsplit("=", 1)
    platform, project = key.split("/", 1)
    if not platform.strip():
        raise ContributionError(say("pool.map_no_platform", "'{text}': the platform is missing before '/'", text=text))
    return (platform.strip(), project.strip()), cat.strip()


def parse_platform_option(text: str) -> tuple[str, str]:
    """``Outlier AI=Outlier`` → ("Outlier AI", "Outlier")."""
    if "=" not in text:
        raise ContributionError(say("pool.platform_option", "'{text}': write it as YOUR_PLATFORM=CAMPAIGN_PLATFORM, "
                                    "e.g. \"Outlier AI=Outlier\"", text=text))
    a, b = text.rsplit("=", 1)
    return a.strip(), b.strip()


def load_mapping(store) -> Mapping:
    """The saved mapping (a journaled setting of the logbook)."""
    return Mapping.from_json(store.settings_raw().get(SETTINGS_KEY))


def save_mapping(store, mapping: Mapping, source: str = "manual") -> None:
    store.set_setting(SETTINGS_KEY, mapping.to_json(), source)


def logbook_projects(frames: LogbookFrames) -> list[tuple[str, str]]:
    """Every (platform, project) the logbook has, project ``""`` for platform-level time."""
    keys = set()
    for pl, pr in zip(frames.work["platform"], frames.work["project"]):
        keys.add((str(pl), "" if _blank(pr) else str(pr)))
    for pl, pr in zip(frames.projects["platform"], frames.projects["project"]):
        keys.add((str(pl), str(pr)))
    return sorted(keys)


def _blank(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v) or str(v) == ""


@dataclass(frozen=True)
class Resolved:
    """The mapping applied to one logbook: (campaign platform, category) → the worker's keys."""

    groups: dict[tuple[str, str], frozenset[tuple[str, str]]]
    unmapped: tuple[tuple[str, str], ...]
    problems: tuple[str, ...]


def resolve(frames: LogbookFrames, campaign: Campaign, mapping: Mapping) -> Resolved:
    groups: dict[tuple[str, str], set[tuple[str, str]]] = {}
    unmapped, problems = [], []
    for pl, pr in logbook_projects(frames):
        cat = mapping.projects.get((pl, pr))
        if cat is None:
            cat = mapping.projects.get((pl, "*"))
        if cat is None or cat == NOT_SHARED:
            unmapped.append((pl, pr))
            continue
        try:
            cat = campaign.category_of(cat)
        except CampaignError as exc:
            problems.append(f"{pl}/{pr}: {exc}")
            continue
        cp = mapping.platforms.get(pl)
        cp = campaign.platform_of(cp) if cp else campaign.platform_of(pl)
        if cp is None:
            problems.append(say(
                "pool.platform_not_covered", "{platform}/{project}: the campaign does not cover a platform called "
                "'{platform}' (it covers: {covered}); if it is one of them under another name, {fix}", platform=pl,
                project=pr, covered=", ".join(campaign.platforms), fix=fix("pool_platform", platform=pl)))
            continue
        groups.setdefault((cp, cat), set()).add((pl, pr))
    return Resolved({k: frozenset(v) for k, v in groups.items()}, tuple(unmapped), tuple(problems))


# -- computing the rows ---------------------------------------------------------------------------
def completed_months(campaign: Campaign, now: int, tz: str) -> list[str]:
    """Campaign months whose last day is before today (in the logbook's time zone)."""
    today = timeutil.to_local(now, tz).date()
    return [m for m in campaign.months if month_bounds(m)[1] < today]


def _keys_of(df: pd.DataFrame) -> list[tuple[str, str]]:
    return [(str(pl), "" if _blank(pr) else str(pr)) for pl, pr in zip(df["platform"], df["project"])]


def sub_frames(frames: LogbookFrames, keys: frozenset[tuple[str, str]]) -> LogbookFrames:
    """The part of the logbook one platform × category is made of (its work, projects, rates, EQ)."""
    platforms = {pl for pl, _ in keys}
    wk = frames.work[[k in keys for k in _keys_of(frames.work)]] if len(frames.work) else frames.work
    pj = frames.projects[[k in keys for k in _keys_of(frames.projects)]] if len(frames.projects) else frames.projects
    rt = frames.rates[[k in keys for k in _keys_of(frames.rates)]] if len(frames.rates) else frames.rates
    eq = frames.eq[frames.eq["platform"].isin(platforms)] if len(frames.eq) else frames.eq
    return LogbookFrames(settings=frames.settings, work=wk, projects=pj, rates=rt, eq=eq,
                         payouts=frames.payouts.iloc[0:0], expenses=frames.expenses.iloc[0:0], fx=frames.fx)


def _round_half(hours) -> Decimal:
    d = Decimal(str(hours or 0))
    return (d * 2).quantize(Decimal(1), rounding=ROUND_HALF_EVEN) / 2


def _to_reporting(frames: LogbookFrames, campaign: Campaign, month: str) -> Decimal:
    """One unit of the logbook's home currency in the campaign's reporting currency, for a month."""
    home = frames.settings.home_currency
    rate = campaign.fx_rate(home, month)
    if rate is not None:
        return rate
    last = month_bounds(month)[1]
    fx = frames.fx
    if len(fx):
        rows = fx[(fx["currency"] == campaign.currency) & (fx["date"].map(lambda d: d <= last))]
        if len(rows):
            best = max(zip(rows["date"], rows["rate"]), key=lambda t: t[0])
            return Decimal(1) / Decimal(best[1])
    raise ContributionError(say(
        "pool.fx_missing", "to report in {currency}, an exchange rate for {currency} on or before {day} is needed: "
        "add one to your logbook {fix}, or ask the organizer to put a {home} rate in the campaign file",
        currency=campaign.currency, day=last.isoformat(), home=home,
        fix=fix("add_fx", currency=campaign.currency, day=last.isoformat())))


def default_compute() -> Callable[..., dict]:
    """The lead's :func:`taskerlog.metrics.compute`, prepared once per platform × category."""
    from .. import metrics  # imported late so this package loads on its own

    def run(sub: LogbookFrames, **kw) -> Callable[..., dict]:
        prepared = metrics.prepare(sub)
        return lambda **more: metrics.compute(None, prepared=prepared, **kw, **more)

    return run


def build_contribution(frames: LogbookFrames, campaign: Campaign, mapping: Mapping, secret: bytes,
                       now: int, *, compute: Callable[..., Callable[..., dict]] | None = None) -> Contribution:
    """The contribution for every completed campaign month (``now``: epoch seconds, from the shell).

    ``compute(sub_frames, today=..., breakdowns=False)`` returns a function of
    ``date_from``/``date_to`` giving metrics.md figures (default: taskerlog.metrics).
    """
    compute = compute or default_compute()
    today = timeutil.to_local(now, frames.settings.timezone).date()
    res = resolve(frames, campaign, mapping)
    if res.problems:
        raise ContributionError("\n".join(res.problems))
    if not res.groups:
        raise ContributionError(say(
            "pool.nothing_mapped", "none of your projects is mapped to a category of this campaign yet; {fix} "
            "(categories: {categories})", categories=", ".join(campaign.categories), fix=fix("map_categories")))
    months = completed_months(campaign, now, frames.settings.timezone)
    rows: list[Row] = []
    for (cplat, cat), keys in sorted(res.groups.items()):
        sub = sub_frames(frames, keys)
        if not len(sub.work):
            continue
        try:
            figures_of = compute(sub, today=today, breakdowns=False)
        except ValueError as exc:
            raise ContributionError(str(exc)) from exc
        for month in months:
            first, last = month_bounds(month)
            try:
                fig = figures_of(date_from=first, date_to=last)
            except ValueError as exc:
                raise ContributionError(f"{month}: {exc}") from exc
            hw = _round_half(fig.get("hours_worked"))
            if hw <= 0:
                continue
            hp = min(_round_half(fig.get("hours_paid")), hw)
            unpaid = {}
            for kind, h in (fig.get("unpaid_hours_by_kind") or {}).items():
                hr = _round_half(h)
                if hr > 0:
                    unpaid[kind] = hr
            earned_home = Decimal(str(fig.get("earned") or "0"))
            earned = (earned_home * _to_reporting(frames, campaign, month)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
            units = int((Decimal(int(fig.get("units") or 0)) / 10).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)) * 10
            cut = Decimal(str(fig.get("largest_cut_pct") or 0)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
            rows.append(Row(month=month, platform=cplat, category=cat, hours_worked=hw, hours_paid=hp,
                            unpaid_hours=unpaid, earned=int(earned), units=units,
                            eq_days=int(fig.get("eq_days") or 0), rate_cuts=int(fig.get("rate_cuts") or 0),
                            largest_cut_pct=min(0, max(-100, int(cut)))))
    return Contribution(campaign_id=campaign.campaign_id, pseudonym=pseudonym(secret, campaign.campaign_id),
                        currency=campaign.currency, months=tuple(months), rows=tuple(rows))


def write_contribution(c: Contribution, path: str | Path) -> Path:
    path = Path(path)
    partial.write_file(path, c.to_json())
    return path
