"""Pooling benchmark (issues 4, 21): 100,000 contributions of 12 months each, pooled, reported, published.

Targets: ``pool add`` + ``pool publish`` (load + bound + noisy counts and quantiles of every
group + ledger + CSV + HTML) of all files < 60 s together (issue 21), and ``pool report`` (the
working view: load + aggregate + suppress + CSV + HTML) < 60 s. The contributions are synthetic,
from a seeded generator: 3 platforms, 5 categories, each worker on one platform in one or two
categories for all 12 months; the files hold what ``taskerlog contribute`` writes, without its
indentation (Python's JSON encoder is 10× slower with it, and generating is not what is measured).
Run alone, the files and the pool go to ``/dev/shm`` (memory) when it exists, so the disk of a
shared machine does not dominate.
``bench/bench.py`` discovers this module and calls :func:`run`; it also runs alone:

    .venv/bin/python bench/bench_pool.py [N]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from decimal import Decimal

from taskerlog.pool import pool as P
from taskerlog.pool import publish as PB
from taskerlog.pool import release_report as RR
from taskerlog.pool import report as R
from taskerlog.pool.campaign import Campaign
from taskerlog.pool.contribution import CONTRIBUTION_FORMAT

N_CONTRIBUTIONS = 100_000


def bench_campaign() -> Campaign:
    return Campaign(campaign_id="bench-2026", name="Benchmark campaign", months="2026-01..2026-12",
                    platforms=["Outlier", "Remotasks", "MTurk"],
                    categories=["rating/ranking", "writing", "audio", "annotation", "coding"])


def write_contributions(folder: Path, n: int, campaign: Campaign, seed: int = 4) -> list[Path]:
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for w in range(n):
        plat = rnd.choices(campaign.platforms, weights=[5, 3, 2])[0]
        cats = rnd.sample(campaign.categories, rnd.choice([1, 1, 2]))
        rows = []
        for m in campaign.months:
            for c in sorted(cats):
                hw2 = rnd.randint(2, 320)
                hp2 = rnd.randint(0, hw2)
                cut = rnd.choice([0, 0, 0, 1])
                rows.append({"month": m, "platform": plat, "category": c, "hours_worked": _h(hw2), "hours_paid": _h(hp2),
                             "unpaid_hours": {"waiting": _h(hw2 - hp2)} if hw2 > hp2 else {},
                             "earned": int(hp2 / 2 * rnd.randint(2, 30)), "units": 0,
                             "eq_days": rnd.choice([0, 0, 0, 2, 9]), "rate_cuts": cut, "largest_cut_pct": -20 if cut else 0})
        data = {"format": CONTRIBUTION_FORMAT, "campaign_id": campaign.campaign_id,
                "pseudonym": hashlib.sha256(f"bench {w}".encode()).hexdigest(), "currency": campaign.currency,
                "months": list(campaign.months), "rows": rows}
        p = folder / f"member-{w:06d}.json"
        p.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")  # C encoder: fast
        paths.append(p)
    return paths


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (pool add checks chunks in several)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _peak_mb() -> str:
    """Peak resident memory of this process and of its largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return f"{own:,} MB" + (f" + {child:,} MB per worker" if child else "")


def _h(halves: int) -> float | int:
    return halves // 2 if halves % 2 == 0 else halves / 2


def run(results: list[dict], sizes: list[int], workdir: Path, n: int = N_CONTRIBUTIONS) -> None:
    workdir = Path(workdir)
    campaign = bench_campaign()
    t0 = time.perf_counter()
    files = write_contributions(workdir / "inbox", n, campaign)
    gen = time.perf_counter() - t0
    pool_dir = workdir / "pool"
    P.init_pool(pool_dir, campaign)
    load = os.getloadavg()[0]  # other work on a shared machine lengthens the wall clock
    t0, c0 = time.perf_counter(), cpu_seconds()
    res = P.add_contributions(pool_dir, files)
    add_s, add_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    assert res.added == n and not res.problems, res.problems[:3]
    results.append({"area": "pool", "what": "pool add (validate + store 12-month files)", "size": n,
                    "seconds": add_s, "target": "< 60 s" + (" meets" if add_s < 60 else " **misses**"),
                    "note": f"{add_cpu:.1f} s of CPU in up to {P.WORKERS} processes, load average {load:.1f} before; "
                            f"peak memory {_peak_mb()}; generating the files took {gen:.1f} s (not counted)"})
    t0, c0 = time.perf_counter(), cpu_seconds()
    rel = PB.publish(pool_dir, Decimal("0.5"), now=dt.datetime.now(dt.timezone.utc), reference_wage=Decimal("7.25"))
    out_text = RR.to_csv(rel) + RR.to_html(rel)
    pub_s, pub_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    shown = sum(g["status"] == "published" for g in rel.groups)
    both = add_s + pub_s
    results.append({"area": "pool", "what": "pool publish (load + DP release of every group + ledger + CSV + HTML)",
                    "size": n, "seconds": pub_s,
                    "target": "add + publish < 60 s" + (" meets" if both < 60 else " **misses**") + f" ({both:.1f} s)",
                    "note": f"{pub_cpu:.1f} s of CPU, add + publish {add_cpu + pub_cpu:.1f} s of CPU; ε 0.5, "
                            f"{len(rel.groups)} groups, {shown} published, {len(out_text):,} bytes written"})
    t0 = time.perf_counter()
    rows = P.load_rows(pool_dir, campaign)
    rep = P.report(rows, campaign, reference_wage=None)
    csv_text, html_text = R.to_csv(rep), R.to_html(rep)
    rep_s = time.perf_counter() - t0
    results.append({"area": "pool", "what": "pool report (load + aggregate + suppress + CSV + HTML)", "size": n,
                    "seconds": rep_s, "target": "< 60 s" + (" meets" if rep_s < 60 else " **misses**"),
                    "note": f"{len(rows):,} rows, {len(rep.groups)} groups shown, "
                            f"{len(csv_text) + len(html_text):,} bytes written"})


if __name__ == "__main__":
    out: list[dict] = []
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as d:
        run(out, [], Path(d), int(sys.argv[1]) if len(sys.argv) > 1 else N_CONTRIBUTIONS)
    for r in out:
        print(f"{r['what']:58} {r['size']:>7,} {r['seconds']:8.2f} s  {r['target']}  {r['note']}")
