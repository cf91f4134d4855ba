"""The logbook file itself: ``backup``, ``restore`` and ``verify`` (the journal's hash chain)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import timeutil
from ..i18n import N_, _, ngettext
from ._base import CLIError, Context, emit_json, friendly_errors, pass_ctx
from ._click import FilePath, command, option


@command(help=N_(
    "Copy the logbook to a verified backup file (default: a dated file in backups/), and its attachment "
    "files into a folder beside it (<backup name>-attachments/)."),
    example="taskerlog backup ~/taskerlog-backup.sqlite")
@click.argument("dest", required=False, type=FilePath(dir_okay=False))
@pass_ctx
@friendly_errors
def backup(c: Context, dest: str | None) -> None:
    from ..appsupport import back_up

    done = back_up(c.existing_store, dest)  # read-only: a backup of a logbook on a full or read-only disk works
    click.echo(_("backed up to {path}").format(path=done.path))
    if done.files:
        click.echo(ngettext("and {n} attachment file to {folder}", "and {n} attachment files to {folder}",
                            done.files).format(n=done.files,
                                               folder=done.path.with_name(done.path.stem + "-attachments")))
    if done.secret:
        click.echo(_("and the device secret (your pseudonym in organizers' campaigns) to {path}; keep it private")
                   .format(path=done.secret))
    for p in done.problems:
        click.echo(_("warning: {problem}").format(problem=p), err=True)


@command(help=N_(
    "Make a backup from `taskerlog backup` your logbook again, with its attachment files and its device "
    "secret (so your pseudonym in organizers' campaigns stays the same)."),
    example="taskerlog restore ~/taskerlog-backup.sqlite --replace")
@click.argument("backup_file", type=FilePath(dir_okay=False, exists=True))
@option("--replace", is_flag=True, help=N_("Replace the existing logbook (it is backed up first)."))
@pass_ctx
@friendly_errors
def restore(c: Context, backup_file: str, replace: bool) -> None:
    from ..appsupport import back_up
    from ..evidence import attachments
    from ..pool.contribution import copy_secret

    src = Path(backup_file)
    if src.resolve() == c.db_path.resolve():
        raise CLIError(_("{path} is the logbook itself; name a backup file").format(path=src))
    if c.db_path.exists():
        if not replace:
            raise CLIError(_("there is already a logbook at {path}; add --replace to replace it "
                             "(it is backed up first)").format(path=c.db_path))
        safety = back_up(c.store).path
        click.echo(_("the logbook as it was is kept in {path}").format(path=safety))
    c.store.restore_from(src)
    files = attachments.restore_files(src, c.store)
    secret = copy_secret(src, c.db_path)
    said = _("restored {path} from {backup}").format(path=c.db_path, backup=src)
    if files:
        said += ", " + ngettext("{n} attachment file", "{n} attachment files", files).format(n=files)
    if secret:
        said += ", " + _("and the device secret")
    click.echo(said)


@command(help=N_(
    "Check the journal's hash chain and every record against it, and every anchor.\n\n"
    "Exits 1 and names the first problem when something was changed behind taskerlog's back."),
    example="taskerlog verify --anchor \"taskerlog anchor 2026-03-31 · 1,234 entries · 3f9a 1c07 88e2 d410\"")
@option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))
@option("--anchor", "anchor_texts", multiple=True,
        help=N_("An anchor line (or hash) you kept elsewhere, from `taskerlog anchor`; may repeat."))
@option("--anchor-file", "anchor_files", multiple=True, type=FilePath(dir_okay=False),
        help=N_("A text file holding anchor lines you kept (e.g. the email you sent); may repeat."))
@pass_ctx
@friendly_errors
def verify(c: Context, as_json: bool, anchor_texts: tuple[str, ...] = (), anchor_files: tuple[str, ...] = ()) -> None:
    from ..evidence import anchors, verify_evidence  # anchors and attachment files (docs/evidence.md)

    result = c.existing_store.verify()
    extra = verify_evidence(c.store, anchor_texts, anchor_files)
    result.problems.extend(extra.problems)
    result.ok = not result.problems
    kept = extra.newest_kept
    # recording an anchor is itself a journal entry: it changes nothing worth anchoring again
    anchoring = c.store.journal_entries("anchors")
    later = result.entries - (0 if kept is None else sum(e["seq"] > kept["seq"] for e in anchoring))
    limit = anchors.limits(kept, later, timeutil.now_epoch(), c.store.settings().timezone)
    if as_json:
        emit_json({"ok": result.ok, "entries": result.entries, "head": result.head,
                   "anchors_recorded": extra.anchors_recorded, "anchors_given": extra.anchors_external,
                   "attachments": extra.attachments, "problems": [p.__dict__ for p in result.problems],
                   "newest_anchor_kept": None if kept is None else {
                       "entry": kept["seq"], "recorded_at": timeutil.format_local(kept["recorded_at"], "UTC"),
                       "entries_after": later - kept["seq"]},
                   "limit": limit})
    elif result.ok:
        # Translators: the English keeps one form for both; write each form properly
        click.echo(ngettext("ok: {n} journal entries, every record matches; head {head}",
                            "ok: {n} journal entries, every record matches; head {head}", result.entries).format(
            n=result.entries, head=result.head))
        click.echo(_("ok: {summary}, all match").format(summary=extra.summary()))
        click.echo(limit)
    else:
        click.echo(ngettext("NOT OK: {n} problem: {problem}",
                            "NOT OK: {n} problems; the first: {problem}",
                            len(result.problems)).format(n=len(result.problems), problem=result.problems[0].message),
                   err=True)
        for p in result.problems[1:20]:
            click.echo(f"  {p.message}", err=True)
        click.echo(limit, err=True)
    if not result.ok:
        sys.exit(1)
