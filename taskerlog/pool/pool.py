"""The organizer's pool: validated contributions, aggregated, with disclosure control.

A pool is a folder: ``campaign.json`` and ``rows.parquet``, every member's checked rows under
their pseudonym (a resubmission by the same pseudonym replaces the earlier rows); the
``ledger.json`` and ``releases/`` of published releases (:mod:`taskerlog.pool.publish`).

:func:`aggregate` computes figures for four kinds of group, on every platform:

=============  ==========================================
``cell``       platform × category × month
``category``   platform × category, all campaign months
``month``      platform × month, all categories
``platform``   platform, all categories and months
=============  ==========================================

and :func:`suppress` decides which groups may be shown, so that **no figure rests on
fewer than k distinct workers, not even one obtained by subtracting shown figures**:

1. *Primary*: a group with fewer than ``k`` workers is withheld.
2. *Pairs*: for every shown group A and shown group B inside it, the workers with rows in
   A but outside B must be none or at least ``k`` (else A − B would describe a handful of
   people). A conflict withholds A, the coarser one.
3. *Complements*: for every shown group and each way of splitting it (a category total
   by month; a month total by category; a platform total either way), the rows left
   after subtracting every shown part — the withheld parts, down to their withheld cells —
   must belong to none or at least ``k`` workers. If not, the smallest shown cell of that
   split is withheld too (classic complementary suppression), or, when there is none or
   the parts are not cells, the total itself.
4. Repeat 2-3 until nothing changes (each round only withholds more, so it ends).

Proof sketch: a released figure is computed from the rows of one group. Subtracting
released figures of sub-groups of A from A's figure can describe at best the rows of A
outside them. Step 2 covers one subtraction; step 3 the largest subtraction along each
split: what is left is then the withheld cells, which together have 0 or ≥ k workers;
any smaller subtraction leaves those rows plus whole released groups (each ≥ k workers).
The figures shown are medians, quartiles, ratios and shares — none is a sum that
subtracts exactly — so this is a safety margin on top, not the only line of defence.
Not covered: inclusion-exclusion mixing both splits at once (A − month − category +
cell); the docs say so.

Figures per group (over the group's workers; each worker's rows in the group summed):
``workers``; quartiles (linear interpolation, pandas' default, "type 7") of the
effective hourly wage = earned ÷ hours worked; the median paid hourly rate = earned ÷
hours paid (only when ≥ k workers had paid hours); ``unpaid_share`` = Σ unpaid hours ÷
Σ hours worked; median EQ days; share of workers with a rate cut; share of workers whose
effective wage is below the reference wage.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ..i18n import number
from ..problems import fix, say
from ..store import partial
from .campaign import Campaign, CampaignError, load_campaign
from .contribution import MAX_FILE_BYTES, check_batch

ALL = "*"
LEVELS = ("cell", "category", "month", "platform")
STAT_COLUMNS = [
    "workers", "wage_p25", "wage_median", "wage_p75", "paid_rate_median", "unpaid_share",
    "eq_days_median", "rate_cut_share", "below_reference_share",
]


class PoolError(ValueError):
    """A pool folder that cannot be used; the message says what to do."""


# -- the pool folder ------------------------------------------------------------------------
@dataclass
class AddResult:
    added: int = 0
    replaced: int = 0
    problems: list[str] = field(default_factory=list)


ROWS_FILE = "rows.parquet"
CHUNK = 5_000
"""Files checked together in one go: bounds memory to a few times these files' size."""
WORKERS = min(os.cpu_count() or 1, 4)
"""Processes checking chunks at the same time when there are several (at most 4: each holds a chunk)."""
ROW_FIELDS = ("month", "platform", "category", "hours_worked", "hours_paid", "earned", "eq_days", "rate_cuts")


def write_campaign(campaign: Campaign, path: str | Path) -> Path:
    """Write a campaign file (``campaign.json`` inside a folder) all at once: a stopped run
    leaves the old file or none, never half a campaign for members to refuse."""
    path = Path(path)
    if path.is_dir():
        path = path / "campaign.json"
    partial.write_file(path, campaign.to_json())
    return path


