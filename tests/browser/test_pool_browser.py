"""Pool with others in a real browser (issue 21): the working view says it is not for publication,
and the Publish tab spends ε through the ledger and shows the release with its budget."""

from __future__ import annotations

import hashlib

import pytest

from taskerlog.pool import contribution as C
from taskerlog.pool import pool as P
from taskerlog.pool.campaign import Campaign

from .conftest import goto, settle, shot

pytestmark = pytest.mark.browser


def test_publish_tab_spends_epsilon_and_shows_the_release(server, page, tmp_path):
    cam = Campaign(campaign_id="browser-dp", name="What the platforms pay", months="2026-01", platforms="Outlier",
                   categories="writing")
    pool = tmp_path / "pool"
    P.init_pool(pool, cam)
    files = []
    for i in range(40):
        row = C.Row(month="2026-01", platform="Outlier", category="writing", hours_worked=20, hours_paid=18,
                    earned=150 + 5 * i)
        c = C.Contribution(campaign_id=cam.campaign_id, pseudonym=hashlib.sha256(bytes([i])).hexdigest(),
                           currency="USD", months=cam.months, rows=(row,))
        files.append(tmp_path / f"m{i}.json")
        files[-1].write_text(c.to_json())
    assert P.add_contributions(pool, files).added == 40
    goto(page, server.url + "/organize")
    page.get_by_role("tab", name="Pool (organizers)").click()
    page.get_by_role("textbox", name="Pool folder on this computer").fill(str(pool))
    page.get_by_role("textbox", name="Pool folder on this computer").press("Enter")
    settle(page)
    page.get_by_text("For the organizer — not for publication").first.wait_for()
    shot(page, "pool-working-view-desktop")
    page.get_by_role("tab", name="Publish").click()
    settle(page)
    page.get_by_role("button", name="Publish (spends ε, cannot be undone)").click()
    settle(page)
    page.get_by_text("Published release 1.").wait_for()
    page.get_by_text("ε = 0.25 spent so far").first.wait_for()
    shot(page, "pool-publish-desktop")
    assert (pool / "releases" / "release-001.json").exists()
