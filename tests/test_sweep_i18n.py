"""What issue 25's acceptance sweep found (a sample logbook in each language, its pages and
everyday commands read as a worker reads them), pinned: sentences glued from translated pieces,
counts without plural forms, English words left inside translated messages, numbers written the
English way, typed amounts refused in the logbook's own notation, and kinds and statuses shown
with other words than the glossary's (docs/languages.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from taskerlog import i18n, problems, render
from taskerlog.commands.reports import summary

from conftest import fixed_cli_clock, invoke

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["es", "pt_BR", "fr", "sw"]


@pytest.fixture
def kenya(tmp_path, _sample_logbooks):
    db = tmp_path / "logbook.sqlite"
    shutil.copyfile(_sample_logbooks("kenya-kes"), db)
    return db


def _speak(db, language: str) -> None:
    with fixed_cli_clock():
        invoke(db, "settings", "--language", language)


def _app(db, language: str, page: str):
    """The app on ``db`` speaking ``language`` (AppTest words widgets' options in the test's thread
    too), on ``page`` (``app_pages/NAME.py``)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    _speak(db, language)
    st.cache_data.clear()
    st.cache_resource.clear()
    i18n.set_language(language)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# -- metrics: the period, the rate changes --------------------------------------------------
@pytest.mark.parametrize("first, last, english, french", [
    (None, None, "Period: the beginning to now (all platforms)", "Période : du début à maintenant (toutes"),
    ("2026-02-01", None, "Period: 2026-02-01 to now (all platforms)", "Période : du 2026-02-01 à maintenant (toutes"),
    (None, "2026-04-30", "Period: the beginning to 2026-04-30 (all", "Période : du début au 2026-04-30 (toutes"),
    ("2026-02-01", "2026-04-30", "Period: 2026-02-01 to 2026-04-30 (all", "Période : du 2026-02-01 au 2026-04-30"),
])
def test_the_period_is_one_sentence_for_each_open_end(first, last, english, french):
    """"du le début au maintenant" was "the beginning" and "now" put into "du {first} au {last}"."""
    m = {"period_from": first, "period_to": last, "home_currency": "KES"}
    with i18n.using("en"):
        assert summary(m).startswith(english)
    with i18n.using("fr"):
        text = summary(m)
    assert text.startswith(french) and "du le" not in text and "au maintenant" not in text


@pytest.mark.parametrize("language, cuts, raises, words", [
    ("en", 1, 0, "1 (1 cut, 0 raises)"), ("en", 3, 2, "5 (3 cuts, 2 raises)"),
    ("es", 1, 0, "1 (1 recorte, 0 aumentos)"), ("pt_BR", 1, 1, "2 (1 corte, 1 aumento)"),
    ("fr", 1, 0, "1 (1 baisse, 0 hausse)"), ("sw", 2, 1, "3 (upunguzaji 2, ongezeko 1)"),
])
def test_rate_cuts_and_raises_are_counted_in_the_languages_plural(language, cuts, raises, words):
    m = {"home_currency": "KES", "rate_changes": cuts + raises, "rate_cuts": cuts, "rate_raises": raises,
         "largest_cut_pct": -16.7}
    with i18n.using(language):
        assert words in summary(m)


# -- a kind of work inside a problem ---------------------------------------------------------
def test_a_kind_inside_a_problem_is_shown_in_the_language_and_stays_english_in_json():
    import datetime as dt

    u = {"kind": "tasking", "reason": "no_units", "platform": "Remotasks", "project": "Acacia Boxes", "id": 7,
         "day": dt.date(2026, 4, 12), "first_rate_day": None}
    said = render.unpriced_note(u)
    with i18n.using("es"):
        assert problems.Said(said.problem).startswith("este registro de tareas no gana nada")
    with i18n.using("sw"):
        assert "rekodi hii ya kazi za malipo" in problems.Said(said.problem)
    assert problems.in_english(said).startswith("this tasking entry earns nothing")
    no_rate = render.unpriced_note({**u, "reason": "no_rate", "kind": "review"})
    with i18n.using("fr"):
        assert "révision" in problems.Said(no_rate.problem) and "review" not in problems.Said(no_rate.problem)


# -- verify's limits: no English clause inside the sentence ----------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("after", [0, 3])
def test_verify_limits_say_no_english_words(language, after):
    from taskerlog.evidence.anchors import limits

    with i18n.using(language):
        none = limits(None, 10, 1_767_100_000, "UTC")
        kept = limits({"seq": 1234, "recorded_at": 1_767_000_000}, 1234 + after, 1_767_100_000 + 3 * 86400, "UTC")
    for text in (none, kept):
        assert not re.search(r"\b(anyone|rebuild|could not tell|covers|days? ago|nothing was recorded)\b", text), text
    with i18n.using(language):
        assert i18n.number(1234) in kept  # the journal's length written the language's way


