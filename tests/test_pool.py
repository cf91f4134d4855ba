"""Organizers (issue 4): anonymized contributions and a pooled view that never singles anyone out.

The worker side is checked on the worked example of metrics.md (figures by hand) and on the
sample logbooks; the organizer side on pools whose medians and quartiles are worked out by
hand, and on skewed synthetic pools audited by brute force: every released group and every
difference of two nested released groups describes none or at least k workers.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import stat
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from taskerlog import bundle, timeutil
from taskerlog.cli import cli
from taskerlog.model import EQPeriod, Logbook, Project, Rate, WorkEntry
from taskerlog.pool import contribution as C
from taskerlog.pool import pool as P
from taskerlog.pool import report as R
from taskerlog.pool.campaign import Campaign, CampaignError, load_campaign
from taskerlog.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
NOW = 1795435200  # 2026-11-23T08:00:00Z
CANARIES = ("CANARYNOTE7", "CANARYPROJ3", "CANARYPLAT5", "CANARYTASK1", "CANARYFILE9", "CANARYDB2")


def at(text: str) -> int:
    return timeutil.parse_instant(text, "UTC")


def campaign(**kw) -> Campaign:
    base = dict(campaign_id="dla-2026", name="What the platforms pay", months="2026-01..2026-06",
                platforms=["Outlier", "Remotasks", "MTurk"], categories=["rating/ranking", "writing", "annotation"],
                currency="USD", fx={"KES": "0.0077"})
    base.update(kw)
    return Campaign(**base)


@pytest.fixture
def example(tmp_path):
    """metrics.md's worked example, with canaries in every free-text field and file name."""
    s = Store(tmp_path / f"{CANARIES[5]}-logbook.sqlite", now=lambda: NOW)
    s.set_settings(Logbook(home_currency="USD", timezone="UTC"))
    plat, proj = f"Outlier {CANARIES[2]}", f"Genesis Dolphin {CANARIES[1]}"
    s.add_project(Project(platform=plat, project=proj, pay_model="hourly", currency="USD", notes=CANARIES[0]))
    s.add_rate(Rate(platform=plat, project=proj, effective_at=at("2026-03-02T09:00"), rate="35", note=CANARIES[0]))
    s.add_rate(Rate(platform=plat, project=proj, effective_at=at("2026-03-04T00:00"), rate="20"))
    for kind, a, b, status in [("onboarding", "2026-03-01T10:00", "2026-03-01T14:00", None),
                               ("assessment", "2026-03-01T14:00", "2026-03-01T15:00", None),
                               ("tasking", "2026-03-02T09:00", "2026-03-02T12:00", None),
                               ("tasking", "2026-03-03T09:00", "2026-03-03T11:00", "lost"),
                               ("tasking", "2026-03-04T09:00", "2026-03-04T13:00", None)]:
        s.add_work(WorkEntry(platform=plat, project=proj, kind=kind, start=at(a), end=at(b), status=status,
                             note=f"{CANARIES[0]} said the lead", external_id=CANARIES[3]))
    s.add_eq(EQPeriod(platform=plat, start_date="2026-03-05", end_date="2026-03-07", note=CANARIES[0]))
    yield s
    s.close()


def example_mapping() -> C.Mapping:
    return C.Mapping().with_({(f"Outlier {CANARIES[2]}", f"Genesis Dolphin {CANARIES[1]}"): "rating/ranking"},
                             {f"Outlier {CANARIES[2]}": "Outlier"})


# -- the campaign -----------------------------------------------------------------------------------
def test_campaign_file_round_trips_and_refuses_bad_values(tmp_path):
    cam = campaign()
    assert cam.months == ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")
    assert (cam.k, cam.publish_k) == (5, 11)
    (tmp_path / "c.json").write_text(cam.to_json())
    assert load_campaign(tmp_path / "c.json") == cam
    assert cam.fx_rate("KES", "2026-03") == Decimal("0.0077") and cam.fx_rate("USD", "2026-03") == 1
    for bad, words in [(dict(campaign_id="Bad Id"), "campaign id"), (dict(k=2), "k"),
                       (dict(k=7, publish_k=5), "publish_k"), (dict(months="2026-13"), "not a month"),
                       (dict(categories="a,A"), "listed twice"), (dict(currency="dollars"), "currency")]:
        with pytest.raises(Exception) as info:
            campaign(**bad)
        assert words in str(info.value)
    (tmp_path / "bad.json").write_text('{"campaign_id": "x"')
    with pytest.raises(CampaignError, match="bad.json: not a campaign file"):
        load_campaign(tmp_path / "bad.json")


