"""Projects & rates: the projects worked on, their rates over time, and how they ended."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import _forms, _shared
from taskerlog import appsupport, everyday, i18n, render, usecases, vocab
from taskerlog.i18n import _
from taskerlog.model import END_REASONS, Project, Rate

_shared.page_header(_("Projects & rates"), _("Projects change names, rates and managers often; keep every one."))
store = _shared.current_store()
frames = _shared.current_frames()
tz, home = frames.settings.timezone, frames.settings.home_currency
today = appsupport.today_in(tz, _shared.now())


def _cell(v) -> str:
    """Every cell as text, blank when not recorded (a grid shows None as 'None', and a column of
    numbers and blanks cannot be one type)."""
    if appsupport.missing(v):
        return ""
    return f"{v:+.1f}" if isinstance(v, float) else str(v)  # as the Dashboard shows it


p = frames.projects.copy()
if len(p):
    p["advertised_rate"] = [appsupport.fmt_amount(v, micros=True) for v in p["advertised_rate_micros"]]
    p["pay_model"] = p["pay_model"].map(vocab.shown)
    p["end_reason"] = [None if appsupport.missing(v) else vocab.shown(v) for v in p["end_reason"]]
    st.dataframe(p[["platform", "project", "pay_model", "currency", "advertised_rate", "started_on", "ended_on",
                    "end_reason", "notes"]].rename(columns={
                        "platform": _("platform"), "project": _("project"), "pay_model": _("paid"),
                        "currency": _("currency"), "advertised_rate": _("advertised"), "started_on": _("started"),
                        "ended_on": _("ended"), "end_reason": _("why it ended"), "notes": _("notes")}).map(_cell),
                 hide_index=True, width="stretch")
else:
    st.info(_("No projects yet: add the first one below."))

st.subheader(_("Rate history"))
rh = usecases.rate_history(frames.rates, tz)  # `taskerlog project rates`' rows and words
if rh:
    kinds = lambda text: ", ".join(vocab.shown(k) for k in text.split(";") if k) or _("all paid")  # noqa: E731
    st.dataframe(pd.DataFrame([{
        _("project"): appsupport.choice_label((x["platform"], x["project"])), _("from"): x["when"],
        _("kinds"): kinds(x["applies_to"]), _("rate"): render.amount(x["rate"]),
        _("per"): vocab.shown(x["unit"]), _("currency"): x["currency"],
        _("change"): vocab.shown(x["change"]) if x["change_pct"] is None
        else f"{vocab.shown(x['change'])} {render.signed_percent(x['change_pct'])}",
        _("note"): x["note"] or ""} for x in rh]), hide_index=True, width="stretch")
else:
    st.caption(_("No rates recorded yet."))

t_new, t_rate, t_end = st.tabs([_("New project"), _("New rate"), _("Project ended")], key="proj_tab",
                               on_change="rerun")
with t_new:
    g = _shared.form_suffix("proj_new")
    with st.form("proj_new" + g):
        c1, c2 = st.columns(2)
        plats = _forms.platforms(frames)
        platform = c1.selectbox(_("Platform"), plats, index=None, accept_new_options=True, key=f"pn_platform{g}",
                                placeholder="Outlier, Remotasks, MTurk…")
        name = c2.text_input(_("Project"), key=f"pn_name{g}")
        c3, c4, c5 = st.columns(3)
        pay_model = c3.selectbox(_("Paid"), ["hourly", "per_task"], key=f"pn_model{g}", format_func=vocab.shown)
        currency = c4.text_input(_("Currency"), value=home, max_chars=3, key=f"pn_currency{g}")
        advertised = c5.text_input(_("Advertised rate (optional)"), key=f"pn_adv{g}")
        c6, c7 = st.columns(2)
        started = c6.date_input(_("Started on"), value=today, key=f"pn_started{g}", **appsupport.DAY_RANGE)
        rate = c7.text_input(_("Rate now (optional)"), key=f"pn_rate{g}",
                             help=_("Saved as the first rate, from the start day."))
        notes = st.text_input(_("Notes"), key=f"pn_notes{g}")
        go = st.form_submit_button(_("Add project"), type="primary", key=f"pn_add{g}")
    if go:
        def add():
            pr = Project(platform=platform or "", project=name, pay_model=pay_model, currency=currency,
                         advertised_rate=everyday.amount_text(advertised), started_on=started,  # "12,50" too
                         notes=appsupport.blank(notes))
            with store.transaction():
                store.add_project(pr, source=_shared.SOURCE)
                if appsupport.blank(rate):
                    store.add_rate(Rate(platform=pr.platform, project=pr.project,
                                        effective_at=appsupport.local_instant(started, dt.time(0), tz),
                                        rate=everyday.amount_text(rate),
                                        unit="hour" if pay_model == "hourly" else "task", currency=pr.currency),
                                   source=_shared.SOURCE)
        _shared.write(add, _("Project {project} on {platform} added.").format(project=name, platform=platform),
                      form="proj_new")

pairs = [(str(a), str(b)) for a, b in zip(frames.projects["platform"], frames.projects["project"])]
with t_rate:
    _forms.rate_form(store, frames, "proj_rate", today)

with t_end:
    if not pairs:
        st.caption(_("Add a project first."))
    else:
        with st.form("proj_end"):
            pair = st.selectbox(_("Project"), pairs, format_func=appsupport.choice_label, key="pe_project")
            c1, c2 = st.columns(2)
            ended = c1.date_input(_("Ended on"), value=today, key="pe_day", **appsupport.DAY_RANGE)
            reason = c2.selectbox(_("Why"), END_REASONS, key="pe_reason", format_func=vocab.shown,
                                  help=_("removed: taken off the project (often just 'a quality issue')"))
            go = st.form_submit_button(_("Save"), type="primary", key="pe_save")
        if go:
            def end():
                row = store.project_row(*pair)
                started = row.get("started_on")
                if started and ended < dt.date.fromisoformat(started):
                    raise ValueError(_("ended on {ended} is before the project started ({started})").format(
                        ended=i18n.date(ended), started=i18n.date(dt.date.fromisoformat(started))))
                store.update("projects", row["id"], {"ended_on": ended.isoformat(), "end_reason": reason},
                             _shared.SOURCE)
            _shared.write(end, _("{project} marked {reason} on {day}.").format(
                project=pair[1], reason=vocab.shown(reason), day=i18n.date(ended)))
