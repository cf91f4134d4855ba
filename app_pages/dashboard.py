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
from taskerlog import appsupport, i18n, metrics, render
from taskerlog.i18n import _, ngettext


_shared.page_header(_("Dashboard"))
frames = _shared.current_frames(detail=False)
s = frames.settings
home, tz = s.home_currency, s.timezone
now = _shared.now()
today = appsupport.today_in(tz, now)

# -- filters -------------------------------------------------------------------------------
default = appsupport.default_period(frames.work, tz, today)
period = st.segmented_control(_("Period"), appsupport.PERIODS, default=default, key="dash_period",
                              format_func=appsupport.period_label) or default
custom = None
if period == "Custom":
    custom = st.date_input(_("From – to"), value=(today - dt.timedelta(days=29), today), key="dash_custom", **appsupport.PERIOD_RANGE)
c2, c3 = st.columns(2)
platforms = appsupport.names(frames.projects["platform"], frames.work["platform"])
platform = c2.selectbox(_("Platform"), [None, *platforms], key="dash_platform",
                        format_func=lambda p: _("All platforms") if p is None else p)
projs = appsupport.names(frames.projects[frames.projects["platform"] == platform]["project"] if platform
                         else frames.projects["project"])
project = c3.selectbox(_("Project"), [None, *projs], key="dash_project",
                       format_func=lambda p: _("All projects") if p is None else p)

try:
    date_from, date_to = appsupport.period_bounds(period, today, tuple(custom) if custom else None)
except ValueError as exc:
    st.info(appsupport.literal(str(exc)))
    st.stop()

if len(frames.work) == 0 and len(frames.eq) == 0:
    st.info(_("No work logged yet. Clock in on **Log**, or import your records on **Import / export**; "
              "the figures appear here as soon as there is something to count."))

path, head = str(_shared.db_path()), _shared.head()
try:
    m = _shared.figures(path, head, date_from, date_to, platform, project, today)
except metrics.MetricsError as exc:
    st.error(appsupport.literal(_("The figures cannot be worked out yet: {problem}").format(problem=exc)))
    st.stop()

span = _("all time") if date_from is None else f"{date_from} – {date_to}"
which = platform or _("all platforms")
st.caption(appsupport.literal(f"{span} · {which}{' · ' + project if project else ''} · "
                              + _("figures in {currency}, days in {zone}").format(currency=home, zone=tz)))

# -- headline ------------------------------------------------------------------------------
mm = appsupport.fmt_money
share = appsupport.as_share(m.get("unpaid_share"))


def platform_wide(label: str) -> str:
    """A figure of the whole platform, said so when a project is chosen (payouts, fees, what is owed,
    empty queues and expenses belong to platforms, not projects)."""
    # Translators: a figure's label, e.g. "Paid out (whole platform)"
    return _("{figure} (whole platform)").format(figure=label) if project else label


r1 = st.columns(4)
r1[0].metric(_("Effective hourly wage"), mm(m.get("effective_hourly_wage"), home),
             help=_("earned ÷ every hour worked, paid or not — the headline figure"))
r1[1].metric(_("Paid hourly rate"), mm(m.get("paid_hourly_rate"), home),
             help=_("earned ÷ paid hours: what the platform appears to pay"))
r1[2].metric(_("Net hourly wage"), mm(m.get("net_hourly_wage"), home),
             help=_("(earned − fees − expenses) ÷ hours worked: what the hour left in your pocket; with a project "
                    "chosen, the fees and expenses are its platform's") if project
             else _("(earned − fees − expenses) ÷ hours worked: what the hour left in your pocket"))
r1[3].metric(_("Advertised rate"), mm(m.get("advertised_rate"), home),
             help=_("the project's advertised (or first) rate — shown when one project is selected"),
             delta=None if m.get("advertised_gap") is None else _("gap {amount}").format(
                 amount=mm(m.get('advertised_gap'), home)),
             delta_color="off", delta_arrow="off")  # a gap is bad news: never an up arrow
r2 = st.columns(4)
r2[0].metric(_("Hours worked"), appsupport.fmt_hours(m.get("hours_worked")),
             help=_("paid {paid}, unpaid {unpaid}").format(paid=appsupport.fmt_hours(m.get('hours_paid')),
                                                          unpaid=appsupport.fmt_hours(m.get('hours_unpaid'))))
r2[1].metric(_("Unpaid share"), appsupport.fmt_pct(share, share=True),
             help=_("{hours} of the time worked earned nothing").format(hours=appsupport.fmt_hours(m.get('hours_unpaid'))))
episodes, longest = int(m.get("eq_episodes", 0)), int(m.get("longest_eq_days", 0))
r2[2].metric(platform_wide(_("Empty-queue days")), m.get("eq_days", 0),
             # Translators: {episodes} is "3 episodes", {longest} is "longest 5 days"
             help=_("{episodes}; {longest}").format(
                 episodes=ngettext("{n} episode", "{n} episodes", episodes).format(n=episodes),
                 longest=ngettext("longest {n} day", "longest {n} days", longest).format(n=longest)))
ref = s.reference_wage if m.get("reference_wage") is not None else None
r2[3].metric(_("Weekly shortfall vs reference"), mm(m.get("weekly_shortfall"), home) if ref is not None else "—",
             help=_("what would have brought each week up to {reference} ({wage}/h), added up: minimum-wage law "
                    "measures each week on its own, so a bad week is never offset by a good one").format(
                 reference=appsupport.literal(s.reference_label) if s.reference_label else _("the reference"),
                 wage=f"{s.reference_currency or home} {ref}") if ref is not None
             else _("set a reference wage (a legal minimum or a target) on Settings"))
