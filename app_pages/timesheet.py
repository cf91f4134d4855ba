"""Timesheet: a week at once — rows of project and kind, a column per day, hours in each
cell — filled or corrected in one go and saved all or nothing (taskerlog/timesheet.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, everyday, i18n, timesheet, timeutil, vocab
from taskerlog.i18n import _, ngettext
from taskerlog.model import KINDS

_shared.page_header(_("Timesheet"), _("A week at once: hours per project, kind and day. Type {decimal} or 1:30; a "
                                       "blank cell is no time. Raising a cell adds an entry after that day's other "
                                       "work; lowering it shortens that cell's latest entries. Nothing is saved "
                                       "until every cell is valid.").format(decimal=i18n.number(Decimal("1.5"))))

store = _shared.current_store()
frames = _shared.light_frames()[0]
tz = frames.settings.timezone
now = _shared.now()
today = appsupport.today_in(tz, now)
choices = _shared.project_choices()
labels = {appsupport.choice_label(p): p for p in choices}

picked = st.date_input(_("Week of"), value=today, key="ts_week", **appsupport.PERIOD_RANGE)
monday = timeutil.week_monday(picked or today)
days = timesheet.week_days(monday)
day_cols = [_shared.when(d, "EEE dd") for d in days]
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
st.caption(_("Week {first} – {last}, days in {zone}. Add a row with + under the grid; delete a row to remove its "
             "entries for this week.").format(first=_shared.when(monday, "dd MMM"),
                                              last=_shared.when(days[-1], "dd MMM y"), zone=tz))

g = _shared.form_suffix("timesheet")
with st.form("timesheet" + g, border=False):
    edited = st.data_editor(
        table, key=f"ts_grid{g}", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "project": st.column_config.SelectboxColumn(_("Project"), options=sorted(labels), required=True,
                                                        width="medium"),
            "kind": st.column_config.SelectboxColumn(_("Kind"), options=list(KINDS), required=True, default="tasking",
                                                     format_func=vocab.shown),
            **{c: st.column_config.TextColumn(c, width="small", help=_("hours: {decimal} or 1:30").format(
                decimal=i18n.number(Decimal("1.5")))) for c in day_cols},
        })
    save = st.form_submit_button(_("Save the week"), type="primary")

if save:
    wanted: dict = {}
    problems: list[str] = []
    for n, r in enumerate(edited.to_dict("records"), start=1):
        if not r.get("project") or r["project"] not in labels:
            if any(appsupport.blank(r.get(c)) is not None for c in day_cols):
                problems.append(_("row {n}: choose its project").format(n=n))
            continue
        platform, project = labels[r["project"]]
        row = (platform, project, r.get("kind") or "tasking")
        if row in wanted:
            problems.append(_("row {n}: {project} ({kind}) is in the grid twice; put its hours in one row").format(
                n=n, project=r["project"], kind=vocab.shown(row[2])))
            continue
        mins = []
        for c in day_cols:
            try:
                mins.append(timesheet.minutes(r.get(c)))
            except ValueError as exc:
                problems.append(_("row {n}, {day}: {problem}").format(n=n, day=c, problem=exc))
                mins.append(0)
        wanted[row] = mins
    plan = timesheet.plan(by, busy, wanted, monday, tz, now) if not problems else None
    problems += plan.problems if plan else []
    if problems:
        st.error(_("Nothing was saved:") + "\n\n" + "\n".join(f"- {appsupport.literal(p)}" for p in problems))
    elif plan.empty():
        st.info(_("The grid is as the logbook already has it: nothing to save."))
    else:
        _shared.write(lambda: timesheet.apply(store, plan, _shared.SOURCE),
                      ngettext("Week of {week} saved: {n} entry added, {shortened} shortened, {deleted} deleted.",
                               "Week of {week} saved: {n} entries added, {shortened} shortened, {deleted} deleted.",
                               len(plan.add)).format(week=_shared.when(monday, "dd MMM"), n=len(plan.add),
                                                     shortened=len(plan.shorten), deleted=len(plan.delete)),
                      form="timesheet")
