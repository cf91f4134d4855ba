"""``taskerlog import`` and ``taskerlog export``: the CSV bundle in and out (docs/bundle.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import render
from ..i18n import N_, _, ngettext
from ._base import CLIError, Context, emit_json, friendly_errors, os_sentence, pass_ctx
from ._click import FilePath, command, option


def _options(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pair in pairs:
        if "=" not in pair:
            raise CLIError(_("--option '{pair}': write it as KEY=VALUE, e.g. --option platform=Outlier")
                           .format(pair=pair))
        k, v = pair.split("=", 1)
        out.setdefault(k.strip().replace("-", "_"), []).append(v.strip())
    return out


@command("import", help=N_(
    "Import a CSV bundle (folder or .zip), all or nothing.\n\n"
    "Every row is checked first; on any bad row nothing is imported and every problem is printed as "
    "file:line: column: message. Importing the same bundle again adds nothing, and rows you already have "
    "are never overwritten (counted as \"kept yours\")."),
    example="taskerlog import my-logbook.zip --dry-run")
@click.argument("source", type=FilePath(exists=False))
@option("--from", "fmt", default="bundle", show_default=True,
        help=N_("What SOURCE is: a taskerlog bundle, or another tool's export ({formats})."),
        help_values={"formats": "spreadsheet, toggl, clockify, mturk, paypal, activitywatch"})  # importers.FORMATS
@option("--option", "-o", "options", multiple=True, metavar="KEY=VALUE",
        help=N_("An option of the --from format (e.g. -o platform=Outlier); repeat for more."))
@option("--dry-run", is_flag=True, help=N_("Check everything and say what would be added; write nothing."))
@option("--json", "as_json", is_flag=True, help=N_("Print the report (or the problems) as JSON."))
@pass_ctx
@friendly_errors
def import_(c: Context, source: str, fmt: str, options: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    from ..bundle import ImportProblems, import_read, read_bundle, unpriced_if_imported

    store = c.store
    name = Path(source).name
    if fmt == "bundle":
        if options:
            raise CLIError(_("--option is for --from formats other than bundle"))
        read = read_bundle(source)
    else:
        # another tool's export: the same path as `taskerlog import-history` (its notes,
        # saved column mappings and ActivityWatch evidence included)
        from .history import from_options, import_history

        formats = import_history.params[0].type.choices
        if fmt not in formats:
            raise CLIError(_("unknown format '{format}'; use --from bundle or one of: {formats}").format(
                format=fmt, formats=", ".join(formats)))
        try:
            kwargs = from_options(fmt, source, _options(options), dry_run=dry_run, as_json=as_json)
        except (ValueError, click.BadParameter) as exc:
            raise CLIError(str(exc)) from exc
        click.get_current_context().invoke(import_history, **kwargs)
        return
    src = f"import:{name}"
    try:
        report = import_read(store, read, source=src, dry_run=dry_run)
        found = []
        if report.tables["work"].added:  # entries that will earn nothing: said before and after
            try:
                found = unpriced_if_imported(store, read[0], source=src) if dry_run else store.unpriced(source=src)
            except Exception:  # noqa: BLE001 - a warning that cannot be worked out must not fail the import
                found = []
        if dry_run:
            c.discard_if_created()
    except ImportProblems as exc:
        c.discard_if_created()
        for p in exc.problems:
            click.echo(str(p), err=True)
        click.echo(ngettext("nothing was imported: {n} problem in {name}; fix it and run the import again",
                            "nothing was imported: {n} problems in {name}; fix them and run the import again",
                            len(exc.problems)).format(n=len(exc.problems), name=name), err=True)
        if as_json:
            emit_json({"imported": False, "problems": [p.to_dict() for p in exc.problems]})
        sys.exit(1)
    if as_json:
        emit_json({"imported": not dry_run, **report.to_dict()})
    else:
        click.echo(str(report))
        note = render.unpriced_summary(found)
        if note:
            click.echo(_("warning: {problem}").format(problem=note))


@command("export", help=N_(
    "Export the whole logbook as a CSV bundle: a .zip by the name, else a new folder.\n\n"
    "Every file of the bundle format is written ({files}), ready for a spreadsheet or for taskerlog import."),
    help_values={"files": "logbook, projects, rates, work, eq, payouts, expenses, fx"},  # bundle.spec.FILES
    example="taskerlog export ~/taskerlog-2026-03.zip")
@click.argument("out", type=FilePath())
@pass_ctx
@friendly_errors
def export(c: Context, out: str) -> None:
    from ..bundle import ExportError, export_bundle

    parent = Path(out).expanduser().absolute().parent
    if not parent.is_dir():
        raise CLIError(_("there is no folder {folder} to export into; create it first, or check the path").format(
            folder=parent))
    try:
        counts = export_bundle(c.existing_store, out)
    except ExportError as exc:
        raise CLIError(str(exc)) from exc
    except OSError as exc:  # the error names the hidden file the export is first written to
        exc.filename = out
        raise CLIError(os_sentence(exc)) from exc
    # the bundle's file names (work, payouts ...) are its contract: named as they are
    click.echo(_("exported to {path}: {counts}").format(
        path=out, counts=", ".join(f"{n} {k}" for k, n in counts.items() if k != "logbook")))