# -- the worker side ------------------------------------------------------------------------------------
def test_contribution_of_the_worked_example_has_the_hand_figures_and_nothing_else(example, tmp_path):
    secret = C.load_or_create_secret(C.secret_path(example.path))
    c = C.build_contribution(example.frames(), campaign(), example_mapping(), secret, NOW)
    assert c.months == campaign().months  # all six months are over on 2026-11-23
    assert len(c.rows) == 1
    r = c.rows[0]
    # metrics.md: 14 h worked, 7 paid, unpaid onboarding 4 + assessment 1 + lost 2, $185, EQ 3 days, one cut of -42.857%
    assert (r.month, r.platform, r.category) == ("2026-03", "Outlier", "rating/ranking")
    assert (r.hours_worked, r.hours_paid, r.earned) == (14, 7, 185)
    assert r.unpaid_hours == {"onboarding": 4, "assessment": 1, "lost": 2}
    assert (r.eq_days, r.rate_cuts, r.largest_cut_pct) == (3, 1, -43)
    out = C.write_contribution(c, tmp_path / f"{CANARIES[4]}.json")
    data = out.read_bytes()
    for canary in CANARIES:
        assert canary.encode() not in data
    assert b"2026-03-0" not in data and b"Genesis" not in data  # no exact dates, no project names
    assert set(json.loads(data)) == {"format", "campaign_id", "pseudonym", "currency", "months", "rows"}
    # the preview is exactly the file's rows
    assert C.preview_rows(c) == [dict({k: v for k, v in row.items() if k != "unpaid_hours"},
                                      unpaid_hours="onboarding 4; assessment 1; lost 2")
                                 for row in json.loads(data)["rows"]]


def test_re_export_is_byte_identical_and_only_completed_months_leave(example, tmp_path):
    secret = C.load_or_create_secret(C.secret_path(example.path))
    fr = example.frames()
    a = C.build_contribution(fr, campaign(), example_mapping(), secret, NOW).to_json()
    b = C.build_contribution(example.frames(), campaign(), example_mapping(), secret, NOW + 3600).to_json()
    assert a == b
    # on 2026-03-20 March is not over: nothing of it leaves, only January and February count as done
    early = C.build_contribution(fr, campaign(), example_mapping(), secret, at("2026-03-20T12:00"))
    assert early.months == ("2026-01", "2026-02") and early.rows == ()
    # on 1 April (UTC) March is complete
    april = C.build_contribution(fr, campaign(), example_mapping(), secret, at("2026-04-01T00:30"))
    assert april.months[-1] == "2026-03" and len(april.rows) == 1


