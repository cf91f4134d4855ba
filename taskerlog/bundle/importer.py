"""Importing a bundle: validate everything first, then write all of it in one transaction.

Nothing is written unless every row of every file is valid (``ImportProblems`` lists them
all). Import is idempotent and never overwrites the worker's own rows: a row whose
identity key is already in the logbook is skipped, and when its other values differ the
logbook's row is kept and counted as "kept yours". Identical rows repeated in one file are
a multiset: with n copies in the bundle and m already stored, max(0, n − m) are added.

Work rows are validated and deduplicated with pandas (no per-row pydantic): a million
rows import in seconds. Dedupe reads the logbook once through ``Store.frames()`` before
the write transaction and re-reads if the journal moved in between.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import union_categoricals
from pydantic import ValidationError

from .. import money
from ..frames import LogbookFrames
from ..i18n import _, ngettext
from ..problems import say
from ..model import (
    BILLABLE_KINDS, END_REASONS, KINDS, PAY_MODELS, RATE_UNITS, STATUSES, Logbook, applies_to_text,
    MAX_UNITS, error_words, fee_above_amount, home_rate_problem, parse_applies_to, too_many_units,
)
from ..store import Store, StoreError
from .parse import NULL_INT, SMALL, STR, Checker, blank_as_null, int_series, or_default
from .problems import ImportProblems, Problem
from .reader import Batches
from .spec import FILE_ATTR, FILES, LINE, ORDER

MAX_NAME = 200
MAX_ENTRY_SECONDS = 7 * 24 * 3600
_PAID, _UNPAID = (pa.scalar(v, pa.large_string()) for v in ("paid", "unpaid"))
"""The default statuses, typed as the columns are (see parse.EMPTY)."""

#: identity key and the other values compared for "kept yours", per table (frames.py names)
KEYS: dict[str, tuple[list[str], list[str]]] = {
    "projects": (["platform", "project"],
                 ["pay_model", "currency", "advertised_rate_micros", "started_on", "ended_on", "end_reason", "notes"]),
    "rates": (["platform", "project", "effective_at", "unit", "applies_to"], ["rate_micros", "currency", "note"]),
    "work": (["platform", "project", "kind", "start", "end", "external_id"],
             ["units", "pay_micros", "currency", "status", "note"]),
    "eq": (["platform", "start_date"], ["end_date", "note"]),
    "payouts": (["platform", "paid_at", "amount_micros", "currency", "reference"],
                ["fee_micros", "method", "received_amount_micros", "received_currency", "note", "for_earlier_work"]),
    "expenses": (["date", "category", "amount_micros", "currency", "platform"], ["note"]),
    "fx": (["date", "currency"], ["rate"]),
}
INT_COLS = {"effective_at", "start", "end", "units", "pay_micros", "rate_micros", "advertised_rate_micros",
            "paid_at", "amount_micros", "fee_micros", "received_amount_micros", "for_earlier_work"}
#: tables whose key is unique in the logbook: a key twice in one file must be the same row
UNIQUE = {"projects", "fx"}
FEW = ("platform", "project", "kind", "currency", "status")
"""Columns with few distinct values: a big file's are kept as categories once checked (a
byte or two a row instead of some fifteen)."""
DATA = ("platforms", "projects", "rates", "work", "eq", "payouts", "expenses", "fx")
"""The tables an import compares against: none holds a row in a new logbook."""


@dataclass
class TableCounts:
    added: int = 0
    already: int = 0
    """Skipped: the same row is already in the logbook."""
    kept_yours: int = 0
    """Skipped: a row with the same key but other values is in the logbook; it was kept."""
    settled: int = 0
    """Work the logbook had as pending that the platform's later export settles (paid,
    rejected ...): the logbook's row was updated, through the journal. History imports only."""


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    source: str
    dry_run: bool = False
    tables: dict[str, TableCounts] = field(default_factory=lambda: {t: TableCounts() for t in ORDER[1:]})
    platforms_added: list[str] = field(default_factory=list)
    settings_applied: dict[str, str | None] = field(default_factory=dict)

    @property
    def added(self) -> int:
        return sum(c.added for c in self.tables.values())

    @property
    def kept_yours(self) -> int:
        return sum(c.kept_yours for c in self.tables.values())

    def lines(self) -> list[str]:
        """The report as the command line prints it (and the app shows it), in the language in
        use: one sentence a line; the tables' names are the bundle's file names, as typed.
        Counts are tallies ("added 3"): each clause is whole, with its own count."""
        dry = self.dry_run
        out = [_("dry run: nothing written. {source}").format(source=self.source) if dry else self.source]
        if self.settings_applied:
            settings = ", ".join(f"{k}={v}" for k, v in self.settings_applied.items())
            out.append("  " + (_("logbook settings would be set: {settings}") if dry
                               else _("logbook settings set: {settings}")).format(settings=settings))
        if self.platforms_added:
            n, names = len(self.platforms_added), ", ".join(self.platforms_added)
            out.append("  " + (ngettext("platforms: would add {n} ({names})", "platforms: would add {n} ({names})", n)
                               if dry else ngettext("platforms: added {n} ({names})", "platforms: added {n} ({names})",
                                                    n)).format(n=n, names=names))
        for name, c in self.tables.items():
            if c.added or c.already or c.kept_yours or c.settled:
                line = (_("{table}: would add {added}, already there {already}") if dry
                        else _("{table}: added {added}, already there {already}")).format(
                    table=name, added=c.added, already=c.already)
                if c.settled:
                    line += (ngettext(", would settle {n} (pending in the logbook, now settled by the platform: "
                                      "status updated)", ", would settle {n} (pending in the logbook, now settled "
                                      "by the platform: status updated)", c.settled) if dry
                             else ngettext(", settled {n} (pending in the logbook, now settled by the platform: "
                                           "status updated)", ", settled {n} (pending in the logbook, now settled by "
                                           "the platform: status updated)", c.settled)).format(n=c.settled)
                if c.kept_yours:
                    line += ngettext(", kept yours {n} (the logbook's differing rows were kept, not overwritten)",
                                     ", kept yours {n} (the logbook's differing rows were kept, not overwritten)",
                                     c.kept_yours).format(n=c.kept_yours)
                out.append("  " + line)
        if len(out) == 1:
            out.append("  " + _("no rows to import"))
        elif self.added == 0 and not self.settings_applied and not self.platforms_added and not any(
                c.settled for c in self.tables.values()):
            out.append("  " + _("nothing new: everything in the bundle is already in the logbook"))
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_dict(self) -> dict:
        return {"source": self.source, "dry_run": self.dry_run, "added": self.added,
                "platforms_added": self.platforms_added, "settings_applied": self.settings_applied,
                "tables": {t: c.__dict__.copy() for t, c in self.tables.items()}}


