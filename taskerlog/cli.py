"""The ``taskerlog`` command: the group, its global options, and the table of its commands.

The commands themselves are thin shells around the core (parse → core call → render), one
module per area in ``taskerlog/commands/``, built on ``commands/_base.py``. Every command is
named in :data:`COMMANDS`; its module is imported only when that command runs (or when
``--help`` lists them all), so ``taskerlog clock start`` loads the clock's module and what it
needs, never the data frames of ``metrics`` or the PDF of ``evidence`` (docs/cli.md).

Every command's help has an ``Example:``; a test checks each appears in the README.
Domain errors become one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from . import i18n
from .commands._base import Context, logbook_path
from .commands._click import FilePath, Group, Option, option, speak_click
from .i18n import N_
from .store import Store, StoreError

COMMANDS: dict[str, str] = {
    # name: "module:the click command in it"
    "anchor": "taskerlog.commands.evidence:anchor",
    "app": "taskerlog.commands.app_cmd:app",
    "attach": "taskerlog.commands.evidence:attach",
    "attachments": "taskerlog.commands.evidence:list_attachments",
    "backup": "taskerlog.commands.logbook:backup",
    "clock": "taskerlog.commands.daily:clock",
    "contribute": "taskerlog.commands.pool:contribute",
    "delete": "taskerlog.commands.daily:delete",
    "edit": "taskerlog.commands.daily:edit",
    "entries": "taskerlog.commands.daily:entries",
    "eq": "taskerlog.commands.daily:eq",
    "evidence": "taskerlog.commands.evidence:evidence",
    "expense": "taskerlog.commands.records:expense",
    "export": "taskerlog.commands.bundle_cmds:export",
    "fx": "taskerlog.commands.records:fx",
    "import": "taskerlog.commands.bundle_cmds:import_",
    "import-history": "taskerlog.commands.history:import_history",
    "log": "taskerlog.commands.daily:log",
    "metrics": "taskerlog.commands.reports:metrics",
    "minimums": "taskerlog.commands.evidence:minimums",
    "payout": "taskerlog.commands.records:payout",
    "pool": "taskerlog.commands.pool:pool",
    "project": "taskerlog.commands.records:project",
    "rate": "taskerlog.commands.records:rate",
    "record": "taskerlog.commands.records:record",
    "restore": "taskerlog.commands.logbook:restore",
    "settings": "taskerlog.commands.records:settings",
    "statement": "taskerlog.commands.evidence:statement",
    "status": "taskerlog.commands.reports:status",
    "verify": "taskerlog.commands.logbook:verify",
}
"""Every ``taskerlog`` command, registered here and nowhere else."""


class Commands(Group):
    """A group whose commands come from a table of ``module:attribute``, each imported the
    first time it is asked for (click's documented pattern for lazily loaded commands).

    It speaks the logbook's language from the start: ``--help`` and click's usage errors
    come before any command opens the logbook (docs/languages.md)."""

    def __init__(self, *args, table: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.table})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.table:
            module, attr = self.table[name].split(":")
            with i18n.using(i18n.DEFAULT):  # what click words at import (a Path's FILE) is the same in every language
                self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)

    def main(self, args=None, **kwargs):
        # the language is read from the command line as typed; click gets ``args`` as given
        # (None: click reads sys.argv itself and, on Windows, expands globs, ~ and %VAR%)
        typed = sys.argv[1:] if args is None else list(args)
        i18n.set_language(logbook_language(logbook_path(named_db(typed))))  # None: the system's
        speak_click()
        return super().main(args, **kwargs)


def named_db(args: list[str]) -> str | None:
    """The ``--db`` a command line gives before the command (the last one, as click takes
    it); None when it gives none (then ``TASKERLOG_DB`` or the default path: :func:`logbook_path`)."""
    db = None
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            db = args[i + 1]
        elif arg.startswith("--db="):
            db = arg.removeprefix("--db=")
        elif not arg.startswith("-") and (i == 0 or args[i - 1] != "--db"):
            break  # the command's name: what follows is its own
    return db


def logbook_language(path: Path) -> str | None:
    """The language a logbook chose, read as a read-only command reads it (no upgrade, no
    pydantic, nothing created or left beside it); None when it chose none, or there is no
    logbook there, or it cannot be read now (the system's language is spoken then, and the
    command says what is wrong)."""
    try:
        if not path.is_file():
            return None
        with Store(path, readonly=True) as store:
            tag = store.settings_raw().get("language")
    except (OSError, StoreError):  # (NeedsUpgrade is a StoreError)
        return None
    return tag if tag and i18n.supported(tag) else None


@click.group(cls=Commands, table=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}, help=N_(
    "taskerlog: your own logbook of AI-training gig work, and what it really pays."),
    example="taskerlog status")
@option("--db", envvar="TASKERLOG_DB", type=FilePath(dir_okay=False),
        help=N_("The logbook file (default: logbook.sqlite in your user data folder; or set TASKERLOG_DB)."))
@click.version_option(package_name="taskerlog", cls=Option)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    from . import problems
    from .commands import wording

    problems.speak(wording.FIXES)  # the lower layers' problems name the option or command to type
    ctx.obj = Context(db)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    cli(prog_name="taskerlog")
