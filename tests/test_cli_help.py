"""`taskerlog --help` and click's own words follow the logbook's language (issue 25).

Every command's and option's help, and click's words around them ("Usage:", "Options",
"Show this message and exit.", "No such option", "Missing argument" ...), are in the
language of the logbook named by --db (or TASKERLOG_DB, or the default path); English stays
byte for byte what it was (tests/golden/help-en.txt, written from the English before the
help texts were marked for translation)."""

from __future__ import annotations

import functools
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from _english import ALWAYS, PLACEHOLDER, words
from conftest import invoke
from taskerlog import i18n
from taskerlog.cli import cli
from taskerlog.commands._click import Command, FilePath, Option
from test_i18n import click_messages

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


def transcript(db, *, env=ENV, **wide) -> str:
    """The help of every command and the usage errors above, as a worker sees them."""
    runner = CliRunner()
    out = []
    for args in [(), *(path for path, _cmd in all_commands())]:
        r = runner.invoke(cli, ["--db", str(db), *args, "--help"], env=env, prog_name="taskerlog", **wide)
        assert r.exit_code == 0, r.output
        out.append(f"$ taskerlog {' '.join((*args, '--help'))}\n{r.output}")
    for args in USAGE_ERRORS:
        r = runner.invoke(cli, ["--db", str(db), *args], env=env, prog_name="taskerlog", **wide)
        assert r.exit_code == 2, r.output
        out.append(f"$ taskerlog {' '.join(args)}\n{r.output}")
    return "\n".join(out)


def test_english_help_and_usage_errors_are_unchanged(tmp_path, golden):
    golden("help-en.txt", transcript(tmp_path / "none.sqlite"))


# -- in the logbook's language ---------------------------------------------------------------
LANGUAGES = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]


@pytest.fixture(scope="module")
def logbooks(tmp_path_factory):
    """A logbook per language, that language chosen."""
    folder = tmp_path_factory.mktemp("help")
    made = {}
    for code in LANGUAGES:
        made[code] = folder / f"{code}.sqlite"
        invoke(made[code], "settings", "--language", code)
    return made


WIDE = {"max_content_width": 100_000, "terminal_width": 100_000}
"""Help unwrapped: click never splits what is typed (``--pay-`` / ``model``) across lines then."""


def typed_parts(cmd: click.Command) -> tuple[set[str], set[str]]:
    """What a command's help shows that a worker types as it is: (tokens shown bare: its
    examples, its metavars, the lists filled into its help; tokens shown 'quoted' in click's
    messages: its options, choices, metavars and subcommands)."""
    ctx = click.Context(cmd)
    bare = {*cmd.examples, *(cmd.help_values or {}).values()}
    quoted = set()
    if isinstance(cmd, click.Group):
        quoted |= set(cmd.list_commands(ctx))
    for param in cmd.params:
        metavar = param.make_metavar(ctx)
        bare |= {metavar, metavar.strip("[]."), *(getattr(param, "help_values", None) or {}).values()}
        quoted |= {*param.opts, *param.secondary_opts, metavar}
        if isinstance(param.type, click.Choice):
            quoted |= {str(c) for c in param.type.choices}
    return bare, quoted


EVERY = [((), cli), *all_commands()]
BARE = {t for _path, cmd in EVERY for t in typed_parts(cmd)[0]}
QUOTED = {t for _path, cmd in EVERY for t in typed_parts(cmd)[1]} | {a for args in USAGE_ERRORS for a in args}
NAMES = {path[-1] for path, _cmd in EVERY if path}
SNAKE = r"\S*\w=\S*|\b\w+_\w+\b"
"""KEY=VALUE (``--map Day=date``, ``FIELD=VALUE``) and snake_case names (``by_project``), typed as they are."""
COMMAND_LINE = re.compile(r"taskerlog(?: (?:" + "|".join(map(re.escape, sorted(NAMES, key=len, reverse=True)))
                          + r")(?![\w-]))+|(?<![\w-])--?[A-Za-z][\w-]*")
"""A command (``taskerlog clock start``) or an option (``--platform``), as help and messages show them typed."""
TYPED = re.compile("|".join([
    r"^\$ taskerlog .*",  # the transcript's own heading
    r"'taskerlog [^']*'",  # click's "Try 'taskerlog clock start --help' for help."
    r"(?<![\w\[-])(?:" + "|".join(map(re.escape, sorted(BARE, key=len, reverse=True))) + r")(?![\w\]-])",
    "|".join(f"'{re.escape(t)}'" for t in sorted(QUOTED, key=len, reverse=True)),
    r"^  (?:" + "|".join(map(re.escape, sorted(NAMES, key=len, reverse=True))) + r")(?= )",  # a group's Commands:
    COMMAND_LINE.pattern,
    SNAKE,
    r"(?<=: )[^\[\]]+(?=\])",  # an option's default, [default: hourly]
]), re.M)
"""What is typed as it is in every language, where click or the help shows it."""
TYPE_NAMES = {p.type.name for _path, cmd in EVERY for p in cmd.params if not isinstance(p.type, FilePath)}
"""Click's names of its types ('x' is not a valid integer): English in click itself (a
FilePath's, file or directory, is translated)."""


