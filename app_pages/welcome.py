"""First run: three ways in — start logging, import a spreadsheet, explore a sample logbook."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

import streamlit as st

from app_pages import _firstrun, _shared
from taskerlog import appsupport
from taskerlog.model import Logbook, Project, Rate
from taskerlog import timeutil

_shared.page_header("Welcome to taskerlog",
                    "Your own logbook of AI-training gig work — and what it really pays once the unpaid "
                    "hours are counted. Everything stays on this computer.")


store = _shared.current_store()
settings = store.settings()


def _start_form() -> None:
    with st.form("welcome_start", clear_on_submit=False):
        platform = st.text_input("Platform", placeholder="Outlier, Remotasks, MTurk…")
        project = st.text_input("Project", placeholder="Genesis Dolphin")
        pay_model = st.radio("Paid", ["hourly", "per_task"], horizontal=True,
                             format_func=lambda m: "per hour" if m == "hourly" else "per task")
        # one above the other: this form fills a third of the page, and half of that showed
        # a date as "2026 / 12 /" on a 1366-pixel screen (and less than that on smaller ones)
        rate = st.text_input("Rate (optional)", placeholder="20.00")
        # no default: "today" would leave every entry logged for earlier days unpriced (earning nothing)
        since = st.date_input("Since when has this rate applied?", value=None, key="welcome_since",
                              help="The first day you were paid this rate (your first day on the project, "
                                   "usually). Work you log for days before it earns nothing.",
                              **appsupport.DAY_RANGE)
        currency = st.text_input("The project pays in", value=settings.home_currency, max_chars=3,
                                 help="The currency of the rate and the pay (often USD)")
        home = st.text_input("Your home currency", value=settings.home_currency, max_chars=3,
                             help="The currency every figure is reported in: what reaches your account (KES, PHP…)")
        zones = sorted(available_timezones())
        zone = settings.timezone if store.is_configured() else _firstrun.browser_zone(settings.timezone)
        tz = st.selectbox("Your time zone", zones, index=zones.index(zone) if zone in zones else None,
                          help="Days and weeks are counted in this zone (taken from your browser); type to search")
        offer = _firstrun.minimum_for(zone)
        compare = st.checkbox(f"Compare my wage with {offer}" if offer else
                              "Compare my wage with my country's legal minimum (when taskerlog knows it)",
                              value=offer is not None,
                              help="From the minimum-wage table taskerlog ships (for the time zone chosen above); "
                                   "change it on Settings")
        go = st.form_submit_button("Create and start logging", type="primary")
    if go:
        def create():
            lb = Logbook(home_currency=home or currency or settings.home_currency, timezone=tz or "UTC",
                         **_firstrun.reference(tz or "UTC", compare, settings))
            p = Project(platform=platform, project=project, pay_model=pay_model,
                        currency=currency or lb.home_currency)
            with store.transaction():
                store.set_settings(lb, source=_shared.SOURCE)
                store.add_project(p, source=_shared.SOURCE)
                if appsupport.blank(rate):
                    if since is None:
                        raise ValueError("Since when has this rate applied? Give the first day you were paid it "
                                         "(work logged for days before it would earn nothing).")
                    store.add_rate(Rate(platform=p.platform, project=p.project,
                                        effective_at=timeutil.local_midnight(since, lb.timezone),
                                        rate=rate, unit="hour" if pay_model == "hourly" else "task",
                                        currency=p.currency), source=_shared.SOURCE)
        with _shared.friendly():
            create()
            _shared.flash(f"Project {project} on {platform} is ready: clock in below.")
            st.switch_page("app_pages/log.py")


c1, c2, c3 = st.columns(3)

with c1:
    st.subheader("1 · Start logging")
    if _shared.is_sample():
        st.write("You are in a sample logbook: go back to your own logbook (**← My logbook** above) "
                 "to start logging your own work.")
    else:
        st.write("Name your first project and its rate; then clock in with one click.")
        _start_form()

with c2:
    st.subheader("2 · Import a spreadsheet")
    st.write("Already keep a sheet, or have an export from Toggl, Clockify, MTurk or PayPal? Bring it in; "
             "nothing is imported until every row is valid, and you see a preview first.")
    history = Path(__file__).resolve().parent / "history.py"
    if history.exists() and st.button("Bring in your history", key="welcome_history", type="primary"):
        st.switch_page("app_pages/history.py")
    if st.button("Import a taskerlog bundle (CSV files)", key="welcome_import"):
        st.switch_page("app_pages/import_export.py")

with c3:
    st.subheader("3 · Explore a sample")
    st.write("See what the dashboard tells a worker, using a made-up person's logbook. It is loaded "
             "into a **separate sample file** and never mixed into yours.")
    _shared.sample_picker("welcome")
