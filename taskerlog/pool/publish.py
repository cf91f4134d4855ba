"""Published releases: differentially private figures under a privacy budget (issue 21).

The organizer's working view (:func:`taskerlog.pool.pool.report`) is exact and only
k-suppressed; it must not leave the organization, because sums and differences of exact
figures across views, months and releases single people out. Anything published goes
through :func:`publish`, which releases figures that are ε-differentially private with
the **member as the unit**: adding or removing one member's whole contribution changes
the probability of any published output by a factor of at most e^ε.

How one member's influence is bounded (see docs/organizers.md):

* Only a member's ``campaign.max_pairs_per_member`` platform × category pairs with the most
  hours count (a rule on the member's own rows, so it is a per-member transformation).
* The groups are fixed by the campaign (every platform × category × month, platform ×
  category, platform × month, platform), never by the data. At each level a member then
  lies in at most ``B`` groups (:func:`contributions_bound`).
* Per level, each member adds at most 1 to each of its ``B`` groups' worker count,
  flagged-worker counts and sum of unpaid fractions (each in [0, 1]): L1 sensitivity ``B``,
  OpenDP's Laplace mechanism (discrete for counts) with ``d_in = B``.
* Quantiles: OpenDP's private quantile (exponential mechanism) per group on the members'
  clamped wages, ``d_in = 1`` per group; a member touches ``B`` groups, so the level's loss
  is ``B`` × the group's.
* A publication's ε is split evenly over levels and, within a level, over its statistics
  (sequential composition); the ε that OpenDP's privacy maps report for every mechanism is
  added up and recorded in the ledger beside the ε charged.

Whether a group is published ("too few to publish" otherwise) is decided from its noisy
count only; whether a figure is shown, from its margin (which depends on the noisy count
and public constants only). Both are post-processing, costing no budget.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import i18n
from ..i18n import _
from ..problems import fix, say
from ..store import partial
from .campaign import Campaign, canonical_json
from .pool import ALL, LEVELS, load_rows, open_pool, per_worker

RELEASE_FORMAT = "taskerlog-release/1"
LEDGER = "ledger.json"
RELEASES = "releases"
ALPHAS = (0.25, 0.5, 0.75)
N_CANDIDATES = 401
BETA = 0.05
MAX_MARGIN_PTS = 25.0
"""A share or a quantile whose 95 % margin is wider than ± this many percentage points is not shown."""
FOR_PUBLICATION = "published release"
WORKING_VIEW = "for the organizer — not for publication"


class PublishError(ValueError):
    """A release that cannot be made (budget spent, bad request); the message says what to do."""


def _dp():
    import opendp.prelude as dp  # heavy: only when publishing

    dp.enable_features("contrib")
    return dp


# -- the fixed group set and each member's bound ----------------------------------------------------
def fixed_groups(campaign: Campaign, level: str, months=None) -> list[tuple[str, str, str, str]]:
    """Every group of ``level`` the campaign defines (for the chosen ``months``), whether or not anyone is in it."""
    P, C, M = campaign.platforms, campaign.categories, tuple(months or campaign.months)
    if level == "cell":
        return [(level, p, c, m) for p in P for c in C for m in M]
    if level == "category":
        return [(level, p, c, ALL) for p in P for c in C]
    if level == "month":
        return [(level, p, ALL, m) for p in P for m in M]
    return [(level, p, ALL, ALL) for p in P]


def contributions_bound(campaign: Campaign, level: str, months=None) -> int:
    """At most how many groups of ``level`` (for the chosen ``months``) one member's bounded rows fall in."""
    pairs = min(campaign.max_pairs_per_member, len(campaign.platforms) * len(campaign.categories))
    plats = min(pairs, len(campaign.platforms))
    months = len(months or campaign.months)
    return {"cell": pairs * months, "category": pairs, "month": plats * months, "platform": plats}[level]


