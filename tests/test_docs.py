"""Docs cannot drift: every command has help with an example and appears in the README;
every document the README links to exists; metric names match metrics.md."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from taskerlog.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group = cli, prefix: str = ""):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the table's commands are loaded as they are asked for
        cmd = group.get_command(ctx, name)
        full = f"{prefix} {name}".strip()
        yield full, cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, full)


@pytest.mark.parametrize("name, cmd", list(commands()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_has_an_example_and_is_in_the_readme(name, cmd):
    assert "Example:" in (cmd.help or ""), f"`taskerlog {name} --help` has no Example: line"
    if not isinstance(cmd, click.Group) or not cmd.commands:
        assert f"taskerlog {name}" in README or f"taskerlog --db /tmp/dana.sqlite {name}" in README, \
            f"`taskerlog {name}` is not in README.md"


def test_readme_links_exist():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), f"README links to {target}, which does not exist"


def test_readme_names_the_two_setup_commands():
    assert "make run" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


METRIC_NAMES = [
    "hours_worked", "hours_paid", "hours_unpaid", "unpaid_hours_by_kind", "unpaid_share", "earned", "pending",
    "effective_hourly_wage", "paid_hourly_rate", "advertised_rate", "advertised_gap", "paid_out", "fees",
    "outstanding", "expenses", "net_hourly_wage", "eq_days", "eq_episodes", "longest_eq_days", "eq_share",
    "rate_changes", "rate_cuts", "rate_raises", "largest_cut_pct", "mean_abs_change_pct", "weekly_wage_cv",
    "weekly_earnings_cv", "below_reference", "shortfall", "weekly_shortfall", "weeks_with_work",
    "weeks_below_reference", "paid_out_earlier",
]


def test_metric_names_match_metrics_md():
    spec = ROOT.parent / "shared" / "docs" / "metrics.md"
    if spec.exists():
        text = spec.read_text()
        assert all(f"`{n}`" in text for n in METRIC_NAMES), [n for n in METRIC_NAMES if f"`{n}`" not in text]
        defined = set(re.findall(r"`([a-z]+(?:_[a-z]+)+)` *=", text))
        assert defined <= set(METRIC_NAMES) | {"change_pct"}, defined - set(METRIC_NAMES)
    from taskerlog import metrics
    from taskerlog.frames import LogbookFrames
    from taskerlog.model import Logbook
    out = metrics.compute(LogbookFrames(settings=Logbook()))
    for rows in ("by_week", "by_project"):
        assert rows in out
    missing = set(METRIC_NAMES) - set(out)
    assert not missing, f"metrics --json lacks {sorted(missing)}"