# -- the entry point -------------------------------------------------------------------
def import_tables(store: Store, tables: dict[str, pd.DataFrame], *, source: str,
                  dry_run: bool = False, settle_pending: bool = False) -> ImportReport:
    """Validate every table, then write them all in one transaction (or, dry run, count only).

    ``settle_pending`` (imports of a platform's or tool's own export, never the CSV bundle):
    a work entry the logbook has as ``pending``, written by an import and never edited by
    the worker, whose row in this export is the same but for a settled status (and the pay
    that goes with it), is updated through the journal instead of counted as "kept yours".

    Raises :class:`ImportProblems` listing every problem, with nothing written.
    """
    with _gc_paused():
        return _import_tables(store, tables, source=source, dry_run=dry_run, settle_pending=settle_pending)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cycle collector off for the import: it builds millions of short-lived
    objects (cells, rows) that hold no cycles, and each automatic collection would walk
    everything the process holds. Switched back on after, if it was on; the nesting of
    concurrent imports in the app's sessions leaves it on."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import_tables(store: Store, tables: dict[str, pd.DataFrame], *, source: str, dry_run: bool,
                   settle_pending: bool) -> ImportReport:
    problems: list[Problem] = []
    tables = {k: v for k, v in tables.items()}
    # a file whose header is wrong is not read further, but every other file's rows are
    # still checked, so that one import lists every problem there is
    bad_header: set[str] = set()
    for name in list(tables):
        if name not in FILES:
            problems.append(Problem(tables[name].attrs.get(FILE_ATTR, name), None, "",
                                    say("bundle.not_a_file", "is not a bundle file")))
            del tables[name]
        elif found := _header_problems(name, tables[name]):
            problems.extend(found)
            bad_header.add(name)

    settings, applied, logbook_problems = _logbook(store, tables.get("logbook"))
    problems.extend(logbook_problems)
    tz, home = settings.timezone, settings.home_currency
    parsed: dict[str, pd.DataFrame] = {}
    for name in ORDER[1:]:
        if name in tables and name not in bad_header:
            parsed[name], table_problems = parse_table(name, tables[name], tz, home)
            problems.extend(table_problems)
    for name in UNIQUE & set(parsed):
        parsed[name], dup_problems = _unique_rows(name, parsed[name], tables[name])
        problems.extend(dup_problems)
    if "projects" in bad_header:  # rates and work cannot be checked against projects that were not read
        raise ImportProblems(_sorted(problems))

    def plan_once() -> tuple[ImportReport, dict, list[tuple[int, dict]], dict]:
        frames = store.frames() if store.has_rows(*DATA) else None  # dedupe against these; None: nothing yet
        codes: dict = {}  # each name column's codes, worked out once (see _key_codes)
        resolved, ref_problems = _resolve(parsed, frames, tables, home, codes)
        all_problems = problems + ref_problems
        if all_problems:
            raise ImportProblems(_sorted(all_problems))
        report = ImportReport(source=source, dry_run=dry_run, settings_applied=applied)
        plan = {}
        settle: list[tuple[int, dict]] = []
        for name, df in resolved.items():
            key, vals = KEYS[name]
            old = None if frames is None else getattr(frames, name)
            add, already, kept = _dedupe(df, old, key, vals)
            settled = 0
            if name == "work" and settle_pending and kept:
                settle = _settled(df, old, key, vals)
                settled = len(settle)
            plan[name] = add
            report.tables[name] = TableCounts(len(add), already, kept - settled, settled)
        names = sorted({p for df in plan.values() if "platform" in df.columns and len(df)
                        for p in pc.unique(_arrow_of(df["platform"])).drop_null().to_pylist() if p})
        report.platforms_added = [n for n in names if store.platform_id(n, create=False) is None]
        return report, plan, settle, codes

    def write(report: ImportReport, plan: dict, settle: list[tuple[int, dict]], codes: dict) -> ImportReport:
        if applied:
            store.set_settings(settings, source)
        _write(store, plan, report.platforms_added, source, codes)
        for row_id, changes in settle:
            store.update("work", row_id, changes, source)
        return report

    # Plan without the write lock, so that other programs can write meanwhile; if one did
    # (the journal moved), plan again. Two tries, then plan holding the write lock: a
    # program writing every second (a running clock, the app) waits for this import instead
    # of refusing it.
    for _attempt in range(2):
        head = store.journal_head()
        planned = plan_once()
        if dry_run:
            return planned[0]
        with store.transaction(bulk=True):
            if store.journal_head() == head:
                return write(*planned)
    with store.transaction(bulk=True):
        return write(*plan_once())


