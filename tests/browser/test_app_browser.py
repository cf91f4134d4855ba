"""The app in a real browser: first run → sample → dashboard equals the CLI; a clock that
survives a reload; an import with errors imports nothing; two sessions writing at once;
screenshots of every page at desktop and phone width (artifacts/screenshots/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from taskerlog import appsupport
from taskerlog.model import Project, Rate
from taskerlog.store import Store

from .conftest import (DESKTOP, PHONE, ROOT, cramped_dates, goto, off_machine_links, open_payout_form, settle, shot,
                       watch_requests)

pytestmark = pytest.mark.browser

PAGES = ["welcome", "log", "timesheet", "dashboard", "entries", "projects", "money_page", "fix_records", "import_export",
         "settings"]
PAGES += [p for p in ("evidence", "organize", "history") if (ROOT / "app_pages" / f"{p}.py").exists()]


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "taskerlog"), "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def _open_sample(page, server) -> None:
    goto(page, server.url)
    page.get_by_role("button", name="Open the sample logbook").click()
    page.wait_for_url("**/dashboard?logbook=sample-*", timeout=60_000)
    settle(page)
    page.get_by_text("SAMPLE logbook").first.wait_for()


def _project(db: Path) -> None:
    s = Store(db)
    s.add_project(Project(platform="Outlier", project="Genesis Dolphin", currency="USD"))
    s.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", effective_at=1_700_000_000, rate="20",
                    currency="USD"))
    s.close()


def test_first_run_sample_dashboard_equals_cli_metrics(server, page):
    goto(page, server.url)
    page.get_by_text("Explore a sample").wait_for()
    shot(page, "first-run-desktop")
    _open_sample(page, server)
    page.get_by_role("radio", name="All time").or_(page.get_by_role("button", name="All time")).first.click()
    settle(page)
    page.get_by_text("Show these figures as JSON").click()
    settle(page)
    blocks = page.locator('[data-testid="stCode"]')
    cmd = blocks.nth(0).inner_text().strip()
    shown = json.loads(blocks.nth(1).inner_text())
    assert cmd == "taskerlog metrics --json"
    sample = appsupport.sample_db_path(server.db, page.url.split("logbook=sample-")[1])
    out = _cli(sample, "metrics", "--json")
    assert out.returncode == 0, out.stderr
    assert shown == json.loads(out.stdout)
    # the headline shows the same effective wage, rounded to cents
    home = Store(sample).settings().home_currency
    wage = appsupport.fmt_money(shown["effective_hourly_wage"], home)
    assert page.locator('[data-testid="stMetric"]', has_text="Effective hourly wage").inner_text().count(wage) == 1
    # the worker's own logbook is untouched
    assert Store(server.db).is_empty()


def test_clock_in_reload_clock_out_saves_the_entry(server, page):
    _project(server.db)
    goto(page, f"{server.url}/log")
    page.get_by_role("button", name="▶ Clock in").click()
    settle(page)
    page.get_by_text("Running").first.wait_for()
    page.wait_for_timeout(1200)  # a clock must run at least a second
    page.reload()
    settle(page)
    assert page.get_by_text("Running").count() >= 1
    page.get_by_role("button", name="Clock out").click()
    settle(page)
    page.get_by_text("Clocked out").wait_for()
    s = Store(server.db)
    assert s.running_clocks() == []
    w = s.frames().work
    assert list(w["kind"]) == ["tasking"] and list(w["project"]) == ["Genesis Dolphin"]


def test_import_with_errors_lists_them_and_imports_nothing(server, page, tmp_path):
    _project(server.db)
    bad = tmp_path / "work.csv"
    bad.write_text("platform,project,kind,start,end,pay,currency\n"
                   "Outlier,Genesis Dolphin,tasking,2026-03-02T09:00,2026-03-02T12:00,105,USD\n"
                   "Outlier,Genesis Dolphin,tasking,2026-03-03T09:00,2026-03-03T08:00,,USD\n"
                   "Outlier,Genesis Dolphin,napping,2026-03-04T09:00,2026-03-04T10:00,12.5,USD\n"
                   "Outlier,Genesis Dolphin,tasking,2026-03-05T09:00,2026-03-05T10:00,1,250.00,USD\n")
    before = Store(server.db).journal_head()
    goto(page, f"{server.url}/import_export")
    page.locator('input[type="file"]').set_input_files(str(bad))
    page.get_by_text("Nothing was imported").wait_for(timeout=60_000)
    settle(page)
    text = page.locator('[data-testid="stCode"]').first.inner_text()
    assert "work.csv:3" in text and "work.csv:4" in text
    assert "work.csv:5: has 8 cells but the header names 7 columns; the extra cell 'USD'" in text
    assert "work.csv:2" not in text
    shot(page, "import-errors-desktop")
    s = Store(server.db)
    assert s.journal_head() == before
    assert len(s.frames().work) == 0


def test_two_sessions_writing_at_once_both_saved(server, browser):
    _project(server.db)
    pages = []
    for _ in range(2):
        ctx = browser.new_context(viewport=DESKTOP)
        pg = ctx.new_page()
        pg.set_default_timeout(30_000)
        goto(pg, f"{server.url}/log")
        pg.get_by_role("tab", name="Past entry").click()
        pages.append(pg)
    rounds = 3
    for r in range(rounds):
        for i, pg in enumerate(pages):
            pg.get_by_label("Note", exact=True).filter(visible=True).first.fill(f"session {i} round {r}")
        # submit both as close together as the browser allows
        for pg in pages:
            pg.get_by_role("button", name="Save entry").click(no_wait_after=True)
        for pg in pages:
            pg.get_by_text("Saved tasking").wait_for(timeout=60_000)
            settle(pg)
            pg.get_by_role("tab", name="Past entry").click()
    notes = sorted(Store(server.db).frames().work["note"])
    assert notes == sorted(f"session {i} round {r}" for i in range(2) for r in range(rounds))
    assert Store(server.db).verify().ok
    log = server.log()
    for bad in ("Traceback", "ProgrammingError", "different thread", "database is locked", "Uncaught app"):
        assert bad not in log, log
    for pg in pages:
        pg.context.close()


def test_screenshots_of_every_page(server, browser):
    label = None
    away: list[str] = []
    cramped: list[tuple[str, str, str]] = []
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        ctx = browser.new_context(viewport=viewport, is_mobile=name == "phone", has_touch=name == "phone")
        away += watch_requests(ctx)
        pg = ctx.new_page()
        pg.set_default_timeout(60_000)
        if label is None:  # the sample, opened as a worker would (its own file, named in the address)
            _open_sample(pg, server)
            label = pg.url.split("logbook=")[1]
        for p in PAGES:
            goto(pg, f"{server.url}/{p}?logbook={label}")
            assert pg.locator('[data-testid="stException"]').count() == 0, p
            if p in ("entries", "projects"):  # the pay column and the rate history (the sample's cut 35 → 20)
                assert pg.locator('[data-testid="stAlertContentError"]').count() == 0, p
                assert pg.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() >= 1, p
            away += off_machine_links(pg)
            cramped += [(p, name, field) for field in cramped_dates(pg)]
            shot(pg, f"sample-{p}-{name}")
        for p in ("welcome", "log"):  # a first run lands on the welcome page's form
            goto(pg, f"{server.url}/{p}")
            cramped += [(f"mine-{p}", name, field) for field in cramped_dates(pg)]
            shot(pg, f"mine-empty-{p}-{name}")
        ctx.close()
    assert "Traceback" not in server.log()
    assert cramped == [], f"date fields too narrow to show a whole date (page, screen, field): {cramped}"
    assert away == [], f"every page, and nothing asked of the internet: {sorted(set(away))}"


def test_import_a_valid_bundle_after_its_preview_then_export_it(server, page):
    sample = ROOT / "sample_data" / "hourly-usd"
    files = sorted(str(p) for p in sample.glob("*.csv"))
    goto(page, f"{server.url}/import_export")
    page.locator('input[type="file"]').set_input_files(files)
    page.get_by_text("is valid").wait_for(timeout=60_000)
    settle(page)
    assert Store(server.db).is_empty()  # the preview wrote nothing
    page.get_by_role("button", name="Import now").click()
    page.get_by_text("Imported").first.wait_for(timeout=60_000)
    settle(page)
    n = sum(1 for _ in open(sample / "work.csv", encoding="utf-8")) - 1
    assert len(Store(server.db).frames().work) == n
    page.get_by_role("button", name="Prepare the export").click()
    settle(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download taskerlog-bundle.zip").click()
    import zipfile
    with zipfile.ZipFile(dl.value.path()) as z:
        names = {Path(n).name for n in z.namelist()}
        assert {"work.csv", "projects.csv", "rates.csv"} <= names
        work = next(n for n in z.namelist() if n.endswith("work.csv"))
        assert len(z.read(work).decode().strip().splitlines()) == n + 1


def test_fix_a_payout_typed_ten_times_too_big(server, page):
    _project(server.db)
    from taskerlog.model import Payout
    with Store(server.db) as s:
        pid = s.add_payout(Payout(platform="Outlier", paid_at=1_772_800_000, amount="1850", currency="USD",
                                  method="PayPal"))
    goto(page, f"{server.url}/fix_records")
    assert page.locator('[data-testid="stDataFrame"]').count() == 1  # the payouts, in a grid
    page.get_by_label("Tick a row above, or type its number").fill(str(pid))
    page.keyboard.press("Enter")
    settle(page)
    amount = page.get_by_label("amount", exact=True)
    assert amount.input_value() == "1850.00"
    amount.fill("-185")
    page.get_by_role("button", name="Save changes").click()
    settle(page)
    page.get_by_text("is negative").first.wait_for()
    shot(page, "fix-records-refused")
    assert Store(server.db).get("payouts", pid)["amount_micros"] == 1_850_000_000
    page.get_by_label("amount", exact=True).fill("185")
    page.get_by_role("button", name="Save changes").click()
    settle(page)
    page.get_by_text(f"Payout #{pid} saved").wait_for()
    shot(page, "fix-records-saved")
    assert Store(server.db).get("payouts", pid)["amount_micros"] == 185_000_000
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in server.log()


def test_an_entry_shows_its_activitywatch_time(server, page):
    import datetime as dt

    from taskerlog.model import WorkEntry
    from taskerlog.store import activity
    _project(server.db)
    start = int(dt.datetime(2026, 3, 4, 9, tzinfo=dt.timezone.utc).timestamp())
    with Store(server.db) as s:
        wid = s.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind="tasking", start=start,
                                   end=start + 2 * 3600))
        activity.add_spans(s, [("aw-watcher-afk", "active", start + 600, start + 6000, "", ""),
                               ("aw-watcher-window", "window", start, start + 3600, "firefox", "Outlier - Task")],
                           "import:aw")
    goto(page, f"{server.url}/entries")
    page.get_by_label("…or type an entry number to fix").fill(str(wid))
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_text("active at the computer for 1:30:00").wait_for()
    shot(page, "entry-with-activitywatch")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_double_click_on_save_saves_once_and_keeps_nothing_half_typed(server, page):
    """A double click on Save used to save the entry and then a second, default one (the
    form had cleared itself), and to lose a payout altogether."""
    _project(server.db)
    goto(page, f"{server.url}/log")
    page.get_by_role("tab", name="Past entry").click()
    page.get_by_label("Note", exact=True).filter(visible=True).first.fill("one click, one entry")
    page.get_by_role("button", name="Save entry").dblclick()
    page.get_by_text("Saved tasking").wait_for(timeout=60_000)
    settle(page)
    page.wait_for_timeout(1500)
    settle(page)
    assert list(Store(server.db).frames().work["note"]) == ["one click, one entry"]

    open_payout_form(page, "Outlier")
    assert page.get_by_role("tab", name="Payout").get_attribute("aria-selected") == "true"
    page.get_by_label("Amount (before fees)").fill("12.50")
    page.get_by_role("button", name="Save payout").dblclick()
    page.get_by_text("Payout USD 12.50 from Outlier saved").wait_for(timeout=60_000)
    settle(page)
    page.wait_for_timeout(1500)
    settle(page)
    # the tab the worker was on stays open after the save
    assert page.get_by_role("tab", name="Payout").get_attribute("aria-selected") == "true"
    payouts = Store(server.db).rows("payouts")
    assert [p["amount_micros"] for p in payouts] == [12_500_000]
    shot(page, "double-click-payout-saved-once")


def test_too_many_tasks_says_why_nothing_was_saved(server, page):
    """A Tasks number past the limit used to redden the field and leave Save doing nothing,
    without a word; now the entry is refused with the reason, and nothing is saved."""
    _project(server.db)
    goto(page, f"{server.url}/log")
    page.get_by_role("tab", name="Past entry").click()
    page.get_by_label("Tasks (optional)").filter(visible=True).first.fill("20000000")
    page.get_by_label("Note", exact=True).filter(visible=True).first.fill("a typo in the tasks")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("tasks in one entry is more than 10,000,000").wait_for(timeout=60_000)
    settle(page)
    shot(page, "too-many-tasks-refused")
    assert Store(server.db).frames().work.empty


def test_history_preview_and_result_speak_of_the_file_not_a_bundle(server, page):
    """Bringing in a spreadsheet: the preview says what importing would do in the page's
    words (no command-line header, 'dry run: nothing written. import:spreadsheet:...'),
    its lines wrap instead of running off the box, and so does the message after."""
    goto(page, f"{server.url}/history")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(ROOT / "tests" / "fixtures" / "importers" / "sheet_dayfirst.csv"))
    page.get_by_text("The file is valid").wait_for(timeout=60_000)
    settle(page)
    preview = page.locator('[data-testid="stCode"]').first.inner_text()
    assert "work: would add 3" in preview
    assert "dry run" not in preview and "import:spreadsheet" not in preview
    assert "active-time evidence" not in preview  # (an ActivityWatch export's line: none here)
    box = page.locator('[data-testid="stCode"]').first.bounding_box()
    assert box["width"] <= page.viewport_size["width"]
    shot(page, "history-spreadsheet-preview")
    page.get_by_role("button", name="Import now").click()
    page.get_by_text("Imported sheet_dayfirst.csv.").wait_for(timeout=60_000)
    settle(page)
    message = page.get_by_text("Imported sheet_dayfirst.csv.").first.inner_text()
    assert "work: added 3" in message and "import:spreadsheet" not in message
    assert len(Store(server.db).frames().work) == 3


def _bring_in(page, server, kind: str, fixture: str) -> None:
    """On Bring in your history: the file's kind chosen, one of the importer fixtures uploaded."""
    goto(page, f"{server.url}/history")
    page.get_by_label("What is the file?").click()
    page.get_by_role("option", name=kind).click()
    settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(ROOT / "tests" / "fixtures" / "importers" / fixture))


