"""The import bar counted in instructions, which the machine's state cannot move.

    .venv/bin/python bench/instructions.py [--size 10000] [--workdir DIR]

Wall-clock times on this shared VM move by 30-50 % from one hour to the next, and not
evenly: a slow spell slows the Python-heavy import about 1.8 × and the floor, a C loop
inside SQLite, about 1.4 × (docs/performance.md). ``valgrind --tool=callgrind`` counts the
instructions a run executes, the same count whatever else the machine is doing, so it
tells whether a change made the import cheaper, and how far the import is from the floor,
when the clock cannot.

For the floor (bench.py's: plain ``sqlite3`` ``executemany`` of the work rows into a fresh
file) and for the import (``read_bundle`` + ``import_tables`` into a fresh logbook), a
child Python runs under callgrind twice: once doing it ``1`` time, once ``3`` times. Start-up,
imports, generating the rows and whatever the first run sets up once are the same in
both, so the difference over 2 is one run. Helper threads (pyarrow's reader, the index
build) are counted too, although on two cores they run beside the main thread: the count
overstates the import's share, never understates it. Under valgrind, OpenSSL's SHA-256
runs without the CPU's SHA instructions, which overstates the journal's cost too.

It takes a few minutes (valgrind runs Python about 50 × slower). It needs valgrind
(Debian's package ``valgrind``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402

LOW, HIGH = 1, 3


def child(what: str, times: int, size: int, workdir: Path) -> None:
    """What runs under valgrind: ``what`` (floor or import) ``times`` times, fresh files each."""
    import bench

    if what == "floor":
        rows = generate.generate(size).work
        for i in range(times):
            bench.floor_executemany(rows, workdir / f"floor-{times}-{i}.sqlite")
        return
    from taskerlog import bundle
    from taskerlog.store import Store

    folder = workdir / f"bundle-{size}"
    for i in range(times):
        store = Store(workdir / f"logbook-{times}-{i}.sqlite")
        tables, problems = bundle.read_bundle(folder)
        assert not problems
        report = bundle.import_tables(store, tables, source="instructions")
        assert report.tables["work"].added == size
        store.close()


def count(what: str, times: int, size: int, workdir: Path) -> int:
    """Instructions of a child Python doing ``what`` ``times`` times, under callgrind."""
    out = workdir / f"callgrind-{what}-{times}.out"
    run = workdir / f"run-{what}-{times}"
    run.mkdir()
    if what == "import":
        shutil.copytree(workdir / f"bundle-{size}", run / f"bundle-{size}")
    proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
                           __file__, "--child", what, str(times), "--size", str(size), "--workdir", str(run)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"valgrind failed ({what} × {times}):\n{proc.stderr[-2000:]}")
    found = re.search(r"^(?:summary|totals):\s*(\d+)", out.read_text(errors="replace"), re.M)
    if not found:
        raise SystemExit(f"no instruction total in {out}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10_000, help="work entries (default 10000)")
    ap.add_argument("--workdir", type=Path, help="keep the files there (default: a temporary folder)")
    ap.add_argument("--child", nargs=2, metavar=("WHAT", "TIMES"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]), args.size, args.workdir)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="taskerlog-instructions-"))
    workdir.mkdir(parents=True, exist_ok=True)
    generate.write_bundle(generate.generate(args.size), workdir / f"bundle-{args.size}")
    per_run = {}
    for what in ("floor", "import"):
        low, high = (count(what, t, args.size, workdir) for t in (LOW, HIGH))
        per_run[what] = (high - low) / (HIGH - LOW)
        print(f"{what:6} {per_run[what] / 1e6:8.1f} M instructions per run "
              f"({low / 1e6:.0f} M doing it {LOW} time, {high / 1e6:.0f} M doing it {HIGH} times)", flush=True)
    print(f"import / floor: {per_run['import'] / per_run['floor']:.2f} × in instructions "
          f"({args.size:,} work entries)")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
