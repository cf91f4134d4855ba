"""The evidence report and the organizer's pages in the worker's language (issue 25, items 1 and 4).

Each report is made twice from the same logbook or pool, in English and in another language;
``tests/_english.py`` finds English words left behind. What may stay English is given by
name: the worker's own data (platforms, projects, notes, the statement, the logbook's file
name), the statute's name and source as issued, and the weekly verdict worded by
``taskerlog.render`` (another part of issue 25).
"""

from __future__ import annotations

import csv
import html
import re
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pypdf
import pytest
from click.testing import CliRunner

from _english import english_left
from taskerlog import i18n, render, timeutil
from taskerlog.cli import cli
from taskerlog.evidence import report, wages
from taskerlog.model import FxRate
from taskerlog.pool import pool as P
from taskerlog.pool import publish as PB
from taskerlog.pool import release_report as RR
from taskerlog.pool import report as R
from taskerlog.store import Store
from test_app_pages import db  # noqa: F401  (the app's logbook fixture)
from test_evidence import NOW, STATEMENT, build
from test_pool import campaign, pseud, synthetic
from test_publish import NOW as PUBLISH_NOW
from test_publish import small_pool

LANGUAGES = ["es", "pt_BR", "fr", "sw"]
D0, D1 = dt.date(2026, 3, 1), dt.date(2026, 3, 7)
#: earned in the worked example (metrics.md: $185), written the local way
#: its three entries that earned nothing (onboarding, assessment, lost), counted in each language's plural
UNPAID = {"es": "3 registros que no generaron pago", "pt_BR": "3 registros que não geraram ganho",
          "fr": "3 entrées qui n'ont rien rapporté", "sw": "Rekodi 3 ambazo hazikulipwa chochote"}
EARNED = {"en": "185.00 USD", "es": "185,00 USD", "pt_BR": "185,00 USD", "fr": "185,00 USD", "sw": "185.00 USD"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    s, _clock, _ids = build(tmp_path_factory.mktemp("i18n") / "logbook.sqlite")
    s.add_fx(FxRate(date=dt.date(2026, 2, 1), currency="KES", rate="0.0077"))  # Kenya's minimum is in shillings
    yield s
    s.close()


def make(store, language: str, english_too: bool = False):
    """The report in ``language`` against Kenya's legal minimum (its name and source stay as issued)."""
    with i18n.using(language):
        ref = wages.choose_reference(store.settings(), minimum="ke-cities", date_from=D0, date_to=D1)
        data, manifest, ev = report.make_report(store, date_from=D0, date_to=D1, reference=ref, now=NOW,
                                                statement=STATEMENT, english_too=english_too)
        verdict = render.weekly_verdict(ev.metrics, ev.money)
    return zipfile.ZipFile(io.BytesIO(data)), manifest, ev, verdict


def pages(z: zipfile.ZipFile) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(z.read(report.PDF_NAME))).pages]


