"""Entries: find, fix and delete work entries — every change goes through the journal."""

from __future__ import annotations


import pandas as pd
import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, everyday, i18n, money, render, timeutil, usecases, vocab
from taskerlog.i18n import _, ngettext, pgettext
from taskerlog.model import KINDS, STATUSES
from taskerlog.store import activity

def _table(rows: list[dict], home: str) -> pd.DataFrame:
    """The entries as a worker reads them, headed in the worker's language; the pay column is the
    command line's (render.entry_pay). Times as 2026-03-05 09:00: they sort as text, and read the
    same in every language."""
    local = lambda e: None if e is None else timeutil.to_local(e, tz).strftime("%Y-%m-%d %H:%M")  # noqa: E731
    never = pgettext("an entry never edited", "no")
    columns = ["id", _("start"), _("end"), "h:mm", _("platform"), _("project"), _("kind"), _("status"),
               _("pay {currency}").format(currency=home), _("pay from"), _("recorded pay"), _("recorded"),
               _("edited"), _("units"), _("note"), _("source")]
    return pd.DataFrame([dict(zip(columns, (
        r["id"], local(r["start_epoch"]), local(r["end_epoch"]),
        render.hm(r["end_epoch"] - r["start_epoch"]),  # a 1-minute HIT is 0:01, not 0.02
        r["platform"], r["project"], vocab.shown(r["kind"]), vocab.shown(r["status"]),
        render.entry_pay(r), vocab.shown(r["pay_from"]),
        "" if r["pay"] is None else f"{render.amount(r['pay'])} {r['currency'] or ''}".strip(),
        local(r["recorded_epoch"]), local(r["edited_epoch"]) or never,
        r["units"], r["note"], r["source"]))) for r in rows], columns=columns)


_shared.page_header(_("Entries"), _("Find an entry, fix it or delete it. The logbook keeps every version: "
                                   "“recorded” is when an entry was first written, “edited” when it last changed."))
store = _shared.current_store()
frames = _shared.current_frames()
tz, home = frames.settings.timezone, frames.settings.home_currency
today = appsupport.today_in(tz, _shared.now())

any_name = lambda v: _("(any)") if v is None else v  # noqa: E731
any_word = lambda v: _("(any)") if v is None else vocab.shown(v)  # noqa: E731
with st.expander(_("Find by date, project, kind, status or text")):
    c1, c2, c3 = st.columns(3)
    since = c1.date_input(_("From"), value=None, key="ent_from", **appsupport.PERIOD_RANGE)
    until = c2.date_input(_("To"), value=None, key="ent_to", **appsupport.PERIOD_RANGE)
    text = c3.text_input(_("Note or task id contains"), key="ent_text")
    c4, c5, c6, c7 = st.columns(4)
    plats = appsupport.names(frames.work["platform"])
    platform = c4.selectbox(_("Platform"), [None, *plats], key="ent_platform", format_func=any_name)
    projs = appsupport.names(frames.work["project"])
    project = c5.selectbox(_("Project"), [None, *projs], key="ent_project", format_func=any_name)
    kind = c6.selectbox(_("Kind"), [None, *KINDS], key="ent_kind", format_func=any_word)
    status = c7.selectbox(_("Status"), [None, *STATUSES], key="ent_status", format_func=any_word)

LIMIT = 500
found = usecases.list_entries(frames, usecases.EntryQuery(  # `taskerlog entries`' rows and pay
    date_from=since, date_to=until, platform=platform, project=project, kind=kind, status=status, text=text,
    last=LIMIT),
    prepared=_shared.prepared(str(_shared.db_path()), _shared.head()))[::-1]  # newest first; pay from the cache
table = _table(found, home)
st.caption(ngettext("{n} entry shown (newest first, at most {limit}) of {total} in the logbook. Tick a row to fix "
                    "or delete it.",
                    "{n} entries shown (newest first, at most {limit}) of {total} in the logbook. Tick a row to fix "
                    "or delete it.", len(table)).format(
    n=i18n.number(len(table)), limit=i18n.number(LIMIT), total=i18n.number(len(frames.work))))
picked = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun",
                      selection_mode="single-row", key="ent_table" + _shared.form_suffix("ent_table"),
                      column_config={"id": st.column_config.NumberColumn("#", width="small")})

rows = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
entry_id = int(table.iloc[rows[0]]["id"]) if rows else None
if entry_id is None and len(table):
    entry_id = st.number_input(_("…or type an entry number to fix"), min_value=1, step=1, value=None,
                               key="ent_id" + _shared.form_suffix("ent_table"))
if entry_id is None:
    st.stop()

row = frames.work[frames.work["id"] == entry_id]
if not len(row):
    st.warning(_("There is no entry #{id}.").format(id=entry_id))
    st.stop()