def _sorted(problems: list[Problem]) -> list[Problem]:
    order = {FILES[n].filename: i for i, n in enumerate(ORDER)}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.file, p.line or 0))


def _header_problems(name: str, df: pd.DataFrame) -> list[Problem]:
    spec = FILES[name]
    file = df.attrs.get(FILE_ATTR, spec.filename)
    cols = [c for c in df.columns if c != LINE]
    out = [Problem(file, 1, c, say("bundle.unknown_column", "unknown column '{column}'; the columns of {file} are: "
                                   "{columns} (rename or delete it)", column=c, file=spec.filename,
                                   columns=", ".join(spec.columns))) for c in cols if c not in spec.columns]
    out += [Problem(file, 1, c, say("bundle.missing_column", "missing column; add a '{column}' column to the header",
                                    column=c)) for c in spec.required if c not in cols]
    if name == "work" and "end" not in cols and "duration_minutes" not in cols:
        out.append(Problem(file, 1, "end", say("bundle.missing_end", "missing column; add an 'end' or a "
                                               "'duration_minutes' column")))
    return out


# -- logbook.csv ---------------------------------------------------------------------
def _logbook(store: Store, df: pd.DataFrame | None) -> tuple[Logbook, dict, list[Problem]]:
    """→ (settings to parse with, settings the import would apply, problems)."""
    current = store.settings()
    if df is None or len(df) == 0:
        return current, {}, []
    file = df.attrs.get(FILE_ATTR, "logbook.csv")
    ck = Checker(df, "logbook")
    if len(df) > 1:
        return current, {}, [Problem(file, int(ck.lines[1]), "", say(
            "bundle.logbook_rows", "logbook.csv has one row of settings; delete the extra rows"))]
    line = int(ck.lines[0])
    given = {c: v for c in FILES["logbook"].columns if c in df.columns and (v := ck.cells(c)[0].as_py())}
    merged = current.model_dump()
    merged.update(given)
    try:
        wanted = Logbook(**merged)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            col = str(err["loc"][0]) if err.get("loc") else ""
            out.append(Problem(file, line, col, error_words(err)))
        return current, {}, out
    cur_d, want_d = current.model_dump(), wanted.model_dump()
    differs = {k: want_d[k] for k in given if want_d[k] != cur_d[k]}
    configured = store.is_configured()
    if not configured:  # a first import configures the logbook, even to what it shows by default
        differs = {k: want_d[k] for k in given}
    if not differs:
        return current, {}, []
    if configured and not store.is_empty():
        return current, {}, [Problem(file, line, k, f"the bundle says '{v}' but this logbook uses '{cur_d[k]}'; "
                                     f"to keep your records consistent, either change {k} in logbook.csv to "
                                     f"'{cur_d[k]}' (or delete logbook.csv), or import into a new logbook "
                                     "with --db new-logbook.sqlite") for k, v in differs.items()]
    return wanted, {k: (None if v is None else str(v)) for k, v in differs.items()}, []