def bounded_rows(rows: pd.DataFrame, campaign: Campaign) -> pd.DataFrame:
    """Each member's rows in at most ``max_pairs_per_member`` platform × category pairs (most hours first,
    then by name): the rule looks at the member's own rows only."""
    if not len(rows):
        return rows
    tot = rows.groupby(["worker", "platform", "category"], sort=False)["hours_worked"].sum().reset_index()
    if tot["worker"].value_counts().max() <= campaign.max_pairs_per_member:
        return rows  # nobody has more pairs than the bound: nothing to drop
    tot = tot.sort_values(["worker", "hours_worked", "platform", "category"], ascending=[True, False, True, True])
    keep = tot[tot.groupby("worker").cumcount() < campaign.max_pairs_per_member][["worker", "platform", "category"]]
    return rows.merge(keep, on=["worker", "platform", "category"], how="inner")


@functools.lru_cache(maxsize=16)
def _candidates(lo: float, hi: float) -> tuple[float, ...]:
    return tuple(sorted({round(lo + (hi - lo) * i / (N_CANDIDATES - 1), 2) for i in range(N_CANDIDATES)}))


def _positions(pw: pd.DataFrame, campaign: Campaign, level: str, months) -> np.ndarray:
    """Each per-member line's index in :func:`fixed_groups` (platforms, then categories, then months)."""
    dims = [("platform", campaign.platforms)]
    if level in ("cell", "category"):
        dims.append(("category", campaign.categories))
    if level in ("cell", "month"):
        dims.append(("month", tuple(months or campaign.months)))
    pos = np.zeros(len(pw), dtype="int64")
    for col, values in dims:
        codes = pd.Categorical(pw[col], categories=list(values)).codes.astype("int64")
        if (codes < 0).any():
            raise PublishError(f"internal check: a pooled {col} is not one of the campaign's")
        pos = pos * len(values) + codes
    return pos


def candidates(campaign: Campaign) -> tuple[float, ...]:
    """The wages a published quantile can take: evenly spaced over the campaign's range, to the cent."""
    lo, hi = (float(x) for x in campaign.wage_range)
    return _candidates(lo, hi)


# -- the mechanisms ------------------------------------------------------------------------------------
@dataclass
class _Spent:
    epsilon: float = 0.0


def _laplace_vector(dp, values: np.ndarray, sensitivity: int, eps: float, spent: _Spent, *, integer: bool):
    """OpenDP's (discrete, for counts) Laplace mechanism on a vector of L1 sensitivity ``sensitivity``."""
    scale = sensitivity / eps
    if integer:
        space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
        meas = dp.m.make_laplace(*space, scale=scale)
        d_in: Any = int(sensitivity)
        out = np.asarray(meas([int(v) for v in values]), dtype="float64")
        acc = dp.discrete_laplacian_scale_to_accuracy(scale, BETA / 2)
    else:
        space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l1_distance(T=float)
        meas = dp.m.make_laplace(*space, scale=scale)
        d_in = float(sensitivity)
        out = np.asarray(meas([float(v) for v in values]), dtype="float64")
        acc = dp.laplacian_scale_to_accuracy(scale, BETA / 2)
    loss = meas.map(d_in)
    if loss > eps * (1 + 1e-9):
        raise PublishError(f"internal check: a mechanism would spend ε={loss}, more than its share {eps}")
    spent.epsilon += loss
    return out, acc


@functools.lru_cache(maxsize=64)
def _quantile_measurement(cands: tuple[float, ...], alpha: float, eps: float):
    """OpenDP's private quantile with ε per group at most ``eps`` (one value per member per group)."""
    dp = _dp()
    cands = list(cands)
    space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.symmetric_distance()
    unit = dp.m.make_private_quantile(*space, dp.max_divergence(), candidates=cands, alpha=alpha, scale=1.0).map(1)
    scale = unit / eps
    for _attempt in range(60):
        meas = dp.m.make_private_quantile(*space, dp.max_divergence(), candidates=cands, alpha=alpha, scale=scale)
        if meas.map(1) <= eps:
            return meas
        scale *= 1.000001
    raise PublishError("internal check: no noise scale gives the quantile's ε share")


def _rank_margin(alpha: float, eps: float, n_candidates: int) -> float:
    """Ranks by which a released quantile may be off, 95 % of the time (exponential mechanism's bound)."""
    return 2 * max(alpha, 1 - alpha) / eps * math.log(n_candidates / BETA)