r = row.iloc[0]
local = lambda e: timeutil.to_local(int(e), tz)  # noqa: E731
when = lambda e: f"{i18n.date(local(e).date())} {local(e):%H:%M}"  # noqa: E731
st.subheader(_("Entry #{id}").format(id=entry_id))
if appsupport.missing(r["edited_at"]):
    st.caption(_("recorded {when} from {source} · never edited").format(
        when=when(r["recorded_at"]), source=appsupport.literal(r["source"])))
else:
    st.caption(_("recorded {when} from {source} · last edited {edited}").format(
        when=when(r["recorded_at"]), source=appsupport.literal(r["source"]), edited=when(r["edited_at"])))

evidence = appsupport.activity_note(activity.spans(store, int(r["start"]), int(r["end"])), int(r["start"]),
                                    int(r["end"]))
if evidence:  # ActivityWatch spans in this entry's time: shown beside it, never counted as hours
    st.info(appsupport.literal(evidence))

choices = _shared.project_choices()
cur_pair = (r["platform"], None if appsupport.missing(r["project"]) else r["project"])
if cur_pair not in choices:
    choices.append(cur_pair)
blank_s = lambda v: "" if appsupport.missing(v) else str(v)  # noqa: E731

with st.form(f"edit_{entry_id}"):
    pair = st.selectbox(_("Project"), choices, index=choices.index(cur_pair), format_func=appsupport.choice_label,
                        key=f"ed_project_{entry_id}")
    c1, c2 = st.columns(2)
    kind = c1.selectbox(_("Kind"), KINDS, index=KINDS.index(r["kind"]), format_func=vocab.shown,
                        key=f"ed_kind_{entry_id}")
    status = c2.selectbox(_("Status"), STATUSES, index=STATUSES.index(r["status"]), key=f"ed_status_{entry_id}",
                          format_func=vocab.shown)
    s0, e0 = local(r["start"]), local(r["end"])
    c3, c4, c5, c6 = st.columns(4)
    sd = c3.date_input(_("Start day"), value=s0.date(), key=f"ed_sd_{entry_id}", **appsupport.DAY_RANGE)
    st_ = c4.time_input(_("Start"), value=s0.time().replace(tzinfo=None), step=60, key=f"ed_st_{entry_id}")
    ed = c5.date_input(_("End day"), value=e0.date(), key=f"ed_ed_{entry_id}", **appsupport.DAY_RANGE)
    et = c6.time_input(_("End"), value=e0.time().replace(tzinfo=None), step=60, key=f"ed_et_{entry_id}")
    c7, c8, c9 = st.columns(3)
    units = c7.text_input(_("Tasks"), value=blank_s(r["units"]), key=f"ed_units_{entry_id}")
    pay = c8.text_input(_("Pay (blank: from the rate)"), key=f"ed_pay_{entry_id}",
                        value="" if appsupport.missing(r["pay_micros"])  # the language's notation, as it is read back
                        else render.local(money.format_micros(int(r["pay_micros"]))))
    currency = c9.text_input(_("Currency of pay"), value=blank_s(r["currency"]), max_chars=3,
                             key=f"ed_currency_{entry_id}")
    ext = st.text_input(_("Task id"), value=blank_s(r["external_id"]), key=f"ed_ext_{entry_id}")
    note = st.text_area(_("Note"), value=blank_s(r["note"]), height=90,  # long notes read and edited whole
                        key=f"ed_note_{entry_id}")
    save = st.form_submit_button(_("Save changes"), type="primary", key=f"ed_save_{entry_id}")

if save:
    def do_save():
        return usecases.edit_entry(store, entry_id, {
            "platform": pair[0], "project": pair[1], "kind": kind, "status": status,
            "start": appsupport.local_instant(sd, st_, tz), "end": appsupport.local_instant(ed, et, tz),
            "units": appsupport.parse_units(units), "pay": everyday.amount_text(pay),  # "12,50" too
            "currency": appsupport.blank(currency), "external_id": appsupport.blank(ext),
            "note": appsupport.blank(note)}, source=_shared.SOURCE, now=_shared.now())
    # the tick goes with the write: the list is re-sorted, and a kept tick could point at another entry
    _shared.write(do_save, _("Entry #{id} saved (the old values stay in the journal).").format(id=entry_id),
                  form="ent_table")

with st.popover(_("Delete this entry…")):
    st.write(_("The entry disappears from your figures; the journal keeps a record that it existed and was deleted."))
    if st.button(_("Yes, delete entry #{id}").format(id=entry_id), type="primary", key=f"del_{entry_id}"):
        _shared.write(lambda: store.delete("work", entry_id, _shared.SOURCE),
                      _("Entry #{id} deleted.").format(id=entry_id),
                      form="ent_table")  # else the tick would move to the next entry, one click from deleting it
