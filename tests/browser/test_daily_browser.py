"""The daily path in a real browser, at 1366 px and at 390 px: a clock that ticks every
second on every page (and in the tab's title), a clock forgotten for 14 hours that asks
"Still working?", and the confirmation of a save inside the viewport."""

from __future__ import annotations

import re

import pytest

from taskerlog import timeutil
from taskerlog.model import Project, Rate
from taskerlog.store import Store

from .conftest import DESKTOP, PHONE, goto, open_payout_form, settle, shot

pytestmark = pytest.mark.browser

NAME = "Genesis *Dolphin* <b>"  # Markdown and HTML in a name: shown as typed


def _logbook(db, clock_hours_ago: float | None) -> None:
    s = Store(db)
    s.add_project(Project(platform="Outlier", project=NAME, currency="USD"))
    s.add_rate(Rate(platform="Outlier", project=NAME, effective_at=1_700_000_000, rate="20", currency="USD"))
    if clock_hours_ago is not None:
        now = timeutil.now_epoch()
        s.clock_start("Outlier", NAME, "tasking", at=now - now % 60 - int(clock_hours_ago * 3600))  # on a minute
    s.close()


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0 \
        and box["x"] + box["width"] <= size["width"]


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def window(browser, request):
    """A browser window at 1366 px, then at 390 px."""
    ctx = browser.new_context(viewport=request.param)
    yield ctx.new_page()
    ctx.close()


def test_the_clock_ticks_every_second_on_every_page_and_in_the_title(server, window):
    page, width = window, window.viewport_size["width"]
    _logbook(server.db, clock_hours_ago=0.5)
    for path in ("dashboard", "log"):
        goto(page, f"{server.url}/{path}")
        clock = page.locator('[data-testid="stMain"] .taskerlog-time').first
        clock.wait_for()
        first = clock.inner_text()
        assert re.fullmatch(r"0:3[01]:\d\d", first), first
        page.wait_for_timeout(2000)
        assert clock.inner_text() != first  # it ticked, with no rerun of the page
        assert re.match(r"▶ 0:3\d:\d\d Outlier · Genesis \*Dolphin\* <b>", page.title()), page.title()
        # the name is shown literally: no emphasis, no bold element made from it
        main = page.locator('[data-testid="stMain"]')
        assert "Genesis *Dolphin* <b>" in main.inner_text()
        assert main.locator(".taskerlog-clock b, .taskerlog-clock em").count() == 0
        assert _in_viewport(page, clock)  # at the top of the page, within reach
        if path == "log":  # the button a worker presses most, on the first screen (a thumb's reach on a phone)
            assert _in_viewport(page, page.get_by_role("button", name="Clock out"))
        shot(page, f"daily-clock-{path}-{width}")


def test_a_clock_forgotten_for_14_hours_asks_first_and_stops_at_the_time_given(server, window):
    page, width = window, window.viewport_size["width"]
    _logbook(server.db, clock_hours_ago=14)
    goto(page, f"{server.url}/dashboard")
    box = page.locator('[data-testid="stMain"]').get_by_text("Still working?")
    box.wait_for()
    # started 14 hours before the page was asked for; a busy machine may take a minute or two to show it
    assert re.search(r"has run 14:0[0-4]\b", page.locator('[data-testid="stMain"]').inner_text())
    if width > 640:  # the sidebar's one-click Stop would save 14 hours without the question: it waits
        assert page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Stop").is_disabled()
    shot(page, f"daily-still-working-{width}")
    # "Stop it at this time" defaults to an hour after the start
    page.get_by_role("button", name="Stop it at this time").click()
    settle(page)
    flash = page.locator(".st-key-taskerlog_flash")
    flash.wait_for()
    assert "Clocked out: 1:00 of tasking on Outlier · Genesis" in flash.inner_text()
    assert "earned USD 20.00" in flash.inner_text()
    assert _in_viewport(page, flash)
    shot(page, f"daily-stopped-at-{width}")
    s = Store(server.db)
    work = s.frames().work
    assert s.running_clocks() == [] and len(work) == 1
    assert int(work["end"][0]) - int(work["start"][0]) == 3600
    assert page.locator('[data-testid="stMain"]').get_by_text("Still working?").count() == 0


def test_keep_it_running_stops_asking_in_this_window(server, page):
    _logbook(server.db, clock_hours_ago=14)
    goto(page, f"{server.url}/log")
    page.get_by_role("button", name="Yes, keep it running").click()
    settle(page)
    assert page.get_by_text("Still working?").count() == 0
    assert len(Store(server.db).running_clocks()) == 1
    page.get_by_role("link", name="Dashboard").click()  # another page of the same window: not asked again
    page.wait_for_url("**/dashboard")
    settle(page)
    assert page.get_by_text("Still working?").count() == 0