if ref is not None:
    r2[3].caption(_("{verdict}. Whole period averaged: shortfall {amount}.").format(
        verdict=render.weekly_verdict(m, lambda v: mm(v, home)), amount=mm(m.get('shortfall'), home)))
r3 = st.columns(4)
r3[0].metric(_("Earned"), mm(m.get("earned"), home),
             help=_("of which pending {amount}").format(amount=mm(m.get('pending'), home)))
r3[1].metric(platform_wide(_("Paid out")), mm(m.get("paid_out"), home),
             help=_("fees {amount}").format(amount=mm(m.get('fees'), home)))
r3[2].metric(platform_wide(_("Outstanding (all time)") if date_to is None
                           else _("Outstanding on {day}").format(day=min(date_to, today))),
             mm(m.get("outstanding"), home),
             help=_("earned − paid out, over all time up to the period's end (not this period alone: "
                    "what is owed carries over)"))
if below_zero := render.negative_outstanding_sentence(m.get("outstanding")):
    r3[2].caption(below_zero)
if Decimal(m.get("paid_out_earlier") or 0):
    r3[1].caption(_("Not counted: {amount} paid for work before the logbook began.").format(
        amount=mm(m.get('paid_out_earlier'), home)))
r3[3].metric(platform_wide(_("Expenses")), mm(m.get("expenses"), home))
if project:
    st.caption(_("With a project chosen, hours and earnings are the project's; paid out, fees, outstanding, "
                 "empty-queue days and expenses are its whole platform's (platforms pay, and queues run dry, per "
                 "platform, not per project)."))

# -- charts (built by app_pages/_charts.py, once per state of the logbook and filter) ---------
def _draw(spec: dict) -> None:
    st.vega_lite_chart(dict(spec), width="stretch")


c = _charts.build(path, head, date_from, date_to, platform, project, today, i18n.language())
st.subheader(_("Week by week"))
if c["all_weeks"] > _charts.MAX_WEEKS:
    st.caption(_("The last {shown} of {all} weeks; pick a period to see earlier ones.").format(
        shown=_charts.MAX_WEEKS, all=c['all_weeks']))
if c["weeks"] is not None:
    _draw(c["weeks"])
    st.markdown(_("**Unpaid hours, by what they were**"))
    if c["unpaid"] is not None:
        _draw(c["unpaid"])
    else:
        st.caption(_("No unpaid time in this period."))
else:
    st.caption(_("No weeks with work in this period."))

st.markdown(_("**Empty queue calendar**"))
if c["cal_wide"] is not None:
    # both are sent; the phone's CSS (app_pages/_narrow.py) shows the one that fits the screen
    with st.container(key="eq_calendar_wide"):
        _draw(c["cal_wide"])
    with st.container(key="eq_calendar_phone"):
        if c["cal_cut"]:
            st.caption(_("Up to the week of {day}, the last with anything logged (at most {n} weeks); pick a "
                         "period to see others.").format(day=_shared.when(c['cal_cut'], "d MMM y"),
                                                         n=_charts.PHONE_CAL_WEEKS))
        _draw(c["cal_phone"])
    if c["eq_any"]:
        days = ngettext("{n} empty-queue day", "{n} empty-queue days", m["eq_days"]).format(n=m["eq_days"])
        # Translators: {days_in_episodes} is "12 empty-queue days in 3 episodes", {longest} is
        # "the longest lasted 5 days."
        st.caption(_("{days_in_episodes}; {longest}").format(
            days_in_episodes=ngettext("{days} in {n} episode", "{days} in {n} episodes", m["eq_episodes"]).format(
                days=days, n=m["eq_episodes"]),
            longest=ngettext("the longest lasted {n} day.", "the longest lasted {n} days.",
                             m["longest_eq_days"]).format(n=m["longest_eq_days"])))
else:
    st.caption(_("No empty-queue days in this period."))

st.markdown(_("**Rates over time** (cuts marked ▼)"))
if c["rates"] is not None:
    _draw(c["rates"])
    changes, cuts, raises = (int(m.get(k, 0)) for k in ("rate_changes", "rate_cuts", "rate_raises"))
    # Translators: "4 changes in the period: 3 cuts, 1 raise; largest cut -12.5%." (each count
    # is worded by its own message)
    st.caption(_("{changes}: {cuts}, {raises}; largest cut {percent}.").format(
        changes=ngettext("{n} change in the period", "{n} changes in the period", changes).format(n=changes),
        cuts=ngettext("{n} cut", "{n} cuts", cuts).format(n=cuts),
        raises=ngettext("{n} raise", "{n} raises", raises).format(n=raises),
        percent=appsupport.fmt_pct(m.get('largest_cut_pct'))))
else:
    st.caption(_("No rates recorded."))

st.subheader(_("By project"))
if c["table"] is not None:
    st.dataframe(c["table"], hide_index=True, width="stretch")
else:
    st.caption(_("No project has work in this period."))

if st.toggle(_("Show these figures as JSON (identical to the command line)"), key="dash_json"):
    st.code(appsupport.cli_command(date_from, date_to, platform, project, None), language="bash")
    st.code(json.dumps(m, indent=2, ensure_ascii=False, default=str), language="json")
