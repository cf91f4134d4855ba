"""AppTest: the app's other pages (Welcome, Settings, Entries, Projects & rates, Bring in your
history, Money, Import / export, Fix records, Evidence, Pool) in the logbook's language (issue
25): no English interface words left, and figures and dates written the language's way.

Each page is rendered in English and in the other language on the same logbook; a word of the
English page that comes back in the other one is English left behind (tests/_english.py),
unless it is the worker's data or a contract (the bundle's field names, which stay English)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from taskerlog import i18n
from taskerlog.model import EQPeriod, Expense, FxRate, Logbook, Payout, Project, Rate, WorkEntry
from taskerlog.store import Store

from _english import english_left

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
LANGUAGES = ["es", "pt_BR", "fr", "sw"]
PAGES = ["settings", "entries", "projects", "history", "money_page", "import_export", "fix_records", "evidence",
         "organize"]

# Put on these pages by other parts of the app, translated and checked with those parts: the
# shared rate and payout forms, the sample picker, the phone section, the minimum-wage table.
OTHER_KEYS = ("proj_rate", "money_payout", "settings_sample", "settings_open_sample", "welcome_sample",
              "welcome_open_sample", "ev_minimum", "phone_")
OTHER_TEXTS = ("Your phone", "Reach this app", "This app is open to your phone", "Open this app to my phone",
               "Encrypt the traffic", "Apply (restarts", "Save payout", "Sample")
DATA = ["Outlier", "Genesis Dolphin", "PayPal", "manual", "tasks and review"]
# the bundle's field names (a contract: docs/bundle.md) and the words a file holds for kinds and statuses
CONTRACT = ["platform paid_at amount currency fee method received_amount received_currency reference note "
            "for_earlier_work date start end end_date duration project kind tags pay units status external_id",
            "tasking review training onboarding assessment instructions meeting admin waiting",
            "paid pending rejected returned lost capped unpaid approved submitted"]
T0 = int(dt.datetime(2026, 3, 3, 6, tzinfo=dt.timezone.utc).timestamp())


@pytest.fixture(scope="module")
def logbook(tmp_path_factory):
    """A logbook with a bit of everything each page lists: a project and its rate cut, 40 hours
    of work (1,400.00 at 35.00), a payout of 1,234.50, an expense, an exchange rate, an EQ day."""
    path = tmp_path_factory.mktemp("i18n") / "logbook.sqlite"
    with Store(path) as s:
        s.set_settings(Logbook(home_currency="USD", timezone="Africa/Nairobi"))
        s.add_project(Project(platform="Outlier", project="Genesis Dolphin", currency="USD", advertised_rate="40",
                              notes="tasks and review"))
        for day, rate in ((2, "35"), (20, "20")):
            s.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", rate=rate, currency="USD",
                            effective_at=int(dt.datetime(2026, 3, day, 6, tzinfo=dt.timezone.utc).timestamp())))
        s.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", start=T0, end=T0 + 40 * 3600,
                             kind="tasking"))
        s.add_payout(Payout(platform="Outlier", paid_at=T0 + 9 * 86400, amount="1234.5", currency="USD", fee="2",
                            method="PayPal"))
        s.add_expense(Expense(date=dt.date(2026, 3, 4), category="internet", amount="15", currency="USD"))
        s.add_fx(FxRate(date=dt.date(2026, 3, 1), currency="KES", rate="0.0077"))
        s.add_eq(EQPeriod(platform="Outlier", start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 10)))
    return path


def _given() -> list[str]:
    """Words shown as they are given: each language's own name in the chooser, and the minimum wage
    offered on Evidence (Kenya's, for Nairobi) as the shipped table words it (the evidence report's part)."""
    from taskerlog.evidence import wages

    table = wages.load_table()
    w = wages.minimum_wage(wages.key_for_zone("Africa/Nairobi", wages.keys(table)), dt.date.today(), table)
    return [*i18n.LANGUAGES.values(), w.explain(), w.source, w.notes or ""]


def _speak(path: Path, language: str) -> None:
    with Store(path) as s:
        s.set_settings(s.settings().model_copy(update={"language": language}))
    st.cache_data.clear()
    st.cache_resource.clear()


def _page_text(at: AppTest) -> str:
    """Everything the page's main area says (texts, labels, help, placeholders, options, tab and
    expander labels, table headers and cells), one line each, without what other parts put there."""
    main, out = at.main, []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "subheader", "header"):
        out += [str(e.value) for e in getattr(main, kind)]
    for kind in ("text_input", "text_area", "selectbox", "multiselect", "radio", "checkbox", "date_input",
                 "number_input", "time_input", "button", "toggle"):
        for w in getattr(main, kind):
            if (w.key or "").startswith(OTHER_KEYS):
                continue
            out += [str(w.label), str(getattr(w, "help", None) or ""), str(getattr(w, "placeholder", None) or "")]
            if kind != "selectbox" or w.key not in ("set_tz", "welcome_tz"):  # the zones' IANA names
                out += [str(o) for o in getattr(w, "options", [])]
    out += [str(e.label) for e in main.tabs] + [str(e.label) for e in main.expander]
    for table in main.dataframe:
        out += [str(c) for c in table.value.columns]
        out += [" ".join(str(v) for v in row) for row in table.value.fillna("").astype(str).itertuples(index=False)]
    plain = [re.sub(r"\\(.)", r"\1", line) for line in out if line]  # appsupport.literal's escapes
    return "\n".join(line for line in plain if not line.startswith(OTHER_TEXTS))


def _render(path: Path, monkeypatch, language: str) -> dict[str, str]:
    monkeypatch.setenv("TASKERLOG_DB", str(path))
    _speak(path, language)
    # AppTest words a widget's options in the test's thread too: it must speak as the page does
    i18n.set_language(language)
    shown = {}
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        if page == "entries":  # the entry's form too
            at.number_input(key="ent_id").set_value(1).run()
        if page == "fix_records":
            at.number_input(key="rec_id_payouts").set_value(1).run()
        assert not at.exception, [e.value for e in at.exception]
        shown[page] = _page_text(at)
    return shown


_english: dict[str, dict[str, str]] = {}


@pytest.fixture
def english_pages(logbook, monkeypatch):
    if "pages" not in _english:
        _english["pages"] = _render(logbook, monkeypatch, "en")
    return _english["pages"]


@pytest.mark.parametrize("language, payout, earned, rate", [
    ("es", "1.234,50", "1.400,00", "35,00"),
    ("pt_BR", "1.234,50", "1.400,00", "35,00"),
    ("fr", "1\u202f234,50", "1\u202f400,00", "35,00"),
    ("sw", "1,234.50", "1,400.00", "35.00"),  # Swahili writes numbers as English does
])
def test_the_other_pages_speak_the_logbooks_language(logbook, english_pages, monkeypatch, language, payout, earned,
                                                     rate):
    from babel.dates import format_date

    try:
        shown = _render(logbook, monkeypatch, language)
    finally:
        _speak(logbook, "en")
    left = {page: english_left(english_pages[page], shown[page], language, allow=DATA + CONTRACT + _given()) for page in PAGES}
    assert {page: found for page, found in left.items() if found} == {}
    # figures and days the language's way: the payout, what the 40 hours at 35.00 earned, the rate,
    # the day the entry was recorded (today)
    assert payout in shown["money_page"] and earned in shown["money_page"]
    assert earned in shown["entries"] and rate in shown["projects"]
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=3))).date()  # Nairobi
    assert format_date(today, "medium", locale=language) in shown["entries"]


def test_the_welcome_page_speaks_the_computers_language_on_a_first_run(tmp_path, monkeypatch):
    """A first run has no logbook language yet: the computer's is spoken, placeholders included."""
    monkeypatch.setenv("TASKERLOG_DB", str(tmp_path / "new.sqlite"))
    texts = {}
    for env in ("en_US.UTF-8", "fr_FR.UTF-8"):
        monkeypatch.setenv("LANGUAGE", env.split(".")[0])
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        texts[env] = _page_text(at)
        if env.startswith("fr"):
            assert at.text_input(key="welcome_rate").placeholder == "20,00"
    assert english_left(texts["en_US.UTF-8"], texts["fr_FR.UTF-8"], "fr", allow=DATA) == []
    assert "Commencer à noter" in texts["fr_FR.UTF-8"]
    assert not Path(tmp_path / "new.sqlite").exists() or Store(tmp_path / "new.sqlite").is_empty()


