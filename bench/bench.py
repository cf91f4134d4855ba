"""The performance bar, measured in one run.

    .venv/bin/python bench/bench.py [--sizes 10000,100000,1000000] [--out docs/performance.md]

For each size it generates a logbook (bench/generate.py) and measures the following.
Each floor and import runs ``--runs`` times (3; at least 7 up to 100k entries, where a run
takes well under a second) into fresh files and the fastest run counts: on a shared
machine noise only adds time. The floor and the in-process import take turns (floor,
import, floor, import ...) so that a slow minute of the machine hits both alike. One
import runs first and is not counted: the first in a process pays one-time set-up
(pyarrow's kernels, compiled patterns, time zone data) that the command-line row shows.

- **floor**: the plain ``sqlite3`` ``executemany`` of the same work rows into a fresh
  file, in a table with the same columns as work.csv, in one transaction. It is shown
  again with the reading of work.csv by the ``csv`` module added, for reference.
- **import**: reading the bundle and ``bundle.import_tables`` into a fresh logbook, and
  the same end to end through the ``taskerlog import`` command. Target: at most 4 × the
  floor from 100k entries up (at 10k the whole import takes a tenth of a second, and the
  ratio is shown for information).
- **frames**: ``store.frames()``, the logbook read into data frames.
- **metrics**: ``metrics.compute`` over the whole logbook (with breakdowns, as
  ``metrics --json`` does), after the frames are loaded. Target: under 2 s at 1M.

Then it runs every ``bench/bench_*.py`` module's ``run(results, sizes, workdir)``. The
other areas (app, pooling, spreadsheet import...) add their own rows there (see
bench/README.md). It prints one table and writes it, with the machine it ran on, into
``--out`` between the ``<!-- bench:begin -->`` and ``<!-- bench:end -->`` markers. The
text around the markers is kept.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import importlib.util
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds`` (wall clock) and ``t.cpu`` (CPU time of
    this process and of the children it waited for). A GC pass runs first."""

    def __enter__(self):
        gc.collect()
        self._cpu = _cpu_now()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.cpu = _cpu_now() - self._cpu


def _cpu_now() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def machine_cpu() -> tuple[float, float, float] | None:
    """(CPU seconds every core spent busy, seconds stolen by the hypervisor, this process's
    CPU seconds) so far, from /proc/stat; None where there is no /proc (not Linux)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    hz = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / hz, steal / hz, _cpu_now()


def others_note(before: tuple[float, float, float] | None, after: tuple[float, float, float] | None,
                seconds: float) -> str:
    """How much of a core other programs used, and the hypervisor stole, between two
    :func:`machine_cpu` readings ``seconds`` apart: what tells a reader whether a ratio was
    measured on a quiet machine (docs/performance.md: a program on the other core can
    move the 10k import from 3.1 × to 4.4 × the floor)."""
    if before is None or after is None or seconds <= 0:
        return ""
    others = max(0.0, (after[0] - before[0]) - (after[2] - before[2])) / seconds
    stolen = max(0.0, after[1] - before[1]) / seconds
    return f"; meanwhile other programs used {others:.0%} of a core, the hypervisor stole {stolen:.0%}"


def row(results: list[dict], area: str, what: str, size: int, seconds: float | None, target: str = "",
        note: str = "", cpu: float | None = None) -> dict:
    r = {"area": area, "what": what, "size": size, "seconds": seconds, "target": target, "note": note}
    if cpu is not None:
        r["cpu"] = cpu
    results.append(r)
    show(r)
    return r


def show(r: dict) -> None:
    if r.get("_shown"):
        return
    r["_shown"] = True
    secs = "—" if r.get("seconds") is None else f"{r['seconds']:9.3f} s"
    print(f"  {r.get('area', ''):10} {r.get('what', ''):48} {r.get('size', 0):>9,} {secs} "
          f"{r.get('target', '')} {r.get('note', '')}", flush=True)


BAR_FROM = 100_000
"""The import is held to 4 × the floor from this size up; below, it lasts a tenth of a
second and the ratio is for information."""


def _bar(n: int) -> str:
    return "≤ 4× floor" if n >= BAR_FROM else ""


def _judged(n: int, ratio: float) -> str:
    return f": {verdict(ratio <= 4)}" if n >= BAR_FROM else ""


def _floor_table(path: Path) -> tuple[sqlite3.Connection, str]:
    """A fresh file with one table of work.csv's columns, and its INSERT statement."""
    conn = sqlite3.connect(str(path))
    cols = ", ".join(f'"{c}" TEXT' for c in generate.WORK_COLUMNS)
    conn.execute(f"CREATE TABLE work (id INTEGER PRIMARY KEY, {cols})")
    names = ", ".join(f'"{c}"' for c in generate.WORK_COLUMNS)
    return conn, f"INSERT INTO work ({names}) VALUES ({','.join('?' * len(generate.WORK_COLUMNS))})"


