"""The Pool page in Spanish (issue 25): what is wrong with a member's contribution file is
said in the logbook's language, each problem in front of its place (file: rows[n]: field:),
and the working view's table is in the language and its notation."""

from __future__ import annotations

import json
import re

import pytest

from taskerlog.pool import contribution as C
from taskerlog.pool import pool as P
from taskerlog.pool.campaign import Campaign
from taskerlog.store import Store

from .conftest import goto, settle, shot

pytestmark = pytest.mark.browser


def _member(path, i: int, **row):
    """A member's contribution file for the campaign below (``row``: its one row's figures)."""
    path.write_text(json.dumps({
        "format": C.CONTRIBUTION_FORMAT, "campaign_id": "browser-es", "pseudonym": f"{i:064x}", "currency": "USD",
        "months": ["2026-01"], "rows": [{"month": "2026-01", "platform": "Outlier", "category": "writing", **row}]}))
    return path


def _open_spanish_pool(server, page, tmp_path, members: int = 0):
    """The organizers' tab of the Pool page, in Spanish, on a pool of ``members`` members."""
    with Store(server.db) as s:
        s.set_settings(s.settings().model_copy(update={"language": "es"}))
    pool = tmp_path / "pool"
    P.init_pool(pool, Campaign(campaign_id="browser-es", name="Lo que pagan", months="2026-01",
                               platforms="Outlier", categories="writing"))
    files = [_member(tmp_path / f"m{i}.json", i, hours_worked=10, hours_paid=8, earned=125 + 10 * i)
             for i in range(members)]
    assert P.add_contributions(pool, files).added == members
    goto(page, server.url + "/organize")
    page.get_by_role("tab").nth(1).click()  # the organizers' tab, whatever its words
    box = page.locator(".st-key-pool_dir input")
    box.fill(str(pool))
    box.press("Enter")
    settle(page)


def test_pool_add_says_what_is_wrong_with_a_file_in_spanish(server, page, tmp_path):
    _open_spanish_pool(server, page, tmp_path)
    bad = _member(tmp_path / "miembro.json", 99, hours_worked=10, hours_paid=10, earned=10**30, units=5)
    page.locator(".st-key-pool_files input[type=file]").set_input_files(str(bad))
    settle(page)
    page.locator(".st-key-pool_add button").click()
    settle(page)
    said = page.locator('[data-testid="stCode"]').last.inner_text()
    assert "miembro.json: rows[1]: units: debe estar redondeado a decenas" in said, said
    assert "miembro.json: rows[1]: earned: debe estar entre 0 y 100.000.000.000" in said, said
    assert "must be" not in said and "rounded" not in said
    page.get_by_text("Para la organización — no para publicar").first.wait_for()  # the working view's warning
    assert page.locator('[data-testid="stException"]').count() == 0  # an empty pool shows nothing, not an error
    shot(page, "leftovers-pool-add-problems-es")


def test_the_working_view_table_is_in_spanish_with_decimal_commas(server, page, tmp_path):
    _open_spanish_pool(server, page, tmp_path, members=6)
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    headers = [h.strip() for h in grid.locator('[role="columnheader"]').all_inner_texts()]
    assert headers[:3] == ["plataforma", "categoría", "mes"], headers
    assert not {"wage_median", "view", "level"} & set(headers), headers
    cells = [c.strip() for c in grid.locator('[role="gridcell"]').all_text_contents()]
    assert any(re.fullmatch(r"\d+,\d\d", c) for c in cells), cells  # wages with a decimal comma
    assert not any(re.fullmatch(r"\d+\.\d\d", c) for c in cells), cells
    shot(page, "leftovers-pool-working-view-es")
