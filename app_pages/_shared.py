"""What every page shares: the open logbook, cached frames and figures, friendly errors.

The logbook a session has open is ``st.session_state["db_path"]`` (set by ``app.py``:
the worker's own logbook, or the separate sample logbook). Pages written by other
engineers can call :func:`current_store` / :func:`current_frames` or read that key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Iterator

import streamlit as st
from pydantic import ValidationError

from taskerlog import appsupport, i18n, metrics, money, timeutil, usecases
from taskerlog.explain import explain_validation
from taskerlog.frames import LogbookFrames
from taskerlog.i18n import _
from taskerlog.store import Store, StoreError

SOURCE = "app"


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # One Store per logbook file for the whole server: it is thread-safe (RLock,
    # check_same_thread=False, BEGIN IMMEDIATE), so every session's thread shares it.
    return Store(Path(path))


_read_ahead: dict[str, Future] = {}


def read_ahead(path: str) -> None:
    """Called by ``app.py`` on its first run for a logbook: read the logbook's light frames and
    work out their derivation on a helper thread, so that the first Dashboard finds them
    ready (or waits for this read rather than starting another). Nothing of Streamlit is
    touched: :func:`_frames` and :func:`_prepared` take the result only when the logbook's
    journal head is still the one it was read at (the same before and after the read)."""
    fut: Future = Future()
    _read_ahead[path] = fut

    def work() -> None:
        try:
            with Store(Path(path)) as s:
                if s.is_empty():
                    fut.set_result(None)
                    return
                before = tuple(s.journal_head(NOT_IN_FIGURES))
                frames = s.frames(detail=False)
                after = tuple(s.journal_head(NOT_IN_FIGURES))
            fut.set_result((before, frames, metrics.prepare(frames)) if before == after else None)
        except Exception:  # the page that needs the frames reads them itself, and says what is wrong
            fut.set_result(None)

    threading.Thread(target=work, name="taskerlog-warm-up", daemon=True).start()


def _ahead(path: str, head: tuple[int, str]):
    """(frames, prepared) read ahead at server start for this state of the logbook, or None."""
    fut = _read_ahead.get(path)
    got = fut.result() if fut is not None else None
    if got is None or got[0] != tuple(head):
        _read_ahead.pop(path, None)
        return None
    return got[1], got[2]


# The spinners are shown by the wrappers below, not by ``show_spinner``: its text is fixed
# when the module is imported, in whatever language was in use then. ``st.spinner`` only
# appears after half a second, so a warm cache shows nothing. The cached functions call each
# other (and the warm-up thread calls them) directly: no spinner without a page to show it.
def _frames(path: str, head: tuple[int, str], detail: bool = True) -> LogbookFrames:
    with st.spinner(_("Reading the logbook…")):
        return _frames_cached(path, head, detail)


def _prepared(path: str, head: tuple[int, str]):
    with st.spinner(_("Preparing the figures…")):
        return _prepared_cached(path, head)


@st.cache_resource(show_spinner=False, max_entries=4)
def _frames_cached(path: str, head: tuple[int, str], detail: bool = True) -> LogbookFrames:
    # Keyed on the journal head: any write anywhere (app, CLI, import) makes a new key.
    # Read on a connection of its own (WAL: readers never block the writer), so a long read
    # of a big logbook does not hold the shared Store's lock while other sessions log work.
    # detail=False leaves out entries' notes and ids: the figures never need them.
    if not detail and (ahead := _ahead(path, head)) is not None:
        return ahead[0]
    with Store(Path(path)) as reader:
        return reader.frames(detail=detail)


@st.cache_resource(show_spinner=False, max_entries=4)
def _prepared_cached(path: str, head: tuple[int, str]):
    frames = _frames_cached(path, head, False)
    ahead = _ahead(path, head)
    _read_ahead.pop(path, None)  # used once: the caches hold it from now on
    if ahead is not None and ahead[0] is frames:
        return ahead[1]
    return metrics.prepare(frames)


def frames_at(path: str, head: tuple[int, str]) -> LogbookFrames:
    """The light frames (no free text) of the logbook ``path`` at ``head`` (cached)."""
    return _frames_cached(path, head, False)


def prepared(path: str, head: tuple[int, str]) -> metrics.Prepared:
    """The figures' derivation of the open logbook (cached; local days, codes, pay)."""
    return _prepared_cached(path, head)