def floor_executemany(rows: list[tuple], path: Path) -> Timer:
    """Plain sqlite3: the generated rows, one transaction, executemany (default pragmas)."""
    conn, sql = _floor_table(path)
    try:
        with Timer() as t:
            with conn:
                conn.executemany(sql, rows)
    finally:
        conn.close()
    return t


def floor_csv_executemany(csv_path: Path, path: Path) -> Timer:
    """The same, reading the rows from work.csv with the csv module on the way."""
    conn, sql = _floor_table(path)
    try:
        with Timer() as t:
            with open(csv_path, newline="", encoding="utf-8") as fh:
                reader = csv.reader(fh)
                next(reader)
                with conn:
                    conn.executemany(sql, reader)
    finally:
        conn.close()
    return t


def best(run, runs: int):
    """The fastest of ``runs`` runs (``run(i)`` → Timer): noise on a shared machine only
    ever adds time, so the minimum is the steadiest figure; floor and import get the same."""
    return min((run(i) for i in range(runs)), key=lambda t: t.seconds)


def verdict(ok: bool) -> str:
    return "meets" if ok else "**misses**"


def core_benchmarks(results: list[dict], sizes: list[int], workdir: Path, *, cli: bool = True,
                    runs: int = 3) -> None:
    from taskerlog import bundle, metrics
    from taskerlog.store import Store

    for n in sizes:
        print(f"size {n:,}", flush=True)
        with Timer() as t:
            g = generate.generate(n)
            folder = generate.write_bundle(g, workdir / f"bundle-{n}")
        print(f"  (generated and wrote the bundle in {t.seconds:.1f} s)", flush=True)

        # the fastest run estimates the time without noise; an import lasts four times the
        # floor, so fewer of its runs fall in a quiet moment of a busy machine: more runs where
        # they are cheap (bench/README.md)
        n_runs = max(runs, 15) if n <= 10_000 else max(runs, 7) if n <= 100_000 else runs

        def one_import(i: int) -> tuple[Timer, Timer, Store]:
            s = Store(workdir / f"logbook-{n}-{i}.sqlite")
            with Timer() as t_read:
                tables, problems = bundle.read_bundle(folder)
            if problems:
                raise SystemExit(f"the generated bundle has problems: {[str(p) for p in problems][:5]}")
            with Timer() as t_import:
                report = bundle.import_tables(s, tables, source=f"bench-{n}")
            added = report.tables["work"].added
            assert added == n, f"imported {added} work rows, expected {n}"
            t_read.total, t_read.total_cpu = t_read.seconds + t_import.seconds, t_read.cpu + t_import.cpu
            return t_read, t_import, s

        warm = one_import(-1)[2]  # not counted: the first import in a process sets things up once
        warm.close()
        floors, tries = [], []
        load_before, turns_started = machine_cpu(), time.perf_counter()
        for i in range(n_runs):  # taking turns: a slow spell of the machine hits both
            floors.append(floor_executemany(g.work, workdir / f"floor-{n}-{i}.sqlite"))
            tries.append(one_import(i))
        load = others_note(load_before, machine_cpu(), time.perf_counter() - turns_started)
        floor = min(floors, key=lambda t: t.seconds)
        row(results, "import", "floor: sqlite3 executemany of the work rows", n, floor.seconds, cpu=floor.cpu)
        t = best(lambda i: floor_csv_executemany(folder / "work.csv", workdir / f"floor-csv-{n}-{i}.sqlite"), runs)
        row(results, "import", "floor + csv.reader of work.csv", n, t.seconds, cpu=t.cpu)
        del g
        gc.collect()
        t_read, t_import, store = min(tries, key=lambda t: t[0].total)
        for _, _, s in tries:
            if s is not store:
                s.close()
        row(results, "import", "read_bundle (CSV → string tables)", n, t_read.seconds, cpu=t_read.cpu)
        row(results, "import", "import_tables (validate + write)", n, t_import.seconds, cpu=t_import.cpu)
        total, total_cpu = t_read.total, t_read.total_cpu
        ratio = total / floor.seconds
        row(results, "import", "import, in process (read + import_tables)", n, total, _bar(n),
            f"{ratio:.1f}× floor{_judged(n, ratio)} (CPU {total_cpu / max(floor.cpu, 1e-6):.1f}×){load}",
            cpu=total_cpu)

        if cli:
            exe = shutil.which("taskerlog", path=str(Path(sys.executable).parent)) or "taskerlog"
            failed = None

            def cli_import(i: int) -> Timer:
                nonlocal failed
                with Timer() as t:
                    proc = subprocess.run([exe, "--db", str(workdir / f"cli-{n}-{i}.sqlite"), "import", str(folder)],
                                          capture_output=True, text=True)
                if proc.returncode != 0:
                    failed = (proc.stderr or proc.stdout).strip()[:200]
                return t

            t = best(cli_import, runs)
            if failed:
                row(results, "import", "taskerlog import (CLI, end to end)", n, None, _bar(n), f"FAILED: {failed}")
            else:
                ratio = t.seconds / floor.seconds
                row(results, "import", "taskerlog import (CLI, end to end)", n, t.seconds, _bar(n),
                    f"{ratio:.1f}× floor{_judged(n, ratio)} (CPU {t.cpu / max(floor.cpu, 1e-6):.1f}×)", cpu=t.cpu)

        with Timer() as t:
            frames = store.frames()
        row(results, "metrics", "store.frames() (load the logbook)", n, t.seconds, cpu=t.cpu)
        with Timer() as t:
            figures = metrics.compute(frames)
        shape = f"{len(figures.get('by_week') or [])} weeks, {len(figures.get('by_project') or [])} projects"
        if n >= 1_000_000:
            row(results, "metrics", "metrics.compute (whole logbook, breakdowns)", n, t.seconds, "< 2 s at 1M",
                f"{verdict(t.seconds < 2)}; {shape}", cpu=t.cpu)
        else:
            row(results, "metrics", "metrics.compute (whole logbook, breakdowns)", n, t.seconds, "", shape,
                cpu=t.cpu)
        with Timer() as t:
            metrics.compute(frames, breakdowns=False)
        row(results, "metrics", "metrics.compute (whole logbook, no breakdowns)", n, t.seconds, cpu=t.cpu)
        store.close()
        del frames
        for f in workdir.glob(f"*-{n}*.sqlite*"):
            f.unlink()
        gc.collect()


