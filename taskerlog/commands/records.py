"""Commands for the logbook's records: projects, rates, payouts, expenses, exchange rates, settings.

Each command parses what the worker typed (naming the option when it is wrong), builds a
record from ``taskerlog.model`` and saves it through the store's journaled API.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import click

from .. import i18n, money, render, timeutil, usecases, vocab
from ..i18n import N_, _, pgettext
from ._base import CLIError, Context, emit_json, friendly_errors, pass_ctx
from ._click import command, group, option
from ..model import (
    END_REASONS, KINDS, PAY_MODELS, RATE_UNITS, Expense, FxRate, Logbook, Payout, Project, Rate, received_in,
)
from ..store import records
from ._common import (
    need_project, new_platform_note, parse_currency, parse_day, parse_fx_rate, parse_money, parse_when,
)

JSON_OPT = option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))


# -- projects ------------------------------------------------------------------------
@group(help=N_(
    "Projects you work on: add one, list them, record when one ended and why."),
    example="taskerlog project add Outlier \"Genesis Dolphin\" --advertised-rate 35")
def project() -> None:
    pass


@project.command("add", help=N_("Add a project on a platform."),
    example="taskerlog project add Outlier \"Genesis Dolphin\" --currency USD --advertised-rate 35")
@click.argument("platform")
@click.argument("name", metavar="PROJECT")
@option("--pay-model", type=click.Choice(PAY_MODELS), default="hourly", show_default=True,
        help=N_("{hourly}: pays hours × rate; {per_task}: pays units × rate."),
        help_values=dict(zip(PAY_MODELS, PAY_MODELS)))
@option("--currency", help=N_("Currency the project pays in (default: your home currency)."))
@option("--advertised-rate", help=N_("What the project was advertised at, per hour or per task."))
@option("--started-on", help=N_("The day you started on it (YYYY-MM-DD)."))
@option("--note", help=N_("Anything worth remembering (who manages it, where the instructions are)."))
@JSON_OPT
@pass_ctx
@friendly_errors
def project_add(c: Context, platform, name, pay_model, currency, advertised_rate, started_on, note, as_json):
    store = c.store
    now = timeutil.now_epoch()
    tz = store.settings().timezone
    p = Project(
        platform=platform, project=name, pay_model=pay_model,
        currency=parse_currency(currency, option="--currency") or store.settings().home_currency,
        advertised_rate=parse_money(advertised_rate, option="--advertised-rate"),
        started_on=None if started_on is None else parse_day(started_on, tz, now, option="--started-on"),
        notes=note,
    )
    fresh = new_platform_note(store, platform)
    pid = store.add_project(p)
    if as_json:
        emit_json({"id": pid, **p.model_dump(mode="json")})
        return
    values = dict(platform=p.platform, project=p.project, model=vocab.shown(p.pay_model), currency=p.currency)
    if p.advertised_rate is None:
        said = _("added project {platform} / {project} ({model}, pays in {currency})").format(**values)
    else:
        said = _("added project {platform} / {project} ({model}, pays in {currency}, advertised {amount} "
                 "{currency}/{unit})").format(**values, amount=render.amount(p.advertised_rate),
                                              unit=vocab.shown("hour" if p.pay_model == "hourly" else "task"))
    click.echo(said + (f" {fresh}" if fresh else ""))
    click.echo(_("next: taskerlog rate {platform} {project} RATE  (the rate it pays now)").format(
        platform=_q(p.platform), project=_q(p.project)))


def _rate_now(r: dict) -> str:
    """A project's rate in effect (a row of ``project list``): ``0.05/task``, ``20.00/hour (training only)``."""
    if not r["current_rate"]:
        return ""
    rate = f"{render.amount(r['current_rate'])}/{vocab.shown(r['current_rate_unit'])}"
    if not r["current_rate_applies_to"]:
        return rate
    return _("{rate} ({kinds} only)").format(rate=rate, kinds=_kinds(r["current_rate_applies_to"]))




