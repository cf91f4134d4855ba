"""``taskerlog import-history FORMAT FILE``: bring in another tool's history (docs/importers.md).

The same readers also serve ``taskerlog import FILE --from FORMAT -o key=value``; this
command adds what that generic hook cannot: named options, the saved column mappings,
the notes on skipped rows, and the ActivityWatch evidence table.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .. import timeutil
from ..i18n import N_, _, ngettext
from ._base import Context, emit_json, friendly_errors, pass_ctx
from ._click import FilePath, command, option


@command("import-history", help=N_(
    "Import history from a spreadsheet, Toggl, Clockify, MTurk, PayPal or ActivityWatch.\n\n"
    "Everything is checked first; on any problem nothing is imported and each is printed as file:line: "
    "column: message (ambiguous dates or numbers ask for --day-first or --decimal-comma rather than "
    "guess). Importing the same file twice adds nothing; an overlapping later export adds only what is "
    "new. A spreadsheet's --mapping is saved and reused for the next file with the same columns. "
    "ActivityWatch time is kept as evidence beside your entries and never counts as hours worked."),
    example="taskerlog import-history toggl Toggl_time_entries.csv --dry-run")
@click.argument("fmt", metavar="FORMAT",
                type=click.Choice(["spreadsheet", "toggl", "clockify", "mturk", "paypal", "activitywatch"]))
@click.argument("file", type=FilePath(dir_okay=False))
@option("--mapping", help=N_("Spreadsheet columns to fields, e.g. 'Day=date,Hours=duration,Client=platform'."))
@option("--platform", help=N_("The platform, when the file has no column for it (e.g. Outlier)."))
@option("--day-first", type=click.Choice(["yes", "no"]), help=N_("Dates are DD/MM (yes) or MM/DD (no)."))
@option("--decimal-comma", type=click.Choice(["yes", "no"]), help=N_("Amounts use a comma for decimals: 12,50."))
@option("--duration-unit", type=click.Choice(["minutes", "hours"]), help=N_("What a plain number duration means."))
@option("--currency", help=N_("Currency of amounts without one (default: the logbook's home currency)."))
@option("--timezone", help=N_("Time zone of times in the file (default: the logbook's)."))
@option("--kind", help=N_("Kind for rows that do not say (default tasking)."))
@option("--pay-model", type=click.Choice(["hourly", "per_task"]), help=N_("For new projects (default {model})."),
        help_values={"model": "hourly"})
@option("--sheet", help=N_("XLSX: the sheet to read (default the first)."))
@option("--hit-minutes", type=int, help=N_("MTurk: minutes per HIT when the export has dates but no times."))
@option("--payer", "payers", multiple=True, metavar="NAME=PLATFORM",
        help=N_("PayPal: a payer that is a platform, e.g. 'Smart Ecosystem=Outlier'; repeat for more."))
@option("--strict", is_flag=True, help=N_("MTurk: refuse the file for a HIT state this importer does not know "
                                          "(default: leave that HIT out, with a note)."))
@option("--dry-run", is_flag=True, help=N_("Preview: say what would be added and skipped; write nothing."))
@option("--json", "as_json", is_flag=True, help=N_("Print the report (or the problems) as JSON."))
@pass_ctx
@friendly_errors
def import_history(c: Context, fmt: str, file: str, mapping, platform, day_first, decimal_comma, duration_unit,
                   currency, timezone, kind, pay_model, sheet, hit_minutes, payers, strict, dry_run, as_json) -> None:
    from .. import importers
    from ..bundle import ImportProblems

    store = c.store
    mfile = importers.mappings_path(c.db_path)
    opts = {"mapping": mapping, "platform": platform, "day_first": day_first, "decimal_comma": decimal_comma,
            "duration_unit": duration_unit, "currency": currency, "timezone": timezone, "kind": kind,
            "pay_model": pay_model, "sheet": sheet, "hit_minutes": hit_minutes,
            "payer": list(payers) if payers else None, "strict": "yes" if strict else None}
    opts = {k: v for k, v in opts.items() if v not in (None, "")}
    if fmt == "spreadsheet":
        opts["mappings_file"] = str(mfile)
    opts["today"] = _today(store.settings().timezone)
    try:
        res = importers.read_history(fmt, file, store.settings(), **opts)
        name = Path(file).name
        problems = list(res.problems)
        report = counts = None
        if not problems:
            try:
                report, counts = importers.apply(store, res.tables, source=f"import:{fmt}:{name}", dry_run=dry_run)
            except ImportProblems as exc:
                problems = exc.problems
    except BaseException:
        c.discard_if_created()  # a refused import into a new path leaves no file, whatever refused it
        raise
    wrote = report is not None and (report.added or any(t.settled for t in report.tables.values())) or (
        counts is not None and counts.added)
    if problems or dry_run or not wrote:
        c.discard_if_created()  # looking, or importing nothing, leaves no empty logbook behind
    if problems:
        for p in problems:
            click.echo(str(p), err=True)
        click.echo(ngettext("nothing was imported: {n} problem(s) in {name}; fix them (or add the option named) "
                            "and run the import again",
                            "nothing was imported: {n} problem(s) in {name}; fix them (or add the option named) "
                            "and run the import again", len(problems)).format(n=len(problems), name=name), err=True)
        if as_json:
            emit_json({"imported": False, "problems": [p.to_dict() for p in problems]})
        sys.exit(1)
    if not dry_run and fmt == "spreadsheet" and Path(c.db_path).exists():  # (no logbook: no file beside it)
        importers.save_mapping(mfile, res)
    if as_json:
        emit_json({"imported": not dry_run, "format": fmt, "mapping": res.mapping, "notes": res.notes,
                   "report": report.to_dict() if report else None,
                   "activity": None if counts is None else counts.__dict__})
        return
    if res.mapping:
        click.echo(_("columns used: {mapping}").format(
            mapping=", ".join(f"{col} → {fld}" for fld, col in res.mapping.items())))
    if report is not None:
        click.echo(str(report))
    if counts is not None and (counts.added or counts.already):
        said = (_("active-time evidence: would add {added}, already there {already} (kept beside your entries; "
                  "never counted as hours worked)") if dry_run else
                _("active-time evidence: added {added}, already there {already} (kept beside your entries; "
                  "never counted as hours worked)"))
        click.echo("  " + said.format(added=counts.added, already=counts.already))
    for n in res.notes:
        click.echo("  " + _("note: {note}").format(note=n))


def from_options(fmt: str, source: str, pairs: dict[str, list[str]], *, dry_run: bool, as_json: bool) -> dict:
    """``taskerlog import FILE --from FORMAT -o key=value``: the keyword arguments of
    :func:`import_history` for those options, under the names import-history documents
    (``payer``, ``hit-minutes`` ...); a repeatable option (``--payer``) accumulates.
    Raises ValueError naming an option the format does not have."""
    by_name = {}
    for p in import_history.params:
        if isinstance(p, click.Option) and p.name not in ("dry_run", "as_json"):
            for opt in p.opts:
                by_name[opt.lstrip("-").replace("-", "_")] = p
            by_name[p.name] = p
    kwargs: dict = {p.name: () if p.multiple else (False if getattr(p, "is_flag", False) else None)
                    for p in import_history.params}
    for key, values in pairs.items():
        p = by_name.get(key.replace("-", "_"))
        if p is None:
            raise ValueError(f"--from {fmt} has no option '{key}'; see taskerlog import-history --help")
        if p.multiple:
            kwargs[p.name] = tuple(kwargs[p.name]) + tuple(values)
        elif p.is_flag:
            kwargs[p.name] = values[-1].strip().lower() in ("yes", "y", "true", "1", "on", "")
        else:
            try:
                kwargs[p.name] = p.type.convert(values[-1], p, None)
            except click.BadParameter as exc:
                raise ValueError(f"-o {key}={values[-1]}: {exc.message}") from exc
    kwargs.update(fmt=fmt, file=source, dry_run=dry_run, as_json=as_json)
    return kwargs


def _today(tz: str) -> dt.date:
    return timeutil.to_local(timeutil.now_epoch(), tz).date()
