"""Projects & rates: the projects worked on, their rates over time, and how they ended."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import _forms, _shared
from taskerlog import appsupport, render, usecases
from taskerlog.model import END_REASONS, Project, Rate

_shared.page_header("Projects & rates", "Projects change names, rates and managers often; keep every one.")
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
    p["pay_model"] = p["pay_model"].map({"hourly": "per hour", "per_task": "per task"})
    st.dataframe(p[["platform", "project", "pay_model", "currency", "advertised_rate", "started_on", "ended_on",
                    "end_reason", "notes"]].rename(columns={
                        "pay_model": "paid", "advertised_rate": "advertised", "started_on": "started",
                        "ended_on": "ended", "end_reason": "why it ended"}).map(_cell),
                 hide_index=True, width="stretch")
else:
    st.info("No projects yet: add the first one below.")

st.subheader("Rate history")
rh = usecases.rate_history(frames.rates, tz)  # `taskerlog project rates`' rows and words
if rh:
    st.dataframe(pd.DataFrame([{
        "project": appsupport.choice_label((x["platform"], x["project"])), "from": x["when"],
        "kinds": x["applies_to"].replace(";", ", ") or "all paid", "rate": render.amount(x["rate"]),
        "per": x["unit"], "currency": x["currency"],
        "change": x["change"] if x["change_pct"] is None else f"{x['change']} {render.signed_percent(x['change_pct'])}",
        "note": x["note"] or ""} for x in rh]), hide_index=True, width="stretch")
else:
    st.caption("No rates recorded yet.")

t_new, t_rate, t_end = st.tabs(["New project", "New rate", "Project ended"], key="proj_tab", on_change="rerun")
with t_new:
    g = _shared.form_suffix("proj_new")
    with st.form("proj_new" + g):
        c1, c2 = st.columns(2)
        plats = _forms.platforms(frames)
        platform = c1.selectbox("Platform", plats, index=None, accept_new_options=True, key=f"pn_platform{g}",
                                placeholder="Outlier, Remotasks, MTurk…")
        name = c2.text_input("Project", key=f"pn_name{g}")
        c3, c4, c5 = st.columns(3)
        pay_model = c3.selectbox("Paid", ["hourly", "per_task"], key=f"pn_model{g}")
        currency = c4.text_input("Currency", value=home, max_chars=3, key=f"pn_currency{g}")
        advertised = c5.text_input("Advertised rate (optional)", key=f"pn_adv{g}")
        c6, c7 = st.columns(2)
        started = c6.date_input("Started on", value=today, key=f"pn_started{g}", **appsupport.DAY_RANGE)
        rate = c7.text_input("Rate now (optional)", key=f"pn_rate{g}", help="Saved as the first rate, from the start day.")
        notes = st.text_input("Notes", key=f"pn_notes{g}")
        go = st.form_submit_button("Add project", type="primary")
    if go:
        def add():
            pr = Project(platform=platform or "", project=name, pay_model=pay_model, currency=currency,
                         advertised_rate=appsupport.blank(advertised), started_on=started,
                         notes=appsupport.blank(notes))
            with store.transaction():
                store.add_project(pr, source=_shared.SOURCE)
                if appsupport.blank(rate):
                    store.add_rate(Rate(platform=pr.platform, project=pr.project,
                                        effective_at=appsupport.local_instant(started, dt.time(0), tz), rate=rate,
                                        unit="hour" if pay_model == "hourly" else "task", currency=pr.currency),
                                   source=_shared.SOURCE)
        _shared.write(add, f"Project {name} on {platform} added.", form="proj_new")

pairs = [(str(a), str(b)) for a, b in zip(frames.projects["platform"], frames.projects["project"])]
with t_rate:
    _forms.rate_form(store, frames, "proj_rate", today)

with t_end:
    if not pairs:
        st.caption("Add a project first.")
    else:
        with st.form("proj_end"):
            pair = st.selectbox("Project", pairs, format_func=appsupport.choice_label, key="pe_project")
            c1, c2 = st.columns(2)
            ended = c1.date_input("Ended on", value=today, key="pe_day", **appsupport.DAY_RANGE)
            reason = c2.selectbox("Why", END_REASONS, key="pe_reason",
                                  help="removed: taken off the project (often just 'a quality issue')")
            go = st.form_submit_button("Save", type="primary")
        if go:
            def end():
                row = store.project_row(*pair)
                started = row.get("started_on")
                if started and ended < dt.date.fromisoformat(started):
                    raise ValueError(f"ended on {ended} is before the project started ({started})")
                store.update("projects", row["id"], {"ended_on": ended.isoformat(), "end_reason": reason},
                             _shared.SOURCE)
            _shared.write(end, f"{pair[1]} marked {reason} on {ended}.")