def workers_data(ev, verdict: str) -> list[str]:
    ref = ev.reference
    return [STATEMENT, ev.logbook_name, ev.tz, ref.minimum.place, ref.source, ref.minimum.hours_basis, verdict,
            *(f"{e['platform']} {e['project']} {e['note'] or ''}" for e in ev.entries),
            *(f"{r['note'] or ''}" for r in ev.rates), *(f"{p['method']} {p['reference']}" for p in ev.payouts)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_evidence_pdf_speaks_the_logbooks_language(book, language):
    z_en, _, _, _ = make(book, "en")
    z, manifest, ev, verdict = make(book, language)
    english, text = "\n".join(pages(z_en)), "\n".join(pages(z))
    assert english_left(english, text, language, allow=workers_data(ev, verdict)) == []
    # a money figure the local way; the statute's name and source as issued
    assert f"Earned {EARNED['en']}" in english and EARNED[language] in text
    flat = " ".join(text.split())
    assert UNPAID[language] in flat
    assert "Regulation of Wages (General) (Amendment) Order, 2024" in flat and "Nairobi / Mombasa" in flat
    assert manifest["language"] == language and manifest["english_copy"] is False


def test_an_english_copy_follows_the_report_when_asked(book):
    z, manifest, _ev, _ = make(book, "pt_BR", english_too=True)
    both = pages(z)
    first = next(i for i, page in enumerate(both) if page.startswith("ENGLISH COPY"))
    assert manifest["english_copy"] is True
    # each part's pages carry their own footer
    assert all("relatório de provas do taskerlog" in page for page in both[:first])
    assert all("English copy · page" in page for page in both[first:])
    portuguese, english = "\n".join(both[:first]), "\n".join(both[first:])
    assert "2. Resumo" in portuguese and "Ganho 185,00 USD" in portuguese
    assert "Uma cópia em inglês de todo o relatório segue" in " ".join(portuguese.split())
    assert "ENGLISH COPY" in english and "2. Summary" in english and "Earned 185.00 USD" in english
    assert "Resumo" not in english
    # in an English report the option adds nothing
    en_only, _, _, _ = make(book, "en")
    en_both, manifest, _, _ = make(book, "en", english_too=True)
    assert len(pages(en_both)) == len(pages(en_only)) and manifest["english_copy"] is False


def test_accents_and_swahili_are_drawn_with_the_shipped_font(book):
    """DejaVu has every letter the four catalogues use, so the PDF never shows '?' for one."""
    from babel.messages.pofile import read_po

    from taskerlog.evidence.pdf import _covered

    for language, word in (("es", "Declaración"), ("pt_BR", "Declaração"), ("fr", "Intégrité"), ("sw", "Muhtasari")):
        with open(i18n.LOCALE_DIR / language / "LC_MESSAGES" / "taskerlog.po", "rb") as f:
            used = {ch for m in read_po(f) if m.id
                    for text in ([m.string] if isinstance(m.string, str) else m.string) for ch in text}
        assert {ch for ch in used if ord(ch) not in _covered() and ch not in "\n\t"} == set()  # (\t: click's lists)
        z, _, _, _ = make(book, language)
        assert word in "\n".join(pages(z))


def test_the_csv_headers_are_for_people_and_columns_csv_names_them_for_programs(book):
    z, manifest, _, _ = make(book, "es")
    header = next(csv.reader(io.StringIO(z.read("entries.csv").decode("utf-8-sig"))))
    assert header[:4] == ["Número", "Plataforma", "Proyecto", "Tipo"] and "Pago contado (USD)" in header
    columns = list(csv.DictReader(io.StringIO(z.read("columns.csv").decode("utf-8-sig"))))
    entries = [c for c in columns if c["file"] == "entries.csv"]
    assert [c["header"] for c in entries] == header
    assert entries[0]["column"] == "id" and {"file": "payouts.csv", "column": "paid_at", "header": "Fecha de pago"} in columns
    assert "columns.csv" in {f["name"] for f in manifest["files"]}
    # values stay as the logbook keeps them; an English report has English headers and no columns.csv
    assert "tasking" in z.read("entries.csv").decode("utf-8-sig")
    z_en, _, _, _ = make(book, "en")
    assert "columns.csv" not in z_en.namelist()
    assert z_en.read("entries.csv").decode("utf-8-sig").startswith("id,platform,project,kind")


def test_the_evidence_command_speaks_the_logbooks_language(tmp_path):
    s, _clock, _ids = build(tmp_path / "logbook.sqlite")
    s.close()
    run = lambda *a: CliRunner().invoke(cli, ["--db", str(tmp_path / "logbook.sqlite"), *a])  # noqa: E731
    assert run("settings", "--language", "fr").exit_code == 0
    out = tmp_path / "report.zip"
    res = run("evidence", "--from", "2026-03-01", "--to", "2026-03-07", "--reference-wage", "15",
              "--statement", str(tmp_path / "none.txt"), "--out", str(out))
    assert res.exit_code != 0 and "--statement : il n'y a pas de fichier" in res.output
    res = run("evidence", "--from", "2026-03-01", "--to", "2026-03-07", "--reference-wage", "15", "--english-too",
              "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "heures travaillées 14,00, gagné 185,00 USD" in res.output
    assert "vérification de l'historique des modifications : OK" in res.output
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["language"] == "fr" and manifest["english_copy"] is True


# -- the organizer's pages ---------------------------------------------------------------------------
def visible(page: str) -> str:
    """The text a reader of the HTML page sees, a line per element (tags, CSS and the chart's marks dropped)."""
    body = re.sub(r"<svg.*?</svg>", "", page.split("<body>", 1)[1], flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


def pool_report():
    members = [synthetic(pseud(i), [dict(month="2026-02", hours_worked=10, hours_paid=8, earned=1000 + 20 * i,
                                         eq_days=i % 3, rate_cuts=int(i < 4), largest_cut_pct=-10 if i < 4 else 0)])
               for i in range(12)]
    return P.report(P.contributions_frame(members), campaign(), reference_wage=Decimal("15"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_organizers_report_speaks_the_language(language):
    rep = pool_report()
    english, other = R.to_html(rep), None
    with i18n.using(language):
        other = R.to_html(rep)
    data = [rep.campaign.name, "Outlier", "writing", "dla-2026"]
    assert english_left(visible(english), visible(other), language, allow=data) == []
    assert f"<html lang={language.replace('_', '-')}>" in other
    # the median wage of the cell, 111.00 $/h (wages 100, 102 ... 122), written the local way
    assert "<td>111.00</td>" in english
    assert {"es": "<td>111,00</td>", "pt_BR": "<td>111,00</td>", "fr": "<td>111,00</td>",
            "sw": "<td>111.00</td>"}[language] in other


def test_a_published_release_is_worded_in_the_language(tmp_path):
    _cam, pool = small_pool(tmp_path)
    rel = PB.publish(pool, Decimal("0.5"), now=PUBLISH_NOW)
    english = RR.to_html(rel)
    with i18n.using("es"):
        spanish = RR.to_html(rel)
    assert "Presupuesto de privacidad: ε = 0.5" in spanish and "Privacy budget" in english
    assert "Cómo leer las cifras" in spanish and "Publicación 1 de la campaña ledger-dp" in spanish
    assert "<b>Publicación 1 de la campaña ledger-dp, 2026-12-01</b>: niveles: categoría × mes, categoría, mes, " \
           "plataforma." in spanish
    assert "levels: category × month, category, month, platform." in english
    # the saved release keeps its English words (a file to publish); the CSV's columns are a contract
    assert json.loads((pool / PB.RELEASES / "release-001.json").read_text())["budget_words"].startswith("Privacy budget")
    english_csv = RR.to_csv(rel)
    with i18n.using("es"):
        assert RR.to_csv(rel) == english_csv


# -- the app's Evidence page: the English-copy checkbox ------------------------------------------------
def test_the_evidence_page_offers_an_english_copy_in_another_language(db):
    from test_app_pages import _load, _run

    from taskerlog.model import WorkEntry

    s = _load(db)
    when = {"start": "2026-03-02T09:00", "end": "2026-03-02T12:00"}
    s.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind="tasking",
                         **{k: timeutil.parse_instant(v, "UTC") for k, v in when.items()}))
    s.close()
    at = _run("app_pages/evidence.py")
    assert not [c for c in at.checkbox if c.key == "ev_english_too"]  # an English report needs no copy
    s = Store(db)
    s.set_setting("language", "es")
    s.close()
    i18n.set_language("es")  # AppTest reads the options of a page's selectboxes in this thread
    at = _run("app_pages/evidence.py")
    box = at.checkbox(key="ev_english_too")
    assert box.label == "Añadir una copia en inglés después del informe, para un inspector que lea inglés"
    how = at.radio(key="ev_ref_how")
    how.set_value(how.options[-1])  # no reference wage
    box.check()
    at.button(key="ev_make").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    data, manifest = at.session_state["ev_result"][:2]
    assert manifest["language"] == "es" and manifest["english_copy"] is True
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(
        zipfile.ZipFile(io.BytesIO(data)).read(report.PDF_NAME))).pages)
    assert "Pruebas de trabajo y pago" in text and "ENGLISH COPY" in text


def test_the_pool_commands_speak_the_computers_language(tmp_path):
    """An organizer's commands open no logbook: they speak the computer's language."""
    _cam, pool = small_pool(tmp_path)
    env = {"LANGUAGE": "es", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "unused.sqlite"), "pool", "publish", str(pool),
                                   "--epsilon", "0.5"], env=env)
    assert res.exit_code == 0, res.output
    assert "Ledger (ledger-dp): publicación 1 hecha" in res.output
    assert "Presupuesto de privacidad: ε = 0.5 gastado hasta ahora" in res.output
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "unused.sqlite"), "pool", "publish", str(pool),
                                   "--epsilon", "a lot"], env=env)
    assert res.exit_code != 0 and "--epsilon a lot: escribe un número como 0.25" in res.output
