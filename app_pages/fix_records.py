"""Fix records: correct or delete a project, rate, payout, expense, empty-queue period or
exchange rate. UI only: listing, checking and saving are ``taskerlog.store.records``
(the same as ``taskerlog record list/edit/delete``); every change is journaled."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _shared
from taskerlog.store import records

KINDS = {"payouts": "Payouts", "expenses": "Expenses", "rates": "Rates", "projects": "Projects",
         "eq": "Empty-queue periods", "fx": "Exchange rates"}

_shared.page_header("Fix records", "A payout typed wrong, a rate that started a day later, an empty queue that "
                                   "ended sooner: pick the record, fix it or delete it. The logbook keeps the old "
                                   "values in its journal. (Work entries are fixed on **Entries**.)")
store = _shared.current_store()
table = st.segmented_control("Kind of record", list(KINDS), format_func=KINDS.get, default="payouts",
                             key="rec_kind") or "payouts"
rows = records.listing(store, table)[::-1]  # newest first: a typo is usually recent
if not rows:
    st.info(f"No {KINDS[table].lower()} yet.")
    st.stop()
fields = list(records.SPECS[table].fields)
frame = pd.DataFrame(rows, columns=["id", *fields])
st.caption(f"{len(rows)} {KINDS[table].lower()}, the newest first. Tick one to fix or delete it.")
st.space("small")  # room for the table's hover toolbar, which otherwise covers this line on a phone
picked = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                      key=f"rec_table_{table}" + _shared.form_suffix("rec_table"), column_config={"id": st.column_config.TextColumn("#", width="small")})
chosen = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
record_id = int(frame.iloc[chosen[0]]["id"]) if chosen else None
if record_id is None:
    record_id = st.number_input("Tick a row above, or type its number", min_value=1, step=1, value=None,
                                key=f"rec_id_{table}" + _shared.form_suffix("rec_table"))
if record_id is None:
    st.stop()
if store.get(table, record_id) is None:
    st.warning(f"There is no {records.SPECS[table].what} #{record_id}.")
    st.stop()

what = records.SPECS[table].what
before = records.shown(store, table, record_id)
st.subheader(f"{what.capitalize()} #{record_id}")
with st.form(f"rec_form_{table}_{record_id}"):
    st.caption("Fields as in the CSV bundle: amounts as plain numbers (12.50), days as 2026-03-05, times as "
               "2026-03-05 09:00 (your logbook's time zone unless an offset is given). Empty a field to clear it.")
    cols = st.columns(2)
    typed = {f: cols[i % 2].text_input(f, value=before[f], key=f"rec_{table}_{record_id}_{f}")
             for i, f in enumerate(fields)}
    save = st.form_submit_button("Save changes", type="primary")
if save:
    changed = {f: v for f, v in typed.items() if v.strip() != before[f]}
    if not changed:
        st.info("Nothing changed.")
    else:
        _shared.write(lambda: records.edit(store, table, record_id, changed, _shared.SOURCE),
                      f"{what.capitalize()} #{record_id} saved (the old values stay in the journal).")

with st.popover(f"Delete this {what}…"):
    st.write(f"The {what} disappears from your figures; the journal keeps a record that it existed and was "
             "deleted.")
    if st.button(f"Yes, delete {what} #{record_id}", type="primary", key=f"rec_del_{table}_{record_id}"):
        _shared.write(lambda: records.delete(store, table, record_id, _shared.SOURCE),
                      f"{what.capitalize()} #{record_id} deleted.", form="rec_table")  # the tick must not slide on