# -- per-file parsing (vectorised) ------------------------------------------------------
def _projects(ck: Checker, tz: str, home: str) -> pd.DataFrame:
    started, ended = ck.date("started_on"), ck.date("ended_on")
    ck.fail("ended_on", ck.before(ended, started), say("bundle.ended_before", "is before started_on; fix one of the "
                                                        "two dates"))
    currency = ck.currency("currency")
    pay_model = ck.choice("pay_model", PAY_MODELS)
    return ck.frame({
        "platform": ck.text("platform", required=_("the platform's name"), max_len=MAX_NAME),
        "project": ck.text("project", required=_("the project's name"), max_len=MAX_NAME),
        "pay_model": ck.or_default(pay_model, "hourly"),
        "currency": ck.or_default(currency, home),
        "advertised_rate_micros": ck.micros("advertised_rate"),
        "started_on": started, "ended_on": ended,
        "end_reason": ck.choice("end_reason", END_REASONS),
        "notes": ck.text("notes")})


def _rates(ck: Checker, tz: str, home: str) -> pd.DataFrame:
    applies_to = ck.canonical("applies_to", lambda v: applies_to_text(parse_applies_to(v)))
    return ck.frame({
        "platform": ck.text("platform", required=_("the platform's name")),
        "project": ck.text("project", required=_("the project's name")),
        "effective_at": ck.instant("effective_at", tz, required=_("the time the rate starts")),
        "rate_micros": ck.micros("rate", required=_("the rate")),
        "unit": ck.choice("unit", RATE_UNITS),
        "currency": ck.currency("currency"),
        "applies_to": applies_to,
        "note": ck.text("note")})


def _work(ck: Checker, tz: str, home: str) -> pd.DataFrame:
    kind = ck.choice("kind", KINDS, required=_("the kind of work ({kinds})").format(kinds=", ".join(KINDS)))
    start = ck.instant("start", tz, required=_("the start time"))
    end = ck.instant("end", tz)
    dur = ck.duration_seconds("duration_minutes")
    end_blank, dur_blank = ck.blank("end"), ck.blank("duration_minutes")
    ck.fail("end", end_blank & dur_blank, say("bundle.no_end", "is blank; give the end time or the duration_minutes"))
    (s_ok, e_ok, d_ok), (s_v, e_v, d_v) = zip(*(_int_parts(x) for x in (start, end, dur)))
    by_dur, by_ok = s_v + d_v, s_ok & d_ok
    ck.fail("duration_minutes", ~end_blank & ~dur_blank & s_ok & e_ok & d_ok & (by_dur != e_v),
            lambda v: say("bundle.duration_mismatch", "'{value}' minutes does not match the start and end; give one "
                          "of end or duration_minutes", value=v))
    end_v, end_ok = np.where(e_ok, e_v, by_dur), e_ok | by_ok
    span, span_ok = end_v - s_v, end_ok & s_ok
    ck.fail("end", span_ok & (span <= 0) & ~end_blank, say("bundle.end_not_after", "is not after the start; the end "
                                                            "must be after the start"))
    ck.fail("end", span_ok & (span > MAX_ENTRY_SECONDS), say(
        "bundle.too_long_entry", "makes an entry longer than 7 days, almost certainly a typo; split it or fix the dates"))
    end = int_series(end_v, end_ok, end.index)
    pay = ck.micros("pay")
    units = ck.integer("units")
    ck.fail("units", (units > MAX_UNITS).fillna(False).to_numpy(dtype=bool), too_many_units)
    status = ck.choice("status", STATUSES)
    billable = pc.is_in(pa.array(kind.array), value_set=pa.array(BILLABLE_KINDS, pa.large_string())).fill_null(False)
    default = pc.if_else(pa.array(billable.to_numpy(zero_copy_only=False) | pay.notna().to_numpy()), _PAID, _UNPAID)
    return ck.frame({
        "platform": ck.text("platform", required=_("the platform's name")),
        "project": ck.text("project"),
        "kind": kind, "start": start, "end": end,
        "units": units, "pay_micros": pay,
        "currency": ck.currency("currency"),
        "status": or_default(status, default),
        "external_id": ck.text("external_id"), "note": ck.text("note")})


