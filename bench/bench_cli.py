"""The command line against Watson (issue 22.5): the CPU seconds of each everyday command, a
fresh process each time as a worker runs it, beside Watson's command for the same job
(Watson, ``td-watson`` on PyPI, is a popular time tracker written in Python, with click too).

| taskerlog                              | Watson                    | target        |
| -------------------------------------- | ------------------------- | ------------- |
| ``clock start Outlier --at <1 min ago>`` | ``watson start bench``    | ≤ 2 × Watson  |
| ``clock stop``                         | ``watson stop``           | ≤ 2 × Watson  |
| ``log Outlier --start .. --minutes 30``  | ``watson add bench ..``   | —             |
| ``status``                             | ``watson status``         | ≤ 6 × Watson  |
| ``--help``                             | ``watson --help``         | —             |

on the sample logbook ``sample_data/hourly-usd`` and on a generated one of 10,000 entries.
Watson keeps its own small state in a temporary ``WATSON_DIR``. The two take turns (taskerlog,
Watson, taskerlog, ...) so that a slow moment of a shared machine falls on both; each figure is
the median of the runs, and the ratio is the median of the pairs' ratios. CPU is user + system
seconds of the child process (``resource.getrusage(RUSAGE_CHILDREN)``), which other programs
on the machine do not inflate the way they do the wall clock.

Watson is found on PATH, or given with ``--watson`` / ``$WATSON``. Without it the taskerlog
figures are printed alone, with how to install it:

    python3 -m venv /tmp/watson-venv && /tmp/watson-venv/bin/pip install td-watson
    .venv/bin/python bench/bench_cli.py --watson /tmp/watson-venv/bin/watson [--runs 7] [--sizes 10000]

``bench/bench.py`` discovers this module and calls :func:`run` (Watson from PATH or ``$WATSON``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

INSTALL = ("Watson is not installed, so taskerlog's figures are shown alone. To compare: "
           "python3 -m venv /tmp/watson-venv && /tmp/watson-venv/bin/pip install td-watson, "
           "then pass --watson /tmp/watson-venv/bin/watson (or set WATSON).")
TARGETS = {"clock start": 2.0, "clock stop": 2.0, "status": 6.0}
DEFAULT_RUNS = 7


def taskerlog_exe() -> list[str]:
    """The ``taskerlog`` script beside this Python (the venv's), else ``python -c main()``."""
    script = Path(sys.executable).with_name("taskerlog")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from taskerlog.cli import main; main()"]


def find_watson(given: str | None = None) -> str | None:
    exe = given or os.environ.get("WATSON") or shutil.which("watson")
    return exe if exe and Path(exe).exists() else None


def cpu_of(argv: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one run of ``argv`` (it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {(done.stderr or done.stdout)[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def sample_logbook(workdir: Path) -> Path:
    db = workdir / "sample.sqlite"
    if not db.exists():
        subprocess.run([*taskerlog_exe(), "--db", str(db), "import", str(ROOT / "sample_data" / "hourly-usd")],
                       check=True, capture_output=True, timeout=300)
    return db


def generated_logbook(n: int, workdir: Path) -> Path:
    import bench_app

    return bench_app._logbook(n, workdir)


def measure(db: Path, watson: str | None, runs: int, workdir: Path) -> list[dict]:
    """Each command's CPU seconds (median of ``runs``) and, with Watson, Watson's and the ratio."""
    tl = [*taskerlog_exe(), "--db", str(db)]
    env = {**os.environ, "WATSON_DIR": str(workdir / f"watson-{db.stem}")}
    Path(env["WATSON_DIR"]).mkdir(parents=True, exist_ok=True)
    env.pop("TASKERLOG_DB", None)
    # as a worker's Python runs: compiled modules cached in __pycache__ after the first run
    # (pip installs Watson with them; PYTHONDONTWRITEBYTECODE would recompile taskerlog each time)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: dict[str, tuple[list[float], list[float]]] = {}

    def pair(name: str, mine: list[str], theirs: list[str] | None) -> None:
        a, b = times.setdefault(name, ([], []))
        a.append(cpu_of(mine, env))
        if watson and theirs is not None:
            b.append(cpu_of([watson, *theirs], env))

    # one warm-up of each (the first run of a fresh install compiles bytecode)
    for argv in (["--help"], ["status"]):
        cpu_of([*tl, *argv], env)
    if watson:
        for argv in (["--help"], ["status"]):
            cpu_of([watson, *argv], env)
    for _ in range(runs):
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        start = (now - dt.timedelta(minutes=1)).isoformat()
        pair("clock start", [*tl, "clock", "start", "Outlier", "--at", start], ["start", "bench"])
        pair("status", [*tl, "status"], ["status"])
        pair("clock stop", [*tl, "clock", "stop"], ["stop"])
        past = now - dt.timedelta(hours=3)
        pair("log", [*tl, "log", "Outlier", "--kind", "admin", "--start", past.isoformat(), "--minutes", "30"],
             ["add", "bench", "--from", past.strftime("%Y-%m-%d %H:%M"),
              "--to", (past + dt.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M")])
        pair("--help", [*tl, "--help"], ["--help"])
    out = []
    for name, (a, b) in times.items():
        r = {"command": name, "taskerlog": statistics.median(a), "watson": statistics.median(b) if b else None,
             "ratio": statistics.median([x / y for x, y in zip(a, b)]) if b else None, "target": TARGETS.get(name)}
        out.append(r)
    return out


def verdict(r: dict) -> str:
    if r["target"] is None:
        return ""
    if r["ratio"] is None:
        return f"target ≤ {r['target']:g} × Watson: not compared"
    return f"{'meets' if r['ratio'] <= r['target'] else 'MISSES'} ≤ {r['target']:g} × Watson"


def table(label: str, rows: list[dict]) -> str:
    lines = [f"{label}", "", "| command | taskerlog CPU s | Watson CPU s | ratio | target |", "|---|---|---|---|---|"]
    for r in rows:
        w = f"{r['watson']:.3f}" if r["watson"] is not None else "—"
        ratio = f"{r['ratio']:.1f} ×" if r["ratio"] is not None else "—"
        lines.append(f"| `{r['command']}` | {r['taskerlog']:.3f} | {w} | {ratio} | {verdict(r)} |")
    return "\n".join(lines)


def run(results: list[dict], sizes: list[int], workdir: Path, *, watson: str | None = None,
        runs: int = DEFAULT_RUNS) -> None:
    """For bench.py: one row per command and logbook."""
    from bench import row

    workdir = Path(workdir)
    watson = find_watson(watson)
    if watson is None:
        print(INSTALL)
    books = [("sample logbook", 0, sample_logbook(workdir))]
    books += [(f"{n:,} entries", n, generated_logbook(n, workdir)) for n in sizes if n <= 10_000]
    for label, n, db in books:
        for r in measure(db, watson, runs, workdir):
            note = (f"CPU {r['taskerlog']:.3f} s, Watson's {r['watson']:.3f} s: {r['ratio']:.1f} × ({label})"
                    if r["ratio"] is not None else f"CPU {r['taskerlog']:.3f} s ({label}; Watson not installed)")
            row(results, "cli", f"taskerlog {r['command']}", n, None,
                f"≤ {r['target']:g} × Watson" if r["target"] else "", f"{verdict(r)}; {note}".lstrip("; "),
                cpu=r["taskerlog"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--watson", help="the watson executable (default: $WATSON, else watson on PATH)")
    ap.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="runs of each command; the median counts")
    ap.add_argument("--sizes", default="10000", help="generated logbooks to add to the sample one ('' for none)")
    ap.add_argument("--workdir", help="keep the logbooks here (default: a temporary folder)")
    args = ap.parse_args(argv)
    watson = find_watson(args.watson)
    if watson is None:
        print(INSTALL)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-cli-"))
    workdir.mkdir(parents=True, exist_ok=True)
    books = [("The sample logbook (sample_data/hourly-usd)", sample_logbook(workdir))]
    books += [(f"A generated logbook of {int(n):,} entries", generated_logbook(int(n), workdir))
              for n in args.sizes.replace("_", "").split(",") if n.strip()]
    for label, db in books:
        print(table(label, measure(db, watson, args.runs, workdir)) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