def test_history_preview_counts_left_out_breaks_and_asks_once_for_the_platform(server, page):
    """A Clockify export with a break and a zero-length entry previews as valid and says how
    many rows were left out; a Toggl export with empty Client cells is one question naming
    the option, not a problem per row."""
    _bring_in(page, server, "Clockify (detailed CSV export)", "clockify_with_break.csv")
    page.get_by_text("The file is valid").wait_for(timeout=60_000)
    settle(page)
    assert "work: would add 2" in page.locator('[data-testid="stCode"]').first.inner_text()
    page.get_by_text("Skipped or left out (2)").click()
    settle(page)
    notes = page.locator('[data-testid="stCode"]').nth(1).inner_text()
    assert "left out 1 break:" in notes and "left out 1 zero-length entry " in notes
    shot(page, "history-clockify-left-out")
    _bring_in(page, server, "Toggl Track (detailed CSV export)", "toggl_no_client.csv")
    page.get_by_text("Nothing can be imported yet").wait_for(timeout=60_000)
    settle(page)
    problems = page.locator('[data-testid="stCode"]').first.inner_text()
    assert problems.count("which platform is this?") == 1 and "Options → Platform" in problems \
        and "--platform" not in problems  # the app's words for the fix, not the command line's
    shot(page, "history-toggl-platform-question")
    assert Store(server.db).frames().work.empty