def _q(s: str) -> str:
    return f'"{s}"' if " " in s else s


@project.command("list", help=N_("List your projects with their current rate."),
    example="taskerlog project list --all")
@option("--all", "show_all", is_flag=True, help=N_("Include projects that have ended."))
@JSON_OPT
@pass_ctx
@friendly_errors
def project_list(c: Context, show_all, as_json):
    f = c.store.frames(work_ids=[])  # projects and rates; no work entries needed
    now = timeutil.now_epoch()
    rates = f.rates.to_dict("records")
    rows = []
    for p in f.projects.to_dict("records"):
        if p["ended_on"] is not None and not show_all:
            continue
        last = usecases.rate_now(rates, p["platform"], p["project"], now)
        rows.append({
            "platform": p["platform"], "project": p["project"], "pay_model": p["pay_model"],
            "currency": p["currency"],
            "advertised_rate": money.format_micros(_int(p["advertised_rate_micros"])),
            "current_rate": money.format_amount(last["rate"]) if last else None,
            "current_rate_unit": last["unit"] if last else None,
            "current_rate_applies_to": last["applies_to"].split(";") if last and last["applies_to"] else None,
            "started_on": _iso(p["started_on"]), "ended_on": _iso(p["ended_on"]), "end_reason": p["end_reason"],
        })
    if as_json:
        emit_json(rows)
        return
    click.echo(render.table(
        [_("platform"), _("project"), _("pay"), _("currency"), _("advertised"), _("rate now"), _("started"),
         _("ended")],
        [[r["platform"], r["project"], vocab.shown(r["pay_model"]), r["currency"], render.amount(r["advertised_rate"]),
          _rate_now(r), r["started_on"],
          (f"{r['ended_on']} ({vocab.shown(r['end_reason'])})" if r["ended_on"] else "")] for r in rows],
        empty=_("no projects yet; add one with: taskerlog project add PLATFORM PROJECT"),
    ))


@project.command("rates", help=N_(
    "Rate history: each rate as it took effect, with the change from the one before (%)."),
    example="taskerlog project rates Outlier \"Genesis Dolphin\"")
@click.argument("platform", required=False)
@click.argument("name", metavar="[PROJECT]", required=False)
@JSON_OPT
@pass_ctx
@friendly_errors
def project_rates(c: Context, platform, name, as_json):
    store = c.store
    rows = usecases.rate_history(store.frames(work_ids=[]).rates, store.settings().timezone, platform, name)
    if as_json:
        emit_json(rows)
        return
    click.echo(render.table(
        [_("from"), _("platform / project"), _("kinds"), _("rate"), _("per"), _("currency"), _("change"), _("note")],
        [[r["when"], f"{r['platform']} / {r['project']}", _kinds(r["applies_to"]) or _("all paid"),
          render.amount(r["rate"]), vocab.shown(r["unit"]), r["currency"],
          vocab.shown(r["change"]) if r["change_pct"] is None
          else f"{vocab.shown(r['change'])} {render.signed_percent(r['change_pct'])}",
          r["note"]] for r in rows],
        empty=_("no rates yet; add one with: taskerlog rate PLATFORM PROJECT RATE")))


def _kinds(applies_to: str | tuple[str, ...]) -> str:
    """Kinds a rate pays (stored ``;``-joined) for reading: ``review, training``."""
    kinds = applies_to.split(";") if isinstance(applies_to, str) else applies_to
    return ", ".join(vocab.shown(k) for k in kinds if k)




def _int(v) -> int | None:
    import pandas as pd

    return None if v is None or pd.isna(v) else int(v)


def _iso(d) -> str | None:
    return d.isoformat() if isinstance(d, dt.date) else None


@project.command("end", help=N_("Record that a project ended, and why."),
    example="taskerlog project end Outlier \"Genesis Dolphin\" --reason removed --on 2026-03-05")
