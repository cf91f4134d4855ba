"""The command line's human output in each language (issue 25): a worker's everyday commands
say nothing in English when the logbook speaks another language, write numbers the local way,
and ``--json`` stays the same contract in every language."""

from __future__ import annotations

import re

import pytest

from _english import english_left
from conftest import fixed_cli_clock, invoke

LANGUAGES = ["es", "pt_BR", "fr", "sw"]

# the worker's own data in the sample logbook (platform, projects, notes, the reference's label)
DATA = ["Remotasks", "Outlier", "Acacia Boxes", "Lidar Kestrel", "MM Biscuits", "Sunbird Polygons", "Genesis Dolphin",
        "Nairobi general labourer minimum, a month illustrative", "between projects", "ended early empty queue",
        "paused", "rate cut: the project has grown", "M-Pesa", "internet"]
# command syntax a message tells the worker to type stays as typed (docs/languages.md)
SYNTAX = ["PLATFORM PROJECT RATE", "clock start stop log edit entries record payouts for_earlier_work yes", "HH:MM"]

# a script of everyday commands; each is run on its own copy of the sample logbook
SCRIPT = [
    ("status",),
    ("entries", "--last", "5"),
    ("metrics", "--reference-wage", "150"),
    ("metrics", "--project", "Acacia Boxes"),
    ("eq", "list"),
    ("eq", "start", "Remotasks", "--on", "2026-11-20"),
    ("project", "rates"),
    ("rate", "Remotasks", "Acacia Boxes", "0.04", "--from", "2026-11-01"),
    ("payout", "Remotasks", "1234.5", "--currency", "USD", "--fee", "3.5", "--method", "M-Pesa",
     "--received-amount", "160000", "--received-currency", "KES", "--on", "2026-11-20"),
    ("log", "Remotasks", "Acacia Boxes", "--start", "2026-11-22T09:00", "--minutes", "90", "--units", "60"),
    ("clock", "start", "Remotasks", "Acacia Boxes", "--at", "07:00"),
    ("project", "list", "--all"),
    ("expense", "250", "--category", "internet", "--on", "2026-11-20"),
    ("fx",),
]  # (record list's headers are the bundle's column names, which record edit takes: they stay English)


def run_script(db) -> str:
    """Every command of SCRIPT, then a clock stopped, as one text (clock fixed at FIXED_NOW)."""
    out = []
    with fixed_cli_clock():
        for args in SCRIPT:
            out.append(f"$ {' '.join(args)}\n" + invoke(db, *args))
        out.append("$ eq end\n" + invoke(db, "eq", "end", "Remotasks", "--on", "2026-11-22"))
        out.append("$ clock stop\n" + invoke(db, "clock", "stop", "--units", "40"))
        out.append("$ status\n" + invoke(db, "status"))
    return "\n".join(out)


@pytest.fixture(scope="module")
def english(tmp_path_factory, _sample_logbooks):
    import shutil

    db = tmp_path_factory.mktemp("en") / "logbook.sqlite"
    shutil.copyfile(_sample_logbooks("kenya-kes"), db)
    with fixed_cli_clock():
        invoke(db, "settings", "--language", "en")
    return run_script(db)


@pytest.mark.parametrize("language", LANGUAGES)
def test_everyday_commands_leave_no_english(language, english, sample_logbook):
    db = sample_logbook("kenya-kes")
    with fixed_cli_clock():
        invoke(db, "settings", "--language", language)
    text = run_script(db)
    said = lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("$ "))  # not the commands typed
    assert english_left(said(english), said(text), language, allow=DATA + SYNTAX) == [], text