def init_pool(pool_dir: str | Path, campaign: Campaign) -> Path:
    pool_dir = Path(pool_dir)
    pool_dir.mkdir(parents=True, exist_ok=True)
    existing = pool_dir / "campaign.json"
    if existing.exists():
        current = load_campaign(existing)
        if current != campaign:
            raise PoolError(say("pool.other_campaign", "{folder} already pools campaign '{campaign}' with other "
                                "settings; use a new folder for another campaign", folder=pool_dir,
                                campaign=current.campaign_id))
    else:
        write_campaign(campaign, existing)
    return pool_dir


def open_pool(pool_dir: str | Path) -> Campaign:
    pool_dir = Path(pool_dir)
    if not (pool_dir / "campaign.json").exists():
        raise PoolError(say("pool.not_started", "{folder} is not a pool yet: {fix}", folder=str(pool_dir),
                            fix=fix("start_pool")))
    return load_campaign(pool_dir / "campaign.json")


def _read_files(files: Iterable[str | Path], problems: list[str]):
    """(name, bytes) of each file, refusing unreadable and oversized ones unread (into ``problems``)."""
    for f in files:
        f = os.fspath(f)
        try:
            size = os.stat(f).st_size
            if size > MAX_FILE_BYTES:
                problems.append(say("pool.file_too_big", "{file}: {size} bytes, more than a contribution can be "
                                    "({most}); ask the member for the file taskerlog wrote", file=f, size=number(size),
                                    most=number(MAX_FILE_BYTES)))
                continue
            with open(f, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            problems.append(say("pool.unreadable_file", "{file}: cannot be read ({why})", file=f,
                                why=exc.strerror or exc))
            continue
        if len(data) > MAX_FILE_BYTES:
            problems.append(say("pool.file_grew", "{file}: more than {most} bytes; ask the member for the file "
                                "taskerlog wrote", file=f, most=number(MAX_FILE_BYTES)))
            continue
        yield f, data


def _check_files(paths: list, campaign: Campaign) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """Read and check files: :func:`check_batch`, with unreadable and oversized files among the problems."""
    problems: list[str] = []
    rows, members, bad = check_batch(_read_files(paths, problems), campaign)
    return rows, members, problems + bad


def _checked_chunks(paths: list[str], campaign: Campaign):
    """:func:`_check_files` of each chunk of CHUNK files, in order; chunks are independent, so with
    several they are checked by WORKERS processes at once."""
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    if len(chunks) < 2 or WORKERS < 2:
        yield from (_check_files(c, campaign) for c in chunks)
        return
    with multiprocessing.Pool(min(WORKERS, len(chunks))) as workers:
        yield from workers.imap(functools.partial(_check_files, campaign=campaign), chunks)


def _stored(pool_dir: Path, campaign: Campaign) -> pd.DataFrame:
    """The pool's rows with their pseudonyms (a pool from before the table: its per-member files, checked)."""
    path = pool_dir / ROWS_FILE
    if path.exists():
        try:
            return pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several kinds for a damaged file
            raise PoolError(say("pool.rows_unreadable", "{path}: unreadable ({why}); restore the pool folder from a "
                                "backup, or add the members' files again into a new pool", path=path, why=exc)) from exc
    legacy = sorted((pool_dir / "contributions").glob("*.json"))
    if not legacy:
        return pd.DataFrame(columns=["pseudonym", *ROW_FIELDS])
    rows, _, problems = _check_files(legacy, campaign)
    if problems:
        raise PoolError("\n".join(problems + [say("pool.legacy_refused", "remove these files from the pool folder and "
                                                   "add the members' files again")]))
    return rows


def add_contributions(pool_dir: str | Path, files: Iterable[str | Path]) -> AddResult:
    """Validate each file against the pool's campaign and store its rows under its pseudonym.

    Valid files are added even if others are not; every problem names its file, row and field.
    A file whose pseudonym is already in the pool replaces the earlier one (later arguments win).
    The pool's table (``rows.parquet``) is rewritten atomically: all of this call's files or none.
    """
    pool_dir = Path(pool_dir)
    campaign = open_pool(pool_dir)
    result = AddResult()
    parts: list[pd.DataFrame] = []
    seen: set[str] = set()
    for rows, members, problems in _checked_chunks([str(f) for f in files], campaign):
        result.problems += problems
        again = seen & members.keys()
        if again:  # a later file of the same member wins
            parts = [p[~p["pseudonym"].isin(again)] for p in parts]
        seen |= members.keys()
        parts.append(rows)
    new = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["pseudonym", *ROW_FIELDS])
    if not len(new):
        return result
    old = _stored(pool_dir, campaign)
    incoming = set(new["pseudonym"].unique())
    before = set(old["pseudonym"].unique())
    result.replaced = len(incoming & before)
    result.added = len(incoming - before)
    table = pd.concat([old[~old["pseudonym"].isin(incoming)], new], ignore_index=True)
    for c in ("earned", "units", "eq_days", "rate_cuts", "largest_cut_pct"):
        table[c] = table[c].astype("int64")
    for c in ("hours_worked", "hours_paid"):
        table[c] = table[c].astype("float64")
    for c in ("pseudonym", "month", "platform", "category"):
        table[c] = table[c].astype(str)
    with partial.writing(pool_dir / ROWS_FILE) as tmp:
        table.to_parquet(tmp, index=False)
    return result


