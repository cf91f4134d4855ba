"""Shared fixtures: a fresh logbook in a temporary folder, with a fixed clock; the command
line driven as a worker would (``run``) with the clock fixed at 2026-03-10 12:00 Nairobi;
the sample logbooks imported once per test session and copied for each test that wants
one (``sample_logbook``); golden files (``golden``, rewritten with ``--update-golden``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import os
import shutil
import subprocess
import sys
import traceback
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from taskerlog import cli as cli_module
from taskerlog import timeutil
from taskerlog.cli import cli
from taskerlog.store import Store

FIXED_NOW = 1795435200  # 2026-11-23T08:00:00Z
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
GOLDEN = Path(__file__).resolve().parent / "golden"

# The tests read English unless they choose a language: a machine set to Spanish must not
# turn every English assertion red (servers and subprocesses the tests start inherit this).
os.environ["LANGUAGE"] = "en"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the files in tests/golden/ from the current output instead of comparing "
                          "(then review them with git diff before committing).")


#: Modules that take longest (a browser and app servers, big imports in child processes,
#: many random trials), longest first. Under pytest-xdist (pyproject: each module on one
#: worker) they start first, so the suite never ends with one worker busy on a long module
#: while the other is idle: the many short modules fill in at the end. (xdist gives a worker
#: a second module at once when its first has two tests or fewer: the longest module with
#: many tests comes first, so that it is not queued behind the other long one.)
LONG_FIRST = ("tests/browser/test_app_browser.py", "tests/browser/test_text_safety.py", "tests/browser/",
              "tests/test_limits.py", "tests/test_metrics_properties.py", "tests/test_publish.py",
              "tests/test_golden.py", "tests/test_import_crash.py", "tests/test_evidence.py",
              "tests/test_app_pages.py")


def pytest_collection_modifyitems(items):
    """The long modules first (``LONG_FIRST``), each module's tests still in their own order."""
    def rank(item) -> int:
        return next((i for i, prefix in enumerate(LONG_FIRST) if item.nodeid.startswith(prefix)), len(LONG_FIRST))

    items.sort(key=rank)


@pytest.fixture(autouse=True)
def cli_words():
    """Problems worded as the command line words them (the app installs its own words when it
    runs, in AppTest too): tests of the lower layers check the words a worker would read."""
    from taskerlog import problems
    from taskerlog.commands import wording

    problems.speak(wording.FIXES)
    yield
    problems.speak(wording.FIXES)


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English: a command run in-process on a logbook that chose another
    language leaves that language set in this thread."""
    from taskerlog import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "logbook.sqlite", now=lambda: FIXED_NOW)
    yield s
    s.close()


class Clock:
    def __init__(self, now: int):
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock(int(dt.datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("Africa/Nairobi")).timestamp()))
    monkeypatch.setattr(timeutil, "now_epoch", c)
    return c


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "logbook.sqlite")


@pytest.fixture
def run(db, clock):
    runner = CliRunner()

    def _run(*args: str, ok: bool = True, input: str | None = None):
        result = runner.invoke(cli, ["--db", db, *args], input=input)
        if ok:
            assert result.exit_code == 0, f"{args} -> {result.exit_code}: {result.output}"
        return result

    return _run


@contextlib.contextmanager
def fixed_cli_clock(now: int = FIXED_NOW):
    """The command line with its clock stopped at ``now``: what it reads as today and the
    ``recorded_at`` it stamps on every record (so journal hashes are the same every run)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timeutil, "now_epoch", lambda: now)
        # the module where the command line's Context opens the logbook
        mp.setattr(sys.modules[cli_module.Context.__module__], "Store", functools.partial(Store, now=lambda: now))
        yield


def cli_process(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """``taskerlog ARGS`` as a worker runs it, but in this process (no second Python to start):
    its exit code, what it printed on stdout and on stderr apart, and an exception that
    escaped it as Python would print it, its traceback on stderr. For tests about what the
    command says and does, not about the process itself (a kill, a second process)."""
    result = CliRunner().invoke(cli, list(args), input=input, prog_name="taskerlog")
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        err += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(["taskerlog", *args], result.exit_code, result.stdout, err)


def invoke(db: str | Path, *args: str, input: str | None = None) -> str:
    """``taskerlog --db DB ARGS`` in this process; fails the test with the output unless it succeeds."""
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=input)
    assert result.exit_code == 0, f"{args} -> {result.exit_code}: {result.output}"
    return result.output


@pytest.fixture(scope="session")
def _sample_logbooks(tmp_path_factory):
    """Each sample bundle imported once per session with ``taskerlog import`` (clock at
    FIXED_NOW), kept pristine; ``sample_logbook`` hands out copies."""
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            db = tmp_path_factory.mktemp(f"sample-{name}") / "logbook.sqlite"
            with fixed_cli_clock():
                invoke(db, "import", str(SAMPLES / name))
            made[name] = db
        return made[name]

    return get


@pytest.fixture
def sample_logbook(_sample_logbooks, tmp_path):
    """``sample_logbook("hourly-usd")``: the path of a fresh copy of that sample, imported as a
    worker would (all of it, recorded at FIXED_NOW), named logbook.sqlite in a folder of its own."""
    def copy(name: str, dest: Path | None = None) -> Path:
        src = _sample_logbooks(name)
        dest = dest or tmp_path / name / "logbook.sqlite"
        dest.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal"):
            if Path(f"{src}{suffix}").exists():
                shutil.copyfile(f"{src}{suffix}", f"{dest}{suffix}")
        return dest

    return copy


@pytest.fixture
def golden(request):
    """``golden("name.txt", text)``: compare ``text`` with tests/golden/name.txt and fail with a
    unified diff when they differ; with ``pytest --update-golden`` write the file instead."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"there is no golden file {path}: run pytest {request.node.nodeid} --update-golden"
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = list(difflib.unified_diff(expected.splitlines(), text.splitlines(), f"golden/{name}", "now",
                                             lineterm="", n=2))
            shown = "\n".join(diff[:120]) + (f"\n... {len(diff) - 120} more diff lines" if len(diff) > 120 else "")
            pytest.fail(f"the output differs from tests/golden/{name}:\n{shown}\n"
                        "If the change is intended, rewrite the file with --update-golden and review git diff.",
                        pytrace=False)

    return check