def release_level(rows: pd.DataFrame, campaign: Campaign, level: str, eps_level: float, *,
                  reference_wage: Decimal | None = None, spent: _Spent | None = None, months=None) -> list[dict]:
    """Noisy figures for every fixed group of one level (``rows`` already bounded per member); the
    month-wise levels (cells, platform × month) only for ``months`` (default: all the campaign's)."""
    dp = _dp()
    spent = spent if spent is not None else _Spent()
    months = tuple(months or campaign.months) if level in ("cell", "month") else None
    groups = fixed_groups(campaign, level, months)
    B = contributions_bound(campaign, level, months)
    if months is not None and len(rows):
        rows = rows[rows["month"].isin(months)]
    stats = ["workers", "unpaid", "cut"] + (["below"] if reference_wage is not None else []) + ["q"] * len(ALPHAS)
    eps_m = eps_level / len(stats)
    G = len(groups)
    lo, hi = (float(x) for x in campaign.wage_range)
    if len(rows):
        pw = per_worker(rows, level, eq_days=False)
        pos = _positions(pw, campaign, level, months)
        hw = pw["hours_worked"].to_numpy(dtype="float64")
        hp = pw["hours_paid"].to_numpy(dtype="float64")
        wage = np.clip(pw["earned"].to_numpy(dtype="float64") / hw, lo, hi)
        unpaid = np.clip((hw - hp) / hw, 0.0, 1.0)
        cut = (pw["cut"].to_numpy() > 0)
    else:
        pos, wage, unpaid, cut = (np.zeros(0, dtype="int64"), np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool))
    n, acc_n = _laplace_vector(dp, np.bincount(pos, minlength=G), B, eps_m, spent, integer=True)
    u, acc_u = _laplace_vector(dp, np.bincount(pos, weights=unpaid, minlength=G), B, eps_m, spent, integer=False)
    cuts, acc_c = _laplace_vector(dp, np.bincount(pos[cut], minlength=G), B, eps_m, spent, integer=True)
    below = acc_b = None
    if reference_wage is not None:
        flag = wage < float(reference_wage)
        below, acc_b = _laplace_vector(dp, np.bincount(pos[flag], minlength=G), B, eps_m, spent, integer=True)
    acc_n95 = dp.discrete_laplacian_scale_to_accuracy(B / eps_m, BETA)
    threshold = max(campaign.publish_k, 2 * acc_n95)
    eps_g = eps_m / B
    cands = candidates(campaign)
    qmeas = [_quantile_measurement(cands, a, eps_g) for a in ALPHAS]
    spent.epsilon += sum(m.map(1) for m in qmeas) * B
    order = np.argsort(pos, kind="stable")
    starts = np.searchsorted(pos[order], np.arange(G + 1))
    wages_sorted = wage[order]

    def share(num: float, acc_num: float, count: float) -> tuple[float, float]:
        s = min(max(num / count, 0.0), 1.0)
        return s * 100, (acc_num + s * acc_n) / count * 100

    out = []
    for i, (lv, p, c, m) in enumerate(groups):
        count = float(n[i])
        rec: dict[str, Any] = {"level": lv, "platform": p, "category": c, "month": m,
                               "workers": max(0, int(round(count))), "workers_margin": int(math.ceil(acc_n95))}
        if count < threshold:
            rec["status"] = "too few to publish"
            out.append(rec)
            continue
        rec["status"] = "published"
        values = np.ascontiguousarray(wages_sorted[starts[i]:starts[i + 1]], dtype="float64")  # OpenDP's fast path
        qs = sorted(float(meas(values)) for meas in qmeas)
        for a, q in zip(ALPHAS, qs):
            name = {0.25: "wage_p25", 0.5: "wage_median", 0.75: "wage_p75"}[a]
            pts = _rank_margin(a, eps_g, len(cands)) / count * 100
            if pts <= MAX_MARGIN_PTS:
                rec[name], rec[name + "_margin_pts"] = q, pts
        for name, num, acc in (("unpaid_share", u[i], acc_u), ("rate_cut_share", cuts[i], acc_c),
                               ("below_reference_share", None if below is None else below[i], acc_b)):
            if num is None:
                continue
            val, margin = share(float(num), acc, count)
            if margin <= MAX_MARGIN_PTS:
                rec[name], rec[name + "_margin_pts"] = val, margin
        out.append(rec)
    return out