def load_rows(pool_dir: str | Path, campaign: Campaign | None = None) -> pd.DataFrame:
    """Every pooled row, with ``worker`` as a number (pseudonyms stay in the folder)."""
    pool_dir = Path(pool_dir)
    campaign = campaign or open_pool(pool_dir)
    table = _stored(pool_dir, campaign)
    workers = pd.factorize(table["pseudonym"].astype(str), sort=True)[0] if len(table) else []
    cols = {"worker": np.asarray(workers, dtype="int64")}
    for k in ROW_FIELDS:
        cols[k] = table[k].to_numpy(dtype=object if k in ("month", "platform", "category") else None)
    return rows_frame(cols)


def rows_frame(cols: dict[str, list]) -> pd.DataFrame:
    df = pd.DataFrame(cols, columns=["worker", *ROW_FIELDS])
    for c in ("worker", "earned", "eq_days", "rate_cuts"):
        df[c] = df[c].astype("int64")
    for c in ("hours_worked", "hours_paid"):
        df[c] = df[c].astype("float64")  # multiples of 0.5: exact in binary
    for c in ("month", "platform", "category"):
        df[c] = df[c].astype(object)
    return df


def contributions_frame(contributions) -> pd.DataFrame:
    """Rows from Contribution objects (tests, the app's in-memory preview)."""
    cols: dict[str, list] = {k: [] for k in ("worker",) + ROW_FIELDS}
    for i, c in enumerate(contributions):
        for r in c.rows:
            cols["worker"].append(i)
            for k in ROW_FIELDS:
                v = getattr(r, k)
                cols[k].append(float(v) if isinstance(v, Decimal) else v)
    return rows_frame(cols)


# -- aggregation -------------------------------------------------------------------------------
_LEVEL_DIMS = {
    "cell": ("platform", "category", "month"),
    "category": ("platform", "category"),
    "month": ("platform", "month"),
    "platform": ("platform",),
}


def _key(level: str, p, c=ALL, m=ALL) -> tuple[str, str, str, str]:
    return (level, p, c, m)


def per_worker(rows: pd.DataFrame, level: str, *, eq_days: bool = True) -> pd.DataFrame:
    """One line per group of ``level`` and worker: their totals within the group (``eq_days``:
    also their EQ days; published releases do not use them)."""
    dims = list(_LEVEL_DIMS[level])
    g = rows.groupby(dims + ["worker"], sort=False, observed=True)
    out = g.agg(hours_worked=("hours_worked", "sum"), hours_paid=("hours_paid", "sum"),
                earned=("earned", "sum"), cut=("rate_cuts", "max")).reset_index()
    if eq_days:
        # EQ days belong to the platform and month: count each (worker, platform, month) once
        eq = rows.drop_duplicates(subset=dims + ["worker", "platform", "month"])
        eq = eq.groupby(dims + ["worker"], sort=False)["eq_days"].sum().reset_index()
        out = out.merge(eq, on=dims + ["worker"], how="left")
    for d in ("platform", "category", "month"):
        if d not in out:
            out[d] = ALL
    out["level"] = level
    return out


