"""Saved spreadsheet column mappings: a JSON file beside the logbook.

``<logbook>.mappings.json`` holds ``{header signature: {field: column}}``; the shells save
a mapping after an import that used it succeeds, and :func:`taskerlog.importers.read`
finds it again for the next file with the same columns. It is not part of the logbook's
journal (it holds no records, only how to read a file) and can be deleted at any time.
"""

from __future__ import annotations

import json
from pathlib import Path
from ..store import partial


def mappings_path(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(p.stem + ".mappings.json")


def load_all(path: str | Path) -> dict[str, dict[str, str]]:
    p = Path(path)
    if not p.exists():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {k: dict(v) for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def lookup(path: str | Path | None, signature: str) -> dict[str, str] | None:
    if path is None:
        return None
    return load_all(path).get(signature)


def save(path: str | Path, signature: str, mapping: dict[str, str]) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    p = Path(path)
    data = load_all(p)
    data[signature] = dict(mapping)
    partial.write_file(p, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
