"""Import / export: bring a CSV bundle in (checked whole first), take the whole logbook out."""

from __future__ import annotations

import hashlib
import shutil

import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, bundle, render
from taskerlog.i18n import _, ngettext

_shared.page_header(_("Import / export"),
                    _("A bundle is a folder of CSV files (work.csv, projects.csv, rates.csv, payouts.csv…) or the "
                      "same zipped. Nothing is imported until every row is valid, and importing the same bundle "
                      "twice changes nothing the second time."))
store = _shared.current_store()

st.subheader(_("Import"))
files = _shared.file_uploader(_("A bundle .zip, or CSV files"), type=["zip", "csv"], accept_multiple_files=True,
                              key=f"imp_files_{st.session_state.get('imp_round', 0)}")


def _check(files) -> None:
    """Read and dry-run the upload; keep the verdict in session state for the Import button."""
    tmp = appsupport.temp_dir("taskerlog-upload-")
    try:
        uploads, again = appsupport.latest_uploads([(f.name, f.getvalue()) for f in files])
        src = appsupport.unpack_upload(uploads, tmp)
        tables, problems = bundle.read_bundle(src)
        label = ", ".join(name for name, _ in uploads)
        verdict = {"label": label, "problems": [], "report": None, "tables": None, "again": again, "unpriced": None}
        try:  # as the command line does: reading problems listed with those of the rows that could be read
            verdict["report"] = bundle.import_read(store, (tables, problems), source=f"import:{label}", dry_run=True)
            verdict["tables"] = tables
            if verdict["report"].tables["work"].added:
                verdict["unpriced"] = render.unpriced_summary(
                    bundle.unpriced_if_imported(store, tables, source=f"import:{label}"))
        except bundle.ImportProblems as exc:
            verdict["problems"] = [str(p) for p in exc.problems]
        st.session_state["imp_verdict"] = verdict
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if files:
    # what was uploaded (by content: a fix of one character keeps a file's name and size) and
    # the logbook it is checked against: either changing means the verdict must be made again
    sig = (str(_shared.db_path()), _shared.head(),
           tuple((f.name, hashlib.sha256(f.getvalue()).hexdigest()) for f in files))
    if st.session_state.get("imp_sig") != sig:
        st.session_state["imp_sig"] = sig
        st.session_state.pop("imp_verdict", None)
        with _shared.friendly():
            _check(files)
    v = st.session_state.get("imp_verdict")
    if v and v.get("again"):
        st.caption(_("{files}: uploaded more than once; the last one uploaded is the one checked (the first of them "
                     "above can go: its ×).").format(files=appsupport.literal(", ".join(v["again"]))))
    if v and v["problems"]:
        st.error(ngettext("**Nothing was imported.** {n} problem in {files}; fix it in the file and upload it again:",
                          "**Nothing was imported.** {n} problems in {files}; fix them in the file and upload it "
                          "again:", len(v["problems"])).format(n=len(v["problems"]),
                                                               files=appsupport.literal(v["label"])))
        st.code("\n".join(v["problems"]), language=None, wrap_lines=True)
    elif v:
        st.success(_("{files} is valid. This is what importing it would do:").format(
            files=appsupport.literal(v["label"])))
        st.code(appsupport.describe_report(v["report"]), language=None, wrap_lines=True)
        if v.get("unpriced"):
            _shared.warning_literal(v["unpriced"][0].upper() + v["unpriced"][1:])
        if st.button(_("Import now"), type="primary", key="imp_go"):
            def do_import():
                return bundle.import_tables(store, v["tables"], source=f"import:{v['label']}")
            ok = False
            with _shared.friendly():
                try:
                    report = do_import()
                    ok = True
                except bundle.ImportProblems as exc:
                    st.error(_("**Nothing was imported:**"))
                    st.code("\n".join(str(p) for p in exc.problems), language=None, wrap_lines=True)
            if ok:
                st.session_state["imp_round"] = st.session_state.get("imp_round", 0) + 1
                for k in ("imp_sig", "imp_verdict"):
                    st.session_state.pop(k, None)
                _shared.flash(_("Imported {file}. {what}").format(
                    file=v["label"], what=appsupport.describe_report(report).replace("\n", " · ")))
                if report.tables["work"].added:
                    _shared.warn_next(render.unpriced_summary(store.unpriced(source=f"import:{v['label']}")))
                st.rerun()

st.subheader(_("Export"))
st.write(_("Your whole logbook as a bundle: CSV files any spreadsheet opens, in a .zip. Keep a copy somewhere safe."))
made_of = (str(_shared.db_path()), _shared.head())  # an export prepared before a change is not offered
if st.session_state.get("exp_of") != made_of:
    st.session_state.pop("exp_bytes", None)
if st.button(_("Prepare the export"), key="exp_prepare"):
    tmp = appsupport.temp_dir("taskerlog-export-")
    with _shared.friendly():
        out = tmp / "taskerlog-bundle.zip"
        bundle.export_bundle(store, out)
        st.session_state["exp_bytes"] = out.read_bytes()
        st.session_state["exp_of"] = made_of
    shutil.rmtree(tmp, ignore_errors=True)
if st.session_state.get("exp_bytes"):
    st.download_button(_("Download {file}").format(file="taskerlog-bundle.zip"), st.session_state["exp_bytes"],
                       file_name="taskerlog-bundle.zip", mime="application/zip", type="primary", key="exp_download")