def _figures(pw: pd.DataFrame, reference: float | None) -> pd.DataFrame:
    keys = ["level", "platform", "category", "month"]
    pw = pw.copy()
    pw["wage"] = pw["earned"] / pw["hours_worked"]
    pw["paid_rate"] = np.where(pw["hours_paid"] > 0, pw["earned"] / pw["hours_paid"].where(pw["hours_paid"] > 0), np.nan)
    pw["has_cut"] = (pw["cut"] > 0).astype("int64")
    pw["has_paid"] = (pw["hours_paid"] > 0).astype("int64")
    pw["unpaid"] = pw["hours_worked"] - pw["hours_paid"]
    if reference is not None:
        pw["below"] = (pw["wage"] < reference).astype("int64")
    g = pw.groupby(keys, sort=True)
    q = g["wage"].quantile([0.25, 0.5, 0.75]).unstack()
    out = pd.DataFrame({
        "workers": g["worker"].nunique(),
        "wage_p25": q[0.25], "wage_median": q[0.5], "wage_p75": q[0.75],
        "paid_rate_median": g["paid_rate"].median(),
        "paid_workers": g["has_paid"].sum(),
        "unpaid_share": g["unpaid"].sum() / g["hours_worked"].sum() * 100,
        "eq_days_median": g["eq_days"].median(),
        "rate_cut_share": g["has_cut"].mean() * 100,
        "below_reference_share": (g["below"].mean() * 100) if reference is not None else np.nan,
    })
    return out.reset_index()


def aggregate(rows: pd.DataFrame, *, reference_wage: Decimal | None = None) -> pd.DataFrame:
    """Figures for every group of every level (nothing withheld yet: never show this as is)."""
    ref = None if reference_wage is None else float(reference_wage)
    if not len(rows):
        return pd.DataFrame(columns=["level", "platform", "category", "month", *STAT_COLUMNS, "paid_workers"])
    pw = pd.concat([per_worker(rows, lv) for lv in LEVELS], ignore_index=True)
    return _figures(pw, ref)


# -- disclosure control -----------------------------------------------------------------------------
@dataclass
class Groups:
    """Worker sets of every group, and the fixed differencing remainders of nested pairs."""

    workers: dict[tuple, frozenset[int]]
    cells_of: dict[tuple, list[tuple]]
    pairs: list[tuple[tuple, tuple, int]]  # (A, B inside A, workers in A outside B)


def group_sets(rows: pd.DataFrame) -> Groups:
    mem = rows[["worker", "platform", "category", "month"]].drop_duplicates()
    workers: dict[tuple, frozenset[int]] = {}
    cells_of: dict[tuple, list[tuple]] = {}
    for (p, c, m), ws in mem.groupby(["platform", "category", "month"], sort=True)["worker"]:
        cell = _key("cell", p, c, m)
        workers[cell] = frozenset(ws.tolist())
        for parent in (_key("category", p, c), _key("month", p, ALL, m), _key("platform", p)):
            cells_of.setdefault(parent, []).append(cell)
    for parent, cells in cells_of.items():
        s: set[int] = set()
        for cell in cells:
            s |= workers[cell]
        workers[parent] = frozenset(s)
    # remainders |workers(rows(A) \ rows(B))| via per-worker counts of cells
    mem = mem.copy()
    mem["n_pc"] = mem.groupby(["platform", "category", "worker"])["month"].transform("size")
    mem["n_pm"] = mem.groupby(["platform", "month", "worker"])["category"].transform("size")
    mem["n_p"] = mem.groupby(["platform", "worker"])["month"].transform("size")
    pairs: list[tuple[tuple, tuple, int]] = []

    def add(frame: pd.DataFrame, by: list[str], excl: pd.Series, a_of, b_of) -> None:
        counts = excl.groupby([frame[b] for b in by]).sum()
        for key, n_excl in counts.items():
            key = key if isinstance(key, tuple) else (key,)
            a, b = a_of(*key), b_of(*key)
            pairs.append((a, b, len(workers[a]) - int(n_excl)))

    cellby = ["platform", "category", "month"]
    add(mem, cellby, mem["n_pc"] == 1, lambda p, c, m: _key("category", p, c), lambda p, c, m: _key("cell", p, c, m))
    add(mem, cellby, mem["n_pm"] == 1, lambda p, c, m: _key("month", p, ALL, m), lambda p, c, m: _key("cell", p, c, m))
    add(mem, cellby, mem["n_p"] == 1, lambda p, c, m: _key("platform", p), lambda p, c, m: _key("cell", p, c, m))
    pc = mem.drop_duplicates(["platform", "category", "worker"])
    add(pc, ["platform", "category"], pc["n_p"] == pc["n_pc"], lambda p, c: _key("platform", p), lambda p, c: _key("category", p, c))
    pm = mem.drop_duplicates(["platform", "month", "worker"])
    add(pm, ["platform", "month"], pm["n_p"] == pm["n_pm"], lambda p, m: _key("platform", p), lambda p, m: _key("month", p, ALL, m))
    return Groups(workers, cells_of, pairs)


