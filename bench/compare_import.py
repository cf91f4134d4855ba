"""Does an import still do exactly what it did at another commit? For speed work on the
importer, the store and the journal.

    .venv/bin/python bench/compare_import.py REV        # e.g. HEAD~3, or a commit id

It imports the same bundles with the code of REV (taken with ``git archive``) and with the
working tree, each in its own process, and compares everything an import produces: the
string tables read, every parsed table (values and dtypes) and its problems in three time
zones, the reference check, the duplicate check, the stored rows, the journal (hashes
included) and a second import of the same bundle (it must add nothing). The bundles are
the three samples, two generated logbooks, and copies of three of them altered five ways:
blank defaults, duplicate keys, unknown projects, bad cells, CRLF line ends. Exits 1 and
names the first differences if there are any.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import pickle
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAD_CELLS = ["x", "2026-13-01", "12,50", "-1", " 5 ", "'=1", "2026-03-29T01:30", "2026-02-30", "1e3", "١٢"]


def _rewrite(folder: Path, edit) -> None:
    for f in folder.glob("*.csv"):
        rows = list(csv.reader(io.StringIO(f.read_text(encoding="utf-8"))))
        edit(f.name, rows)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        f.write_text(buf.getvalue(), encoding="utf-8")


def _blanks(rnd: random.Random):
    def edit(name, rows):
        for col in ("pay_model", "currency", "status", "unit", "fee"):
            if rows and col in rows[0]:
                i = rows[0].index(col)
                for r in rows[1:]:
                    if rnd.random() < 0.5:
                        r[i] = ""
    return edit


def _duplicates(name, rows):
    if name == "projects.csv" and len(rows) > 2:
        rows.append(list(rows[1]))
        changed = list(rows[2])
        changed[rows[0].index("notes")] = "changed"
        rows.append(changed)
    if name == "fx.csv" and len(rows) > 1:
        rows.append(list(rows[1]))


def _unknown_projects(name, rows):
    if name in ("work.csv", "rates.csv") and len(rows) > 2:
        rows[1][rows[0].index("project")] = "No such project"


def _bad_cells(rnd: random.Random):
    def edit(name, rows):
        for r in rows[1:]:
            for i in range(len(r)):
                if rnd.random() < 0.05:
                    r[i] = rnd.choice(BAD_CELLS)
    return edit


def make_bundles(work: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    samples = [ROOT / "sample_data" / n for n in ("hourly-usd", "kenya-kes", "microtask-mturk")]
    small = generate.write_bundle(generate.generate(300), work / "generated-300")
    big = generate.write_bundle(generate.generate(10_000), work / "generated-10000")
    out = [*samples, small, big]
    rnd = random.Random(7)
    for src in [*samples, small]:
        for label, edit in (("blanks", _blanks(rnd)), ("duplicates", _duplicates),
                            ("unknown-projects", _unknown_projects), ("bad-cells", _bad_cells(rnd)),
                            ("crlf", None)):
            dst = work / f"{src.name}-{label}"
            shutil.copytree(src, dst)
            if edit is None:
                for f in dst.glob("*.csv"):
                    f.write_bytes(f.read_bytes().replace(b"\n", b"\r\n"))
            else:
                _rewrite(dst, edit)
            out.append(dst)
    return out


def _plain(df):
    """A frame as comparable Python values and dtype names."""
    return df.astype(object).where(df.notna(), None).to_dict("list"), [str(d) for d in df.dtypes]


def dump(out: Path, bundles: list[Path], scratch: Path) -> None:
    """Everything an import of each bundle produces, pickled into ``out``."""
    from taskerlog import bundle
    from taskerlog.bundle import importer
    from taskerlog.bundle.parse import Checker
    from taskerlog.store import Store

    found = {}
    for folder in bundles:
        tables, problems = bundle.read_bundle(folder)
        rec: dict = {"read": ([str(p) for p in problems], {k: _plain(v) for k, v in tables.items()})}
        parsed = {}
        for name, df in tables.items():
            if name not in importer._PARSERS:
                continue
            for tz in ("UTC", "Europe/London", "America/New_York"):
                ck = Checker(df, name)
                frame = importer._PARSERS[name](ck, tz, "USD")
                rec[f"parse {name} {tz}"] = (_plain(frame), [str(p) for p in ck.problems])
                if tz == "UTC":
                    parsed[name] = frame
        resolved, ref_problems = importer._resolve(parsed, None, tables, "USD")
        rec["resolve"] = ({k: _plain(v) for k, v in resolved.items()}, [str(p) for p in ref_problems])
        for name in sorted(importer.UNIQUE & set(parsed)):
            kept, dup_problems = importer._unique_rows(name, parsed[name], tables[name])
            rec[f"unique {name}"] = (_plain(kept), [str(p) for p in dup_problems])
        db = scratch / f"{folder.name}.sqlite"
        store = Store(db, now=lambda: 1_700_000_000)
        try:
            rec["report"] = bundle.import_tables(store, tables, source="compare").to_dict()
            rec["rows"] = {t: store.conn.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall()
                           for t in ("settings", "platforms", "projects", "rates", "work", "eq", "payouts",
                                     "expenses", "fx")}
            rec["journal"] = store.conn.execute(
                "SELECT seq, tbl, action, source, cols, row_count, rows, old, new, hash FROM journal").fetchall()
            rec["again"] = bundle.import_tables(store, tables, source="compare").to_dict()
        except bundle.ImportProblems as exc:
            rec["problems"] = [str(p) for p in exc.problems]
        finally:
            store.close()
        found[str(folder)] = rec
    out.write_bytes(pickle.dumps(found))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rev", nargs="?", help="the commit to compare the working tree with")
    ap.add_argument("--keep", help="keep the bundles and logbooks in this folder")
    ap.add_argument("--dump", nargs="+", metavar=("OUT", "BUNDLE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.dump:  # the worker: run with the code found first on sys.path
        out = Path(args.dump[0])
        dump(out, [Path(b) for b in args.dump[1:]], out.parent)
        return 0
    if not args.rev:
        ap.error("give the commit to compare with, e.g. HEAD~1")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="taskerlog-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        old_code = work / "old-code"
        old_code.mkdir(exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.rev, "taskerlog"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old_code)], input=archive, check=True)
        bundles = make_bundles(work / "bundles")
        results = {}
        for label, code in (("old", old_code), ("new", ROOT)):
            (work / label).mkdir(exist_ok=True)
            # the old code first on the path, and not the installed (editable) package
            env = {**os.environ, "PYTHONPATH": str(code), "PYTHONSAFEPATH": "1"}
            runner = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in "
                      "repr(f).lower()]; sys.argv = sys.argv[1:]; import runpy; "
                      "runpy.run_path(sys.argv[0], run_name='__main__')")
            subprocess.run([sys.executable, "-c", runner, __file__, "--dump", str(work / label / "dump.pkl"),
                            *map(str, bundles)], check=True, env=env, cwd=str(work))
            results[label] = pickle.loads((work / label / "dump.pkl").read_bytes())
        differences = [(b, k) for b in results["old"] for k in sorted(set(results["old"][b]) | set(results["new"][b]))
                       if results["old"][b].get(k) != results["new"][b].get(k)]
        for b, k in differences[:20]:
            print(f"differs: {Path(b).name}: {k}")
        print(f"{len(bundles)} bundles compared with {args.rev}: "
              + (f"{len(differences)} differences" if differences else "the same in every respect"))
        return 1 if differences else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
