"""Organizers (issue 4): ``taskerlog contribute`` for members, ``taskerlog pool ...`` for organizers.

Thin shells: parse → taskerlog.pool → render. The clock is read here and passed in.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .. import money, timeutil
from ..cli import CLIError, Context, cli, emit_json, friendly_errors, pass_ctx
from ..pool import contribution as contrib
from ..pool import pool as pooling
from ..pool import report as rendering
from ..pool.campaign import Campaign, CampaignError, load_campaign, month_range, write_campaign


def _pool_errors(fn):
    """Campaign, contribution and pool errors are worker-facing messages too."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (CampaignError, contrib.ContributionError, pooling.PoolError) as exc:
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


@cli.command()
@click.option("--campaign", "campaign_path", required=True, type=click.Path(exists=True),
              help="The campaign file your organizer sent (JSON).")
@click.option("--map", "maps", multiple=True, metavar="PLATFORM/PROJECT=CATEGORY",
              help="Put a project into one of the campaign's categories (saved for next time). "
                   "PLATFORM/ is time logged without a project; PLATFORM/* every other project; =- stops sharing one.")
@click.option("--platform", "platforms", multiple=True, metavar="YOURS=CAMPAIGN'S",
              help="Your name for a platform the campaign spells differently (saved).")
@click.option("--preview", is_flag=True, help="Show exactly the rows that would leave your machine; write nothing.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the contribution file here.")
@click.option("--as-of", "as_of", help="Count months as complete as if today were this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="With --preview: print the file's JSON instead of a table.")
@pass_ctx
@friendly_errors
@_pool_errors
def contribute(c: Context, campaign_path: str, maps: tuple[str, ...], platforms: tuple[str, ...], preview: bool,
               out: str | None, as_of: str | None, as_json: bool) -> None:
    """Make an anonymous contribution to an organizer's campaign from your logbook.

    Only monthly totals per platform and public category leave your machine, rounded, under
    a pseudonym that is different for every campaign. Use --preview first to see them.

    Example: taskerlog contribute --campaign dla-2026.json --map "Outlier/Genesis Dolphin=rating/ranking" --preview
    """
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
            raise CLIError(f"--map {m}: your logbook has no platform '{pl}' (it has: {', '.join(sorted(known_platforms))})")
        if pr not in ("", "*") and (pl, pr) not in known:
            raise CLIError(f"--map {m}: your logbook has no project '{pr}' on {pl}")
        new_projects[(pl, pr)] = cat if cat in ("", "-") else campaign.category_of(cat)
    new_platforms = {}
    for p in platforms:
        mine, theirs = contrib.parse_platform_option(p)
        cp = campaign.platform_of(theirs)
        if cp is None:
            raise CLIError(f"--platform {p}: the campaign covers only {', '.join(campaign.platforms)}")
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
        click.echo(f"Campaign {campaign.campaign_id} ({campaign.name}); money in {campaign.currency}.")
        click.echo(f"Complete months: {', '.join(result.months) or 'none yet'}. Pseudonym: {result.pseudonym[:12]}...")
        click.echo("These rows, and nothing else, would leave your machine:")
        click.echo(_table(contrib.preview_rows(result), PREVIEW_COLUMNS) if result.rows else "(no rows)")
        if res.unmapped:
            click.echo("Not shared (no category): " + "; ".join(f"{pl}/{pr or '(no project)'}" for pl, pr in res.unmapped))
        if not out:
            click.echo("Nothing written. Add --out FILE to write the contribution file.")
        return
    if not result.rows:
        raise CLIError("there is nothing to contribute yet: no work in the campaign's complete months "
                       "on the projects you mapped")
    path = contrib.write_contribution(result, out)
    click.echo(f"wrote {path}: {len(result.rows)} rows for {len(result.months)} months. "
               "Send this file to your organizer; it holds only what --preview shows.")



# -- organizer side ------------------------------------------------------------------------------------
@cli.group()
def pool() -> None:
    """Organizers: campaigns, pooling members' contributions, and safe reports.

    Example: taskerlog pool report pool-dla-2026 --publish --html report.html
    """


@pool.group()
def campaign() -> None:
    """Campaign files: what members are asked to contribute.

    Example: taskerlog pool campaign new --id dla-2026 --name "What Outlier pays" --months 2026-01..2026-06 --platforms Outlier --categories "rating/ranking,writing" --out dla-2026.json
    """


@campaign.command("new")
@click.option("--id", "campaign_id", required=True, help="Short id: lower-case letters, digits, '.', '_' or '-'.")
@click.option("--name", required=True, help="What the campaign is, in words.")
@click.option("--months", required=True, help="Months covered: 2026-01..2026-06 or 2026-01,2026-02.")
@click.option("--platforms", required=True, help="Platforms covered, comma-separated.")
@click.option("--categories", required=True, help="Public project categories, comma-separated.")
@click.option("--currency", default="USD", show_default=True, help="Reporting currency.")
@click.option("--fx", "fx", multiple=True, metavar="CUR=RATE",
              help="One unit of CUR in the reporting currency (e.g. KES=0.0077); members without it use their own rates.")
@click.option("--k", "k", default=5, show_default=True, type=int, help="Fewest workers behind any figure shown.")
@click.option("--publish-k", default=11, show_default=True, type=int, help="The same for --publish reports.")
@click.option("--out", required=True, type=click.Path(), help="The campaign file to write (or a folder).")
@friendly_errors
@_pool_errors
def campaign_new(campaign_id, name, months, platforms, categories, currency, fx, k, publish_k, out) -> None:
    """Write a campaign file to send to members.

    Example: taskerlog pool campaign new --id dla-2026 --name "What Outlier pays" --months 2026-01..2026-06 --platforms Outlier --categories "rating/ranking,writing,audio" --out dla-2026.json
    """
    rates = {}
    for item in fx:
        if "=" not in item:
            raise CLIError(f"--fx {item}: write it as CUR=RATE, e.g. KES=0.0077")
        cur, rate = item.split("=", 1)
        rates[cur.strip()] = rate.strip()
    cam = Campaign(campaign_id=campaign_id, name=name, months=month_range(months), platforms=platforms,
                   categories=categories, currency=currency, fx=rates, k=k, publish_k=publish_k)
    path = write_campaign(cam, out)
    click.echo(f"wrote {path}: {len(cam.months)} months, {len(cam.platforms)} platforms, "
               f"{len(cam.categories)} categories, k={cam.k} (publish {cam.publish_k})")


@pool.command("add")
@click.argument("pool_dir", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--campaign", "campaign_path", type=click.Path(exists=True),
              help="The campaign file (needed the first time, to start the pool folder).")
@friendly_errors
@_pool_errors
def pool_add(pool_dir: str, files: tuple[str, ...], campaign_path: str | None) -> None:
    """Add members' contribution files to a pool (checked; a resubmission replaces the earlier one).

    Exits 1 if any file was refused, naming each file and what is wrong; the others are added.

    Example: taskerlog pool add pool-dla-2026 inbox/*.json --campaign dla-2026.json
    """
    if campaign_path:
        pooling.init_pool(pool_dir, load_campaign(campaign_path))
    res = pooling.add_contributions(pool_dir, files)
    click.echo(f"added {res.added}, replaced {res.replaced}, refused {len(res.problems)}")
    for p in res.problems:
        click.echo(p, err=True)
    if res.problems:
        sys.exit(1)


@pool.command("report")
@click.argument("pool_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--k", "k", type=int, help="Fewest workers behind any figure (at least the campaign's k).")
@click.option("--publish", is_flag=True, help="Use the campaign's publish_k (default 11): for figures leaving the organization.")
@click.option("--reference-wage", help="An hourly wage in the reporting currency: show the share of workers below it.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), help="Write the released figures as CSV.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="Write a printable HTML page.")
@click.option("--json", "as_json", is_flag=True, help="Print the released figures as JSON.")
@friendly_errors
@_pool_errors
def pool_report(pool_dir: str, k: int | None, publish: bool, reference_wage: str | None, csv_out: str | None,
                html_out: str | None, as_json: bool) -> None:
    """Figures per platform × category × month that never rest on fewer than k workers.

    Example: taskerlog pool report pool-dla-2026 --publish --reference-wage 7.25 --html report.html --csv report.csv
    """
    cam = pooling.open_pool(pool_dir)
    if publish and k is not None and k < cam.publish_k:
        raise CLIError(f"--publish needs k of at least {cam.publish_k}")
    ref = None if reference_wage is None else money.parse_amount(reference_wage)
    rows = pooling.load_rows(pool_dir, cam)
    rep = pooling.report(rows, cam, k=k, publish=publish, reference_wage=ref)
    if csv_out:
        Path(csv_out).write_text(rendering.to_csv(rep), encoding="utf-8")
    if html_out:
        Path(html_out).write_text(rendering.to_html(rep), encoding="utf-8")
    if as_json:
        emit_json(rendering.to_json(rep))
        return
    recs = rendering.records(rep)
    cols = ["level", "platform", "category", "month", "workers", "wage_p25", "wage_median", "wage_p75",
            "unpaid_share_pct", "eq_days_median", "rate_cut_share_pct"]
    if ref is not None:
        cols.append("below_reference_share_pct")
    click.echo(f"{cam.name} ({cam.campaign_id}), money in {cam.currency}, k={rep.k}: every figure describes "
               f"at least {rep.k} workers; smaller groups and groups that would reveal them are left out.")
    click.echo(_table(recs, cols) if recs else f"Nothing can be shown yet: no group has {rep.k} workers.")
    for label, path in (("CSV", csv_out), ("HTML", html_out)):
        if path:
            click.echo(f"wrote {label} to {path}")
