"""What every page shares: the open logbook, cached frames and figures, friendly errors.

The logbook a session has open is ``st.session_state["db_path"]`` (set by ``app.py``:
the worker's own logbook, or the separate sample logbook). Pages written by other
engineers can call :func:`current_store` / :func:`current_frames` or read that key.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Iterator

import streamlit as st
from pydantic import ValidationError

from taskerlog import appsupport, money, timeutil
from taskerlog.cli import explain_validation
from taskerlog.frames import LogbookFrames
from taskerlog.store import Store, StoreError

SOURCE = "app"


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # One Store per logbook file for the whole server: it is thread-safe (RLock,
    # check_same_thread=False, BEGIN IMMEDIATE), so every session's thread shares it.
    return Store(Path(path))


@st.cache_resource(show_spinner="Reading the logbook…", max_entries=4)
def _frames(path: str, head: tuple[int, str]) -> LogbookFrames:
    # Keyed on the journal head: any write anywhere (app, CLI, import) makes a new key.
    return _store(path).frames()


def db_path() -> Path:
    path = st.session_state.get("db_path")
    return Path(path) if path else appsupport.my_db_path()


def is_sample() -> bool:
    return bool(st.session_state.get("is_sample"))


def current_store() -> Store:
    return _store(str(db_path()))


def head() -> tuple[int, str]:
    return tuple(current_store().journal_head())  # type: ignore[return-value]


def current_frames() -> LogbookFrames:
    return _frames(str(db_path()), head())


def now() -> int:
    """The clock: only the shell reads it."""
    return timeutil.now_epoch()


def flash(message: str) -> None:
    """Show ``message`` after the next rerun (writes rerun so the sidebar is fresh)."""
    st.session_state["_flash"] = message


def show_flash() -> None:
    msg = st.session_state.pop("_flash", None)
    if msg:
        st.success(msg)


@contextlib.contextmanager
def friendly() -> Iterator[None]:
    """Show the core's errors as a sentence, never a traceback."""
    try:
        yield
    except ValidationError as exc:
        st.error(explain_validation(exc))
    except (StoreError, money.MoneyError, timeutil.TimeError, appsupport.UploadError, ValueError) as exc:
        st.error(str(exc))


def write(action, message: str) -> Any:
    """Run a write; on success flash ``message`` and rerun, on failure show why."""
    ok = False
    result = None
    with friendly():
        result = action()
        ok = True
    if ok:
        flash(message)
        st.rerun()
    return result


def page_header(title: str, caption: str | None = None) -> None:
    st.title(title)
    if caption:
        st.caption(caption)
    show_flash()
