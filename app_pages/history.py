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
from taskerlog.importers.spreadsheet import FIELDS

LABELS = {"spreadsheet": "My own spreadsheet (CSV or Excel)", "toggl": "Toggl Track (detailed CSV export)",
          "clockify": "Clockify (detailed CSV export)", "mturk": "Mechanical Turk (MTurk Suite HIT Tracker, JSON)",
          "paypal": "PayPal (activity download, CSV): payouts", "activitywatch": "ActivityWatch (export, JSON): evidence"}
TYPES = {"spreadsheet": ["csv", "xlsx"], "toggl": ["csv"], "clockify": ["csv"], "mturk": ["json"],
         "paypal": ["csv"], "activitywatch": ["json"]}

_shared.page_header("Bring in your history",
                    "Import what you already have. Nothing is written until you have seen the preview and every row "
                    "is valid; importing the same file twice adds nothing, and your own entries are never overwritten.")
store = _shared.current_store()
settings = store.settings()

fmt = st.selectbox("What is the file?", importers.FORMATS, format_func=LABELS.get, key="hist_fmt")
upload = st.file_uploader("The file", type=TYPES[fmt], key=f"hist_file_{fmt}_{st.session_state.get('hist_round', 0)}")

opts: dict = {}
with st.expander("Options (the preview tells you when one is needed)", expanded=False):
    if fmt in ("spreadsheet", "toggl", "clockify"):
        opts["platform"] = st.text_input("Platform, when the file has no column for it", key="hist_platform")
    if fmt in ("spreadsheet", "toggl", "clockify", "paypal"):
        df = st.radio("Dates are written", ["decide from the file", "day first (31/12/2026)", "month first (12/31/2026)"],
                      horizontal=True, key="hist_dayfirst")
        opts["day_first"] = {"day first (31/12/2026)": "yes", "month first (12/31/2026)": "no"}.get(df)
        dc = st.radio("Decimals are written", ["decide from the file", "with a comma (12,50)", "with a dot (12.50)"],
                      horizontal=True, key="hist_deccomma")
        opts["decimal_comma"] = {"with a comma (12,50)": "yes", "with a dot (12.50)": "no"}.get(dc)
    if fmt in ("spreadsheet", "toggl", "clockify"):  # every option these formats' messages name
        du = st.radio("A plain number in the duration column means", ["(not used)", "minutes", "hours"],
                      horizontal=True, key="hist_unit")
        opts["duration_unit"] = None if du == "(not used)" else du
        opts["currency"] = st.text_input("Currency of amounts written without one (e.g. KES)", key="hist_cur")
    if fmt == "spreadsheet":
        opts["mapping"] = st.text_input("Column mapping, e.g. Day=date, Hours=duration, Client=platform "
                                        "(leave blank to use the saved or the obvious one)", key="hist_mapping")
        st.caption("Fields: " + "; ".join(f"**{k}**: {v}" for k, v in FIELDS.items()))
    if fmt == "mturk":
        opts["hit_minutes"] = st.number_input("Minutes per HIT, when the export has dates but no times",
                                              min_value=0, value=0, key="hist_hitmin") or None
        opts["strict"] = "yes" if st.checkbox("Refuse the file for a HIT state taskerlog does not know (strict)",
                                              key="hist_strict") else None
    if fmt == "paypal":
        opts["payer"] = st.text_input("Payers that are platforms, e.g. Smart Ecosystem=Outlier", key="hist_payer")

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
                st.write("Columns used: " + ", ".join(f"{appsupport.literal(col)} → **{fld}**"
                                                      for fld, col in res.mapping.items()))
            if problems:
                st.error(f"**Nothing can be imported yet.** {len(problems)} problem(s); fix the file or set the "
                         "option named, then look again:")
                st.code("\n".join(problems[:200]), language=None, wrap_lines=True)
            else:
                st.success("The file is valid. Importing it would do this:")
                lines = [] if report is None else [appsupport.describe_report(report)]
                if counts is not None and (fmt == "activitywatch" or counts.added or counts.already):
                    lines.append(f"active-time evidence: would add {counts.added}, already there {counts.already} "
                                 "(kept beside your entries; never counted as hours worked)")
                st.code("\n".join(lines), language=None, wrap_lines=True)
                if res.notes:
                    with st.expander(f"Skipped or left out ({len(res.notes)})"):
                        st.code("\n".join(res.notes), language=None, wrap_lines=True)
                for name, df in importers.read_tables(res).items():
                    with st.expander(f"{name}: {len(df)} row(s) read"):
                        st.dataframe(df.head(200), hide_index=True)
                if st.button("Import now", type="primary", key="hist_go"):
                    try:
                        report, counts = importers.apply(store, res.tables, source=f"import:{fmt}:{upload.name}")
                    except ImportProblems as exc:
                        st.error("**Nothing was imported:**")
                        st.code("\n".join(str(p) for p in exc.problems), language=None, wrap_lines=True)
                    else:
                        if fmt == "spreadsheet":
                            importers.save_mapping(mfile, res)
                        st.session_state["hist_round"] = st.session_state.get("hist_round", 0) + 1
                        done = (appsupport.describe_report(report) if report is not None
                                else f"active-time evidence: added {counts.added}")
                        _shared.flash(f"Imported {upload.name}. " + done.replace("\n", " · "))
                        st.rerun()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
