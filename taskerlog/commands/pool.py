"""Organizers (issue 4): ``taskerlog contribute`` for members, ``taskerlog pool ...`` for organizers.

Thin shells: parse → taskerlog.pool → render. The clock is read here and passed in.
"""

from __future__ import annotations

import functools
import sys
from decimal import Decimal
from pathlib import Path

import click

from .. import money, timeutil
from ..i18n import N_, _
from ._base import CLIError, Context, emit_json, friendly_errors, pass_ctx
from ._click import FilePath, command, group, option

# taskerlog.pool's modules are imported inside the commands: they load pandas, which
# `taskerlog --help` and the everyday commands must not (docs/cli.md)


def _pool_errors(fn):
    """Campaign, contribution and pool errors are worker-facing messages too."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from ..pool import contribution as contrib
        from ..pool import pool as pooling
        from ..pool import publish as publishing
        from ..pool.campaign import CampaignError

        try:
            return fn(*args, **kwargs)
        except (CampaignError, contrib.ContributionError, pooling.PoolError, publishing.PublishError) as exc:
            raise CLIError(str(exc)) from exc

    return wrapper


def _table(rows: list[dict], cols: list[str]) -> str:
    widths = {c: max([len(c)] + [len(str(r.get(c, ""))) for r in rows]) for c in cols}
    lines = ["  ".join(c.ljust(widths[c]) for c in cols)]
    lines += ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in cols) for r in rows]
    return "\n".join(lines)


# -- worker side -------------------------------------------------------------------------------------
PREVIEW_COLUMNS = ["month", "platform", "category", "hours_worked", "hours_paid", "unpaid_hours", "earned",
                   "units", "eq_days", "rate_cuts", "largest_cut_pct"]


@command(help=N_(
    "Make an anonymous contribution to an organizer's campaign from your logbook.\n\n"
    "Only monthly totals per platform and public category leave your machine, rounded, under a pseudonym "
    "that is different for every campaign. Use --preview first to see them."),
    example="taskerlog contribute --campaign dla-2026.json --map \"Outlier/Genesis Dolphin=rating/ranking\" --preview")
@option("--campaign", "campaign_path", required=True, type=FilePath(exists=True),
        help=N_("The campaign file your organizer sent (JSON)."))
@option("--map", "maps", multiple=True, metavar="PLATFORM/PROJECT=CATEGORY",
        help=N_("Put a project into one of the campaign's categories (saved for next time). "
                "PLATFORM/ is time logged without a project; PLATFORM/* every other project; =- stops sharing one."))
@option("--platform", "platforms", multiple=True, metavar="YOURS=CAMPAIGN'S",
        help=N_("Your name for a platform the campaign spells differently (saved)."))
@option("--preview", is_flag=True, help=N_("Show exactly the rows that would leave your machine; write nothing."))
@option("--out", type=FilePath(dir_okay=False), help=N_("Write the contribution file here."))
@option("--as-of", "as_of", help=N_("Count months as complete as if today were this date (default: today)."))
@option("--json", "as_json", is_flag=True, help=N_("With --preview: print the file's JSON instead of a table."))
@pass_ctx
@friendly_errors
@_pool_errors
def contribute(c: Context, campaign_path: str, maps: tuple[str, ...], platforms: tuple[str, ...], preview: bool,
               out: str | None, as_of: str | None, as_json: bool) -> None:
    from ..pool import contribution as contrib
    from ..pool.campaign import load_campaign

    campaign = load_campaign(campaign_path)
    store = c.store
    mapping = contrib.load_mapping(store)
    frames = store.frames()
    known = set(contrib.logbook_projects(frames))
    known_platforms = {pl for pl, _ in known}
    new_projects: dict[tuple[str, str], str] = {}
    for m in maps:
        (pl, pr), cat = contrib.parse_map_option(m)
        if pl not in known_platforms:
            raise CLIError(_("--map {map}: your logbook has no platform '{platform}' (it has: {platforms})").format(
                map=m, platform=pl, platforms=", ".join(sorted(known_platforms))))
        if pr not in ("", "*") and (pl, pr) not in known:
            raise CLIError(_("--map {map}: your logbook has no project '{project}' on {platform}").format(
                map=m, project=pr, platform=pl))
        new_projects[(pl, pr)] = cat if cat in ("", "-") else campaign.category_of(cat)
    new_platforms = {}
    for p in platforms:
        mine, theirs = contrib.parse_platform_option(p)
        cp = campaign.platform_of(theirs)
        if cp is None:
            raise CLIError(_("--platform {platform}: the campaign covers only {platforms}").format(
                platform=p, platforms=", ".join(campaign.platforms)))
        new_platforms[mine] = cp
    if new_projects or new_platforms:
        mapping = mapping.with_(new_projects, new_platforms)
        contrib.save_mapping(store, mapping)
    now = timeutil.now_epoch()
    tz = frames.settings.timezone
    if as_of:
        day = timeutil.parse_date(as_of)
        now = timeutil.local_midnight(day, tz)
    secret = contrib.load_or_create_secret(contrib.secret_path(c.db_path))
    result = contrib.build_contribution(frames, campaign, mapping, secret, now)
    res = contrib.resolve(frames, campaign, mapping)
    if preview or not out:
        if as_json:
            click.echo(result.to_json(), nl=False)
            return
        click.echo(_("Campaign {campaign} ({name}); money in {currency}.").format(
            campaign=campaign.campaign_id, name=campaign.name, currency=campaign.currency))
        click.echo(_("Complete months: {months}. Pseudonym: {pseudonym}...").format(
            months=", ".join(result.months) or _("none yet"), pseudonym=result.pseudonym[:12]))
        # the rows are shown with the contribution file's own (English) column names: exactly what is sent
        click.echo(_("These rows, and nothing else, would leave your machine:"))
        click.echo(_table(contrib.preview_rows(result), PREVIEW_COLUMNS) if result.rows else _("(no rows)"))
        if res.unmapped:
            none = _("(no project)")
            click.echo(_("Not shared (no category): {projects}").format(projects="; ".join(
                f"{pl}/{pr or none}" for pl, pr in res.unmapped)))
        if not out:
            click.echo(_("Nothing written. Add --out FILE to write the contribution file."))
        return
    if not result.rows:
        raise CLIError(_("there is nothing to contribute yet: no work in the campaign's complete months "
                         "on the projects you mapped"))
    path = contrib.write_contribution(result, out)
    click.echo(_("wrote {path}: {rows} rows for {months} months. Send this file to your organizer; it holds only "
                 "what --preview shows.").format(path=path, rows=len(result.rows), months=len(result.months)))



# -- organizer side ------------------------------------------------------------------------------------
@group(help=N_(
    "Organizers: campaigns, pooling members' contributions, and safe reports."),
    example="taskerlog pool report pool-dla-2026 --publish --html report.html")
def pool() -> None:
    pass


@pool.group(help=N_("Campaign files: what members are asked to contribute."),
    example="taskerlog pool campaign new --id dla-2026 --name \"What Outlier pays\" --months 2026-01..2026-06 --platforms Outlier --categories \"rating/ranking,writing\" --out dla-2026.json")
def campaign() -> None:
    pass


@campaign.command("new", help=N_("Write a campaign file to send to members."),
    example="taskerlog pool campaign new --id dla-2026 --name \"What Outlier pays\" --months 2026-01..2026-06 --platforms Outlier --categories \"rating/ranking,writing,audio\" --out dla-2026.json")
@option("--id", "campaign_id", required=True, help=N_("Short id: lower-case letters, digits, '.', '_' or '-'."))
@option("--name", required=True, help=N_("What the campaign is, in words."))
@option("--months", required=True, help=N_("Months covered: 2026-01..2026-06 or 2026-01,2026-02."))
@option("--platforms", required=True, help=N_("Platforms covered, comma-separated."))
@option("--categories", required=True, help=N_("Public project categories, comma-separated."))
@option("--currency", default="USD", show_default=True, help=N_("Reporting currency."))
@option("--fx", "fx", multiple=True, metavar="CUR=RATE",
        help=N_("One unit of CUR in the reporting currency (e.g. KES=0.0077); members without it use their own rates."))
@option("--k", "k", default=5, show_default=True, type=int, help=N_("Fewest workers behind any figure shown."))
@option("--publish-k", default=11, show_default=True, type=int, help=N_("The same for --publish reports."))
@option("--epsilon-total", default="1.0", show_default=True,
        help=N_("The whole privacy budget ε of the campaign's published releases."))
@option("--wage-range", default="0..100", show_default=True, metavar="LOW..HIGH",
        help=N_("Hourly wages (reporting currency) are counted within this range in published quantiles."))
@option("--max-pairs", "max_pairs", default=2, show_default=True, type=int,
        help=N_("At most this many platform × category pairs of one member count in a published release."))
@option("--out", required=True, type=FilePath(), help=N_("The campaign file to write (or a folder)."))
@friendly_errors
@_pool_errors
def campaign_new(campaign_id, name, months, platforms, categories, currency, fx, k, publish_k, epsilon_total,
                 wage_range, max_pairs, out) -> None:
    from ..pool.campaign import Campaign, month_range
    from ..pool.pool import write_campaign

    rates = {}
    for item in fx:
        if "=" not in item:
            raise CLIError(_("--fx {item}: write it as CUR=RATE, e.g. KES=0.0077").format(item=item))
        cur, rate = item.split("=", 1)
        rates[cur.strip()] = rate.strip()
    if ".." not in wage_range:
        raise CLIError(_("--wage-range {range}: write it as LOW..HIGH, e.g. 0..100").format(range=wage_range))
    cam = Campaign(campaign_id=campaign_id, name=name, months=month_range(months), platforms=platforms,
                   categories=categories, currency=currency, fx=rates, k=k, publish_k=publish_k,
                   epsilon_total=epsilon_total, wage_range=tuple(x.strip() for x in wage_range.split("..", 1)),
                   max_pairs_per_member=max_pairs)
    path = write_campaign(cam, out)
    click.echo(_("wrote {path}: {months} months, {platforms} platforms, {categories} categories, k={k} "
                 "(publish {publish_k})").format(path=path, months=len(cam.months), platforms=len(cam.platforms),
                                                  categories=len(cam.categories), k=cam.k, publish_k=cam.publish_k))


@pool.command("add", help=N_(
    "Add members' contribution files to a pool (checked; a resubmission replaces the earlier one).\n\n"
    "Exits 1 if any file was refused, naming each file and what is wrong; the others are added."),
    example="taskerlog pool add pool-dla-2026 inbox/*.json --campaign dla-2026.json")
@click.argument("pool_dir", type=FilePath(file_okay=False))
@click.argument("files", nargs=-1, required=True, type=FilePath(dir_okay=False))
@option("--campaign", "campaign_path", type=FilePath(exists=True),
        help=N_("The campaign file (needed the first time, to start the pool folder)."))
@friendly_errors
@_pool_errors
def pool_add(pool_dir: str, files: tuple[str, ...], campaign_path: str | None) -> None:
    from ..pool import pool as pooling
    from ..pool.campaign import load_campaign

    if campaign_path:
        pooling.init_pool(pool_dir, load_campaign(campaign_path))
    res = pooling.add_contributions(pool_dir, files)
    click.echo(_("added {added}, replaced {replaced}, refused {refused}").format(
        added=res.added, replaced=res.replaced, refused=len(res.problems)))
    for p in res.problems:
        click.echo(p, err=True)
    if res.problems:
        sys.exit(1)


@pool.command("report", help=N_(
    "The organizer's working view (not for publication): exact figures, none on fewer than k workers.\n\n"
    "Anything that leaves the organization must come from `taskerlog pool publish`."),
    example="taskerlog pool report pool-dla-2026 --publish --reference-wage 7.25 --html report.html --csv report.csv")
@click.argument("pool_dir", type=FilePath(file_okay=False, exists=True))
@option("--k", "k", type=int, help=N_("Fewest workers behind any figure (at least the campaign's k)."))
@option("--publish", is_flag=True, help=N_("Use the campaign's publish_k (default 11). Still the organizer's "
                                           "working view, not for publication: use `taskerlog pool publish` for that."))
@option("--reference-wage", help=N_("An hourly wage in the reporting currency: show the share of workers below it."))
@option("--csv", "csv_out", type=FilePath(dir_okay=False), help=N_("Write the released figures as CSV."))
@option("--html", "html_out", type=FilePath(dir_okay=False), help=N_("Write a printable HTML page."))
@option("--json", "as_json", is_flag=True, help=N_("Print the released figures as JSON."))
@friendly_errors
@_pool_errors
def pool_report(pool_dir: str, k: int | None, publish: bool, reference_wage: str | None, csv_out: str | None,
                html_out: str | None, as_json: bool) -> None:
    from ..pool import pool as pooling
    from ..pool import report as rendering

    cam = pooling.open_pool(pool_dir)
    if publish and k is not None and k < cam.publish_k:
        raise CLIError(_("--publish needs k of at least {k}").format(k=cam.publish_k))
    ref = None if reference_wage is None else money.parse_amount(reference_wage)
    rows = pooling.load_rows(pool_dir, cam)
    rep = pooling.report(rows, cam, k=k, publish=publish, reference_wage=ref)
    if _write_outputs(rendering, rep, csv_out, html_out, as_json):
        return
    recs = rendering.records(rep)
    cols = ["level", "platform", "category", "month", "workers", "wage_p25", "wage_median", "wage_p75",
            "unpaid_share_pct", "eq_days_median", "rate_cut_share_pct"]
    if ref is not None:
        cols.append("below_reference_share_pct")
    click.echo(_("{view}. {name} ({campaign}), money in {currency}, k={k}: every figure describes at least {k} "
                 "workers; smaller groups and groups that would reveal them are left out. To publish, use "
                 "`taskerlog pool publish`.").format(view=_(rendering.WORKING_VIEW).upper(), name=cam.name,
                                                     campaign=cam.campaign_id, currency=cam.currency, k=rep.k))
    click.echo(_table(recs, cols) if recs else _("Nothing can be shown yet: no group has {k} workers.").format(k=rep.k))
    for label, path in (("CSV", csv_out), ("HTML", html_out)):
        if path:
            click.echo(_("wrote {what} to {path}").format(what=label, path=path))


PUBLISH_COLUMNS = ["level", "platform", "category", "month", "status", "workers", "workers_margin", "wage_p25",
                   "wage_median", "wage_p75", "unpaid_share", "rate_cut_share"]


def _choice_list(text: str | None, allowed, what: str) -> list[str] | None:
    if not text:
        return None
    items = [x.strip() for x in text.split(",") if x.strip()]
    bad = [x for x in items if allowed is not None and x not in allowed]
    if bad:
        raise CLIError(_("--{option}: {bad} not known; use some of: {allowed}").format(
            option=what, bad=", ".join(bad), allowed=", ".join(allowed)))
    return items


@pool.command("publish", help=N_(
    "Publish differentially private figures, spending part of the campaign's privacy budget.\n\n"
    "The only output meant to leave the organization. Every release is recorded in the pool's ledger "
    "(when, what, ε); publishing refuses once the budget is spent. The release is also kept in the pool "
    "folder (releases/), so it can be printed again without spending more."),
    example="taskerlog pool publish pool-dla-2026 --epsilon 0.25 --reference-wage 7.25 --html release.html --csv release.csv")
@click.argument("pool_dir", type=FilePath(file_okay=False, exists=True))
@option("--epsilon", required=True, help=N_("How much of the campaign's privacy budget ε this publication spends."))
@option("--reference-wage", help=N_("An hourly wage in the reporting currency: publish the share of members below it."))
@option("--levels", help=N_("Which group levels to publish (default all): cell,category,month,platform."))
@option("--months", "months_text", help=N_("Publish the month-wise groups only for these months "
                                           "(e.g. 2026-06 or 2026-04..2026-06); cheaper in budget."))
@option("--csv", "csv_out", type=FilePath(dir_okay=False), help=N_("Write the release as CSV."))
@option("--html", "html_out", type=FilePath(dir_okay=False), help=N_("Write the release as a printable HTML page."))
@option("--json", "as_json", is_flag=True, help=N_("Print the release as JSON."))
@friendly_errors
@_pool_errors
def pool_publish(pool_dir: str, epsilon: str, reference_wage: str | None, levels: str | None,
                 months_text: str | None, csv_out: str | None, html_out: str | None, as_json: bool) -> None:
    from ..pool import pool as pooling
    from ..pool import publish as publishing
    from ..pool.campaign import month_range

    from decimal import Decimal, InvalidOperation
    import datetime as dt

    try:
        eps = Decimal(epsilon.strip())
    except InvalidOperation as exc:
        raise CLIError(_("--epsilon {epsilon}: write a number such as 0.25").format(epsilon=epsilon)) from exc
    ref = None if reference_wage is None else money.parse_amount(reference_wage)
    cam = pooling.open_pool(pool_dir)
    chosen = _choice_list(levels, pooling.LEVELS, "levels") or list(pooling.LEVELS)
    months = month_range(months_text) if months_text else None
    rel = publishing.publish(pool_dir, eps, now=dt.datetime.now(dt.timezone.utc), reference_wage=ref,
                             levels=chosen, months=months)
    _write_release(rel, csv_out, html_out, as_json)
    if not as_json:
        click.echo(_("{name} ({campaign}): published release {number}, kept in {folder}.").format(
            name=cam.name, campaign=cam.campaign_id, number=rel.data["number"],
            folder=Path(pool_dir) / publishing.RELEASES))


def _write_outputs(renderer, what, csv_out: str | None, html_out: str | None, as_json: bool) -> bool:
    """Write the CSV and HTML files a report or release was asked for; print JSON. → whether JSON was printed."""
    if csv_out:
        Path(csv_out).write_text(renderer.to_csv(what), encoding="utf-8")
    if html_out:
        Path(html_out).write_text(renderer.to_html(what), encoding="utf-8")
    if as_json:
        emit_json(renderer.to_json(what))
    return as_json


def _write_release(rel, csv_out: str | None, html_out: str | None, as_json: bool) -> None:
    from ..pool import publish as publishing
    from ..pool import release_report

    if _write_outputs(release_report, rel, csv_out, html_out, as_json):
        return
    click.echo(publishing.budget_text(Decimal(rel.data["epsilon_total"]), Decimal(rel.data["epsilon_spent_total"])))
    recs = release_report.records(rel)
    click.echo(_table(recs, PUBLISH_COLUMNS))
    for label, path in (("CSV", csv_out), ("HTML", html_out)):
        if path:
            click.echo(_("wrote {what} to {path}").format(what=label, path=path))


@pool.command("budget", help=N_(
    "Show the privacy ledger: every release so far (when, what, ε) and the budget left."),
    example="taskerlog pool budget pool-dla-2026")
@click.argument("pool_dir", type=FilePath(file_okay=False, exists=True))
@option("--json", "as_json", is_flag=True, help=N_("Print the ledger as JSON."))
@friendly_errors
@_pool_errors
def pool_budget(pool_dir: str, as_json: bool) -> None:
    from ..pool import pool as pooling
    from ..pool import publish as publishing

    cam = pooling.open_pool(pool_dir)
    entries = publishing.read_ledger(pool_dir, cam)
    used = publishing.spent(entries)
    if as_json:
        emit_json({"campaign_id": cam.campaign_id, "epsilon_total": str(cam.epsilon_total),
                   "epsilon_spent": str(used), "releases": entries})
        return
    click.echo(publishing.budget_words(cam, used))
    if entries:
        click.echo(_table(entries, ["number", "when", "epsilon", "what"]))
