"""Published releases (issue 21): differential privacy with the member as the unit, the ledger,
and the audit's attacks (differencing across releases, working view vs publication, small tables)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from taskerlog.cli import cli
from taskerlog.pool import contribution as C
from taskerlog.pool import pool as P
from taskerlog.pool import publish as PB
from taskerlog.pool import release_report as RR
from taskerlog.pool.campaign import Campaign

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def pseud(i: int) -> str:
    return hashlib.sha256(f"member {i}".encode()).hexdigest()


def rows_frame(members: list[list[dict]]) -> pd.DataFrame:
    """Pool rows as load_rows gives them: one list of rows per member."""
    cols = {k: [] for k in ("worker", *P.ROW_FIELDS)}
    for w, rows in enumerate(members):
        for r in rows:
            r = dict(dict(hours_paid=r["hours_worked"], eq_days=0, rate_cuts=0), **r)
            cols["worker"].append(w)
            for k in P.ROW_FIELDS:
                cols[k].append(r[k])
    return P.rows_frame(cols)


def write_member(folder, i: int, rows: list[dict], cam: Campaign):
    full = [C.Row(**dict(dict(hours_paid=r["hours_worked"], unpaid_hours={}, units=0, eq_days=0, rate_cuts=0,
                              largest_cut_pct=0), **r)) for r in rows]
    c = C.Contribution(campaign_id=cam.campaign_id, pseudonym=pseud(i), currency=cam.currency, months=cam.months,
                       rows=tuple(full))
    path = folder / f"m{i}.json"
    path.write_text(c.to_json())
    return path


# -- the mechanism on neighbouring pools ---------------------------------------------------------------
def audit_campaign(n_categories: int) -> Campaign:
    return Campaign(campaign_id="audit-dp", name="Audit", months="2026-01", platforms="P",
                    categories=[f"c{i}" for i in range(n_categories)], max_pairs_per_member=1, wage_range=("0", "40"))


def neighbouring_pools(n_categories: int, per_group: int):
    """D: ``per_group`` members in each category; D': the same plus one canary member per category with the
    highest wage and a rate cut. Each category's figures depend only on its own members (B = 1 at the
    category level), so every category gives an independent sample of one neighbouring pair."""
    base, plus = [], []
    for c in range(n_categories):
        for i in range(per_group):
            base.append([dict(month="2026-01", platform="P", category=f"c{c}", hours_worked=10.0,
                              earned=100 + 10 * i, rate_cuts=int(i % 4 == 0))])
    plus = base + [[dict(month="2026-01", platform="P", category=f"c{c}", hours_worked=10.0, earned=400,
                         rate_cuts=1)] for c in range(n_categories)]
    return rows_frame(base), rows_frame(plus)


def max_log_ratio(a: Counter, b: Counter, n_a: int, n_b: int, least: int = 100) -> float:
    """The largest |log(P_D(v) / P_D'(v))| over outputs v seen at least ``least`` times in both."""
    worst = 0.0
    for v in set(a) & set(b):
        if a[v] >= least and b[v] >= least:
            worst = max(worst, abs(math.log((a[v] / n_a) / (b[v] / n_b))))
    return worst


def test_published_figures_of_neighbouring_pools_differ_by_no_more_than_the_epsilon_promised():
    """Empirical audit: the distribution of each published figure with and without one member differs by at
    most e^ε (ε of that figure's mechanism), over many runs, with a sampling tolerance. OpenDP draws from the
    operating system's secure randomness and cannot be seeded, so the audit works on distributions."""
    cam = audit_campaign(40)
    d, d_plus = neighbouring_pools(40, per_group=60)
    eps_level = 6.0  # 6 figures at this level (no reference wage): ε = 1 each, B = 1
    outputs = {"D": {"workers": Counter(), "wage_median": Counter(), "rate_cut_share": Counter()},
               "D'": {"workers": Counter(), "wage_median": Counter(), "rate_cut_share": Counter()}}
    runs = 50
    for name, rows in (("D", d), ("D'", d_plus)):
        for _ in range(runs):
            spent = PB._Spent()
            for rec in PB.release_level(rows, cam, "category", eps_level, spent=spent):
                for fig in outputs[name]:
                    v = rec.get(fig)
                    outputs[name][fig][None if v is None else round(v, 0 if fig != "wage_median" else 2)] += 1
            assert spent.epsilon == pytest.approx(eps_level, rel=1e-6)  # OpenDP's maps add up to the level's ε
    n = runs * 40
    tolerance = 0.45  # ~3 sampling standard deviations of a log ratio of two frequencies ≥ 100 in 2,000
    for fig in ("workers", "wage_median"):
        worst = max_log_ratio(outputs["D"][fig], outputs["D'"][fig], n, n)
        assert worst <= 1.0 + tolerance, (fig, worst)
    # the count really moves with the member (the audit would see a mechanism with too little noise)
    assert max_log_ratio(outputs["D"]["workers"], outputs["D'"]["workers"], n, n) > 0.3


def test_a_member_counts_in_at_most_max_pairs_per_member_pairs_and_the_bound_is_what_is_charged():
    cam = Campaign(campaign_id="bound-dp", name="Bound", months="2026-01..2026-03", platforms="P,Q",
                   categories="a,b,c", max_pairs_per_member=2)
    busy = [dict(month=m, platform=p, category=c, hours_worked=h, earned=100)
            for m in cam.months for p, c, h in (("P", "a", 30.0), ("P", "b", 20.0), ("Q", "c", 10.0))]
    kept = PB.bounded_rows(rows_frame([busy]), cam)
    assert sorted(set(zip(kept["platform"], kept["category"]))) == [("P", "a"), ("P", "b")]  # most hours first
    assert [PB.contributions_bound(cam, lv) for lv in P.LEVELS] == [6, 2, 6, 2]
    assert PB.contributions_bound(cam, "cell", ["2026-03"]) == 2
    groups, spent = PB.make_release(rows_frame([busy] * 3), cam, 0.8)
    assert spent <= 0.8 * (1 + 1e-9) and spent == pytest.approx(0.8, rel=1e-6)
    # the groups are the campaign's, whatever the data: 18 cells + 6 + 6 + 2, empty ones included
    assert len(groups) == 32 and len(PB.make_release(rows_frame([]), cam, 0.8)[0]) == 32


# -- the ledger ------------------------------------------------------------------------------------------
def small_pool(tmp_path, members: int = 30, **kw) -> tuple:
    cam = Campaign(**dict(dict(campaign_id="ledger-dp", name="Ledger", months="2026-01..2026-02", platforms="P",
                               categories="a"), **kw))
    pool = tmp_path / "pool"
    P.init_pool(pool, cam)
    files = [write_member(tmp_path, i, [dict(month="2026-01", platform="P", category="a", hours_worked=20,
                                              earned=150 + 5 * i)], cam) for i in range(members)]
    assert P.add_contributions(pool, files).added == members
    return cam, pool


def test_the_ledger_records_every_release_and_refuses_the_one_that_would_exceed_the_budget(tmp_path):
    cam, pool = small_pool(tmp_path)
    first = PB.publish(pool, Decimal("0.4"), now=NOW)
    second = PB.publish(pool, Decimal("0.4"), now=NOW + dt.timedelta(days=30))
    assert (first.data["epsilon_spent_total"], second.data["epsilon_spent_total"]) == ("0.4", "0.8")
    with pytest.raises(PB.PublishError, match=r"would be exceeded: ε = 0.8 of 1.0 is spent, 0.2 is left"):
        PB.publish(pool, Decimal("0.3"), now=NOW)
    entries = PB.read_ledger(pool, cam)
    assert [(e["number"], e["epsilon"], e["when"][:10]) for e in entries] == [(1, "0.4", "2026-12-01"),
                                                                              (2, "0.4", "2026-12-31")]
    assert len(PB.releases(pool)) == 2 and not (pool / "ledger.json.lock").exists()
    assert "ε = 0.8 spent so far of the campaign's 1.0" in second.data["budget_words"]
    # the rest can still be spent, exactly
    PB.publish(pool, Decimal("0.2"), now=NOW)
    with pytest.raises(PB.PublishError, match="would be exceeded"):
        PB.publish(pool, Decimal("0.0001"), now=NOW)
    # a deleted ledger does not reset the budget
    (pool / "ledger.json").unlink()
    with pytest.raises(PB.PublishError, match="ledger.json is missing but releases exist"):
        PB.publish(pool, Decimal("0.1"), now=NOW)


def test_cli_publish_writes_marked_html_and_csv_and_refuses_past_the_budget(tmp_path):
    cam, pool = small_pool(tmp_path, members=40)
    run = CliRunner().invoke
    res = run(cli, ["pool", "publish", str(pool), "--epsilon", "0.9", "--levels", "platform", "--reference-wage", "9",
                    "--html", str(tmp_path / "r.html"), "--csv", str(tmp_path / "r.csv")])
    assert res.exit_code == 0, res.output
    html_text, csv_text = (tmp_path / "r.html").read_text(), (tmp_path / "r.csv").read_text()
    assert "Published release 1" in html_text and "ε = 0.9 spent so far" in html_text and "95" in html_text
    assert "published release 1 of campaign ledger-dp" in csv_text and ",0.9\n" in csv_text
    for text in (html_text, csv_text, res.output):
        assert pseud(0) not in text and "not for publication" not in text
    res = run(cli, ["pool", "publish", str(pool), "--epsilon", "0.2"])
    assert res.exit_code == 1 and "would be exceeded" in res.output and "Traceback" not in res.output
    res = run(cli, ["pool", "budget", str(pool)])
    assert res.exit_code == 0 and "ε = 0.9 spent so far" in res.output and "levels platform" in res.output
    res = run(cli, ["pool", "publish", str(pool), "--epsilon", "lots"])
    assert res.exit_code == 1 and "write a number" in res.output


def test_the_working_view_is_marked_not_for_publication_in_every_output(tmp_path):
    cam, pool = small_pool(tmp_path, members=12)
    run = CliRunner().invoke
    res = run(cli, ["pool", "report", str(pool), "--csv", str(tmp_path / "w.csv"), "--html", str(tmp_path / "w.html")])
    assert res.exit_code == 0, res.output
    assert "NOT FOR PUBLICATION" in res.output
    assert "For the organizer — not for publication" in (tmp_path / "w.html").read_text()
    lines = (tmp_path / "w.csv").read_text().splitlines()
    assert lines[0].endswith(",view") and all(x.endswith(",for the organizer — not for publication") for x in lines[1:])
    res = run(cli, ["pool", "report", str(pool), "--json"])
    assert json.loads(res.output)["view"] == "for the organizer — not for publication"


# -- the audit's scenarios ---------------------------------------------------------------------------------
def test_publish_add_one_member_publish_again_does_not_tell_whether_the_member_joined():
    """The attacker sees release 1 (before) and release 2 (after one more member may have joined) and guesses
    'joined' when the new member's groups grew. Against ε-DP no test can be right more often than
    e^ε / (1 + e^ε) (release 2 alone carries the member's influence)."""
    cam = Campaign(campaign_id="diff-dp", name="Differencing", months="2026-01..2026-02", platforms="P",
                   categories="a,b", max_pairs_per_member=1)
    members = [[dict(month=m, platform="P", category="a", hours_worked=20.0, earned=200 + i)
                for m in cam.months] for i in range(40)]
    new = [dict(month="2026-02", platform="P", category="a", hours_worked=30.0, earned=900, rate_cuts=1)]
    before, after = rows_frame(members), rows_frame(members + [new])
    eps, levels = 1.0, ("cell", "platform")
    right, runs = 0, 40
    for t in range(runs):
        joined = t % 2 == 0
        r1, _ = PB.make_release(before, cam, eps, levels=levels)
        r2, _ = PB.make_release(after if joined else before, cam, eps, levels=levels)
        grew = sum(b["workers"] - a["workers"] for a, b in zip(r1, r2)
                   if (a["category"], a["month"]) in {("a", "2026-02"), ("a", PB.ALL), (PB.ALL, "2026-02"), (PB.ALL, PB.ALL)})
        right += (grew > 0) == joined
    bound = math.exp(eps) / (1 + math.exp(eps))
    assert right / runs <= bound + 0.23, (right, runs)  # 0.23: binomial tolerance for 40 runs (~3 sd)


def test_a_3x3_table_of_small_cells_publishes_no_cell_and_no_exact_count():
    """3 categories × 3 months, 2-4 members per cell: every cell is 'too few to publish' (decided from noisy
    counts), and the totals' counts are noisy, so subtracting published figures gives nothing exact."""
    cam = Campaign(campaign_id="table-dp", name="Small table", months="2026-01..2026-03", platforms="P",
                   categories="a,b,c", max_pairs_per_member=1)
    members = []
    sizes = {("a", "2026-01"): 2, ("a", "2026-02"): 3, ("a", "2026-03"): 4, ("b", "2026-01"): 3, ("b", "2026-02"): 2,
             ("b", "2026-03"): 4, ("c", "2026-01"): 4, ("c", "2026-02"): 3, ("c", "2026-03"): 2}
    for (c, m), n in sizes.items():
        members += [[dict(month=m, platform="P", category=c, hours_worked=10.0, earned=90 + i)] for i in range(n)]
    rows = rows_frame(members)
    published_cells, total_counts = 0, set()
    for _ in range(20):
        groups, _ = PB.make_release(rows, cam, 1.0)
        published_cells += sum(g["status"] == "published" for g in groups if g["level"] == "cell")
        total_counts |= {g["workers"] for g in groups if g["level"] == "platform"}
        for g in groups:  # nothing is ever published about fewer than publish_k members by its noisy count
            assert g["status"] != "published" or g["workers"] >= cam.publish_k
    assert published_cells <= 2  # of 180 cell releases; each has a probability far below 5 %
    assert len(total_counts) > 3  # the total of 27 is not published exactly: it varies from release to release


def test_publishing_after_the_k5_working_view_adds_noise_not_another_exact_view(tmp_path):
    """The audit's k = 5 view vs k = 11 view: the only outputs meant to leave are noisy releases; the working
    view is exact and says so. Releasing twice gives two different noisy figures (no second exact view)."""
    cam, pool = small_pool(tmp_path, members=30, epsilon_total="2")
    exact = P.report(P.load_rows(pool), cam, k=5)
    assert exact.groups["workers"].max() == 30
    a = PB.publish(pool, Decimal("1"), now=NOW, levels=["platform"])
    b = PB.publish(pool, Decimal("1"), now=NOW, levels=["platform"])
    counts = [rel.groups[0]["workers"] for rel in (a, b)]
    margins = [rel.groups[0]["workers_margin"] for rel in (a, b)]
    assert all(abs(c - 30) <= 3 * m for c, m in zip(counts, margins))
    rendered = RR.to_csv(a) + RR.to_html(a)
    assert "published release 1" in rendered and "not for publication" not in rendered


def test_release_csv_cells_are_spreadsheet_safe(tmp_path):
    rel = PB.Release({"currency": "USD", "number": 1, "campaign_id": "csv-dp", "published_at": "2026-12-01",
                      "epsilon_spent_total": "0.1", "groups": [
                          {"level": "platform", "platform": "=HYPERLINK(1)", "category": "*", "month": "*",
                           "status": "published", "workers": 12, "workers_margin": 3}]})
    text = RR.to_csv(rel)
    assert "'=HYPERLINK(1)" in text and "\n=" not in text and ",=" not in text


def test_publish_never_crashes_on_extreme_but_valid_values(tmp_path):
    cam = Campaign(campaign_id="extreme-dp", name="Extremes", months="2026-02", platforms="P", categories="a",
                   max_pairs_per_member=1)
    members = [[dict(month="2026-02", platform="P", category="a", hours_worked=h, hours_paid=0.0 if i % 2 else h,
                     earned=e)] for i, (h, e) in enumerate([(0.5, C.MAX_EARNED), (673.0, 0), (0.5, 0), (673.0, C.MAX_EARNED)] * 10)]
    groups, spent = PB.make_release(rows_frame(members), cam, 1.0, reference_wage=Decimal("7.25"))
    assert len(groups) == 4 and spent <= 1.0 + 1e-9
    working = P.report(rows_frame(members), cam, reference_wage=Decimal("7.25"))  # the working view copes too
    assert working.groups["workers"].max() == 40 and np.isfinite(working.groups["wage_p75"]).all()
    for g in groups:
        for k in ("wage_p25", "wage_median", "wage_p75"):
            assert g.get(k) is None or 0 <= g[k] <= 100  # clamped to the campaign's range
        for k in ("unpaid_share", "rate_cut_share", "below_reference_share"):
            assert g.get(k) is None or 0 <= g[k] <= 100
