"""Forms used on more than one page (the Log page's quick forms and the full pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, everyday, i18n, render, timeutil, usecases, vocab
from taskerlog.i18n import _
from taskerlog.frames import LogbookFrames
from taskerlog.model import BILLABLE_KINDS, Payout, Rate, received_in
from taskerlog.store import Store


def platforms(frames: LogbookFrames, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    import pandas as pd

    return appsupport.names(frames.projects["platform"], frames.work["platform"], frames.payouts["platform"],
                            pd.Series(list(extra), dtype=object))


@st.fragment
def rate_form(store: Store, frames: LogbookFrames, key: str, today: dt.date) -> None:
    """A new rate for a project, from a local date and time (now by default: from midnight
    would re-price work already logged today). While the rate is typed, the line under it
    says the rate in effect and the change in % (``usecases.rate_preview``, the figures
    ``taskerlog rate`` prints): the amount box sends each keystroke (a short pause after the
    last), so no Enter, Tab or save is needed to see them. Not an ``st.form``, whose widgets
    rerun nothing until it is submitted; a fragment, so each keystroke reruns only this form."""
    from st_keyup import st_keyup

    tz = frames.settings.timezone
    pairs = [(str(a), str(b)) for a, b in zip(frames.projects["platform"], frames.projects["project"])]
    if not pairs:
        st.caption(_("Add a project first."))
        return
    base, key = key, key + _shared.form_suffix(key)
    with st.container(border=True, key=f"{key}_box"):
        pair = st.selectbox(_("Project"), pairs, format_func=appsupport.choice_label, key=f"{key}_project")
        c1, c2 = st.columns(2)
        with c1:
            rate = st_keyup(_("New rate"), placeholder=i18n.number(Decimal("20.00")), key=f"{key}_value", debounce=250)
        # Translators: a rate is "per" an hour or a task
        # per task for a project paid per task: an hour rate there would price nothing; a chooser of
        # its own for each project, so picking another project gives that project's unit
        units = ["hour", "task"]
        unit = c2.selectbox(_("Per"), units, index=units.index(appsupport.project_unit(frames, *pair)),
                            key=f"{key}_unit_{pair[0]}_{pair[1]}", format_func=vocab.shown)
        line = st.empty()  # right under the amount, where the worker is looking; filled below
        c3, c4 = st.columns(2)
        day = c3.date_input(_("From"), value=today, key=f"{key}_day", **appsupport.DAY_RANGE)
        # from now by default: from midnight would re-price work already logged today
        now_local = timeutil.to_local(_shared.now(), tz).time().replace(second=0, microsecond=0, tzinfo=None)
        at = c4.time_input(_("At"), value=now_local, key=f"{key}_time", step=60)
        applies = st.multiselect(_("Applies to (blank: all paid kinds)"), list(BILLABLE_KINDS), key=f"{key}_applies",
                                 format_func=vocab.shown, placeholder=_("all paid kinds"),
                                 select_all=False)  # blank is all; Streamlit's "Select all" is English
        currency = appsupport.project_currency(frames, *pair)
        # the project's rates as rows: a small SQL read, quicker than any cached frame after a save
        preview = usecases.rate_preview(usecases.project_rates(store, *pair), pair[0], pair[1], unit, tuple(applies) or None,
                                        appsupport.local_instant(day, at, tz), rate, currency)
        line.text(preview.text())  # literal: the typed text may be anything
        note = st.text_input(_("Note"), key=f"{key}_note", placeholder=_("cut announced in the project chat"))
        go = st.button(_("Save rate"), type="primary", key=f"{key}_save")
    if go:
        typed = everyday.amount_text(rate) or ""  # "12,50" too

        def save():
            r = Rate(platform=pair[0], project=pair[1], effective_at=appsupport.local_instant(day, at, tz), rate=typed,
                     unit=unit, currency=currency, applies_to=tuple(applies) or None, note=appsupport.blank(note))
            before = usecases.replaced_rate(store, r)
            store.add_rate(r, source=_shared.SOURCE)
            return r.rate, before
        # Translators: {was} is empty or " (was 20.00: -10%)"
        _shared.write(save, lambda got: _("Rate {rate}/{unit} on {project} from {day} {time} saved{was}.").format(
            rate=render.amount(got[0]), unit=vocab.shown(unit), project=pair[1], day=day, time=f"{at:%H:%M}",
            was=render.rate_was(got[1], usecases.rate_change_pct(*got))), form=base)


def payout_form(store: Store, frames: LogbookFrames, key: str, today: dt.date,
                platform_names: list[str] | tuple[str, ...] = ()) -> None:
    """A payout: gross amount, fee, and (optionally) what arrived after conversion."""
    tz, home = frames.settings.timezone, frames.settings.home_currency
    base, key = key, key + _shared.form_suffix(key)
    with st.form(key):
        c1, c2 = st.columns(2)
        plat = c1.selectbox(_("Platform"), platforms(frames, platform_names), index=None, accept_new_options=True,
                            key=f"{key}_platform", placeholder="Outlier, Remotasks…")
        day = c2.date_input(_("Paid on"), value=today, key=f"{key}_day", **appsupport.DAY_RANGE)
        c3, c4, c5 = st.columns(3)
        amount = c3.text_input(_("Amount (before fees)"), key=f"{key}_amount")
        currency = c4.text_input(_("Currency"), value=home, max_chars=3, key=f"{key}_currency")
        fee = c5.text_input(_("Fee"), value="0", key=f"{key}_fee")
        c6, c7, c8 = st.columns(3)
        received = c6.text_input(_("Received (after conversion)"), key=f"{key}_received")
        rcur = c7.text_input(_("Received in"), max_chars=3, key=f"{key}_rcur",
                             help=_("The currency of what arrived. Blank: {currency}, your home currency.").format(
                                 currency=home))
        method = c8.text_input(_("Method"), placeholder="PayPal, M-Pesa…", key=f"{key}_method")
        starts = appsupport.logbook_start(frames.work, tz)
        earlier = st.checkbox(
            _("For work done before this logbook began"), value=starts is None, key=f"{key}_earlier",
            help=(_("A first payout usually pays for work you did before you started logging. Ticked, it is kept "
                    "out of paid out, fees and outstanding (which would otherwise go below zero) and shown as "
                    "paid out for earlier work.") + " "
                  + (_("Your logbook's first entry is on {day}.").format(day=starts) if starts
                     else _("Nothing is logged yet."))))
        go = st.form_submit_button(_("Save payout"), type="primary")
    if go:
        amount, fee, received = (everyday.amount_text(v) for v in (amount, fee, received))  # "12,50" too
        amount = amount or ""

        first = appsupport.logbook_start(frames.work, tz, plat)
        hint = "" if earlier or (first is not None and day >= first) else " " + (
            _("It is dated before any work logged on that platform (first: {day}): if it paid for work done "
              "before this logbook, mark it: Fix records → payouts, for_earlier_work = yes.").format(day=first)
            if first else
            _("It is dated before any work logged on that platform: if it paid for work done before this "
              "logbook, mark it: Fix records → payouts, for_earlier_work = yes."))
        def save() -> int:
            try:  # what arrived is in the home currency unless "Received in" says otherwise, as on the command line
                got_in = received_in(appsupport.blank(received), appsupport.blank(rcur), home)
            except ValueError as exc:
                raise ValueError(_("Received in: {problem}").format(problem=exc)) from None
            return store.add_payout(Payout(
                platform=plat or "", paid_at=appsupport.local_instant(day, dt.time(12), tz), amount=amount,
                currency=currency, fee=fee or "0", received_amount=appsupport.blank(received),
                received_currency=got_in, method=appsupport.blank(method), for_earlier_work=earlier),
                source=_shared.SOURCE)
        def saved(_id) -> str:
            summary = everyday.payout_summary(
                amount, (currency or "").strip().upper(), fee or "0", appsupport.blank(received),
                received_in(appsupport.blank(received), appsupport.blank(rcur), home))
            # Translators: {payout} is e.g. "Payout USD 80.00 − 2.50 fee"
            text = (_("{payout} from {platform} saved (for work done before this logbook).") if earlier
                    else _("{payout} from {platform} saved."))
            return text.format(payout=summary, platform=plat or "?") + hint
        _shared.write(save, saved, form=base)
