"""The use cases both shells call: one implementation each, so that the command line and
the app cannot disagree.

- :func:`list_entries` / :func:`entries`: work entries, filtered, each with the pay it counts
  for in the home currency (recorded, or from the rate) and why it earns nothing when it does;
- :func:`edit_entry`: change a work entry, validated as a whole, journaled;
- :func:`previous_rate`, :func:`rate_change_pct`, :func:`rate_preview`: the rate a new one
  replaces and the change in %, also while the new rate is being typed;
- :func:`eq_periods`: empty-queue periods and how many days each lasted.

Plain data out: money as exact Decimals, times as UTC epoch seconds (and the logbook's
local wall time as text), days as dates. "now" and "today" are arguments. The words are the
shells' (:mod:`taskerlog.render` formats for both). Heavy imports (pandas, metrics) stay
inside the functions: ``clock start`` and ``log`` load this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from . import money, render, timeutil, vocab
from .i18n import _

CENT = Decimal("0.01")


# -- entries and their pay -----------------------------------------------------------------------
@dataclass(frozen=True)
class EntryQuery:
    """Which entries: all of them unless narrowed. ``last``: the N latest of those that match."""

    ids: frozenset[int] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    platform: str | None = None
    project: str | None = None
    kind: str | None = None
    status: str | None = None
    text: str = ""
    last: int | None = None


def entries(store, query: EntryQuery = EntryQuery()) -> list[dict[str, Any]]:
    """:func:`list_entries` of the logbook, reading only what the query can match (one entry
    is quick on a 100,000-entry logbook: an entry's pay depends on the rates and exchange
    rates, never on other entries)."""
    tz = store.settings().timezone
    span = None
    if query.date_from is not None or query.date_to is not None:
        span = (None if query.date_from is None else timeutil.local_midnight(query.date_from, tz),
                None if query.date_to is None else timeutil.local_midnight(query.date_to + dt.timedelta(days=1), tz))
    frames = store.frames(work_ids=None if query.ids is None else sorted(query.ids), work_start=span)
    return list_entries(frames, query)


def list_entries(frames, query: EntryQuery = EntryQuery(), prepared=None) -> list[dict[str, Any]]:
    """The entries of ``frames`` that ``query`` matches, oldest first, as plain dicts: local
    times, minutes, the recorded pay (``pay``, in ``currency``) and the pay the entry counts
    for in the home currency (``pay_home``, a Decimal to the cent, None when it earns nothing
    by its status or needs a missing exchange rate), where that comes from (``pay_from``:
    ``recorded`` or ``rate``), and why an earning entry came out 0 (``unpriced``:
    ``no_rate`` / ``no_units``, with ``unpriced_note``).

    ``prepared``: ``metrics.prepare`` of the same logbook, when the shell has it already (the
    app caches it): the pay is read from it instead of pricing the entries shown again."""
    import numpy as np

    from . import metrics

    tz = frames.settings.timezone
    w = _matching(frames.work, tz, query)
    p = prepared if prepared is not None else metrics.prepare(dataclasses.replace(frames, work=w), pay_only=True)
    rows = np.flatnonzero(np.isin(p.work_ids, w["id"].to_numpy(dtype=np.int64)))
    pay = {int(p.work_ids[i]): (int(p.pay[i]), bool(p.pay_missing[i]), bool(p.earning_status[i])) for i in rows}
    unpriced = ({u["id"]: u for u in metrics.unpriced_entries(p)} if p.unpriced[rows].any() else {})
    return [_entry_row(r, tz, pay.get(int(r["id"])), unpriced.get(int(r["id"]))) for r in w.to_dict("records")]


RECENT_DAYS = 14
"""The recent entries of :func:`glance` are those of the last fortnight (today included)."""


def glance(store, now: int, recent: int = 0) -> tuple[dict[str, Any], Callable[[int], dict[str, Any] | None]]:
    """The Log page's glance from one ``store.frames`` and one ``metrics.prepare``: today's and
    this week's figures (``everyday.today_and_week``'s, ``taskerlog status``'s) and, with
    ``recent``, the last ``recent`` entries of the last fortnight (``recent``, as
    :func:`list_entries` gives them). Also ``row(id)``: an entry of that read (this week and
    the last fortnight) as the same kind of row, or None when it starts outside them, so that
    a save's message and warning read nothing more."""
    from . import everyday

    tz = store.settings().timezone
    today = timeutil.to_local(now, tz).date()
    monday = timeutil.week_monday(today)
    first = min(monday, today - dt.timedelta(days=RECENT_DAYS - 1)) if recent else monday
    frames = store.frames(work_start=(timeutil.local_midnight(first, tz),
                                      timeutil.local_midnight(monday + dt.timedelta(days=7), tz)))
    out, prepared = everyday.figures(frames, today)  # prepared None: each entry is priced on its own
    if recent:
        out["recent"] = list_entries(frames, EntryQuery(date_from=today - dt.timedelta(days=RECENT_DAYS - 1),
                                                        date_to=today, last=recent), prepared=prepared)

    def row(wid: int) -> dict[str, Any] | None:
        found = list_entries(frames, EntryQuery(ids=frozenset({int(wid)})), prepared=prepared)
        return found[0] if found else None
    return out, row


