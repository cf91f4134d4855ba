"""First run: three ways in — start logging, import a spreadsheet, explore a sample logbook."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import _shared
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
        rate = st.text_input("Rate (optional)", placeholder="20.00")
        currency = st.text_input("Currency", value=settings.home_currency, max_chars=3)
        tz = st.text_input("Your time zone", value=settings.timezone,
                           help="Days and weeks are counted in this zone, e.g. Africa/Nairobi")
        go = st.form_submit_button("Create and start logging", type="primary")
    if go:
        def create():
            lb = Logbook(home_currency=currency or settings.home_currency, timezone=tz.strip() or "UTC",
                         reference_wage=settings.reference_wage, reference_currency=settings.reference_currency,
                         reference_label=settings.reference_label)
            p = Project(platform=platform, project=project, pay_model=pay_model,
                        currency=currency or lb.home_currency)
            with store.transaction():
                store.set_settings(lb, source=_shared.SOURCE)
                store.add_project(p, source=_shared.SOURCE)
                if appsupport.blank(rate):
                    store.add_rate(Rate(platform=p.platform, project=p.project,
                                        effective_at=timeutil.local_midnight(
                                            appsupport.today_in(lb.timezone, _shared.now()), lb.timezone),
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
    samples = appsupport.sample_bundles()
    st.write("See what the dashboard tells a worker, using a made-up person's logbook. It is loaded "
             "into a **separate sample file** and never mixed into yours.")
    if not samples:
        st.caption("No sample bundle is shipped in sample_data/.")
    else:
        label = st.selectbox("Sample", list(samples), key="welcome_sample") if len(samples) > 1 else next(iter(samples))
        if st.button("Open the sample logbook", key="welcome_open_sample", type="secondary"):
            from taskerlog import bundle

            path = appsupport.sample_db_path(appsupport.my_db_path(), label)
            with _shared.friendly():
                sample_store = _shared._store(str(path))
                if sample_store.is_empty():
                    tables, problems = bundle.read_bundle(samples[label])
                    if problems:
                        raise ValueError("the sample bundle has problems: " + "; ".join(str(p) for p in problems))
                    bundle.import_tables(sample_store, tables, source=f"sample:{label}")
                choice = appsupport.SAMPLE_PREFIX + label
                st.session_state["logbook_choice"] = choice
                _shared.flash(f"This is the SAMPLE logbook ({label}). Your own logbook is untouched.")
                st.switch_page("app_pages/dashboard.py", query_params={"logbook": choice})
