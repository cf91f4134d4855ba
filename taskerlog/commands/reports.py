"""``metrics`` (the figures of metrics.md, JSON or a readable summary) and ``status``
(what is running now, today and this week). Both are thin shells over ``metrics.compute``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import click

from .. import render, timeutil
from ._base import CLIError, Context, emit_json, friendly_errors, pass_ctx
from ._common import parse_day, parse_money
from .daily import clock_lines, clock_rows

JSON_OPT = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def _compute(frames, **kw) -> dict[str, Any]:
    """metrics.compute with a missing exchange rate (or any figure that cannot be made) as one line."""
    from .. import metrics as core_metrics

    try:
        return core_metrics.compute(frames, **kw)
    except core_metrics.MetricsError as exc:
        raise CLIError(str(exc)) from exc


@click.command()
@click.option("--from", "date_from", help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Last day of the period, inclusive (YYYY-MM-DD).")
@click.option("--platform", help="Only this platform.")
@click.option("--project", help="Only this project.")
@click.option("--reference-wage",
              help="Hourly wage to compare with, in your home currency (default: the logbook's reference wage).")
@click.option("--breakdown/--no-breakdown", default=True, show_default=True,
              help="Show the by-project and by-week tables (JSON always has them).")
@JSON_OPT
@pass_ctx
@friendly_errors
def metrics(c: Context, date_from, date_to, platform, project, reference_wage, breakdown, as_json):
    """What the work really paid: every definition of working time side by side.

    With --json, one JSON object whose keys are the names in metrics.md (the stable
    contract for scripts), with by_project and by_week lists.

    Example: taskerlog metrics --from 2026-03-01 --to 2026-03-07 --reference-wage 15
    """
    store = c.existing_store
    now = timeutil.now_epoch()
    s = store.settings()
    d0 = None if date_from is None else parse_day(date_from, s.timezone, now, option="--from")
    d1 = None if date_to is None else parse_day(date_to, s.timezone, now, option="--to")
    if d0 and d1 and d1 < d0:
        raise CLIError(f"--to: {d1} is before --from {d0}; give a later day")
    frames = store.frames(detail=False)  # the figures never read notes, ids or when entries were recorded
    if platform is not None and platform not in set(frames.work["platform"]) | set(frames.projects["platform"]) \
            | set(frames.eq["platform"]) | set(frames.payouts["platform"]):
        raise CLIError(f"--platform: no records for '{platform}'; platforms in this logbook: "
                       + (", ".join(sorted(set(frames.projects["platform"]) | set(frames.work["platform"]))) or "none"))
    if project is not None and project not in set(frames.projects["project"]):
        raise CLIError(f"--project: there is no project '{project}'; see: taskerlog project list --all")
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
        label = f"{render.amount(ref)} {ref_cur}/h" + (
            f" ({s.reference_label})" if reference_wage is None and s.reference_label else "")
    click.echo(summary(result, reference_label=label, breakdown=breakdown))


def summary(m: dict[str, Any], *, reference_label: str | None = None, breakdown: bool = True) -> str:
    """The metrics object as text a worker, an organizer or a lawyer can read."""
    cur = m.get("home_currency", "")
    lines: list[str] = []
    period = f"{m.get('period_from') or 'the beginning'} to {m.get('period_to') or 'now'}"
    scope = " / ".join(x for x in (m.get("platform"), m.get("project")) if x) or "all platforms"
    lines.append(f"Period: {period} ({scope}); money in {cur}")
    lines.append("")
    lines.append("Time (overlapping entries are counted once)")
    unpaid = m.get("unpaid_hours_by_kind") or {}
    why = ", ".join(f"{k} {render.figure(v)}" for k, v in unpaid.items())
    share = m.get("unpaid_share")
    lines.append(render.pairs([
        ("hours worked (all logged time)", render.hours(m.get("hours_worked"))),
        ("hours paid (time that earned)", render.hours(m.get("hours_paid"))),
        ("hours unpaid", render.hours(m.get("hours_unpaid"))
         + (f"  = {render.percent(share * 100)} of the time" if share is not None else "")
         + (f"  ({why})" if why else "")),
    ]))
    lines.append("")
    # payouts, fees, what is owed, empty queues and expenses belong to platforms, not projects
    wide = " [whole platform]" if m.get("project") else ""
    lines.append(f"Money ({cur})" + ("; with a project chosen, what is marked [whole platform] is its platform's"
                                      if wide else ""))
    lines.append(render.pairs([
        ("earned", render.figure(m.get("earned")) + (f"  (of which pending {render.figure(m.get('pending'))})"
                                                     if _pos(m.get("pending")) else "")),
        ("paid out (gross)" + wide, render.figure(m.get("paid_out"))),
        ("fees" + wide, render.figure(m.get("fees"))),
        ("expenses" + wide, render.figure(m.get("expenses"))),
        ("outstanding (earned - paid out, to date)" + wide, render.figure(m.get("outstanding"))),
        *([("paid out for earlier work", render.figure(m.get("paid_out_earlier"))
            + "  (for work before the logbook began: not in the figures above)")] if _pos(m.get("paid_out_earlier")) else []),
    ]))
    note = render.negative_outstanding_note(m.get("outstanding"))
    if note:
        lines.append(f"  outstanding is {note}")
    lines.append("")
    lines.append(f"Hourly pay, by definition of working time ({cur}/hour)")
    rows = [
        ("effective hourly wage = earned / all hours worked", render.figure(m.get("effective_hourly_wage"))),
        ("paid hourly rate      = earned / paid hours only", render.figure(m.get("paid_hourly_rate"))),
        ("net hourly wage       = (earned - fees - expenses) / hours worked", render.figure(m.get("net_hourly_wage"))),
    ]
    if m.get("advertised_rate") is not None:
        rows.append(("advertised rate       = what the project promised", render.figure(m.get("advertised_rate"))))
        rows.append(("gap                   = advertised - effective", render.figure(m.get("advertised_gap"))))
    lines.append(render.pairs(rows))
    if m.get("reference_wage") is not None or reference_label:
        lines.append("")
        lines.append(f"Against the reference wage {reference_label or render.figure(m.get('reference_wage'))}")
        below = m.get("below_reference")
        lines.append(render.pairs([
            ("week by week (as the law measures)", render.weekly_verdict(m, render.figure) or "n/a"),
            ("shortfall (week by week)", render.figure(m.get("weekly_shortfall"))),
            ("whole period, averaged: below it", "yes" if below else ("no" if below is not None else "n/a")),
            ("whole period, averaged: shortfall", render.figure(m.get("shortfall"))),
        ]))
    lines.append("")
    lines.append("Empty queue and rate changes")
    eq_share = m.get("eq_share")
    lines.append(render.pairs([
        ("empty-queue days" + wide, f"{m.get('eq_days', 0)}" + (f" ({render.percent(eq_share * 100)} of the period)"
                                                          if eq_share is not None else "")),
        ("empty-queue episodes" + wide, f"{m.get('eq_episodes', 0)}, longest {m.get('longest_eq_days', 0)} days"),
        ("rate changes", f"{m.get('rate_changes', 0)} ({m.get('rate_cuts', 0)} cuts, {m.get('rate_raises', 0)} raises)"
         + (f", largest cut {render.percent(m.get('largest_cut_pct'))}" if m.get("rate_cuts") else "")),
        ("week-to-week variation", f"wage CV {render.figure(m.get('weekly_wage_cv'))}, "
                                   f"earnings CV {render.figure(m.get('weekly_earnings_cv'))}"),
    ]))
    if breakdown and m.get("by_project"):
        lines.append("")
        lines.append("By project")
        lines.append(render.table(
            ["platform / project", "worked h", "paid h", "earned", "effective/h", "paid/h", "advertised/h"],
            [[r["platform"] + (" / " + r["project"] if r.get("project") else " (no project)"),
              render.figure(r.get("hours_worked")), render.figure(r.get("hours_paid")), render.figure(r.get("earned")),
              render.figure(r.get("effective_hourly_wage")), render.figure(r.get("paid_hourly_rate")),
              render.figure(r.get("advertised_rate")) if r.get("advertised_rate") is not None else ""]
             for r in m["by_project"]]))
    if breakdown and m.get("by_week"):
        lines.append("")
        lines.append("By week")
        lines.append(render.table(
            ["week", "worked h", "paid h", "earned", "effective/h", "EQ days"]
            + (["shortfall"] if m.get("reference_wage") is not None else []),
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


@click.command()
@JSON_OPT
@pass_ctx
@friendly_errors
def status(c: Context, as_json):
    """Where you are now: running clocks, today's hours and earnings, this week's real hourly wage.

    Example: taskerlog status
    """
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
        click.echo("Running:")
        for line in clock_lines(clocks, tz, now):
            click.echo("  " + line)
        for warning in forgotten:
            click.echo(warning, err=True)
    else:
        click.echo("No clock running (start one: taskerlog clock start PLATFORM [PROJECT])")
    if out["problem"]:
        click.echo(f"figures unavailable: {out['problem']}")
        return
    t, wk = out["today"], out["week"]
    cur = s.home_currency
    click.echo("")
    click.echo(f"Today ({today}), not counting running clocks:")
    click.echo(render.pairs([("hours worked", render.hours(t["hours_worked"])),
                             ("hours paid", render.hours(t["hours_paid"])),
                             ("earned", f"{render.figure(t['earned'])} {cur}")]))
    click.echo(f"This week ({wk['week']}, {wk['from']} to {wk['to']}):")
    click.echo(render.pairs([("hours worked", render.hours(wk["hours_worked"])),
                             ("hours paid", render.hours(wk["hours_paid"])),
                             ("earned", f"{render.figure(wk['earned'])} {cur}"),
                             ("effective hourly wage", f"{render.figure(wk['effective_hourly_wage'])} {cur}/h"
                              "  (earned / all hours worked)"),
                             ("paid hourly rate", f"{render.figure(wk['paid_hourly_rate'])} {cur}/h"
                              "  (earned / paid hours only)")]))
