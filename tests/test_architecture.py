"""Imports flow one way: core ← logic ← edges ← shells (docs/architecture in README).

core   money, timeutil, model, frames, intervals, store.journal (pure hashing)
logic  metrics, render, evidence.{integrity,wages,pdf}, pool.campaign
edges  store, usecases (the use cases both shells call), bundle, importers, evidence.{anchors,attachments,report}, pool.{contribution,pool,report}
       (files and the logbook in, files out)
shells cli, commands, appsupport, app.py, app_pages

A lower layer reaching up (metrics importing the store, the store importing the CLI, ...)
fails this test. Only SQLite-touching modules may import sqlite3 / sqlite_utils, and
nothing below the shells may import streamlit.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"core": 0, "logic": 1, "edges": 2, "shells": 3}


def layer_of(module: str) -> str:
    table = [
        ("taskerlog.store.journal", "core"),
        ("taskerlog.money", "core"), ("taskerlog.timeutil", "core"), ("taskerlog.model", "core"),
        ("taskerlog.frames", "core"), ("taskerlog.intervals", "core"), ("taskerlog.metrics", "logic"), ("taskerlog.render", "logic"), ("taskerlog.everyday", "logic"), ("taskerlog.timesheet", "logic"),
        ("taskerlog.evidence.integrity", "logic"), ("taskerlog.evidence.wages", "logic"),
        ("taskerlog.evidence.pdf", "logic"), ("taskerlog.pool.campaign", "logic"),
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