@st.cache_resource(show_spinner=False, max_entries=256)  # resource: no pickling of a big dict; never mutated
def figures(path: str, head: tuple[int, str], date_from, date_to, platform, project, today) -> dict:
    """``metrics.compute`` for one filter — the JSON ``taskerlog metrics --json`` prints."""
    return metrics.compute(_frames_cached(path, head, False), date_from=date_from, date_to=date_to,
                           platform=platform, project=project, today=today, prepared=_prepared_cached(path, head))


class _QuietWarmUp(logging.Filter):
    """The warm-up thread has no script run context by design; don't log that it hasn't."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName == "taskerlog-warm-up" and "ScriptRunContext" in record.getMessage())


for _name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
              "streamlit.runtime.caching.cache_data_api"):
    logging.getLogger(_name).addFilter(_QuietWarmUp())

_warming: set[tuple[str, tuple[int, str]]] = set()
_warming_lock = threading.Lock()


def warm_up(path: str, head: tuple[int, str], tz: str, charts=None) -> None:
    """Read the logbook and work out the Dashboard's default figures (all platforms, then each
    platform) in a background thread, so that a large logbook is ready by the time the
    worker opens the Dashboard or picks a platform. ``charts``: the Dashboard's chart builder
    (``_charts.build``, passed in by app.py: the charts read this module's figures), run for
    the default filter too (about as long again), in the language of the run that calls this."""
    key = (path, head)
    language = i18n.language()  # the thread below starts in the default language
    with _warming_lock:
        if key in _warming:
            return
        _warming.add(key)

    def work() -> None:
        time.sleep(0.5)  # let the run that started it send its page first
        try:
            frames = _frames_cached(path, head, False)
            _prepared_cached(path, head)
            today = appsupport.today_in(tz, now())
            date_from, date_to = appsupport.period_bounds(appsupport.default_period(frames.work, tz, today), today)
            figures(path, head, date_from, date_to, None, None, today)
            if charts is not None:
                charts(path, head, date_from, date_to, None, None, today, language)
            # the platform filter is the one most picked next: have each ready
            for platform in appsupport.names(frames.projects["platform"], frames.work["platform"]):
                figures(path, head, date_from, date_to, platform, None, today)
        except Exception:  # the page that needs the figures will show the error itself
            with _warming_lock:
                _warming.discard(key)

    threading.Thread(target=work, name="taskerlog-warm-up", daemon=True).start()


@st.cache_resource(show_spinner=False, max_entries=8)
def _light(path: str, head: tuple[int, str]) -> tuple[LogbookFrames, list[str], list[tuple[str, str | None]]]:
    s = _store(path)
    platforms = s.rows("platforms")
    frames = appsupport.light_frames(s.settings(), s.rows("projects"), platforms, s.rows("eq"))
    names = sorted(p["name"] for p in platforms)
    return frames, names, appsupport.project_choices(frames, names)


@st.cache_resource(show_spinner=False, max_entries=8)
def _glance(path: str, head: tuple[int, str], today: dt.date):
    # keyed on the journal head and the day: a rerun without a write costs nothing
    return usecases.glance(_store(path), now(), recent=RECENT)


RECENT = 6
"""How many recent entries the Log page offers to continue or duplicate."""


def glance(today: dt.date) -> dict:
    """The Log page's *Today and this week* and recent entries (``usecases.glance``, cached)."""
    return _glance(str(db_path()), head(), today)[0]


def saved_row(store, wid: int) -> dict:
    """The row of the entry ``wid`` just saved (as ``taskerlog entries`` shows it, with its
    pay), for the save's message and its "earns nothing" warning: taken from the glance's one
    read of this week and the last fortnight, which the page after the save shows anyway (so
    it is cached for that run), when the entry starts in those days; else read alone."""
    today = appsupport.today_in(store.settings().timezone, now())
    row = _glance(str(db_path()), head(), today)[1](wid)
    return row if row is not None else usecases.entries(store, usecases.EntryQuery(ids=frozenset({wid})))[0]


def light_frames() -> tuple[LogbookFrames, list[str]]:
    """Projects, EQ and platform names without the work entries: fast on any logbook size."""
    return _light(str(db_path()), head())[:2]


def project_choices() -> list[tuple[str, str | None]]:
    """``appsupport.project_choices`` of :func:`light_frames`, worked out once per state of the
    logbook (≈ 0.01 s a run otherwise, twice in a save: the click's run and the page after it)."""
    return list(_light(str(db_path()), head())[2])


def db_path() -> Path:
    path = st.session_state.get("db_path")
    return Path(path) if path else appsupport.my_db_path()


def is_sample() -> bool:
    return bool(st.session_state.get("is_sample"))


def current_store() -> Store:
    return _store(str(db_path()))


NOT_IN_FIGURES = ("clock",)
"""Tables no frame, figure or export reads: a clock started (or one stopped with nothing saved)
leaves every cache keyed on :func:`head` as it was, so the page after a clock in costs no read."""


def head() -> tuple[int, str]:
    """The journal head that the cached frames and figures are keyed on (changes to the
    running clocks left out: see :data:`NOT_IN_FIGURES`)."""
    return tuple(current_store().journal_head(NOT_IN_FIGURES))  # type: ignore[return-value]


def current_frames(detail: bool = True) -> LogbookFrames:
    """The open logbook as frames; ``detail=False`` (figures, charts) skips entries' free text."""
    return _frames(str(db_path()), head(), detail)


def now() -> int:
    """The clock: only the shell reads it."""
    return timeutil.now_epoch()


def _box() -> dict:
    """This session's form generations and the message to show after a save, in one dict
    kept in session state and changed in place. Assigning to ``st.session_state`` checks
    whether the run has been asked to stop: a second click's stop request once landed
    between a save and the new generation, so the run that the click started saved again.
    The dict is made when a page first shows a form or a header, before any save."""
    box = st.session_state.get("_writes")
    if box is None:
        box = st.session_state["_writes"] = {"gens": {}, "flash": None, "warn": None}
    return box


def flash(message: str) -> None:
    """Show ``message`` after the next rerun (writes rerun so the sidebar is fresh). It is
    shown as plain text: it usually names a project, a platform or a file."""
    _box()["flash"] = message


def warn_next(message: str | None) -> None:
    """Show ``message`` as a warning after the next rerun (beside the flash)."""
    _box()["warn"] = message


def show_flash() -> None:
    box = _box()
    msg, box["flash"] = box["flash"], None
    if msg:
        # where the worker is looking: pinned to the window's corner (the save may be far down the
        # page), fading after ten seconds; one element, so it is found once by tests and readers
        with st.container(key="taskerlog_flash"):
            st.success(appsupport.literal(msg))
        st.html(_FLASH_STYLE)
    warn, box["warn"] = box.get("warn"), None
    if warn:
        warning_literal(warn)


def warning_literal(text: str) -> None:
    """``st.warning`` of text holding the worker's own names: shown as typed, not as Markdown."""
    st.warning(appsupport.literal(text))


_FLASH_STYLE = """<style>
.st-key-taskerlog_flash { position: fixed; right: 1rem; bottom: 1rem; z-index: 999990; width: auto !important;
  max-width: min(32rem, calc(100vw - 2rem)); box-shadow: 0 4px 16px rgba(0,0,0,.18); border-radius: .5rem;
  background: var(--background-color, #fff); animation: taskerlog-flash-out .6s ease-in 10s forwards; }
@keyframes taskerlog-flash-out { to { opacity: 0; visibility: hidden; } }
</style>"""


@contextlib.contextmanager
def friendly() -> Iterator[None]:
    """Show the core's errors as a sentence, never a traceback."""
    try:
        yield
    except ValidationError as exc:
        st.error(appsupport.literal(explain_validation(exc)))
    except (StoreError, money.MoneyError, timeutil.TimeError, appsupport.UploadError, ValueError) as exc:
        # the page to use, not the command to type; the message quotes names and files as typed
        st.error(appsupport.literal(str(exc)))


_WRITES = threading.Lock()
"""One form's save at a time in this process (see :func:`write`)."""
_shown = threading.local()
"""The generation of each form as this script run showed it (each run has its own thread)."""


def form_suffix(form: str) -> str:
    """The suffix of a form's key, and of its widgets' keys, in this session: it changes
    after each save from the form (``write(..., form=...)``). So the form comes back
    empty after a save, keeps what was typed after an error (no ``clear_on_submit``), and
    the second click of a double click, which belongs to the form as it was, finds no
    button to press: one click, one save."""
    n = _box()["gens"].get(form, 0)
    if not hasattr(_shown, "gens"):
        _shown.gens = {}
    _shown.gens[form] = n
    return f"~{n}" if n else ""


def write(action, message, *, form: str | None = None, warn=None) -> Any:
    """Run a write; on success flash ``message`` and rerun, on failure show why.
    ``message`` may be a function of the write's result (what a saved entry earned).
    ``form``: the form it came from (see :func:`form_suffix`). ``warn(result)``: a warning
    to show beside the message (e.g. the saved entry earns nothing), or None.

    A second click can also arrive while the first click's run is still saving: Streamlit
    then starts a new run at once, in another thread, beside the old one (fast reruns),
    and that run still shows the form as it was, button pressed. So the save and the new
    generation happen under one lock, and a run whose form is no longer the current one
    saves nothing: it only shows what the first click saved (a double click on a busy
    machine saved the entry twice). The new generation and the message are written in
    place (see :func:`_box`), so no stop request can fall between them and the save."""
    ok = False
    result = None
    with _WRITES:
        box = _box()
        if form is not None and getattr(_shown, "gens", {}).get(form, -1) not in (-1, box["gens"].get(form, 0)):
            st.rerun()  # saved by the click before: show the fresh form and its message
        with friendly():
            result = action()
            if form is not None:  # no Streamlit call between the save and this
                box["gens"][form] = box["gens"].get(form, 0) + 1
            box["flash"] = message(result) if callable(message) else message
            ok = True
        if ok and warn is not None:  # after the save: a failure here must not look like a failed save
            try:
                box["warn"] = warn(result)
            except Exception:  # noqa: BLE001
                box["warn"] = None
    if ok:
        st.rerun()
    return result


def when(value: dt.date | dt.datetime, pattern: str = "EEE dd MMM HH:mm") -> str:
    """A day (and time) with the day and month names of the language in use, by a CLDR
    ``pattern`` (Babel): ``Mon 09 Mar 14:05`` in English (strftime's ``%a %d %b %H:%M``),
    ``lun 09 mar 14:05`` in Spanish. Full dates in sentences stay ISO (``2026-03-09``): they
    read the same in every language and are what the date pickers show."""
    from babel.dates import format_date, format_datetime

    fmt = format_datetime if isinstance(value, dt.datetime) else format_date
    return fmt(value, pattern, locale=i18n.language())


def page_header(title: str, caption: str | None = None) -> None:
    st.title(title)
    if caption:
        st.caption(caption)
    show_flash()


def sample_picker(where: str) -> None:
    """Choose a sample person's logbook and open it (loaded into its own file on first use).
    On the Welcome page for a new worker, and on Settings for one who has data already."""
    samples = appsupport.sample_bundles()
    if not samples:
        st.caption(_("No sample bundle is shipped in sample_data/."))
        return
    label = st.selectbox(_("Sample"), list(samples), key=f"{where}_sample") if len(samples) > 1 else next(iter(samples))
    if st.button(_("Open the sample logbook"), key=f"{where}_open_sample", type="secondary"):
        from taskerlog import bundle

        path = appsupport.sample_db_path(appsupport.my_db_path(), label)
        with friendly():
            sample_store = _store(str(path))
            if sample_store.is_empty():
                tables, problems = bundle.read_bundle(samples[label])
                if problems:
                    raise ValueError(_("the sample bundle has problems: {problems}").format(
                        problems="; ".join(str(p) for p in problems)))
                # the provenance of the same bundle imported on the command line (`taskerlog import`):
                # its entries are "imported", not typed in late
                bundle.import_tables(sample_store, tables, source=f"import:{label}")
            # the sample speaks the language of the logbook it is opened from (its own file has none,
            # and the computer's may be another)
            if sample_store.language() != i18n.language():
                sample_store.set_settings(sample_store.settings().model_copy(update={"language": i18n.language()}))
            choice = appsupport.SAMPLE_PREFIX + label
            st.session_state["logbook_choice"] = choice
            flash(_("This is the SAMPLE logbook ({name}). Your own logbook is untouched.").format(name=label))
            st.switch_page("app_pages/dashboard.py", query_params={"logbook": choice})


PER_LOGBOOK = ("ev_result", "ev_anchor_line", "exp_bytes", "exp_of", "imp_verdict", "imp_sig", "_form_gen")
"""Session keys that belong to the logbook open when they were made (a report, an export, an
import's verdict): dropped when another logbook is opened."""


def forget_other_logbook(path: str) -> None:
    """Called by the router with the logbook now open: a report made from the sample must
    not stay on screen, downloadable, once the worker is back in their own logbook."""
    if st.session_state.get("_open_logbook") != path:
        for k in PER_LOGBOOK:
            st.session_state.pop(k, None)
        st.session_state["_open_logbook"] = path


def file_uploader(label: str, *, key: str, type: list[str] | None = None, **kwargs: Any):
    """``st.file_uploader``, with Streamlit's own words on it in the logbook's language.

    Streamlit writes the button ("Upload"), the size limit ("50MB per file • ZIP, CSV") and
    the overlay while a file is dragged over it ("Drag and drop files here") in English, and
    its API cannot change them (https://github.com/streamlit/streamlit/issues/13500). In
    another language a style scoped to this uploader (``.st-key-KEY``) hides those texts and
    shows the translated ones in their place (CSS ``::after``): the smallest shim, gone the day
    Streamlit takes the words. Every page with an uploader calls this, not Streamlit's."""
    got = st.file_uploader(label, type=type, key=key, **kwargs)
    if i18n.language().split("_")[0] != "en":
        st.html(_uploader_style(key, type, bool(kwargs.get("accept_multiple_files"))))
    return got


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _uploader_style(key: str, types: list[str] | None, multiple: bool) -> str:
    size = _("{size} per file").format(size=f"{st.get_option('server.maxUploadSize')}MB")
    if types:  # the kinds of file, as Streamlit writes them: their own names, not words
        size += " • " + ", ".join(t.lstrip(".").upper() for t in types)
    drag = _("Drag and drop files here") if multiple else _("Drag and drop a file here")
    # Translators: the button of a file uploader, to choose a file on the computer
    button = _("Upload")
    zone = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    return f"""<style>
{zone} button [data-testid="stMarkdownContainer"] p {{ display: none; }}
{zone} button [data-testid="stMarkdownContainer"]::after {{ content: {_css_text(button)}; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {_css_text(size)};
  font-size: .875rem; }}
{zone} > div:not([data-testid]) * {{ font-size: 0; }}
{zone} > div:not([data-testid]) > *::after {{ content: {_css_text(drag)}; font-size: 1rem; }}
</style>"""