# -- typed amounts in the logbook's notation; exchange rates written its way -----------------
def test_amounts_are_typed_in_the_logbooks_notation_on_the_command_line(kenya):
    _speak(kenya, "es")
    with fixed_cli_clock():
        out = invoke(kenya, "payout", "Remotasks", "1234,56", "--currency", "USD", "--fee", "3,5", "--on", "2026-05-02")
        assert "1.234,56 USD" in out and "3,50" in out
        assert "12,50 USD" in invoke(kenya, "payout", "Remotasks", "12.50", "--currency", "USD")  # a plain number too
        assert "15,50 KES" in invoke(kenya, "expense", "15,5", "--category", "internet")
        assert invoke(kenya, "fx", "USD", "129,5", "--on", "2026-05-02").strip() == "2026-05-02: 1 USD = 129,5 KES"
        assert re.search(r"2026-05-02\s+USD\s+129,5\b", invoke(kenya, "fx"))


# -- project list when every project has ended ----------------------------------------------
@pytest.mark.parametrize("language, words", [
    ("en", "No current project; 4 have ended: taskerlog project list --all"),
    ("es", "Ningún proyecto en curso; 4 terminaron: taskerlog project list --all"),
])
def test_project_list_says_the_projects_have_ended_not_that_there_are_none(kenya, language, words):
    _speak(kenya, language)
    with fixed_cli_clock():
        assert invoke(kenya, "project", "list").strip().lower() == words.lower()
        assert "Acacia Boxes" in invoke(kenya, "project", "list", "--all")


