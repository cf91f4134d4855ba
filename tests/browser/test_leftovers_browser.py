"""The Pool page in Spanish (issue 25): what is wrong with a member's contribution file is
said in the logbook's language, each problem in front of its place (file: rows[n]: field:)."""

from __future__ import annotations

import json

import pytest

from taskerlog.pool import contribution as C
from taskerlog.pool import pool as P
from taskerlog.pool.campaign import Campaign
from taskerlog.store import Store

from .conftest import goto, settle, shot

pytestmark = pytest.mark.browser


def test_pool_add_says_what_is_wrong_with_a_file_in_spanish(server, page, tmp_path):
    with Store(server.db) as s:
        s.set_settings(s.settings().model_copy(update={"language": "es"}))
    cam = Campaign(campaign_id="browser-es", name="Lo que pagan", months="2026-01", platforms="Outlier",
                   categories="writing")
    pool = tmp_path / "pool"
    P.init_pool(pool, cam)
    bad = tmp_path / "miembro.json"
    bad.write_text(json.dumps({
        "format": C.CONTRIBUTION_FORMAT, "campaign_id": "browser-es", "pseudonym": "ab" * 32, "currency": "USD",
        "months": ["2026-01"], "rows": [{"month": "2026-01", "platform": "Outlier", "category": "writing",
                                          "hours_worked": 10, "hours_paid": 10, "earned": 10**30, "units": 5}]}))
    goto(page, server.url + "/organize")
    page.get_by_role("tab").nth(1).click()  # the organizers' tab, whatever its words
    box = page.locator(".st-key-pool_dir input")
    box.fill(str(pool))
    box.press("Enter")
    settle(page)
    page.locator(".st-key-pool_files input[type=file]").set_input_files(str(bad))
    settle(page)
    page.locator(".st-key-pool_add button").click()
    settle(page)
    said = page.locator('[data-testid="stCode"]').last.inner_text()
    assert "miembro.json: rows[1]: units: debe estar redondeado a decenas" in said, said
    assert "miembro.json: rows[1]: earned: debe estar entre 0 y 100.000.000.000" in said, said
    assert "must be" not in said and "rounded" not in said
    page.get_by_text("Para la organización — no para publicar").first.wait_for()  # the working view's warning, in the language
    assert page.locator('[data-testid="stException"]').count() == 0  # an empty pool shows nothing, not an error
    shot(page, "leftovers-pool-add-problems-es")