def test_a_payout_received_in_a_currency_without_the_amount_is_refused_then_saved(server, page):
    """'Received in' typed without 'Received' is refused in words and saves nothing; with
    the amount added, the same form saves it (what was typed is kept after the refusal)."""
    goto(page, f"{server.url}/log")
    open_payout_form(page, "Remotasks")
    page.get_by_label("Amount (before fees)").fill("40")
    page.get_by_role("textbox", name="Received in").fill("KES")
    page.get_by_role("button", name="Save payout").click()
    page.get_by_text("give the amount received too").wait_for(timeout=60_000)
    settle(page)
    shot(page, "payout-received-in-without-amount")
    assert Store(server.db).rows("payouts") == []
    page.get_by_label("Received (after conversion)").fill("5160")
    page.get_by_role("button", name="Save payout").click()
    page.get_by_text("Payout USD 40.00, KES 5,160.00 received from Remotasks saved").wait_for(timeout=60_000)
    settle(page)
    [p] = Store(server.db).rows("payouts")
    assert (p["amount_micros"], p["received_amount_micros"], p["received_currency"]) == (40_000_000, 5_160_000_000,
                                                                                         "KES")


def test_a_fixed_bundle_uploaded_again_is_the_one_checked_and_imported(server, page, tmp_path):
    """The worker uploads a bundle with a mistake, fixes it and uploads it again beside the
    first (the upload box keeps both): the fixed one is checked and imported, and the page
    says that the name came twice. Before, two .zip files were refused outright."""
    import zipfile

    _project(server.db)
    head = "platform,project,kind,start,end\n"
    for name, row in (("bad", "Outlier,Genesis Dolphin,napping,2026-03-04T09:00,2026-03-04T10:00\n"),
                      ("good", "Outlier,Genesis Dolphin,tasking,2026-03-04T09:00,2026-03-04T10:00\n")):
        (tmp_path / name).mkdir()
        with zipfile.ZipFile(tmp_path / name / "bundle.zip", "w") as z:
            z.writestr("work.csv", head + row)
    goto(page, f"{server.url}/import_export")
    page.locator('input[type="file"]').set_input_files(str(tmp_path / "bad" / "bundle.zip"))
    page.get_by_text("Nothing was imported").wait_for(timeout=60_000)
    settle(page)
    page.locator('input[type="file"]').set_input_files(str(tmp_path / "good" / "bundle.zip"))
    page.get_by_text("bundle.zip is valid").wait_for(timeout=60_000)
    settle(page)
    assert page.get_by_text("uploaded more than once; the last one uploaded is the one checked").count() == 1
    shot(page, "import-fixed-bundle-uploaded-again")
    page.get_by_role("button", name="Import now").click()
    page.get_by_text("Imported bundle.zip.").wait_for(timeout=60_000)
    settle(page)
    assert list(Store(server.db).frames().work["kind"]) == ["tasking"]