@click.argument("platform")
@click.argument("name", metavar="PROJECT")
@option("--reason", type=click.Choice(END_REASONS), required=True,
        help=N_("{finished}, {removed} (e.g. 'quality issue'), {quit} or {paused}."),
        help_values=dict(zip(END_REASONS, END_REASONS)))
@option("--on", "on", help=N_("The last day of the project (default: today)."))
@pass_ctx
@friendly_errors
def project_end(c: Context, platform, name, reason, on):
    store = c.store
    now = timeutil.now_epoch()
    need_project(store, platform, name)
    day = parse_day(on, store.settings().timezone, now, option="--on")
    row = store.project_row(platform, name)
    if row["started_on"] and day < dt.date.fromisoformat(row["started_on"]):
        raise CLIError(_("--on: {day} is before the project started ({start}); give a later day").format(
            day=day, start=row["started_on"]))
    store.update("projects", row["id"], {"ended_on": day.isoformat(), "end_reason": reason}, "manual")
    click.echo(_("{platform} / {project}: ended on {day} ({reason})").format(
        platform=platform, project=name, day=day, reason=vocab.shown(reason)))


#: a negative amount ("-5") reaches the amount parser, which says why it is refused,
#: instead of being read as an unknown option
NUMBERS_ARGS = {"ignore_unknown_options": True}


# -- rates -----------------------------------------------------------------------------
@command(context_settings=NUMBERS_ARGS, help=N_(
    "Record a project's rate from a moment on (a raise, a cut, a training rate)."),
    example="taskerlog rate Outlier \"Genesis Dolphin\" 20 --from 2026-03-04 --note \"announced as a mistake\"")
@click.argument("platform")
@click.argument("name", metavar="PROJECT")
@click.argument("amount", metavar="RATE")
@option("--unit", type=click.Choice(RATE_UNITS), help=N_("{hour} or {task} (default: from the project's pay model)."),
        help_values=dict(zip(RATE_UNITS, RATE_UNITS)))
@option("--currency", help=N_("Currency of the rate (default: the project's)."))
@option("--from", "start", help=N_("When it took effect: 2026-03-04, '2026-03-04 09:00', 14:30 (default: now)."))
@option("--applies-to", help=N_("Kinds it pays, ';'-separated (default: all billable). Kinds: {kinds}."),
        help_values={"kinds": ", ".join(KINDS)})
@option("--note", help=N_('What was said, e.g. "announced as a mistake".'))
@JSON_OPT
@pass_ctx
@friendly_errors
def rate(c: Context, platform, name, amount, unit, currency, start, applies_to, note, as_json):
    store = c.store
    now = timeutil.now_epoch()
    tz = store.settings().timezone
    need_project(store, platform, name)
    prow = store.project_row(platform, name)
    value = parse_money(amount, option="RATE")
    r = Rate(
        platform=platform, project=name, rate=value,
        effective_at=now if start is None else parse_when(start, tz, now, option="--from", allow_date=True),
        unit=unit or ("hour" if prow["pay_model"] == "hourly" else "task"),
        currency=parse_currency(currency, option="--currency") or prow["currency"],
        applies_to=_applies(applies_to), note=note,
    )
    before = usecases.replaced_rate(store, r)
    rid = store.add_rate(r)
    change = usecases.rate_change_pct(r.rate, before)
    if as_json:
        emit_json({"id": rid, **r.model_dump(mode="json"),
                   "previous_rate": money.format_amount(before),
                   "change_pct": None if change is None else float(change)})
        return
    when = timeutil.to_local(r.effective_at, tz).strftime("%Y-%m-%d %H:%M")
    values = dict(platform=platform, project=name, rate=render.amount(r.rate), currency=r.currency,
                  unit=vocab.shown(r.unit), day=when)
    if applies_to is None:
        said = _("{platform} / {project}: {rate} {currency}/{unit} from {day}").format(**values)
    else:
        said = _("{platform} / {project}: {rate} {currency}/{unit} for {kinds} from {day}").format(
            **values, kinds=_kinds(r.applies_to))
    click.echo(said + render.rate_was(before, change))


