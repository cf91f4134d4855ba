"""What every command module builds on: the logbook a command opens (:class:`Context`),
errors a worker can act on (:class:`CLIError`, :func:`friendly_errors`) and JSON output.

The commands are registered on the ``taskerlog`` group in ``taskerlog/cli.py``; nothing
here imports that module, so the command modules never import the group they belong to.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from .. import i18n, money, timeutil
from ..i18n import _
from ..store import NeedsUpgrade, Store, StoreError, default_db_path


class CLIError(click.ClickException):
    """An error a worker can act on; printed as ``error: message``."""

    def format_message(self) -> str:
        return self.message


def friendly_errors(fn):
    """Turn the core's errors into clean CLI errors (Watson's ``catch_watson_error``)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (StoreError, money.MoneyError, timeutil.TimeError, ValueError) as exc:
            # pydantic's ValidationError is a ValueError; only a process that loaded pydantic has one
            pydantic_core = sys.modules.get("pydantic_core")
            if pydantic_core is not None and isinstance(exc, pydantic_core.ValidationError):
                from ..explain import explain_validation  # (its words live beside the models: pydantic)

                raise CLIError(explain_validation(exc)) from exc
            raise CLIError(str(exc)) from exc
        except OSError as exc:  # a folder that cannot be written, a full disk, a file in the way
            raise CLIError(os_sentence(exc)) from exc

    return wrapper


def os_sentence(exc: OSError) -> str:
    """An operating-system error as a sentence that names the file and what to do."""
    where = exc.filename or _("a file")
    why = (exc.strerror or str(exc)).rstrip(".").lower()
    return _("{file}: {why}; nothing more was written there. Choose a place you can write to "
             "(your home folder, say) or free some space, then try again").format(file=where, why=why)


def logbook_path(db: str | None) -> Path:
    """The logbook file a ``--db`` value (or ``TASKERLOG_DB``) names: the default path when
    it names none (None or empty). The one rule for the command line and its language."""
    return Path(db).expanduser() if db else default_db_path()


class Context:
    def __init__(self, db: str | None):
        self.chosen = bool(db)
        self.db_path = logbook_path(db)
        self._store: Store | None = None
        self.created = False
        """Whether this command made the logbook file (it did not exist before)."""

    @property
    def store(self) -> Store:
        if self._store is None:
            if self.chosen and not self.db_path.parent.is_dir():
                # the default folder is made as needed; a folder typed with --db is not (a typo
                # would otherwise start a new, empty logbook somewhere unexpected)
                raise CLIError(_("--db: there is no folder {folder}; create it first, or check the path").format(
                    folder=self.db_path.parent))
            self.created = not self.db_path.exists()
            self._opened(Store(self.db_path))
        return self._store

    def _opened(self, store: Store) -> None:
        # from here on, the command speaks the logbook's language (docs/languages.md)
        self._store = store
        i18n.set_language(store.language())

    @property
    def existing_store(self) -> Store:
        """The store, for a command that only reads: a --db that names no file is a typo to
        point out, not a new, empty logbook to report on (or export) as if it were yours.
        An existing logbook is opened read-only, so it can be read on a read-only or full
        disk; one that needs an upgrade is opened for writing and upgraded first."""
        if self._store is None and self.chosen and not self.db_path.exists():
            raise CLIError(_("there is no logbook at {path}; check the path (a new logbook starts with "
                             "the first thing you log or import)").format(path=self.db_path))
        if self._store is None and self.db_path.exists():
            try:
                self._opened(Store(self.db_path, readonly=True))
            except NeedsUpgrade as upgrade:
                try:
                    return self.store
                except StoreError as exc:
                    raise CLIError(_("{problem}, and it cannot be written here ({why}); copy it somewhere you can "
                                     "write and use --db with the copy").format(problem=upgrade, why=exc)) from exc
        return self.store

    def close(self) -> None:
        """Close the logbook at the end of the command (a copy read from a temporary folder goes)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def discard_if_created(self) -> None:
        """Remove the logbook this command made, when nothing was written to it after all
        (a dry run, a refused import): looking must not leave an empty logbook behind."""
        if not self.created or self._store is None:
            return
        self._store.close()
        self._store = None
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.db_path) + suffix).unlink(missing_ok=True)
        self.created = False


pass_ctx = click.make_pass_decorator(Context)


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))