def _matching(work, tz: str, q: EntryQuery):
    import numpy as np

    w = work
    if q.ids is not None:
        w = w[w["id"].isin(list(q.ids))]
    if q.date_from is not None:
        w = w[w["start"] >= timeutil.local_midnight(q.date_from, tz)]
    if q.date_to is not None:
        w = w[w["start"] < timeutil.local_midnight(q.date_to + dt.timedelta(days=1), tz)]
    for col in ("platform", "project", "kind", "status"):
        if getattr(q, col):
            w = w[w[col] == getattr(q, col)]
    if q.text.strip():
        hay = (w["note"].astype(object).fillna("").astype(str) + " "
               + w["external_id"].astype(object).fillna("").astype(str)).str.lower()
        w = w[hay.str.contains(q.text.strip().lower(), regex=False)]
    order = np.lexsort((w["id"].to_numpy(dtype=np.int64), w["end"].to_numpy(dtype=np.int64),
                        w["start"].to_numpy(dtype=np.int64)))  # by start, end, id (quicker than sort_values)
    if q.last is not None:
        order = order[len(order) - max(0, min(q.last, len(order))):]
    return w.iloc[order].reset_index(drop=True)


def _entry_row(r: dict[str, Any], tz: str, priced: tuple[int, bool, bool] | None,
               unpriced: dict[str, Any] | None) -> dict[str, Any]:
    start, end = int(r["start"]), int(r["end"])
    recorded = None if _na(r["pay_micros"]) else Decimal(money.format_micros(int(r["pay_micros"])))
    micros, fx_missing, earning = priced if priced is not None else (0, False, r["status"] in ("paid", "pending"))
    edited = None if _na(r["edited_at"]) else int(r["edited_at"])
    return {
        "id": int(r["id"]), "platform": r["platform"], "project": None if _na(r["project"]) else r["project"],
        "kind": r["kind"],
        "start": timeutil.format_local(start, tz), "end": timeutil.format_local(end, tz),
        "start_epoch": start, "end_epoch": end,
        "hours": float(render.hours_of(end - start)), "minutes": (end - start) // 60,
        "units": None if _na(r["units"]) else int(r["units"]), "status": r["status"],
        "pay": recorded, "currency": None if _na(r["currency"]) else r["currency"],
        "pay_home": (None if (not earning or fx_missing)
                     else Decimal(money.format_micros(micros, 2))),
        "pay_from": "recorded" if recorded is not None else ("rate" if earning else None),
        "fx_missing": fx_missing,
        "unpriced": None if unpriced is None else unpriced["reason"],
        "unpriced_note": None if unpriced is None else render.unpriced_note(unpriced),
        "external_id": None if _na(r["external_id"]) else r["external_id"],
        "note": None if _na(r["note"]) else r["note"],
        "recorded_at": timeutil.format_local(int(r["recorded_at"]), tz), "recorded_epoch": int(r["recorded_at"]),
        "edited_at": None if edited is None else timeutil.format_local(edited, tz), "edited_epoch": edited,
        "edited": edited is not None, "source": r["source"],
    }


def _na(v) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, NaT
    except TypeError:  # pandas.NA: its comparison is NA, which has no truth value
        return True


# -- editing an entry ----------------------------------------------------------------------------
EDITABLE = ("platform", "project", "kind", "status", "start", "end", "units", "pay", "currency", "external_id",
            "note")
"""What :func:`edit_entry` changes, named as :class:`taskerlog.model.WorkEntry`'s fields."""


def not_after_now(end: int, now: int, tz: str) -> None:
    """Work is logged once it is done: an end after now (a minute's slack) is refused."""
    if end > now + 60:
        raise ValueError(_("that entry would end at {end}, after now; log work once it is done (or use the clock)")
                         .format(end=f"{timeutil.to_local(end, tz):%Y-%m-%d %H:%M}"))