def _applies(text: str | None):
    if text is None:
        return None
    from ..model import parse_applies_to
    try:
        return parse_applies_to(text.replace(",", ";"))
    except ValueError as exc:
        raise CLIError(f"--applies-to: {exc}") from exc


# -- money in and out --------------------------------------------------------------------
@command(context_settings=NUMBERS_ARGS, help=N_("Record money a platform sent you (gross, before fees)."),
    example=("taskerlog payout Outlier 185 --fee 3.50 --method M-Pesa --received-amount 23400 --received-currency KES",
             "taskerlog payout Outlier 60 --on 2026-03-03 --for-earlier-work"))
@click.argument("platform")
@click.argument("amount")
@option("--currency", help=N_("Currency of AMOUNT (default: the currency the platform's projects pay in, else home)."))
@option("--fee", help=N_("Fees taken out of it (same currency)."))
@option("--method", help=N_("How it was paid: PayPal, Payoneer, M-Pesa, bank ..."))
@option("--received-amount", help=N_("What actually arrived after conversion."))
@option("--received-currency", help=N_("Currency of --received-amount (default: home currency)."))
@option("--on", "on", help=N_("When it was paid: 2026-03-09, '2026-03-09 10:00' (default: now)."))
@option("--reference", help=N_("The payment's reference or transaction id."))
@option("--note")
@option("--for-earlier-work", is_flag=True,
        help=N_("It pays for work done before you started this logbook (your first payout, usually): "
                "kept out of paid out, fees and outstanding, shown as paid out for earlier work."))
@JSON_OPT
@pass_ctx
@friendly_errors
def payout(c: Context, platform, amount, currency, fee, method, received_amount, received_currency, on,
           reference, note, for_earlier_work, as_json):
    store = c.store
    now = timeutil.now_epoch()
    s = store.settings()
    cur = parse_currency(currency, option="--currency") or _platform_currency(store, platform) or s.home_currency
    got = parse_money(received_amount, option="--received-amount")
    got_cur = parse_currency(received_currency, option="--received-currency")
    try:
        got_cur = received_in(got, got_cur, s.home_currency)
    except ValueError as exc:
        raise CLIError(f"--received-currency: {exc}") from None
    p = Payout(
        platform=platform, amount=parse_money(amount, option="AMOUNT"), currency=cur,
        fee=parse_money(fee, option="--fee") or Decimal(0), method=method, received_amount=got,
        received_currency=got_cur,
        paid_at=now if on is None else parse_when(on, s.timezone, now, option="--on", allow_date=True),
        reference=reference, note=note, for_earlier_work=for_earlier_work,
    )
    fresh = new_platform_note(store, platform)
    first = store.first_work_start(platform)
    pid = store.add_payout(p)
    if as_json:
        emit_json({"id": pid, **p.model_dump(mode="json")})
        return
    # each detail a phrase of its own after the amount (a list, not a sentence built of pieces)
    details = ""
    if p.fee:
        details += ", " + _("fee {amount}").format(amount=render.amount(p.fee))
    if p.received_amount is not None:
        details += ", " + _("received {amount} {currency}").format(amount=render.amount(p.received_amount),
                                                                  currency=p.received_currency)
    if p.method:
        details += " " + _("by {method}").format(method=p.method)
    if p.for_earlier_work:
        details += ", " + _("for work done before this logbook")
    # Translators: {details} is the list of fee, received amount, method ("fee 3.50, received ... by M-Pesa")
    click.echo(_("payout from {platform}: {amount} {currency}{details} on {day}").format(
        platform=platform, amount=render.amount(p.amount), currency=p.currency, details=details,
        day=timeutil.to_local(p.paid_at, s.timezone).date()) + (f" {fresh}" if fresh else ""))
    if not p.for_earlier_work and (first is None or p.paid_at < first):
        click.echo(_("note: {hint} To mark it: taskerlog record edit payouts {id} for_earlier_work=yes").format(
            hint=render.before_logbook_hint(platform), id=pid))