def test_a_payout_typed_in_the_logbooks_notation_is_confirmed_in_view_with_its_summary(server, window):
    page = window
    _logbook(server.db, clock_hours_ago=None)
    goto(page, f"{server.url}/log")
    open_payout_form(page, "Outlier")
    page.get_by_label("Amount (before fees)").fill("80.00")
    page.get_by_label("Fee", exact=True).fill("2.50")
    page.get_by_label("Received (after conversion)").fill("9,950")  # English notation: nine thousand…
    page.get_by_role("textbox", name="Received in").fill("KES")
    page.get_by_role("button", name="Save payout").click()
    flash = page.locator(".st-key-taskerlog_flash")
    flash.wait_for(timeout=60_000)
    settle(page)
    # nothing is logged yet, so the form offers it as the newcomer's first payout, for earlier work
    assert ("Payout USD 80.00 − 2.50 fee, KES 9,950.00 received from Outlier saved (for work done before this "
            "logbook).") in flash.inner_text()
    assert _in_viewport(page, flash)  # the save button is far down the page; the confirmation is in view
    shot(page, f"daily-payout-saved-{page.viewport_size['width']}")
    [p] = Store(server.db).rows("payouts")
    assert (p["amount_micros"], p["fee_micros"], p["received_amount_micros"]) == (80_000_000, 2_500_000,
                                                                                  9_950_000_000)


def _an_entry_two_hours_ago(db) -> tuple[int, int]:
    from taskerlog.model import WorkEntry

    now = timeutil.now_epoch()
    start = now - now % 60 - 2 * 3600
    s = Store(db)
    s.add_work(WorkEntry(platform="Outlier", project=NAME, kind="review", start=start, end=start + 3600,
                         note="batch *7*"))
    s.close()
    return start, start + 3600


def test_today_at_a_glance_and_continue_starts_the_clock_on_the_same_project(server, window):
    page, width = window, window.viewport_size["width"]
    _logbook(server.db, clock_hours_ago=None)
    start, _ = _an_entry_two_hours_ago(server.db)
    goto(page, f"{server.url}/log")
    main = page.locator('[data-testid="stMain"]')
    week_hours = main.locator('[data-testid="stMetric"]', has_text="This week: hours")
    assert "1:00" in week_hours.inner_text()  # a review hour at USD 20
    assert "USD 20.00" in main.locator('[data-testid="stMetric"]', has_text="This week: earned").inner_text()
    assert "USD 20.00" in main.locator('[data-testid="stMetric"]',
                                       has_text="This week: effective wage").inner_text()
    recent = main.locator('[class*="st-key-recent_"]').first
    assert "Outlier · Genesis *Dolphin* <b> — review" in recent.inner_text()
    assert "batch *7*" in recent.inner_text()
    shot(page, f"daily-glance-{width}")
    recent.get_by_role("button", name="▶ Continue").click()
    settle(page)
    [c] = Store(server.db).running_clocks()
    assert (c["platform"], c["project"], c["kind"]) == ("Outlier", NAME, "review")
    flash = page.locator(".st-key-taskerlog_flash")
    assert "Clocked in on Outlier · Genesis *Dolphin* <b> (review)" in flash.inner_text()
    assert _in_viewport(page, flash)


def test_duplicate_fills_the_past_entry_form_and_saves_a_second_entry(server, page):
    _logbook(server.db, clock_hours_ago=None)
    start, end = _an_entry_two_hours_ago(server.db)
    goto(page, f"{server.url}/log")
    page.locator('[class*="st-key-recent_"]').first.get_by_role("button", name="Duplicate").click()
    settle(page)
    assert page.get_by_role("tab", name="Past entry").get_attribute("aria-selected") == "true"
    assert page.get_by_label("Note", exact=True).filter(visible=True).first.input_value() == "batch *7*"
    shot(page, "daily-duplicate-filled")
    page.get_by_role("button", name="Save entry").click()
    page.locator(".st-key-taskerlog_flash", has_text="Saved review").wait_for(timeout=60_000)
    work = Store(server.db).frames().work.sort_values("id")
    assert list(work["kind"]) == ["review", "review"] and list(work["note"]) == ["batch *7*", "batch *7*"]
    # the same times, on today (the same day unless the entry began before midnight)
    assert (int(work["start"].iloc[1]) - start) % 86400 == 0 and int(work["end"].iloc[1]) - int(work["start"].iloc[1]) == end - start


