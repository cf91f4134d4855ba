"""Imports flow one way: core ← logic ← edges ← shells (docs/architecture in README).

core   money, timeutil, model, frames, intervals, store.journal (pure hashing)
logic  metrics, render, explain (pydantic's errors in a worker's words), evidence.{integrity,wages,pdf}, pool.campaign
edges  store, usecases (the use cases both shells call), bundle, importers, evidence.{anchors,attachments,report}, pool.{contribution,pool,report}
       (files and the logbook in, files out)
shells cli, commands, appsupport, app.py, app_pages

A lower layer reaching up (metrics importing the store, the store importing the CLI, ...)
fails this test. Only SQLite-touching modules may import sqlite3 / sqlite_utils, and
nothing below the shells may import streamlit.

No import cycle among taskerlog/*, app.py and app_pages/*, at any layer. An import inside a
function counts like one at the top of the module (a reader following it goes round the
circle all the same), and so does a module named in a string (``"taskerlog.commands.daily:clock"``
in the command table, a name given to ``importlib.import_module``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"core": 0, "logic": 1, "edges": 2, "shells": 3}


def layer_of(module: str) -> str:
    table = [
        ("taskerlog.store.journal", "core"),
        ("taskerlog.metrics.common", "logic"), ("taskerlog.metrics.fx", "logic"),
        ("taskerlog.metrics.prepare", "logic"), ("taskerlog.metrics.sums", "logic"),
        ("taskerlog.metrics.scope", "logic"), ("taskerlog.metrics.unpriced", "logic"),
        ("taskerlog.metrics.compute", "logic"),
        ("taskerlog.money", "core"), ("taskerlog.timeutil", "core"), ("taskerlog.model", "core"),
        ("taskerlog.frames", "core"), ("taskerlog.intervals", "core"), ("taskerlog.vocab", "core"), ("taskerlog.metrics", "logic"), ("taskerlog.render", "logic"), ("taskerlog.everyday", "logic"), ("taskerlog.timesheet", "logic"),
        ("taskerlog.evidence.integrity", "logic"), ("taskerlog.evidence.wages", "logic"),
        ("taskerlog.evidence.pdf", "logic"), ("taskerlog.pool.campaign", "logic"), ("taskerlog.explain", "logic"),
        ("taskerlog.store.connection", "edges"), ("taskerlog.store.backup", "edges"),
        ("taskerlog.store.writes", "edges"), ("taskerlog.store.recording", "edges"),
        ("taskerlog.store.reads", "edges"), ("taskerlog.store.verify", "edges"),
        ("taskerlog.store", "edges"), ("taskerlog.usecases", "edges"), ("taskerlog.bundle", "edges"), ("taskerlog.importers", "edges"),
        ("taskerlog.evidence", "edges"), ("taskerlog.pool", "edges"), ("taskerlog.phone", "edges"),
        ("taskerlog.cli", "shells"), ("taskerlog.commands", "shells"), ("taskerlog.appsupport", "shells"),
        ("app_pages", "shells"), ("app", "shells"), ("taskerlog", "core"),
    ]
    for prefix, layer in table:
        if module == prefix or module.startswith(prefix + "."):
            return layer
    raise AssertionError(f"{module} is in no layer: add it to tests/test_architecture.py")


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, module: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:
                    out += [f"{target}.{a.name}" for a in node.names]
                else:
                    out.append(target)
            else:
                out.append(node.module or "")
    return out


def sources():
    files = sorted((ROOT / "taskerlog").rglob("*.py")) + sorted((ROOT / "app_pages").rglob("*.py"))
    return files + [ROOT / "app.py"]


def test_imports_flow_one_way():
    problems = []
    for path in sources():
        mod = module_name(path)
        mine = LAYERS[layer_of(mod)]
        for target in imports_of(path, mod):
            if target.startswith("taskerlog") or target.startswith("app_pages"):
                try:
                    theirs = LAYERS[layer_of(target)]
                except AssertionError:
                    # `from taskerlog.x import name` where name is a module
                    theirs = LAYERS[layer_of(target.rsplit(".", 1)[0])]
                if theirs > mine:
                    problems.append(f"{mod} ({layer_of(mod)}) imports {target} ({layer_of(target)})")
            if target.split(".")[0] in ("sqlite3", "sqlite_utils") and not mod.startswith("taskerlog.store"):
                problems.append(f"{mod} touches SQLite directly ({target}); go through taskerlog.store")
            if target.split(".")[0] == "streamlit" and mine < LAYERS["shells"]:
                problems.append(f"{mod} imports streamlit below the shells")
    assert not problems, "\n".join(problems)


def module_graph(files: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """Each of our modules → the modules of ours it imports (anywhere in it) or names in a string."""
    files = files if files is not None else {module_name(p): p for p in sources()}
    known = set(files)

    def ours(target: str) -> str | None:
        """The module of ours that importing ``target`` runs: the name itself, else its package."""
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target or None

    graph: dict[str, set[str]] = {}
    for mod, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        targets: list[str] = []
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                source = ".".join(base + ([node.module] if node.module else []))
                # `from package import name`: the submodule `name` when there is one
                targets += [f"{source}.{a.name}" if f"{source}.{a.name}" in known else source for a in node.names]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                name = node.value.split(":")[0]
                if "." in name and name in known:  # a dotted name: "app" alone is a word (SOURCE = "app")
                    targets.append(name)
        graph[mod] = {t for t in map(ours, targets) if t is not None and t != mod}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    found = cycles(module_graph())
    assert not found, "modules that import each other round a circle (a function-level import counts too):\n" \
        + "\n".join(", ".join(c) for c in found)


def test_the_cycle_check_sees_a_cycle_through_a_function_level_import_and_a_string(tmp_path):
    assert "taskerlog.commands.daily" in module_graph()["taskerlog.cli"]  # named in the command table
    (tmp_path / "a.py").write_text('"""Names pkg.b in its docstring only."""\n\ndef f():\n    from . import b\n')
    (tmp_path / "b.py").write_text('TABLE = {"run": "pkg.a:f"}\n')
    (tmp_path / "c.py").write_text('"""pkg.a is only mentioned here."""\nSOURCE = "a"\n')
    graph = module_graph({"pkg.a": tmp_path / "a.py", "pkg.b": tmp_path / "b.py", "pkg.c": tmp_path / "c.py"})
    assert graph == {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": set()}
    assert cycles(graph) == [["pkg.a", "pkg.b"]]
