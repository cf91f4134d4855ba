"""Sentences the shells used to build from English pieces (issue 25, late findings): the
import report, the below-zero outstanding note. Each is one whole sentence in the language."""

from __future__ import annotations

import pytest

from _english import english_left
from taskerlog import i18n, render
from taskerlog.bundle.importer import ImportReport, TableCounts

LANGUAGES = ["es", "pt_BR", "fr", "sw"]
TABLES = ["work", "payouts", "projects"]  # the bundle's file names stay as typed (a contract)


def full_report(dry_run: bool) -> ImportReport:
    r = ImportReport("import:bundle.zip", dry_run=dry_run, platforms_added=["Outlier"],
                     settings_applied={"timezone": "Africa/Nairobi"})
    r.tables["work"] = TableCounts(added=3, already=2, settled=1, kept_yours=2)
    r.tables["payouts"] = TableCounts(added=1, already=0)
    return r


def test_the_import_report_in_english_is_as_before():
    with i18n.using("en"):
        assert full_report(False).lines() == [
            "import:bundle.zip",
            "  logbook settings set: timezone=Africa/Nairobi",
            "  platforms: added 1 (Outlier)",
            "  work: added 3, already there 2, settled 1 (pending in the logbook, now settled by the platform: status "
            "updated), kept yours 2 (the logbook's differing rows were kept, not overwritten)",
            "  payouts: added 1, already there 0"]
        assert full_report(True).lines()[:3] == [
            "dry run: nothing written. import:bundle.zip",
            "  logbook settings would be set: timezone=Africa/Nairobi",
            "  platforms: would add 1 (Outlier)"]
        assert ImportReport("import:x.zip").lines() == ["import:x.zip", "  no rows to import"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dry_run", [False, True])
def test_the_import_report_leaves_no_english(language, dry_run):
    empty = ImportReport("import:x.zip")
    nothing_new = ImportReport("import:x.zip")
    nothing_new.tables["work"] = TableCounts(already=4)
    with i18n.using("en"):
        english = "\n".join(str(r) for r in (full_report(dry_run), empty, nothing_new))
    with i18n.using(language):
        other = "\n".join(str(r) for r in (full_report(dry_run), empty, nothing_new))
    assert english_left(english, other, language, allow=TABLES + ["import bundle zip", "Outlier", "timezone",
                                                                  "Africa Nairobi"]) == []
    assert "  work: " in other.replace("work :", "work:")  # the table's own name, as typed


@pytest.mark.parametrize("language, start", [("es", "Lo adeudado está por debajo de cero: "),
                                             ("pt_BR", "O valor a receber está abaixo de zero: "),
                                             ("fr", "Le dû est en dessous de zéro : "),
                                             ("sw", "Unachodai ni chini ya sifuri: ")])
def test_outstanding_below_zero_is_one_sentence(language, start):
    with i18n.using("en"):
        english = render.negative_outstanding_sentence("-12.50")
        assert english.startswith("Outstanding is below zero: more was paid out than the logbook shows earned.")
        assert render.negative_outstanding_sentence("0") is None
    with i18n.using(language):
        other = render.negative_outstanding_sentence("-12.50")
        line = render.negative_outstanding_sentence("-12.50", line=True)
    assert other.startswith(start) and line.startswith(start[0].lower() + start[1:])
    assert english_left(english, other, language, allow=["payouts for_earlier_work yes record edit"]) == []
