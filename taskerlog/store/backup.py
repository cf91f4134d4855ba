"""Backups: a verified copy of a live logbook, and restoring one.

:func:`backup_to` (also taken before a migration touches a logbook) and the Store's
``backup`` / ``restore_from``, as the mixin :class:`Backups`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from . import partial
from .connection import StoreError


def backup_to(conn: sqlite3.Connection, dest: Path) -> Path:
    """Copy a live database with SQLite's backup API, integrity-check it, rename into place.

    On failure (a full disk, a folder that cannot be written) nothing is left behind, not
    even a folder this call made, and the StoreError says what happened and what to do.
    """
    dest = Path(dest)
    made = [p for p in (dest.parent, *dest.parent.parents) if not p.exists()]
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with partial.writing(dest) as tmp:
            target = sqlite3.connect(str(tmp))
            try:
                conn.backup(target)
                result = target.execute("PRAGMA integrity_check").fetchone()[0]
                if result != "ok":
                    raise StoreError(f"the backup failed its integrity check: {result}")
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
    except (sqlite3.Error, OSError) as exc:
        for folder in made:  # innermost first; one holding something else stays
            with contextlib.suppress(OSError):
                folder.rmdir()
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        from ..problems import fix, say
        raise StoreError(say("store.backup_failed", "the backup could not be written to {dest} ({why}); nothing "
                             "was left there and the logbook is unchanged. Free some space on that disk or choose "
                             "another place ({fix}), then try again", dest=str(dest), why=why,
                             fix=fix("backup_elsewhere"))) from exc
    return dest


class Backups:
    """Store.backup and Store.restore_from (mixed into Store, which supplies path, conn and _lock)."""

    def backup(self, dest: str | Path | None = None) -> Path:
        """A consistent copy of the logbook (including WAL commits), integrity-checked."""
        if dest is None:
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            dest = self.path.parent / "backups" / f"{self.path.stem}-{stamp}.sqlite"
        with self._lock:
            return backup_to(self.conn, Path(dest))

    def restore_from(self, backup: str | Path) -> None:
        """Replace this logbook's content by a backup file's, through SQLite's backup API (safe with
        the live WAL); the backup is opened read-only and integrity-checked first."""
        backup = Path(backup)
        try:
            # as a file: URI, so a name with # ? or % is that file (not a new, empty one)
            src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
            try:
                result = src.execute("PRAGMA integrity_check").fetchone()[0]
                if result != "ok":
                    raise StoreError(f"{backup} failed its integrity check ({result}); choose another backup")
                tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not {"work", "journal"} <= tables:
                    from ..problems import fix, say
                    raise StoreError(say("store.not_a_backup", "{file} is not a taskerlog backup ({why}); {fix}",
                                         file=str(backup), why="it holds no logbook", fix=fix("choose_backup")))
                with self._lock:
                    src.backup(self.conn)
            finally:
                src.close()
        except sqlite3.DatabaseError as exc:
            from ..problems import fix, say
            raise StoreError(say("store.not_a_backup", "{file} is not a taskerlog backup ({why}); {fix}",
                                 file=str(backup), why=str(exc), fix=fix("choose_backup"))) from exc
