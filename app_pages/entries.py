"""Entries: find, fix and delete work entries — every change goes through the journal."""

from __future__ import annotations


import pandas as pd
import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, money, render, timeutil, usecases
from taskerlog.model import KINDS, STATUSES
from taskerlog.store import activity

def _table(rows: list[dict], home: str) -> pd.DataFrame:
    """The entries as a worker reads them; the pay column is the command line's (render.entry_pay)."""
    local = lambda e: None if e is None else timeutil.to_local(e, tz).strftime("%Y-%m-%d %H:%M")  # noqa: E731
    return pd.DataFrame([{
        "id": r["id"], "start": local(r["start_epoch"]), "end": local(r["end_epoch"]),
        "h:mm": render.hm(r["end_epoch"] - r["start_epoch"]),  # a 1-minute HIT is 0:01, not 0.02
        "platform": r["platform"], "project": r["project"], "kind": r["kind"], "status": r["status"],
        f"pay {home}": render.entry_pay(r), "pay from": r["pay_from"] or "",
        "recorded pay": "" if r["pay"] is None else f"{render.amount(r['pay'])} {r['currency'] or ''}".strip(),
        "recorded": local(r["recorded_epoch"]), "edited": local(r["edited_epoch"]) or "no",
        "units": r["units"], "note": r["note"], "source": r["source"]} for r in rows],
        columns=["id", "start", "end", "h:mm", "platform", "project", "kind", "status", f"pay {home}", "pay from",
                 "recorded pay", "recorded", "edited", "units", "note", "source"])


_shared.page_header("Entries", "Find an entry, fix it or delete it. The logbook keeps every version: "
                               "“recorded” is when an entry was first written, “edited” when it last changed.")
store = _shared.current_store()
frames = _shared.current_frames()
tz, home = frames.settings.timezone, frames.settings.home_currency
today = appsupport.today_in(tz, _shared.now())

with st.expander("Find by date, project, kind, status or text"):
    c1, c2, c3 = st.columns(3)
    since = c1.date_input("From", value=None, key="ent_from", **appsupport.PERIOD_RANGE)
    until = c2.date_input("To", value=None, key="ent_to", **appsupport.PERIOD_RANGE)
    text = c3.text_input("Note or task id contains", key="ent_text")
    c4, c5, c6, c7 = st.columns(4)
    plats = appsupport.names(frames.work["platform"])
    platform = c4.selectbox("Platform", ["(any)", *plats], key="ent_platform")
    projs = appsupport.names(frames.work["project"])
    project = c5.selectbox("Project", ["(any)", *projs], key="ent_project")
    kind = c6.selectbox("Kind", ["(any)", *KINDS], key="ent_kind")
    status = c7.selectbox("Status", ["(any)", *STATUSES], key="ent_status")

any_ = lambda v: None if v == "(any)" else v  # noqa: E731
LIMIT = 500
found = usecases.list_entries(frames, usecases.EntryQuery(  # `taskerlog entries`' rows and pay
    date_from=since, date_to=until, platform=any_(platform), project=any_(project), kind=any_(kind),
    status=any_(status), text=text, last=LIMIT),
    prepared=_shared.prepared(str(_shared.db_path()), _shared.head()))[::-1]  # newest first; pay from the cache
table = _table(found, home)
st.caption(f"{len(table)} entr{'y' if len(table) == 1 else 'ies'} shown (newest first, at most {LIMIT}) "
           f"of {len(frames.work)} in the logbook. Tick a row to fix or delete it.")
picked = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun",
                      selection_mode="single-row", key="ent_table" + _shared.form_suffix("ent_table"),
                      column_config={"id": st.column_config.NumberColumn("#", width="small")})

rows = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
entry_id = int(table.iloc[rows[0]]["id"]) if rows else None
if entry_id is None and len(table):
    entry_id = st.number_input("…or type an entry number to fix", min_value=1, step=1, value=None,
                               key="ent_id" + _shared.form_suffix("ent_table"))
