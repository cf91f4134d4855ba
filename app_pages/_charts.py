"""The Dashboard's charts and table for one filter, as Vega-Lite specs (and a DataFrame).

Building an Altair chart and turning it into its checked Vega-Lite spec is most of the
Dashboard's time (about 0.3 s of CPU at 10,000 entries); :func:`build` does it once per
state of the logbook (journal head) and filter, so a page change or a rerun without a write
only sends the specs again, and the background warm-up (``_shared.warm_up``) builds the
default filter's after a write, before the worker opens the page.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, i18n, vocab
from taskerlog.i18n import N_, _
from taskerlog.model import UNPAID_KEYS

MAX_WEEKS = 104  # two years of weeks is what a chart can show; earlier ones: pick a period
PHONE_CAL_WEEKS = 26  # the phone's calendar runs down the screen, a week a row: the last half-year
# weeks on an axis by the day they start ("9 Mar"), read across: not ISO week codes turned on end
WEEK_X = dict(field="week_start", type="ordinal", timeUnit="utcyearmonthdate",
              axis=alt.Axis(format="%-d %b", labelAngle=0, labelOverlap=True))  # its title: _week_x()
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
"""``appsupport.calendar``'s weekdays (strftime's ``%a``), Monday first."""
EQ_STATES = {"empty queue": N_("empty queue"), "worked": N_("worked"), "nothing logged": N_("nothing logged")}
EQ_RANGE = ["#b03a2e", "#5b9c83", "#ececec"]
# Translators: how a rate changed, in the rate chart's legend
CHANGES = {"first": N_("first"), "raise": N_("raise"), "same": N_("same"), "cut": N_("cut")}


def _week_x(**more) -> dict:
    return {**WEEK_X, "title": _("week starting"), **more}


def _locale() -> dict:
    """Vega's number and time locale (d3's definitions) for the language in use, from Babel:
    the axes' numbers, month and day names written the local way."""
    from babel import Locale

    loc = Locale.parse(i18n.language())
    sym = loc.number_symbols["latn"]
    days = [loc.days["format"]["wide"][i] for i in (6, 0, 1, 2, 3, 4, 5)]  # d3: Sunday first
    short = [loc.days["format"]["abbreviated"][i] for i in (6, 0, 1, 2, 3, 4, 5)]
    return {"number": {"decimal": sym["decimal"], "thousands": sym["group"], "grouping": [3], "currency": ["", ""]},
            "time": {"dateTime": "%x %X", "date": "%Y-%m-%d", "time": "%H:%M:%S", "periods": ["AM", "PM"],
                     "days": days, "shortDays": short,
                     "months": [loc.months["format"]["wide"][i] for i in range(1, 13)],
                     "shortMonths": [loc.months["format"]["abbreviated"][i] for i in range(1, 13)]}}


def _weekday_names() -> dict[str, str]:
    """strftime's ``Mon`` … ``Sun`` → the language's short day names, Monday first."""
    from babel import Locale

    names = Locale.parse(i18n.language()).days["stand-alone"]["abbreviated"]
    return {en: names[i] for i, en in enumerate(WEEKDAYS)}


def _spec(chart) -> dict:
    # what st.altair_chart does on every run (building and checking the Vega-Lite spec: most of the
    # page's time), done once per state of the logbook and filter with Altair's own public
    # to_dict (data inline); st.vega_lite_chart then sends it. Numbers and dates in the language in use.
    spec = chart.to_dict()
    if i18n.language() != i18n.DEFAULT:
        spec.setdefault("config", {})["locale"] = _locale()
    return spec


@st.cache_resource(show_spinner=False, max_entries=64)  # resource: specs are never changed, only read
def build(path: str, head: tuple[int, str], date_from, date_to, platform, project, today, language: str) -> dict:
    """The page's charts (Vega-Lite specs, or None when there is nothing to draw) and its table,
    for one filter, in ``language`` (their titles, legends and tooltips): a page change or a
    rerun without a write only sends them again."""
    with i18n.using(language):
        return _build(path, head, date_from, date_to, platform, project, today)


