"""The key gate of phone mode: no key, no logbook.

``app.py`` calls :func:`require_key` before it opens the logbook or lists a page. When the
server listens beyond this computer (``taskerlog app --phone``), a browser session, the
computer's own included, must present the key once: in the pairing link (``?key=…``, taken
off the address bar as soon as it is read) or typed. Until then the session sees a short
prompt and nothing else. The key a session gave is checked again on every run, so a key
replaced on Settings shuts out every session that came with the old one.
"""

from __future__ import annotations

import json

import streamlit as st

from taskerlog import appsupport, phone
from taskerlog.i18n import _

SESSION_KEY = "phone_key"
COOKIE_TRIED = "phone_cookie_tried"
COOKIE = "taskerlog_key"


def key_file():
    return phone.key_path(appsupport.my_db_path())


def phone_mode() -> bool:
    return phone.listens_beyond_loopback(st.get_option("server.address"))


def current_key() -> str:
    return phone.load_key(key_file())


def admit(key: str) -> None:
    """This session holds ``key`` from now on (after pairing, or after replacing the key), and
    the browser keeps it in a cookie for this computer's address only, so that a reload, or a
    phone browser putting the tab to sleep, does not ask for the link again."""
    st.session_state[SESSION_KEY] = key


def remember() -> None:
    """Send the cookie (on every run: the first run of a session only routes to a page, and
    what it drew may never reach the browser; the same element again does nothing new)."""
    if SESSION_KEY not in st.session_state:
        return
    secure = "; Secure" if st.get_option("server.sslCertFile") else ""
    cookie = f"{COOKIE}={st.session_state[SESSION_KEY]}; Path=/; Max-Age=31536000; SameSite=Strict{secure}"
    st.html(f"<script>document.cookie = {json.dumps(cookie)};</script>", unsafe_allow_javascript=True)


def require_key() -> None:
    if not phone_mode():
        return
    key = current_key()
    if phone.key_matches(st.session_state.get(SESSION_KEY), key):
        remember()
        return
    given = st.query_params.get("key")
    problem = None
    if given is not None:
        del st.query_params["key"]  # out of the address bar (and the history) at once
    elif not st.session_state.get(COOKIE_TRIED):  # a browser paired before: a try like any other, once
        st.session_state[COOKIE_TRIED] = True
        given = st.context.cookies.get(COOKIE)
    if given:
        verdict = phone.try_key(given, key)
        if verdict.ok:
            admit(given)
            remember()
            return
        problem = verdict.message
    st.title("taskerlog")
    st.write(_("This logbook is open to your phone on the local network, behind a key. Open the pairing "
               "link shown on the computer (it carries the key), or type the key here."))
    with st.form("phone_key_form", clear_on_submit=True):
        typed = st.text_input(_("Key"), type="password", autocomplete="off")
        sent = st.form_submit_button(_("Open"), type="primary")
    if sent:
        verdict = phone.try_key(typed, key)
        if verdict.ok:
            admit(typed.strip())
            st.rerun()
        problem = verdict.message
    if problem:
        st.error(problem)
    st.stop()
