"""The everyday commands answer like a small tool (issue 22.5): they never load the data-frame
stack. Each command runs in a fresh Python, as a worker runs it, and reports on exit which
of pandas, numpy, pyarrow and sqlite-utils (which imports pandas) it loaded. Not a timing
test: what is loaded is the same on any machine; bench/bench_cli.py times them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from taskerlog.store import journal

HEAVY = ("pandas", "numpy", "pyarrow", "sqlite_utils", "pydantic")
PROBE = ("import atexit, json, sys\n"
         f"atexit.register(lambda: print('LOADED=' + json.dumps([m for m in {HEAVY!r} if m in sys.modules]), "
         "file=sys.stderr))\n"
         "from taskerlog.cli import main\nmain()")
GD = "Genesis Dolphin"


def taskerlog(db, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    r = subprocess.run([sys.executable, "-c", PROBE, "--db", str(db), *args], capture_output=True, text=True,
                       timeout=120)
    loaded = [json.loads(line.removeprefix("LOADED=")) for line in r.stderr.splitlines() if line.startswith("LOADED=")]
    assert r.returncode == 0 and len(loaded) == 1, r.stdout + r.stderr
    return r, loaded[0]


@pytest.fixture(scope="module")
def logbook(tmp_path_factory):
    db = tmp_path_factory.mktemp("light") / "logbook.sqlite"
    for args in (("settings", "--home-currency", "USD", "--timezone", "Africa/Nairobi"),
                 ("project", "add", "Outlier", GD, "--pay-model", "hourly", "--currency", "USD"),
                 ("rate", "Outlier", GD, "20", "--from", "2026-03-01")):
        subprocess.run([sys.executable, "-c", "from taskerlog.cli import main; main()", "--db", str(db), *args],
                       check=True, capture_output=True, timeout=120)
    return db


PRICED = "the saved entry's pay and the unpriced warning come from metrics' frames (docs/cli.md)"


@pytest.mark.parametrize("args, said", [
    (("--help",), "clock"),
    (("clock", "--help"), "start"),
    (("clock", "start", "Outlier", GD, "--at", "2026-03-10 09:00"), "clock #1 started"),
    (("clock",), "Outlier / Genesis Dolphin"),
    pytest.param(("clock", "stop", "--at", "2026-03-10 10:00"), "saved entry",
                 marks=pytest.mark.xfail(strict=True, reason=PRICED)),
    pytest.param(("log", "Outlier", GD, "--start", "2026-03-10 11:00", "--minutes", "30"), "logged entry",
                 marks=pytest.mark.xfail(strict=True, reason=PRICED)),
    (("eq", "start", "Outlier", "--on", "2026-03-06"), "empty queue from 2026-03-06"),
    (("eq", "end", "Outlier", "--on", "2026-03-07"), "Outlier"),
    (("eq", "list"), "2026-03-06"),
    (("rate", "Outlier", GD, "25", "--from", "2026-03-05"), "(was 20.00, +25.0%)"),
    (("payout", "Outlier", "100"), "payout from Outlier: 100.00 USD"),
    (("expense", "5", "--category", "internet"), "expense: 5.00 USD for internet"),
], ids=lambda v: " ".join(v) if isinstance(v, tuple) else None)
def test_everyday_commands_do_not_load_the_data_frame_stack(logbook, args, said):
    r, loaded = taskerlog(logbook, *args)
    assert said in r.stdout, r.stdout + r.stderr
    frames = [m for m in loaded if m != "pydantic"]  # the records' validation may load pydantic
    assert frames == [], f"`taskerlog {' '.join(args)}` loaded {frames}"
    if args[:2] == ("clock", "start"):  # the commonest command of all: not even the record classes
        assert loaded == [], f"`taskerlog {' '.join(args)}` loaded {loaded}"


def test_the_probe_sees_a_command_that_loads_the_frames(logbook):
    _, loaded = taskerlog(logbook, "metrics", "--json")
    assert "pandas" in loaded


def test_one_rows_journal_bytes_are_the_same_packed_with_or_without_numpy():
    ids = list(range(7, 7 + journal._FEW_ROWS + 1))
    hashes = [bytes([i % 251]) * 16 for i in ids]
    many = journal.pack_rows(ids, hashes)  # past _FEW_ROWS: numpy
    few = b"".join(journal.pack_rows([i], [h]) for i, h in zip(ids, hashes))  # struct, one row at a time
    assert many == few and journal.unpack_rows(few) == list(zip(ids, hashes))
    with pytest.raises(ValueError):
        journal.pack_rows([1, 2], [b"x" * 16])


def test_no_commands_help_loads_the_data_frame_stack():
    """Every command's --help, all in one process: listing a command imports its module."""
    code = ("import sys\nfrom taskerlog.cli import COMMANDS, cli\n"
            "for name in COMMANDS:\n"
            "    try:\n        cli([name, '--help'], prog_name='taskerlog')\n    except SystemExit:\n        pass\n"
            f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules and m != 'pydantic'])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Example: taskerlog verify" in r.stdout, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "LOADED []"
