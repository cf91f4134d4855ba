"""Log: one-click clock in/out, and quick forms for a past entry, EQ, a rate change, a payout."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import _clock, _forms, _shared, _today
from taskerlog import appsupport, everyday, usecases, vocab
from taskerlog.i18n import _, ngettext
from taskerlog.model import KINDS, STATUSES, EQPeriod, WorkEntry

_shared.page_header(_("Log"), _("Clock in when you start, out when you stop — the clock lives in your logbook, "
                                 "so closing the tab or restarting keeps it running."))

store = _shared.current_store()
frames, platform_names = _shared.light_frames()  # no work entries: logging stays instant
tz = frames.settings.timezone
home = frames.settings.home_currency
now = _shared.now()
today = appsupport.today_in(tz, now)
choices = _shared.project_choices()

# -- running clocks (ticking; stop now or "I stopped at"; the start correctable) ------------
clocks = store.running_clocks()
_clock.running_cards(store, clocks, tz)

# -- clock in ------------------------------------------------------------------------------
st.subheader(_("Switch to") if clocks else _("Clock in"))
if not choices:
    st.info(_("Add your first project on **Projects & rates** (or the Welcome page) to clock in on it."))
else:
    last = st.session_state.get("log_last_choice")
    idx = choices.index(last) if last in choices else 0
    g = _shared.form_suffix("clock_in")
    with st.form("clock_in" + g, border=False):
        pair = st.selectbox(_("Project"), choices, index=idx, format_func=appsupport.choice_label,
                            key=f"clock_project{g}")
        kind = st.pills(_("Doing"), KINDS, default="tasking", key=f"clock_kind{g}", format_func=vocab.shown)
        note = st.text_input(_("Note (optional)"), key=f"clock_note{g}")
        switch = bool(clocks) and st.checkbox(_("Stop the running clock at the same moment"), value=True,
                                              key=f"clock_switch{g}",
                                              help=_("One click between two tasks: the running clock is saved "
                                                     "as an entry ending exactly when the new one starts."))
        go = st.form_submit_button(_("▶ Clock in"), type="primary", width="stretch")
    shown_before = st.session_state.get("log_clocks_shown")  # what the page showed when the button was pressed
    st.session_state["log_clocks_shown"] = tuple(c["id"] for c in clocks)
    if go and shown_before is not None and set(shown_before) != {c["id"] for c in clocks}:
        # another window or the command line started or stopped a clock meanwhile: switching now would
        # stop a clock this worker never saw (or start a second one unawares)
        st.warning(_("A clock was started or stopped elsewhere (another window, or the command line) since this "
                     "page was shown. Look at the running clocks above, then press **Clock in** again."))
        go = False
    if go:
        st.session_state["log_last_choice"] = pair

        done = (_("Switched: the last clock is saved; clocked in on {project} ({kind}).") if switch
                else _("Clocked in on {project} ({kind})."))
        _shared.write(lambda: _clock.clock_in(store, pair, kind or "tasking", appsupport.blank(note), switch),
                      done.format(project=appsupport.choice_label(pair), kind=vocab.shown(kind or "tasking")),
                      form="clock_in")

# -- today and this week, recent entries to continue or duplicate ------------------------------
_today.glance(store, tz, home, choices, clocks)

# -- quick forms ---------------------------------------------------------------------------
st.subheader(_("Add"))
# keyed: after a save (a rerun) the tab the worker was on stays open
t_past, t_eq, t_rate, t_pay = st.tabs([_("Past entry"), _("Empty queue"), _("Rate change"), _("Payout")],
                                      key="log_tab", on_change="rerun")

with t_past:
    if not choices:
        st.caption(_("Add a project first."))
    else:
        g = _shared.form_suffix("past_entry")
        with st.form("past_entry" + g):
            pair = st.selectbox(_("Project"), choices, format_func=appsupport.choice_label, key=f"past_project{g}")
            k, s = st.columns(2)
            kind = k.selectbox(_("Kind"), KINDS, key=f"past_kind{g}", format_func=vocab.shown)
            status = s.selectbox(_("Status"), ["(default)", *STATUSES], key=f"past_status{g}",
                                 format_func=_clock.status_label,
                                 help=_("Default: paid for tasking/review/training or when you enter a pay; "
                                        "unpaid otherwise."))
            d, t1, t2 = st.columns(3)
            d0, s0, e0 = appsupport.hour_just_past(now, tz)  # a default that is always in the past
            day = d.date_input(_("Day"), value=d0, key=f"past_day{g}", **appsupport.DAY_RANGE)
            start = t1.time_input(_("From"), value=s0, key=f"past_from{g}", step=300)
            end = t2.time_input(_("To"), value=e0, key=f"past_to{g}", step=300)
            u, p = st.columns(2)
            # no max_value: the browser would only redden a number past it and leave Save doing
            # nothing, without a word; the entry's own check says what is wrong
            units = u.number_input(_("Tasks (optional)"), min_value=0, step=1, value=None, key=f"past_units{g}")
            pay = p.text_input(_("Pay (optional)"), key=f"past_pay{g}", help=_("Blank: derived from the rate."))
            note = st.text_input(_("Note"), key=f"past_note{g}")
            add = st.form_submit_button(_("Save entry"), type="primary")
        span = None
        if add:
            with _shared.friendly():
                span = appsupport.past_span(day, start, end, tz, _shared.now())
        if span:
            a, b, span_note = span

            amount = everyday.amount_text(pay)  # "12,50" in Spanish, "12.50" in English

            def save_past():
                return store.add_work(WorkEntry(
                    platform=pair[0], project=pair[1], kind=kind, start=a, end=b,
                    units=None if units is None else int(units), pay=amount,
                    currency=appsupport.project_currency(frames, *pair) if amount else None,
                    status=None if status == "(default)" else status, note=appsupport.blank(note)),
                    source=_shared.SOURCE)
            # Translators: {overnight} is empty or " (ending the next day, 2026-03-10)"
            _shared.write(save_past, _("Saved {kind} on {project} {day} {start}-{end}{overnight}.").format(
                kind=vocab.shown(kind), project=appsupport.choice_label(pair), day=day, start=f"{start:%H:%M}",
                end=f"{end:%H:%M}", overnight=span_note), form="past_entry",
                          warn=lambda wid: _clock.unpriced_warning(store, wid))

platforms = _forms.platforms(frames, platform_names)

with t_eq:
    open_eq = [r for r in frames.eq.itertuples(index=False) if r.end_date is None]
    g = _shared.form_suffix("eq_start")
    with st.form("eq_start" + g):
        st.markdown(_("**The queue is empty** (no work available)"))
        c1, c2 = st.columns(2)
        plat = c1.selectbox(_("Platform"), platforms, accept_new_options=True, key=f"eq_platform{g}")
        since = c2.date_input(_("Since"), value=today, key=f"eq_since{g}", **appsupport.DAY_RANGE)
        until = st.date_input(_("Until (leave as is if it is still empty)"), value=None, key=f"eq_until{g}",
                              **appsupport.DAY_RANGE)
        note = st.text_input(_("Note"), key=f"eq_note{g}", placeholder=_("project finished, failed a test…"))
        go = st.form_submit_button(_("Save empty queue"), type="primary")
    if go:
        worked = appsupport.days_with_work(store, plat or "", since, until or today, tz)
        _shared.write(lambda: store.add_eq(appsupport.eq_period_so_far(EQPeriod(
            platform=plat or "", start_date=since, end_date=until, note=appsupport.blank(note)), today),
            source=_shared.SOURCE),
                      _("Empty queue on {platform} from {day} saved.").format(platform=plat, day=since)
                      + (" " + _("You logged work on {platform} on {n} of those days ({days}): if the queue "
                                 "emptied later, edit its first day on Fix records.").format(
                          platform=plat, n=len(worked),
                          days=", ".join(map(str, worked[:3])) + ("…" if len(worked) > 3 else ""))
                         if worked else ""), form="eq_start")
    still_empty = [e for e in usecases.eq_periods(store, today) if e["open"]] if open_eq else []
    if still_empty:  # the periods and days `taskerlog eq list` shows
        st.markdown(_("**Still empty — mark the end**"))
        for r in still_empty:
            rid = r["id"]
            c1, c2 = st.columns([2, 1])
            end_day = c1.date_input(appsupport.literal(ngettext(
                "{platform}: empty since {day} ({n} day so far); work came back on",
                "{platform}: empty since {day} ({n} days so far); work came back on", r["days"]).format(
                platform=r["platform"], day=r["start_date"], n=r["days"])),
                                    value=today, key=f"eq_end_{rid}", **appsupport.DAY_RANGE)
            if c2.button(_("Queue is back"), key=f"eq_close_{rid}"):
                last_empty = end_day - dt.timedelta(days=1)
                _shared.write(lambda rid=rid, d=max(last_empty, dt.date.fromisoformat(r["start_date"])):
                              store.update("eq", rid, {"end_date": d.isoformat()}, _shared.SOURCE),
                              _("Empty queue on {platform} closed.").format(platform=r["platform"]))

with t_rate:
    _forms.rate_form(store, frames, "rate_change", today)

with t_pay:
    _forms.payout_form(store, frames, "payout", today, platform_names)
