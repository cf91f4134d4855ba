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

from taskerlog import appsupport, problems
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
    for rel, node in _calls("say"):
        code, template = node.args[0], node.args[1]
        assert isinstance(code, ast.Constant), f"{rel}:{node.lineno}: a code is a constant"
        # one template: a literal (implicitly joined), never built from pieces
        assert isinstance(template, ast.Constant), f"{rel}:{node.lineno}: {code.value}'s template is one literal"
        assert templates.setdefault(code.value, template.value) == template.value, f"{code.value}: two templates"
        given = {k.arg for k in node.keywords}
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