@pytest.mark.parametrize("language, earned, payout", [
    ("en", "105216.97", "1234.50 USD, fee 3.50, received 160000.00 KES by M-Pesa"),  # as before issue 25
    ("es", "105.216,97", "1.234,50 USD, comisión 3,50, recibido 160.000,00 KES por M-Pesa"),
    ("pt_BR", "105.216,97", "1.234,50 USD, taxa 3,50, recebido 160.000,00 KES via M-Pesa"),
    ("fr", "105\u202f216,97", "1\u202f234,50 USD, frais 3,50, reçu 160\u202f000,00 KES par M-Pesa"),
    ("sw", "105,216.97", "1,234.50 USD, ada 3.50, yamepokelewa 160,000.00 KES kwa M-Pesa"),
])
def test_numbers_are_written_the_local_way(language, earned, payout, sample_logbook):
    """The sample's earnings (KES 105,216.97, metrics.md's hand check of the sample) and a payout
    in each language's notation."""
    db = sample_logbook("kenya-kes")
    with fixed_cli_clock():
        invoke(db, "settings", "--language", language)
        metrics = invoke(db, "metrics")
        said = invoke(db, "payout", "Remotasks", "1234.5", "--currency", "USD", "--fee", "3.5", "--method", "M-Pesa",
                      "--received-amount", "160000", "--received-currency", "KES", "--on", "2026-11-20")
    assert re.search(rf"\s{re.escape(earned)}\n", metrics), metrics
    assert payout in said


@pytest.mark.parametrize("args", [("status", "--json"), ("entries", "--json"), ("metrics", "--json"),
                                  ("eq", "list", "--json"), ("clock", "--json")])
def test_json_is_the_same_in_every_language(args, sample_logbook):
    db = sample_logbook("kenya-kes")
    outputs = {}
    with fixed_cli_clock():
        for language in ["en", *LANGUAGES]:
            invoke(db, "settings", "--language", language)
            outputs[language] = invoke(db, *args)
    assert all(out == outputs["en"] for out in outputs.values())
    assert outputs["en"].lstrip()[0] in "[{"


@pytest.mark.parametrize("language, saved, payout, preview", [
    ("es", "1:30 de tareas en Outlier · Genesis Dolphin, ganado USD 1.030,00",
     "Pago recibido USD 80,00 − 2,50 de comisión, KES 9.950,00 recibidos", "Ahora 35,00 USD/hora → 20,00: −42,9\u00a0%."),
    ("pt_BR", "1:30 de tarefas em Outlier · Genesis Dolphin, ganho USD 1.030,00",
     "Pagamento recebido USD 80,00 − 2,50 de taxa, KES 9.950,00 recebidos", "Agora 35,00 USD/hora → 20,00: −42,9%."),
    ("fr", "1:30 de tâches sur Outlier · Genesis Dolphin, gagné USD 1\u202f030,00",
     "Versement reçu USD 80,00 − 2,50 de frais, KES 9\u202f950,00 reçus", "Actuellement 35,00 USD/heure → 20,00 : −42,9\u00a0%."),
    ("sw", "1:30 za kazi za malipo kwenye Outlier · Genesis Dolphin, mapato USD 1,030.00",
     "Malipo yaliyopokelewa USD 80.00 − ada 2.50, KES 9,950.00 yamefika", "Sasa 35.00 USD/saa → 20.00: −42.9%."),
])
def test_the_daily_paths_sentences_in_each_language(language, saved, payout, preview):
    """everyday's and usecases' sentences (the app's Log page shows them too), whole in each language."""
    from decimal import Decimal

    from taskerlog import everyday, i18n, usecases

    row = {"platform": "Outlier", "project": "Genesis Dolphin", "kind": "tasking", "start_epoch": 0,
           "end_epoch": 5400, "pay_home": "1030.000000", "status": "paid", "fx_missing": False}
    rate = usecases.RatePreview(Decimal("35"), "USD", "hour", Decimal("20"), Decimal("-42.857"))
    with i18n.using(language):
        assert everyday.entry_summary(row, "USD") == saved
        assert everyday.payout_summary(Decimal("80"), "USD", Decimal("2.5"), Decimal("9950"), "KES") == payout
        assert rate.text() == preview