def test_the_week_grid_corrects_a_day_and_saves(server, window):
    page, width = window, window.viewport_size["width"]
    _logbook(server.db, clock_hours_ago=None)
    start, _ = _an_entry_two_hours_ago(server.db)
    goto(page, f"{server.url}/timesheet")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    settle(page)  # the grid takes keys only once the page's run is over (a busy CI machine lagged)
    shot(page, f"daily-timesheet-{width}")
    box = grid.bounding_box()
    # the first row's first cell, counted from the grid's bottom (the week's one row, then the
    # empty row that adds one; 35 px each): the toolbar that appears over the grid's top on
    # hover moved a click counted from the top into the empty row on a busy CI machine
    page.mouse.click(box["x"] + 40, box["y"] + box["height"] - 35 - 17)
    weekday = timeutil.to_local(start, Store(server.db).settings().timezone).weekday()
    for _ in range(2 + weekday):  # past Project and Kind to the entry's day
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # open the cell's editor
    page.wait_for_timeout(400)
    page.keyboard.press("Control+a")
    page.keyboard.type("0:30", delay=50)
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)  # the grid commits the cell before the form is sent
    page.get_by_role("button", name="Save the week").click()
    flash = page.locator(".st-key-taskerlog_flash")
    flash.wait_for(timeout=60_000)
    settle(page)
    shot(page, f"daily-timesheet-saved-{width}")
    assert "0 entries added, 1 shortened, 0 deleted" in flash.inner_text()
    [w] = Store(server.db).frames().work.itertuples()
    assert (int(w.start), int(w.end)) == (start, start + 1800)
    assert Store(server.db).verify().ok


def _sample(db) -> None:
    from taskerlog import bundle
    from taskerlog.appsupport import sample_bundles

    tables, problems = bundle.read_bundle(sample_bundles()["hourly-usd"])
    assert not problems
    with Store(db) as s:
        bundle.import_tables(s, tables, source="import:hourly-usd")


def _shown(page, key: str) -> bool:
    return page.locator(f".st-key-{key}").evaluate("e => getComputedStyle(e).display !== 'none' && e.offsetHeight > 0")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_eq_calendar_and_the_project_table_read_on_the_screen_they_are_on(server, browser, viewport):
    """All time on the sample: at 1366 px the calendar runs a week a column; at 390 px a week a
    row (Monday to Sunday across, cells wide enough to read), the wide one hidden, and the
    headline figures sit two to a row, the effective wage first. The By project table starts
    with the project, its effective wage and its hours as h:mm."""
    _sample(server.db)
    ctx = browser.new_context(viewport=viewport)
    page = ctx.new_page()
    goto(page, f"{server.url}/dashboard")
    page.get_by_role("button", name="All time").click()
    settle(page)
    phone = viewport is PHONE
    if phone:
        metrics = page.locator('[data-testid="stMain"] [data-testid="stMetric"]')
        first, second = metrics.nth(0).bounding_box(), metrics.nth(1).bounding_box()
        assert metrics.nth(0).inner_text().startswith("Effective hourly wage")
        assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + 100  # side by side
        assert first["x"] + first["width"] <= PHONE["width"] and second["x"] + second["width"] <= PHONE["width"]
        shot(page, "daily-dashboard-phone")
    assert _shown(page, "eq_calendar_phone") is phone and _shown(page, "eq_calendar_wide") is not phone
    cal = page.locator(f".st-key-eq_calendar_{'phone' if phone else 'wide'} .vega-embed").first
    cal.wait_for(timeout=60_000)
    box = cal.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    if phone:  # 7 columns across the screen, a row for each of up to 26 weeks: tall, not squeezed
        assert box["width"] > 250 and box["height"] > 300, box
        assert "the last with anything logged" in page.locator(".st-key-eq_calendar_phone").inner_text()
    else:
        assert box["width"] > box["height"], box
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    headers = grid.locator('[role="columnheader"]').all_inner_texts()
    assert [h.strip() for h in headers[:3]] == ["project", "effective wage/h", "hours worked"], headers
    cells = [c.strip() for c in grid.locator('[role="gridcell"]').all_text_contents()]
    assert "128:10" in cells, cells  # Genesis Dolphin's hours as h:mm
    shot(page, f"daily-dashboard-eq-calendar-{'390' if phone else '1366'}")
    ctx.close()
