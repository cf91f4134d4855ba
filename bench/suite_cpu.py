"""The test suite's CPU, test by test, the processes it starts included (Streamlit servers,
Chromium and its renderers, `taskerlog` children): what `time make test` cannot show, because
Chromium's processes are never reaped into the pytest process's rusage.

    PYTHONPATH=bench .venv/bin/python -m pytest -p suite_cpu          # writes /tmp/suite-cpu/<worker>.jsonl
    .venv/bin/python bench/suite_cpu.py /tmp/suite-cpu [N]           # CPU by module, then the N costliest tests

A test's CPU is the pytest process's own (user + system) and that of every process below it,
the live ones read from /proc and the reaped ones from RUSAGE_CHILDREN, from the test's set-up
to its teardown. A browser test's figure holds the start of the next test's server (started
ahead). The test during which the session's Chromium closes shows its whole tree leaving as a
large negative figure: the summary counts it as zero. `SUITE_CPU_DIR` sets the folder.
"""

from __future__ import annotations

import collections
import glob
import json
import os
import resource
import sys
import time

import pytest

OUT = os.environ.get("SUITE_CPU_DIR", "/tmp/suite-cpu")
TICKS = os.sysconf("SC_CLK_TCK")


def _below_me() -> float:
    """CPU seconds of the live processes below this one (each with the children it reaped)."""
    parent, cpu = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parent[int(pid)] = int(fields[1])
        cpu[int(pid)] = sum(int(x) for x in fields[11:15]) / TICKS  # utime stime cutime cstime
    children = collections.defaultdict(list)
    for pid, ppid in parent.items():
        children[ppid].append(pid)
    total, todo = 0.0, list(children[os.getpid()])
    while todo:
        pid = todo.pop()
        total += cpu[pid]
        todo += children[pid]
    return total


def _now() -> tuple[float, float]:
    me, reaped = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, reaped.ru_utime + reaped.ru_stime + _below_me()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    (own0, kids0), t0 = _now(), time.time()
    yield
    (own1, kids1), t1 = _now(), time.time()
    os.makedirs(OUT, exist_ok=True)
    with open(f"{OUT}/{worker}.jsonl", "a") as f:
        f.write(json.dumps({"id": item.nodeid, "worker": worker, "start": t0, "wall": round(t1 - t0, 3),
                            "self": round(own1 - own0, 3), "children": round(kids1 - kids0, 3)}) + "\n")


def summary(folder: str, most: int = 0) -> str:
    rows = [json.loads(line) for path in glob.glob(f"{folder}/*.jsonl") for line in open(path)]
    for r in rows:
        r["cpu"] = r["self"] + max(r["children"], 0.0)
    by_module = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for r in rows:
        m = by_module[r["id"].split("::")[0]]
        m[0] += 1
        m[1] += r["cpu"]
        m[2] += r["wall"]
    lines = [f"{'module':55} {'tests':>5} {'CPU s':>7} {'wall s':>7}"]
    for name, (n, cpu, wall) in sorted(by_module.items(), key=lambda kv: -kv[1][1]):
        lines.append(f"{name:55} {n:5} {cpu:7.1f} {wall:7.1f}")
    lines.append(f"{'all':55} {len(rows):5} {sum(r['cpu'] for r in rows):7.1f}")
    for worker in sorted({r["worker"] for r in rows}):
        mine = [r for r in rows if r["worker"] == worker]
        lines.append(f"worker {worker}: {len(mine)} tests, {sum(r['cpu'] for r in mine):.0f} CPU s, ends "
                     f"{max(r['start'] + r['wall'] for r in mine) - min(r['start'] for r in rows):.0f} s after the first test")
    for r in sorted(rows, key=lambda r: -r["cpu"])[:most]:
        lines.append(f"{r['cpu']:7.1f} {r['wall']:7.1f}  {r['id']}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(sys.argv[1] if len(sys.argv) > 1 else OUT, int(sys.argv[2]) if len(sys.argv) > 2 else 0))
