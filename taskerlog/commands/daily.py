"""The everyday commands: the running clock, logging past work, empty queues, and the
list of entries with their edit trail (edit and delete go through the journal).

The clock is read once per command (``timeutil.now_epoch()``) and passed in; a running
clock is a row in the logbook, so it survives a closed terminal or a reboot.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from .. import render, timeutil, usecases, vocab
from ..i18n import N_, _, ngettext
from ._base import CLIError, Context, emit_json, friendly_errors, pass_ctx
from ._click import command, group, option
from ..vocab import KINDS, STATUSES
from ..store import Store
from ._common import (
    need_project, new_platform_note, parse_count, parse_currency, parse_day, parse_minutes, parse_money,
    parse_when,
)

JSON_OPT = option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))
KIND_OPT = click.Choice(KINDS)
STATUS_OPT = click.Choice(STATUSES)


def _hm(epoch: int, tz: str, now: int | None = None) -> str:
    """Local time for reading: ``09:00`` today, else ``2026-03-02 09:00``."""
    t = timeutil.to_local(epoch, tz)
    if now is not None and t.date() == timeutil.to_local(now, tz).date():
        return t.strftime("%H:%M")
    return t.strftime("%Y-%m-%d %H:%M")


def _what(platform: str, project: str | None, kind: str) -> str:
    return f"{platform}{' / ' + project if project else ''} ({vocab.shown(kind)})"


# -- the running clock ------------------------------------------------------------------
def clock_rows(store: Store, now: int) -> list[dict[str, Any]]:
    """Running clocks with their elapsed seconds at ``now``."""
    tz = store.settings().timezone
    return [{**c, "started": timeutil.format_local(c["started_at"], tz),
             "elapsed_seconds": max(0, now - c["started_at"])} for c in store.running_clocks()]


def clock_lines(rows: list[dict[str, Any]], tz: str, now: int) -> list[str]:
    return [_("#{id}  {what} since {since}  ({elapsed})").format(
        id=r["id"], what=_what(r["platform"], r["project"], r["kind"]), since=_hm(r["started_at"], tz, now),
        elapsed=render.hm(r["elapsed_seconds"])) for r in rows]


@group(invoke_without_command=True, help=N_(
    "A running clock: start it when you begin, stop it when you finish (no option: show it)."),
    example="taskerlog clock start Outlier \"Genesis Dolphin\"")
@JSON_OPT
@click.pass_context
@friendly_errors
def clock(ctx: click.Context, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    c = ctx.find_object(Context)
    now = timeutil.now_epoch()
    rows = clock_rows(c.store, now)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo(_("no clock is running; start one with: taskerlog clock start PLATFORM [PROJECT]"))
        return
    tz = c.store.settings().timezone
    for line in clock_lines(rows, tz, now):
        click.echo(line)
    from .. import everyday

    long_h = everyday.long_clock_hours(c.store)
    for r in rows:
        if everyday.is_forgotten(r["started_at"], now, long_h):
            click.echo(everyday.forgotten_warning(r, now, long_h, tz), err=True)


@clock.command("start", help=N_("Start the clock on a platform (and project)."),
    example="taskerlog clock start Outlier \"Genesis Dolphin\" --kind training")
@click.argument("platform")
@click.argument("name", metavar="[PROJECT]", required=False)
@option("--kind", type=KIND_OPT, default="tasking", show_default=True, help=N_("What you are doing."))
@option("--at", "at", help=N_("When you actually started, if not now: 09:00, 'yesterday 22:00'."))
@option("--note")
@JSON_OPT
@pass_ctx
@friendly_errors
def clock_start(c: Context, platform, name, kind, at, note, as_json):
    store = c.store
    now = timeutil.now_epoch()
    tz = store.timezone()
    when = now if at is None else parse_when(at, tz, now, option="--at")
    need_project(store, platform, name)
    fresh = new_platform_note(store, platform)
    others = store.running_clocks()
    cid = store.clock_start(platform, name, kind, note=note, at=when)
    if as_json:
        emit_json({"id": cid, "platform": platform, "project": name, "kind": kind,
                   "started": timeutil.format_local(when, tz), "other_running": [o["id"] for o in others]})
        return
    click.echo(_("clock #{id} started at {at}: {what}").format(id=cid, at=_hm(when, tz, now),
                                                               what=_what(platform, name, kind))
               + (f" {fresh}" if fresh else ""))
    if others:
        click.echo(ngettext(
            # Translators: the English says clock(s) in both forms; write each form properly
            "note: {n} other clock(s) still running — {clocks}. Overlapping time counts once in hours worked; "
            "stop each with: taskerlog clock stop --id N",
            "note: {n} other clock(s) still running — {clocks}. Overlapping time counts once in hours worked; "
            "stop each with: taskerlog clock stop --id N", len(others)).format(
            n=len(others), clocks="; ".join(f"#{o['id']} {_what(o['platform'], o['project'], o['kind'])}"
                                            for o in others)))


@clock.command("stop", help=N_("Stop the clock and save the time as a work entry."),
    example="taskerlog clock stop --units 12 --status pending")
@option("--id", "clock_id", type=int, help=N_("Which clock, when several run (see: taskerlog clock)."))
@option("--at", "at", help=N_("When you actually stopped, if not now: 12:30, 'yesterday 23:10'."))
@option("--units", help=N_("Tasks or items done (needed for per-task pay)."))
@option("--pay", help=N_("What it paid, if you know (blank: from the project's rate)."))
@option("--status", type=STATUS_OPT, help=N_("What came of the pay (default: paid for billable work)."))
@option("--note")
@option("--yes", is_flag=True, help=N_("Stop a clock that ran past the 'Still working?' threshold without asking."))
@JSON_OPT
@pass_ctx
@friendly_errors
def clock_stop(c: Context, clock_id, at, units, pay, status, note, yes, as_json):
    store = c.store
    now = timeutil.now_epoch()
    tz = store.settings().timezone
    when = now if at is None else parse_when(at, tz, now, option="--at")
    running = store.running_clocks()
    if not running:
        raise CLIError(_("no clock is running; to record past work use: "
                         "taskerlog log PLATFORM [PROJECT] --start ... --end ..."))
    if clock_id is None and len(running) > 1:
        raise CLIError(_("several clocks are running ({clocks}); say which with --id N").format(
            clocks="; ".join(f"#{r['id']} {_what(r['platform'], r['project'], r['kind'])}" for r in running)))
    clock = running[0] if clock_id is None else next((r for r in running if r["id"] == clock_id), None)
    if clock is None:
        raise CLIError(_("--id: clock #{id} is not running; running: {running}").format(
            id=clock_id, running=", ".join(f"#{r['id']}" for r in running)))
    if when <= clock["started_at"]:
        raise CLIError(_("--at: the clock started at {start}; the stop must be after that").format(
            start=_hm(clock["started_at"], tz, now)))
    _ask_if_forgotten(store, clock, when, now, tz, asked=at is None and not yes)
    wid = store.clock_stop(clock["id"], at=when, units=parse_count(units, option="--units"),
                           pay=parse_money(pay, option="--pay"), status=status, note=note)
    _report_saved(store, wid, tz, now, as_json, verb="saved")


def _ask_if_forgotten(store: Store, clock: dict[str, Any], when: int, now: int, tz: str, asked: bool) -> None:
    """A clock stopped now after running past the threshold: warn, and at a terminal ask first
    (a script gets the warning on stderr and the stop it asked for)."""
    from .. import everyday

    long_h = everyday.long_clock_hours(store)
    if not asked or not everyday.is_forgotten(clock["started_at"], when, long_h):
        return
    click.echo(everyday.forgotten_warning(clock, now, long_h, tz), err=True)
    if sys.stdin.isatty() and not click.confirm(
            _("Save it as {length} of work, ending now?").format(length=everyday.fmt_hm(when - clock["started_at"])),
            default=False, err=True):
        raise CLIError(_("nothing saved; the clock is still running. Stop it when you really stopped: "
                         "taskerlog clock stop --id {id} --at HH:MM").format(id=clock["id"]))


_SAVED = {
    # Translators: {when} is the entry's start–end, {length} its h:mm, {what} platform / project (kind)
    "saved": lambda: _("saved entry #{id}: {when} ({length}) {what}, {status}"),
    "logged": lambda: _("logged entry #{id}: {when} ({length}) {what}, {status}"),
    "edited": lambda: _("edited entry #{id}: {when} ({length}) {what}, {status}"),
}
_SAVED_NO_PAY = {
    "saved": lambda: _("saved entry #{id} (its pay could not be shown: {error}; see `taskerlog entries`)"),
    "logged": lambda: _("logged entry #{id} (its pay could not be shown: {error}; see `taskerlog entries`)"),
    "edited": lambda: _("edited entry #{id} (its pay could not be shown: {error}; see `taskerlog entries`)"),
}


def _report_saved(store: Store, wid: int, tz: str, now: int, as_json: bool, verb: str) -> None:
    """Confirm a saved entry. The entry is written already: whatever goes wrong in working
    out its pay for the confirmation must not look like a failed save (a retry would
    record it twice)."""
    try:
        row = usecases.entries(store, usecases.EntryQuery(ids=frozenset({wid})))[0]
    except Exception as exc:  # noqa: BLE001
        if as_json:
            emit_json({"id": wid, "saved": True, "pay_home": None})
        else:
            click.echo(_SAVED_NO_PAY[verb]().format(id=wid, error=exc))
        return
    if as_json:
        emit_json(row)
        return
    secs = row["end_epoch"] - row["start_epoch"]
    pay = (", " + _("pay {amount} {currency}").format(amount=render.grouped(row["pay_home"]),
                                                      currency=store.settings().home_currency)
           if row["pay_home"] else "")
    click.echo(_SAVED[verb]().format(
        id=wid, when=f"{_hm(row['start_epoch'], tz, now)}–{timeutil.to_local(row['end_epoch'], tz):%H:%M}",
        length=render.hm(secs), what=_what(row["platform"], row["project"], row["kind"]),
        status=vocab.shown(row["status"])) + pay)
    if row["unpriced_note"]:
        click.echo(_("warning: {problem}").format(problem=row["unpriced_note"]))


# -- logging past work --------------------------------------------------------------------
@command(help=N_(
    "Record work you did earlier (times without an offset are in your logbook's time zone)."),
    example="taskerlog log Outlier \"Genesis Dolphin\" --kind onboarding --start \"yesterday 10:00\" --end \"yesterday 14:00\"")
@click.argument("platform")
@click.argument("name", metavar="[PROJECT]", required=False)
@option("--kind", type=KIND_OPT, default="tasking", show_default=True, help=N_("What you were doing."))
@option("--start", required=True, help=N_("When it started: 09:00 (today), 'yesterday 09:00', 2026-03-02T09:00."))
@option("--end", help=N_("When it ended (same forms as --start)."))
@option("--minutes", help=N_("Or how long it lasted, in minutes."))
@option("--units", help=N_("Tasks or items done (needed for per-task pay)."))
@option("--pay", help=N_("What it paid, if you know (blank: from the project's rate)."))
@option("--currency", help=N_("Currency of --pay (default: the project's)."))
@option("--status", type=STATUS_OPT,
        help=N_("paid, pending, rejected, returned, lost (platform failure), capped, unpaid."))
@option("--external-id", help=N_("The platform's task or HIT id."))
@option("--note")
@JSON_OPT
@pass_ctx
@friendly_errors
def log(c: Context, platform, name, kind, start, end, minutes, units, pay, currency, status, external_id, note,
        as_json):
    store = c.store
    now = timeutil.now_epoch()
    tz = store.settings().timezone
    if (end is None) == (minutes is None):
        raise CLIError(_("give either --end TIME or --minutes N (one of them) to say how long the work lasted"))
    t0 = parse_when(start, tz, now, option="--start")
    t1 = parse_when(end, tz, now, option="--end") if end is not None else t0 + parse_minutes(minutes, option="--minutes")
    if t1 <= t0:
        raise CLIError(_("--end: {end} is not after the start ({start}); "
                         "for work past midnight give the date, e.g. --end '2026-03-03 01:30'").format(
            end=_hm(t1, tz), start=_hm(t0, tz)))
    need_project(store, platform, name)
    from ..model import WorkEntry  # pydantic: loaded by the commands that make a record

    entry = WorkEntry(platform=platform, project=name, kind=kind, start=t0, end=t1,
                      units=parse_count(units, option="--units"), pay=parse_money(pay, option="--pay"),
                      currency=parse_currency(currency, option="--currency"), status=status,
                      external_id=external_id, note=note)
    fresh = new_platform_note(store, platform)
    wid = store.add_work(entry)
    _report_saved(store, wid, tz, now, as_json, verb="logged")
    if fresh and not as_json:
        click.echo(fresh)
    if t1 > now and not as_json:
        click.echo(_("note: this entry ends in the future; check the date if that was not meant"))


# -- the list of entries, edits and deletions -----------------------------------------------
@command(help=N_(
    "List work entries: local times, kind, status, pay, when each was recorded, and edits."),
    example="taskerlog entries --from 2026-03-01 --to 2026-03-07 --platform Outlier")
@option("--from", "date_from", help=N_("First day (YYYY-MM-DD, {today}, {yesterday})."),
        help_values={"today": "today", "yesterday": "yesterday"})
@option("--to", "date_to", help=N_("Last day, inclusive."))
@option("--platform")
@option("--project")
@option("--last", "last", type=int, help=N_("Only the N most recent entries."))
@JSON_OPT
@pass_ctx
@friendly_errors
def entries(c: Context, date_from, date_to, platform, project, last, as_json):
    store = c.existing_store
    now = timeutil.now_epoch()
    tz = store.settings().timezone
    d0 = None if date_from is None else parse_day(date_from, tz, now, option="--from")
    d1 = None if date_to is None else parse_day(date_to, tz, now, option="--to")
    if d0 and d1 and d1 < d0:
        raise CLIError(_("--to: {last} is before --from {first}").format(last=d1, first=d0))
    rows = usecases.entries(store, usecases.EntryQuery(date_from=d0, date_to=d1, platform=platform, project=project,
                                                       last=last))
    if as_json:
        emit_json([{k: v for k, v in r.items() if not k.endswith("_epoch")} for r in rows])
        return
    home = store.settings().home_currency
    table = render.table(
        [_("id"), _("start"), _("end"), _("h:mm"), _("platform / project"), _("kind"), _("status"), _("units"),
         _("pay {currency}").format(currency=home), _("recorded"), _("edited")],
        [[r["id"], _hm(r["start_epoch"], tz), timeutil.to_local(r["end_epoch"], tz).strftime("%H:%M"),
          render.hm(r["end_epoch"] - r["start_epoch"]), r["platform"] + (" / " + r["project"] if r["project"] else ""),
          vocab.shown(r["kind"]), vocab.shown(r["status"]), r["units"],
          render.entry_pay(r) + ("*" if _from_rate(r) else ""),
          r["recorded_at"][:16].replace("T", " "),
          _("edited {when}").format(when=r["edited_at"][:16].replace("T", " ")) if r["edited"] else ""]
         for r in rows],
        empty=_("no entries match; record work with: taskerlog clock start PLATFORM or taskerlog log PLATFORM ..."),
    )
    click.echo(table)
    if any(_from_rate(r) for r in rows):
        click.echo(_("* pay derived from the project's rate"))


def _from_rate(r: dict[str, Any]) -> bool:
    return r["pay_from"] == "rate" and r["pay_home"] is not None and r["unpriced"] is None


@command(help=N_(
    "Change a work entry. The old values stay in the journal and the entry shows as edited."),
    example="taskerlog edit 12 --status rejected --note \"rejected without reason\"")
@click.argument("entry_id", metavar="ID", type=int)
@option("--kind", type=KIND_OPT)
@option("--status", type=STATUS_OPT)
@option("--project", help=N_("Move it to another project of the same platform ('' for none)."))
@option("--start", help=N_("New start time."))
@option("--end", help=N_("New end time."))
@option("--minutes", help=N_("New length in minutes (from the start)."))
@option("--units", help=N_("Tasks or items ('' to clear)."))
@option("--pay", help=N_("Pay ('' to clear: derive it from the rate)."))
@option("--currency", help=N_("Currency of the pay ('' to clear)."))
@option("--external-id", help=N_("Platform task id ('' to clear)."))
@option("--note", help=N_("Note ('' to clear)."))
@JSON_OPT
@pass_ctx
@friendly_errors
def edit(c: Context, entry_id, kind, status, project, start, end, minutes, units, pay, currency, external_id, note,
         as_json):
    store = c.store
    now = timeutil.now_epoch()
    tz = store.settings().timezone
    old = store.get("work", entry_id)
    if old is None:
        raise CLIError(_("there is no work entry #{id}; see the ids with: taskerlog entries").format(id=entry_id))
    if end is not None and minutes is not None:
        raise CLIError(_("give --end or --minutes, not both"))
    platform = store.get("platforms", old["platform_id"])["name"]
    changes: dict[str, Any] = {}
    if kind is not None:
        changes["kind"] = kind
    if status is not None:
        changes["status"] = status
    if project is not None:
        if project.strip():
            need_project(store, platform, project)
        changes["project"] = project.strip() or None
    if start is not None:
        changes["start"] = parse_when(start, tz, now, option="--start")
    if end is not None:
        changes["end"] = parse_when(end, tz, now, option="--end")
    if minutes is not None:
        changes["end"] = changes.get("start", old["start"]) + parse_minutes(minutes, option="--minutes")
    if units is not None:
        changes["units"] = parse_count(units, option="--units") if units.strip() else None
    if pay is not None:
        changes["pay"] = parse_money(pay, option="--pay") if pay.strip() else None
    if currency is not None:
        changes["currency"] = parse_currency(currency, option="--currency") if currency.strip() else None
    if external_id is not None:
        changes["external_id"] = external_id.strip() or None
    if note is not None:
        changes["note"] = note.strip() or None
    if not changes:
        raise CLIError(_("nothing to change; give at least one option, e.g. --status rejected "
                         "(see: taskerlog edit --help)"))
    usecases.edit_entry(store, entry_id, changes, source="manual", now=now)
    _report_saved(store, entry_id, tz, now, as_json, verb="edited")


@command(help=N_(
    "Delete a work entry. Its values stay in the journal, so the deletion can be seen and checked."),
    example="taskerlog delete 12 --yes")
@click.argument("entry_id", metavar="ID", type=int)
@option("--yes", is_flag=True, help=N_("Do not ask for confirmation."))
@pass_ctx
@friendly_errors
def delete(c: Context, entry_id, yes):
    store = c.store
    now = timeutil.now_epoch()
    tz = store.settings().timezone
    rows = usecases.entries(store, usecases.EntryQuery(ids=frozenset({entry_id})))
    if not rows:
        raise CLIError(_("there is no work entry #{id}; see the ids with: taskerlog entries").format(id=entry_id))
    r = rows[0]
    what = dict(id=entry_id, start=_hm(r["start_epoch"], tz, now), length=render.hm(r["end_epoch"] - r["start_epoch"]),
                what=_what(r["platform"], r["project"], r["kind"]), status=vocab.shown(r["status"]))
    if not yes:
        click.confirm(_("delete entry #{id}: {start} ({length}) {what}, {status}?").format(**what), abort=True)
    store.delete("work", entry_id, "manual")
    click.echo(_("deleted entry #{id}: {start} ({length}) {what}, {status} (the journal keeps its values)")
               .format(**what))


# -- empty queue --------------------------------------------------------------------------
@group(help=N_("Empty queue: days with no work available on a platform."),
    example="taskerlog eq start Outlier")
def eq() -> None:
    pass


@eq.command("start", help=N_("The queue is empty: start counting empty-queue days on a platform."),
    example="taskerlog eq start Outlier --on 2026-03-05")
@click.argument("platform")
@option("--on", "on", help=N_("The first day without work (default: today)."))
@option("--note")
@pass_ctx
@friendly_errors
def eq_start(c: Context, platform, on, note):
    store = c.store
    now = timeutil.now_epoch()
    day = parse_day(on, store.settings().timezone, now, option="--on")
    open_ = [e for e in store.eq_periods(platform) if e["end_date"] is None]
    if open_:
        raise CLIError(_("{platform} is already in empty queue since {day}; "
                         "when work is back: taskerlog eq end {platform}").format(platform=platform,
                                                                                  day=open_[0]["start_date"]))
    fresh = new_platform_note(store, platform)
    from ..model import EQPeriod  # pydantic: loaded by the commands that make a record

    store.add_eq(EQPeriod(platform=platform, start_date=day, note=note))
    click.echo(_("{platform}: empty queue from {day}").format(platform=platform, day=day)
               + (f" {fresh}" if fresh else ""))


@eq.command("end", help=N_(
    "Work is back: close the platform's open empty-queue period (its last day is --on)."),
    example="taskerlog eq end Outlier --on 2026-03-07")
@click.argument("platform")
@option("--on", "on", help=N_("The last day without work (default: today)."))
@pass_ctx
@friendly_errors
def eq_end(c: Context, platform, on):
    store = c.store
    now = timeutil.now_epoch()
    day = parse_day(on, store.settings().timezone, now, option="--on")
    open_ = [e for e in store.eq_periods(platform) if e["end_date"] is None]
    if not open_:
        raise CLIError(_("{platform} has no open empty-queue period; start one with: taskerlog eq start {platform}")
                       .format(platform=platform))
    e = open_[-1]
    if day < dt.date.fromisoformat(e["start_date"]):
        raise CLIError(_("--on: {day} is before the empty queue started ({start}); give {start} or later").format(
            day=day, start=e["start_date"]))
    store.update("eq", e["id"], {"end_date": day.isoformat()}, "manual")
    n = (day - dt.date.fromisoformat(e["start_date"])).days + 1
    click.echo(ngettext("{platform}: empty queue {first} to {last} ({n} day)",
                        "{platform}: empty queue {first} to {last} ({n} days)", n).format(
        platform=platform, first=e["start_date"], last=day, n=n))


@eq.command("list", help=N_(
    "List empty-queue periods and how many days each lasted (an open one counts to today)."),
    example="taskerlog eq list --platform Outlier")
@option("--platform")
@JSON_OPT
@pass_ctx
@friendly_errors
def eq_list(c: Context, platform, as_json):
    store = c.store
    now = timeutil.now_epoch()
    rows = usecases.eq_periods(store, timeutil.to_local(now, store.settings().timezone).date(), platform)
    if as_json:
        emit_json(rows)
        return
    click.echo(render.table([_("id"), _("platform"), _("from"), _("to"), _("days"), _("note")],
                            [[r["id"], r["platform"], r["start_date"], r["end_date"] or _("(still empty)"),
                              r["days"], r["note"]] for r in rows],
                            empty=_("no empty-queue periods recorded")))
