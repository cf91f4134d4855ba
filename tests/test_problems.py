"""Lower layers return problems; shells choose words (issue 22.3, taskerlog/problems.py).

Below the shells no string names a ``taskerlog`` command or a ``--flag``; every fix a lower
layer asks for is worded by both shells, with the parameters the lower layer gives; each
problem code is one template."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import click
import pytest

from taskerlog import appsupport, i18n, problems
from taskerlog.cli import cli
from taskerlog.commands import wording

ROOT = Path(__file__).resolve().parents[1]
SHELLS = ("taskerlog/cli.py", "taskerlog/commands/", "taskerlog/appsupport.py")

# Text that is not a problem: documents taskerlog writes for a third party, which tell the
# reader how to check them with taskerlog (the PDF and HTML reports), and the anchor line's
# own format ("taskerlog anchor 2026-11-23 · ..."), which verify reads back.
DOCUMENTS = {
    "taskerlog/evidence/report.py": ("taskerlog evidence report", "taskerlog verify", "taskerlog anchor"),
    "taskerlog/evidence/anchors.py": ("taskerlog anchor ",),
    "taskerlog/pool/report.py": ("taskerlog pool publish",),
    # the bundle reader is being rewritten (issue 22) by another change: its one message that
    # names an option is worded with problems.say once that lands
    "taskerlog/bundle/importer.py": ("--db new-logbook.sqlite",),
}


def lower_layers():
    for path in sorted((ROOT / "taskerlog").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if not rel.startswith(SHELLS):
            yield rel, ast.parse(path.read_text(encoding="utf-8"))


def docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            out.add(id(body[0].value))
    # attribute docstrings: a bare string right after an assignment
    for node in ast.walk(tree):
        for stmt in getattr(node, "body", []) if isinstance(getattr(node, "body", None), list) else []:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                out.add(id(stmt.value))
    return out


def strings(tree: ast.AST):
    """Each string a lower layer can show: constants and the literal parts of f-strings,
    docstrings left out."""
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


COMMANDS = sorted(cli.list_commands(click.Context(cli)))  # the group loads each command lazily
NAMES_A_COMMAND = re.compile(r"(?<![Aa] )(?<!an )(?<!the )(?<!older )taskerlog (" + "|".join(COMMANDS) + r")\b")
NAMES_A_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def test_no_string_below_the_shells_names_a_command_or_a_flag():
    found = []
    for rel, tree in lower_layers():
        allowed = DOCUMENTS.get(rel, ())
        for line, text in strings(tree):
            if any(a in text for a in allowed):
                continue
            if NAMES_A_COMMAND.search(text) or NAMES_A_FLAG.search(text):
                found.append(f"{rel}:{line}: {text[:90]!r}")
    assert not found, "say it with taskerlog.problems.say(..., fix=fix(...)) instead:\n" + "\n".join(found)


def _calls(name: str):
    for rel, tree in lower_layers():
        for node in ast.walk(tree):
            f = getattr(node, "func", None)
            if isinstance(node, ast.Call) and (isinstance(f, ast.Name) and f.id == name or isinstance(
                    f, ast.Attribute) and f.attr == name and isinstance(f.value, ast.Name) and f.value.id == "problems"):
                yield rel, node


def test_every_fix_is_worded_by_both_shells_with_the_parameters_given():
    used = {}
    for rel, node in _calls("fix"):
        assert isinstance(node.args[0], ast.Constant), f"{rel}:{node.lineno}: a fix's action is a constant"
        used.setdefault(node.args[0].value, set()).add(frozenset(k.arg for k in node.keywords))
    assert len(used) >= 30  # the importers', the store's, the pool's, the evidence's, the figures' ...
    for shell, fixes in (("commands/wording.py", wording.FIXES), ("appsupport.FIXES", appsupport.FIXES)):
        missing = sorted(set(used) - set(fixes))
        assert not missing, f"{shell} has no words for: {missing}"
        for action, given in used.items():
            w = fixes[action]
            needs = set(inspect.signature(w).parameters) if callable(w) else problems.fields(w)
            for params in given:
                assert needs <= params, f"{shell}: {action} uses {needs - params}, which the lower layer does not give"
    assert set(wording.FIXES) == set(appsupport.FIXES), "both shells word the same fixes"


def test_each_problem_code_is_one_template_with_its_parameters():
    templates: dict[str, str] = {}
    for rel, node in [*_calls("say"), *_calls("nsay")]:
        code, template = node.args[0], node.args[1]
        assert isinstance(code, ast.Constant), f"{rel}:{node.lineno}: a code is a constant"
        # one template: a literal (implicitly joined), never built from pieces
        assert isinstance(template, ast.Constant), f"{rel}:{node.lineno}: {code.value}'s template is one literal"
        assert templates.setdefault(code.value, template.value) == template.value, f"{code.value}: two templates"
        given = {k.arg for k in node.keywords}
        assert not given & {"code", "template", "plural"}, f"{rel}:{node.lineno}: a parameter named like say's own"
        needs = problems.fields(template.value)
        assert needs - {"fix"} <= given - {"fix", "where"}, f"{rel}:{node.lineno}: {code.value} lacks {needs - given}"
        assert ("fix" in needs) == ("fix" in given), f"{rel}:{node.lineno}: {code.value}: {{fix}} iff a fix is given"
    assert len(templates) >= 40


def test_a_problem_is_data_and_each_shell_words_its_fix():
    p = problems.say("import.date_order_unknown", "dates like this could be day/month or month/day ({rows} such "
                     "rows); {fix}", rows=3, fix=problems.fix("day_first_which"))
    assert p == ("dates like this could be day/month or month/day (3 such rows); say which with --day-first yes "
                 "(DD/MM/YYYY) or --day-first no (MM/DD/YYYY)")
    assert p.problem.code == "import.date_order_unknown" and dict(p.problem.params) == {"rows": 3}
    assert p.problem.fix.action == "day_first_which"
    assert p.problem.words(appsupport.FIXES).endswith("(3 such rows); say which under Options → Dates are written")
    from taskerlog.importers.mturk import known_export
    paypal = known_export(["Date", "Time", "Name", "Gross", "Fee", "Net", "Transaction ID"])
    assert paypal == "a PayPal activity download; import it with --from paypal"
    assert paypal.problem.words(appsupport.FIXES) == ("a PayPal activity download; import it with “PayPal” under "
                                                      "“What is the file?”")
    exc = ValueError(p)
    assert problems.problems_of(exc) == (p.problem,) and str(exc) == p
    refused = problems.Refused(p, problems.say("x.other", "and this"))
    assert [q.code for q in refused.problems] == ["import.date_order_unknown", "x.other"]
    assert str(refused).endswith("; and this")


@pytest.mark.parametrize("shell", [wording.FIXES, appsupport.FIXES])
def test_no_fix_wording_is_left_as_data(shell):
    # a fix a shell has no words for shows as data (never a crash); the test above keeps that from users
    assert problems.fix_words(problems.fix("nothing_like_this", a=1), shell) == "nothing_like_this(a=1)"


def test_a_problem_survives_the_apps_cache_as_said():
    # st.cache_data pickles what a page computes: a note that is a problem must come back whole
    import pickle

    p = problems.say("outstanding.negative", "below zero ({fix})", fix=problems.fix("mark_earlier_work"))
    back = pickle.loads(pickle.dumps(p))
    assert back == p and back.problem == p.problem and isinstance(back, problems.Said)


# -- in the worker's language (issue 25) ---------------------------------------------------
def test_every_problem_template_is_extracted_for_translation():
    # `make messages` finds each template (keywords say:2 and nsay:2,3), so tests/test_i18n.py
    # holds every catalogue to a checked translation of each one
    from test_i18n import code_messages

    found = {message for _context, message in code_messages(ROOT)}
    templates = [(rel, node.lineno, node.args[1].value) for rel, node in [*_calls("say"), *_calls("nsay")]]
    assert len(templates) >= 60
    assert [t for t in templates if t[2] not in found] == []


def test_a_problem_is_worded_in_the_language_in_use_when_it_is_shown():
    p = problems.say("import.date_order_unknown", "dates like this could be day/month or month/day ({rows} such "
                     "rows); {fix}", rows=3, fix=problems.fix("day_first_which")).problem
    with i18n.using("es"):
        assert p.words(wording.FIXES) == ("fechas así pueden ser día/mes o mes/día (3 filas así); indica cuál con "
                                          "--day-first yes (DD/MM/AAAA) o --day-first no (MM/DD/AAAA)")
        assert p.words(appsupport.FIXES) == ("fechas así pueden ser día/mes o mes/día (3 filas así); indica cuál en "
                                             "Opciones → Las fechas se escriben")
    with i18n.using("fr"):  # a problem inside another (a note that repeats) is worded again too
        many = problems.say("import.many_rows", "{problem} ({count} rows like this: lines {lines}{more})",
                            problem=problems.Said(p), count=2, lines="2, 3", more="")
        assert str(many).startswith("des dates comme celle-ci peuvent être jour/mois ou mois/jour (3 lignes")
        assert str(many).endswith("(2 lignes de ce type : lignes 2, 3)")
    assert str(problems.Said(p)).startswith("dates like this")


@pytest.mark.parametrize("tag, text", [
    ("en", "for the 1 entry after it"), ("es", "para la 1 entrada posterior"), ("fr", "pour la 1 entrée suivante"),
    ("en", "for the 1,234 entries after it"), ("pt_BR", "para as 1.234 entradas posteriores"),
    ("sw", "kwa maingizo 1,234 yaliyofuata")])
def test_a_count_chooses_the_sentence_each_language_uses(tag, text):
    from taskerlog.evidence.anchors import limits

    entries = 1 if "1 " in text else 1234
    with i18n.using(tag):
        said = limits({"seq": 10, "recorded_at": 1_767_000_000}, 10 + entries, 1_767_100_000, "UTC")
    assert text in said


def test_a_cached_problem_comes_back_in_the_readers_language():
    import pickle

    p = problems.say("outstanding.negative_sentence", "Outstanding is below zero: more was paid out than the logbook "
                     "shows earned. Usually a payout for work done before the logbook began: mark it as for earlier "
                     "work ({fix}); else some work is not logged yet.", fix=problems.fix("mark_earlier_work"))
    stored = pickle.dumps(p)
    with i18n.using("pt_BR"):
        back = pickle.loads(stored)
    assert back.startswith("O valor a receber está abaixo de zero:") and back.problem == p.problem


CONTRACT = ["sheet_ambiguous.csv", "Date", "payouts.csv", "currency", "'dollars'", "Error"]
"""Names that stay as they are in every language: the files' and columns' own, the cell as typed
(and click's ``Error:`` prefix, which is the command line's, not a problem's)."""

SHEET = ROOT / "tests"  / "fixtures" / "importers" / "sheet_ambiguous.csv"


def _bundle(folder: Path) -> Path:
    folder.mkdir()
    (folder / "payouts.csv").write_text("platform,paid_at,amount,currency\nOutlier,2026-03-02T10:00,12.50,dollars\n",
                                        encoding="utf-8")
    return folder


def _shown(tmp_path: Path, tag: str) -> list[str]:
    """What the command line shows of a problem from an importer, the bundle and the store,
    on a logbook in ``tag``: the lines naming the problem."""
    from click.testing import CliRunner

    from conftest import invoke

    db = tmp_path / tag / "l.sqlite"
    db.parent.mkdir()
    invoke(db, "settings", "--language", tag)
    run = lambda *args: CliRunner().invoke(cli, ["--db", str(db), *args]).output.splitlines()
    sheet = [line for line in run("import-history", "spreadsheet", str(SHEET)) if line.startswith("sheet_")]
    bundle = [line for line in run("import", str(_bundle(tmp_path / tag / "b"))) if line.startswith("payouts.csv")]
    store = [line for line in run("record", "edit", "payouts", "9", "amount=3") if "#9" in line]
    return sheet + bundle + store


ENGLISH_CLI = [
    "sheet_ambiguous.csv:2: Date: dates like this could be day/month or month/day (2 such rows); say which with "
    "--day-first yes (DD/MM/YYYY) or --day-first no (MM/DD/YYYY)",
    "payouts.csv:2: currency: 'dollars' is not a currency code; use the three-letter ISO 4217 code such as USD, KES, "
    "PHP, INR, EUR (check the spelling)",
    "Error: there is no payout #9; see the numbers with: taskerlog record list payouts",
]


@pytest.mark.parametrize("tag", [t for t in i18n.LANGUAGES if t != "en"])
def test_the_command_line_words_problems_in_the_logbooks_language(tmp_path, tag):
    from _english import english_left

    assert _shown(tmp_path, "en") == ENGLISH_CLI
    shown = _shown(tmp_path, tag)
    assert len(shown) == 3 and all(a != b for a, b in zip(shown, ENGLISH_CLI)), shown
    sheet, bundle, store = shown
    # where the problem is stays the shape file:line: column: (file and column names are the file's own)
    assert sheet.startswith("sheet_ambiguous.csv:2: Date: ") and bundle.startswith("payouts.csv:2: currency: 'dollars' ")
    # the parameters and the option and command to type come through unchanged
    assert re.search(r"\b2\b", sheet[20:]) and "--day-first yes" in sheet and "--day-first no" in sheet
    assert "ISO 4217" in bundle and "#9" in store and store.endswith("taskerlog record list payouts")
    assert english_left("\n".join(ENGLISH_CLI), "\n".join(shown), tag, allow=CONTRACT) == []


@pytest.mark.parametrize("tag", list(i18n.LANGUAGES))
def test_the_app_words_the_same_problems_in_its_own_words_and_the_language_in_use(tmp_path, tag):
    from _english import english_left
    from taskerlog import importers
    from taskerlog.bundle import ImportProblems, import_path
    from taskerlog.model import Logbook
    from taskerlog.store import Store
    from taskerlog.store.records import RecordError, edit

    store = Store(tmp_path / "l.sqlite")
    problems.speak(appsupport.FIXES)  # as app.py does
    with i18n.using(tag):
        sheet = importers.read_history("spreadsheet", SHEET, Logbook(timezone="Africa/Nairobi")).problems[0]
        with pytest.raises(ImportProblems) as bundle:
            import_path(store, _bundle(tmp_path / "b"))
        with pytest.raises(RecordError) as record:
            edit(store, "payouts", 9, {"amount": "3"}, "app")
        shown = [str(sheet), str(bundle.value.problems[0]), str(record.value)]
    english = ["sheet_ambiguous.csv:2: Date: dates like this could be day/month or month/day (2 such rows); say "
               "which under Options → Dates are written", ENGLISH_CLI[1],
               "there is no payout #9; see the numbers with: the list on this page"]
    if tag == "en":
        assert shown == english
        return
    assert all(a != b for a, b in zip(shown, english)), shown
    assert shown[0].startswith("sheet_ambiguous.csv:2: Date: ") and "--" not in shown[0] and re.search(r"\b2\b", shown[0][20:])
    assert shown[1].startswith("payouts.csv:2: currency: 'dollars' ")
    assert "#9" in shown[2] and "taskerlog" not in shown[2]
    assert english_left("\n".join(english), "\n".join(shown), tag, allow=CONTRACT) == []


def test_json_gives_problems_in_english_whatever_the_language(tmp_path):
    import json

    from click.testing import CliRunner

    from conftest import invoke

    db = tmp_path / "l.sqlite"
    invoke(db, "settings", "--language", "fr")
    out = CliRunner().invoke(cli, ["--db", str(db), "import", str(_bundle(tmp_path / "b")), "--json"]).stdout
    assert json.loads(out)["problems"] == [{"file": "payouts.csv", "line": 2, "column": "currency", "message": (
        "'dollars' is not a currency code; use the three-letter ISO 4217 code such as USD, KES, PHP, INR, EUR "
        "(check the spelling)")}]
    out = CliRunner().invoke(cli, ["--db", str(db), "import-history", "spreadsheet", str(SHEET), "--json"]).stdout
    assert json.loads(out)["problems"][0]["message"].startswith("dates like this could be day/month")
