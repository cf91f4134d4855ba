"""The logbook's own words shown in the worker's language: kinds, statuses and units
(``vocab.shown``), and the Timesheet's cells and problems (``taskerlog.timesheet``)."""

from __future__ import annotations

import datetime as dt

import pytest

from taskerlog import i18n, timesheet, vocab

OTHERS = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]


def test_every_stored_word_is_one_the_catalogues_translate():
    assert set(vocab.KINDS + vocab.STATUSES + vocab.RATE_UNITS + vocab.PAY_MODELS + vocab.END_REASONS) <= set(vocab._SHOWN)


@pytest.mark.parametrize("language", OTHERS)
def test_kinds_and_statuses_are_shown_in_the_language_and_names_as_typed(language):
    with i18n.using(language):
        shown = {w: vocab.shown(w) for w in vocab.KINDS + vocab.STATUSES}
        assert vocab.shown("Genesis Dolphin") == "Genesis Dolphin"  # a name: never looked up
    # the glossary keeps the workers' word "onboarding"; every other word is the language's own
    assert [w for w, s in shown.items() if s == w] == ["onboarding"]
    assert len(set(shown.values())) == len(shown)  # no two words read the same


@pytest.mark.parametrize("language, decimal", [("es", "1,5"), ("pt_BR", "1,5"), ("fr", "1,5"), ("sw", "1.5")])
def test_a_timesheet_cell_that_is_not_hours_is_refused_in_the_language(language, decimal):
    with i18n.using(language):
        assert timesheet.minutes("1,5") == 90  # a cell is at most 24 hours: 1,5 and 1.5 are both read
        with pytest.raises(ValueError) as err:
            timesheet.minutes("abc")
    assert f"{decimal} " in str(err.value) and "1:30" in str(err.value) and "number of hours" not in str(err.value)


def test_a_week_grid_problem_names_the_day_in_the_language():
    monday = dt.date(2026, 3, 9)
    row = ("Outlier", "Genesis", "tasking")
    with i18n.using("es"):
        p = timesheet.plan({}, {}, {row: [24 * 60, 0, 0, 0, 0, 0, 0]}, monday, "UTC",
                           now=int(dt.datetime(2026, 3, 9, 12, tzinfo=dt.timezone.utc).timestamp()))
    [problem] = p.problems
    # 24 hours from the day's start at 09:00 end on Tuesday (martes) at 09:00, after "now"
    assert problem == ("Outlier · Genesis (tareas), lun 09 mar: 24:00 más terminaría el mar a las 09:00, después "
                       "de ahora; registra el trabajo cuando esté hecho")
