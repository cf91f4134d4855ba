"""Layout the acceptance sweep of issue 25 found broken by longer words: the Dashboard's headline
figures at 1366 px in Spanish ended a label in "…" ("Faltante semanal frente a la re…")."""

from __future__ import annotations

import pytest

from taskerlog.store import Store

from .conftest import DESKTOP, Server, open_page, settle, shot

pytestmark = pytest.mark.browser


def test_no_headline_label_is_cut_on_a_wide_screen(tmp_path, browser):
    from taskerlog import bundle
    from taskerlog.appsupport import sample_bundles

    db = tmp_path / "logbook.sqlite"
    tables, problems = bundle.read_bundle(sample_bundles()["kenya-kes"])
    assert not problems
    with Store(db) as s:
        bundle.import_tables(s, tables, source="import:kenya-kes")
        s.set_settings(s.settings().model_copy(update={"language": "es"}))
    srv = Server(db, tmp_path / "streamlit.log")
    try:
        with open_page(browser, viewport=DESKTOP) as page:
            page.goto(f"{srv.url}/dashboard")
            settle(page)
            page.locator(".st-key-dash_period button").nth(4).click()  # "Todo el tiempo"
            settle(page)
            # a label is cut when it, or a box inside it, holds more than it shows
            labels = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetricLabel"]')]
                .map(l => [l.innerText, [l, ...l.querySelectorAll('*')].some(
                    e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)])""")
            shot(page, "sweep-dashboard-es-1366-labels")
        assert any(text.startswith("Faltante semanal") for text, _cut in labels), labels
        assert [text for text, cut in labels if cut] == []
    finally:
        srv.stop()
