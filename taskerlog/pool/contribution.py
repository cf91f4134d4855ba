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
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Annotated, Any, Callable, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import timeutil
from ..frames import LogbookFrames
from ..model import UNPAID_KEYS
from .campaign import Campaign, CampaignError, canonical_json, explain, month_bounds

CONTRIBUTION_FORMAT = "taskerlog-contribution/1"
SETTINGS_KEY = "pool_mapping"
NOT_SHARED = "-"
"""The category of a project kept out of every contribution (``--map "PLATFORM/PROJECT=-"``)."""
HALF = Decimal("0.5")


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
    earned: int
    """Earned (paid + pending), whole units of the reporting currency."""
    units: int = 0
    """Tasks or items recorded, to the nearest 10."""
    eq_days: Annotated[int, Field(ge=0, le=31)] = 0
    """Days of empty queue on the platform that month (the platform's, shared by its categories)."""
    rate_cuts: Annotated[int, Field(ge=0)] = 0
    """Rate cuts that took effect that month in the mapped projects."""
    largest_cut_pct: Annotated[int, Field(le=0, ge=-100)] = 0
    """The largest cut that month, whole percent (0 if none)."""

    @field_validator("hours_worked", "hours_paid")
    @classmethod
    def _half(cls, v: Decimal) -> Decimal:
        if v < 0 or (v * 2) != (v * 2).to_integral_value():
            raise ValueError("hours must be 0 or more, in steps of 0.5")
        return v

    @field_validator("unpaid_hours")
    @classmethod
    def _kinds(cls, v: dict[str, Decimal]) -> dict[str, Decimal]:
        bad = sorted(k for k in v if k not in UNPAID_KEYS)
        if bad:
            raise ValueError(f"unknown unpaid kind {', '.join(bad)}")
        for h in v.values():
            cls._half(h)
        return v

    @field_validator("earned")
    @classmethod
    def _earned(cls, v: int) -> int:
        if v < 0:
            raise ValueError("earned must be 0 or more")
        return v

    @model_validator(mode="after")
    def _consistent(self):
        if self.hours_worked <= 0:
            raise ValueError("hours_worked must be more than 0")
        if self.hours_paid > self.hours_worked:
            raise ValueError("hours_paid is more than hours_worked")
        if self.units % 10:
            raise ValueError("units must be rounded to tens")
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
            raise ValueError("the same month, platform and category appear twice")
        bad = sorted({r.month for r in self.rows if r.month not in self.months})
        if bad:
            raise ValueError(f"rows for months not listed in months: {', '.join(bad)}")
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


def parse_contribution(text: str, where: str, campaign: Campaign | None = None) -> Contribution:
    """Validate a contribution file's text (schema, and the campaign's ids and names)."""
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ContributionError(f"{where}: not a contribution file (not valid JSON: {exc.msg})") from exc
    if not isinstance(raw, dict) or raw.get("format") != CONTRIBUTION_FORMAT:
        raise ContributionError(f"{where}: not a taskerlog contribution file (format is not {CONTRIBUTION_FORMAT})")
    try:
        c = Contribution.model_validate(raw)
    except ValidationError as exc:
        raise ContributionError(explain(exc, where)) from exc
    if campaign is not None:
        problems = []
        if c.campaign_id != campaign.campaign_id:
            problems.append(f"{where}: campaign_id: it was made for campaign '{c.campaign_id}', "
                            f"this pool is '{campaign.campaign_id}'")
        if c.currency != campaign.currency:
            problems.append(f"{where}: currency: {c.currency}, the campaign reports in {campaign.currency}")
        for i, r in enumerate(sorted(c.rows, key=lambda r: (r.month, r.platform, r.category)), 1):
            if r.month not in campaign.months:
                problems.append(f"{where}: rows[{i}]: month: {r.month} is not a month of the campaign")
            if r.platform not in campaign.platforms:
                problems.append(f"{where}: rows[{i}]: platform: '{r.platform}' is not a platform of the campaign")
            if r.category not in campaign.categories:
                problems.append(f"{where}: rows[{i}]: category: '{r.category}' is not a category of the campaign")
        bad = [m for m in c.months if m not in campaign.months]
        if bad:
            problems.append(f"{where}: months: not months of the campaign: {', '.join(bad)}")
        if problems:
            raise ContributionError("\n".join(problems))
    return c


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
            raise ContributionError(f"{path} is not a taskerlog device secret; restore it from a backup") from exc
        if len(key) < 32:
            raise ContributionError(f"{path} is not a taskerlog device secret; restore it from a backup")
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
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, dest)
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
        raise ContributionError(
            f"'{text}': write a mapping as PLATFORM/PROJECT=CATEGORY, e.g. \"Outlier/Genesis Dolphin=rating/ranking\" "
            "(PLATFORM/ for time logged without a project, PLATFORM/* for all other projects, =- to stop sharing one)")
    key, cat = text.rsplit("=", 1)
    platform, project = key.split("/", 1)
    if not platform.strip():
        raise ContributionError(f"'{text}': the platform is missing before '/'")
    return (platform.strip(), project.strip()), cat.strip()


def parse_platform_option(text: str) -> tuple[str, str]:
    """``Outlier AI=Outlier`` → ("Outlier AI", "Outlier")."""
    if "=" not in text:
        raise ContributionError(f"'{text}': write it as YOUR_PLATFORM=CAMPAIGN_PLATFORM, e.g. \"Outlier AI=Outlier\"")
    a, b = text.rsplit("=", 1)
    return a.strip(), b.strip()


def load_mapping(store) -> Mapping:
    """The saved mapping (a journaled setting of the logbook)."""
    return Mapping.from_json(store.settings_raw().get(SETTINGS_KEY))


def save_mapping(store, mapping: Mapping, source: str = "manual") -> None:
    text = mapping.to_json()
    with store.transaction():
        row = store.conn.execute("SELECT id, value FROM settings WHERE key = ?", (SETTINGS_KEY,)).fetchone()
        if row is None:
            store.insert("settings", {"key": SETTINGS_KEY, "value": text}, source)
        elif row[1] != text:
            store.update("settings", row[0], {"value": text}, source)


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
            problems.append(
                f"{pl}/{pr}: the campaign does not cover a platform called '{pl}' (it covers: "
                f"{', '.join(campaign.platforms)}); if it is one of them under another name, "
                f"add --platform \"{pl}=NAME\"")
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
    raise ContributionError(
        f"to report in {campaign.currency}, an exchange rate for {campaign.currency} on or before "
        f"{last.isoformat()} is needed: add one to your logbook (taskerlog fx), or ask the organizer "
        f"to put a {home} rate in the campaign file")


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
        raise ContributionError(
            "none of your projects is mapped to a category of this campaign yet; map them with "
            "--map \"PLATFORM/PROJECT=CATEGORY\" (categories: " + ", ".join(campaign.categories) + ")")
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
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(c.to_json(), encoding="utf-8")
    os.replace(tmp, path)
    return path
