"""Evidence for a wage claim: the report (PDF + CSV + manifest zip), anchors, attachments.

UI only: everything is done by :mod:`taskerlog.evidence` (the same calls as
``taskerlog evidence``, ``anchor`` and ``attach``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, i18n, timeutil
from taskerlog.i18n import N_, _, ngettext
from taskerlog.evidence import anchors, attachments, report, save_statement, saved_statement, wages

_shared.page_header(
    _("Evidence for a wage claim"),
    _("A report a lawyer, a labour inspector or your union can read and check: a PDF, your entries as "
      "CSV, and a manifest with the SHA-256 of every file, in one zip."))
store = _shared.current_store()
frames = _shared.current_frames()
s = frames.settings
now = _shared.now()
today = appsupport.today_in(s.timezone, now)

# -- the report -------------------------------------------------------------------------------
st.subheader(_("Make the report"))
starts = [timeutil.to_local(int(x), s.timezone).date() for x in frames.work["start"]] if len(frames.work) else []
first = min(starts) if starts else today - dt.timedelta(days=29)
last = max([*starts, today])  # to today: what is owed is stated as of the day the report is made
span = st.date_input(_("Period (first and last day)"), value=(first, last), key="ev_period", **appsupport.PERIOD_RANGE)
if not isinstance(span, (tuple, list)) or len(span) != 2:
    st.info(_("Choose the first and the last day of the period."))
    st.stop()
date_from, date_to = span

table = wages.load_table()
places = {w.key: w.place for w in table}
choices = [N_("A legal minimum wage"), N_("My own reference wage (from settings)"), N_("Another hourly figure"),
           N_("None")]  # English keys, shown in the worker's language
default_choice = 1 if s.reference_wage is not None else 0
how = st.radio(_("Measure the pay against"), choices, index=default_choice, key="ev_ref_how", horizontal=True,
               format_func=_)
minimum = ref_wage = ref_cur = None
if how == choices[0]:
    options = sorted(places)
    guess = wages.key_for_zone(s.timezone, options)  # the worker's own country first (Nairobi: Kenya)
    minimum = st.selectbox(_("Which minimum"), options, index=options.index(guess) if guess else 0,
                           format_func=lambda k: f"{places[k]} ({k})", key="ev_minimum")
    try:
        w = wages.minimum_wage(minimum, date_to, table)
        st.caption(appsupport.literal(_("{wage}. Source: {source}. {notes} Check the figure in force with the "
                                        "source: minimum wages change.").format(wage=w.explain(), source=w.source,
                                                                              notes=w.notes)))
    except wages.ReferenceError_ as exc:
        st.warning(appsupport.literal(str(exc)))
elif how == choices[1] and s.reference_wage is None:
    st.info(_("No reference wage is set in Settings; choose another option."))
elif how == choices[2]:
    c1, c2 = st.columns(2)
    ref_wage = c1.text_input(_("Hourly wage"), key="ev_ref_wage", placeholder="15.00")
    ref_cur = c2.text_input(_("Currency"), value=s.home_currency, key="ev_ref_cur")

statement = st.text_area(_("Your statement: who you are, where you work from, for which platforms, what happened"),
                         value=saved_statement(store) or "", height=160, key="ev_statement")
keep = st.checkbox(_("Save this statement for later reports"), key="ev_keep_statement")
kept = st.text_area(_("Anchor lines you kept elsewhere (optional; one per line)"), key="ev_anchor_texts", height=80)
# the report is in the logbook's language; an inspector may need it in English as well
english_too = i18n.supported(i18n.language()) != i18n.DEFAULT and st.checkbox(
    _("Add an English copy of the report after it, for an inspector who reads English"), key="ev_english_too")

if st.button(_("Make the evidence report"), type="primary", key="ev_make"):
    with _shared.friendly():
        ref = None
        if how == choices[0]:
            ref = wages.choose_reference(s, minimum=minimum, date_from=date_from, date_to=date_to)
        elif how == choices[1]:
            ref = wages.choose_reference(s, date_from=date_from, date_to=date_to)
        elif how == choices[2]:
            ref = wages.choose_reference(s, reference_wage=(ref_wage or "").strip() or None,
                                         reference_currency=ref_cur, date_from=date_from, date_to=date_to)
            if ref is None or ref.origin != "given for this report":
                raise ValueError(_("write the hourly wage to measure against, e.g. 15.00"))
        claims = anchors.parse_claims(kept) if kept.strip() else []
        if keep and statement.strip():
            save_statement(store, statement, source=_shared.SOURCE)
        data, manifest, ev = report.make_report(store, date_from=date_from, date_to=date_to, reference=ref,
                                                now=now, statement=statement, anchor_claims=claims,
                                                english_too=english_too)
        st.session_state["ev_result"] = (data, manifest, ev.verify_ok, ev.verify_problems, len(ev.entries),
                                         f"evidence-{date_from}-to-{date_to}.zip")

got = st.session_state.get("ev_result")
if got:
    data, manifest, ok, problems, n, name = got
    st.success(ngettext("The report is ready: {n} work entry; the zip holds {files} files and the manifest of "
                        "their hashes.",
                        "The report is ready: {n} work entries; the zip holds {files} files and the manifest of "
                        "their hashes.", n).format(n=n, files=len(manifest["files"])))
    if not ok:
        st.error(_("The journal check FAILED; the report says so: {problem}").format(
            problem=appsupport.literal(problems[0])))
    st.download_button(_("Download the zip"), data=data, file_name=name, mime="application/zip", key="ev_download")
    st.dataframe([{_("file"): f["name"], "sha256": f["sha256"], _("bytes"): i18n.number(f["bytes"])}
                  for f in manifest["files"]], hide_index=True)

# -- anchors ----------------------------------------------------------------------------------
st.subheader(_("Anchor your records"))
st.write(_("An anchor is a short line naming the current state of your whole logbook. Email it to someone you "
           "trust, print it or write it down: later, anyone can check that nothing recorded before it was changed. "
           "Its count is of the changes in your journal (every entry, edit, payout... recorded), not of work "
           "entries."))
if st.button(_("Anchor the journal now"), key="ev_anchor"):
    with _shared.friendly():
        a, line = anchors.make_anchor(store, now, note="from the app")  # the journal's note: stays English
        st.session_state["ev_anchor_line"] = f"{line}\n" + _("full hash: {hash}").format(hash=a.hash)
if st.session_state.get("ev_anchor_line"):
    st.code(st.session_state["ev_anchor_line"], language=None)
past = anchors.recorded_anchors(store)
if past:
    latest = anchors.anchor_line(past[-1].seq, past[-1].hash,
                                 timeutil.to_local(past[-1].recorded_at, s.timezone).date())
    st.caption(appsupport.literal(ngettext("{n} anchor recorded; the latest: {line}",
                                           "{n} anchors recorded; the latest: {line}", len(past)).format(
        n=len(past), line=latest)))

# -- attachments ------------------------------------------------------------------------------
st.subheader(_("Attach a screenshot, email or message"))
up = _shared.file_uploader(_("File"), key="ev_upload")
c1, c2 = st.columns(2)
entry = c1.number_input(_("Work entry number (0: none)"), min_value=0, step=1, key="ev_entry")
note = c2.text_input(_("What it shows"), key="ev_note", placeholder=_("rate cut announcement in Slack"))
if st.button(_("Attach"), key="ev_attach", disabled=up is None):
    with _shared.friendly():
        with tempfile.TemporaryDirectory() as d:
            p = appsupport.save_upload(Path(d), up.name, up.getvalue())
            res = attachments.attach(store, p, entry=int(entry) or None, note=note or None)
        said = (_("Attached: {file} → {target}; sha256 {sha256}") if res.recorded_new
                else _("Already attached: {file} → {target}; sha256 {sha256}"))
        st.success(appsupport.literal(said.format(file=res.filename, target=res.target, sha256=res.sha256)))
rows = store.rows("attachments")
if rows:
    st.dataframe([{"#": r["id"], _("file"): r["filename"], _("bytes"): i18n.number(r["size"]),
                   _("added"): timeutil.format_local(r["recorded_at"], s.timezone),
                   _("entry"): r["work_id"], _("note"): r["note"], "sha256": r["sha256"]} for r in rows],
                 hide_index=True)
