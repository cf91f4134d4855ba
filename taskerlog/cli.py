"""The ``taskerlog`` command: thin shells around the core (parse → core call → render).

Every command's help has an ``Example:``; a test checks each appears in the README.
Domain errors become one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
from pydantic import ValidationError

from . import money, timeutil
from .store import NeedsUpgrade, Store, StoreError, default_db_path


class CLIError(click.ClickException):
    """An error a worker can act on; printed as ``error: message``."""

    def format_message(self) -> str:
        return self.message


_PLAIN = {
    "missing": "is needed",
    "string_too_short": "is needed",
    "string_type": "is needed",
    "decimal_type": "is needed: write an amount like 12.50",
    "decimal_parsing": "is not an amount; write it like 12.50",
    "int_parsing": "is not a whole number",
    "int_type": "is needed: write a whole number",
    "date_type": "is needed: pick a day",
    "date_from_datetime_parsing": "is not a day; write it as 2026-03-05",
    "literal_error": None,  # pydantic's own words list the choices: keep them
}
"""Pydantic's messages ("String should have at least 1 character") in a worker's words."""


def explain_validation(exc: ValidationError) -> str:
    """A pydantic error as plain sentences: ``field: what is wrong``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "__root__").replace("_", " ")
        msg = _PLAIN.get(err.get("type", "")) or err.get("msg", "invalid")
        if err.get("type") == "string_too_short" and (err.get("ctx") or {}).get("min_length", 1) > 1:
            msg = err.get("msg", "is too short")
        msg = msg.removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def friendly_errors(fn):
    """Turn the core's errors into clean CLI errors (Watson's ``catch_watson_error``)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            raise CLIError(explain_validation(exc)) from exc
        except (StoreError, money.MoneyError, timeutil.TimeError, ValueError) as exc:
            raise CLIError(str(exc)) from exc
        except OSError as exc:  # a folder that cannot be written, a full disk, a file in the way
            raise CLIError(os_sentence(exc)) from exc

    return wrapper


def os_sentence(exc: OSError) -> str:
    """An operating-system error as a sentence that names the file and what to do."""
    where = exc.filename or "a file"
    why = (exc.strerror or str(exc)).rstrip(".").lower()
    return (f"{where}: {why}; nothing more was written there. Choose a place you can write to "
            "(your home folder, say) or free some space, then try again")


class Context:
    def __init__(self, db: str | None):
        self.chosen = bool(db)
        self.db_path = Path(db).expanduser() if db else default_db_path()
        self._store: Store | None = None
        self.created = False
        """Whether this command made the logbook file (it did not exist before)."""

    @property
    def store(self) -> Store:
        if self._store is None:
            if self.chosen and not self.db_path.parent.is_dir():
                # the default folder is made as needed; a folder typed with --db is not (a typo
                # would otherwise start a new, empty logbook somewhere unexpected)
                raise CLIError(f"--db: there is no folder {self.db_path.parent}; create it first, or check the path")
            self.created = not self.db_path.exists()
            self._store = Store(self.db_path)
        return self._store

    @property
    def existing_store(self) -> Store:
        """The store, for a command that only reads: a --db that names no file is a typo to
        point out, not a new, empty logbook to report on (or export) as if it were yours.
        An existing logbook is opened read-only, so it can be read on a read-only or full
        disk; one that needs an upgrade is opened for writing and upgraded first."""
        if self._store is None and self.chosen and not self.db_path.exists():
            raise CLIError(f"there is no logbook at {self.db_path}; check the path (a new logbook starts with "
                           "the first thing you log or import)")
        if self._store is None and self.db_path.exists():
            try:
                self._store = Store(self.db_path, readonly=True)
            except NeedsUpgrade as upgrade:
                try:
                    return self.store
                except StoreError as exc:
                    raise CLIError(f"{upgrade}, and it cannot be written here ({exc}); copy it somewhere you can "
                                   "write and use --db with the copy") from exc
        return self.store

    def close(self) -> None:
        """Close the logbook at the end of the command (a copy read from a temporary folder goes)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def discard_if_created(self) -> None:
        """Remove the logbook this command made, when nothing was written to it after all
        (a dry run, a refused import): looking must not leave an empty logbook behind."""
        if not self.created or self._store is None:
            return
        self._store.close()
        self._store = None
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.db_path) + suffix).unlink(missing_ok=True)
        self.created = False


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="TASKERLOG_DB", type=click.Path(dir_okay=False),
              help="The logbook file (default: logbook.sqlite in your user data folder; or set TASKERLOG_DB).")
