"""Bring in the history a worker already has (issue 6).

Each reader turns a file from another tool into the CSV bundle's tables (raw strings,
interchange.md's columns, plus ``_line`` = the source line and ``attrs["file"]``), so the
import itself is the bundle's: previewed (dry run), all-or-nothing, idempotent, never
overwriting the worker's own rows. ActivityWatch is the exception: its ``activity`` table
is evidence kept apart from work (see activitywatch.py) and is written by :func:`apply`.

``read(fmt, path, settings, **options) -> (tables, problems)`` is the contract with the
bundle's ``taskerlog import --from FORMAT``; :func:`read_history` returns the same plus
notes (rows skipped and why) and the spreadsheet mapping used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..model import KINDS, PAY_MODELS, Logbook
from ..problems import Said, fix, say
from . import mappings as _mappings
from .mappings import mappings_path  # noqa: F401
from ._common import (
    ESTIMATED, UNTIMED, FormatMismatch, Problem, Tables, header_signature, mark_forms, read_sheet, unmarked, wide_rows,
    yes_no,
)
from .spreadsheet import MappingError, Options, auto_mapping, parse_mapping

FORMATS: tuple[str, ...] = ("spreadsheet", "toggl", "clockify", "mturk", "paypal", "activitywatch")

#: options each format understands (the CLI and the app offer these)
OPTIONS: dict[str, tuple[str, ...]] = {
    "spreadsheet": ("mapping", "mappings_file", "platform", "day_first", "decimal_comma", "duration_unit",
                    "currency", "timezone", "kind", "pay_model", "day_starts_at", "sheet", "today"),
    "toggl": ("platform", "day_first", "decimal_comma", "duration_unit", "currency", "timezone", "kind", "today"),
    "clockify": ("platform", "day_first", "decimal_comma", "duration_unit", "currency", "timezone", "kind",
                 "today"),
    "mturk": ("hit_minutes", "timezone", "strict", "today"),
    "paypal": ("payer", "day_first", "decimal_comma", "timezone", "today"),
    "activitywatch": ("today",),
}


@dataclass
class HistoryRead:
    """What a reader found: bundle tables, problems, notes for the preview, the mapping used."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mapping: dict[str, str] | None = None
    signature: str | None = None
    header: list[str] = field(default_factory=list)


def read(fmt: str, path: str | Path, settings: Logbook, **options: Any
         ) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The bundle contract: (tables in bundle format with ``_line``, problems). The private
    identity columns of :func:`read_history` are left out: :func:`apply` is what uses them."""
    r = read_history(fmt, path, settings, **options)
    return read_tables(r), r.problems


def read_tables(r: HistoryRead) -> dict[str, pd.DataFrame]:
    """What a reader found, as bundle tables (without the private identity columns)."""
    return {k: _public(v) for k, v in r.tables.items()}


def _public(df: pd.DataFrame) -> pd.DataFrame:
    keep = [c for c in df.columns if not c.startswith("_") or c == "_line"]
    if len(keep) == len(df.columns):
        return df
    out = df[keep].reset_index(drop=True)
    out.attrs = dict(df.attrs)
    return out


def read_history(fmt: str, path: str | Path, settings: Logbook, **options: Any) -> HistoryRead:
    path = Path(path)
    out = HistoryRead()
    name = path.name
    if fmt not in FORMATS:
        out.problems.append(Problem(name, None, "", say("import.unknown_format", "unknown format '{format}'; use one "
                                                        "of: {formats}", format=fmt, formats=", ".join(FORMATS))))
        return out
    unknown = [k for k, v in options.items() if v not in (None, "", ()) and k not in OPTIONS[fmt]]
    if unknown:
        out.problems.append(Problem(name, None, "", say("import.unused_options", "{fix}", fix=fix(
            "unused_options", format=fmt, options=tuple(u.replace("_", "-") for u in unknown)))))
        return out
    if not path.exists():
        out.problems.append(Problem(name, None, "", say("import.no_file", "{path} does not exist; check the file name",
                                                        path=str(path))))
        return out
    try:
        tables, problems = _dispatch(fmt, path, settings, options, out)
    except FormatMismatch as exc:
        out.problems.append(Problem(name, 1, "", str(exc)))
        return out
    except (MappingError, ValueError) as exc:
        out.problems.append(Problem(name, None, "", str(exc)))
        return out
    out.tables = tables.frames()
    for df in out.tables.values():
        df.attrs["notes"] = list(out.notes)
    out.problems.extend(problems)
    out.problems = one_per_message(out.problems)
    if not out.problems and not any(len(df) for df in out.tables.values()):
        out.notes.append(say("import.nothing", "{file}: nothing to import", file=name))
    return out


def one_per_message(problems: list[Problem], *, at_least: int = 3) -> list[Problem]:
    """The same problem on many rows (the same column, the same words: a value repeated down
    a column) is one problem at its first row that counts the rows and names the first
    lines, not a screenful of copies."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.column, p.message), []).append(p)
    out = []
    for p in problems:
        same = groups[(p.file, p.column, p.message)]
        if len(same) < at_least or p.line is None:
            out.append(p)
        elif p is same[0]:
            lines = [q.line for q in same]
            out.append(Problem(p.file, p.line, p.column, say(
                "import.many_rows", "{problem} ({count} rows like this: lines {lines}{more})", problem=p.message,
                count=len(same), lines=", ".join(str(n) for n in lines[:10]), more=" ..." if len(lines) > 10 else "")))
    return out


