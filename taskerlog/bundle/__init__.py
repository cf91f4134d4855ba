"""The CSV bundle (format 1, shared/docs/interchange.md): read, import, export.

``read_bundle(path) -> (tables, problems)`` reads a folder or ``.zip`` into raw string
tables and writes nothing; ``import_tables(store, tables, source=...)`` validates them all
and writes them in one transaction (or raises ``ImportProblems``); ``export_bundle(store,
out)`` writes every file. See docs/bundle.md.
"""

from .exporter import ExportError, bundle_frames, export_bundle  # noqa: F401
from .importer import ImportReport, TableCounts, import_tables  # noqa: F401
from .problems import ImportProblems, Problem  # noqa: F401
from .reader import read_bundle  # noqa: F401
from .spec import FILES, ORDER  # noqa: F401


def import_path(store, path, *, source: str | None = None, dry_run: bool = False) -> ImportReport:
    """Read a bundle and import it; raises ``ImportProblems`` (nothing written) on any problem."""
    from pathlib import Path

    return import_read(store, read_bundle(path), source=source or f"import:{Path(path).name}", dry_run=dry_run)


def import_read(store, read_result, *, source: str, dry_run: bool = False) -> ImportReport:
    """Import ``(tables, problems)`` from a reader; reading problems are reported together
    with every problem of the tables that could be read (nothing is written)."""
    tables, problems = read_result
    if problems:
        try:
            import_tables(store, tables, source=source, dry_run=True)
        except ImportProblems as exc:
            problems = list(problems) + exc.problems
        # each file's problems by line (a file's reading problems come first otherwise)
        order = {f: i for i, f in reversed(list(enumerate(p.file for p in problems)))}
        raise ImportProblems(sorted(problems, key=lambda p: (order[p.file], p.line or 0)))
    return import_tables(store, tables, source=source, dry_run=dry_run)


def unpriced_if_imported(store, tables, *, source: str) -> list[dict]:
    """The entries of ``tables`` that would earn nothing once imported because no pay can
    be worked out for them (metrics.md's *unpriced*: before their project's first rate, or
    per task without units), for an import's preview. Worked out on a throw-away copy of
    the logbook (the bundle's rates may price its entries, or the logbook's may): the
    logbook itself is not written."""
    import tempfile
    from pathlib import Path

    from ..store import Store

    with tempfile.TemporaryDirectory(prefix="taskerlog-preview-") as tmp:
        copy = Path(tmp) / "preview.sqlite"
        store.backup(copy)
        with Store(copy) as s:
            import_tables(s, tables, source=source)
            return s.unpriced(source=source)
