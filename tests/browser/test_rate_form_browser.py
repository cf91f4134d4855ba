"""The rate form in a real browser, at 1366 px and at 390 px (issue 23.6): while a new rate is
typed, before anything is saved and without Enter or Tab, the form says the rate in effect
and the change in %; saved, the message says the same. (Entries and the rate history, with
a cut, are rendered at both widths by test_app_browser.py::test_screenshots_of_every_page.)"""

from __future__ import annotations

import pytest

from taskerlog.model import Project, Rate
from taskerlog.store import Store

from .conftest import DESKTOP, PHONE, goto, settle, shot

pytestmark = pytest.mark.browser


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def window(browser, request):
    ctx = browser.new_context(viewport=request.param)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    yield page
    ctx.close()


def _rates(db) -> list[int]:
    with Store(db) as s:
        return sorted(int(v) for v in s.frames(work_ids=[]).rates["rate_micros"])


def test_the_rate_form_shows_the_current_rate_and_the_change_as_it_is_typed(server, window):
    page, width = window, window.viewport_size["width"]
    s = Store(server.db)
    s.add_project(Project(platform="Outlier", project="Genesis Dolphin", currency="USD"))
    s.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", effective_at=1_700_000_000, rate="20",
                    currency="USD"))
    s.close()
    goto(page, f"{server.url}/log")
    page.get_by_role("tab", name="Rate change").click()
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Now 20.00 USD/hour.", exact=True).wait_for()  # before a key is pressed
    box = main.locator("input.stkeyup__input").filter(visible=True).first
    box.click()
    box.press_sequentially("17", delay=60)  # typed; no Enter, no Tab, no click elsewhere
    main.get_by_text("Now 20.00 USD/hour → 17.00: −15.0%.", exact=True).wait_for(timeout=10_000)
    box.press_sequentially(".5", delay=60)  # 17.5 in this English logbook's notation: −2.5/20 = −12.5%
    main.get_by_text("Now 20.00 USD/hour → 17.50: −12.5%.", exact=True).wait_for(timeout=10_000)
    assert box.input_value() == "17.5"  # what was typed stays as typed while the page reruns
    assert _rates(server.db) == [20_000_000]  # nothing saved yet
    shot(page, f"rate-form-typing-{width}")
    main.get_by_role("button", name="Save rate").click()
    page.get_by_text("(was 20.00, −12.5%)", exact=False).first.wait_for(timeout=15_000)
    assert _rates(server.db) == [17_500_000, 20_000_000]
    settle(page)
    shot(page, f"rate-form-saved-{width}")

