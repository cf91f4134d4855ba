"""Pooling benchmark (issue 4): 10,000 contributions of 12 months each, pooled, then reported.

Targets: ``pool add`` of all files < 60 s, and ``pool report`` (load + aggregate + suppress +
CSV + HTML) < 60 s. The contributions are synthetic, from a seeded generator: 3 platforms, 5
categories, each worker on one platform in one or two categories for all 12 months.
``bench/bench.py`` discovers this module and calls :func:`run`; it also runs alone:

    .venv/bin/python bench/bench_pool.py [N]
"""

from __future__ import annotations

import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

from taskerlog.pool import pool as P
from taskerlog.pool import report as R
from taskerlog.pool.campaign import Campaign
from taskerlog.pool.contribution import Contribution, Row

N_CONTRIBUTIONS = 10_000


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
            for c in cats:
                hw = rnd.randint(2, 320) / 2
                hp = rnd.randint(0, int(hw * 2)) / 2
                rows.append(Row(month=m, platform=plat, category=c, hours_worked=hw, hours_paid=hp,
                                unpaid_hours={"waiting": hw - hp} if hw > hp else {}, earned=int(hp * rnd.randint(2, 30)),
                                units=0, eq_days=rnd.choice([0, 0, 0, 2, 9]), rate_cuts=rnd.choice([0, 0, 0, 1]),
                                largest_cut_pct=0))
        rows = [r if not r.rate_cuts else r.model_copy(update={"largest_cut_pct": -20}) for r in rows]
        c = Contribution(campaign_id=campaign.campaign_id, pseudonym=hashlib.sha256(f"bench {w}".encode()).hexdigest(),
                         currency=campaign.currency, months=campaign.months, rows=tuple(rows))
        p = folder / f"member-{w:05d}.json"
        p.write_text(c.to_json(), encoding="utf-8")
        paths.append(p)
    return paths


def run(results: list[dict], sizes: list[int], workdir: Path, n: int = N_CONTRIBUTIONS) -> None:
    workdir = Path(workdir)
    campaign = bench_campaign()
    t0 = time.perf_counter()
    files = write_contributions(workdir / "inbox", n, campaign)
    gen = time.perf_counter() - t0
    pool_dir = workdir / "pool"
    P.init_pool(pool_dir, campaign)
    t0 = time.perf_counter()
    res = P.add_contributions(pool_dir, files)
    add_s = time.perf_counter() - t0
    assert res.added == n and not res.problems, res.problems[:3]
    results.append({"area": "pool", "what": "pool add (validate + store 12-month files)", "size": n,
                    "seconds": add_s, "target": "< 60 s" + (" meets" if add_s < 60 else " **misses**"),
                    "note": f"generating the files took {gen:.1f} s (not counted)"})
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
    with tempfile.TemporaryDirectory() as d:
        run(out, [], Path(d), int(sys.argv[1]) if len(sys.argv) > 1 else N_CONTRIBUTIONS)
    for r in out:
        print(f"{r['what']:58} {r['size']:>7,} {r['seconds']:8.2f} s  {r['target']}  {r['note']}")
