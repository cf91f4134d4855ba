"""`taskerlog import FILE --from FORMAT` goes the same way as `taskerlog import-history`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from taskerlog.cli import cli
from taskerlog.store import Store

FIX = Path(__file__).parent / "fixtures" / "importers"


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_activitywatch_through_import_from_is_evidence_not_hours(tmp_path):
    db = tmp_path / "l.sqlite"
    r = run(db, "import", str(FIX / "activitywatch_export.json"), "--from", "activitywatch")
    assert r.exit_code == 0, r.output
    assert "never counted as hours worked" in r.output
    s = Store(db)
    assert s.conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 3
    assert s.conn.execute("SELECT count(*) FROM work").fetchone()[0] == 0


def test_options_pass_through_and_ambiguity_asks(tmp_path):
    db = tmp_path / "l.sqlite"
    r = run(db, "import", str(FIX / "sheet_ambiguous.csv"), "--from", "spreadsheet", "-o", "platform=Outlier")
    assert r.exit_code == 1
    assert "sheet_ambiguous.csv:2: Date:" in r.output and "--day-first" in r.output
    r = run(db, "import", str(FIX / "sheet_ambiguous.csv"), "--from", "spreadsheet", "-o", "platform=Outlier",
            "-o", "day-first=yes")
    assert r.exit_code == 0, r.output
    again = run(db, "import", str(FIX / "sheet_ambiguous.csv"), "--from", "spreadsheet", "-o", "platform=Outlier",
                "-o", "day-first=yes")
    assert again.exit_code == 0 and "work: added 0" in again.output


def test_unknown_format_or_option_is_a_clear_error(tmp_path):
    db = tmp_path / "l.sqlite"
    r = run(db, "import", str(FIX / "mturk_hits.json"), "--from", "nope")
    assert r.exit_code != 0 and "unknown format 'nope'" in r.output and "Traceback" not in r.output
    r = run(db, "import", str(FIX / "mturk_hits.json"), "--from", "mturk", "-o", "bogus=1")
    assert r.exit_code != 0 and "no option 'bogus'" in r.output


def test_import_from_takes_the_documented_option_names_and_names_a_bad_value(tmp_path):
    db = tmp_path / "l.sqlite"
    r = run(db, "import", str(FIX / "mturk_suite_backup_early.json"), "--from", "mturk", "-o", "hit-minutes=5",
            "-o", "strict=yes")
    assert r.exit_code == 0, r.output
    assert "work: added 2" in r.output and "left out 1 HIT still Assigned" in r.output
    r = run(db, "import", str(FIX / "mturk_suite_backup_early.json"), "--from", "mturk", "-o", "hit-minutes=x")
    assert r.exit_code != 0 and "-o hit_minutes=x: 'x' is not a valid integer" in r.output
    assert "Traceback" not in r.output