def profile(n: int, workdir: Path, out: Path, top: int = 25) -> None:
    """cProfile of import_tables and metrics.compute at size ``n``, written to ``out``."""
    import cProfile
    import io
    import pstats

    from taskerlog import bundle, metrics
    from taskerlog.store import Store

    folder = generate.write_bundle(generate.generate(n), workdir / f"profile-bundle-{n}")
    store = Store(workdir / f"profile-{n}.sqlite")
    parts = []
    loaded = {}

    def load():
        loaded["frames"] = store.frames()

    for label, fn in (("read_bundle + import_tables", lambda: bundle.import_tables(
                          store, bundle.read_bundle(folder)[0], source="profile")),
                      ("store.frames", load),
                      ("metrics.compute (frames already loaded)", lambda: metrics.compute(loaded["frames"]))):
        prof = cProfile.Profile()
        prof.enable()
        fn()
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
        parts.append(f"## {label} at {n:,} entries\n\n{buf.getvalue()}")
    store.close()
    out.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote the profile to {out}")


def plugin_benchmarks(results: list[dict], sizes: list[int], workdir: Path) -> list[str]:
    """Run every bench/bench_*.py ``run(results, sizes, workdir)``; a failure is a row, not a crash."""
    ran = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem
        print(f"{name}", flush=True)
        before = len(results)
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            sub = workdir / name
            sub.mkdir(exist_ok=True)
            mod.run(results, sizes, sub)
        except Exception as exc:  # noqa: BLE001 - one module's failure must not hide the others
            traceback.print_exc()
            results.append({"area": name.removeprefix("bench_"), "what": "FAILED", "size": 0, "seconds": None,
                            "note": f"{type(exc).__name__}: {exc}"[:200]})
        for r in results[before:]:
            r.setdefault("area", name.removeprefix("bench_"))
            r.setdefault("note", "")
            r.setdefault("target", "")
            show(r)
        ran.append(name)
    return ran


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import pandas
    import numpy
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "CPU": cpu, "cores": str(os.cpu_count()), "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(), "SQLite": sqlite3.sqlite_version,
        "pandas": pandas.__version__, "numpy": numpy.__version__,
    }


