"""First run: three ways in — start logging, import a spreadsheet, explore a sample logbook."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

import streamlit as st

from app_pages import _firstrun, _shared
from taskerlog import appsupport, vocab
from taskerlog.model import Logbook, Project, Rate
from taskerlog import everyday, timeutil
from taskerlog.i18n import _

_shared.page_header(_("Welcome to taskerlog"),
                    _("Your own logbook of AI-training gig work — and what it really pays once the unpaid "
                      "hours are counted. Everything stays on this computer."))


store = _shared.current_store()
settings = store.settings()


def _start_form() -> None:
    with st.form("welcome_start", clear_on_submit=False):
        platform = st.text_input(_("Platform"), placeholder="Outlier, Remotasks, MTurk…", key="welcome_platform")
        project = st.text_input(_("Project"), placeholder="Genesis Dolphin", key="welcome_project")
        pay_model = st.radio(_("Paid"), ["hourly", "per_task"], horizontal=True, format_func=vocab.shown)
        # one above the other: this form fills a third of the page, and half of that showed
        # a date as "2026 / 12 /" on a 1366-pixel screen (and less than that on smaller ones)
        rate = st.text_input(_("Rate (optional)"), placeholder=appsupport.fmt_amount("20"), key="welcome_rate")
        # no default: "today" would leave every entry logged for earlier days unpriced (earning nothing)
        since = st.date_input(_("Since when has this rate applied?"), value=None, key="welcome_since",
                              help=_("The first day you were paid this rate (your first day on the project, "
                                     "usually). Work you log for days before it earns nothing."),
                              **appsupport.DAY_RANGE)
        currency = st.text_input(_("The project pays in"), value=settings.home_currency, max_chars=3,
                                 help=_("The currency of the rate and the pay (often USD)"), key="welcome_currency")
        home = st.text_input(_("Your home currency"), value=settings.home_currency, max_chars=3,
                             help=_("The currency every figure is reported in: what reaches your account (KES, PHP…)"),
                             key="welcome_home")
        zones = sorted(available_timezones())
        zone = settings.timezone if store.is_configured() else _firstrun.browser_zone(settings.timezone)
        tz = st.selectbox(_("Your time zone"), zones, index=zones.index(zone) if zone in zones else None,
                          help=_("Days and weeks are counted in this zone (taken from your browser); type to search"),
                          key="welcome_tz")
        offer = _firstrun.minimum_for(zone)
        compare = st.checkbox(_("Compare my wage with {minimum}").format(minimum=offer) if offer else
                              _("Compare my wage with my country's legal minimum (when taskerlog knows it)"),
                              value=offer is not None,
                              help=_("From the minimum-wage table taskerlog ships (for the time zone chosen above); "
                                     "change it on Settings"))
        go = st.form_submit_button(_("Create and start logging"), type="primary", key="welcome_create")
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
                        raise ValueError(_("Since when has this rate applied? Give the first day you were paid it "
                                           "(work logged for days before it would earn nothing)."))
                    store.add_rate(Rate(platform=p.platform, project=p.project,
                                        effective_at=timeutil.local_midnight(since, lb.timezone),
                                        rate=everyday.amount_text(rate), unit="hour" if pay_model == "hourly" else "task",
                                        currency=p.currency), source=_shared.SOURCE)
        with _shared.friendly():
            create()
            _shared.flash(_("Project {project} on {platform} is ready: clock in below.").format(
                project=project, platform=platform))
            st.switch_page("app_pages/log.py")


c1, c2, c3 = st.columns(3)

with c1:
    st.subheader(_("1 · Start logging"))
    if _shared.is_sample():
        st.write(_("You are in a sample logbook: go back to your own logbook (**{back}** above) "
                   "to start logging your own work.").format(back=_("← My logbook")))
    else:
        st.write(_("Name your first project and its rate; then clock in with one click."))
        _start_form()

with c2:
    st.subheader(_("2 · Import a spreadsheet"))
    st.write(_("Already keep a sheet, or have an export from Toggl, Clockify, MTurk or PayPal? Bring it in; "
               "nothing is imported until every row is valid, and you see a preview first."))
    history = Path(__file__).resolve().parent / "history.py"
    if history.exists() and st.button(_("Bring in your history"), key="welcome_history", type="primary"):
        st.switch_page("app_pages/history.py")
    if st.button(_("Import a taskerlog bundle (CSV files)"), key="welcome_import"):
        st.switch_page("app_pages/import_export.py")

with c3:
    st.subheader(_("3 · Explore a sample"))
    st.write(_("See what the dashboard tells a worker, using a made-up person's logbook. It is loaded "
               "into a **separate sample file** and never mixed into yours."))
    _shared.sample_picker("welcome")
