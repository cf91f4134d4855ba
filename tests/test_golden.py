"""Golden files: what the worker and the organizer get, byte for byte, from the samples.

The figures themselves are checked against hand calculations elsewhere (test_sample_data,
test_evidence, test_pool); these tests pin the whole output, so that moving code between
modules cannot change a word, a figure or a row of it unnoticed. The files in
tests/golden/ were written from main's output; after an intended change rewrite them with

    .venv/bin/python -m pytest tests/test_golden.py --update-golden

and read ``git diff tests/golden`` before committing. Everything is made through the
command line, with the clock stopped at FIXED_NOW (2026-11-23) and fixed pool secrets.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile

import pypdf
import pytest

from conftest import SAMPLES, fixed_cli_clock, invoke
from taskerlog.pool import contribution as C

NAMES = ("hourly-usd", "kenya-kes", "microtask-mturk")
STATEMENT = ("I am a sample worker. Names that need the shipped font: Łódź, Köln, cybercafé; "
             "“curly quotes”; amounts ₱695, KSh 1,500, €12.82.\n")
EVIDENCE = {  # sample: (period, legal minimum)
    "hourly-usd": (("2026-01-01", "2026-05-31"), "us-federal"),
    "kenya-kes": (("2026-02-01", "2026-04-30"), "ke-cities"),
}
CAMPAIGN = ["--id", "dla-2026", "--name", "What the platforms pay", "--months", "2026-01..2026-06",
            "--platforms", "Outlier,Remotasks,MTurk", "--categories", "rating/ranking,writing,annotation",
            "--fx", "KES=0.0077"]
#: each sample's platform and the campaign category all its projects go in
SAMPLE_MAP = {"hourly-usd": ("Outlier", "writing"), "kenya-kes": ("Remotasks", "annotation"),
              "microtask-mturk": ("MTurk", "annotation")}


@pytest.mark.parametrize("name", NAMES)
def test_metrics_json_of_each_sample(name, sample_logbook, golden):
    db = sample_logbook(name)
    with fixed_cli_clock():
        out = invoke(db, "metrics", "--json")
    json.loads(out)
    golden(f"metrics-{name}.json", out)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages) + "\n"


@pytest.mark.parametrize("name", sorted(EVIDENCE))
def test_evidence_report_of_a_sample(name, sample_logbook, golden, tmp_path):
    """The PDF's text and every CSV of the zip (the PDF's bytes carry fpdf's own layout
    details, so its text is compared, not its hash)."""
    (d0, d1), minimum = EVIDENCE[name]
    db = sample_logbook(name)
    statement = tmp_path / "statement.txt"
    statement.write_text(STATEMENT, encoding="utf-8")
    out = tmp_path / "evidence.zip"
    with fixed_cli_clock():
        invoke(db, "evidence", "--from", d0, "--to", d1, "--minimum", minimum, "--statement", str(statement),
               "--out", str(out))
    with zipfile.ZipFile(out) as z:
        golden(f"evidence-{name}.pdf.txt", pdf_text(z.read("evidence-report.pdf")))
        csvs = [f"== {n} ==\n{z.read(n).decode('utf-8')}" for n in z.namelist() if n.endswith(".csv")]
    golden(f"evidence-{name}.csv.txt", "".join(csvs))


def synthetic_workers(count: int = 24, seed: int = 22) -> list[C.Contribution]:
    """Made-up members beside the three samples, so that groups reach the campaign's k: the
    same every run (seeded), with a few rare platform/category/month combinations that the
    report must leave out."""
    rnd = random.Random(seed)
    months = [f"2026-0{m}" for m in range(1, 7)]
    out = []
    for w in range(count):
        platform = rnd.choices(["Outlier", "Remotasks", "MTurk"], weights=[4, 4, 2])[0]
        category = "writing" if platform == "Outlier" else rnd.choice(["annotation", "rating/ranking"])
        rows = []
        for month in rnd.sample(months[:5], rnd.randint(2, 5)):
            worked = rnd.randint(8, 160)
            paid = worked - rnd.randint(0, worked // 3)
            rows.append(C.Row(month=month, platform=platform, category=category, hours_worked=worked,
                              hours_paid=paid, unpaid_hours={"onboarding": worked - paid} if worked > paid else {},
                              earned=paid * rnd.randint(3, 26), eq_days=rnd.choice([0, 0, 3, 9]),
                              rate_cuts=(cut := rnd.choice([0, 0, 0, 1])), largest_cut_pct=-rnd.randint(5, 45) * cut))
        out.append(C.Contribution(campaign_id="dla-2026", pseudonym=hashlib.sha256(f"member {w}".encode()).hexdigest(),
                                  currency="USD", months=tuple(months), rows=tuple(sorted(rows, key=lambda r: r.month))))
    return out


def test_organizer_report_html_of_the_samples_and_synthetic_members(sample_logbook, golden, tmp_path):
    campaign = tmp_path / "campaign.json"
    files = []
    with fixed_cli_clock():
        invoke(tmp_path / "unused.sqlite", "pool", "campaign", "new", *CAMPAIGN, "--out", str(campaign))
        for i, name in enumerate(NAMES):
            db = sample_logbook(name)
            # a fixed device secret instead of a random one: the same pseudonyms every run
            C.secret_path(db).write_text((bytes([i + 1]) * 32).hex(), encoding="ascii")
            platform, category = SAMPLE_MAP[name]
            files.append(tmp_path / f"{name}.json")
            invoke(db, "contribute", "--campaign", str(campaign), "--map", f"{platform}/*={category}",
                   "--map", f"{platform}/={category}", "--out", str(files[-1]))
        for i, member in enumerate(synthetic_workers()):
            files.append(tmp_path / f"member-{i}.json")
            files[-1].write_text(member.to_json(), encoding="utf-8")
        pool = tmp_path / "pool"
        added = invoke(tmp_path / "unused.sqlite", "pool", "add", str(pool), *map(str, files),
                       "--campaign", str(campaign))
        assert f"added {len(files)}, replaced 0, refused 0" in added
        html = tmp_path / "report.html"
        invoke(tmp_path / "unused.sqlite", "pool", "report", str(pool), "--reference-wage", "7.25",
               "--html", str(html))
    golden("pool-report.html", html.read_text(encoding="utf-8"))