def _int_parts(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A nullable Int64 column → (which rows have a value, the values; 0 where none)."""
    return s.notna().to_numpy(), s.to_numpy(dtype=np.int64, na_value=0)


def _eq(ck: Checker, tz: str, home: str) -> pd.DataFrame:
    start, end = ck.date("start_date", required=_("the first day")), ck.date("end_date")
    ck.fail("end_date", ck.before(end, start), say("bundle.eq_end_before", "is before start_date; fix one of the two "
                                                    "dates"))
    return ck.frame({"platform": ck.text("platform", required=_("the platform's name")),
                     "start_date": start, "end_date": end, "note": ck.text("note")})


def _payouts(ck: Checker, tz: str, home: str) -> pd.DataFrame:
    fee = ck.micros("fee")
    amount = ck.micros("amount", required=_("the amount paid (before fees)"))
    ck.fail("fee", ck.above(fee, amount), fee_above_amount())
    return ck.frame({
        "platform": ck.text("platform", required=_("the platform's name")),
        "paid_at": ck.instant("paid_at", tz, required=_("the time it was paid")),
        "amount_micros": amount,
        "currency": ck.currency("currency", required=True),
        "fee_micros": ck.zero_if_blank(fee), "method": ck.text("method"),
        "received_amount_micros": ck.micros("received_amount"),
        "received_currency": ck.currency("received_currency"),
        "reference": ck.text("reference"), "note": ck.text("note"),
        "for_earlier_work": ck.yes_no("for_earlier_work")})


def _expenses(ck: Checker, tz: str, home: str) -> pd.DataFrame:
    return ck.frame({
        "date": ck.date("date", required=_("the date")),
        "category": ck.text("category", required=_("a category (internet, electricity, equipment ...)")),
        "amount_micros": ck.micros("amount", required=_("the amount")),
        "currency": ck.currency("currency", required=True),
        "platform": ck.text("platform"), "note": ck.text("note")})


def _fx(ck: Checker, tz: str, home: str) -> pd.DataFrame:
    ck.require("rate", "the exchange rate")
    rate = ck.canonical("rate", lambda v: str(money.parse_rate_decimal(v)) if v else "")
    currency = ck.currency("currency", required=True)
    ck.fail_where("currency", [currency, rate], lambda cur, r: home_rate_problem(home, Decimal(r), home)
                  if cur == home and r else None)
    return ck.frame({"date": ck.date("date", required=_("the date")), "currency": currency, "rate": rate})


_PARSERS = {"projects": _projects, "rates": _rates, "work": _work, "eq": _eq, "payouts": _payouts,
            "expenses": _expenses, "fx": _fx}


def parse_table(name: str, df: pd.DataFrame | Batches, tz: str, home: str) -> tuple[pd.DataFrame, list[Problem]]:
    """One bundle table → (the parsed frame, its problems)."""
    if isinstance(df, Batches):
        return _parse_batches(name, df, tz, home)
    ck = Checker(df, name)
    parsed = _PARSERS[name](ck, tz, home)
    if len(df) > SMALL:  # the checks' scratch columns: back to the system, not kept through the write
        pa.default_memory_pool().release_unused()
    return parsed, ck.problems


def _parse_batches(name: str, batches: Batches, tz: str, home: str) -> tuple[pd.DataFrame, list[Problem]]:
    """A big file checked a batch of rows at a time: each batch's text is let go once
    checked, only the parsed columns are kept. If its records turn out not to be one line
    each, the line numbers would be wrong: it is read whole and checked as a smaller file."""
    parts, problems = [], []
    for batch in batches:
        part, found = parse_table(name, batch, tz, home)
        parts.append(part.astype({c: "category" for c in FEW if c in part.columns}))
        problems.extend(found)
    if batches.lined and parts:
        return _joined(parts), problems
    del parts
    df, problems = batches.read()
    parsed, found = parse_table(name, batches.empty() if df is None else df, tz, home)
    return parsed, problems + found


def _joined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The batches' parsed rows as one frame; categories stay categories (pandas' concat
    would make the text of batches with other categories Python objects)."""
    cats = [c for c in parts[0].columns if isinstance(parts[0][c].dtype, pd.CategoricalDtype)]
    out = pd.concat([p.drop(columns=cats) for p in parts], ignore_index=True)
    for c in cats:
        out[c] = union_categoricals([p[c] for p in parts])
    return out[parts[0].columns]


# -- cross-file checks and defaults that depend on the logbook ---------------------------
def _unique_rows(name: str, df: pd.DataFrame, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    key, vals = KEYS[name]
    if len(_distinct(_key_codes([df[c] for c in key]))[0]) == len(df):  # the usual case, without the normalising
        return df, []
    norm = _norm(df, key + vals)
    if not norm.duplicated(key).any():
        return df, []
    file = raw.attrs.get(FILE_ATTR, FILES[name].filename)
    exact = norm.duplicated(key + vals).to_numpy()
    lines = df[LINE].to_numpy()
    firsts: dict[tuple, int] = {}
    problems = []
    for i, k in enumerate(norm[key].itertuples(index=False, name=None)):
        if k not in firsts:
            firsts[k] = int(lines[i])
        elif not exact[i]:
            problems.append(Problem(file, int(lines[i]), key[-1],
                                    say("bundle.duplicate", "{key} is already on line {first} with other values; "
                                        "keep one of the two rows", key=" / ".join(str(x) for x in k),
                                        first=firsts[k])))
    return df.loc[~exact].reset_index(drop=True), problems


def _resolve(parsed: dict[str, pd.DataFrame], frames: LogbookFrames | None, tables, home: str,
             codes: dict | None = None) -> tuple[dict, list[Problem]]:
    """Check project references and fill rate defaults from the project."""
    problems: list[Problem] = []
    known: dict[tuple[str, str], tuple[str, str]] = {} if frames is None else {
        (r.platform, r.project): (r.pay_model, r.currency)
        for r in frames.projects[["platform", "project", "pay_model", "currency"]].itertuples()}
    if "projects" in parsed:
        p = parsed["projects"]
        for pf, pj, pm, cur in zip(*(p[c].tolist() for c in ("platform", "project", "pay_model", "currency"))):
            known.setdefault((pf, pj), (pm, cur))
    out = dict(parsed)
    for name in ("rates", "work"):
        if name not in parsed:
            continue
        df = parsed[name]
        file = tables[name].attrs.get(FILE_ATTR, FILES[name].filename)
        first = _distinct(_key_codes([df["platform"], df["project"]], codes))[0]
        missing = [(pf, pj) for pf, pj in zip(_at(df["platform"], first), _at(df["project"], first))
                   if pj and pf and (pf, pj) not in known]
        if missing:
            miss = pd.MultiIndex.from_tuples(missing)
            bad = pd.MultiIndex.from_frame(df[["platform", "project"]]).isin(miss)
            for i in np.flatnonzero(bad):
                pf, pj = df["platform"].iloc[i], df["project"].iloc[i]
                problems.append(Problem(file, int(df[LINE].iloc[i]), "project",
                                        say("bundle.no_project", "there is no project '{project}' on {platform}; "
                                            "add it to projects.csv (or to the logbook) first, or check the spelling",
                                            project=pj, platform=pf)))
        if name == "rates":
            info = [known.get((pf, pj), ("hourly", home)) for pf, pj in zip(df["platform"].tolist(), df["project"].tolist())]
            unit_default = pa.array(["task" if pm == "per_task" else "hour" for pm, _ in info], pa.large_string())
            cur_default = pa.array([c for _, c in info], pa.large_string())
            out[name] = df.assign(unit=or_default(df["unit"], unit_default),
                                  currency=or_default(df["currency"], cur_default))
    return out, problems


# -- dedupe ----------------------------------------------------------------------------
def _norm(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Comparable form: ints as int64 (blank = NULL_INT), everything else as text (blank = "")."""
    out = {}
    for c in cols:
        s = df[c] if c in df.columns else pd.Series([None] * len(df), index=df.index)
        if c in INT_COLS:
            out[c] = pd.to_numeric(s).astype("Int64").fillna(NULL_INT).astype("int64").to_numpy()
        elif c == "rate":  # exchange rates compare by value: 0.0077 == 0.00770
            out[c] = [format(Decimal(str(v)).normalize(), "f") if v not in (None, "") and v == v else ""
                      for v in s.tolist()]
        else:
            out[c] = s.astype(object).where(s.notna(), "").astype(str).to_numpy()
    return pd.DataFrame(out)


def _ranked(df: pd.DataFrame, key: list[str], vals: list[str]) -> pd.DataFrame:
    """The comparable form of ``key + vals``, with ``_rank``: the row's place among the rows
    of its key (the n-th copy of a row matches the n-th copy in the logbook)."""
    out = _norm(df, key + vals)
    out["_rank"] = out.groupby(key, sort=False).cumcount().to_numpy()
    return out


def _dedupe(new: pd.DataFrame, old: pd.DataFrame | None, key: list[str], vals: list[str]
            ) -> tuple[pd.DataFrame, int, int]:
    """→ (rows to add, count already there, count kept yours). See the module docstring."""
    if len(new) == 0 or old is None or len(old) == 0:
        return new, 0, 0
    n, o = _ranked(new, key, vals), _ranked(old, key, vals)
    n["_i"] = np.arange(len(n))
    m = n.merge(o, on=key + ["_rank"], how="left", suffixes=("", "_old"), indicator=True)
    matched = (m["_merge"] == "both").to_numpy()
    differs = np.zeros(len(m), dtype=bool)
    for v in vals:
        differs |= (m[v] != m[v + "_old"]).to_numpy()
    differs &= matched
    add = np.sort(m.loc[~matched, "_i"].to_numpy())
    return new.iloc[add], int((matched & ~differs).sum()), int(differs.sum())


def _settled(new: pd.DataFrame, old: pd.DataFrame, key: list[str], vals: list[str]) -> list[tuple[int, dict]]:
    """Work rows matched as "kept yours" that a platform's later export settles: the logbook
    has them ``pending``, written by an import (its source starts ``import:``) and never
    edited, and the export has the same row but for another status and its pay.
    → [(the logbook row's id, {status, pay_micros}), ...]."""
    n, o = _ranked(new, key, vals), _ranked(old, key, vals)
    o["_id"] = old["id"].to_numpy()
    o["_ours"] = (old["source"].astype(object).fillna("").astype(str).str.startswith("import:").to_numpy()
                  & old["edited_at"].isna().to_numpy())
    m = n.merge(o, on=key + ["_rank"], how="inner", suffixes=("", "_old"))
    ok = (m["status_old"] == "pending").to_numpy() & (m["status"] != "pending").to_numpy() & m["_ours"].to_numpy()
    for v in vals:
        if v not in ("status", "pay_micros"):
            ok &= (m[v] == m[v + "_old"]).to_numpy()
    out = []
    hit = m.loc[ok]
    for row_id, status, pay, pay_old in zip(hit["_id"].tolist(), hit["status"].tolist(), hit["pay_micros"].tolist(),
                                            hit["pay_micros_old"].tolist()):
        changes: dict = {"status": status}
        if pay != pay_old:
            changes["pay_micros"] = None if pay == NULL_INT else int(pay)
        out.append((int(row_id), changes))
    return out


# -- writing ---------------------------------------------------------------------------
def _column(s: pd.Series) -> pa.Array | list:
    """A column as the store takes it: integers as int64, text with blanks as NULL (a few
    rows as a list of Python values: quicker than building an array)."""
    if len(s) <= SMALL:
        return [None if v is None or v is pd.NA or v != v or v == "" else v for v in s.tolist()]
    if isinstance(s.dtype, pd.Int64Dtype) or pd.api.types.is_integer_dtype(s.dtype):
        return pa.array(s, type=pa.int64(), from_pandas=True)
    if isinstance(s.dtype, pd.CategoricalDtype):  # as a dictionary: the store writes and hashes its text
        return blank_as_null(pa.array(s))
    return blank_as_null(pa.array((s if s.dtype == STR else s.astype(STR)).array))


def _arrow_of(s: pd.Series) -> pa.Array:
    """A column as one pyarrow array (missing values as nulls), without copying text."""
    a = pa.array(s.array if isinstance(s.dtype, pd.StringDtype) else s, from_pandas=True)
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def _at(s: pd.Series, rows: np.ndarray) -> list:
    """The column's values in ``rows``, as Python values ("" for a missing one)."""
    return ["" if v is None else v for v in _arrow_of(s).take(pa.array(rows)).to_pylist()]


def _key_codes(keys: list[pd.Series], memo: dict | None = None) -> np.ndarray:
    """One int64 per row, equal for two rows exactly when all their ``keys`` are (a blank
    or missing text counts as ""): the rows' combination of keys, as a number.

    ``memo`` (one dict for one import) keeps each column's codes by the column's data, so
    the same names are encoded once for the reference check and the ids."""
    codes = np.zeros(len(keys[0]), dtype=np.int64)
    for s in keys:
        column, size = _column_codes(s, memo)
        if len(codes) and int(codes.max()) >= (1 << 62) // size:  # keep the product in int64
            codes = np.unique(codes, return_inverse=True)[1].astype(np.int64).ravel()
        codes = codes * size + column
    return codes


def _column_codes(s: pd.Series, memo: dict | None) -> tuple[np.ndarray, int]:
    """(each row's number among the column's distinct values, how many there are)."""
    key = id(s.array)
    if memo is not None and key in memo:
        return memo[key][1]
    a = _arrow_of(s)
    if pa.types.is_string(a.type) or pa.types.is_large_string(a.type) or pa.types.is_null(a.type):
        a = a if a.type == pa.large_string() else a.cast(pa.large_string())
        enc = pc.dictionary_encode(a.fill_null("") if a.null_count else a)
    else:
        enc = pc.dictionary_encode(a, null_encoding="encode")
    found = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64), max(len(enc.dictionary), 1)
    if memo is not None:
        memo[key] = (s.array, found)  # the array kept alive: its id cannot name another meanwhile
    return found


def _distinct(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each distinct code's first row, each row's distinct number), numbered in the codes'
    order: what ``np.unique`` gives with ``return_index`` and ``return_inverse``, without
    its sort when the codes are few (as names' codes are)."""
    n = len(codes)
    top = int(codes.max()) + 1 if n else 0
    if top > 4 * n + 1024:
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        return first, inverse.ravel()
    first_at = np.full(top, n, dtype=np.int64)
    np.minimum.at(first_at, codes, np.arange(n))
    present = first_at < n
    return first_at[present], (np.cumsum(present) - 1)[codes]


def _ids(keys: list[pd.Series], ids: dict, what: str, memo: dict | None = None) -> pa.Array:
    """Each row's id in ``ids``, keyed by the row's value in ``keys`` (one key: the value;
    more: the tuple), looked up once per distinct combination. A blank last key → NULL;
    a name that is not in ``ids`` is an error (the import checked them all before)."""
    first, inverse = _distinct(_key_codes(keys, memo))
    found = np.full(len(first), -1, dtype=np.int64)
    for i, key in enumerate(zip(*(_at(s, first) for s in keys))):
        if key[-1]:
            if (key if len(key) > 1 else key[0]) not in ids:
                raise StoreError(f"there is no {what} {' / '.join(key)} in the logbook")
            found[i] = ids[key if len(key) > 1 else key[0]]
    out = found[inverse]
    return pa.array(out, mask=out < 0)


def _write(store: Store, plan: dict[str, pd.DataFrame], new_platforms: list[str], source: str,
           codes: dict | None = None) -> None:
    if new_platforms:
        store.insert_many("platforms", ["name"], [(n,) for n in new_platforms], source)
    names: tuple[dict, dict] | None = None  # (platform ids, project ids), read when first needed

    def known() -> tuple[dict, dict]:
        nonlocal names
        if names is None:
            names = store.name_ids()
        return names

    def platform_ids(df: pd.DataFrame) -> pa.Array:
        return _ids([df["platform"]], known()[0], "platform", codes)

    def project_ids(df: pd.DataFrame) -> pa.Array:
        return _ids([df["platform"], df["project"]], known()[1], "project", codes)

    def text(d: pd.DataFrame, *names: str) -> dict[str, pa.Array]:
        return {c: _column(d[c]) for c in names}

    cols = {
        "projects": lambda d: {"platform_id": platform_ids(d), "name": _column(d["project"]),
                               **text(d, *KEYS["projects"][1])},
        "rates": lambda d: {"project_id": project_ids(d), **text(d, "effective_at", "rate_micros", "unit", "currency"),
                            "applies_to": pa.array(d["applies_to"].astype("str"), type=pa.string()),
                            **text(d, "note")},
        "work": lambda d: {"platform_id": platform_ids(d), "project_id": project_ids(d), **text(
            d, "kind", "start", "end", "units", "pay_micros", "currency", "status", "external_id", "note")},
        "eq": lambda d: {"platform_id": platform_ids(d), **text(d, "start_date", "end_date", "note")},
        "payouts": lambda d: {"platform_id": platform_ids(d), **text(
            d, "paid_at", "amount_micros", "currency", "fee_micros", "method", "received_amount_micros",
            "received_currency", "reference", "note", "for_earlier_work")},
        "expenses": lambda d: {**text(d, "date", "category", "amount_micros", "currency"),
                               "platform_id": platform_ids(d), **text(d, "note")},
        "fx": lambda d: text(d, "date", "currency", "rate"),
    }
    for name in ORDER[1:]:  # projects before what refers to them
        d = plan.get(name)
        if d is not None and len(d):
            store.insert_columns(name, cols[name](d), source)
            if name == "projects":
                names = None  # the new projects have ids now
