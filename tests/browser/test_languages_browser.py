"""The Dashboard and the Log page in each language (issue 25), in a real browser at 1366 px,
and the Log page at 390 px in Swahili (its words are the longest): no English interface
word left (compared with the English rendering of the same page, tests/_english.py), and
money written the language's way. One server for the module, on the hourly-usd sample;
each page is read once per language, its language set in the logbook before the load."""

from __future__ import annotations

import re

import pytest

from taskerlog import i18n
from taskerlog.store import Store

from _english import english_left
from .conftest import DESKTOP, PHONE, Server, open_page, settle, shot

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "es", "pt_BR", "fr", "sw"]
# the sample's all-time figures reach thousands of dollars: grouped and with decimals the local way
THOUSANDS = {"en": r"USD \d{1,3}(,\d{3})+\.\d{2}\b", "sw": r"USD \d{1,3}(,\d{3})+\.\d{2}\b",
             "es": r"USD \d{1,3}(\.\d{3})+,\d{2}\b", "pt_BR": r"USD \d{1,3}(\.\d{3})+,\d{2}\b",
             "fr": "USD \\d{1,3}(\u202f\\d{3})+,\\d{2}\\b"}
# the Log page's today and this week (nothing logged in them): zero, with the language's decimal sign
ZERO = {"en": "USD 0.00", "sw": "USD 0.00", "es": "USD 0,00", "pt_BR": "USD 0,00", "fr": "USD 0,00"}


def _set_language(db, language: str) -> None:
    with Store(db) as s:
        s.set_settings(s.settings().model_copy(update={"language": language}))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A server on the hourly-usd sample logbook, and what the worker's own data says (names,
    the time zone, the reference's label, the file's name): not interface text."""
    from taskerlog import bundle
    from taskerlog.appsupport import sample_bundles

    folder = tmp_path_factory.mktemp("languages")
    db = folder / "logbook.sqlite"
    tables, problems = bundle.read_bundle(sample_bundles()["hourly-usd"])
    assert not problems
    with Store(db) as s:
        bundle.import_tables(s, tables, source="import:hourly-usd")
        f = s.frames()
        data = [*f.projects["platform"], *f.projects["project"], *f.work["note"].dropna(),
                f.settings.timezone, f.settings.reference_label or "", db.name]
    srv = Server(db, folder / "streamlit.log")
    yield srv, data
    srv.stop()


# Streamlit's own: icons drawn from a font's ligatures ("timer", "edit_note": no one reads them as
# words) and the link for screen readers to skip the navigation
NOT_READ = '[data-testid="stIconMaterial"], [data-testid="stSkipToContent"] { display: none !important; }'
# render.weekly_verdict's words: the command line's, translated with render.py (tests/test_cli_*)
OTHER_AREAS = "below in of weeks, short by"


def _read(page, url: str, all_time: bool = False) -> str:
    page.goto(url)
    settle(page)
    if all_time:  # the period chooser's "All time" (its label is the language's)
        page.locator(".st-key-dash_period button").nth(4).click()
        settle(page)
    page.add_style_tag(content=NOT_READ)
    return page.locator('[data-testid="stApp"]').inner_text()


def _names(language: str) -> list[str]:
    """The language's own names of months and days (the charts' axes write them): ``mar`` is
    Spanish for March and Tuesday as well as English for March."""
    from babel import Locale

    loc = Locale.parse(language)
    return [name for table in (loc.months, loc.days) for ctx in table.values() for width in ctx.values()
            for name in width.values()]


@pytest.fixture(scope="module")
def pages(sample, browser):
    """The Dashboard (all time) and the Log page as the worker reads them, in each language."""
    srv, _data = sample
    out: dict[str, dict[str, str]] = {}
    with open_page(browser, viewport=DESKTOP) as page:
        for language in LANGUAGES:
            _set_language(srv.db, language)
            out[language] = {"dashboard": _read(page, f"{srv.url}/dashboard", all_time=True)}
            if language in ("es", "sw"):
                shot(page, f"language-dashboard-{language}-1366")
            out[language]["log"] = _read(page, f"{srv.url}/log")
            if language in ("es", "sw"):
                shot(page, f"language-log-{language}-1366")
    return out


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != i18n.DEFAULT])
@pytest.mark.parametrize("which", ["dashboard", "log"])
def test_the_page_has_no_english_interface_word_left(pages, sample, language, which):
    _srv, data = sample
    left = english_left(pages["en"][which], pages[language][which], language,
                        allow=[*data, *_names(language), OTHER_AREAS])
    assert left == []
    assert pages[language][which] != pages["en"][which]


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_is_written_the_languages_way(pages, language):
    assert re.search(THOUSANDS[language], pages[language]["dashboard"]), pages[language]["dashboard"]
    assert ZERO[language] in pages[language]["log"], pages[language]["log"]


def test_the_log_page_fits_a_phone_in_swahili(sample, browser):
    """Swahili's long words (``Kiwango kinacholipwa kwa saa``) wrap: nothing runs off a 390-pixel screen."""
    srv, _data = sample
    _set_language(srv.db, "sw")
    with open_page(browser, viewport=PHONE) as page:
        text = _read(page, f"{srv.url}/log")
        assert "Leo na wiki hii" in text  # "Today and this week"
        wide = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] *')]
            .filter(e => e.offsetParent && e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => (e.innerText || e.tagName).slice(0, 40))""")
        shot(page, "language-log-sw-390")
        assert wide == [], wide