if entry_id is None:
    st.stop()

row = frames.work[frames.work["id"] == entry_id]
if not len(row):
    st.warning(f"There is no entry #{entry_id}.")
    st.stop()
r = row.iloc[0]
local = lambda e: timeutil.to_local(int(e), tz)  # noqa: E731
st.subheader(f"Entry #{entry_id}")
st.caption(f"recorded {local(r['recorded_at']):%Y-%m-%d %H:%M} from {appsupport.literal(r['source'])}"
           + (" · never edited" if appsupport.missing(r["edited_at"])
              else f" · last edited {local(r['edited_at']):%Y-%m-%d %H:%M}"))

evidence = appsupport.activity_note(activity.spans(store, int(r["start"]), int(r["end"])), int(r["start"]),
                                    int(r["end"]))
if evidence:  # ActivityWatch spans in this entry's time: shown beside it, never counted as hours
    st.info(appsupport.literal(evidence))

choices = appsupport.project_choices(frames)
cur_pair = (r["platform"], None if appsupport.missing(r["project"]) else r["project"])
if cur_pair not in choices:
    choices.append(cur_pair)
blank_s = lambda v: "" if appsupport.missing(v) else str(v)  # noqa: E731

with st.form(f"edit_{entry_id}"):
    pair = st.selectbox("Project", choices, index=choices.index(cur_pair), format_func=appsupport.choice_label)
    c1, c2 = st.columns(2)
    kind = c1.selectbox("Kind", KINDS, index=KINDS.index(r["kind"]))
    status = c2.selectbox("Status", STATUSES, index=STATUSES.index(r["status"]), key=f"ed_status_{entry_id}")
    s0, e0 = local(r["start"]), local(r["end"])
    c3, c4, c5, c6 = st.columns(4)
    sd = c3.date_input("Start day", value=s0.date(), **appsupport.DAY_RANGE)
    st_ = c4.time_input("Start", value=s0.time().replace(tzinfo=None), step=60)
    ed = c5.date_input("End day", value=e0.date(), **appsupport.DAY_RANGE)
    et = c6.time_input("End", value=e0.time().replace(tzinfo=None), step=60)
    c7, c8, c9 = st.columns(3)
    units = c7.text_input("Tasks", value=blank_s(r["units"]))
    pay = c8.text_input("Pay (blank: from the rate)",
                        value="" if appsupport.missing(r["pay_micros"]) else money.format_micros(int(r["pay_micros"])))
    currency = c9.text_input("Currency of pay", value=blank_s(r["currency"]), max_chars=3)
    ext = st.text_input("Task id", value=blank_s(r["external_id"]))
    note = st.text_area("Note", value=blank_s(r["note"]), height=90)  # long notes read and edited whole
    save = st.form_submit_button("Save changes", type="primary")

if save:
    def do_save():
        return usecases.edit_entry(store, entry_id, {
            "platform": pair[0], "project": pair[1], "kind": kind, "status": status,
            "start": appsupport.local_instant(sd, st_, tz), "end": appsupport.local_instant(ed, et, tz),
            "units": appsupport.parse_units(units), "pay": appsupport.blank(pay),
            "currency": appsupport.blank(currency), "external_id": appsupport.blank(ext),
            "note": appsupport.blank(note)}, source=_shared.SOURCE, now=_shared.now())
    # the tick goes with the write: the list is re-sorted, and a kept tick could point at another entry
    _shared.write(do_save, f"Entry #{entry_id} saved (the old values stay in the journal).", form="ent_table")

with st.popover("Delete this entry…"):
    st.write("The entry disappears from your figures; the journal keeps a record that it existed and was deleted.")
    if st.button(f"Yes, delete entry #{entry_id}", type="primary", key=f"del_{entry_id}"):
        _shared.write(lambda: store.delete("work", entry_id, _shared.SOURCE), f"Entry #{entry_id} deleted.",
                      form="ent_table")  # else the tick would move to the next entry, one click from deleting it