def make_release(rows: pd.DataFrame, campaign: Campaign, epsilon: float, *, levels=LEVELS,
                 reference_wage: Decimal | None = None, months=None) -> tuple[list[dict], float]:
    """Every group of the chosen levels (month-wise ones for ``months``), noisy; and the ε OpenDP's
    privacy maps add up to (≤ ``epsilon``)."""
    levels = [lv for lv in LEVELS if lv in set(levels)]
    if not levels:
        raise PublishError(say("publish.no_level", "choose at least one level to publish: {levels}",
                               levels=", ".join(LEVELS)))
    bad = sorted(set(months or ()) - set(campaign.months))
    if bad:
        raise PublishError(say("publish.months_not_campaign", "not months of the campaign: {months} (it covers "
                               "{first} to {last})", months=", ".join(bad), first=campaign.months[0],
                               last=campaign.months[-1]))
    bounded = bounded_rows(rows, campaign)
    spent = _Spent()
    out: list[dict] = []
    for lv in levels:
        out += release_level(bounded, campaign, lv, epsilon / len(levels), reference_wage=reference_wage,
                             spent=spent, months=months)
    if spent.epsilon > epsilon * (1 + 1e-6):
        raise PublishError(f"internal check: the release would spend ε={spent.epsilon:.6f}, more than {epsilon}")
    return out, spent.epsilon


# -- the ledger ------------------------------------------------------------------------------------------
def ledger_path(pool_dir: str | Path) -> Path:
    return Path(pool_dir) / LEDGER


