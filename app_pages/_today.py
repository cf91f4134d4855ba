"""Today and this week at a glance on Log: hours, earned, effective wage and empty-queue days
so far, and the recent entries with **Continue** (the clock again on the same platform,
project and kind) and **Duplicate** (the Past entry form filled from the entry).

The figures are ``taskerlog status``'s (:func:`taskerlog.usecases.glance`): only
this week's and the last fortnight's entries are read, once for both the figures and the
recent entries, so the page stays quick on a big logbook and after a save.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import _clock, _shared
from taskerlog import appsupport, render, timeutil, vocab
from taskerlog.i18n import _

def _hours(h) -> str:
    return "—" if h is None else render.hm(round(float(h) * 3600))


def glance(store, tz: str, home: str, choices: list, clocks: list[dict]) -> None:
    now = _shared.now()
    fig = _shared.glance(appsupport.today_in(tz, now))
    st.subheader(_("Today and this week"))
    if fig["problem"]:
        st.info(_("The figures cannot be worked out yet: {problem}").format(problem=appsupport.literal(fig['problem'])))
    else:
        t, w = fig["today"], fig["week"]
        mm = appsupport.fmt_money
        labels = {"today": (_("Today: effective wage"), _("Today: hours"), _("Today: earned")),
                  "week": (_("This week: effective wage"), _("This week: hours"), _("This week: earned"))}
        for which, row in (("today", t), ("week", w)):
            wage, hours, earned = labels[which]
            cols = st.columns(4)
            cols[0].metric(wage, mm(row["effective_hourly_wage"], home),
                           help=_("earned ÷ every hour worked, paid or not (running clocks not counted yet)"))
            cols[1].metric(hours, _hours(row["hours_worked"]))
            cols[2].metric(earned, mm(row["earned"], home))
            if which == "week":
                cols[3].metric(_("Empty-queue days this week"), str(w.get("eq_days") or 0))
            else:
                cols[3].metric(_("Today: paid hours"), _hours(row["hours_paid"]))
    _recent(store, tz, home, choices, clocks, now)


def _recent(store, tz: str, home: str, choices: list, clocks: list[dict], now: int) -> None:
    today = appsupport.today_in(tz, now)
    rows = _shared.glance(today)["recent"]
    if not rows:
        st.caption(_("No entries in the last two weeks yet: what you log appears here, ready to continue."))
        return
    st.markdown(_("**Recent entries**"))
    for r in reversed(rows):  # newest first
        pair = (r["platform"], r["project"])
        start = timeutil.to_local(r["start_epoch"], tz)
        end = timeutil.to_local(r["end_epoch"], tz)
        line = (f"{_shared.when(start)}–{end:%H:%M} · {render.hm(r['end_epoch'] - r['start_epoch'])} · "
                f"{appsupport.choice_label(pair)} — {vocab.shown(r['kind'])}"
                + (f" · {home} {render.entry_pay(r)}" if r["pay_home"] is not None else "")
                + (f" · {r['note']}" if r["note"] else ""))
        with st.container(border=True, key=f"recent_{r['id']}"):
            text, go, dup = st.columns([6, 2, 2], vertical_alignment="center")
            text.text(line)  # literal: names and notes as typed
            if pair in choices and go.button(
                    _("▶ Continue"), key=f"continue_{r['id']}", width="stretch",
                    help=_("Clock in on the same platform, project and kind (the running clock stops at the same "
                           "moment)") if clocks else _("Clock in on the same platform, project and kind")):
                done = (_("Clocked in on {project} ({kind}); the last clock is saved.") if clocks
                        else _("Clocked in on {project} ({kind})."))
                _shared.write(lambda p=pair, k=r["kind"]: _clock.clock_in(store, p, k, None, switch=True),
                              done.format(project=appsupport.choice_label(pair), kind=vocab.shown(r['kind'])))
            if pair in choices:
                dup.button(_("Duplicate"), key=f"duplicate_{r['id']}", width="stretch", on_click=_duplicate,
                           args=(r, pair, start, end, today), help=_("The Past entry form below, filled from this entry"))


def _duplicate(r: dict, pair: tuple, start: dt.datetime, end: dt.datetime, today: dt.date) -> None:
    """Fill the Past entry form (its current generation's widgets) from an entry: the same
    project, kind, times and note, on today's date; the worker changes what differs and saves."""
    g = _shared.form_suffix("past_entry")
    state = st.session_state
    state[f"past_project{g}"] = pair
    state[f"past_kind{g}"] = r["kind"]
    state[f"past_day{g}"] = today
    state[f"past_from{g}"] = start.time().replace(second=0, microsecond=0, tzinfo=None)
    state[f"past_to{g}"] = end.time().replace(second=0, microsecond=0, tzinfo=None)
    state[f"past_note{g}"] = r["note"] or ""
    state[f"past_units{g}"] = r["units"]
    state["log_tab"] = _("Past entry")  # the tab's label (app_pages/log.py)
    _shared.flash(_("The Past entry form below is filled from that entry: check the day and times, then Save entry."))
