"""taskerlog.i18n: the language chosen, catalogues complete, numbers and dates the local way."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import string
from decimal import Decimal
from pathlib import Path

import click
import pytest
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from taskerlog import i18n

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None,
            "say": (2,), "nsay": (2, 3)}  # a problem's template (taskerlog/problems.py)


def code_messages(root: Path) -> set[tuple[str | None, str]]:
    """Every (context, msgid) marked for translation in the code under ``root``, as `make messages` finds them."""
    method_map = [("taskerlog/**.py", "python"), ("app_pages/**.py", "python"), ("app.py", "python")]
    return _extracted(root, method_map)


def click_messages() -> set[tuple[str | None, str]]:
    """Click's own words (usage errors, "Options", "Show this message and exit."), from the
    installed click as `make messages` extracts them: a click that adds one fails the test
    below until every catalogue translates it."""
    return _extracted(Path(click.__file__).parent, [("*.py", "python")])


def _extracted(folder: Path, method_map) -> set[tuple[str | None, str]]:
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(folder), method_map=method_map, keywords=KEYWORDS):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def catalogue_gaps(root: Path, code: str, messages: set[tuple[str | None, str]] | None = None) -> list[str]:
    """What a language's catalogue lacks: strings in the code (or ``messages``) without a
    checked translation, translations that drop or invent a placeholder, plural forms not
    filled in. A form of a plural may leave out a placeholder that only one English form
    has (click's "Did you mean {possibility}?" / "one of: {possibilities}")."""
    path = root / "taskerlog" / "locale" / code / "LC_MESSAGES" / "taskerlog.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=code)
    gaps = []
    messages = code_messages(root) if messages is None else messages
    for context, msgid in sorted(messages, key=lambda m: (m[0] or "", m[1])):
        entry = catalog.get(msgid, context=context)
        if entry is None:
            gaps.append(f"{code}: missing: {msgid!r}")
        elif entry.fuzzy:
            gaps.append(f"{code}: fuzzy (check and remove the flag): {msgid!r}")
        elif not all(entry.string if isinstance(entry.string, tuple) else [entry.string]):
            gaps.append(f"{code}: not translated: {msgid!r}")
        else:
            english = [placeholders(text) for text in (entry.id if isinstance(entry.id, tuple) else (entry.id,))]
            wanted, needed = set.union(*english), set.intersection(*english)
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            for text in strings:
                got = placeholders(text)
                if not needed <= got <= wanted:
                    gaps.append(f"{code}: placeholders {sorted(got)} instead of {sorted(wanted)}: {msgid!r}")
                if text.count("\t") != (entry.id[0] if isinstance(entry.id, tuple) else entry.id).count("\t"):
                    gaps.append(f"{code}: tabs not kept (they align click's lists): {msgid!r}")
    return gaps


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", [c for c in i18n.LANGUAGES if c != i18n.DEFAULT])
def test_every_string_in_the_code_has_a_checked_translation(code):
    assert catalogue_gaps(ROOT, code, code_messages(ROOT) | click_messages()) == []


@pytest.mark.parametrize("code", [c for c in i18n.LANGUAGES if c != i18n.DEFAULT])
def test_the_shipped_mo_is_compiled_from_the_po(code):
    folder = ROOT / "taskerlog" / "locale" / code / "LC_MESSAGES"
    with (folder / "taskerlog.po").open("rb") as f:
        po = read_po(f, locale=code)
    with (folder / "taskerlog.mo").open("rb") as f:
        mo = read_mo(f)
    # (a plural's forms: a tuple read from the .po, a list from the .mo)
    as_pairs = lambda cat: {(m.context, m.id if isinstance(m.id, str) else m.id[0]):
                            m.string if isinstance(m.string, str) else tuple(m.string) for m in cat if m.id}
    assert as_pairs(mo) == {k: v for k, v in as_pairs(po).items() if v and v != ("",) * len(v or ())}, \
        "run `make messages` to compile the catalogues"


@pytest.mark.parametrize("code", [c for c in i18n.LANGUAGES if c != i18n.DEFAULT])
def test_each_catalogue_counts_plurals_as_its_language_does(code):
    with (ROOT / "taskerlog" / "locale" / code / "LC_MESSAGES" / "taskerlog.po").open("rb") as f:
        po = read_po(f, locale=code)
    assert po.num_plurals == len(Locale.parse(code).plural_form.tags | {"other"})


def test_a_missing_or_fuzzy_translation_is_caught(tmp_path):
    (tmp_path / "taskerlog" / "locale" / "es" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "taskerlog" / "page.py").write_text(
        "from taskerlog.i18n import _, ngettext\n"
        "_('Effective hourly wage')\n_('Rate cut')\n_('Choose from:\\n\\t{choices}')\n_('{hours} unpaid hours')\n"
        "ngettext('{n} day in EQ', '{n} days in EQ', 3)\n", encoding="utf-8")
    (tmp_path / "taskerlog" / "locale" / "es" / "LC_MESSAGES" / "taskerlog.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Effective hourly wage"\nmsgstr "Pago efectivo por hora"\n\n'
        '#, fuzzy\nmsgid "Rate cut"\nmsgstr "Recorte"\n\n'
        'msgid "{hours} unpaid hours"\nmsgstr "{horas} horas no pagadas"\n\n'
        'msgid "Choose from:\\n\\t{choices}"\nmsgstr "Elige entre:\\n    {choices}"\n\n'
        'msgid "{n} day in EQ"\nmsgid_plural "{n} days in EQ"\nmsgstr[0] "{n} día en EQ"\nmsgstr[1] ""\n',
        encoding="utf-8")
    gaps = catalogue_gaps(tmp_path, "es")
    assert gaps == [
        "es: tabs not kept (they align click's lists): 'Choose from:\\n\\t{choices}'",
        "es: fuzzy (check and remove the flag): 'Rate cut'",
        "es: placeholders ['horas'] instead of ['hours']: '{hours} unpaid hours'",
        "es: not translated: '{n} day in EQ'",
    ]


def test_a_translation_is_used_for_the_chosen_language_only(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog

    cat = Catalog(locale="es")
    cat.add("Rate cut", "Recorte de tarifa")
    cat.add(("{n} day in EQ", "{n} days in EQ"), ("{n} día en cola vacía", "{n} de días en cola vacía", "{n} días en cola vacía"))
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    with (tmp_path / "es" / "LC_MESSAGES" / "taskerlog.mo").open("wb") as f:
        write_mo(f, cat)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._translations.cache_clear()
    try:
        with i18n.using("es_VE"):
            assert i18n._("Rate cut") == "Recorte de tarifa"
            assert i18n.ngettext("{n} day in EQ", "{n} days in EQ", 1).format(n=1) == "1 día en cola vacía"
            assert i18n.ngettext("{n} day in EQ", "{n} days in EQ", 4).format(n=4) == "4 días en cola vacía"
            assert i18n._("Not in the catalogue") == "Not in the catalogue"
        assert i18n._("Rate cut") == "Rate cut"
    finally:
        i18n._translations.cache_clear()


@pytest.mark.parametrize("env, expected", [
    ({"LANG": "pt_BR.UTF-8"}, "pt_BR"),
    ({"LANG": "sw_KE.UTF-8"}, "sw_KE"),
    ({"LANGUAGE": "de:es", "LANG": "de_DE.UTF-8"}, "es"),
    ({"LC_ALL": "fr_MG.UTF-8", "LANG": "es_VE.UTF-8"}, "fr_MG"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "pt_PT.UTF-8"}, "pt_PT"),
    ({}, "en"),
])
def test_the_system_language_is_used_when_taskerlog_speaks_it(env, expected):
    assert i18n.system_language(env) == expected


def test_an_unknown_language_names_the_ones_there_are():
    with pytest.raises(ValueError, match=r"'de' is not a language taskerlog speaks; choose one of en \(English\), "
                                         r"es \(Español\), pt_BR \(Português \(Brasil\)\), fr \(Français\), sw \(Kiswahili\)"):
        i18n.set_language("de")


def test_each_thread_keeps_its_own_language():
    import threading

    seen = {}

    def run(tag):
        i18n.set_language(tag)
        threading.Event().wait(0.05)
        seen[tag] = i18n.language()

    threads = [threading.Thread(target=run, args=(t,)) for t in ("es", "sw_KE", "fr")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"es": "es", "sw_KE": "sw_KE", "fr": "fr"}
    assert i18n.language() == "en"


@pytest.mark.parametrize("tag, money, number, date", [
    ("en_KE", "KES 1,234.50", "1,234.56", "9 Mar 2026"),
    ("sw_KE", "KES 1,234.50", "1,234.56", "9 Mac 2026"),
    ("pt_BR", "KES 1.234,50", "1.234,56", "9 de mar. de 2026"),
    ("es_VE", "KES 1.234,50", "1.234,56", "9 mar. 2026"),
    ("fr_MG", "KES 1\u202f234,50", "1\u202f234,56", "9 mars 2026"),
])
def test_money_numbers_and_dates_the_local_way(tag, money, number, date):
    with i18n.using(tag):
        assert i18n.money(Decimal("1234.5"), "KES") == money
        assert i18n.number(Decimal("1234.56")) == number
        assert i18n.date(dt.date(2026, 3, 9)) == date


def test_sub_cent_amounts_keep_their_digits_and_yen_has_none():
    with i18n.using("pt_BR"):
        assert i18n.money(Decimal("0.0125"), "USD") == "USD 0,0125"
        assert i18n.money(Decimal("1500"), "JPY") == "JPY 1.500"
        assert i18n.money(Decimal("1500.00"), "KES") == "KES 1.500,00"


@pytest.mark.parametrize("tag, text, value", [
    ("pt_BR", "12,50", Decimal("12.50")),
    ("es", "1.234,5", Decimal("1234.5")),
    ("en_KE", "1,234.5", Decimal("1234.5")),
    ("fr", "12,5", Decimal("12.5")),
])
def test_numbers_are_read_in_the_languages_notation(tag, text, value):
    with i18n.using(tag):
        assert i18n.parse_number(text) == value


@pytest.mark.parametrize("tag, text", [("pt_BR", "12.50"), ("en", "12,50"), ("es", "1.2.3,4"), ("sw", "abc")])
def test_a_number_in_another_notation_is_refused_not_guessed(tag, text):
    with i18n.using(tag), pytest.raises(ValueError):
        i18n.parse_number(text)
