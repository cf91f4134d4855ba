"""Bring in your history: a spreadsheet, Toggl, Clockify, MTurk, PayPal or ActivityWatch file.

UI only: reading is ``importers.read_history``, writing is ``importers.apply`` (the bundle's
all-or-nothing, idempotent import). The preview is a dry run of the same import.
"""

from __future__ import annotations

import shutil

import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, importers, timeutil
from taskerlog.bundle.problems import ImportProblems
from taskerlog.i18n import N_, _, ngettext
from taskerlog.importers.spreadsheet import FIELDS

LABELS = {"spreadsheet": N_("My own spreadsheet (CSV or Excel)"), "toggl": N_("Toggl Track (detailed CSV export)"),
          "clockify": N_("Clockify (detailed CSV export)"),
          "mturk": N_("Mechanical Turk (MTurk Suite HIT Tracker, JSON)"),
          "paypal": N_("PayPal (activity download, CSV): payouts"),
          "activitywatch": N_("ActivityWatch (export, JSON): evidence")}
FROM_FILE = N_("decide from the file")
DAY_FIRST = {None: FROM_FILE, "yes": N_("day first (31/12/2026)"), "no": N_("month first (12/31/2026)")}
DECIMAL_COMMA = {None: FROM_FILE, "yes": N_("with a comma (12,50)"), "no": N_("with a dot (12.50)")}
# each option's choices: the importer's value → the words shown
DURATION_UNIT = {None: N_("(not used)"), "minutes": N_("minutes"), "hours": N_("hours")}
TYPES = {"spreadsheet": ["csv", "xlsx"], "toggl": ["csv"], "clockify": ["csv"], "mturk": ["json"],
         "paypal": ["csv"], "activitywatch": ["json"]}

_shared.page_header(_("Bring in your history"),
                    _("Import what you already have. Nothing is written until you have seen the preview and every "
                      "row is valid; importing the same file twice adds nothing, and your own entries are never "
                      "overwritten."))
store = _shared.current_store()
settings = store.settings()

fmt = st.selectbox(_("What is the file?"), importers.FORMATS, format_func=lambda f: _(LABELS[f]), key="hist_fmt")
upload = _shared.file_uploader(_("The file"), type=TYPES[fmt], key=f"hist_file_{fmt}_{st.session_state.get('hist_round', 0)}")

opts: dict = {}
with st.expander(_("Options (the preview tells you when one is needed)"), expanded=False):
    if fmt in ("spreadsheet", "toggl", "clockify"):
        opts["platform"] = st.text_input(_("Platform, when the file has no column for it"), key="hist_platform")
    if fmt in ("spreadsheet", "toggl", "clockify", "paypal"):
        opts["day_first"] = st.radio(_("Dates are written"), list(DAY_FIRST), format_func=lambda v: _(DAY_FIRST[v]),
                                     horizontal=True, key="hist_dayfirst")
        opts["decimal_comma"] = st.radio(_("Decimals are written"), list(DECIMAL_COMMA),
                                         format_func=lambda v: _(DECIMAL_COMMA[v]), horizontal=True,
                                         key="hist_deccomma")
    if fmt in ("spreadsheet", "toggl", "clockify"):  # every option these formats' messages name
        opts["duration_unit"] = st.radio(_("A plain number in the duration column means"), list(DURATION_UNIT),
                                         format_func=lambda v: _(DURATION_UNIT[v]), horizontal=True, key="hist_unit")
        opts["currency"] = st.text_input(_("Currency of amounts written without one (e.g. KES)"), key="hist_cur")
    if fmt == "spreadsheet":
        opts["mapping"] = st.text_input(_("Column mapping, e.g. Day=date, Hours=duration, Client=platform "
                                          "(leave blank to use the saved or the obvious one)"), key="hist_mapping")
        st.caption(_("Fields: {fields}").format(fields="; ".join(f"**{k}**: {_(v)}" for k, v in FIELDS.items())))
    if fmt == "mturk":
        opts["hit_minutes"] = st.number_input(_("Minutes per HIT, when the export has dates but no times"),
                                              min_value=0, value=0, key="hist_hitmin") or None
        opts["strict"] = "yes" if st.checkbox(_("Refuse the file for a HIT state taskerlog does not know (strict)"),
                                              key="hist_strict") else None
    if fmt == "paypal":
        opts["payer"] = st.text_input(_("Payers that are platforms, e.g. Smart Ecosystem=Outlier"), key="hist_payer")

if upload is not None:
    tmp = appsupport.temp_dir("taskerlog-history-")
    try:
        path = appsupport.save_upload(tmp, upload.name, upload.getvalue())
        options = {k: v for k, v in opts.items() if v not in (None, "")}
        mfile = importers.mappings_path(_shared.db_path())
        if fmt == "spreadsheet":
            options["mappings_file"] = str(mfile)
        options["today"] = timeutil.to_local(_shared.now(), settings.timezone).date()
        with _shared.friendly():
            res = importers.read_history(fmt, path, settings, **options)
            problems = [str(p) for p in res.problems]
            report = counts = None
            if not problems:
                try:
                    report, counts = importers.apply(store, res.tables, source=f"import:{fmt}:{upload.name}",
                                                     dry_run=True)
                except ImportProblems as exc:
                    problems = [str(p) for p in exc.problems]
            if res.mapping:
                st.write(_("Columns used: {columns}").format(columns=", ".join(
                    f"{appsupport.literal(col)} → **{fld}**" for fld, col in res.mapping.items())))
            if problems:
                st.error(ngettext("**Nothing can be imported yet.** {n} problem; fix the file or set the option "
                                  "named, then look again:",
                                  "**Nothing can be imported yet.** {n} problems; fix the file or set the option "
                                  "named, then look again:", len(problems)).format(n=len(problems)))
                st.code("\n".join(problems[:200]), language=None, wrap_lines=True)
            else:
                st.success(_("The file is valid. Importing it would do this:"))
                lines = [] if report is None else [appsupport.describe_report(report)]
                if counts is not None and (fmt == "activitywatch" or counts.added or counts.already):
                    lines.append(_("active-time evidence: would add {added}, already there {already} (kept beside "
                                   "your entries; never counted as hours worked)").format(added=counts.added,
                                                                                         already=counts.already))
                st.code("\n".join(lines), language=None, wrap_lines=True)
                if res.notes:
                    with st.expander(_("Skipped or left out ({n})").format(n=len(res.notes))):
                        st.code("\n".join(res.notes), language=None, wrap_lines=True)
                for name, df in importers.read_tables(res).items():
                    with st.expander(appsupport.literal(ngettext("{table}: {n} row read", "{table}: {n} rows read",
                                                                 len(df)).format(table=name, n=len(df)))):
                        st.dataframe(df.head(200), hide_index=True)
                if st.button(_("Import now"), type="primary", key="hist_go"):
                    try:
                        report, counts = importers.apply(store, res.tables, source=f"import:{fmt}:{upload.name}")
                    except ImportProblems as exc:
                        st.error(_("**Nothing was imported:**"))
                        st.code("\n".join(str(p) for p in exc.problems), language=None, wrap_lines=True)
                    else:
                        if fmt == "spreadsheet":
                            importers.save_mapping(mfile, res)
                        st.session_state["hist_round"] = st.session_state.get("hist_round", 0) + 1
                        done = (appsupport.describe_report(report) if report is not None
                                else _("active-time evidence: added {added}").format(added=counts.added))
                        _shared.flash(_("Imported {file}. {what}").format(file=upload.name,
                                                                           what=done.replace("\n", " · ")))
                        st.rerun()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