def test_a_fix_saved_is_said_in_the_logbooks_language(tmp_path, monkeypatch):
    """The message after a save is a whole sentence of the language, naming the record its way."""
    path = tmp_path / "logbook.sqlite"
    with Store(path) as s:
        s.set_settings(Logbook(home_currency="USD", timezone="Africa/Nairobi", language="es"))
        pid = s.add_payout(Payout(platform="Outlier", paid_at=T0, amount="1850", currency="USD"))
    monkeypatch.setenv("TASKERLOG_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    i18n.set_language("es")  # as the page speaks (AppTest words widgets' options in this thread too)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/fix_records.py")
    at.run()
    at.number_input(key="rec_id_payouts").set_value(pid).run()
    at.text_input(key=f"rec_payouts_{pid}_amount").set_value("185")
    at.button(key=f"rec_save_payouts_{pid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    said = [re.sub(r"\\(.)", r"\1", str(e.value)) for e in at.success]
    assert f"Pago recibido n.º {pid}: guardado (los valores anteriores quedan en el historial)." in said
    assert Store(path).get("payouts", pid)["amount_micros"] == 185_000_000
    assert "1 pago recibido, el más reciente primero. Marca uno para corregirlo o borrarlo." in [
        str(c.value) for c in at.caption]


def test_an_amount_typed_with_a_decimal_comma_is_read_as_meant(tmp_path, monkeypatch):
    """Spanish, French and Portuguese write 15,50: the expense and the reference wage typed so are saved as 15.50."""
    path = tmp_path / "logbook.sqlite"
    with Store(path) as s:
        s.set_settings(Logbook(home_currency="USD", timezone="Africa/Nairobi", language="fr"))
        s.add_project(Project(platform="Outlier", project="Genesis Dolphin", currency="USD"))
    monkeypatch.setenv("TASKERLOG_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    i18n.set_language("fr")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/money_page.py")
    at.run()
    at.text_input(key="me_amount").set_value("15,50")
    at.button(key="me_add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("app_pages/settings.py")
    at.run()
    at.text_input(key="set_ref").set_value("1,25")
    at.button(key="set_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with Store(path) as s:
        assert [r["amount_micros"] for r in s.rows("expenses")] == [15_500_000]
        assert str(s.settings().reference_wage) == "1.25"
