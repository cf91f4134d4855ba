"""Evidence for a wage claim (issue 5): anchors, attachments, reference wages, the report.

The logbook is the worked example of shared/docs/metrics.md (14 h worked, 7 paid, earned
$185; onboarding 4 h, assessment 1 h, lost 2 h; shortfall $25 against $15/h), logged in
Nairobi with recorded times chosen so that every record class appears.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from taskerlog import metrics, timeutil
from taskerlog.cli import cli
from taskerlog.evidence import anchors, attachments, integrity as ig, report, save_statement, saved_statement
from taskerlog.evidence import verify_evidence, wages
from taskerlog.model import EQPeriod, Logbook, Payout, Project, Rate, WorkEntry
from taskerlog.store import Store

TZ = "Africa/Nairobi"
STATEMENT = ("I am Amina, a rater working from Nairobi for Outlier since 2025. "
             "Tested names: Łódź, Kraków; amounts: ₱695, KSh 1,500, €12.82.")


def t(text: str) -> int:
    return timeutil.parse_instant(text, TZ)


NOW = t("2026-04-01T10:00")


class Clock:
    def __init__(self, at: int, offset: int = 0):
        self.at = at
        self.offset = offset

    def __call__(self) -> int:
        return self.at + self.offset


def build(path: Path, offset: int = 0) -> tuple[Store, Clock, dict[str, int]]:
    """The worked example; the clock says when each record was written (``offset`` later)."""
    clock = Clock(t("2026-02-28T08:00"), offset)
    s = Store(path, now=clock)
    s.set_settings(Logbook(home_currency="USD", timezone=TZ))
    s.add_project(Project(platform="Outlier", project="Genesis Dolphin", pay_model="hourly", currency="USD"))
    s.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", effective_at=t("2026-03-02T09:00"), rate="35"))
    clock.at = t("2026-03-04T08:00")
    s.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", effective_at=t("2026-03-04T00:00"), rate="20",
                    note="announced in chat as fixing a mistake"))
    ids = {}
    s.clock_start("Outlier", "Genesis Dolphin", "onboarding", at=t("2026-03-01T10:00"))
    clock.at = t("2026-03-01T14:00")
    ids["onboarding"] = s.clock_stop(at=t("2026-03-01T14:00"))  # running clock
    clock.at = t("2026-03-01T17:00")  # 2 h after the end: within 24 h
    ids["assessment"] = s.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind="assessment",
                                             start=t("2026-03-01T14:00"), end=t("2026-03-01T15:00")))
    clock.at = t("2026-03-03T12:00")  # exactly 24 h after the end: still within 24 h
    ids["paid1"] = s.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind="tasking",
                                        start=t("2026-03-02T09:00"), end=t("2026-03-02T12:00")))
    clock.at = t("2026-03-06T20:00")  # 3 days 9 h after the end: late
    ids["lost"] = s.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind="tasking", status="lost",
                                       start=t("2026-03-03T09:00"), end=t("2026-03-03T11:00"),
                                       note="submission crashed"))
    clock.at = t("2026-03-04T11:00")  # before the (first) end: during the work
    ids["paid2"] = s.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind="tasking",
                                        start=t("2026-03-04T09:00"), end=t("2026-03-04T12:00")))
    clock.at = t("2026-03-05T09:00")
    s.update("work", ids["paid2"], {"end": t("2026-03-04T13:00")}, "manual")  # an edit through taskerlog
    s.add_eq(EQPeriod(platform="Outlier", start_date=dt.date(2026, 3, 5), end_date=dt.date(2026, 3, 7)))
    clock.at = t("2026-03-09T10:00")
    s.add_payout(Payout(platform="Outlier", paid_at=t("2026-03-09T10:00"), amount="105", currency="USD", fee="2",
                        method="PayPal", reference="PP-1"))
    return s, clock, ids


@pytest.fixture
def book(tmp_path):
    s, clock, ids = build(tmp_path / "logbook.sqlite")
    yield s, clock, ids
    s.close()


def make(store, reference=None, statement=STATEMENT, claims=()):
    return report.make_report(store, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 7),
                              reference=reference, now=NOW, statement=statement, anchor_claims=claims)


def pdf_text(data: bytes) -> str:
    z = zipfile.ZipFile(io.BytesIO(data))
    reader = pypdf.PdfReader(io.BytesIO(z.read(report.PDF_NAME)))
    # table cells wrap: compare text with every run of white space as one space
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def own_reference(store, amount="15"):
    return wages.choose_reference(store.settings(), reference_wage=amount)


# -- the report's figures ---------------------------------------------------------------------
def test_report_figures_are_the_worked_example_and_equal_metrics(book):
    s, _, _ = book
    data, manifest, ev = make(s, own_reference(s))
    m = ev.metrics
    assert (m["hours_worked"], m["hours_paid"], m["hours_unpaid"]) == (14.0, 7.0, 7.0)
    assert m["unpaid_hours_by_kind"] == {"onboarding": 4.0, "assessment": 1.0, "lost": 2.0}
    assert m["earned"] == "185.00" and m["shortfall"] == "25.00"
    # week 2026-W09 (Sunday 1 March) has 5 unpaid hours: 5 × 15 = 75 short, not offset by W10
    assert m["weekly_shortfall"] == "75.00"
    # the payout came on 9 March, after the period: all 185 is outstanding at its end
    assert m["outstanding"] == "185.00" and m["paid_out"] == "0.00"
    expected = metrics.compute(s.frames(), date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 7),
                               reference_wage=wages.Decimal("15"), reference_currency="USD",
                               today=dt.date(2026, 4, 1))
    z = zipfile.ZipFile(io.BytesIO(data))
    assert json.loads(z.read("metrics.json")) == json.loads(json.dumps(expected, default=str))

    text = pdf_text(data)
    for needle in ("Hours worked 14.00 h", "Hours paid 7.00 h", "Hours unpaid 7.00 h", "unpaid: onboarding 4.00 h",
                   "unpaid: assessment 1.00 h", "unpaid: lost 2.00 h", "Earned 185.00 USD",
                   "Effective hourly wage 13.21 USD per hour",
                   "Paid hourly rate 26.43 USD per hour", "Reference wage 15.00 USD per hour",
                   "below the reference; shortfall 25.00 USD", "Weekly shortfall 75.00 USD",
                   "Paid below it, week by week? YES: below in 1 of 2 weeks, short by 75.00 USD",
                   "3 days in 1 episode"):
        assert needle in text, needle


def test_report_figures_equal_the_metrics_command(book, tmp_path):
    s, _, _ = book
    data, _, _ = make(s, own_reference(s))
    got = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("metrics.json"))
    res = CliRunner().invoke(cli, ["--db", str(s.path), "metrics", "--json", "--from", "2026-03-01",
                                   "--to", "2026-03-07", "--reference-wage", "15"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == got


def test_pdf_has_every_section_and_renders_unicode(book):
    s, _, _ = book
    data, _, _ = make(s, own_reference(s))
    text = pdf_text(data)
    for title in ("1. The worker's statement", "2. Summary", "3. The rates promised", "4. Unpaid work",
                  "5. Empty queue", "6. Payouts", "7. Record integrity", "8. The journal", "9. Attachments"):
        assert title in text, title
    for needle in ("Łódź", "Kraków", "₱695", "KSh 1,500", "€12.82"):
        assert needle in text, needle
    # the rate cut is shown with its percentage, beside what was paid at each rate
    assert "CUT -42.9%" in text
    assert "1 entry, 3.00 h, paid 105.00" in text and "1 entry, 4.00 h, paid 80.00" in text
    # the unpaid entries one by one, with the crash note
    assert "submission crashed" in text and "onboarding unpaid" in text and "assessment unpaid" in text


def test_legal_minimum_is_named_with_its_source(book):
    s, _, _ = book
    ref = wages.choose_reference(s.settings(), minimum="us-federal", date_from=dt.date(2026, 3, 1),
                                 date_to=dt.date(2026, 3, 7))
    data, manifest, ev = make(s, ref)
    # 7.25 × 14 = 101.50 < 185: no shortfall over the period, but W09 alone is 5 × 7.25 short
    assert ev.metrics["shortfall"] == "0.00" and ev.metrics["weekly_shortfall"] == "36.25"
    text = pdf_text(data)
    assert "Legal minimum: United States (federal)" in text and "Fair Labor Standards Act" in text
    assert "(legal minimum)" in text and "check the figure in force" in text
    assert manifest["reference"]["origin"] == "legal minimum"


def test_no_reference_means_no_shortfall(book):
    s, _, _ = book
    data, _, ev = make(s, None)
    assert ev.metrics["shortfall"] is None
    assert "none chosen: no shortfall is computed" in pdf_text(data)


# -- the zip and its manifest -----------------------------------------------------------------
def test_manifest_hashes_every_member_of_the_zip(book, tmp_path):
    s, _, ids = book
    shot = tmp_path / "crash screenshot.png"
    shot.write_bytes(b"\x89PNG fake screenshot bytes")
    attachments.attach(s, shot, entry=ids["lost"], note="the crash")
    data, manifest, _ = make(s, own_reference(s))
    z = zipfile.ZipFile(io.BytesIO(data))
    members = set(z.namelist()) - {"manifest.json"}
    listed = {f["name"]: f for f in json.loads(z.read("manifest.json"))["files"]}
    assert set(listed) == members
    for name, f in listed.items():
        blob = z.read(name)
        assert hashlib.sha256(blob).hexdigest() == f["sha256"] and len(blob) == f["bytes"]
    digest = hashlib.sha256(shot.read_bytes()).hexdigest()
    assert z.read(f"attachments/{digest}/crash screenshot.png") == shot.read_bytes()
    assert {"entries.csv", "edits.csv", "rates.csv", "payouts.csv", "eq.csv", "statement.txt"} <= members
    # the PDF lists the attachment with its hash (grouped in fours so it wraps)
    assert report.group_hash(digest) in pdf_text(data)


def test_entries_csv_holds_every_entry_with_its_record_class(book):
    s, _, ids = book
    data, _, _ = make(s, own_reference(s))
    import csv
    rows = list(csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(data)).read("entries.csv").decode())))
    by_id = {int(r["id"]): r for r in rows}
    assert len(rows) == 5
    assert by_id[ids["onboarding"]]["record_class"] == ig.CLOCK
    assert by_id[ids["assessment"]]["record_class"] == ig.SOON
    assert by_id[ids["paid1"]]["record_class"] == ig.SOON  # exactly 24 h: still within
    assert by_id[ids["lost"]]["record_class"] == ig.LATE and by_id[ids["lost"]]["contemporaneous"] == "no"
    assert by_id[ids["lost"]]["minutes_after_end"] == str((3 * 24 + 9) * 60)
    assert by_id[ids["paid2"]]["record_class"] == ig.DURING and by_id[ids["paid2"]]["edits"] == "1"
    assert by_id[ids["paid1"]]["pay_counted_USD"] == "105.00" and by_id[ids["lost"]]["earned"] == "no"


def test_entries_csv_gives_the_activitywatch_time_inside_each_entry(book):
    from taskerlog.store import activity
    s, _, ids = book
    import csv
    data, _, _ = make(s, own_reference(s))
    rows = list(csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(data)).read("entries.csv").decode())))
    assert {r["activitywatch_active_minutes"] for r in rows} == {""}  # none imported: blank, not 0
    # active 09:10-10:30 and 10:00-11:30 (overlapping: counted once) on the 2 March entry (09:00-12:00),
    # 09:30-09:45 on the crashed one (3 March, 09:00-11:00); a window span is not activity
    activity.add_spans(s, [("aw-watcher-afk", "active", t("2026-03-02T09:10"), t("2026-03-02T10:30"), "", ""),
                           ("aw-watcher-afk", "active", t("2026-03-02T10:00"), t("2026-03-02T11:30"), "", ""),
                           ("aw-watcher-afk", "active", t("2026-03-03T09:30"), t("2026-03-03T09:45"), "", ""),
                           ("aw-watcher-window", "window", t("2026-03-04T09:00"), t("2026-03-04T10:00"), "x", "")],
                       "import:aw")
    data, _, ev = make(s, own_reference(s))
    rows = list(csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(data)).read("entries.csv").decode())))
    got = {int(r["id"]): r["activitywatch_active_minutes"] for r in rows}
    assert got[ids["paid1"]] == "140.0" and got[ids["lost"]] == "15.0" and got[ids["paid2"]] == "0.0"
    # the PDF's integrity section sums it: 155 min = 2.58 h of the 14 h of entries
    assert report._activity_pair(ev.entries) == [(
        "ActivityWatch", "active at the computer 2.58 h of the 14.00 h of entries (2 of 5 entries overlap "
                         "recorded activity; per entry in entries.csv). Supporting evidence, not counted as hours.")]


# -- record integrity -------------------------------------------------------------------------
@pytest.mark.parametrize("source,start,end,recorded,klass", [
    ("clock", 0, 3600, 3600, ig.CLOCK),
    ("import:work.csv", 0, 3600, 10**7, ig.IMPORTED),
    ("manual", 1000, 3600, 500, ig.EARLY),
    ("manual", 0, 3600, 3000, ig.DURING),
    ("manual", 0, 3600, 3600, ig.DURING),
    ("manual", 0, 3600, 3600 + 24 * 3600, ig.SOON),
    ("manual", 0, 3600, 3600 + 24 * 3600 + 1, ig.LATE),
    ("app", 0, 3600, 3600 + 60, ig.SOON),
])
def test_classification_follows_the_stated_rule(source, start, end, recorded, klass):
    assert ig.classify(source, start, end, recorded)[0] == klass
    assert "24 hours" in ig.rule_text()


def test_late_entry_and_edit_trail_are_in_the_report(book):
    s, _, ids = book
    data, _, ev = make(s, own_reference(s))
    text = pdf_text(data)
    assert "late: 3 days 9 h later" in text
    assert "recorded_at - end <= 24 hours" in text  # the rule is stated
    # the trail: end 12:00 -> 13:00, changed on 5 March
    assert [(c.row_id, c.field, c.old, c.new) for c in ev.edits] == [
        (ids["paid2"], "end", "2026-03-04 12:00", "2026-03-04 13:00")]
    assert "2026-03-05 09:00 end 2026-03-04 12:00 2026-03-04 13:00 manual" in text
    edits = zipfile.ZipFile(io.BytesIO(data)).read("edits.csv").decode()
    assert f"{ids['paid2']},2026-03-05T09:00:00+03:00,end,2026-03-04 12:00,2026-03-04 13:00,manual" in edits


def test_deleted_entry_is_listed(book):
    s, clock, ids = book
    clock.at = t("2026-03-20T10:00")
    s.delete("work", ids["assessment"], "manual")
    data, _, ev = make(s, own_reference(s))
    assert [d["id"] for d in ev.deleted] == [ids["assessment"]]
    assert "Entries of the period that were deleted" in pdf_text(data)


def test_a_row_changed_behind_taskerlogs_back_fails_verify_and_is_named(book):
    s, _, ids = book
    raw = sqlite3.connect(s.path)
    raw.execute("UPDATE work SET status = 'paid' WHERE id = ?", (ids["lost"],))
    raw.commit()
    raw.close()
    res = CliRunner().invoke(cli, ["--db", str(s.path), "verify"])
    assert res.exit_code == 1
    assert f"work #{ids['lost']} was changed outside taskerlog" in res.output
    data, manifest, ev = make(s, own_reference(s))
    assert not ev.verify_ok and manifest["journal"]["verify_ok"] is False
    text = pdf_text(data)
    assert "FAILED: 1 problem," in text and f"work #{ids['lost']} was changed outside taskerlog" in text


# -- anchors ----------------------------------------------------------------------------------
def test_anchor_line_is_short_and_names_the_head(book):
    s, clock, _ = book
    seq, head = s.journal_head()
    clock.at = NOW
    a, line = anchors.make_anchor(s, NOW, note="emailed to the union")
    assert (a.seq, a.hash) == (seq, head)
    assert line == f"taskerlog anchor 2026-04-01 · {seq:,} entries · {head[:4]} {head[4:8]} {head[8:12]} {head[12:16]}"
    assert s.journal_head()[0] == seq + 1  # recording the anchor is itself journaled
    assert verify_evidence(s, [line]).problems == []
    assert s.verify().ok


def test_a_journal_rebuilt_from_scratch_is_caught_by_an_earlier_anchor(tmp_path):
    s, clock, _ = build(tmp_path / "original.sqlite")
    clock.at = NOW
    _, line = anchors.make_anchor(s, NOW)
    s.close()
    # weeks later someone types the same records into a fresh logbook: a self-consistent journal
    # (an exact replay at the exact same instants would give the very same hashes, and the same records)
    forged, _, _ = build(tmp_path / "forged.sqlite", offset=30 * 24 * 3600)
    assert forged.verify().ok  # the chain alone cannot tell
    res = CliRunner().invoke(cli, ["--db", str(forged.path), "verify", "--anchor", line])
    assert res.exit_code == 1
    assert "the anchor you kept" in res.output and "rebuilt" in res.output
    # the same with the anchor kept in a file (e.g. the email), and with only the full hash
    kept = tmp_path / "email.txt"
    kept.write_text(f"Subject: my logbook\n\n{line}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["--db", str(forged.path), "verify", "--anchor-file", str(kept)])
    assert res.exit_code == 1
    original = Store(tmp_path / "original.sqlite")
    res = CliRunner().invoke(cli, ["--db", str(original.path), "verify", "--anchor-file", str(kept)])
    assert res.exit_code == 0, res.output
    assert "1 recorded anchor, 1 anchor you kept" in res.output


def test_verify_says_how_old_the_newest_kept_anchor_is_and_what_it_cannot_see(book, clock):
    s, book_clock, _ = book
    run = lambda *a: CliRunner().invoke(cli, ["--db", str(s.path), "verify", *a])  # noqa: E731
    res = run()
    assert res.exit_code == 0 and "limit: no anchor kept outside the logbook was given" in res.output
    book_clock.at = t("2026-03-10T09:00")
    _, old_line = anchors.make_anchor(s, book_clock.at)
    seq = s.journal_head()[0] - 1  # the anchor names the head before its own row
    clock.now = t("2026-03-10T12:00")
    res = run("--anchor", old_line)
    assert res.exit_code == 0
    assert (f"the newest anchor you kept covers journal entries 1 to {seq:,}, written up to 2026-03-09 (1 day ago); "
            "nothing was recorded after it") in res.output
    book_clock.at = t("2026-03-12T09:00")
    s.add_eq(EQPeriod(platform="Outlier", start_date=dt.date(2026, 3, 12)))
    s.add_eq(EQPeriod(platform="Outlier", start_date=dt.date(2026, 3, 14), end_date=dt.date(2026, 3, 14)))
    _, new_line = anchors.make_anchor(s, book_clock.at)
    clock.now = t("2026-04-01T12:00")
    res = run("--anchor", old_line, "--json")
    kept = json.loads(res.output)
    assert kept["newest_anchor_kept"]["entry"] == seq and kept["newest_anchor_kept"]["entries_after"] == 2
    assert "for the 2 entries after it, anyone who can edit the logbook file could change it" in kept["limit"]
    res = run("--anchor", old_line, "--anchor", new_line)
    assert f"covers journal entries 1 to {seq + 3:,}, written up to 2026-03-12 (20 days ago)" in res.output


def test_verify_fails_when_the_journals_append_only_guard_was_removed(book):
    s, _, _ = book
    raw = sqlite3.connect(s.path)
    raw.execute("DROP TRIGGER journal_no_delete")
    raw.commit()
    raw.close()
    problems = [p.message for p in s.verify().problems]
    assert problems == ["the journal's append-only guard journal_no_delete was removed or changed outside taskerlog:"
                        " journal entries could be deleted without it; only an anchor you kept can show whether "
                        "they were"]
    res = CliRunner().invoke(cli, ["--db", str(s.path), "verify"])
    assert res.exit_code == 1 and "append-only guard journal_no_delete" in res.output


def test_a_rewritten_journal_breaks_the_recorded_anchor(book):
    s, clock, _ = book
    clock.at = NOW
    a, _ = anchors.make_anchor(s, NOW)
    raw = sqlite3.connect(s.path)
    raw.execute("DROP TRIGGER journal_no_update")
    raw.execute("UPDATE journal SET hash = ? WHERE seq = ?", ("f" * 64, a.seq))
    raw.commit()
    raw.close()
    check = anchors.check_anchors(s)
    assert check.matched == {a.id: False}
    assert any(f"anchor #{a.id}" in p.message and "rewritten" in p.message for p in check.problems)


def test_anchor_parsing(book):
    h = "3f9a1c0788e2d410" + "0" * 48
    claims = anchors.parse_claims(f"taskerlog anchor 2026-11-23 · 1,234 entries · 3f9a 1c07 88e2 d410\n"
                                  f"full hash: {h}\n")
    assert claims == [anchors.Claim(h, 1234, claims[0].text)]
    assert anchors.parse_claims("3f9a 1c07 88e2 d410")[0].digits == "3f9a1c0788e2d410"
    # 12 digits (48 bits) could be matched by a rebuilt journal after some 10^14 tries: refused
    for short in ("3f9a 1c07 88e2", "taskerlog anchor 2026-11-23 · 1,234 entries · 3f9a 1c07 88e2 d4"):
        with pytest.raises(anchors.AnchorError, match="give at least 16"):
            anchors.parse_claims(short)
    with pytest.raises(anchors.AnchorError):
        anchors.make_anchor(Store(book[0].path.with_name("empty.sqlite")), NOW)


# -- attachments ------------------------------------------------------------------------------
def test_attaching_the_same_file_twice_stores_it_once(book, tmp_path):
    s, _, ids = book
    f = tmp_path / "rate-cut.png"
    f.write_bytes(b"screenshot of the rate cut announcement")
    first = attachments.attach(s, f, platform="Outlier", project="Genesis Dolphin", note="rate cut notice")
    again = attachments.attach(s, f, platform="Outlier", project="Genesis Dolphin")
    assert first.stored_new and first.recorded_new
    assert not again.stored_new and not again.recorded_new and again.id == first.id
    other = attachments.attach(s, f, entry=ids["paid2"])
    assert not other.stored_new and other.recorded_new
    stored = [p for p in attachments.folder(s).rglob("*") if p.is_file()]
    assert stored == [attachments.blob_path(s, first.sha256)]
    assert first.sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
    assert len(s.rows("attachments")) == 2 and s.verify().ok


def test_an_attachment_changed_on_disk_fails_verify(book, tmp_path):
    s, _, ids = book
    f = tmp_path / "email.eml"
    f.write_text("From: support\nYour account was removed for a quality issue.\n", encoding="utf-8")
    got = attachments.attach(s, f, entry=ids["lost"])
    blob = attachments.blob_path(s, got.sha256)
    os.chmod(blob, 0o644)
    blob.write_text("doctored", encoding="utf-8")
    res = CliRunner().invoke(cli, ["--db", str(s.path), "verify"])
    assert res.exit_code == 1 and "no longer matches the hash" in res.output


def test_a_backup_carries_the_attachments_and_verifies_on_its_own(book, tmp_path):
    s, _, ids = book
    shot, mail = tmp_path / "crash.png", tmp_path / "removal.eml"
    shot.write_bytes(b"\x89PNG the submission crashed")
    mail.write_text("Your account was removed for a quality issue.\n", encoding="utf-8")
    a = attachments.attach(s, shot, entry=ids["lost"])
    b = attachments.attach(s, mail, platform="Outlier", note="removal")
    dest = tmp_path / "safe" / "logbook-copy.sqlite"
    res = CliRunner().invoke(cli, ["--db", str(s.path), "backup", str(dest)])
    assert res.exit_code == 0, res.output
    assert "2 attachment files" in res.output
    folder = tmp_path / "safe" / "logbook-copy-attachments"
    for got, src in ((a, shot), (b, mail)):
        copy = folder / got.sha256[:2] / got.sha256
        assert copy.read_bytes() == src.read_bytes()
        assert copy.stat().st_mode & 0o222 == 0  # read-only, as in the logbook's own folder
    # the backup is a logbook of its own: opened, it finds its attachments and verifies
    res = CliRunner().invoke(cli, ["--db", str(dest), "verify"])
    assert res.exit_code == 0 and "2 attachment" in res.output, res.output
    with Store(dest) as copy:
        assert attachments.check_files(copy) == (2, [])


def test_a_backup_names_an_attachment_it_could_not_carry(book, tmp_path):
    s, _, ids = book
    f = tmp_path / "crash.png"
    f.write_bytes(b"the submission crashed")
    got = attachments.attach(s, f, entry=ids["lost"])
    os.chmod(attachments.blob_path(s, got.sha256), 0o644)
    attachments.blob_path(s, got.sha256).unlink()
    res = CliRunner().invoke(cli, ["--db", str(s.path), "backup", str(tmp_path / "b.sqlite")])
    assert res.exit_code == 0 and (tmp_path / "b.sqlite").is_file()  # the logbook itself is backed up
    assert f"attachment #{got.id} (crash.png) is missing" in res.output and "not in the backup" in res.output


def test_attach_refuses_unclear_targets(book, tmp_path):
    s, _, _ = book
    f = tmp_path / "x.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(attachments.AttachmentError, match="say what the file is about"):
        attachments.attach(s, f)
    with pytest.raises(attachments.AttachmentError, match="no work entry #999"):
        attachments.attach(s, f, entry=999)
    with pytest.raises(attachments.AttachmentError, match="needs --platform"):
        attachments.attach(s, f, project="Genesis Dolphin")



@pytest.mark.parametrize("code, not_a_file, no_entry, no_platform", [
    ("en", "Error: nofile.png is not a file", "there is no work entry #999", "there is no platform 'Nope'"),
    ("es", "Error: nofile.png no es un archivo", "no existe el registro de trabajo #999",
     "no hay ninguna plataforma 'Nope'"),
    ("pt_BR", "Erro: nofile.png não é um arquivo", "não existe o registro de trabalho #999",
     "não há plataforma 'Nope'"),
    ("fr", "Erreur : nofile.png n'est pas un fichier", "il n'y a pas d'entrée de travail #999",
     "il n'y a pas de plateforme 'Nope'"),
    ("sw", "Hitilafu: nofile.png si faili", "hakuna rekodi ya kazi #999", "hakuna jukwaa 'Nope'"),
])
def test_attach_says_what_is_wrong_in_the_logbooks_language(tmp_path, monkeypatch, code, not_a_file, no_entry,
                                                            no_platform):
    db = tmp_path / "l.sqlite"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "settings", "--language", code]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(cli, ["--db", str(db), "attach", "nofile.png", "--note", "x"])
    assert r.exit_code == 1 and not_a_file in r.output and "Traceback" not in r.output, r.output
    f = tmp_path / "x.txt"
    f.write_text("x", encoding="utf-8")
    r = runner.invoke(cli, ["--db", str(db), "attach", str(f), "--entry", "999"])
    assert r.exit_code == 1 and no_entry in r.output, r.output
    r = runner.invoke(cli, ["--db", str(db), "attach", str(f), "--platform", "Nope"])
    assert r.exit_code == 1 and no_platform in r.output, r.output

# -- reference wages --------------------------------------------------------------------------
def test_minimum_wage_table_is_complete_and_dated():
    table = wages.load_table()
    assert len(wages.keys(table)) >= 12
    for w in table:
        assert w.source and w.effective_from.year >= 2009 and w.hourly > 0
    ph = wages.minimum_wage("ph-ncr", dt.date(2025, 8, 1), table)
    assert (ph.amount, ph.unit, ph.hours_per_unit, ph.hourly) == (wages.Decimal("695"), "day", 8, wages.Decimal("86.88"))
    assert wages.minimum_wage("ph-ncr", dt.date(2025, 1, 1), table).amount == 645
    with pytest.raises(wages.ReferenceError_, match="choose one of"):
        wages.minimum_wage("atlantis", None, table)
    ref = wages.choose_reference(Logbook(), minimum="ph-ncr", date_from=dt.date(2025, 7, 1),
                                 date_to=dt.date(2025, 7, 31), table=table)
    assert ref.hourly == wages.Decimal("86.88") and len(ref.other_figures) == 1  # 645 applied until 17 July
    # Kenya's 2024 order (a 6% rise from 1 November 2024): 16,113.75 a month over 52 h × 52 ÷ 12 = 225.33 h
    ke = wages.minimum_wage("ke-cities", dt.date(2026, 3, 1), table)
    assert (ke.amount, ke.effective_from, ke.hourly) == (wages.Decimal("16113.75"), dt.date(2024, 11, 1),
                                                         wages.Decimal("71.51"))
    assert wages.minimum_wage("ke-cities", dt.date(2024, 10, 31), table).amount == wages.Decimal("15201.65")
    assert [wages.minimum_wage(k, d, table).amount for k, d in (
        ("us-california", dt.date(2025, 12, 31)), ("us-california", dt.date(2026, 1, 1)),
        ("uk", dt.date(2026, 3, 31)), ("uk", dt.date(2026, 4, 1)))] == [
        wages.Decimal(x) for x in ("16.50", "16.90", "12.21", "12.71")]
    # brought up to date for 2026 too; Brazil's decree gives R$ 7.37 an hour itself (1,621 ÷ 220)
    on = dt.date(2026, 6, 1)
    assert [str(wages.minimum_wage(k, on, table).hourly) for k in ("fr", "br", "za", "co")] == [
        "12.02", "7.37", "30.23", "7958.66"]  # Colombia: 1,750,905 ÷ 220
    # Ghana's 2025 figure took effect on 1 March 2025 (the committee's communiqué), so a
    # February 2025 shift is held to 2024's GH¢18.15 a day (÷ 8 h = 2.27), not 19.97
    assert [(wages.minimum_wage("gh", d, table).amount, str(wages.minimum_wage("gh", d, table).hourly)) for d in (
        dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2026, 1, 1))] == [
        (wages.Decimal("18.15"), "2.27"), (wages.Decimal("19.97"), "2.50"), (wages.Decimal("21.77"), "2.72")]
    # Turkey 2026: 33,030 gross a month ÷ 225 h = 146.80; Delhi from April 2025: 18,456 ÷ 208 = 88.73
    assert str(wages.minimum_wage("tr", dt.date(2026, 1, 1), table).hourly) == "146.80"
    assert str(wages.minimum_wage("in-delhi", dt.date(2025, 4, 1), table).hourly) == "88.73"
    assert wages.minimum_wage("in-delhi", dt.date(2025, 3, 31), table).amount == 18066


def test_logbooks_own_reference_is_used_and_said(book):
    s, _, _ = book
    s.set_settings(Logbook(home_currency="USD", timezone=TZ, reference_wage="15", reference_label="My target"))
    ref = wages.choose_reference(s.settings())
    assert ref.origin == "worker's figure"
    data, _, ev = make(s, ref)
    assert ev.metrics["shortfall"] == "25.00"
    assert "My target (worker's figure)" in pdf_text(data)


# -- statement and command line ---------------------------------------------------------------
def test_statement_is_saved_and_journaled(book):
    s, _, _ = book
    save_statement(s, "first version")
    save_statement(s, STATEMENT)
    assert saved_statement(s) == STATEMENT
    assert any(e["action"] == "update" for e in s.journal_entries("settings"))


def test_evidence_command_writes_the_zip(book, tmp_path):
    s, _, _ = book
    out = tmp_path / "claim.zip"
    stmt = tmp_path / "statement.txt"
    stmt.write_text(STATEMENT, encoding="utf-8")
    run = lambda *a: CliRunner().invoke(cli, ["--db", str(s.path), *a])  # noqa: E731
    res = run("evidence", "--from", "2026-03-01", "--to", "2026-03-07", "--out", str(out),
              "--reference-wage", "15", "--statement", str(stmt))
    assert res.exit_code == 0, res.output
    assert "weekly shortfall 75.00 (below in 1 of 2 weeks, short by 75.00), whole period 25.00" in res.output
    assert "outstanding 80.00 today" in res.output and "185.00 at the period's end (2026-03-07)" in res.output
    assert "journal check: OK" in res.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() in res.output
    assert "Łódź" in pdf_text(out.read_bytes())
    res = run("evidence", "--from", "2026-03-01", "--to", "2026-03-07", "--out", str(out))
    assert res.exit_code != 0 and "already exists" in res.output
    res = run("evidence", "--from", "2026-03-07", "--to", "2026-03-01", "--out", str(tmp_path / "b.zip"))
    assert res.exit_code != 0 and "before --from" in res.output
    res = run("evidence", "--from", "2026-03-01", "--to", "2026-03-07", "--out", str(tmp_path / "c.zip"),
              "--minimum", "atlantis")
    assert res.exit_code != 0 and "choose one of" in res.output and "Traceback" not in res.output
    # a minimum in another currency with no exchange rate: a clear message, nothing written
    res = run("evidence", "--from", "2026-03-01", "--to", "2026-03-07", "--out", str(tmp_path / "d.zip"),
              "--minimum", "ke-cities")
    assert res.exit_code != 0 and "exchange rate for KES" in res.output and not (tmp_path / "d.zip").exists()


def test_anchor_attach_and_list_commands(book, tmp_path):
    s, _, ids = book
    run = lambda *a: CliRunner().invoke(cli, ["--db", str(s.path), *a])  # noqa: E731
    res = run("anchor", "--json")
    assert res.exit_code == 0 and json.loads(res.output)["line"].startswith("taskerlog anchor ")
    f = tmp_path / "msg.txt"
    f.write_text("Project paused, no pay for the crashed batch", encoding="utf-8")
    res = run("attach", str(f), "--entry", str(ids["lost"]))
    assert res.exit_code == 0 and "attached msg.txt" in res.output
    res = run("attach", str(f), "--entry", str(ids["lost"]))
    assert "already attached" in res.output
    res = run("attachments")
    assert hashlib.sha256(f.read_bytes()).hexdigest() in res.output
    res = run("minimums")
    assert "ph-ncr" in res.output and "Wage Order" in res.output


def test_app_page_makes_a_report(book, monkeypatch):
    from streamlit.testing.v1 import AppTest

    s, _, _ = book
    monkeypatch.setenv("TASKERLOG_DB", str(s.path))
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "app_pages" / "evidence.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.radio(key="ev_ref_how").set_value("Another hourly figure").run()
    at.text_input(key="ev_ref_wage").set_value("15").run()
    at.button(key="ev_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("The report is ready: 5 work entries" in str(e.value) for e in at.success)
    at.button(key="ev_anchor").click().run()
    assert any(str(c.value).startswith("taskerlog anchor ") for c in at.code)


def test_the_minimum_wage_offered_first_is_the_workers_own_countrys():
    ks = wages.keys()
    assert wages.key_for_zone("Africa/Nairobi", ks) == "ke-cities"  # the audit found Brazil offered in Nairobi
    assert wages.key_for_zone("America/Los_Angeles", ks) == "us-federal"  # national before a state's
    assert wages.key_for_zone("Europe/London", ks) == "uk"
    assert wages.key_for_zone("UTC", ks) is None


def test_the_headline_is_the_weekly_shortfall_never_a_bare_no(book):
    """$7.25 × 14 h = $101.50 < $185: the period averaged is not below the federal minimum,
    but W09 (5 unpaid hours) is, by $36.25. The report must say so first, not 'no'."""
    s, _, _ = book
    ref = wages.choose_reference(s.settings(), minimum="us-federal", date_from=dt.date(2026, 3, 1),
                                 date_to=dt.date(2026, 3, 7))
    data, _, ev = make(s, ref)
    assert (ev.metrics["weeks_with_work"], ev.metrics["weeks_below_reference"]) == (2, 1)
    text = pdf_text(data)
    assert "Paid below it, week by week? YES: below in 1 of 2 weeks, short by 36.25 USD" in text
    assert "Below the reference? no" not in text
    # the period-level figure comes second, labelled as the whole period averaged
    assert text.index("week by week? YES") < text.index("Whole period averaged not below the reference; shortfall 0.00 USD")


def test_outstanding_is_stated_as_of_the_day_the_report_is_made(book):
    """The worked example's $185 was owed on 7 March; the payout of 9 March (after the
    period) paid it, so on the day the report is made (1 April) the report must not claim
    it is still owed: today's figure first, the period's end second, labelled."""
    s, _, _ = book
    data, manifest, ev = make(s, own_reference(s))
    assert ev.today == dt.date(2026, 4, 1) and ev.metrics["outstanding"] == "185.00"
    expected_today = metrics.compute(s.frames(), date_to=dt.date(2026, 4, 1))["outstanding"]
    assert ev.outstanding_today == expected_today == "80.00"  # 185 earned − 105 paid on 9 March
    text = pdf_text(data)
    assert f"Outstanding on 2026-04-01 {report.amount(expected_today, 'USD')} (the day this report was made" in text
    assert "Outstanding at the period's end (2026-03-07) 185.00 USD" in text
    assert text.index("Outstanding on 2026-04-01") < text.index("Outstanding at the period's end")
    assert manifest["outstanding"] == {"on": "2026-04-01", "amount": expected_today, "at_period_end": "185.00"}


def test_kenya_sample_report_states_what_is_owed_on_the_day_it_is_made(tmp_path):
    """The outside acceptance check: the Kenyan sample, first to last day of work."""
    from taskerlog.bundle import import_path

    root = Path(__file__).resolve().parents[1]
    with Store(tmp_path / "k.sqlite") as s:
        import_path(s, root / "sample_data" / "kenya-kes")
        now = t("2026-06-15T12:00")
        data, _, ev = report.make_report(s, date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 4, 27),
                                         reference=own_reference(s, "71.51"), now=now)
        owed = metrics.compute(s.frames(), date_to=dt.date(2026, 6, 15))["outstanding"]
    assert wages.Decimal(owed) > 0 and ev.outstanding_today == owed
    text = pdf_text(data)
    assert f"Outstanding on 2026-06-15 {report.amount(owed, 'KES')} (the day this report was made" in text


def test_a_report_from_a_sample_says_sample_on_every_page_and_calls_no_entry_late(tmp_path):
    """A sample opened in the app is imported as its bundle is on the command line
    (source import:<name>): its entries are 'imported', not typed in late; and the report,
    made from the sample's file, says SAMPLE on every page."""
    from taskerlog import bundle
    from taskerlog.store import SAMPLE_MARK

    root = Path(__file__).resolve().parents[1]
    path = tmp_path / f"logbook{SAMPLE_MARK}kenya-kes.sqlite"
    with Store(path) as s:
        tables, problems = bundle.read_bundle(root / "sample_data" / "kenya-kes")
        assert not problems
        bundle.import_tables(s, tables, source="import:kenya-kes")
        data, manifest, ev = report.make_report(s, date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28),
                                                reference=None, now=t("2026-06-15T12:00"))
    assert ev.sample and manifest["sample"] is True
    assert {e["class"] for e in ev.entries} == {"imported"}
    z = zipfile.ZipFile(io.BytesIO(data))
    pages = pypdf.PdfReader(io.BytesIO(z.read(report.PDF_NAME))).pages
    assert len(pages) > 1 and all("SAMPLE" in p.extract_text() for p in pages)
    # a real logbook's report does not say it
    with Store(tmp_path / "mine.sqlite") as s:
        bundle.import_tables(s, tables, source="import:kenya-kes")
        data, manifest, ev = report.make_report(s, date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28),
                                                reference=None, now=t("2026-06-15T12:00"))
    assert not ev.sample and "SAMPLE" not in pdf_text(data)


def test_a_payout_for_earlier_work_is_marked_in_the_pack_and_pays_for_no_logged_week(book):
    """A 50 USD payout on 3 March marked for earlier work: payouts.csv and the PDF say so, Paid
    out stays 0 in the period (metrics.md), and week 2026-W10's paid work is still waiting for
    its payout (the 105 of 9 March), not "paid" by the earlier-work one."""
    import csv

    s, _, _ = book
    s.add_payout(Payout(platform="Outlier", paid_at=t("2026-03-03T10:00"), amount="50", currency="USD",
                        for_earlier_work=True))
    data, _, ev = make(s)
    assert [w["status"] for w in ev.payout_weeks if w["week"] == "2026-W10"] == ["payout on 2026-03-09"]
    rows = list(csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(data)).read("payouts.csv").decode())))
    assert [(r["amount"], r["for_earlier_work"]) for r in rows] == [("50.00", "yes")]
    text = pdf_text(data)
    assert "paying for work done before this logbook began" in text and "Paid out in the period 0.00" in text