def test_device_secret_is_private_and_pseudonyms_do_not_link_campaigns(example):
    path = C.secret_path(example.path)
    s1 = C.load_or_create_secret(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert C.load_or_create_secret(path) == s1 and len(s1) == 32
    a, b = C.pseudonym(s1, "dla-2026"), C.pseudonym(s1, "dla-2027")
    assert a != b and len(a) == 64
    assert a == hmac.new(s1, b"dla-2026", hashlib.sha256).hexdigest()
    # without the secret, neither the id alone nor the other pseudonym gives it
    assert b not in {hashlib.sha256(b"dla-2027").hexdigest(), hmac.new(bytes.fromhex(a), b"dla-2027", hashlib.sha256).hexdigest(),
                     hashlib.sha256(bytes.fromhex(a) + b"dla-2027").hexdigest()}
    assert C.pseudonym(b"\x00" * 32, "dla-2026") != a  # another device, another pseudonym
    path.chmod(0o644)
    C.load_or_create_secret(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_mapping_is_saved_in_the_logbook_and_unknown_platforms_are_explained(example):
    assert C.load_mapping(example) == C.Mapping()
    C.save_mapping(example, example_mapping())
    assert C.load_mapping(example) == example_mapping()
    unaliased = C.Mapping().with_({(f"Outlier {CANARIES[2]}", "*"): "writing"})
    with pytest.raises(C.ContributionError, match="add --platform"):
        C.build_contribution(example.frames(), campaign(), unaliased, b"k" * 32, NOW)
    with pytest.raises(C.ContributionError, match="none of your projects is mapped"):
        C.build_contribution(example.frames(), campaign(), C.Mapping(), b"k" * 32, NOW)
    assert C.parse_map_option("Outlier/Genesis Dolphin=rating/ranking") == (("Outlier", "Genesis Dolphin"), "rating/ranking")
    assert C.parse_map_option("Outlier/=writing") == (("Outlier", ""), "writing")
    with pytest.raises(C.ContributionError, match="PLATFORM/PROJECT=CATEGORY"):
        C.parse_map_option("Genesis Dolphin")


def test_cli_contribute_preview_then_write_twice_identically(example, tmp_path):
    cam_path = tmp_path / "campaign.json"
    cam_path.write_text(campaign().to_json())
    run = CliRunner().invoke
    db = ["--db", str(example.path)]
    example.close()
    res = run(cli, db + ["contribute", "--campaign", str(cam_path), "--preview",
                         "--map", f"Outlier {CANARIES[2]}/Genesis Dolphin {CANARIES[1]}=Rating/Ranking",
                         "--platform", f"Outlier {CANARIES[2]}=outlier"])
    assert res.exit_code == 0, res.output
    assert "2026-03  Outlier   rating/ranking  14" in res.output and "Nothing written" in res.output
    files = []
    for name in ("one.json", f"{CANARIES[4]}.json"):  # the saved mapping is reused
        res = run(cli, db + ["contribute", "--campaign", str(cam_path), "--out", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
        files.append((tmp_path / name).read_bytes())
    assert files[0] == files[1]
    for canary in CANARIES:
        assert canary.encode() not in files[0]
    res = run(cli, db + ["contribute", "--campaign", str(cam_path), "--map", "Outlier/Nope=writing", "--preview"])
    assert res.exit_code != 0 and "no platform 'Outlier'" in res.output and "Traceback" not in res.output


# -- the organizer side -------------------------------------------------------------------------------------
def synthetic(pseud: str, rows: list[dict]) -> C.Contribution:
    full = []
    for r in rows:
        r = dict(dict(platform="Outlier", category="writing", hours_paid=r["hours_worked"], unpaid_hours={},
                      units=0, eq_days=0, rate_cuts=0, largest_cut_pct=0), **r)
        full.append(C.Row(**r))
    return C.Contribution(campaign_id="dla-2026", pseudonym=pseud, currency="USD",
                          months=campaign().months, rows=tuple(full))


def pseud(i: int) -> str:
    return hashlib.sha256(f"worker {i}".encode()).hexdigest()


def test_pool_add_validates_and_a_resubmission_replaces(tmp_path):
    pool = tmp_path / "pool"
    P.init_pool(pool, campaign())
    first = tmp_path / "a.json"
    first.write_text(synthetic(pseud(1), [dict(month="2026-02", hours_worked=10, earned=100)]).to_json())
    again = tmp_path / "a2.json"
    again.write_text(synthetic(pseud(1), [dict(month="2026-02", hours_worked=10, earned=150)]).to_json())
    other = synthetic(pseud(2), [dict(month="2026-02", hours_worked=10, earned=100)])
    wrong = tmp_path / "wrong.json"
    wrong.write_text(other.to_json().replace("dla-2026", "dla-2027"))
    badcat = tmp_path / "badcat.json"
    badcat.write_text(other.to_json().replace('"writing"', '"audio"'))
    junk = tmp_path / "junk.json"
    junk.write_text("hello")
    res = P.add_contributions(pool, [first])
    assert (res.added, res.replaced, res.problems) == (1, 0, [])
    res = P.add_contributions(pool, [again, wrong, badcat, junk])
    assert (res.added, res.replaced) == (0, 1)
    text = "\n".join(res.problems)
    assert "wrong.json: campaign_id: it was made for campaign 'dla-2027'" in text
    assert "badcat.json: rows[1]: category: 'audio' is not a category" in text
    assert "junk.json: not a contribution file" in text
    rows = P.load_rows(pool)
    assert rows["earned"].tolist() == [150]
    with pytest.raises(P.PoolError, match="other settings"):
        P.init_pool(pool, campaign(k=6))


def sample_contributions(tmp_path) -> list[C.Contribution]:
    """The three sample workers, every project in one category of their platform."""
    out = []
    for i, (name, plat, cat) in enumerate([("hourly-usd", "Outlier", "writing"), ("kenya-kes", "Remotasks", "annotation"),
                                           ("microtask-mturk", "MTurk", "annotation")]):
        s = Store(tmp_path / f"{name}.sqlite", now=lambda: NOW)
        bundle.import_path(s, SAMPLES / name)
        fr = s.frames()
        platforms = {pl for pl, _ in C.logbook_projects(fr)}
        m = C.Mapping().with_({(pl, "*"): cat for pl in platforms}, {pl: plat for pl in platforms})
        out.append(C.build_contribution(fr, campaign(), m, bytes([i + 1]) * 32, NOW))
        s.close()
    return out


def test_sample_logbooks_give_their_documented_months(tmp_path):
    dana, achieng, rosa = sample_contributions(tmp_path)
    jan = next(r for r in dana.rows if r.month == "2026-01")
    # sample_data/README.md: January is 47 h worked, $0 earned: 40 h onboarding and 5 h of tests
    assert (jan.hours_worked, jan.hours_paid, jan.earned) == (47, 0, 0)
    assert jan.unpaid_hours["onboarding"] == 40 and jan.unpaid_hours["assessment"] == 5
    mar = next(r for r in dana.rows if r.month == "2026-03")
    assert (mar.rate_cuts, mar.largest_cut_pct, mar.eq_days) == (1, -43, 16)  # the $35 -> $20 "mistake"; EQ 7-22 March
    assert sum(r.eq_days for r in achieng.rows) == 29  # 29 EQ days between projects
    assert {r.platform for r in rosa.rows} == {"MTurk"}
    assert len({dana.pseudonym, achieng.pseudonym, rosa.pseudonym}) == 3


def test_pool_of_samples_and_synthetic_workers_gives_hand_checked_quartiles(tmp_path):
    samples = sample_contributions(tmp_path)
    dana_feb = next(r for r in samples[0].rows if r.month == "2026-02")
    assert (dana_feb.hours_worked, dana_feb.hours_paid, dana_feb.earned) == (93, Decimal("88.5"), 1988)  # 21.376 $/h
    # six synthetic Outlier writers in February: 10 h each (8 paid) at 10, 12, ... 20 $/h; two had a cut
    synth = [synthetic(pseud(i), [dict(month="2026-02", hours_worked=10, hours_paid=8, earned=100 + 20 * i,
                                       eq_days=i, rate_cuts=int(i < 2), largest_cut_pct=-10 if i < 2 else 0)])
             for i in range(6)]
    rows = P.contributions_frame(samples + synth)
    rep = P.report(rows, campaign(), reference_wage=Decimal("15"))
    cell = rep.groups.set_index(["level", "platform", "category", "month"]).loc[("cell", "Outlier", "writing", "2026-02")]
    # wages sorted: 10 12 14 16 18 20 21.376 -> median 16; quartiles at positions 1.5 and 4.5: 13 and 19
    assert cell["workers"] == 7
    assert (cell["wage_p25"], cell["wage_median"], cell["wage_p75"]) == pytest.approx((13, 16, 19))
    # paid rates 12.5 15 ... 25 and 1988/88.5 = 22.46 -> median 20
    assert cell["paid_rate_median"] == pytest.approx(20)
    # unpaid: 6 x 2 h + 4.5 h over 60 + 93 h
    assert cell["unpaid_share"] == pytest.approx(16.5 / 153 * 100)
    # EQ days 0, 0 (Dana in February), 1, 2, 3, 4, 5 -> median 2; cuts 2 of 7; below $15/h: 10, 12, 14 -> 3 of 7
    assert cell["eq_days_median"] == 2
    assert cell["rate_cut_share"] == pytest.approx(200 / 7)
    assert cell["below_reference_share"] == pytest.approx(300 / 7)
    # Remotasks and MTurk have one worker each, and Dana alone in other months: nothing of them is shown
    shown = set(zip(rep.groups["platform"], rep.groups["month"]))
    assert {p for p, _ in shown} == {"Outlier"} and {m for _, m in shown} <= {"2026-02", "*"}
    text = R.to_csv(rep) + R.to_html(rep) + json.dumps(R.to_json(rep))
    assert "16.00" in R.to_csv(rep) and "Remotasks" not in R.to_csv(rep)
    for canary in CANARIES + ("Genesis", "White Wolf", pseud(0)) + tuple(c.pseudonym for c in samples):
        assert canary not in text
    with pytest.raises(P.PoolError, match="below the campaign's minimum"):
        P.report(rows, campaign(), k=3)
    assert len(P.report(rows, campaign(), publish=True).groups) == 0  # 7 < 11


# -- the disclosure audit ------------------------------------------------------------------------------------
def skewed_pool(seed: int, workers: int = 70) -> pd.DataFrame:
    """Workers concentrated on a few platforms/categories/months, with rare combinations."""
    rnd = random.Random(seed)
    cam = campaign()
    contribs = []
    for w in range(workers):
        plat = rnd.choices(["Outlier", "Remotasks", "MTurk"], weights=[6, 3, 1])[0]
        cats = rnd.sample(["rating/ranking", "writing", "annotation"], rnd.choice([1, 1, 2]))
        months = rnd.sample(list(cam.months[:4]), rnd.randint(1, 4))
        rows = []
        for m, c in itertools.product(months, cats):
            if c == "annotation" and rnd.random() < 0.7:
                continue
            hw = rnd.randint(2, 200) / 2
            rows.append(dict(month=m, platform=plat, category=c, hours_worked=hw, hours_paid=rnd.randint(0, int(hw * 2)) / 2,
                             earned=rnd.randint(0, 2000), eq_days=rnd.choice([0, 0, 2, 9]), rate_cuts=rnd.choice([0, 0, 1])))
        if rows:
            contribs.append(synthetic(pseud(w + 1000 * seed), rows))
    return P.contributions_frame(contribs)


def rows_of(rows: pd.DataFrame, key) -> set[int]:
    level, p, c, m = key
    sel = rows["platform"] == p
    if c != P.ALL:
        sel &= rows["category"] == c
    if m != P.ALL:
        sel &= rows["month"] == m
    return set(rows.index[sel])


@pytest.mark.parametrize("seed,k", [(1, 5), (2, 5), (3, 7), (4, 11)])
def test_no_released_figure_or_difference_rests_on_fewer_than_k_workers(seed, k):
    rows = skewed_pool(seed)
    rep = P.report(rows, campaign(k=5), k=k)
    released = list(zip(rep.groups["level"], rep.groups["platform"], rep.groups["category"], rep.groups["month"]))
    assert released, "the audit must look at something"
    members = {key: rows_of(rows, key) for key in released}
    workers = lambda idx: set(rows.loc[sorted(idx), "worker"])  # noqa: E731
    for key, idx in members.items():
        assert len(workers(idx)) >= k, key
        assert rep.groups.set_index(["level", "platform", "category", "month"]).loc[key, "workers"] == len(workers(idx))
    # every combination of up to three of a released cell's dimensions holds at least k workers
    for level, p, c, m in released:
        if level != "cell":
            continue
        dims = {"platform": p, "category": c, "month": m}
        for n in (1, 2, 3):
            for combo in itertools.combinations(dims, n):
                sel = pd.Series(True, index=rows.index)
                for d in combo:
                    sel &= rows[d] == dims[d]
                assert rows.loc[sel, "worker"].nunique() >= k
    # differencing two released totals (one inside the other) leaves none or at least k workers
    for a, b in itertools.permutations(released, 2):
        if members[b] < members[a]:
            left = workers(members[a] - members[b])
            assert len(left) == 0 or len(left) >= k, (a, b, len(left))
    # subtracting every released part of a total (down to released cells) leaves none or at least k
    cells = [b for b in released if b[0] == "cell"]
    for a in released:
        if a[0] in ("category", "month"):
            splits = [[b for b in cells if members[b] <= members[a]]]
        elif a[0] == "platform":
            splits = []
            for level, pos in (("category", 2), ("month", 3)):
                subtract = []
                for part in {cell[pos] for cell in cells if cell[1] == a[1]} | {b[pos] for b in released if b[0] == level and b[1] == a[1]}:
                    key = (level, a[1], part, P.ALL) if level == "category" else (level, a[1], P.ALL, part)
                    subtract += [key] if key in members else [b for b in cells if b[1] == a[1] and b[pos] == part]
                splits.append(subtract)
        else:
            continue
        for subtract in splits:
            covered = set().union(*(members[b] for b in subtract)) if subtract else set()
            left = workers(members[a] - covered)
            assert len(left) == 0 or len(left) >= k, (a, len(left))
    # the method withheld groups that had enough workers of their own (complementary suppression)
    figs = P.aggregate(rows)
    big = figs[figs["workers"] >= k]
    assert len(big) > len(released)


def test_suppression_withholds_the_complement_of_a_small_cell():
    # 6 workers in Feb writing, 6 in Mar writing, 2 in Apr writing; the category total over months must not
    # let Apr be recovered: Mar (the smallest other cell) is withheld with it, or the total is.
    contribs = [synthetic(pseud(i), [dict(month=m, hours_worked=10, earned=100)]) for i, m in
                enumerate(["2026-02"] * 6 + ["2026-03"] * 6 + ["2026-04"] * 2)]
    rep = P.report(P.contributions_frame(contribs), campaign())
    released = set(zip(rep.groups["level"], rep.groups["category"], rep.groups["month"]))
    assert ("cell", "writing", "2026-04") not in released
    total = ("category", "writing", P.ALL) in released
    both = {("cell", "writing", "2026-02"), ("cell", "writing", "2026-03")} <= released
    assert not (total and both)


def test_cli_pool_add_and_report_write_csv_and_html(tmp_path):
    cam = tmp_path / "campaign.json"
    run = CliRunner().invoke
    res = run(cli, ["pool", "campaign", "new", "--id", "dla-2026", "--name", "What the platforms pay",
                    "--months", "2026-01..2026-06", "--platforms", "Outlier,Remotasks,MTurk",
                    "--categories", "rating/ranking,writing,annotation", "--fx", "KES=0.0077", "--out", str(cam)])
    assert res.exit_code == 0, res.output
    assert load_campaign(cam) == campaign()
    files = []
    for i in range(12):
        f = tmp_path / f"{CANARIES[4]}-{i}.json"
        f.write_text(synthetic(pseud(i), [dict(month="2026-02", hours_worked=10, earned=100 + 10 * i)]).to_json())
        files.append(str(f))
    res = run(cli, ["pool", "add", str(tmp_path / "pool"), *files, "--campaign", str(cam)])
    assert res.exit_code == 0 and "added 12, replaced 0, refused 0" in res.output
    res = run(cli, ["pool", "report", str(tmp_path / "pool"), "--publish", "--reference-wage", "12",
                    "--csv", str(tmp_path / "r.csv"), "--html", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    csv_text = (tmp_path / "r.csv").read_text()
    # wages 10..21: median 15.50, quartiles 12.75 and 18.25; below 12: 10 and 11 -> 16.7 %
    assert "cell,Outlier,writing,2026-02,12,USD,12.75,15.50,18.25,15.50,0.0,0.0,0.0,16.7" in csv_text
    html_text = (tmp_path / "r.html").read_text()
    assert "<svg" in html_text and "at least 11 different workers" in html_text and "http" not in html_text.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    for text in (csv_text, html_text, res.output):
        assert CANARIES[4] not in text and pseud(0) not in text
    res = run(cli, ["pool", "report", str(tmp_path / "pool"), "--k", "13"])
    assert res.exit_code == 0 and "Nothing can be shown yet" in res.output
    res = run(cli, ["pool", "report", str(tmp_path / "pool"), "--k", "2"])
    assert res.exit_code != 0 and "below the campaign's minimum of 5" in res.output


# -- the app page ------------------------------------------------------------------------------------------
def test_organize_page_renders_and_says_what_is_shared_and_protected(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TASKERLOG_DB", str(tmp_path / "logbook.sqlite"))
    st.cache_data.clear()
    st.cache_resource.clear()
    P.init_pool(tmp_path / "pool", campaign())
    files = []
    for i in range(6):
        files.append(tmp_path / f"{i}.json")
        files[-1].write_text(synthetic(pseud(i), [dict(month="2026-02", hours_worked=10, earned=100 + 10 * i)]).to_json())
    assert P.add_contributions(tmp_path / "pool", files).added == 6
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/organize.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(str(e.value) for e in at.info)
    assert "What is shared" in text and "What is protected" in text
    at.text_input(key="pool_dir").set_value(str(tmp_path / "pool")).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = at.dataframe[0].value
    assert shown["workers"].min() >= 5 and "wage median" in shown.columns
    assert pseud(0) not in shown.to_csv()
    assert any("not for publication" in str(w.value) for w in at.warning)
    publish = next(b for b in at.button if b.label.startswith("Publish (spends"))
    publish.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Published release 1" in str(x.value) for x in at.success)
    assert (tmp_path / "pool" / "releases" / "release-001.json").exists()
    assert any("ε = 0.25 spent so far" in str(x.value) for x in at.info)
    st.cache_data.clear()
    st.cache_resource.clear()


# -- issue 21: the audit's bugs ------------------------------------------------------------------------------
def test_map_dash_keeps_one_project_out_beside_a_platform_wildcard(example):
    plat = f"Outlier {CANARIES[2]}"
    proj = f"Genesis Dolphin {CANARIES[1]}"
    m = C.Mapping().with_({(plat, "*"): "writing", (plat, proj): "-"}, {plat: "Outlier"})
    res = C.resolve(example.frames(), campaign(), m)
    assert (plat, proj) in res.unmapped and all(proj not in {pr for _, pr in keys} for keys in res.groups.values())
    # saved and loaded, the exclusion stays; "" (no category given) removes the explicit entry again
    C.save_mapping(example, m)
    assert C.load_mapping(example).projects[(plat, proj)] == "-"
    assert (plat, proj) not in m.with_({(plat, proj): ""}).projects


def test_backup_and_restore_keep_the_device_secret_private_and_the_same(tmp_path):
    import stat

    db = tmp_path / "logbook.sqlite"
    run = CliRunner().invoke
    assert run(cli, ["--db", str(db), "status"]).exit_code == 0
    secret = C.load_or_create_secret(C.secret_path(db))
    res = run(cli, ["--db", str(db), "backup", str(tmp_path / "b" / "copy.sqlite")])
    assert res.exit_code == 0 and "device secret" in res.output, res.output
    kept = C.secret_path(tmp_path / "b" / "copy.sqlite")
    assert kept.read_bytes() == C.secret_path(db).read_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    # a new computer: restore the backup; the pseudonym is the same, so a resubmission replaces
    new_db = tmp_path / "new" / "logbook.sqlite"
    new_db.parent.mkdir()
    res = run(cli, ["--db", str(new_db), "restore", str(tmp_path / "b" / "copy.sqlite")])
    assert res.exit_code == 0 and "and the device secret" in res.output, res.output
    assert C.load_or_create_secret(C.secret_path(new_db)) == secret
    assert stat.S_IMODE(C.secret_path(new_db).stat().st_mode) == 0o600
    res = run(cli, ["--db", str(new_db), "restore", str(tmp_path / "b" / "copy.sqlite")])
    assert res.exit_code == 1 and "--replace" in res.output
    res = run(cli, ["--db", str(new_db), "restore", str(tmp_path / "b" / "copy.sqlite"), "--replace"])
    assert res.exit_code == 0 and "as it was is kept in" in res.output
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    res = run(cli, ["--db", str(new_db), "restore", str(junk), "--replace"])
    assert res.exit_code == 1 and "Traceback" not in res.output and "junk.sqlite" in res.output


def _good_row(**kw) -> dict:
    return dict(dict(month="2026-02", platform="Outlier", category="writing", hours_worked=10, hours_paid=10,
                     unpaid_hours={}, earned=100, units=0, eq_days=0, rate_cuts=0, largest_cut_pct=0), **kw)


def _file(tmp_path, name: str, rows: list[dict], text: str | None = None):
    data = {"format": C.CONTRIBUTION_FORMAT, "campaign_id": "dla-2026", "pseudonym": pseud(len(name)),
            "currency": "USD", "months": list(campaign().months), "rows": rows}
    path = tmp_path / name
    if text is not None and text.startswith("REPEAT:"):  # the rows' JSON with this key written twice, values valid
        pair = text[len("REPEAT:"):]
        text = json.dumps(data).replace(pair, pair + ", " + pair, 1)
    path.write_text(text if text is not None else json.dumps(data))
    return path


@pytest.mark.parametrize("name, rows, text, message", [
    ("huge.json", [_good_row(earned=10**30)], None, "rows[1]: earned: must be between 0 and"),
    ("float.json", [_good_row(earned=1e30)], None, "rows[1]: earned: must be between 0 and"),
    ("hours.json", [_good_row(hours_worked=700, hours_paid=0)], None, "rows[1]: hours_worked: more hours than the month has"),
    ("units.json", [_good_row(units=10**12)], None, "rows[1]: units: must be between"),
    ("cuts.json", [_good_row(rate_cuts=10**9)], None, "rows[1]: rate_cuts: must be between"),
    ("eq.json", [_good_row(eq_days=30)], None, "rows[1]: eq_days: more days than the month has"),
    ("unpaid.json", [_good_row(hours_paid=0, unpaid_hours={"waiting": 1e30})], None, "rows[1]: unpaid_hours"),
    ("kind.json", [_good_row(), _good_row(month="2026-03", unpaid_hours={"waiting": 1, "lunch": 1})], None,
     "rows[2]: unpaid_hours"),
    ("kindtext.json", [_good_row(hours_paid=5, unpaid_hours={"waiting": "5"})], None, "rows[1]: unpaid_hours"),
    ("kindlist.json", [_good_row(unpaid_hours=[1])], None, "rows[1]: unpaid_hours"),
    ("kindhalf.json", [_good_row(hours_paid=5, unpaid_hours={"waiting": 0.3})], None, "rows[1]: unpaid_hours"),
    ("text.json", [_good_row(hours_worked="lots")], None, "rows[1]: hours_worked: a number is needed"),
    ("bool.json", [_good_row(earned=True)], None, "rows[1]: earned: a whole number is needed"),
    ("nan.json", [], '{"format": "taskerlog-contribution/1", "rows": [{"hours_worked": NaN}]}', "NaN is not a number"),
    ("dupkey.json", [], '{"format": "taskerlog-contribution/1", "format": "x"}', "the key 'format' appears twice"),
    ("duprowkey.json", [_good_row(earned=100)], "REPEAT:\"earned\": 100", "the key 'earned' appears twice"),
    ("dupkind.json", [_good_row(hours_paid=8, unpaid_hours={"waiting": 2})], "REPEAT:\"waiting\": 2",
     "the key 'waiting' appears twice"),
    ("duprow.json", [_good_row(), _good_row()], None, "rows[2]: month: the same month, platform and category"),
    ("list.json", [], "[1, 2, 3]", "not a taskerlog contribution file"),
    ("object.json", [_good_row(month={"a": 1}, platform=["x"])], None, "rows[1]: month: text is needed"),
    ("unlisted.json", [_good_row(month="2026-07")], None, "2026-07"),
    ("deep.json", [], "[" * 100000 + "]" * 100000, "huge.json"[:0] or "deep.json"),
])
def test_pool_add_refuses_impossible_values_naming_file_row_and_field(tmp_path, name, rows, text, message):
    pool = tmp_path / "pool"
    P.init_pool(pool, campaign())
    good = _file(tmp_path, "good.json", [_good_row()])
    bad = _file(tmp_path, name, rows, text)
    res = P.add_contributions(pool, [bad, good])
    assert res.added == 1 and len(res.problems) == 1
    assert res.problems[0].startswith(str(bad)) and message in res.problems[0], res.problems
    rep = P.report(P.load_rows(pool), campaign())  # the pool still reports
    assert rep.k == 5


def test_pool_add_refuses_oversized_files_unread(tmp_path, monkeypatch):
    pool = tmp_path / "pool"
    P.init_pool(pool, campaign())
    monkeypatch.setattr(P, "MAX_FILE_BYTES", 500)
    big = _file(tmp_path, "big.json", [_good_row(month=m) for m in campaign().months])
    res = P.add_contributions(pool, [big])
    assert res.added == 0 and "big.json" in res.problems[0] and "more than a contribution can be" in res.problems[0]


def test_a_later_file_of_the_same_member_wins_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(P, "CHUNK", 1)
    pool = tmp_path / "pool"
    P.init_pool(pool, campaign())
    files = []
    for i, earned in enumerate((100, 150, 120)):
        files.append(tmp_path / f"{i}.json")
        files[-1].write_text(synthetic(pseud(1 if i < 2 else 2), [dict(month="2026-02", hours_worked=10,
                                                                     earned=earned)]).to_json())
    res = P.add_contributions(pool, files)
    assert (res.added, res.replaced, res.problems) == (2, 0, [])
    assert sorted(P.load_rows(pool)["earned"].tolist()) == [120, 150]


def test_pool_add_in_several_chunks_keeps_every_problem_in_file_order(tmp_path, monkeypatch):
    monkeypatch.setattr(P, "CHUNK", 2)  # 3 chunks: checked by worker processes
    pool = tmp_path / "pool"
    P.init_pool(pool, campaign())
    good = [_file(tmp_path, f"good{i}.json", [_good_row(earned=100 + i)]) for i in range(3)]
    for i, path in enumerate(good):  # distinct members
        path.write_text(path.read_text().replace(pseud(len(path.name)), pseud(50 + i)))
    dup = _file(tmp_path, "dup.json", [_good_row()], 'REPEAT:"earned": 100')
    missing = tmp_path / "missing.json"
    res = P.add_contributions(pool, [good[0], dup, good[1], missing, good[2]])
    assert (res.added, res.replaced) == (3, 0)
    assert [p.split(":")[0] for p in res.problems] == [str(dup), str(missing)]
    assert "the key 'earned' appears twice" in res.problems[0] and "cannot be read" in res.problems[1]
    assert sorted(P.load_rows(pool)["earned"].tolist()) == [100, 101, 102]


def test_a_campaign_file_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    old = campaign()
    path = P.write_campaign(old, tmp_path)
    assert path == tmp_path / "campaign.json" and load_campaign(path) == old

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(OSError):
        P.write_campaign(campaign(k=7), path)
    assert load_campaign(path) == old  # the members' copy is still the one sent
    assert [p.name for p in tmp_path.iterdir()] == ["campaign.json"]
