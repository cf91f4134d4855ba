"""Issue 25, the rest: the pool's contribution checks, the importers' last English words,
the app's tables and fixes, said in the logbook's language (docs/languages.md)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from _english import english_left
from taskerlog import i18n
from taskerlog.pool import contribution as C
from taskerlog.pool import pool as P
from test_pool import campaign, pseud

LANGUAGES = ["es", "pt_BR", "fr", "sw"]
#: how 100 000 000 000 (the most a month can have earned) is written in each language
BIG = {"en": "100,000,000,000", "es": "100.000.000.000", "pt_BR": "100.000.000.000", "fr": "100\u202f000\u202f000\u202f000",
       "sw": "100,000,000,000"}


def _row(**kw) -> dict:
    return dict(dict(month="2026-02", platform="Outlier", category="writing", hours_worked=10, hours_paid=10,
                     unpaid_hours={}, earned=100, units=0, eq_days=0, rate_cuts=0, largest_cut_pct=0), **kw)


def _contribution(i: int, rows=None, **top) -> str:
    data = {"format": C.CONTRIBUTION_FORMAT, "campaign_id": "dla-2026", "pseudonym": pseud(i), "currency": "USD",
            "months": list(campaign().months), "rows": rows if rows is not None else [_row()]}
    data.update(top)
    return json.dumps(data)


#: one file per kind of mistake a member's file can have (file name → its text)
BAD_FILES = {
    "a1.json": _contribution(1, [_row(earned=10**30, units=5, hours_worked="lots"), _row(month="2026-03", eq_days=40,
                                                                                       hours_paid=0.3)]),
    "a2.json": _contribution(2, [_row(month="2099-01", platform="Nowhere", category="", unpaid_hours={"lunch": 1}),
                                 _row(), _row(hours_worked=0, hours_paid=0)]),
    "a3.json": _contribution(3, campaign_id="other", currency="EUR", months=["2026-02", "2026-02"], pseudonym="x"),
    "a4.json": _contribution(4, rows=[1]),
    "a5.json": _contribution(5, rows=[{**_row(), "colour": "red"}]),
    "a6.json": '{"format": "taskerlog-contribution/1", "rows": [{"hours_worked": NaN}]}',
    "a7.json": '{"format": "taskerlog-contribution/1", "format": "x"}',
    "a8.json": '{"format": ',
    "a9.json": "[1, 2]",
    "b1.json": _contribution(6, rows=[_row(month="2026-07")], months=["2026-02"]),
}


def _added(tmp_path, language: str) -> list[str]:
    pool = tmp_path / f"pool-{language}"
    P.init_pool(pool, campaign())
    files = []
    for name, text in BAD_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    with i18n.using(language):
        res = P.add_contributions(pool, [tmp_path / "gone.json"] + files)
    assert res.added == 0
    return [p.replace(str(tmp_path) + "/", "") for p in res.problems]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pool_add_says_what_is_wrong_with_each_file_in_the_language(tmp_path, language):
    english, other = _added(tmp_path, "en"), _added(tmp_path, language)
    assert len(english) == len(other) == len(BAD_FILES) + 1
    assert english[0].startswith("gone.json: cannot be read")  # unreadable files come first
    a1 = english[1].splitlines()
    assert "a1.json: rows[1]: units: must be rounded to tens" in a1
    assert "a1.json: rows[1]: hours_worked: a number is needed" in a1
    assert "a1.json: rows[2]: hours_paid: 0 or more, in steps of 0.5" in a1
    assert f"a1.json: rows[1]: earned: must be between 0 and {BIG['en']}" in a1
    assert "a2.json: rows[1]: platform: 'Nowhere' is not a platform of the campaign" in english[2].splitlines()
    for e, o in zip(english, other):
        assert [line.split(": ")[0] for line in o.splitlines()] == [line.split(": ")[0] for line in e.splitlines()]
        assert o != e
    assert f"{BIG[language]}" in other[1]  # the bound written the language's way
    why = "No such file or directory"  # the operating system's own words (strerror), English on this machine
    left = english_left("\n".join(english), "\n".join(other), language,
                        allow=["'Nowhere'", "lunch", "'dla-2026'", C.CONTRIBUTION_FORMAT, "colour", "red", "'other'",
                               "'format'", "NaN", "gone", why,
                               *C.TOP_KEYS, *C.ROW_KEYS])  # file and field names are the file's own
    assert left == [], left


def test_pool_add_lists_at_most_ten_problems_of_one_file_and_counts_the_rest(tmp_path):
    pool = tmp_path / "pool"
    P.init_pool(pool, campaign())
    path = tmp_path / "many.json"
    path.write_text(_contribution(1, [_row(month=m, units=5) for m in campaign().months[:6]]
                                  + [_row(month=m, category="annotation", units=5) for m in campaign().months[:6]]))
    for language, more in (("en", "... and 2 more problems in the same file"),
                           ("es", "... y 2 problemas más en el mismo archivo")):
        with i18n.using(language):
            lines = P.add_contributions(pool, [path]).problems[0].splitlines()
        assert len(lines) == 11 and lines[-1] == more


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_a_contribution_read_alone_says_its_row_problems_in_the_language(language):
    text = _contribution(1, [_row(hours_worked=0.3, hours_paid=0)])
    with i18n.using(language), pytest.raises(C.ContributionError) as exc:
        C.parse_contribution(text, "c.json")
    said = str(exc.value)
    assert said.startswith("c.json: rows.0.hours_worked: ")
    with i18n.using("en"), pytest.raises(C.ContributionError) as english:
        C.parse_contribution(text, "c.json")
    assert str(english.value) == "c.json: rows.0.hours_worked: hours must be 0 or more, in steps of 0.5"
    if language != "en":
        assert said != str(english.value)
        assert english_left(str(english.value), said, language, allow=["rows", "hours_worked"]) == [], said


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_mapping_option_and_a_low_k_are_said_in_the_language(language):
    def said(lang, call):
        with i18n.using(lang), pytest.raises(ValueError) as exc:
            call()
        return str(exc.value)
    for call in (lambda: C.parse_map_option("Outlier"),
                 lambda: P.report(pd.DataFrame(), campaign(), k=2)):
        english, other = said("en", call), said(language, call)
        assert other != english
        assert english_left(english, other, language, allow=["'Outlier'", "Genesis Dolphin", "rating/ranking"]) == [], \
            other


# -- the importers' last English words (issue 25, item "leftovers" 2 and 3) -------------------------------------
import datetime as dt  # noqa: E402

from taskerlog import importers  # noqa: E402
from taskerlog.importers.mturk import STATES  # noqa: E402
from taskerlog.model import Logbook  # noqa: E402

NAIROBI = Logbook(home_currency="USD", timezone="Africa/Nairobi")
TODAY = dt.date(2026, 6, 1)
ESTIMATED = {"en": "[duration estimated]", "es": "[duración estimada]", "pt_BR": "[duração estimada]",
             "fr": "[durée estimée]", "sw": "[muda umekadiriwa]"}
UNTIMED = {"en": "[time of day not recorded]", "es": "[hora del día no registrada]",
           "pt_BR": "[hora do dia não registrada]", "fr": "[heure de la journée non notée]",
           "sw": "[saa ya siku haikurekodiwa]"}


def _hits(tmp_path, state: str):
    path = tmp_path / f"hits-{state}.json"
    path.write_text(json.dumps([{"assignment_id": f"3BBB{i}", "requester_name": "Akkroo", "reward": "0.12",
                                 "state": state, "date": "20260301", "title": "Write the words"} for i in (1, 2)]))
    return path


def _import(store, fmt, path, language, **opts):
    with i18n.using(language):
        r = importers.read_history(fmt, path, store.settings(), today=TODAY, **opts)
        assert r.problems == [], [str(p) for p in r.problems]
        report, _ = importers.apply(store, r.tables, source=f"import:{fmt}:{path.name}")
    return report.tables["work"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_estimated_hit_is_noted_in_the_language_and_imports_again_in_another_as_the_same(store, tmp_path, language):
    store.set_settings(NAIROBI)
    pending = _hits(tmp_path, "Submitted")
    assert _import(store, "mturk", pending, language, hit_minutes=3).added == 2
    notes = [w["note"] for w in store.rows("work")]
    assert notes == [f"Write the words {ESTIMATED[language]}"] * 2
    again = _import(store, "mturk", pending, "en", hit_minutes=3)  # the same file, the logbook now in English
    assert (again.added, again.already, again.kept_yours) == (0, 2, 0)
    paid = _import(store, "mturk", _hits(tmp_path, "Approved"), "en", hit_minutes=3)  # MTurk approved them since
    assert (paid.added, paid.settled) == (0, 2)
    assert [(w["status"], w["note"]) for w in store.rows("work")] == [("paid", notes[0])] * 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_untimed_spreadsheet_row_is_noted_in_the_language_and_imports_again_in_another_as_the_same(
        store, tmp_path, language):
    store.set_settings(NAIROBI)
    path = tmp_path / "sheet.csv"
    path.write_text("Platform,Date,Hours,Note\nOutlier,2026-03-02,1.5,\nOutlier,2026-03-02,2,checked\n")
    assert _import(store, "spreadsheet", path, language, kind="tasking").added == 2
    notes = sorted(w["note"] for w in store.rows("work"))
    assert notes == sorted([UNTIMED[language], f"checked {UNTIMED[language]}"])
    again = _import(store, "spreadsheet", path, "fr" if language != "fr" else "en", kind="tasking")
    assert (again.added, again.already, again.kept_yours) == (0, 2, 0)
    assert sorted(w["note"] for w in store.rows("work")) == notes


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_hit_without_a_state_is_said_in_the_language(tmp_path, language):
    path = tmp_path / "hits.json"
    path.write_text(json.dumps([{"assignment_id": "3C", "requester_name": "Akkroo", "reward": "0.1", "state": "",
                                 "accepted": "2026-03-01T10:00:00Z", "submitted": "2026-03-01T10:05:00Z"}]))

    def said(lang, strict):
        with i18n.using(lang):
            r = importers.read_history("mturk", path, NAIROBI, today=TODAY, strict=strict)
            return [str(p) for p in r.problems] + [str(n) for n in r.notes]
    for strict in (True, False):
        english, other = said("en", strict), said(language, strict)
        assert not any("blank" in e for e in english) and "no state" in "\n".join(english)
        assert english_left("\n".join(english), "\n".join(other), language,
                            allow=["hits.json", "state", "Akkroo", "--strict", *STATES]) == [], other  # MTurk's words


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_activitywatch_time_beyond_the_calendar_is_said_in_the_language(tmp_path, language):
    path = tmp_path / "aw.json"
    path.write_text('{"buckets": {"aw-watcher-afk_h": {"type": "afkstatus", "hostname": "h", "events": ['
                    '{"timestamp": "9999-12-31T23:59:59-14:00", "duration": 100000, "data": {"status": "not-afk"}}]}}}')

    def said(lang):
        with i18n.using(lang):
            return [str(p) for p in importers.read_history("activitywatch", path, NAIROBI).problems]
    english, other = said("en"), said(language)
    assert english == ["aw.json:1: timestamp: bucket aw-watcher-afk, event 1: the time is outside the years a date "
                       "can have; check the year (a typo?)"]
    assert other[0].startswith("aw.json:1: timestamp: ") and "out of range" not in other[0]
    assert english_left(english[0].split(": ", 2)[-1], other[0].split(": ", 2)[-1], language,
                        allow=["aw-watcher-afk"]) == [], other


# -- the app's fixes name the labels the page shows (item 5) -------------------------------------------------
OPTIONS = "Options (the preview tells you when one is needed)"
#: each fix of the app → the labels it names, as the pages write them (app.py, app_pages/*)
FIX_LABELS = {
    "mapping": [OPTIONS, "Column mapping, e.g. Day=date, Hours=duration, Client=platform (leave blank to use the "
                         "saved or the obvious one)"],
    "day_first_which": [OPTIONS, "Dates are written"], "day_first_set": [OPTIONS, "Dates are written"],
    "day_first_change": [OPTIONS, "Dates are written"],
    "decimal_comma_which": [OPTIONS, "Decimals are written"], "decimal_comma_set": [OPTIONS, "Decimals are written"],
    "duration_unit": [OPTIONS, "A plain number in the duration column means"],
    "platform_say": [OPTIONS], "platform_add": [OPTIONS],
    "hit_minutes": [OPTIONS, "Minutes per HIT, when the export has dates but no times"],
    "strict": [OPTIONS], "payer": [OPTIONS, "Payers that are platforms, e.g. Smart Ecosystem=Outlier"],
    "add_fx": ["Money", "Exchange rates"],
    "backup_elsewhere": ["Settings", "Back up now"], "choose_backup": ["Settings", "Back up now"],
    "mark_earlier_work": ["Fix records", "Payouts"], "move_rate_start": ["Fix records", "Rates"],
    "add_project": ["Projects & rates"], "end_project": ["Projects & rates"], "add_rate": ["Projects & rates"],
    "edit_work": ["Entries"], "add_units": ["Entries"],
    "reference_wage": ["Another hourly figure"],
    "keep_anchor": ["Anchor lines you kept elsewhere (optional; one per line)"],
    "make_anchor": ["Evidence report", "Anchor your records"],
    "pairing_link": ["Settings", "Your phone"],
}


def _shown(label: str) -> str:
    """A label as a fix names it: without what follows it in brackets or after a comma."""
    return label.split(" (")[0].split(", ")[0].split(" (")[0].strip().lower()


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_each_fix_of_the_app_names_the_labels_its_page_shows_in_the_language(language):
    from taskerlog.appsupport import FIXES

    missing = []
    with i18n.using(language):
        for action, labels in FIX_LABELS.items():
            said = i18n._(FIXES[action]).lower().replace("«\u00a0", "“").replace("\u00a0»", "”")
            missing += [f"{action}: {_shown(i18n._(label))!r} not in {said!r}" for label in labels
                        if _shown(i18n._(label)) not in said]
    assert missing == []


# -- counts in English are real singulars and plurals (item 6) -------------------------------------------------
def test_no_english_message_counts_with_a_bracketed_s():
    from babel.messages.pofile import read_po

    with open(i18n.LOCALE_DIR / "taskerlog.pot", "rb") as f:
        catalog = read_po(f)
    ids = [s for m in catalog if m.id for s in ((m.id,) if isinstance(m.id, str) else m.id)]
    assert [s for s in ids if re.search(r"[a-z]\(s\)", s)] == []


@pytest.mark.parametrize("n, says", [(1, "nothing was imported: 1 problem: "), (2, "nothing was imported: 2 problems: ")])
def test_a_refused_bundle_counts_its_problems_in_english(n, says):
    from taskerlog.bundle.problems import ImportProblems, Problem

    with i18n.using("en"):
        assert str(ImportProblems([Problem("work.csv", i + 2, "start", "bad") for i in range(n)])).startswith(says)


def test_a_pool_no_member_has_added_to_yet_reports_nothing_instead_of_failing(tmp_path):
    pool = tmp_path / "pool"
    P.init_pool(pool, campaign())
    rep = P.report(P.load_rows(pool, campaign()), campaign())
    assert len(rep.groups) == 0 and rep.k == campaign().k


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pool_working_view_on_the_page_is_in_the_language_and_its_notation(tmp_path, language):
    from test_pool import synthetic

    from taskerlog.pool import report as R

    pool = tmp_path / "pool"
    P.init_pool(pool, campaign())
    files = []
    for i in range(6):  # 6 members, 10 h each, earning 125 + 10 i: medians with cents
        files.append(tmp_path / f"m{i}.json")
        files[-1].write_text(synthetic(pseud(i), [dict(month="2026-02", hours_worked=10, hours_paid=8,
                                                       earned=125 + 10 * i)]).to_json())
    assert P.add_contributions(pool, files).added == 6
    rep = P.report(P.load_rows(pool, campaign()), campaign())

    def rows(lang):
        with i18n.using(lang):
            return R.page_rows(rep)
    english, other = rows("en"), rows(language)
    assert english[0]["platform"] == "Outlier" and "wage median" in english[0]
    assert len(other) == len(english) and all(len(o) == len(e) for o, e in zip(other, english))
    heads = "\n".join(other[0])
    assert english_left("\n".join(english[0]), heads, language, allow=["EQ"]) == [], heads
    median = str(english[0]["wage median"])
    assert re.fullmatch(r"\d+\.\d\d", median), median
    assert any(median.replace(".", "," if language != "sw" else ".") == str(v) for v in other[0].values()), other[0]


# -- the evidence report's edit trail names an empty field in the language (item 2) ---------------------------
BLANK = {"en": "(blank)", "es": "(vacío)", "pt_BR": "(vazio)", "fr": "(vide)", "sw": "(tupu)"}


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_a_field_filled_in_later_shows_as_empty_before_in_the_language(tmp_path, language):
    from test_evidence import build, make, own_reference

    s, clock, ids = build(tmp_path / "logbook.sqlite")
    try:
        s.update("work", ids["paid2"], {"note": "asked the requester"}, "manual")
        with i18n.using(language):
            _, _, ev = make(s, own_reference(s))
        notes = [(c.old, c.new) for c in ev.edits if c.field == "note"]
        assert notes == [(BLANK[language], "asked the requester")]
    finally:
        s.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_published_release_on_the_page_is_in_the_language_and_its_notation(tmp_path, language):
    from decimal import Decimal

    from test_publish import NOW, small_pool

    from taskerlog.pool import publish as PB
    from taskerlog.pool import release_report as RR

    _, pool = small_pool(tmp_path, members=1000, months="2026-01")  # enough members for figures to be published
    rel = PB.publish(pool, Decimal("1"), now=NOW)

    def rows(lang):
        with i18n.using(lang):
            return RR.page_rows(rel)
    english, other = rows("en"), rows(language)
    assert len(english) == len(other) > 0 and english[0]["platform"] == "P"
    flat = lambda rs: "\n".join([*rs[0]] + [str(v) for r in rs for v in r.values()])  # noqa: E731
    assert english_left(flat(english), flat(other), language, allow=["P"]) == [], flat(other)
    assert any(re.match(r"\d+\.\d % ± \d+\.\d", str(v)) for r in english for v in r.values()), english
    if language != "sw":  # Swahili (Kenya) writes 12.50 as English does
        assert all(not re.search(r"\d\.\d", str(v)) for r in other for v in r.values()), other
