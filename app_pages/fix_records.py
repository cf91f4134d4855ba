"""Fix records: correct or delete a project, rate, payout, expense, empty-queue period or
exchange rate. UI only: listing, checking and saving are ``taskerlog.store.records``
(the same as ``taskerlog record list/edit/delete``); every change is journaled."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _shared
from taskerlog.i18n import N_, _, ngettext
from taskerlog.store import records

KINDS = {"payouts": N_("Payouts"), "expenses": N_("Expenses"), "rates": N_("Rates"), "projects": N_("Projects"),
         "eq": N_("Empty-queue periods"), "fx": N_("Exchange rates")}
RECORD = {"payouts": N_("Payout #{id}"), "expenses": N_("Expense #{id}"), "rates": N_("Rate #{id}"),
          "projects": N_("Project #{id}"), "eq": N_("Empty-queue period #{id}"), "fx": N_("Exchange rate #{id}")}
NONE_YET = {"payouts": N_("No payouts yet."), "expenses": N_("No expenses yet."), "rates": N_("No rates yet."),
            "projects": N_("No projects yet."), "eq": N_("No empty-queue periods yet."),
            "fx": N_("No exchange rates yet.")}


def _listed(table: str, n: int) -> str:
    """The line above the list: how many records of the kind, in the worker's language."""
    return {
        "payouts": lambda: ngettext("{n} payout, the newest first. Tick one to fix or delete it.",
                                    "{n} payouts, the newest first. Tick one to fix or delete it.", n),
        "expenses": lambda: ngettext("{n} expense, the newest first. Tick one to fix or delete it.",
                                     "{n} expenses, the newest first. Tick one to fix or delete it.", n),
        "rates": lambda: ngettext("{n} rate, the newest first. Tick one to fix or delete it.",
                                  "{n} rates, the newest first. Tick one to fix or delete it.", n),
        "projects": lambda: ngettext("{n} project, the newest first. Tick one to fix or delete it.",
                                     "{n} projects, the newest first. Tick one to fix or delete it.", n),
        "eq": lambda: ngettext("{n} empty-queue period, the newest first. Tick one to fix or delete it.",
                               "{n} empty-queue periods, the newest first. Tick one to fix or delete it.", n),
        "fx": lambda: ngettext("{n} exchange rate, the newest first. Tick one to fix or delete it.",
                               "{n} exchange rates, the newest first. Tick one to fix or delete it.", n),
    }[table]().format(n=n)

_shared.page_header(_("Fix records"), _("A payout typed wrong, a rate that started a day later, an empty queue that "
                                       "ended sooner: pick the record, fix it or delete it. The logbook keeps the old "
                                       "values in its journal. (Work entries are fixed on **Entries**.)"))
store = _shared.current_store()
table = st.segmented_control(_("Kind of record"), list(KINDS), format_func=lambda t: _(KINDS[t]), default="payouts",
                             key="rec_kind") or "payouts"
rows = records.listing(store, table)[::-1]  # newest first: a typo is usually recent
if not rows:
    st.info(_(NONE_YET[table]))
    st.stop()
fields = list(records.SPECS[table].fields)
frame = pd.DataFrame(rows, columns=["id", *fields])
st.caption(_listed(table, len(rows)))
st.space("small")  # room for the table's hover toolbar, which otherwise covers this line on a phone
picked = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                      key=f"rec_table_{table}" + _shared.form_suffix("rec_table"), column_config={"id": st.column_config.TextColumn("#", width="small")})
chosen = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
record_id = int(frame.iloc[chosen[0]]["id"]) if chosen else None
if record_id is None:
    record_id = st.number_input(_("Tick a row above, or type its number"), min_value=1, step=1, value=None,
                                key=f"rec_id_{table}" + _shared.form_suffix("rec_table"))
if record_id is None:
    st.stop()
record = _(RECORD[table]).format(id=record_id)
if store.get(table, record_id) is None:
    st.warning(_("There is no {record}.").format(record=record))
    st.stop()

before = records.shown(store, table, record_id)
st.subheader(record)
with st.form(f"rec_form_{table}_{record_id}"):
    st.caption(_("Fields as in the CSV bundle: amounts as plain numbers (12.50), days as 2026-03-05, times as "
                 "2026-03-05 09:00 (your logbook's time zone unless an offset is given). Empty a field to clear it."))
    cols = st.columns(2)
    typed = {f: cols[i % 2].text_input(f, value=before[f], key=f"rec_{table}_{record_id}_{f}")
             for i, f in enumerate(fields)}
    save = st.form_submit_button(_("Save changes"), type="primary", key=f"rec_save_{table}_{record_id}")
if save:
    changed = {f: v for f, v in typed.items() if v.strip() != before[f]}
    if not changed:
        st.info(_("Nothing changed."))
    else:
        _shared.write(lambda: records.edit(store, table, record_id, changed, _shared.SOURCE),
                      _("{record} saved (the old values stay in the journal).").format(record=record))

with st.popover(_("Delete {record}…").format(record=record)):
    st.write(_("{record} disappears from your figures; the journal keeps a record that it existed and was "
               "deleted.").format(record=record))
    if st.button(_("Yes, delete {record}").format(record=record), type="primary", key=f"rec_del_{table}_{record_id}"):
        _shared.write(lambda: records.delete(store, table, record_id, _shared.SOURCE),
                      _("{record} deleted.").format(record=record), form="rec_table")  # the tick must not slide on