def _build(path: str, head: tuple[int, str], date_from, date_to, platform, project, today) -> dict:
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
        wage, paid = _("Effective hourly wage"), _("Paid hourly rate")
        w[wage] = pd.to_numeric(weeks["effective_hourly_wage"], errors="coerce")
        w[paid] = pd.to_numeric(weeks["paid_hourly_rate"], errors="coerce")
        long = w.melt(["week", "week_start"], var_name="figure", value_name=home)
        ref_home = m.get("reference_wage")  # metrics gives it in the home currency
        ref_name = _("{name} (reference)").format(name=s.reference_label or _("reference wage"))
        names = [wage, paid] + ([ref_name] if ref_home is not None else [])
        # one colour scale for the lines and the reference, so the reference has its legend entry
        colors = alt.Scale(domain=names, range=["#1f77b4", "#e8912d", "#b03a2e"][:len(names)])
        legend = alt.Legend(orient="bottom", title=None, labelLimit=320, columns=1)  # one a line: fits a phone
        money_y = alt.Axis(format=",.2f")
        chart = alt.Chart(long).mark_line(point=True).encode(
            x=alt.X(**_week_x()), y=alt.Y(f"{home}:Q", title=_("{currency} per hour").format(currency=home),
                                         axis=money_y),
            color=alt.Color("figure:N", scale=colors, legend=legend),
            tooltip=[alt.Tooltip("week_start:T", title=_("week starting"), format="%-d %b %Y",
                                 timeUnit="utcyearmonthdate"),
                     alt.Tooltip("figure:N", title=_("figure")), alt.Tooltip(f"{home}:Q", format=",.2f")])
        if ref_home is not None:
            rule = alt.Chart(pd.DataFrame({"y": [float(ref_home)], "figure": [ref_name]})).mark_rule(
                strokeDash=[6, 4], size=2).encode(y=alt.Y("y:Q", axis=money_y),
                                                  color=alt.Color("figure:N", scale=colors, legend=legend),
                                                  tooltip=[alt.Tooltip("figure:N", title=_("figure")),
                                                           alt.Tooltip("y:Q", title=home, format=",.2f")])
            chart = chart + rule
        out["weeks"] = _spec(chart)
        rows = []
        for r in shown_weeks:
            for k, h in (r.get("unpaid_hours_by_kind") or {}).items():
                if h:
                    rows.append({"week": r["week"], "week_start": r["week_start"], "why": vocab.shown(k), "hours": h})
        if rows:
            out["unpaid"] = _spec(alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
                x=alt.X(**_week_x()), y=alt.Y("sum(hours):Q", title=_("unpaid hours"), axis=alt.Axis(format=",.1~f")),
                color=alt.Color("why:N", sort=[vocab.shown(k) for k in UNPAID_KEYS],
                                legend=alt.Legend(orient="bottom", title=None, columns=3)),  # wraps on a phone
                order=alt.Order("why:N"),
                tooltip=[alt.Tooltip("week:N", title=_("week")), alt.Tooltip("why:N", title=_("why unpaid")),
                         alt.Tooltip("hours:Q", title=_("hours"), format=".2f")]))

    eqd = appsupport.eq_days(frames.eq, date_from, date_to, today, platform)
    out["eq_any"] = bool(len(eqd))
    prep = _shared.prepared(path, head)
    worked = prep.day if platform is None else prep.day[prep.plat == (prep.platform_names.index(platform)
                                                                      if platform in prep.platform_names else -2)]
    cal = appsupport.calendar(eqd, (dt.date.fromordinal(int(o)) for o in np.unique(worked)), date_from, date_to, today)
    if len(cal) and (cal["state"] != "nothing logged").any():
        last = cal.loc[cal["state"] != "nothing logged", "week"].max()
        day_names = _weekday_names()
        cal = cal.assign(state=[_(EQ_STATES[x]) for x in cal["state"]],
                         weekday=[day_names[x] for x in cal["weekday"]])
        weekdays = list(day_names.values())
        eq_colors = alt.Scale(domain=[_(x) for x in EQ_STATES.values()], range=EQ_RANGE)
        cal_tip = [alt.Tooltip("date:N", title=_("date")), alt.Tooltip("state:N", title=_("state"))]
        color = alt.Color("state:N", scale=eq_colors, legend=alt.Legend(title=None))
        # a wide screen: a week a column, like a year planner (a bottom legend would collapse its height)
        out["cal_wide"] = _spec(alt.Chart(cal).mark_rect(stroke="white", strokeWidth=1.5).encode(
            x=alt.X(**_week_x(field="week")), y=alt.Y("weekday:O", sort=weekdays, title=None), color=color,
            tooltip=cal_tip).properties(height=alt.Step(18)))
        # a phone: a week a row, Monday to Sunday across the screen, cells wide enough to tap; at most
        # PHONE_CAL_WEEKS rows, up to the last week with anything logged (not months of blank rows)
        weeks_in = sorted(w for w in cal["week"].unique() if w <= last)[-PHONE_CAL_WEEKS:]
        out["cal_cut"] = len(weeks_in) < cal["week"].nunique() and dt.date.fromisoformat(weeks_in[-1])
        phone = cal[cal["week"].isin(weeks_in)]
        # a day's name longer than "lun." (Swahili has no short ones: Jumatatu, Jumanne…) stands on end:
        # across, seven of them overlap and Vega drops every other one
        upright = max(len(d) for d in weekdays) > 4
        out["cal_phone"] = _spec(alt.Chart(phone).mark_rect(stroke="white", strokeWidth=2).encode(
            x=alt.X("weekday:O", sort=weekdays, title=None,
                    axis=alt.Axis(orient="top", labelAngle=-90 if upright else 0, labelOverlap=False)),
            y=alt.Y("week:O", timeUnit="utcyearmonthdate", title=None, axis=alt.Axis(format="%-d %b")),
            # one state a line: three across ran off a phone in Swahili ("hakuna kilichorekodiwa")
            color=alt.Color("state:N", scale=eq_colors, legend=alt.Legend(orient="bottom", title=None, columns=1)),
            tooltip=cal_tip).properties(height=alt.Step(20)))

    rh = appsupport.rate_history(frames.rates, tz, platform, project)
    if len(rh):
        rh = rh.assign(unit=[vocab.shown(u) for u in rh["unit"]])
        until = dt.datetime.combine(min(date_to or today, today) if date_to else today, dt.time(23, 59))
        drawn = appsupport.extend_steps(rh, until, frames.projects)
        # days, never hours: a rate history within one day is not drawn on an hourly axis
        day_x = alt.X("when:T", title=None, axis=alt.Axis(format="%-d %b %Y", tickCount="day", labelOverlap=True))
        rate_y = alt.Y("rate:Q", title=appsupport.rate_axis_title(rh), axis=alt.Axis(format=",.4~f"))
        base = alt.Chart(drawn).encode(x=day_x, y=rate_y,
                                    color=alt.Color("series:N", legend=alt.Legend(orient="bottom", title=None,
                                                                                   columns=1, labelLimit=320)))
        line = base.mark_line(interpolate="step-after")
        cut_rows = rh[rh["change"] == "cut"]
        shown = rh.assign(change=[_(CHANGES[x]) for x in rh["change"]])
        pts = alt.Chart(shown).mark_point(filled=True, size=70).encode(
            x=day_x, y=rate_y, color=alt.Color("series:N", legend=None),
            shape=alt.Shape("change:N", scale=alt.Scale(domain=[_(x) for x in CHANGES.values()],
                                                         range=["circle", "triangle-up", "circle", "triangle-down"]),
                        # above the lines (beside them, it ran off a phone); two a line: four ran off a
                        # phone in Swahili ("kupunguzwa")
                        legend=alt.Legend(orient="top", title=None, columns=2)),
            tooltip=[alt.Tooltip("series:N", title=_("project")), alt.Tooltip("when:T", title=_("from")),
                     alt.Tooltip("rate_text:N", title=_("rate")), alt.Tooltip("unit:N", title=_("per")),
                     alt.Tooltip("currency:N", title=_("currency")), alt.Tooltip("change:N", title=_("change")),
                     alt.Tooltip("change_pct:Q", title=_("change %"))])
        cuts = alt.Chart(cut_rows).mark_rule(color="#b03a2e", strokeDash=[2, 2]).encode(x=day_x)
        out["rates"] = _spec(line + pts + cuts)

    bp = pd.DataFrame(m.get("by_project") or [])
    if len(bp):
        out["table"] = appsupport.project_table(bp)
    return out


