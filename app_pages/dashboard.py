"""Dashboard: the truth about the pay, for a period and a filter.

Every figure on this page is ``taskerlog.metrics.compute(...)``'s output — the same JSON
``taskerlog metrics --json`` prints for the same filter (shown at the bottom).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as _to_vega_lite

from app_pages import _shared
from taskerlog import appsupport, metrics, render
from taskerlog.model import UNPAID_KEYS


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
    st.error(appsupport.literal(f"The figures cannot be worked out yet: {appsupport.in_app_words(str(exc))}"))
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

# -- charts --------------------------------------------------------------------------------
MAX_WEEKS = 104  # two years of weeks is what a chart can show; earlier ones: pick a period
PHONE_CAL_WEEKS = 26  # the phone's calendar runs down the screen, a week a row: the last half-year
# weeks on an axis by the day they start ("9 Mar"), read across: not ISO week codes turned on end
WEEK_X = dict(field="week_start", type="ordinal", timeUnit="utcyearmonthdate", title="week starting",
              axis=alt.Axis(format="%-d %b", labelAngle=0, labelOverlap=True))
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
EQ_COLORS = alt.Scale(domain=["empty queue", "worked", "nothing logged"], range=["#b03a2e", "#5b9c83", "#ececec"])


def _spec(chart) -> dict:
    # what st.altair_chart does on every run (building and checking the Vega-Lite spec: most of the
    # page's time), done once per state of the logbook and filter; st.vega_lite_chart then sends it
    return _to_vega_lite(chart)


@st.cache_resource(show_spinner=False, max_entries=64)  # resource: specs are never changed, only read
def _charts(path: str, head: tuple[int, str], date_from, date_to, platform, project, today) -> dict:
    """The page's charts (Vega-Lite specs, or None when there is nothing to draw) and its table,
    for one filter: a page change or a rerun without a write only sends them again."""
    m = _shared.figures(path, head, date_from, date_to, platform, project, today)
    frames = _shared.frames_at(path, head)
    s = frames.settings
    home, tz = s.home_currency, s.timezone
    out: dict = {"all_weeks": 0, "weeks": None, "unpaid": None, "cal_wide": None, "cal_phone": None,
                 "cal_cut": False, "eq_any": False, "rates": None, "table": None}
    all_weeks = appsupport.chart_weeks(m.get("by_week") or [], today)
    out["all_weeks"] = len(all_weeks)
    shown_weeks = all_weeks[-MAX_WEEKS:]
    weeks = pd.DataFrame(shown_weeks)
    if len(weeks) and (pd.to_numeric(weeks["hours_worked"], errors="coerce").fillna(0) > 0).any():
        w = weeks[["week", "week_start"]].copy()
        w["Effective hourly wage"] = pd.to_numeric(weeks["effective_hourly_wage"], errors="coerce")
        w["Paid hourly rate"] = pd.to_numeric(weeks["paid_hourly_rate"], errors="coerce")
        long = w.melt(["week", "week_start"], var_name="figure", value_name=home)
        ref_home = m.get("reference_wage")  # metrics gives it in the home currency
        ref_name = f"{s.reference_label or 'reference wage'} (reference)"
        names = ["Effective hourly wage", "Paid hourly rate"] + ([ref_name] if ref_home is not None else [])
        # one colour scale for the lines and the reference, so the reference has its legend entry
        colors = alt.Scale(domain=names, range=["#1f77b4", "#e8912d", "#b03a2e"][:len(names)])
        legend = alt.Legend(orient="bottom", title=None, labelLimit=320, columns=1)  # one a line: fits a phone
        money_y = alt.Axis(format=",.2f")
        chart = alt.Chart(long).mark_line(point=True).encode(
            x=alt.X(**WEEK_X), y=alt.Y(f"{home}:Q", title=f"{home} per hour", axis=money_y),
            color=alt.Color("figure:N", scale=colors, legend=legend),
            tooltip=[alt.Tooltip("week_start:T", title="week starting", format="%-d %b %Y", timeUnit="utcyearmonthdate"),
                     "figure", alt.Tooltip(f"{home}:Q", format=",.2f")])
        if ref_home is not None:
            rule = alt.Chart(pd.DataFrame({"y": [float(ref_home)], "figure": [ref_name]})).mark_rule(
                strokeDash=[6, 4], size=2).encode(y=alt.Y("y:Q", axis=money_y),
                                                  color=alt.Color("figure:N", scale=colors, legend=legend),
                                                  tooltip=["figure", alt.Tooltip("y:Q", format=",.2f")])
            chart = chart + rule
        out["weeks"] = _spec(chart)
        rows = []
        for r in shown_weeks:
            for k, h in (r.get("unpaid_hours_by_kind") or {}).items():
                if h:
                    rows.append({"week": r["week"], "week_start": r["week_start"], "why unpaid": k, "hours": h})
        if rows:
            out["unpaid"] = _spec(alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
                x=alt.X(**WEEK_X), y=alt.Y("sum(hours):Q", title="unpaid hours", axis=alt.Axis(format=",.1~f")),
                color=alt.Color("why unpaid:N", sort=list(UNPAID_KEYS),
                                legend=alt.Legend(orient="bottom", title=None, columns=3)),  # wraps on a phone
                order=alt.Order("why unpaid:N"), tooltip=["week", "why unpaid", alt.Tooltip("hours:Q", format=".2f")]))

    eqd = appsupport.eq_days(frames.eq, date_from, date_to, today, platform)
    out["eq_any"] = bool(len(eqd))
    prep = _shared.prepared(path, head)
    worked = prep.day if platform is None else prep.day[prep.plat == (prep.platform_names.index(platform)
                                                                      if platform in prep.platform_names else -2)]
    cal = appsupport.calendar(eqd, (dt.date.fromordinal(int(o)) for o in np.unique(worked)), date_from, date_to, today)
    if len(cal) and (cal["state"] != "nothing logged").any():
        color = alt.Color("state:N", scale=EQ_COLORS, legend=alt.Legend(title=None))
        # a wide screen: a week a column, like a year planner (a bottom legend would collapse its height)
        out["cal_wide"] = _spec(alt.Chart(cal).mark_rect(stroke="white", strokeWidth=1.5).encode(
            x=alt.X(**{**WEEK_X, "field": "week"}), y=alt.Y("weekday:O", sort=WEEKDAYS, title=None), color=color,
            tooltip=["date", "state"]).properties(height=alt.Step(18)))
        # a phone: a week a row, Monday to Sunday across the screen, cells wide enough to tap; at most
        # PHONE_CAL_WEEKS rows, up to the last week with anything logged (not months of blank rows)
        last = cal.loc[cal["state"] != "nothing logged", "week"].max()
        weeks_in = sorted(w for w in cal["week"].unique() if w <= last)[-PHONE_CAL_WEEKS:]
        out["cal_cut"] = len(weeks_in) < cal["week"].nunique() and dt.date.fromisoformat(weeks_in[-1])
        phone = cal[cal["week"].isin(weeks_in)]
        out["cal_phone"] = _spec(alt.Chart(phone).mark_rect(stroke="white", strokeWidth=2).encode(
            x=alt.X("weekday:O", sort=WEEKDAYS, title=None, axis=alt.Axis(orient="top", labelAngle=0)),
            y=alt.Y("week:O", timeUnit="utcyearmonthdate", title=None, axis=alt.Axis(format="%-d %b")),
            color=alt.Color("state:N", scale=EQ_COLORS, legend=alt.Legend(orient="bottom", title=None, columns=3)),
            tooltip=["date", "state"]).properties(height=alt.Step(20)))

    rh = appsupport.rate_history(frames.rates, tz, platform, project)
    if len(rh):
        until = dt.datetime.combine(min(date_to or today, today) if date_to else today, dt.time(23, 59))
        drawn = appsupport.extend_steps(rh, until, frames.projects)
        # days, never hours: a rate history within one day is not drawn on an hourly axis
        day_x = alt.X("when:T", title=None, axis=alt.Axis(format="%-d %b %Y", tickCount="day", labelOverlap=True))
        rate_y = alt.Y("rate:Q", title=appsupport.rate_axis_title(rh), axis=alt.Axis(format=",.4~f"))
        base = alt.Chart(drawn).encode(x=day_x, y=rate_y,
                                    color=alt.Color("series:N", legend=alt.Legend(orient="bottom", title=None,
                                                                                   columns=1, labelLimit=320)))
        line = base.mark_line(interpolate="step-after")
        pts = alt.Chart(rh).mark_point(filled=True, size=70).encode(
            x=day_x, y=rate_y, color=alt.Color("series:N", legend=None),
            shape=alt.Shape("change:N", scale=alt.Scale(domain=["first", "raise", "same", "cut"],
                                                         range=["circle", "triangle-up", "circle", "triangle-down"]),
                        legend=alt.Legend(orient="top", title=None, columns=4)),  # beside the series, it ran off a phone
            tooltip=["series", "when:T", "rate_text", "unit", "currency", "change", "change_pct"])
        cuts = alt.Chart(rh[rh["change"] == "cut"]).mark_rule(color="#b03a2e", strokeDash=[2, 2]).encode(x=day_x)
        out["rates"] = _spec(line + pts + cuts)

    bp = pd.DataFrame(m.get("by_project") or [])
    if len(bp):
        out["table"] = appsupport.project_table(bp)
    return out


def _draw(spec: dict) -> None:
    st.vega_lite_chart(dict(spec), width="stretch")


c = _charts(path, head, date_from, date_to, platform, project, today)
st.subheader("Week by week")
if c["all_weeks"] > MAX_WEEKS:
    st.caption(f"The last {MAX_WEEKS} of {c['all_weeks']} weeks; pick a period to see earlier ones.")
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
                       f"(at most {PHONE_CAL_WEEKS} weeks); pick a period to see others.")
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