def read_ledger(pool_dir: str | Path, campaign: Campaign) -> list[dict]:
    """Every release so far: number, when, what, ε charged. A missing ledger means none."""
    path = ledger_path(pool_dir)
    if not path.exists():
        if any((Path(pool_dir) / RELEASES).glob("release-*.json")):
            raise PublishError(say("publish.ledger_missing", "{path} is missing but releases exist: restore the "
                                   "ledger from a backup; publishing without it could spend the budget twice",
                                   path=path))
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw["releases"]
        if raw.get("campaign_id") != campaign.campaign_id or not isinstance(entries, list):
            raise ValueError("another campaign's ledger")
        for e in entries:
            Decimal(str(e["epsilon"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PublishError(say("publish.ledger_unreadable", "{path}: the privacy ledger cannot be read ({why}); "
                               "restore it from a backup", path=path, why=exc)) from exc
    return entries


def spent(entries: list[dict]) -> Decimal:
    return sum((Decimal(str(e["epsilon"])) for e in entries), Decimal(0))


def budget_words(campaign: Campaign, spent_so_far: Decimal) -> str:
    """One paragraph: ε spent so far and what it means (in the current language)."""
    return budget_text(campaign.epsilon_total, spent_so_far)


def budget_text(epsilon_total: Decimal, spent_so_far: Decimal) -> str:
    """:func:`budget_words` from the figures a saved release keeps."""
    left = epsilon_total - spent_so_far
    factor = math.exp(float(spent_so_far))
    return _("Privacy budget: ε = {spent} spent so far of the campaign's {total} ({left} left). This means: "
             "everything published from this pool so far, taken together, changes by at most a factor of {factor} "
             "(e^ε) in how likely it was if any one member's whole contribution were left out or added. So no "
             "reader, even one who knows every other member's exact logs, can tell with confidence whether a given "
             "person contributed or what they reported. The figures carry random noise for this; each comes with "
             "its 95 % margin. Every further publication spends more of the budget, and it never resets.").format(
        spent=spent_so_far, total=epsilon_total, left=left, factor=f"{factor:.2f}")


@dataclass
class Release:
    """One published release, as saved in the pool folder and rendered (safe to publish)."""

    data: dict

    @property
    def groups(self) -> list[dict]:
        return self.data["groups"]


def publish(pool_dir: str | Path, epsilon: Decimal, *, now: dt.datetime, reference_wage: Decimal | None = None,
            levels=LEVELS, months=None) -> Release:
    """Spend ``epsilon`` of the campaign's budget on one release; record it in the ledger first."""
    pool_dir = Path(pool_dir)
    campaign = open_pool(pool_dir)
    if not epsilon.is_finite() or epsilon <= 0:
        raise PublishError(say("pool.epsilon", "ε for a publication must be more than 0, e.g. {fix}",
                               fix=fix("epsilon", example="0.25")))
    lock = pool_dir / (LEDGER + ".lock")
    try:
        fd = os.open(str(lock), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise PublishError(say("publish.running", "another publication of this pool is running (or was "
                               "interrupted: remove {lock} if none is)", lock=lock)) from exc
    os.close(fd)
    try:
        entries = read_ledger(pool_dir, campaign)
        before = spent(entries)
        left = campaign.epsilon_total - before
        if epsilon > left:
            raise PublishError(say(
                "publish.over_budget", "the campaign's privacy budget would be exceeded: ε = {spent} of {total} is "
                "spent, {left} is left and this publication asks for {epsilon}. Nothing was published. Re-use an "
                "earlier release (pool folder, releases/) instead.", spent=i18n.number(before),
                total=i18n.number(campaign.epsilon_total), left=i18n.number(max(left, Decimal(0))),
                epsilon=i18n.number(epsilon)))
        rows = load_rows(pool_dir, campaign)
        groups, computed = make_release(rows, campaign, float(epsilon), levels=levels,
                                        reference_wage=reference_wage, months=months)
        number = len(entries) + 1
        when = now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        what = (f"levels {', '.join(lv for lv in LEVELS if lv in set(levels))}"
                + (f"; months {', '.join(sorted(months))}" if months else "")
                + (f"; reference wage {reference_wage} {campaign.currency}/h" if reference_wage is not None else ""))
        entry = {"number": number, "when": when, "what": what, "epsilon": str(epsilon),
                 "epsilon_opendp": f"{computed:.6f}"}
        after = before + epsilon
        _write(ledger_path(pool_dir), canonical_json({"campaign_id": campaign.campaign_id,
                                                      "epsilon_total": str(campaign.epsilon_total),
                                                      "releases": entries + [entry]}))
        data = {"format": RELEASE_FORMAT, "campaign_id": campaign.campaign_id, "campaign_name": campaign.name,
                "currency": campaign.currency, "months": list(campaign.months), "number": number,
                "published_at": when, "what": what, "epsilon": str(epsilon), "epsilon_spent_total": str(after),
                "epsilon_total": str(campaign.epsilon_total),
                "reference_wage": None if reference_wage is None else str(reference_wage),
                "wage_range": [str(x) for x in campaign.wage_range], "publish_k": campaign.publish_k,
                "max_pairs_per_member": campaign.max_pairs_per_member,
                "budget_words": _english_budget_words(campaign, after), "groups": groups,
                # what ``what`` says, for wording it in another language (release_report.what_words)
                "levels": [lv for lv in LEVELS if lv in set(levels)],
                "published_months": sorted(months) if months else None}
        (pool_dir / RELEASES).mkdir(exist_ok=True)
        _write(pool_dir / RELEASES / f"release-{number:03d}.json", json.dumps(data, indent=1, ensure_ascii=True) + "\n")
        return Release(data)
    finally:
        lock.unlink(missing_ok=True)


def _english_budget_words(campaign: Campaign, spent_so_far: Decimal) -> str:
    # the saved release keeps its words in English (a file to publish); renderings word it anew
    with i18n.using(i18n.DEFAULT):
        return budget_words(campaign, spent_so_far)


def load_release(path: str | Path) -> Release:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != RELEASE_FORMAT:
            raise ValueError(f"not {RELEASE_FORMAT}")
    except (OSError, ValueError) as exc:
        raise PublishError(say("publish.not_release", "{path}: not a taskerlog release ({why})", path=path,
                               why=exc)) from exc
    return Release(data)


def releases(pool_dir: str | Path) -> list[Path]:
    return sorted((Path(pool_dir) / RELEASES).glob("release-*.json"))


def _write(path: Path, text: str) -> None:
    partial.write_file(path, text)


def fmt(v, places: int) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))


__all__ = ["PublishError", "Release", "publish", "make_release", "read_ledger", "spent", "budget_words",
           "fixed_groups", "contributions_bound", "bounded_rows", "load_release", "releases"]