def _options(fmt: str, settings: Logbook, o: dict[str, Any]) -> Options:
    kind = o.get("kind") or "tasking"
    if kind not in KINDS:
        raise ValueError(say("import.bad_choice", "{fix} must be one of: {choices}", fix=fix("option", name="kind"),
                             choices=", ".join(KINDS)))
    pay_model = o.get("pay_model") or "hourly"
    if pay_model not in PAY_MODELS:
        raise ValueError(say("import.bad_choice", "{fix} must be one of: {choices}", fix=fix("option", name="pay-model"),
                             choices=", ".join(PAY_MODELS)))
    unit = o.get("duration_unit")
    if unit not in (None, "", "minutes", "hours"):
        raise ValueError(say("import.bad_choice", "{fix} must be one of: {choices}",
                             fix=fix("option", name="duration-unit"), choices="minutes, hours"))
    starts = o.get("day_starts_at")
    if isinstance(starts, str) and starts:
        starts = dt.time.fromisoformat(starts)
    currency = o.get("currency")
    if currency:
        from .. import money
        currency = money.check_currency(currency)
    tz = o.get("timezone")
    if tz:
        from .. import timeutil
        timeutil.zone(tz)
    return Options(platform=(o.get("platform") or None), day_first=yes_no(o.get("day_first"), "day_first"),
                   decimal_comma=yes_no(o.get("decimal_comma"), "decimal_comma"), duration_unit=unit or None,
                   currency=currency or None, timezone=tz or None, default_kind=kind, pay_model=pay_model,
                   day_starts_at=starts or dt.time(9, 0), today=_today(o.get("today")))


