"""The benchmark's generator makes logbooks taskerlog imports cleanly (no timing here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from taskerlog import bundle, metrics
from taskerlog.store import Store

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import bench  # noqa: E402
import generate  # noqa: E402


def test_generated_bundle_imports_cleanly(tmp_path):
    g = generate.generate(200)
    assert len(g.work) == 200
    folder = generate.write_bundle(g, tmp_path / "bundle")
    tables, problems = bundle.read_bundle(folder)
    assert [str(p) for p in problems] == []
    store = Store(tmp_path / "logbook.sqlite", now=lambda: 1_780_000_000)
    report = bundle.import_tables(store, tables, source="bench")
    assert report.tables["work"].added == 200
    frames = store.frames()
    assert set(frames.work["platform"]) == {"MTurk", "Outlier", "Prolific", "Remotasks"}
    figures = metrics.compute(frames, breakdowns=False)  # GBP pay needs every day's rate: none missing
    assert 0 < figures["hours_paid"] < figures["hours_worked"]
    store.close()


def test_generator_is_deterministic_and_exact_in_size():
    a, b = generate.generate(1234), generate.generate(1234)
    assert a.work == b.work and a.tables == b.tables
    assert len(a.work) == 1234
    assert generate.generate(1234, seed=1).work != a.work


def test_floor_inserts_the_same_rows(tmp_path):
    g = generate.generate(300)
    t = bench.floor_executemany(g.work, tmp_path / "floor.sqlite")
    assert t.seconds >= 0
    import sqlite3

    conn = sqlite3.connect(tmp_path / "floor.sqlite")
    assert conn.execute("SELECT count(*) FROM work").fetchone()[0] == 300
    conn.close()


def test_results_go_between_the_markers_and_keep_the_rest(tmp_path):
    out = tmp_path / "performance.md"
    out.write_text(f"# Performance\n\nhand-written analysis\n\n{bench.BEGIN}\nold\n{bench.END}\n\nmore notes\n")
    results = [{"area": "import", "what": "x", "size": 10, "seconds": 0.5, "target": "", "note": ""}]
    block = bench.markdown(results, {"date": "today", "CPU": "test"}, [10], ["bench_app"], 1.0)
    bench.write_out(out, block)
    text = out.read_text()
    assert "hand-written analysis" in text and "more notes" in text
    assert "old" not in text and "| import | x | 10 | 0.500 |" in text and "bench_app.py" in text


def test_a_failing_plugin_is_a_row_not_a_crash(tmp_path, monkeypatch):
    fake = tmp_path / "bench"
    fake.mkdir()
    (fake / "bench_good.py").write_text(
        "def run(results, sizes, workdir):\n"
        "    results.append({'area': 'pool', 'what': 'pool 10k', 'size': sizes[0], 'seconds': 0.1,"
        " 'target': '< 1 s'})\n")
    (fake / "bench_bad.py").write_text("def run(results, sizes, workdir):\n    raise RuntimeError('boom')\n")
    monkeypatch.setattr(bench, "HERE", fake)
    results: list[dict] = []
    ran = bench.plugin_benchmarks(results, [10], tmp_path)
    assert ran == ["bench_bad", "bench_good"]
    assert results[0]["what"] == "FAILED" and "boom" in results[0]["note"]
    assert results[1]["what"] == "pool 10k" and results[1]["note"] == ""


@pytest.mark.parametrize("n", [1, 99, 101])
def test_small_sizes_still_make_a_valid_logbook(tmp_path, n):
    folder = generate.write_bundle(generate.generate(n), tmp_path / "b")
    tables, problems = bundle.read_bundle(folder)
    store = Store(tmp_path / "l.sqlite", now=lambda: 1_780_000_000)
    assert bundle.import_tables(store, tables, source="bench").tables["work"].added == n
    store.close()


def test_compare_import_finds_a_changed_import_and_no_change(tmp_path, monkeypatch):
    """bench/compare_import.py's dump: the same bundle twice gives the same record, and an
    import that parses differently does not (the check a speed change must pass)."""
    import pickle

    import compare_import
    folder = Path(__file__).resolve().parents[1] / "sample_data" / "kenya-kes"
    one, two, three = (tmp_path / n for n in ("one", "two", "three"))
    for d in (one, two, three):
        d.mkdir()
    compare_import.dump(one / "d.pkl", [folder], one)
    compare_import.dump(two / "d.pkl", [folder], two)
    from taskerlog.bundle import importer
    real = importer._PARSERS["projects"]
    monkeypatch.setitem(importer._PARSERS, "projects",
                        lambda ck, tz, home: real(ck, tz, home).assign(notes="changed"))
    compare_import.dump(three / "d.pkl", [folder], three)
    first, second, third = (pickle.loads((d / "d.pkl").read_bytes())[str(folder)] for d in (one, two, three))
    assert first == second
    assert first["report"]["added"] > 0 and first["again"]["added"] == 0
    assert first["parse projects UTC"] != third["parse projects UTC"] and first["rows"] != third["rows"]


def test_instruction_counting_child_runs_what_it_names(tmp_path):
    """bench/instructions.py's child (what runs under valgrind) imports the bundle afresh
    each time, so that its counts for 1 and 3 runs differ by two whole imports."""
    import instructions

    generate.write_bundle(generate.generate(120), tmp_path / "bundle-120")
    instructions.child("import", 2, 120, tmp_path)
    instructions.child("floor", 2, 120, tmp_path)
    import sqlite3

    for name in ("logbook-2-0", "logbook-2-1", "floor-2-0", "floor-2-1"):
        conn = sqlite3.connect(tmp_path / f"{name}.sqlite")
        assert conn.execute("SELECT count(*) FROM work").fetchone()[0] == 120
        conn.close()


def test_the_import_row_says_how_busy_the_machine_was():
    """Between two readings 2 s apart, the machine's cores were busy 2.5 s, 1.5 s of it this
    process: other programs used half a core; 0.2 s stolen is a tenth of the time."""
    note = bench.others_note((10.0, 1.0, 2.0), (12.5, 1.2, 3.5), 2.0)
    assert note == "; meanwhile other programs used 50% of a core, the hypervisor stole 10%"
    assert bench.others_note(None, (12.5, 1.2, 3.5), 2.0) == ""
    reading = bench.machine_cpu()
    if reading is not None:  # Linux: this process's own CPU time is part of the machine's
        busy, _stolen, mine = reading
        assert 0 < mine <= busy + 0.05
