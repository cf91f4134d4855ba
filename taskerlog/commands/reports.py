"""``metrics`` (the figures of metrics.md, JSON or a readable summary) and ``status``
(what is running now, today and this week). Both are thin shells over ``metrics.compute``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import click

from .. import render, timeutil, vocab
from ..i18n import N_, _, ngettext
from ._base import CLIError, Context, emit_json, friendly_errors, pass_ctx
from ._click import command, option
from ._common import parse_day, parse_money
from .daily import clock_lines, clock_rows

JSON_OPT = option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))


def _compute(frames, **kw) -> dict[str, Any]:
    """metrics.compute with a missing exchange rate (or any figure that cannot be made) as one line."""
    from .. import metrics as core_metrics

    try:
        return core_metrics.compute(frames, **kw)
    except core_metrics.MetricsError as exc:
        raise CLIError(str(exc)) from exc


@command(help=N_(
    "What the work really paid: every definition of working time side by side.\n\n"
    "With --json, one JSON object whose keys are the names in metrics.md (the stable contract for "
    "scripts), with {by_project} and {by_week} lists."),
    example="taskerlog metrics --from 2026-03-01 --to 2026-03-07 --reference-wage 15",
    help_values={"by_project": "by_project", "by_week": "by_week"})  # typed: kept out of the catalogues' words
@option("--from", "date_from", help=N_("First day of the period (YYYY-MM-DD)."))
@option("--to", "date_to", help=N_("Last day of the period, inclusive (YYYY-MM-DD)."))
@option("--platform", help=N_("Only this platform."))
@option("--project", help=N_("Only this project."))
@option("--reference-wage",
        help=N_("Hourly wage to compare with, in your home currency (default: the logbook's reference wage)."))
@option("--breakdown/--no-breakdown", default=True, show_default=True,
        help=N_("Show the by-project and by-week tables (JSON always has them)."))
@JSON_OPT
@pass_ctx
@friendly_errors
def metrics(c: Context, date_from, date_to, platform, project, reference_wage, breakdown, as_json):
    store = c.existing_store
    now = timeutil.now_epoch()
    s = store.settings()
    d0 = None if date_from is None else parse_day(date_from, s.timezone, now, option="--from")
    d1 = None if date_to is None else parse_day(date_to, s.timezone, now, option="--to")
    if d0 and d1 and d1 < d0:
        raise CLIError(_("--to: {last} is before --from {first}; give a later day").format(last=d1, first=d0))
    frames = store.frames(detail=False)  # the figures never read notes, ids or when entries were recorded
    if platform is not None and platform not in set(frames.work["platform"]) | set(frames.projects["platform"]) \
            | set(frames.eq["platform"]) | set(frames.payouts["platform"]):
        known = ", ".join(sorted(set(frames.projects["platform"]) | set(frames.work["platform"])))
        raise CLIError(_("--platform: no records for '{platform}'; platforms in this logbook: {known}").format(
            platform=platform, known=known) if known else
            _("--platform: no records for '{platform}'; this logbook has no platforms yet").format(platform=platform))
    if project is not None and project not in set(frames.projects["project"]):
        raise CLIError(_("--project: there is no project '{project}'; see: taskerlog project list --all").format(
            project=project))
    if reference_wage is not None:
        ref, ref_cur = parse_money(reference_wage, option="--reference-wage"), s.home_currency
    else:
        ref, ref_cur = s.reference_wage, (s.reference_currency or s.home_currency)
    result = _compute(frames, date_from=d0, date_to=d1, platform=platform, project=project,
                      reference_wage=ref, reference_currency=ref_cur if ref is not None else None,
                      breakdowns=True, today=timeutil.to_local(now, s.timezone).date())
    if as_json:
        emit_json(result)
        return
    label = None
    if ref is not None:
        label = _("{amount} {currency}/h").format(amount=render.amount(ref), currency=ref_cur)
        if reference_wage is None and s.reference_label:
            label = _("{wage} ({label})").format(wage=label, label=s.reference_label)
    click.echo(summary(result, reference_label=label, breakdown=breakdown))


def summary(m: dict[str, Any], *, reference_label: str | None = None, breakdown: bool = True) -> str:
    """The metrics object as text a worker, an organizer or a lawyer can read."""
    cur = m.get("home_currency", "")
    lines: list[str] = []
    first, last = m.get("period_from"), m.get("period_to")
    scope = " / ".join(x for x in (m.get("platform"), m.get("project")) if x) or _("all platforms")
    # one whole sentence for each open end: "the beginning" and "now" take other words around them
    # in other languages than a day does ("du 2026-03-01", "depuis le début")
    if first and last:
        period = _("Period: {first} to {last} ({scope}); money in {currency}")
    elif first:
        period = _("Period: {first} to now ({scope}); money in {currency}")
    elif last:
        period = _("Period: the beginning to {last} ({scope}); money in {currency}")
    else:
        period = _("Period: the beginning to now ({scope}); money in {currency}")
    lines.append(period.format(first=first, last=last, scope=scope, currency=cur))
    lines.append("")
    lines.append(_("Time (overlapping entries are counted once)"))
    unpaid = m.get("unpaid_hours_by_kind") or {}
    why = ", ".join(f"{vocab.shown(k)} {render.figure(v)}" for k, v in unpaid.items())
    share = m.get("unpaid_share")
    lines.append(render.pairs([
        (_("hours worked (all logged time)"), render.hours(m.get("hours_worked"))),
        (_("hours paid (time that earned)"), render.hours(m.get("hours_paid"))),
        (_("hours unpaid"), render.hours(m.get("hours_unpaid"))
         + ("  = " + _("{percent} of the time").format(percent=render.percent(share * 100)) if share is not None else "")
         + (f"  ({why})" if why else "")),
    ]))
    lines.append("")
    # payouts, fees, what is owed, empty queues and expenses belong to platforms, not projects
    whole = m.get("project")

    def wide(label: str) -> str:
        return _("{label} [whole platform]").format(label=label) if whole else label

    lines.append(_("Money ({currency}); with a project chosen, what is marked [whole platform] is its platform's")
                 .format(currency=cur) if whole else _("Money ({currency})").format(currency=cur))
    lines.append(render.pairs([
        (_("earned"), render.figure(m.get("earned")) + (
            "  " + _("(of which pending {amount})").format(amount=render.figure(m.get("pending")))
            if _pos(m.get("pending")) else "")),
        (wide(_("paid out (gross)")), render.figure(m.get("paid_out"))),
        (wide(_("fees")), render.figure(m.get("fees"))),
        (wide(_("expenses")), render.figure(m.get("expenses"))),
        (wide(_("outstanding (earned - paid out, to date)")), render.figure(m.get("outstanding"))),
        *([(_("paid out for earlier work"), render.figure(m.get("paid_out_earlier"))
            + "  " + _("(for work before the logbook began: not in the figures above)"))]
          if _pos(m.get("paid_out_earlier")) else []),
    ]))
    note = render.negative_outstanding_sentence(m.get("outstanding"), line=True)
    if note:
        lines.append("  " + note)
    lines.append("")
    lines.append(_("Hourly pay, by definition of working time ({currency}/hour)").format(currency=cur))
    defined = [
        (_("effective hourly wage"), _("earned / all hours worked"), m.get("effective_hourly_wage")),
        (_("paid hourly rate"), _("earned / paid hours only"), m.get("paid_hourly_rate")),
        (_("net hourly wage"), _("(earned - fees - expenses) / hours worked"), m.get("net_hourly_wage")),
    ]
    if m.get("advertised_rate") is not None:
        defined.append((_("advertised rate"), _("what the project promised"), m.get("advertised_rate")))
        defined.append((_("gap"), _("advertised - effective"), m.get("advertised_gap")))
    width = max(len(name) for name, _how, _v in defined)
    lines.append(render.pairs([(f"{name.ljust(width)} = {how}", render.figure(v)) for name, how, v in defined]))
    if m.get("reference_wage") is not None or reference_label:
        lines.append("")
        lines.append(_("Against the reference wage {wage}").format(
            wage=reference_label or render.figure(m.get("reference_wage"))))
        below = m.get("below_reference")
        lines.append(render.pairs([
            (_("week by week (as the law measures)"), render.weekly_verdict(m, render.figure) or render.figure(None)),
            (_("shortfall (week by week)"), render.figure(m.get("weekly_shortfall"))),
            (_("whole period, averaged: below it"),
             _("yes") if below else (_("no") if below is not None else render.figure(None))),
            (_("whole period, averaged: shortfall"), render.figure(m.get("shortfall"))),
        ]))
    lines.append("")
    lines.append(_("Empty queue and rate changes"))
    eq_share = m.get("eq_share")
    eq_days = int(m.get("eq_days", 0))
    cuts, raises = int(m.get("rate_cuts", 0)), int(m.get("rate_raises", 0))
    lines.append(render.pairs([
        (wide(_("empty-queue days")), f"{eq_days}" + (
            " " + _("({percent} of the period)").format(percent=render.percent(eq_share * 100))
            if eq_share is not None else "")),
        (wide(_("empty-queue episodes")), ngettext("{n}, longest {days} day", "{n}, longest {days} days",
                                                   int(m.get("longest_eq_days", 0))).format(
            n=m.get("eq_episodes", 0), days=m.get("longest_eq_days", 0))),
        (_("rate changes"), _("{n} ({cuts}, {raises})").format(
            n=m.get("rate_changes", 0), cuts=ngettext("{n} cut", "{n} cuts", cuts).format(n=cuts),
            raises=ngettext("{n} raise", "{n} raises", raises).format(n=raises))
         + (", " + _("largest cut {percent}").format(percent=render.percent(m.get("largest_cut_pct"))) if cuts else "")),
        (_("week-to-week variation"), _("wage CV {wage}, earnings CV {earnings}").format(
            wage=render.figure(m.get("weekly_wage_cv")), earnings=render.figure(m.get("weekly_earnings_cv")))),
    ]))
    if breakdown and m.get("by_project"):
        lines.append("")
        lines.append(_("By project"))
        lines.append(render.table(
            [_("platform / project"), _("worked h"), _("paid h"), _("earned"), _("effective/h"), _("paid/h"),
             _("advertised/h")],
            [[(r["platform"] + " / " + r["project"]) if r.get("project")
              else _("{platform} (no project)").format(platform=r["platform"]),
              render.figure(r.get("hours_worked")), render.figure(r.get("hours_paid")), render.figure(r.get("earned")),
              render.figure(r.get("effective_hourly_wage")), render.figure(r.get("paid_hourly_rate")),
              render.figure(r.get("advertised_rate")) if r.get("advertised_rate") is not None else ""]
             for r in m["by_project"]]))
    if breakdown and m.get("by_week"):
        lines.append("")
        lines.append(_("By week"))
        lines.append(render.table(
            [_("week"), _("worked h"), _("paid h"), _("earned"), _("effective/h"), _("EQ days")]
            + ([_("shortfall")] if m.get("reference_wage") is not None else []),
            [[r["week"], render.figure(r.get("hours_worked")), render.figure(r.get("hours_paid")),
              render.figure(r.get("earned")), render.figure(r.get("effective_hourly_wage")), r.get("eq_days", 0)]
             + ([render.figure(r.get("shortfall"))] if m.get("reference_wage") is not None else [])
             for r in m["by_week"]]))
    return "\n".join(lines)


def _pos(v) -> bool:
    try:
        return v is not None and Decimal(str(v)) > 0
    except Exception:
        return False


@command(help=N_(
    "Where you are now: running clocks, today's hours and earnings, this week's real hourly wage."),
    example="taskerlog status")
@JSON_OPT
@pass_ctx
@friendly_errors
def status(c: Context, as_json):
    from .. import everyday

    store = c.store
    now = timeutil.now_epoch()
    s = store.settings()
    tz = s.timezone
    today = timeutil.to_local(now, tz).date()
    clocks = clock_rows(store, now)
    out: dict[str, Any] = {"now": timeutil.format_local(now, tz), "home_currency": s.home_currency,
                           "clocks": clocks, **everyday.today_and_week(store, now)}
    long_h = everyday.long_clock_hours(store)
    long_ones = [r for r in clocks if everyday.is_forgotten(r["started_at"], now, long_h)]
    out["still_working_asked"] = [r["id"] for r in long_ones]  # clocks past the "Still working?" threshold
    forgotten = [everyday.forgotten_warning(r, now, long_h, tz) for r in long_ones]
    if as_json:
        emit_json(out)
        return
    if clocks:
        click.echo(_("Running:"))
        for line in clock_lines(clocks, tz, now):
            click.echo("  " + line)
        for warning in forgotten:
            click.echo(warning, err=True)
    else:
        click.echo(_("No clock running (start one: taskerlog clock start PLATFORM [PROJECT])"))
    if out["problem"]:
        click.echo(_("figures unavailable: {problem}").format(problem=out["problem"]))
        return
    t, wk = out["today"], out["week"]
    cur = s.home_currency

    def per_hour(value) -> str:
        return _("{amount} {currency}/h").format(amount=render.figure(value), currency=cur)

    click.echo("")
    click.echo(_("Today ({day}), not counting running clocks:").format(day=today))
    click.echo(render.pairs([(_("hours worked"), render.hours(t["hours_worked"])),
                             (_("hours paid"), render.hours(t["hours_paid"])),
                             (_("earned"), f"{render.figure(t['earned'])} {cur}")]))
    click.echo(_("This week ({week}, {first} to {last}):").format(week=wk["week"], first=wk["from"], last=wk["to"]))
    click.echo(render.pairs([(_("hours worked"), render.hours(wk["hours_worked"])),
                             (_("hours paid"), render.hours(wk["hours_paid"])),
                             (_("earned"), f"{render.figure(wk['earned'])} {cur}"),
                             (_("effective hourly wage"), per_hour(wk["effective_hourly_wage"])
                              + "  " + _("(earned / all hours worked)")),
                             (_("paid hourly rate"), per_hour(wk["paid_hourly_rate"])
                              + "  " + _("(earned / paid hours only)"))]))