def _platform_currency(store, platform: str) -> str | None:
    fid = store.platform_id(platform, create=False)
    curs = {p["currency"] for p in store.rows("projects") if p["platform_id"] == fid} if fid is not None else set()
    return curs.pop() if len(curs) == 1 else None


@command(context_settings=NUMBERS_ARGS, help=N_(
    "Record a cost of doing the work (it is taken off your net hourly wage)."),
    example="taskerlog expense 250 --category internet --currency KES --on 2026-03-01")
@click.argument("amount")
@option("--category", required=True, help=N_("What it was: internet, electricity, equipment, cybercafe ..."))
@option("--currency", help=N_("Currency (default: your home currency)."))
@option("--platform", help=N_("Only when the cost was for one platform's work (default: shared by all)."))
@option("--on", "on", help=N_("The day (default: today)."))
@option("--note")
@JSON_OPT
@pass_ctx
@friendly_errors
def expense(c: Context, amount, category, currency, platform, on, note, as_json):
    store = c.store
    now = timeutil.now_epoch()
    s = store.settings()
    e = Expense(
        amount=parse_money(amount, option="AMOUNT"), category=category,
        currency=parse_currency(currency, option="--currency") or s.home_currency,
        platform=platform, date=parse_day(on, s.timezone, now, option="--on"), note=note,
    )
    eid = store.add_expense(e)
    if as_json:
        emit_json({"id": eid, **e.model_dump(mode="json")})
        return
    values = dict(amount=render.amount(e.amount), currency=e.currency, category=e.category, day=e.date)
    click.echo(_("expense: {amount} {currency} for {category} on {day} ({platform})").format(
        **values, platform=e.platform) if e.platform else
        _("expense: {amount} {currency} for {category} on {day} (shared by all work)").format(**values))


@command(context_settings=NUMBERS_ARGS, help=N_(
    "Record an exchange rate: one unit of CURRENCY is worth RATE of your home currency.\n\n"
    "With no arguments, list the rates recorded."),
    example="taskerlog fx USD 129.50 --on 2026-03-01")
@click.argument("currency", required=False)
@click.argument("value", metavar="RATE", required=False)
@option("--on", "on", help=N_("The day the rate is from (default: today)."))
@JSON_OPT
@pass_ctx
@friendly_errors
def fx(c: Context, currency, value, on, as_json):
    store = c.store
    now = timeutil.now_epoch()
    s = store.settings()
    if currency is None:
        rows = [{"date": r["date"].isoformat(), "currency": r["currency"], "rate": money.plain(r["rate"])}
                for r in store.frames(work_ids=[]).fx.to_dict("records")]
        if as_json:
            emit_json(rows)
        else:
            click.echo(render.table([_("date"), _("currency"), _("in {currency}").format(currency=s.home_currency)],
                                    [[r["date"], r["currency"], r["rate"]] for r in rows],
                                    empty=_("no exchange rates yet; add one with: taskerlog fx USD 129.50")))
        return
    if value is None:
        raise CLIError(_("RATE: say what one {currency} is worth in {home}, e.g. taskerlog fx {currency} 129.50")
                       .format(currency=currency.upper(), home=s.home_currency))
    f = FxRate(currency=parse_currency(currency, option="CURRENCY"), rate=parse_fx_rate(value, option="RATE"),
               date=parse_day(on, s.timezone, now, option="--on"))
    if f.currency == s.home_currency:
        raise CLIError(_("CURRENCY: {currency} is your home currency; it needs no exchange rate").format(
            currency=f.currency))
    fid = store.add_fx(f)
    if as_json:
        emit_json({"id": fid, **f.model_dump(mode="json"), "rate": money.plain(f.rate)})
        return
    click.echo(f"{f.date}: 1 {f.currency} = {money.plain(f.rate)} {s.home_currency}")