def _today(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _dispatch(fmt: str, path: Path, settings: Logbook, o: dict[str, Any], out: HistoryRead
              ) -> tuple[Tables, list[Problem]]:
    if fmt == "mturk":
        from .mturk import read_mturk
        minutes = o.get("hit_minutes")
        if minutes not in (None, ""):
            minutes = int(minutes)
            if minutes <= 0:
                raise ValueError(say("import.not_positive", "{fix} must be more than 0",
                                     fix=fix("option", name="hit-minutes")))
        return read_mturk(path, settings, hit_minutes=minutes or None, today=_today(o.get("today")),
                          timezone=o.get("timezone") or None, strict=bool(yes_no(o.get("strict"), "strict")),
                          notes=out.notes)
    if fmt == "activitywatch":
        from .activitywatch import read_activitywatch
        return read_activitywatch(path, today=_today(o.get("today")), notes=out.notes)
    sheet = read_sheet(path, sheet=o.get("sheet") or None)
    out.header = list(sheet.header)
    if not sheet.header:
        raise FormatMismatch(f"{path.name} is empty; export it again (it needs a header row and some rows)")
    out.signature = header_signature(sheet.header)
    out.problems.extend(wide_rows(sheet))
    _refuse_known_exports(sheet.header, path.name, fmt)
    if fmt == "paypal":
        from .paypal import parse_payers, read_paypal
        return read_paypal(sheet, settings, payers=parse_payers(o.get("payer")),
                           day_first=yes_no(o.get("day_first"), "day_first"),
                           decimal_comma=yes_no(o.get("decimal_comma"), "decimal_comma"),
                           today=_today(o.get("today")), timezone=o.get("timezone") or None, notes=out.notes)
    opts = _options(fmt, settings, o)
    if fmt in ("toggl", "clockify"):
        from .timetrackers import read_tracker
        return read_tracker(sheet, fmt, settings, opts, notes=out.notes)
    from .spreadsheet import read_work
    given = parse_mapping(o.get("mapping"))
    saved = _mappings.lookup(o.get("mappings_file"), out.signature) or {}
    mapping = {**auto_mapping(sheet.header), **saved, **given}
    out.mapping = mapping
    unused = [h for h in sheet.header if h and h not in mapping.values()]
    if unused:
        out.notes.append(say("import.columns_left", "{file}: columns not imported: {columns} "
                             "(map them with {fix} if they matter)", file=path.name, columns=", ".join(unused),
                             fix=fix("mapping", example="Column=field")))
    from .timetrackers import leave_out, no_platform
    leave_out(sheet, mapping, opts, out.notes)
    if "platform" in mapping and mapping["platform"] in sheet.header:
        if (question := no_platform(sheet, mapping, opts)) is not None:
            return Tables(path.name), [question]
    return read_work(sheet, mapping, settings, opts)


def _refuse_known_exports(header: list[str], name: str, fmt: str) -> None:
    """A file of another kind read as this one would turn payments (or other people's
    answers) into hours: refuse it, naming what it is."""
    from .mturk import known_export

    what = known_export(header)
    if what and not (fmt == "paypal" and what.problem.code == "import.is_paypal"):
        raise FormatMismatch(say("import.looks_like", "{file} looks like {what}", file=name, what=what))


def save_mapping(mappings_file: str | Path, result: HistoryRead) -> None:
    """Remember the mapping a successful spreadsheet import used, for the next file like it."""
    if result.mapping and result.signature:
        _mappings.save(mappings_file, result.signature, result.mapping)


# -- writing (the bundle's import, plus the activity evidence) ---------------------------
@dataclass
class ActivityCounts:
    added: int = 0
    already: int = 0


def apply(store, tables: dict[str, pd.DataFrame], *, source: str, dry_run: bool = False):
    """Import ``tables``: the bundle's all-or-nothing import for work/projects/payouts, and
    the ``activity`` evidence table beside it. Returns (bundle report or None, ActivityCounts)."""
    from ..bundle.importer import import_tables
    rest = {k: v for k, v in tables.items() if k != "activity"}
    rest = adopt_identity(store, rest)
    activity = tables.get("activity")
    report = None
    counts = ActivityCounts()
    # (a reader yields either bundle tables or activity, never both: each part is all-or-nothing)
    if rest:
        # a platform's own export: a HIT it had pending and now settles updates the logbook's row
        report = import_tables(store, rest, source=source, dry_run=dry_run, settle_pending=True)
    if activity is not None and len(activity):
        with store.transaction():
            counts = _apply_activity(store, activity, source=source, dry_run=dry_run)
    return report, counts


# -- identity: ids, never guesses ---------------------------------------------------------
def adopt_identity(store, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Match rows to the logbook by the ids the platform gave them, not by values the
    importer worked out, and drop the private columns (``_ids``, ``_estimated``).

    A work row with ``_ids`` (MTurk: its assignment and HIT ids) that names an entry the
    logbook already has on the same platform takes that entry's identity (project, kind,
    start, end, external_id), so the bundle's import sees the same row (already there, or
    settled when only its status changed) whatever the times this file would give it and
    whichever of its ids the entry was first recorded under; a note that differs from the
    entry's only in the language of the mark the importer adds ("[duration estimated]") is the
    entry's note. A payout with ``_ids`` (PayPal:
    the transaction id) matches a payout with that reference. Estimated rows
    (``_estimated`` = the day they were placed on) that are new are placed after what the
    logbook already has on that day, so a later, larger backup adds exactly the new HITs.
    Rows of one file that share an id are one record: the last one (the latest state) is kept.

    A spreadsheet row without a time of day (placed by the reader from 09:00, noted
    "[time of day not recorded]") has no id: it is the same entry as the logbook's untimed
    entry of the same platform, project, kind, day, length and note (the n-th such row of the
    file is the n-th such entry), whatever time the placement gave it and whatever the language
    of the mark; new ones go after the day's untimed entries.
    """
    out = dict(tables)
    work = out.get("work")
    if work is not None and "_ids" not in work.columns and len(work) and store.has_rows("work") \
            and work["note"].astype(str).str.endswith(mark_forms(UNTIMED)).any():
        adopted = _adopt_untimed(store, work)
        adopted.attrs = dict(work.attrs)
        out["work"] = adopted
    for name in ("work", "payouts"):
        df = out.get(name)
        if df is None or "_ids" not in df.columns:
            continue
        df = _one_per_id(df)
        if len(df) and store.has_rows(name):
            df = (_adopt_work if name == "work" else _adopt_payouts)(store, df)
        df.attrs = dict(tables[name].attrs)
        out[name] = _public(df)
    return out


def _one_per_id(df: pd.DataFrame) -> pd.DataFrame:
    seen: dict[str, int] = {}
    drop: set[int] = set()
    for i, ids in enumerate(df["_ids"].tolist()):
        for x in str(ids).split():
            if x in seen and seen[x] != i:
                drop.add(seen[x])
            seen[x] = i
    return df.drop(index=df.index[sorted(drop)]) if drop else df


def _adopt_work(store, df: pd.DataFrame) -> pd.DataFrame:
    from ._common import iso_local
    tz = store.settings().timezone
    old = store.frames().work
    old = old[old["platform"].isin(set(df["platform"]))]
    if not len(old):
        return df
    by_id = {}
    for r in old[["platform", "project", "kind", "start", "end", "external_id", "note"]].itertuples(index=False):
        if r.external_id:
            by_id[(r.platform, str(r.external_id))] = r
    df = df.copy()
    adopted = [False] * len(df)
    note_col = df.columns.get_loc("note")
    for i, (pf, ids) in enumerate(zip(df["platform"].tolist(), df["_ids"].tolist())):
        for x in str(ids).split():
            r = by_id.get((pf, x))
            if r is not None:
                df.iloc[i, [df.columns.get_loc(c) for c in ("project", "kind", "start", "end", "external_id")]] = [
                    r.project or "", r.kind, iso_local(int(r.start), tz), iso_local(int(r.end), tz), r.external_id]
                ours = unmarked(str(r.note or ""), ESTIMATED)
                if ours is not None and ours == unmarked(str(df.iat[i, note_col]), ESTIMATED):
                    df.iat[i, note_col] = r.note  # the mark in the language it was first written in
                adopted[i] = True
                break
    if "_estimated" in df.columns:  # new estimated HITs go after what the logbook has on their day
        from .mturk import MTURK_TZ
        from ._common import local_epoch
        est = df["_estimated"].astype(str)
        groups: dict[tuple, list[int]] = {}
        for i in range(len(df)):
            if est.iloc[i] and not adopted[i]:
                day = dt.date.fromisoformat(est.iloc[i])
                groups.setdefault((df["platform"].iloc[i], local_epoch(day, dt.time(0), MTURK_TZ),
                                   local_epoch(day + dt.timedelta(days=1), dt.time(0), MTURK_TZ)), []).append(i)
        _place_after(df, old, groups, tz)
    return df


def _place_after(df: pd.DataFrame, old: pd.DataFrame, groups: dict[tuple, list[int]], tz: str) -> None:
    """Move the rows of each (platform, day from, day before) group, keeping their lengths and
    order, to follow back to back after the latest end of ``old``'s entries of that platform
    starting that day (when there are any). Works on ``df`` in place."""
    from .. import timeutil
    from ._common import iso_local
    s_col, e_col = df.columns.get_loc("start"), df.columns.get_loc("end")
    for (pf, origin, nxt), rows in groups.items():
        inside = old[(old["platform"] == pf) & (old["start"] >= origin) & (old["start"] < nxt)]
        if not len(inside):
            continue
        at = max(origin, int(inside["end"].max()))
        for i in rows:
            length = timeutil.parse_instant(df.iat[i, e_col], tz) - timeutil.parse_instant(df.iat[i, s_col], tz)
            df.iat[i, s_col], df.iat[i, e_col] = iso_local(at, tz), iso_local(at + length, tz)
            at += length


def _adopt_untimed(store, df: pd.DataFrame) -> pd.DataFrame:
    from .. import timeutil
    from ._common import iso_local, local_epoch
    tz = store.settings().timezone
    old = store.frames().work
    old = old[old["note"].fillna("").astype(str).str.endswith(mark_forms(UNTIMED))]
    if not len(old):
        return df

    def day_of(epoch: int) -> dt.date:
        return timeutil.to_local(int(epoch), tz).date()

    stored: dict[tuple, list] = {}
    for r in old.sort_values("start")[["platform", "project", "kind", "start", "end", "note"]].itertuples(index=False):
        key = (r.platform, r.project or "", r.kind, day_of(r.start), int(r.end) - int(r.start),
               unmarked(str(r.note), UNTIMED))
        stored.setdefault(key, []).append(r)
    df = df.copy()
    s_col, e_col, n_col = df.columns.get_loc("start"), df.columns.get_loc("end"), df.columns.get_loc("note")
    groups: dict[tuple, list[int]] = {}
    taken: dict[tuple, int] = {}
    for i, (pf, pj, kind, start, end, note) in enumerate(zip(*(df[c].astype(str).tolist() for c in (
            "platform", "project", "kind", "start", "end", "note")))):
        base = unmarked(note, UNTIMED)
        if base is None or not end:
            continue
        a, b = timeutil.parse_instant(start, tz), timeutil.parse_instant(end, tz)
        key = (pf, pj, kind, day_of(a), b - a, base)
        n = taken.get(key, 0)
        taken[key] = n + 1
        match = stored.get(key, [])
        if n < len(match):
            df.iat[i, s_col], df.iat[i, e_col] = iso_local(int(match[n].start), tz), iso_local(int(match[n].end), tz)
            df.iat[i, n_col] = match[n].note  # the mark in the language it was first written in
        else:
            day = day_of(a)
            groups.setdefault((pf, local_epoch(day, dt.time(0), tz),
                               local_epoch(day + dt.timedelta(days=1), dt.time(0), tz)), []).append(i)
    _place_after(df, old, groups, tz)
    return df


def _adopt_payouts(store, df: pd.DataFrame) -> pd.DataFrame:
    from ._common import iso_local
    tz = store.settings().timezone
    old = store.frames(work_ids=[]).payouts  # the payouts only: no work entries loaded
    by_ref = {str(r.reference): r for r in old.itertuples(index=False) if r.reference}
    if not by_ref:
        return df
    from .. import money
    df = df.copy()
    cols = [df.columns.get_loc(c) for c in ("platform", "paid_at", "amount", "currency")]
    for i, ids in enumerate(df["_ids"].tolist()):
        r = by_ref.get(str(ids).strip())
        if r is not None:
            df.iloc[i, cols] = [r.platform, iso_local(int(r.paid_at), tz),
                                money.format_amount(money.from_micros(int(r.amount_micros))), r.currency]
    return df


def _apply_activity(store, df: pd.DataFrame, *, source: str, dry_run: bool) -> ActivityCounts:
    from ..store import activity as act
    rows = list(zip(df["bucket"].astype(str), df["kind"].astype(str), df["start"].astype(int),
                    df["end"].astype(int), df["app"].astype(str), df["title"].astype(str)))
    have = act.existing_keys(store, min(r[2] for r in rows), max(r[2] for r in rows))
    new, seen = [], set()
    for r in rows:
        if r in have or r in seen:
            continue
        seen.add(r)
        new.append(r)
    if not dry_run and new:
        act.add_spans(store, new, source)
    return ActivityCounts(added=len(new), already=len(rows) - len(new))


__all__ = ["FORMATS", "OPTIONS", "read", "read_history", "read_tables", "HistoryRead", "apply", "save_mapping",
           "ActivityCounts", "Problem"]