def untyped(text: str, code: str) -> str:
    """``text`` without what is typed: the usage line after its label, and :data:`TYPED`."""
    with i18n.using(code):
        usage = i18n.gettext("Usage:")
    text = re.sub(rf"^{re.escape(usage)} taskerlog .*", usage, text, flags=re.M)
    return TYPED.sub(" ", text)


@functools.lru_cache(maxsize=None)
def catalogue_words(code: str) -> frozenset[str]:
    """The words the language's catalogue uses, not counting what its translations show as
    typed (``mira: taskerlog project list``, ``--platform/--project``, ``platform=Outlier``,
    ``PLATFORM [PROJECT]``): those are no sign that the language says "project". (Fewer
    words allowed than tests/_english.py's: stricter, never looser.)"""
    from babel.messages.pofile import read_po

    with open(i18n.LOCALE_DIR / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po", "rb") as f:
        catalog = read_po(f)
    texts = (s for m in catalog if m.id for s in (m.string if isinstance(m.string, tuple) else [m.string]))
    metavars = {m for t in BARE for m in re.findall(r"\b[A-Z][A-Z_]+\b", t) if t.strip("[].") == m}
    typed = re.compile(rf"{COMMAND_LINE.pattern}|{SNAKE}|\b(?:{'|'.join(metavars)})\b")
    return frozenset(w for s in texts for w in words(typed.sub(" ", PLACEHOLDER.sub(" ", s or ""))))


def english_in(english: str, other: str, code: str) -> list[str]:
    """As tests/_english.py's english_left, what is typed taken out of ``other`` and of the catalogue."""
    allowed = catalogue_words(code) | ALWAYS | TYPE_NAMES
    shown = words(english)
    return [f"{w}: {line.strip()}" for line in untyped(other, code).splitlines()
            for w in sorted((words(line) & shown) - allowed)]


def run(db, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=ENV, prog_name="taskerlog")


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_commands_help_and_usage_errors_are_in_the_logbooks_language(logbooks, tmp_path, code):
    english, other = transcript(tmp_path / "none.sqlite", **WIDE), transcript(logbooks[code], **WIDE)
    assert english_in(english, other, code) == []


def test_english_left_in_a_help_is_found(logbooks, tmp_path):
    """What is typed is taken out narrowly: a translated word left in English is still found."""
    english, spanish = transcript(tmp_path / "none.sqlite", **WIDE), transcript(logbooks["es"], **WIDE)
    assert english_in(english, spanish, "es") == []
    for word, left in (("proyecto", "project"), ("plataforma", "platform"), ("moneda", "currency"),
                       ("Opciones:", "Options:"), ("Comandos:", "Commands:")):
        assert word in spanish and english_in(english, spanish.replace(word, left), "es"), left


@pytest.mark.parametrize("code, said", [
    ("es", ["Uso: taskerlog clock start [OPTIONS] PLATFORM [PROJECT]", "No existe la opción '--nope'.",
            "Falta un argumento 'PLATFORM'."]),
    ("pt_BR", ["Uso: taskerlog clock start", "Não existe a opção '--nope'.", "Falta um argumento 'PLATFORM'."]),
    ("fr", ["Utilisation : taskerlog clock start", "Pas d'option '--nope'.", "Argument manquant 'PLATFORM'."]),
    ("sw", ["Matumizi: taskerlog clock start", "Hakuna chaguo '--nope'.", "Hoja inakosekana 'PLATFORM'."]),
])
def test_a_usage_error_is_in_the_logbooks_language(logbooks, tmp_path, code, said):
    for args in (("clock", "start", "--nope"), ("log",)):
        english = run(tmp_path / "none.sqlite", *args)
        other = run(logbooks[code], *args)
        assert other.exit_code == english.exit_code == 2, other.output
        assert english_in(english.output, other.output, code) == []
        assert "Traceback" not in other.output
    shown = run(logbooks[code], "clock", "start", "--nope").output + run(logbooks[code], "log").output
    assert all(s in shown for s in said), shown


def every_help():
    """(where, English help) of every command and option: what a catalogue must translate."""
    for path, cmd in [((), cli), *all_commands()]:
        assert isinstance(cmd, Command), f"taskerlog {' '.join(path)} is not built with commands/_click.py"
        yield " ".join(path) or "taskerlog", cmd._english_help
        for param in cmd.params:
            if isinstance(param, click.Option) and param.help:
                assert isinstance(param, Option), f"taskerlog {' '.join(path)} {param.opts[0]}: click.option"
                yield f"{' '.join(path)} {param.opts[0]}", param._english_help


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_command_and_option_help_is_translated(code):
    helps = list(every_help())
    assert len(helps) > 200  # every command and its options: not a walk that found nothing
    with i18n.using(code):
        untranslated = [where for where, text in helps if i18n.gettext(text) == text]
        assert i18n.gettext("Example: {command}") != "Example: {command}"
    assert untranslated == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_what_is_typed_in_a_help_stays_as_the_usage_line_shows_it(code):
    """``FIELD=`` in a help is what the usage line shows (FIELD=VALUE...): typed, never translated."""
    with i18n.using(code):
        changed = [where for where, text in every_help()
                   if re.findall(r"\b[A-Z]+=", text) != re.findall(r"\b[A-Z]+=", i18n.gettext(text))]
    assert changed == []


def test_the_lists_written_into_help_are_the_codes():
    """(written out in the command modules: the packages that hold them load pandas)"""
    from taskerlog.bundle.spec import FILES
    from taskerlog.importers import FORMATS

    ctx = click.Context(cli)
    assert cli.get_command(ctx, "export").help_values == {"files": ", ".join(FILES)}
    source = next(p for p in cli.get_command(ctx, "import").params if p.name == "fmt")
    assert source.help_values == {"formats": ", ".join(FORMATS)}


def test_click_is_read_for_its_words():
    assert {(None, "Usage:"), (None, "Missing argument"), (None, "Show this message and exit.")} <= click_messages()


PROBE = "from taskerlog.cli import main; main()"


def taskerlog(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "80", **env})