# -- settings ----------------------------------------------------------------------------
@command(help=N_("Show or change the logbook's settings (with no option: show them)."),
    example="taskerlog settings --home-currency KES --timezone Africa/Nairobi --reference-wage 1.50 --reference-currency USD")
@option("--home-currency", help=N_("The currency all figures are reported in (KES, PHP, USD ...)."))
@option("--timezone", help=N_("Your time zone, e.g. Africa/Nairobi (days and weeks are counted in it)."))
@option("--reference-wage", help=N_("A legal minimum or target hourly wage to compare with ('none' to clear)."))
@option("--reference-currency", help=N_("Currency of the reference wage (default: home currency)."))
@option("--reference-label", help=N_('What the reference is, e.g. "Kenya minimum wage 2026".'))
@option("--long-clock-hours", help=N_("Ask 'still working?' about a clock running longer than this (default 8)."))
@option("--language", help=N_("The language to speak: en, es, pt_BR, fr or sw, optionally with a country "
                              "(es_VE, sw_KE) for how numbers are written; 'system' follows the computer's."))
@JSON_OPT
@pass_ctx
@friendly_errors
def settings(c: Context, home_currency, timezone, reference_wage, reference_currency, reference_label,
             long_clock_hours, language, as_json):
    from .. import everyday

    store = c.store
    current = store.settings()
    changes: dict = {}
    if long_clock_hours is not None:  # checked before anything is saved
        try:
            long_clock_hours = everyday.check_long_clock_hours(long_clock_hours)
        except ValueError as exc:
            raise CLIError(f"--long-clock-hours: {exc}") from exc
    if home_currency is not None:
        changes["home_currency"] = parse_currency(home_currency, option="--home-currency")
    if timezone is not None:
        try:
            timeutil.zone(timezone)
        except ValueError as exc:
            raise CLIError(f"--timezone: {exc}") from exc
        changes["timezone"] = timezone
    if reference_wage is not None:
        changes["reference_wage"] = (None if reference_wage.strip().lower() in ("", "none")
                                     else parse_money(reference_wage, option="--reference-wage"))
    if reference_currency is not None:
        changes["reference_currency"] = parse_currency(reference_currency, option="--reference-currency")
    if reference_label is not None:
        changes["reference_label"] = reference_label or None
    if language is not None:
        try:
            changes["language"] = None if language.strip().lower() in ("", "system") else i18n.check_language(language)
        except ValueError as exc:
            raise CLIError(f"--language: {exc}") from exc
    if changes:
        new = Logbook(**{**current.model_dump(), **changes})
        store.set_settings(new)
        current = store.settings()
        i18n.set_language(store.language())
    if long_clock_hours is not None:
        everyday.set_long_clock_hours(store, long_clock_hours)
        changes["long_clock_hours"] = long_clock_hours
    long_h = everyday.long_clock_hours(store)
    if as_json:
        emit_json({**current.model_dump(mode="json"), "long_clock_hours": format(long_h.normalize(), "f")})
        return
    ref = _("not set")
    if current.reference_wage is not None:
        ref = _("{amount} {currency}/hour").format(amount=render.amount(current.reference_wage),
                                                  currency=current.reference_currency or current.home_currency)
        if current.reference_label:
            ref = _("{wage} ({label})").format(wage=ref, label=current.reference_label)
    if changes:
        click.echo(_("saved."))
    click.echo(render.pairs([(_("home currency"), current.home_currency), (_("time zone"), current.timezone),
                             (_("reference wage"), ref),
                             (_("still working? after"), _("{hours} h of a running clock").format(
                                 hours=render.local(format(long_h.normalize(), "f")))),
                             (_("language"), i18n.describe(current.language)),
                             (_("logbook"), str(store.path))], indent=""))


