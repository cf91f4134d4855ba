"""`taskerlog --help` and click's own words follow the logbook's language (issue 25).

Every command's and option's help, and click's words around them ("Usage:", "Options",
"Show this message and exit.", "No such option", "Missing argument" ...), are in the
language of the logbook named by --db (or TASKERLOG_DB, or the default path); English stays
byte for byte what it was (tests/golden/help-en.txt, written from the English before the
help texts were marked for translation)."""

from __future__ import annotations

import click
from click.testing import CliRunner

from taskerlog.cli import cli

ENV = {"COLUMNS": "80"}  # click wraps help to the terminal's width


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    """Every command's path below ``group`` (``("clock", "start")``), the table's loaded as asked for."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, (*prefix, name))


USAGE_ERRORS = [("--nope",), ("clock", "start", "--nope"), ("log",), ("clock", "start", "Outlier", "--kind", "nap"),
                ("stat",), ("clock", "stop", "--id", "x"), ("evidence", "--from", "2026-01-01")]


def transcript(db, *, env=ENV) -> str:
    """The help of every command and the usage errors above, as a worker sees them."""
    runner = CliRunner()
    out = []
    for args in [(), *(path for path, _cmd in all_commands())]:
        r = runner.invoke(cli, ["--db", str(db), *args, "--help"], env=env, prog_name="taskerlog")
        assert r.exit_code == 0, r.output
        out.append(f"$ taskerlog {' '.join((*args, '--help'))}\n{r.output}")
    for args in USAGE_ERRORS:
        r = runner.invoke(cli, ["--db", str(db), *args], env=env, prog_name="taskerlog")
        assert r.exit_code == 2, r.output
        out.append(f"$ taskerlog {' '.join(args)}\n{r.output}")
    return "\n".join(out)


def test_english_help_and_usage_errors_are_unchanged(tmp_path, golden):
    golden("help-en.txt", transcript(tmp_path / "none.sqlite"))