@click.version_option(package_name="taskerlog")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """taskerlog: your own logbook of AI-training gig work, and what it really pays.

    Example: taskerlog status
    """
    from . import problems
    from .commands import wording

    problems.speak(wording.FIXES)  # the lower layers' problems name the option or command to type
    ctx.obj = Context(db)
    ctx.call_on_close(ctx.obj.close)


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


@cli.command()
@click.argument("dest", required=False, type=click.Path(dir_okay=False))
@pass_ctx
@friendly_errors
def backup(c: Context, dest: str | None) -> None:
    """Copy the logbook to a verified backup file (default: a dated file in backups/), and
    its attachment files into a folder beside it (<backup name>-attachments/).

    Example: taskerlog backup ~/taskerlog-backup.sqlite
    """
    from .appsupport import back_up

    done = back_up(c.existing_store, dest)  # read-only: a backup of a logbook on a full or read-only disk works
    click.echo(f"backed up to {done.path}")
    if done.files:
        click.echo(f"and {done.files} attachment file(s) to {done.path.with_name(done.path.stem + '-attachments')}")
    if done.secret:
        click.echo(f"and the device secret (your pseudonym in organizers' campaigns) to {done.secret}; keep it private")
    for p in done.problems:
        click.echo(f"warning: {p}", err=True)


@cli.command()
@click.argument("backup_file", type=click.Path(dir_okay=False, exists=True))
@click.option("--replace", is_flag=True, help="Replace the existing logbook (it is backed up first).")
@pass_ctx
@friendly_errors
def restore(c: Context, backup_file: str, replace: bool) -> None:
    """Make a backup from `taskerlog backup` your logbook again, with its attachment files and its
    device secret (so your pseudonym in organizers' campaigns stays the same).

    Example: taskerlog restore ~/taskerlog-backup.sqlite --replace
    """
    from .appsupport import back_up
    from .evidence import attachments
    from .pool.contribution import copy_secret

    src = Path(backup_file)
    if src.resolve() == c.db_path.resolve():
        raise CLIError(f"{src} is the logbook itself; name a backup file")
    if c.db_path.exists():
        if not replace:
            raise CLIError(f"there is already a logbook at {c.db_path}; add --replace to replace it "
                           "(it is backed up first)")
        safety = back_up(c.store).path
        click.echo(f"the logbook as it was is kept in {safety}")
    c.store.restore_from(src)
    files = attachments.restore_files(src, c.store)
    secret = copy_secret(src, c.db_path)
    click.echo(f"restored {c.db_path} from {src}" + (f", {files} attachment file(s)" if files else "")
               + (", and the device secret" if secret else ""))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--anchor", "anchor_texts", multiple=True,
              help="An anchor line (or hash) you kept elsewhere, from `taskerlog anchor`; may repeat.")
@click.option("--anchor-file", "anchor_files", multiple=True, type=click.Path(dir_okay=False),
              help="A text file holding anchor lines you kept (e.g. the email you sent); may repeat.")
@pass_ctx
@friendly_errors
def verify(c: Context, as_json: bool, anchor_texts: tuple[str, ...] = (), anchor_files: tuple[str, ...] = ()) -> None:
    """Check the journal's hash chain and every record against it, and every anchor.

    Exits 1 and names the first problem when something was changed behind taskerlog's back.

    Example: taskerlog verify --anchor "taskerlog anchor 2026-03-31 · 1,234 entries · 3f9a 1c07 88e2 d410"
    """
    from .evidence import anchors, verify_evidence  # anchors and attachment files (docs/evidence.md)

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
        click.echo(f"ok: {result.entries} journal entries, every record matches; head {result.head}")
        click.echo(f"ok: {extra.summary()}, all match")
        click.echo(limit)
    else:
        click.echo(f"NOT OK: {len(result.problems)} problem(s); the first: {result.problems[0].message}", err=True)
        for p in result.problems[1:20]:
            click.echo(f"  {p.message}", err=True)
        click.echo(limit, err=True)
    if not result.ok:
        sys.exit(1)


def main() -> None:
    cli(prog_name="taskerlog")


# Commands of later features register themselves on ``cli`` in their own modules:
from . import commands  # noqa: E402,F401  (import for side effects)
