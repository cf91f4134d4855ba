"""Timesheet: a week at once — rows of project and kind, a column per day, hours in each
cell — filled or corrected in one go and saved all or nothing (taskerlog/timesheet.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import _clock, _shared
from taskerlog import appsupport, everyday, timesheet, timeutil
from taskerlog.model import KINDS

_shared.page_header("Timesheet", "A week at once: hours per project, kind and day. Type 1.5 or 1:30; a blank cell "
                                 "is no time. Raising a cell adds an entry after that day's other work; lowering "
                                 "it shortens that cell's latest entries. Nothing is saved until every cell is valid.")

store = _shared.current_store()
frames, platform_names = _shared.light_frames()
tz = frames.settings.timezone
now = _shared.now()
today = appsupport.today_in(tz, now)
choices = appsupport.project_choices(frames, platform_names)
labels = {appsupport.choice_label(p): p for p in choices}

picked = st.date_input("Week of", value=today, key="ts_week", **appsupport.PERIOD_RANGE)
monday = timeutil.week_monday(picked or today)
days = timesheet.week_days(monday)
day_cols = [f"{d:%a %d}" for d in days]
week = store.frames(work_start=(timeutil.local_midnight(monday, tz),
                                timeutil.local_midnight(monday + dt.timedelta(days=7), tz)))
by, busy = timesheet.cells(week.work, tz, monday)
have = timesheet.grid(by, monday)


def _hm(m: int) -> str:
    return "" if m == 0 else everyday.fmt_hm(m * 60)


rows = [{"project": appsupport.choice_label((p, proj)), "kind": kind, **{c: _hm(m) for c, m in zip(day_cols, mins)}}
        for (p, proj, kind), mins in have.items()]
for (p, proj, kind) in have:  # a project no longer offered (its platform renamed…) still shows
    labels.setdefault(appsupport.choice_label((p, proj)), (p, proj))
table = pd.DataFrame(rows, columns=["project", "kind", *day_cols])
st.caption(f"Week {monday:%d %b} – {days[-1]:%d %b %Y}, days in {tz}. Add a row with + under the grid; delete a row "
           "to remove its entries for this week.")

g = _shared.form_suffix("timesheet")
with st.form("timesheet" + g, border=False):
    edited = st.data_editor(
        table, key=f"ts_grid{g}", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "project": st.column_config.SelectboxColumn("Project", options=sorted(labels), required=True,
                                                        width="medium"),
            "kind": st.column_config.SelectboxColumn("Kind", options=list(KINDS), required=True, default="tasking"),
            **{c: st.column_config.TextColumn(c, width="small", help="hours: 1.5 or 1:30") for c in day_cols},
        })
    save = st.form_submit_button("Save the week", type="primary")

if save:
    wanted: dict = {}
    problems: list[str] = []
    for n, r in enumerate(edited.to_dict("records"), start=1):
        if not r.get("project") or r["project"] not in labels:
            if any(appsupport.blank(r.get(c)) is not None for c in day_cols):
                problems.append(f"row {n}: choose its project")
            continue
        platform, project = labels[r["project"]]
        row = (platform, project, r.get("kind") or "tasking")
        if row in wanted:
            problems.append(f"row {n}: {r['project']} ({row[2]}) is in the grid twice; put its hours in one row")
            continue
        mins = []
        for c in day_cols:
            try:
                mins.append(timesheet.minutes(r.get(c)))
            except ValueError as exc:
                problems.append(f"row {n}, {c}: {exc}")
                mins.append(0)
        wanted[row] = mins
    plan = timesheet.plan(by, busy, wanted, monday, tz, now) if not problems else None
    problems += plan.problems if plan else []
    if problems:
        st.error("Nothing was saved:\n\n" + "\n".join(f"- {appsupport.literal(p)}" for p in problems))
    elif plan.empty():
        st.info("The grid is as the logbook already has it: nothing to save.")
    else:
        _shared.write(lambda: timesheet.apply(store, plan, _shared.SOURCE),
                      f"Week of {monday:%d %b} saved: {len(plan.add)} entr{'y' if len(plan.add) == 1 else 'ies'} "
                      f"added, {len(plan.shorten)} shortened, {len(plan.delete)} deleted.", form="timesheet")