def test_a_wrong_header_and_a_bad_row_in_two_files_are_listed_together(server, page, tmp_path):
    """A bundle whose eq.csv has a column too many and whose work.csv has a bad row: the page
    lists both in one go (it used to stop at the header and name work.csv's row only after
    the worker had fixed eq.csv), and nothing is imported."""
    import zipfile

    _project(server.db)
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as z:
        z.writestr("work.csv", "platform,project,kind,start,end\n"
                               "Outlier,Genesis Dolphin,tasking,2026-03-04T09:00,2026-03-04T10:00\n"
                               "Outlier,Genesis Dolphin,napping,2026-03-04T11:00,2026-03-04T12:00\n")
        z.writestr("eq.csv", "platform,start_date,end_date,reason\nOutlier,2026-03-05,2026-03-07,project paused\n")
    before = Store(server.db).journal_head()
    goto(page, f"{server.url}/import_export")
    page.locator('input[type="file"]').set_input_files(str(tmp_path / "bundle.zip"))
    page.get_by_text("Nothing was imported").wait_for(timeout=60_000)
    settle(page)
    text = page.locator('[data-testid="stCode"]').first.inner_text()
    assert "work.csv:3: kind: 'napping' is not one of" in text
    assert "eq.csv:1: reason: unknown column 'reason'" in text
    shot(page, "import-problems-in-two-files")
    assert Store(server.db).journal_head() == before