# -- fixing and deleting records ------------------------------------------------------
@group(help=N_(
    "Fix or delete a project, rate, payout, expense, empty-queue period or exchange rate.\n\n"
    "Fields are named as the CSV bundle's columns (see `taskerlog export`). Every change is journaled "
    "with the old values; work entries have `taskerlog edit` and `taskerlog delete`."),
    example="taskerlog record edit payouts 3 amount=125.00")
def record() -> None:
    pass


TABLE_ARG = click.argument("table", metavar="KIND", type=click.Choice(records.TABLES))


@record.command("list", help=N_("List the records of one kind with their numbers."),
    example="taskerlog record list payouts")
@TABLE_ARG
@JSON_OPT
@pass_ctx
@friendly_errors
def record_list(c: Context, table: str, as_json: bool) -> None:
    rows = records.listing(c.store, table)
    if as_json:
        emit_json(rows)
        return
    fields = ["id", *records.SPECS[table].fields]  # the bundle's column names: what record edit takes
    click.echo(render.table(fields, [[r[f] for f in fields] for r in rows],
                            empty=_("no {table} yet").format(table=table)))


@record.command("edit", help=N_(
    "Change fields of a record (FIELD= with nothing after it clears a field)."),
    example="taskerlog record edit payouts 3 amount=125.00 note=\"typo: was 1250\"")
@TABLE_ARG
@click.argument("record_id", metavar="ID", type=int)
@click.argument("changes", metavar="FIELD=VALUE...", nargs=-1, required=True)
@JSON_OPT
@pass_ctx
@friendly_errors
def record_edit(c: Context, table: str, record_id: int, changes: tuple[str, ...], as_json: bool) -> None:
    parsed = {}
    for item in changes:
        field, sep, value = item.partition("=")
        if not sep:
            raise CLIError(_("'{item}' is not FIELD=VALUE; e.g. amount=125.00").format(item=item))
        parsed[field.strip()] = value
    after = records.edit(c.store, table, record_id, parsed, "manual")
    if as_json:
        emit_json({"id": record_id, **after})
    else:
        click.echo(_("{what} #{id} is now: {fields} (the journal keeps the old values)").format(
            what=_record_word(table), id=record_id, fields=", ".join(f"{k}={v}" for k, v in after.items() if v)))


@record.command("delete", help=N_(
    "Delete a record; the journal keeps its values, so the deletion can be seen and checked."),
    example="taskerlog record delete expenses 4 --yes")
@TABLE_ARG
@click.argument("record_id", metavar="ID", type=int)
@option("--yes", is_flag=True, help=N_("Do not ask for confirmation."))
@pass_ctx
@friendly_errors
def record_delete(c: Context, table: str, record_id: int, yes: bool) -> None:
    what = dict(what=_record_word(table), id=record_id, table=table)
    shown = records.shown(c.store, table, record_id) if c.store.get(table, record_id) else None
    if shown is None:
        raise CLIError(_("there is no {what} #{id}; see the numbers with: taskerlog record list {table}")
                       .format(**what))
    what["fields"] = ", ".join(f"{k}={v}" for k, v in shown.items() if v)
    if not yes:
        click.confirm(_("delete {what} #{id} ({fields})?").format(**what), abort=True)
    records.delete(c.store, table, record_id, "manual")
    click.echo(_("deleted {what} #{id} ({fields}); the journal keeps its values").format(**what))


def _record_word(table: str) -> str:
    """What one record of a table is called (``payout``, ``exchange rate``) in the language in use."""
    return {"projects": pgettext("record", "project"), "rates": pgettext("record", "rate"),
            "payouts": pgettext("record", "payout"), "expenses": pgettext("record", "expense"),
            "eq": pgettext("record", "empty-queue period"), "fx": pgettext("record", "exchange rate"),
            }.get(table, records.SPECS[table].what)