def edit_entry(store, entry_id: int, changes: dict[str, Any], *, source: str, now: int) -> dict[str, Any]:
    """Change the fields ``changes`` names (``EDITABLE``; the others keep their values) of work
    entry ``entry_id``. The entry as it would be is checked whole (end after start, no 7-day
    typo, the project exists, an end not after ``now``) before anything is written; the
    journal keeps the old values. Returns the stored columns that changed (empty: nothing did)."""
    from .store.api import work_values

    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValueError(f"a work entry has no field {', '.join(unknown)}")
    tz = store.settings().timezone
    with store.transaction():
        old = store.get("work", entry_id)
        if old is None:
            raise ValueError(f"there is no work entry #{entry_id}")
        project = store.get("projects", old["project_id"]) if old["project_id"] is not None else None
        fields = {"platform": store.get("platforms", old["platform_id"])["name"],
                  "project": None if project is None else project["name"],
                  "kind": old["kind"], "status": old["status"], "start": old["start"], "end": old["end"],
                  "units": old["units"], "pay": money.from_micros(old["pay_micros"]), "currency": old["currency"],
                  "external_id": old["external_id"], "note": old["note"], **changes}
        from .model import WorkEntry  # pydantic: loaded by the commands that make a record

        entry = WorkEntry(**fields)
        if "end" in changes or "start" in changes:
            not_after_now(entry.end, now, tz)
        new = work_values(entry, store.platform_id(entry.platform, source=source),
                          store.project_id(entry.platform, entry.project))
        diff = {k: v for k, v in new.items() if old.get(k) != v}
        if diff:
            store.update("work", entry_id, diff, source)
    return diff


# -- rates ---------------------------------------------------------------------------------------
def previous_rate(rates, platform: str, project: str, unit: str, applies_to: tuple[str, ...] | None,
                  at: int) -> Decimal | None:
    """The rate in effect at ``at`` that a new one for the same project, kinds and unit replaces
    (the latest from ``at`` or before), or None for a project's first. ``rates``: rows (dicts
    with platform, project, unit, applies_to, effective_at, rate_micros), or the frames' table."""
    from .vocab import BILLABLE_KINDS, applies_to_text

    rows = rates.to_dict("records") if hasattr(rates, "to_dict") else rates
    kinds = applies_to_text(applies_to or BILLABLE_KINDS)
    same = [(int(x["effective_at"]), i, int(x["rate_micros"])) for i, x in enumerate(rows)
            if x["platform"] == platform and x["project"] == project and x["unit"] == unit
            and ("" if _na(x["applies_to"]) else x["applies_to"]) == kinds and int(x["effective_at"]) <= at]
    return money.from_micros(max(same)[2]) if same else None


def rate_now(rates, platform: str, project: str, at: int) -> dict[str, Any] | None:
    """A project's rate at ``at`` as `project list` shows it: the latest rate in effect for all
    paid kinds; for a project with rates only for some kinds (training, say), the latest of
    those, with its kinds. A rate set to start later is not the rate now. ``rate`` is a
    Decimal; None when no rate is in effect yet. ``rates``: rows or the frames' table."""
    rows = rates.to_dict("records") if hasattr(rates, "to_dict") else rates
    mine = [(int(x["effective_at"]), i, x) for i, x in enumerate(rows)
            if x["platform"] == platform and x["project"] == project and int(x["effective_at"]) <= at]
    general = [m for m in mine if _na(m[2]["applies_to"]) or m[2]["applies_to"] == ""]
    if not (general or mine):
        return None
    x = max(general or mine, key=lambda m: m[:2])[2]
    return {"rate": money.from_micros(int(x["rate_micros"])), "unit": x["unit"],
            "applies_to": "" if general else str(x["applies_to"])}


def rate_history(rates, tz: str, platform: str | None = None, project: str | None = None) -> list[dict[str, Any]]:
    """Each project's rates in the order they took effect, each compared with the one before
    it for the same project, kinds and unit (metrics.md): ``change`` is ``first``, ``cut``,
    ``raise`` or ``same``, ``change_pct`` the exact % (None for a first rate or one after 0).
    ``rate`` is a Decimal, ``effective_at`` epoch seconds, ``when`` the local minute."""
    r = rates
    if platform:
        r = r[r["platform"] == platform]
    if project:
        r = r[r["project"] == project]
    out: list[dict[str, Any]] = []
    last: dict[tuple, Decimal] = {}
    for x in r.sort_values("effective_at", kind="stable").to_dict("records"):
        applies = "" if _na(x["applies_to"]) else str(x["applies_to"])
        key = (x["platform"], x["project"], applies, x["unit"])
        rate = Decimal(money.format_micros(int(x["rate_micros"])))  # 35.00, 0.005
        prev = last.get(key)
        last[key] = rate
        out.append({"platform": x["platform"], "project": x["project"], "applies_to": applies,
                    "effective_at": int(x["effective_at"]),
                    "when": timeutil.to_local(int(x["effective_at"]), tz).strftime("%Y-%m-%d %H:%M"),
                    "rate": rate, "unit": x["unit"], "currency": x["currency"],
                    "change": "first" if prev is None else ("cut" if rate < prev else "raise" if rate > prev else "same"),
                    "change_pct": rate_change_pct(rate, prev),
                    "note": None if _na(x.get("note")) else x.get("note")})
    return out