def test_import_preview_says_which_entries_would_earn_nothing(server, page, tmp_path):
    """The rate starts 14 Nov 2023: an entry of 2 Jan 2023 would earn nothing; the preview
    says so (and the fix) before anything is written."""
    _project(server.db)
    work = tmp_path / "work.csv"
    work.write_text("platform,project,kind,start,end\n"
                    "Outlier,Genesis Dolphin,tasking,2023-01-02T09:00,2023-01-02T12:00\n"
                    "Outlier,Genesis Dolphin,tasking,2024-01-02T09:00,2024-01-02T12:00\n")
    goto(page, f"{server.url}/import_export")
    page.locator('input[type="file"]').set_input_files(str(work))
    page.get_by_text("This is what importing it would do").wait_for(timeout=60_000)
    settle(page)
    page.locator('[data-testid="stAlertContentWarning"]').first.wait_for(timeout=60_000)
    warning = page.locator('[data-testid="stAlertContentWarning"]').first.inner_text()
    assert "1 entry earns nothing" in warning and "it starts on 2023-01-02, before the first rate of" in warning
    assert "Outlier / Genesis Dolphin" in warning and "start date to 2023-01-02 or earlier" in warning
    shot(page, "import-preview-unpriced")
    assert len(Store(server.db).frames().work) == 0
