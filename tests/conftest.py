"""Shared fixtures: a fresh logbook in a temporary folder, with a fixed clock; the command
line driven as a worker would (``run``) with the clock fixed at 2026-03-10 12:00 Nairobi."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from taskerlog import timeutil
from taskerlog.cli import cli
from taskerlog.store import Store

FIXED_NOW = 1795435200  # 2026-11-23T08:00:00Z


@pytest.fixture(autouse=True)
def cli_words():
    """Problems worded as the command line words them (the app installs its own words when it
    runs, in AppTest too): tests of the lower layers check the words a worker would read."""
    from taskerlog import problems
    from taskerlog.commands import wording

    problems.speak(wording.FIXES)
    yield
    problems.speak(wording.FIXES)


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
