"""Dashboard: the truth about the pay, for a period and a filter.

Every figure on this page is ``taskerlog.metrics.compute(...)``'s output — the same JSON
``taskerlog metrics --json`` prints for the same filter (shown at the bottom).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import streamlit as st

from app_pages import _charts, _shared
from taskerlog import appsupport, metrics, render


_shared.page_header("Dashboard")
frames = _shared.current_frames(detail=False)
s = frames.settings
home, tz = s.home_currency, s.timezone
now = _shared.now()
today = appsupport.today_in(tz, now)

# -- filters -------------------------------------------------------------------------------
default = appsupport.default_period(frames.work, tz, today)
period = st.segmented_control("Period", appsupport.PERIODS, default=default, key="dash_period") or default
custom = None
if period == "Custom":
    custom = st.date_input("From – to", value=(today - dt.timedelta(days=29), today), key="dash_custom", **appsupport.PERIOD_RANGE)
c2, c3 = st.columns(2)
platforms = appsupport.names(frames.projects["platform"], frames.work["platform"])
platform = c2.selectbox("Platform", ["All platforms", *platforms], key="dash_platform")
platform = None if platform == "All platforms" else platform
projs = appsupport.names(frames.projects[frames.projects["platform"] == platform]["project"] if platform
                         else frames.projects["project"])
project = c3.selectbox("Project", ["All projects", *projs], key="dash_project")
project = None if project == "All projects" else project

try:
    date_from, date_to = appsupport.period_bounds(period, today, tuple(custom) if custom else None)
except ValueError as exc:
    st.info(appsupport.literal(str(exc)))
    st.stop()

if len(frames.work) == 0 and len(frames.eq) == 0:
    st.info("No work logged yet. Clock in on **Log**, or import your records on **Import / export**; "
            "the figures appear here as soon as there is something to count.")

path, head = str(_shared.db_path()), _shared.head()
try:
    m = _shared.figures(path, head, date_from, date_to, platform, project, today)
except metrics.MetricsError as exc:
    st.error(appsupport.literal(f"The figures cannot be worked out yet: {str(exc)}"))
    st.stop()

span = "all time" if date_from is None else f"{date_from} – {date_to}"
st.caption(appsupport.literal(f"{span} · {platform or 'all platforms'}{' · ' + project if project else ''} · "
                              f"figures in {home}, days in {tz}"))

# -- headline ------------------------------------------------------------------------------
mm = appsupport.fmt_money
share = appsupport.as_share(m.get("unpaid_share"))
# payouts, fees, what is owed, empty queues and expenses belong to platforms, not projects
plat_wide = " (whole platform)" if project else ""
r1 = st.columns(4)
r1[0].metric("Effective hourly wage", mm(m.get("effective_hourly_wage"), home),
             help="earned ÷ every hour worked, paid or not — the headline figure")
r1[1].metric("Paid hourly rate", mm(m.get("paid_hourly_rate"), home),
             help="earned ÷ paid hours: what the platform appears to pay")
r1[2].metric("Net hourly wage", mm(m.get("net_hourly_wage"), home),
             help="(earned − fees − expenses) ÷ hours worked: what the hour left in your pocket"
                  + ("; with a project chosen, the fees and expenses are its platform's" if project else ""))
r1[3].metric("Advertised rate", mm(m.get("advertised_rate"), home),
             help="the project's advertised (or first) rate — shown when one project is selected",
             delta=None if m.get("advertised_gap") is None else f"gap {mm(m.get('advertised_gap'), home)}",
             delta_color="off", delta_arrow="off")  # a gap is bad news: never an up arrow
r2 = st.columns(4)
r2[0].metric("Hours worked", appsupport.fmt_hours(m.get("hours_worked")),
             help=f"paid {appsupport.fmt_hours(m.get('hours_paid'))}, unpaid {appsupport.fmt_hours(m.get('hours_unpaid'))}")
r2[1].metric("Unpaid share", appsupport.fmt_pct(share, share=True),
             help=f"{appsupport.fmt_hours(m.get('hours_unpaid'))} of the time worked earned nothing")
r2[2].metric("Empty-queue days" + plat_wide, m.get("eq_days", 0),
             help=f"{m.get('eq_episodes', 0)} episode(s); longest {m.get('longest_eq_days', 0)} day(s)")
ref = s.reference_wage if m.get("reference_wage") is not None else None
r2[3].metric("Weekly shortfall vs reference", mm(m.get("weekly_shortfall"), home) if ref is not None else "—",
             help=(f"what would have brought each week up to {appsupport.literal(s.reference_label or 'the reference')} "
                   f"({s.reference_currency or home} {ref}/h), added up: minimum-wage law measures each week "
                   "on its own, so a bad week is never offset by a good one") if ref is not None
             else "set a reference wage (a legal minimum or a target) on Settings")
if ref is not None:
    r2[3].caption(f"{render.weekly_verdict(m, lambda v: mm(v, home))}. Whole period averaged: shortfall "
                  f"{mm(m.get('shortfall'), home)}.")
r3 = st.columns(4)
r3[0].metric("Earned", mm(m.get("earned"), home), help=f"of which pending {mm(m.get('pending'), home)}")
r3[1].metric("Paid out" + plat_wide, mm(m.get("paid_out"), home), help=f"fees {mm(m.get('fees'), home)}")
r3[2].metric(("Outstanding (all time)" if date_to is None else f"Outstanding on {min(date_to, today)}") + plat_wide,
             mm(m.get("outstanding"), home),
             help="earned − paid out, over all time up to the period's end (not this period alone: "
                  "what is owed carries over)")
if render.negative_outstanding_note(m.get("outstanding")):
    r3[2].caption("Outstanding is " + render.negative_outstanding_note(m.get("outstanding")))
if Decimal(m.get("paid_out_earlier") or 0):
    r3[1].caption(f"Not counted: {mm(m.get('paid_out_earlier'), home)} paid for work before the logbook began.")
r3[3].metric("Expenses" + plat_wide, mm(m.get("expenses"), home))
if project:
    st.caption("With a project chosen, hours and earnings are the project's; paid out, fees, outstanding, "
               "empty-queue days and expenses are its whole platform's (platforms pay, and queues run dry, per "
               "platform, not per project).")

# -- charts (built by app_pages/_charts.py, once per state of the logbook and filter) ---------
def _draw(spec: dict) -> None:
    st.vega_lite_chart(dict(spec), width="stretch")


c = _charts.build(path, head, date_from, date_to, platform, project, today)
st.subheader("Week by week")
if c["all_weeks"] > _charts.MAX_WEEKS:
    st.caption(f"The last {_charts.MAX_WEEKS} of {c['all_weeks']} weeks; pick a period to see earlier ones.")
if c["weeks"] is not None:
    _draw(c["weeks"])
    st.markdown("**Unpaid hours, by what they were**")
    if c["unpaid"] is not None:
        _draw(c["unpaid"])
    else:
        st.caption("No unpaid time in this period.")
else:
    st.caption("No weeks with work in this period.")

st.markdown("**Empty queue calendar**")
if c["cal_wide"] is not None:
    # both are sent; the phone's CSS (app_pages/_narrow.py) shows the one that fits the screen
    with st.container(key="eq_calendar_wide"):
        _draw(c["cal_wide"])
    with st.container(key="eq_calendar_phone"):
        if c["cal_cut"]:
            st.caption(f"Up to the week of {c['cal_cut']:%-d %b %Y}, the last with anything logged "
                       f"(at most {_charts.PHONE_CAL_WEEKS} weeks); pick a period to see others.")
        _draw(c["cal_phone"])
    if c["eq_any"]:
        st.caption(f"{m['eq_days']} empty-queue day(s) in {m['eq_episodes']} episode(s); "
                   f"the longest lasted {m['longest_eq_days']} day(s).")
else:
    st.caption("No empty-queue days in this period.")

st.markdown("**Rates over time** (cuts marked ▼)")
if c["rates"] is not None:
    _draw(c["rates"])
    st.caption(f"{m.get('rate_changes', 0)} change(s) in the period: {m.get('rate_cuts', 0)} cut(s), "
               f"{m.get('rate_raises', 0)} raise(s); largest cut {appsupport.fmt_pct(m.get('largest_cut_pct'))}.")
else:
    st.caption("No rates recorded.")

st.subheader("By project")
if c["table"] is not None:
    st.dataframe(c["table"], hide_index=True, width="stretch")
else:
    st.caption("No project has work in this period.")

if st.toggle("Show these figures as JSON (identical to the command line)", key="dash_json"):
    st.code(appsupport.cli_command(date_from, date_to, platform, project, None), language="bash")
    st.code(json.dumps(m, indent=2, ensure_ascii=False, default=str), language="json")