# -- the glossary's words for kinds of work and pay statuses ---------------------------------
def _glossary() -> dict[str, list[str]]:
    rows = {}
    for line in (ROOT / "docs" / "languages.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 5 and cells[0] != "English" and not cells[0].startswith("---"):
            rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize("language", LANGUAGES)
def test_kinds_and_statuses_are_shown_in_the_glossarys_words(language):
    from taskerlog import vocab

    glossary, column = _glossary(), LANGUAGES.index(language)
    pairs = {f"{k} (kind)": k for k in ("tasking", "review", "training", "assessment", "instructions", "meeting",
                                        "admin", "waiting")}
    pairs |= {"capped (status)": "capped", "rejected (pay status)": "rejected", "pending (pay status)": "pending"}
    with i18n.using(language):
        shown = {term: vocab.shown(value) for term, value in pairs.items()}
        # the evidence report's table of kinds and statuses says the same
        report = {term: i18n._(value) for term, value in pairs.items()}
    want = {term: glossary[term][column] for term in pairs}
    assert shown == want
    assert report == want


# -- the app: amounts put back in a form are written the way the form reads them -----------
def test_forms_fill_in_amounts_in_the_languages_notation_and_read_them_back(tmp_path, monkeypatch):
    """Settings' reference wage and an entry's pay, shown for editing: "1.234,5" in Spanish (it was
    "1234.5", English notation in a Spanish form), and saved unchanged when nothing is typed."""
    import datetime as dt

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from taskerlog.model import Logbook, WorkEntry
    from taskerlog.store import Store

    path = tmp_path / "logbook.sqlite"
    t0 = int(dt.datetime(2026, 3, 3, 6, tzinfo=dt.timezone.utc).timestamp())
    with Store(path) as s:
        s.set_settings(Logbook(home_currency="USD", timezone="Africa/Nairobi", language="es",
                               reference_wage="1234.5", reference_currency="USD"))
        wid = s.add_work(WorkEntry(platform="Outlier", start=t0, end=t0 + 3600, kind="tasking", pay="12.5",
                                   currency="USD"))
    monkeypatch.setenv("TASKERLOG_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    i18n.set_language("es")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/settings.py")
    at.run()
    assert at.text_input(key="set_ref").value == "1.234,5"
    at.button(key="set_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("app_pages/entries.py")
    at.run()
    at.number_input(key="ent_id").set_value(wid).run()
    assert at.text_input(key=f"ed_pay_{wid}").value == "12,50"
    with Store(path) as s:
        assert str(s.settings().reference_wage) == "1234.5"


# -- the Dashboard's charts on a phone, in the language with the longest words ---------------
def test_the_phone_charts_fit_swahilis_long_words(kenya, monkeypatch):
    """Swahili's day names have no short form (Jumatatu … Jumapili): across the top of the phone's
    calendar they overlapped and Vega dropped every other one, so they stand on end, all shown; the
    calendar's legend ("hakuna kilichorekodiwa") and the rate chart's ("kupunguzwa") ran off a
    390-pixel screen: one and two a line. Spanish's short names stay across."""
    import json

    monkeypatch.setenv("TASKERLOG_DB", str(kenya))
    specs = {}
    for language in ("sw", "es"):
        at = _app(kenya, language, "dashboard")
        at.segmented_control(key="dash_period").set_value("All time").run()
        assert not at.exception, [e.value for e in at.exception]
        specs[language] = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    for language, angle in (("sw", -90), ("es", 0)):
        _wage, _unpaid, _cal, cal_phone, rates = specs[language]
        axis = cal_phone["encoding"]["x"]["axis"]
        assert (axis["labelAngle"], axis["labelOverlap"]) == (angle, False)
        assert cal_phone["encoding"]["color"]["legend"]["columns"] == 1
        shapes = [layer["encoding"]["shape"] for layer in rates["layer"] if "shape" in layer["encoding"]]
        assert [s["legend"]["columns"] for s in shapes] == [2]


def test_the_rate_forms_kinds_say_all_in_the_language_not_streamlits_english(kenya, monkeypatch):
    """The rate form's "Applies to" chooser, left blank (all paid kinds), showed Streamlit's "Choose
    options", and its list began with Streamlit's "Select all"."""

    monkeypatch.setenv("TASKERLOG_DB", str(kenya))
    for page in ("log", "projects"):
        at = _app(kenya, "es", page)
        chooser = [m for m in at.main.multiselect if (m.key or "").endswith("_applies")]
        assert [(m.placeholder, m.proto.select_all) for m in chooser] == [("todos los tipos pagados", 0)], page


def test_minimums_speak_the_logbooks_language_and_write_its_numbers(kenya, tmp_path):
    """``taskerlog minimums`` never opened the logbook, so it spoke the computer's language and
    wrote 7.25 and 16113.75 in a French logbook."""
    _speak(kenya, "fr")
    with fixed_cli_clock():
        out = invoke(kenya, "minimums")
        assert "7,25 USD/h  United States (federal) ; depuis le 2009-07-24" in out  # the place stays as issued
        assert re.search(r"16\D113,75 KES par mois ÷ 225,33 heures \(52-hour week × 52 ÷ 12\) = 71,51 KES par heure", out)
        new = tmp_path / "none" / "logbook.sqlite"
        new.parent.mkdir()
        assert "7.25 USD/h" in invoke(new, "minimums") and not new.exists()  # a listing makes no logbook


def test_a_new_rate_for_a_project_paid_per_task_is_per_task(kenya, monkeypatch):
    """The rate form said "per hour" for a project paid per task, and that it had no rate per hour yet
    ("Pas encore de tarif à l'heure pour ce projet"): a rate saved so would price none of its work."""

    monkeypatch.setenv("TASKERLOG_DB", str(kenya))
    at = _app(kenya, "fr", "projects")
    units = [s for s in at.main.selectbox if "_unit_" in (s.key or "")]
    assert [s.value for s in units] == ["task"]
    assert "Pas encore de tarif à l'heure" not in " ".join(str(m.value) for m in at.main.markdown)


def test_a_sample_opened_from_the_app_speaks_the_workers_language(kenya, monkeypatch):
    """The sample logbook is a file of its own with no language: opened from a Spanish logbook on a
    computer set to English, its pages were English."""
    from taskerlog import appsupport
    from taskerlog.store import Store

    monkeypatch.setenv("TASKERLOG_DB", str(kenya))
    monkeypatch.setenv("LANGUAGE", "en_US")
    at = _app(kenya, "es", "settings")
    at.selectbox(key="settings_sample").set_value("hourly-usd")
    at.button(key="settings_open_sample").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with Store(appsupport.sample_db_path(kenya, "hourly-usd")) as s:
        assert s.language() == "es"
    assert at.title[0].value == "Panel"  # the Dashboard, in Spanish


@pytest.mark.parametrize("language, share, change", [
    ("en", "8.8%", "−42.9%"), ("sw", "8.8%", "−42.9%"), ("pt_BR", "8,8%", "−42,9%"),
    ("es", "8,8\u00a0%", "−42,9\u00a0%"), ("fr", "8,8\u00a0%", "−42,9\u00a0%"),
])
def test_a_percentage_is_written_with_the_languages_percent_sign(language, share, change):
    """French and Spanish put a no-break space before % (Babel's percent pattern): "8,8 % du temps"."""
    with i18n.using(language):
        assert (render.percent(8.8), render.signed_percent(-42.857)) == (share, change)