def markdown(results: list[dict], info: dict[str, str], sizes: list[int], plugins: list[str],
             elapsed: float) -> str:
    lines = [BEGIN, "", f"Measured {info['date']} by `bench/bench.py --sizes {','.join(map(str, sizes))}` "
             f"({elapsed / 60:.1f} min in all).", "",
             "| machine | |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in info.items() if k != "date"]
    lines += ["", "| area | what | entries | seconds | CPU s | target | note |",
              "| --- | --- | ---: | ---: | ---: | --- | --- |"]
    for r in results:
        secs = "—" if r.get("seconds") is None else f"{r['seconds']:.3f}"
        cpu = "" if r.get("cpu") is None else f"{r['cpu']:.3f}"
        lines.append(f"| {r.get('area', '')} | {r.get('what', '')} | {r.get('size', 0):,} | {secs} | {cpu} | "
                     f"{r.get('target', '')} | {r.get('note', '')} |")
    lines += ["", f"Modules run: bench.py{''.join(', ' + p + '.py' for p in plugins)}.", "", END]
    return "\n".join(lines)


def write_out(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of work entries")
    ap.add_argument("--out", default=str(ROOT / "docs" / "performance.md"), help="markdown file to update")
    ap.add_argument("--workdir", default=None, help="where bundles and logbooks go (default: a temp folder)")
    ap.add_argument("--no-cli", action="store_true", help="skip the end-to-end `taskerlog import` run")
    ap.add_argument("--runs", type=int, default=3, help="runs of each floor and import; the fastest counts")
    ap.add_argument("--only-core", action="store_true", help="skip bench/bench_*.py modules")
    ap.add_argument("--profile", metavar="FILE", help="also write a cProfile of import and metrics "
                    "at the largest size to FILE")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="taskerlog-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"taskerlog benchmark: sizes {sizes}, workdir {workdir}")
    print("  " + ", ".join(f"{k} {v}" for k, v in info.items()))
    results: list[dict] = []
    started = time.perf_counter()
    try:
        core_benchmarks(results, sizes, workdir, cli=not args.no_cli, runs=args.runs)
        plugins = [] if args.only_core else plugin_benchmarks(results, sizes, workdir)
        if args.profile:
            profile(max(sizes), workdir, Path(args.profile))
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    if args.out:
        write_out(Path(args.out), markdown(results, info, sizes, plugins, elapsed))
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
