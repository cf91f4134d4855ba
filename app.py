"""taskerlog's app: a router only (st.navigation, the shared sidebar, page.run()).

Start it with ``streamlit run app.py`` (or ``make run``). The logbook is ``$TASKERLOG_DB``
if set, else ``logbook.sqlite`` in the user's data folder, as for the CLI. A sample
person's logbook can be explored from the first-run page; it lives in its own file next
to the real one and is never mixed into it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import _charts, _clock, _gate, _narrow, _shared
from taskerlog import appsupport, i18n, problems
from taskerlog.i18n import _

problems.speak(appsupport.FIXES)  # the lower layers' problems name the page or field to use
appsupport.keep_streamlit_offline()  # (taskerlog app did it before the server started; a bare streamlit run needs it)

# The favicon is a file served by the app itself: a ":material/...:" icon would make every
# page load fetch it from fonts.gstatic.com, and nothing may leave the machine.
st.set_page_config(page_title="taskerlog", page_icon=str(Path(appsupport.__file__).parent / "data" / "icon.png"),
                   layout="wide", initial_sidebar_state="auto")

HERE = Path(__file__).resolve().parent

i18n.set_language(None)  # the computer's language, until the logbook says which it speaks

# Phone mode (`taskerlog app --phone`): no key, no logbook. Before anything reads it.
_gate.require_key()

# -- which logbook is open (kept in the URL so a reload keeps it) -----------------------------
mine = appsupport.my_db_path()
if "logbook_choice" not in st.session_state:  # a new session (or a reload): the URL decides
    st.session_state["logbook_choice"] = st.query_params.get("logbook", "mine")
sample_label, open_path = appsupport.logbook_choice(st.session_state["logbook_choice"], mine,
                                                    appsupport.sample_bundles())
want_sample = sample_label is not None
if want_sample:
    st.query_params["logbook"] = appsupport.SAMPLE_PREFIX + sample_label
st.session_state["is_sample"] = want_sample
st.session_state["db_path"] = str(open_path)
_shared.forget_other_logbook(str(open_path))

try:
    store = _shared.current_store()
    empty = store.is_empty()
    clocks = store.running_clocks()
    settings = store.settings()
except Exception as exc:  # a broken or foreign file: say so, never a traceback
    st.error(appsupport.literal(_("Cannot open the logbook {path}: {problem}. "
                                  "Point TASKERLOG_DB at another file, or restore a backup.").format(
        path=_shared.db_path(), problem=exc)))
    st.stop()
i18n.set_language(settings.language)  # this session speaks the logbook's language (docs/languages.md)


@st.cache_resource(show_spinner=False)
def _read_ahead(path: str) -> bool:
    # Once per server and logbook (the first run that opens it, after any upgrade above):
    # read its frames for the Dashboard on a helper thread while this run builds its page.
    _shared.read_ahead(path)
    return True


_read_ahead(str(open_path))


def page(file: str, title: str, icon: str):
    return st.Page(str(HERE / "app_pages" / file), title=title, icon=icon, url_path=Path(file).stem)


welcome = page("welcome.py", _("Welcome"), ":material/waving_hand:")
log = page("log.py", _("Log"), ":material/timer:")


def home() -> None:
    # The hidden default page only routes, so every real page keeps its own URL (/log, /welcome…).
    st.switch_page(welcome if empty else log)


sections = {
    "": [st.Page(home, title="taskerlog", default=True, visibility="hidden")],
    _("Daily"): ([welcome] if empty or want_sample else []) + [
        log,
        page("timesheet.py", _("Timesheet"), ":material/calendar_view_week:"),
        page("dashboard.py", _("Dashboard"), ":material/monitoring:"),
        page("entries.py", _("Entries"), ":material/edit_note:"),
    ],
    _("Records"): [
        page("projects.py", _("Projects & rates"), ":material/folder_open:"),
        page("money_page.py", _("Money"), ":material/payments:"),
        page("fix_records.py", _("Fix records"), ":material/build:"),
    ],
}


def optional(file: str, title: str, icon: str) -> list:
    """Pages of later features (evidence, pooling, importers) appear once their file exists."""
    return [page(file, title, icon)] if (HERE / "app_pages" / file).exists() else []


reports = (optional("evidence.py", _("Evidence report"), ":material/gavel:")
           + optional("organize.py", _("Pool with others"), ":material/groups:"))
if reports:
    sections[_("Reports")] = reports
sections[_("Logbook")] = [
    *optional("history.py", _("Bring in your history"), ":material/history:"),
    page("import_export.py", _("Import / export"), ":material/swap_vert:"),
    page("settings.py", _("Settings"), ":material/settings:"),
]
# every page listed: folded, the sidebar ends in Streamlit's own "View N more", which no
# catalogue can translate
nav = st.navigation(sections, expanded=True)

# -- the shared sidebar -------------------------------------------------------------------
def back_to_mine() -> None:
    st.session_state["logbook_choice"] = "mine"
    st.query_params.pop("logbook", None)


if want_sample:  # above every page, so a phone (sidebar folded away) sees it too
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.warning(_("**SAMPLE logbook** ({name}) — a made-up person's data in its own file. "
                 "Nothing you do here touches your own logbook.").format(name=appsupport.literal(sample_label)))
    c2.button(_("← My logbook"), key="banner_back_to_mine", on_click=back_to_mine, width="stretch")

with st.sidebar:
    if want_sample:
        st.warning(_("**SAMPLE logbook** — a made-up person's data, kept in its own file. "
                     "Nothing you do here touches your own logbook."))
        st.button(_("← Back to my logbook"), key="sidebar_back_to_mine", on_click=back_to_mine, width="stretch")
    else:
        st.markdown(_("**My logbook**"))
    # the file's name only: the full path (a user name, folders) ends up in every screenshot shared
    st.caption(appsupport.literal(f"{_shared.db_path().name} · {settings.home_currency} · {settings.timezone}"),
               help=appsupport.literal(_("The logbook file: {path} (also on Settings)").format(path=_shared.db_path())))
    if clocks:
        for c in clocks:
            _clock.sidebar([c], _shared.now())
            asking = _clock.asking(store, c)  # a forgotten clock is stopped from its "Still working?" box
            if st.button(_("Stop"), key=f"sidebar_stop_{c['id']}", width="stretch", disabled=asking,
                         help=_("Still working? Answer at the top of the page") if asking else None):
                _shared.write(lambda cid=c["id"]: store.clock_stop(clock_id=cid, source=_shared.SOURCE),
                              lambda wid: _clock.saved_message(store, wid, _("Clock stopped")))
    else:
        st.caption(_("No clock running."))

_narrow.css()  # headline figures two to a row at 390 px
_clock.top_bar(store, clocks, settings.timezone, ticking=nav.url_path != "log")  # every page, the phone's too: ticking, "Still working?"

nav.run()
# After the page is built (so it does not compete with it): get the Dashboard's figures ready. Not
# after a run that a save ended with st.rerun (or st.stop): the run that follows the save would
# share the CPU with reading the whole logbook; it starts the warm-up itself once its page is sent.
_shared.warm_up(str(_shared.db_path()), _shared.head(), settings.timezone, charts=_charts.build)