def project_rates(store, platform: str, project: str) -> list[dict[str, Any]]:
    """The rates of one project as the rows :func:`previous_rate` and :func:`rate_preview` take,
    read with plain SQL (no data frames: the ``rate`` command, and the rate form after each
    save); none for a project that is not (or no longer) in the logbook."""
    row = store.project_row(platform, project)
    if row is None:
        return []
    return [{**x, "platform": platform, "project": project} for x in store.rows("rates")
            if x["project_id"] == row["id"]]


def replaced_rate(store, rate) -> Decimal | None:
    """:func:`previous_rate` of the logbook for a new :class:`taskerlog.model.Rate`, before it is
    saved."""
    store.project_id(rate.platform, rate.project)  # an unknown project is an error, as before
    return previous_rate(project_rates(store, rate.platform, rate.project), rate.platform, rate.project, rate.unit,
                         rate.applies_to, rate.effective_at)


def rate_change_pct(new: Decimal, before: Decimal | None) -> Decimal | None:
    """The change from ``before`` to ``new`` in % (exact; the shells round it for reading),
    None for a first rate or one that replaces 0."""
    if before is None or before == 0:
        return None
    return (Decimal(new) - before) / before * 100


@dataclass(frozen=True)
class RatePreview:
    """What the rate form shows while a new rate is typed: the rate it replaces and the change."""

    current: Decimal | None
    """The rate in effect now for that project, kinds and unit (None: it has none yet)."""
    currency: str
    unit: str
    new: Decimal | None
    """The typed rate, when it reads as an amount."""
    change_pct: Decimal | None
    problem: str | None = None
    """Why the typed text is not (yet) a rate, in words."""

    def text(self) -> str:
        """``Now 35.00 USD/hour → 20.00: −42.9%`` (the parts known so far)."""
        values = dict(rate=render.amount(self.current), currency=self.currency, unit=vocab.shown(self.unit),
                      new=render.amount(self.new), problem=self.problem)
        if self.current is None:
            if self.problem:
                text = _("No {unit} rate yet for this project: this will be its first. {problem}")
            elif self.new is None:
                text = _("No {unit} rate yet for this project: this will be its first.")
            else:
                text = _("No {unit} rate yet for this project: this will be its first: {new} {currency}/{unit}.")
        elif self.problem:
            text = _("Now {rate} {currency}/{unit}. {problem}")
        elif self.new is None:
            text = _("Now {rate} {currency}/{unit}.")
        elif self.change_pct is None:
            text = _("Now {rate} {currency}/{unit} → {new}: no change.")
        else:
            text = _("Now {rate} {currency}/{unit} → {new}: {change}.")
            values["change"] = render.signed_percent(self.change_pct)
        return text.format(**values)


def rate_preview(rates, platform: str, project: str, unit: str, applies_to: tuple[str, ...] | None, at: int,
                 typed: str | None, currency: str) -> RatePreview:
    """The rate form's live line: the rate in effect at ``at`` and the change the typed text
    would make ("12,50" is read as 12.50 where unambiguous)."""
    from .everyday import amount_text

    current = previous_rate(rates, platform, project, unit, applies_to, at)
    text = amount_text(typed)
    new, problem = None, None
    if text is not None:
        try:
            new = money.parse_amount(text)
        except (ValueError, ArithmeticError) as exc:
            problem = str(exc)
    return RatePreview(current, currency, unit, new, None if new is None else rate_change_pct(new, current), problem)


# -- empty queues --------------------------------------------------------------------------------
def eq_periods(store, today: dt.date, platform: str | None = None) -> list[dict[str, Any]]:
    """Empty-queue periods, oldest first: ``start_date``/``end_date`` (ISO text, None while the
    queue is still empty) and ``days``, inclusive (an open one counts to ``today``)."""
    out = []
    for e in store.eq_periods(platform):
        start = dt.date.fromisoformat(e["start_date"])
        end = dt.date.fromisoformat(e["end_date"]) if e["end_date"] else None
        out.append({"id": e["id"], "platform": e["platform"], "start_date": e["start_date"],
                    "end_date": e["end_date"], "days": max(0, ((end or today) - start).days + 1),
                    "open": end is None, "note": e["note"]})
    return out