def test_help_follows_the_logbook_named_by_the_environment_and_else_the_computer(logbooks, tmp_path):
    # TASKERLOG_DB names the logbook: its language, as a worker runs the command
    r = taskerlog("--help", env={"TASKERLOG_DB": str(logbooks["pt_BR"]), "LANGUAGE": "en"})
    assert r.returncode == 0 and "Uso: taskerlog [OPTIONS] COMMAND" in r.stdout and "Opções:" in r.stdout, r.stderr
    # --db names another: that one wins
    r = taskerlog("--db", str(logbooks["sw"]), "status", "--help", env={"TASKERLOG_DB": str(logbooks["pt_BR"])})
    assert r.returncode == 0 and "Matumizi: taskerlog status" in r.stdout, r.stderr
    # no logbook there: the computer's language, and looking does not make one
    missing = tmp_path / "nothing.sqlite"
    r = taskerlog("--db", str(missing), "clock", "start", "--nope", env={"LANGUAGE": "fr_FR"})
    assert r.returncode == 2 and "Erreur : Pas d'option '--nope'." in r.stderr, r.stderr
    assert not missing.exists()
    # a file that is not a logbook: the computer's language, never a traceback
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    r = taskerlog("--db", str(junk), "--help", env={"LANGUAGE": "es"})
    assert r.returncode == 0 and "Muestra este mensaje y sale." in r.stdout and "Traceback" not in r.stderr, r.stderr


def test_reading_the_language_leaves_nothing_beside_the_logbook(logbooks, tmp_path):
    """A logbook in WAL mode read for its language: no -wal/-shm left, as a read-only command leaves none."""
    import shutil

    db = tmp_path / "es.sqlite"
    shutil.copyfile(logbooks["es"], db)
    for args in (("--help",), ("entries",), ("metrics", "--json"), ("verify",)):
        r = taskerlog("--db", str(db), *args, env={})
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["es.sqlite"], args


def test_a_logbook_that_cannot_be_looked_at_is_said_not_a_traceback(monkeypatch, tmp_path):
    """Python 3.11's is_file raises PermissionError in a folder that cannot be read (as root a
    chmod 000 folder can still be read: the error is made here)."""
    from pathlib import Path

    def refused(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "is_file", refused)
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.sqlite"), "--help"], env=ENV, prog_name="taskerlog")
    assert r.exit_code == 0 and r.exception is None and "Show this message and exit." in r.output


def test_click_gets_the_command_line_as_given(monkeypatch):
    """args=None reaches click, which then reads sys.argv itself (and expands globs on Windows)."""
    given = []
    monkeypatch.setattr(click.Command, "main", lambda self, args=None, **kw: given.append(args))
    monkeypatch.setattr(sys, "argv", ["taskerlog", "status"])
    cli.main()
    assert given == [None]


@pytest.mark.parametrize("dbs", [("--db", "{other}", "--db", "{sw}"), ("--db={other}", "--db={sw}"),
                                 ("--db", "", "--db={sw}")])
def test_the_logbook_whose_language_is_spoken_is_the_one_the_command_opens(logbooks, tmp_path, dbs):
    """(click takes the last --db; an empty one is the default path: TASKERLOG_DB here)"""
    from taskerlog.cli import named_db
    from taskerlog.commands._base import logbook_path

    args = [a.format(other=tmp_path / "other.sqlite", sw=logbooks["sw"]) for a in dbs]
    assert logbook_path(named_db([*args, "status"])) == logbooks["sw"]
    r = taskerlog(*args, "status", "--help", env={"LANGUAGE": "en"})
    assert "Matumizi: taskerlog status" in r.stdout, r.stderr
    r = taskerlog("--db", "", "status", "--help", env={"TASKERLOG_DB": str(logbooks["fr"]), "LANGUAGE": "en"})
    assert "Utilisation : taskerlog status" in r.stdout, r.stderr