def _splits(g: Groups, key: tuple) -> list[list[tuple]]:
    """The ways a group splits into shown parts: lists of child groups."""
    level, p, c, m = key
    if level == "cell":
        return []
    cells = g.cells_of.get(key, [])
    if level in ("category", "month"):
        return [cells]
    cats = sorted({cell[2] for cell in cells})
    months = sorted({cell[3] for cell in cells})
    return [[_key("category", p, x) for x in cats], [_key("month", p, ALL, x) for x in months]]


def suppress(g: Groups, k: int) -> set[tuple]:
    """The set of groups that may be shown (see the module doc for the method)."""
    shown = {key for key, ws in g.workers.items() if len(ws) >= k}
    changed = True
    while changed:
        changed = False
        for a, b, rem in g.pairs:
            if a in shown and b in shown and 0 < rem < k:
                shown.discard(a)
                changed = True
        for key in sorted(shown, key=lambda t: (LEVELS.index(t[0]), t[1:])):
            if key not in shown:
                continue
            for parts in _splits(g, key):
                left: set[int] = set()
                for part in parts:
                    if part in shown:
                        continue
                    if part[0] == "cell":
                        left |= g.workers[part]
                    else:
                        for cell in g.cells_of.get(part, []):
                            if cell not in shown:
                                left |= g.workers[cell]
                if 0 < len(left) < k:
                    cells = [x for x in parts if x in shown and x[0] == "cell"]
                    if cells:
                        smallest = min(cells, key=lambda x: (len(g.workers[x]), x))
                        shown.discard(smallest)
                    else:
                        shown.discard(key)
                    changed = True
                    break
    return shown


@dataclass
class PoolReport:
    """What may be shown: released groups only, figures ready to print."""

    campaign: Campaign
    k: int
    reference_wage: Decimal | None
    groups: pd.DataFrame  # released groups, STAT_COLUMNS, sorted

    def cells(self) -> pd.DataFrame:
        return self.groups[self.groups["level"] == "cell"]


def report(rows: pd.DataFrame, campaign: Campaign, *, k: int | None = None, publish: bool = False,
           reference_wage: Decimal | None = None) -> PoolReport:
    """Aggregate and withhold: the only way figures leave the pool."""
    k_min = campaign.publish_k if publish else campaign.k
    if k is None:
        k = k_min
    if k < campaign.k:
        raise PoolError(say("pool.k_below", "k={k} is below the campaign's minimum of {minimum}; use {minimum} or more",
                            k=k, minimum=campaign.k))
    if not len(rows):  # a pool no member has added to yet: nothing to show (aggregate has no columns for it)
        return PoolReport(campaign, k, reference_wage,
                          pd.DataFrame(columns=["level", "platform", "category", "month", *STAT_COLUMNS]))
    figs = aggregate(rows, reference_wage=reference_wage)
    shown = suppress(group_sets(rows), k)
    keys = list(zip(figs["level"], figs["platform"], figs["category"], figs["month"]))
    out = figs[[key in shown for key in keys]].copy()
    out.loc[out["paid_workers"] < k, "paid_rate_median"] = np.nan
    out = out.drop(columns=["paid_workers"])
    if reference_wage is None:
        out["below_reference_share"] = np.nan
    out["_lv"] = out["level"].map(LEVELS.index)
    out = out.sort_values(["platform", "_lv", "category", "month"]).drop(columns="_lv").reset_index(drop=True)
    out["workers"] = out["workers"].astype("int64")
    return PoolReport(campaign, k, reference_wage, out)


__all__ = [
    "ALL", "LEVELS", "AddResult", "PoolError", "PoolReport", "add_contributions", "aggregate",
    "contributions_frame", "group_sets", "init_pool", "load_rows", "open_pool", "report", "suppress",
    "CampaignError",
]
