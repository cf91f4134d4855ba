"""The logbook's language (issue 25.1): chosen with `settings --language` or on the Settings
page, the system's by default; commands and the app speak it, numbers follow it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from taskerlog import i18n, render
from taskerlog.cli import cli
from taskerlog.store import Store

from _english import english_left
from conftest import invoke


def test_the_language_is_saved_shown_and_cleared(tmp_path):
    db = tmp_path / "l.sqlite"
    out = invoke(db, "settings", "--language", "pt-br")
    assert "Português (Brasil) (pt_BR)" in out
    assert json.loads(invoke(db, "settings", "--json"))["language"] == "pt_BR"
    assert Store(db).language() == "pt_BR"
    invoke(db, "settings", "--language", "es_VE")
    assert Store(db).settings().language == "es_VE"
    invoke(db, "settings", "--language", "system")
    assert Store(db).settings().language is None
    assert json.loads(invoke(db, "settings", "--json"))["language"] is None


@pytest.mark.parametrize("code, said", [
    ("en", "--language: 'de' is not a language taskerlog speaks; choose one of en (English), es (Español)"),
    ("es", "--language: 'de' no es un idioma que taskerlog hable; elige uno de en (English), es (Español)"),
    ("pt_BR", "--language: 'de' não é um idioma que o taskerlog fala; escolha um destes: en (English), es (Español)"),
    ("fr", "--language: 'de' n'est pas une langue que taskerlog parle ; choisissez parmi en (English), es (Español)"),
    ("sw", "--language: 'de' si lugha ambayo taskerlog inazungumza; chagua mojawapo ya en (English), es (Español)"),
])
def test_a_language_taskerlog_does_not_speak_is_refused_and_nothing_changes(tmp_path, code, said):
    db = tmp_path / "l.sqlite"
    invoke(db, "settings", "--language", code)
    result = CliRunner().invoke(cli, ["--db", str(db), "settings", "--language", "de"])
    assert result.exit_code == 1
    assert said in result.output  # in the logbook's language, the codes and names of the languages as they are
    assert "Traceback" not in result.output
    assert Store(db).settings().language == code


def test_a_command_speaks_the_logbooks_language_and_writes_its_numbers(tmp_path):
    db = tmp_path / "l.sqlite"
    invoke(db, "settings", "--reference-wage", "1234.5")
    assert "1234.50 USD/hour" in invoke(db, "settings")
    invoke(db, "settings", "--language", "pt_BR")
    assert "1.234,50 USD/hora" in invoke(db, "settings")
    invoke(db, "settings", "--language", "fr")
    assert "1\u202f234,50 USD/heure" in invoke(db, "settings")


def test_without_a_choice_the_computers_language_is_spoken(tmp_path, monkeypatch):
    db = tmp_path / "l.sqlite"
    monkeypatch.setenv("LANGUAGE", "fr_FR")
    out = invoke(db, "settings")
    assert "celle de l'ordinateur : Français (fr_FR)" in out
    monkeypatch.setenv("LANGUAGE", "de_DE")  # not one taskerlog speaks: English
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert "the computer's: English (en)" in invoke(db, "settings")


def test_json_is_the_same_in_every_language(tmp_path):
    db = tmp_path / "l.sqlite"
    invoke(db, "settings", "--reference-wage", "1234.5")
    english = json.loads(invoke(db, "settings", "--json"))
    invoke(db, "settings", "--language", "es")
    spanish = json.loads(invoke(db, "settings", "--json"))
    assert {**spanish, "language": None} == {**english, "language": None}
    assert spanish["reference_wage"] == "1234.5"


@pytest.mark.parametrize("tag, figures", [
    ("en", ["1,000,054.50", "0.005", "1,234.50 h", "−42.9%", "KES 105,216.50"]),
    ("sw_KE", ["1,000,054.50", "0.005", "1,234.50 h", "−42.9%", "KES 105,216.50"]),
    ("es", ["1.000.054,50", "0,005", "1.234,50 h", "−42,9\u00a0%", "KES 105.216,50"]),
    ("pt_BR", ["1.000.054,50", "0,005", "1.234,50 h", "−42,9%", "KES 105.216,50"]),
    ("fr", ["1\u202f000\u202f054,50", "0,005", "1\u202f234,50 h", "−42,9\u00a0%", "KES 105\u202f216,50"]),
])
def test_every_figure_for_people_is_written_the_languages_way(tag, figures):
    with i18n.using(tag):
        got = [render.grouped(Decimal("1000054.505")), render.amount(Decimal("0.005")),
               render.hours(Decimal("1234.5")), render.signed_percent(Decimal("-42.857")),
               render.money_text("105216.5", "KES")]
    assert got == figures


def test_a_table_right_aligns_numbers_written_the_local_way():
    with i18n.using("pt_BR"):
        text = render.table(["projeto", "valor"], [["a", render.grouped(5)], ["b", render.grouped(1234.5)]])
    assert text.splitlines()[2:] == ["a            5,00", "b        1.234,50"]


def test_english_left_behind_is_found_and_data_codes_and_numbers_are_not():
    english = "Earned this week\nUSD 1,234.50\nGenesis Dolphin"
    spanish = "Ganado esta semana\nUSD 1.234,50\nGenesis Dolphin\nthis week"
    assert english_left(english, spanish, "es", allow=["Genesis Dolphin"]) == ["this: this week", "week: this week"]
    assert english_left(english, spanish.replace("\nthis week", ""), "es", allow=["Genesis Dolphin"]) == []
