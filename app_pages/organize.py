"""Pool with others (issue 4): a member's "Contribute" side and an organizer's "Pool" side.

UI only: every figure comes from taskerlog.pool (the same functions as ``taskerlog
contribute`` and ``taskerlog pool report``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from app_pages import _shared
from taskerlog import appsupport, everyday, i18n, money
from taskerlog.i18n import _, pgettext
from taskerlog.pool import contribution as C
from taskerlog.pool import pool as P
from taskerlog.pool import publish as PB
from taskerlog.pool import release_report as RR
from taskerlog.pool import report as R
from taskerlog.pool.campaign import Campaign, CampaignError, explain

NOT_SHARED = "-"  # the choice that keeps a platform or project out (the mapping's own "-"), shown as (not shared)

_shared.page_header(_("Pool with others"), _("Share what the work really pays with your workers' association, "
                                             "without anyone being singled out."))


def _option(v: str) -> str:
    return _("(not shared)") if v == NOT_SHARED else v


def level_word(level: str) -> str:
    """A group level of a publication (``pool.LEVELS``: typed in English on the command line) as the page shows it."""
    return {"cell": pgettext("pool group", "cell"), "category": pgettext("pool group", "category"),
            "month": pgettext("pool group", "month"), "platform": pgettext("pool group", "platform")}[level]


def _campaign_from_upload(upload) -> Campaign | None:
    if upload is None:
        return None
    try:
        return Campaign.model_validate(json.loads(upload.getvalue().decode("utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError):
        st.error(appsupport.literal(_("{file} is not a campaign file (not JSON).").format(file=upload.name)))
    except ValidationError as exc:
        st.error(appsupport.literal(explain(exc, upload.name)))
    return None


def _working_view(pool_dir: Path, cam: Campaign) -> None:
    """The organizer's exact, k-suppressed view: marked everywhere as not for publication."""
    st.warning(_(R.NOT_FOR_PUBLICATION).replace("`", ""))
    c1, c2, c3 = st.columns(3)
    publish = c1.checkbox(_("Larger groups only (k = {k})").format(k=cam.publish_k), key="pool_larger",
                          help=_("Still the working view, not for publication: use Publish for that."))
    k = c2.number_input(_("k: fewest workers behind a figure"), min_value=cam.k, max_value=1000,
                        value=cam.publish_k if publish else cam.k, disabled=publish, key="pool_k")
    ref_text = c3.text_input(_("Reference wage ({currency}/h, optional)").format(currency=cam.currency),
                             key="pool_ref")
    with _shared.friendly():
        ref = money.parse_amount(everyday.amount_text(ref_text)) if ref_text.strip() else None
        rows = P.load_rows(pool_dir, cam)
        rep = P.report(rows, cam, k=None if publish else int(k), publish=publish, reference_wage=ref)
        if not len(rep.groups):
            st.write(_("Nothing can be shown yet: no group has at least {k} workers.").format(k=rep.k))
        else:
            st.altair_chart(R.altair_chart(rep))
            st.dataframe(pd.DataFrame(R.page_rows(rep)), hide_index=True)
            st.download_button(_("Download the working view (CSV, not for publication)"), R.to_csv(rep),
                               file_name=f"{cam.campaign_id}-working-view-not-for-publication.csv", mime="text/csv")
            st.download_button(_("Download the working view (HTML, not for publication)"), R.to_html(rep),
                               file_name=f"{cam.campaign_id}-working-view-not-for-publication.html", mime="text/html")


def _publish_view(pool_dir: Path, cam: Campaign) -> None:
    """Differentially private releases: spend part of the budget, or download an earlier release again."""
    with _shared.friendly():
        budget = st.empty()  # filled after a publication below, so it states ε spent including it
        with st.form("pool_publish"):
            c1, c2 = st.columns(2)
            eps_text = c1.text_input(_("ε to spend on this publication"), value=i18n.number(Decimal("0.25")),
                                     key="pool_eps")
            ref_text = c2.text_input(_("Reference wage ({currency}/h, optional)").format(currency=cam.currency),
                                     key="pool_pub_ref")
            levels = st.multiselect(_("Groups to publish"), list(P.LEVELS), default=list(P.LEVELS), key="pool_levels",
                                    format_func=level_word, placeholder=_("no group chosen"),  # Streamlit's is English
                                    select_all=False,  # Streamlit's "Select all" stays English
                                    help=_("cell: platform × category × month; category and month: their totals; "
                                           "platform: the platform's total. Fewer levels leave more budget for each."))
            months = st.multiselect(_("Months for the month-wise groups (empty: all)"), list(cam.months),
                                    key="pool_months", placeholder=_("all months"), select_all=False)  # empty is all
            go = st.form_submit_button(_("Publish (spends ε, cannot be undone)"), key="pool_publish_go")
        if go:
            try:  # typed in the language's notation, as every amount
                eps = Decimal(everyday.amount_text(eps_text) or "")
            except InvalidOperation:
                eps = Decimal("NaN")  # publish() explains what ε must be
            ref = money.parse_amount(everyday.amount_text(ref_text)) if ref_text.strip() else None
            rel = PB.publish(pool_dir, eps, now=dt.datetime.fromtimestamp(_shared.now(), dt.timezone.utc),
                             reference_wage=ref, levels=levels,
                             months=months or None)
            st.success(_("Published release {number}.").format(number=rel.data["number"]))
        budget.info(PB.budget_words(cam, PB.spent(PB.read_ledger(pool_dir, cam))))
        for path in reversed(PB.releases(pool_dir)):
            rel = PB.load_release(path)
            with st.expander(appsupport.literal(_("Published release {number} · {day} · ε {epsilon}").format(
                    number=rel.data["number"], day=rel.data["published_at"][:10],  # read from a file
                    epsilon=rel.data["epsilon"])),
                             expanded=path == PB.releases(pool_dir)[-1]):
                st.dataframe(pd.DataFrame(RR.page_rows(rel)), hide_index=True)
                st.download_button(_("Download CSV"), RR.to_csv(rel), file_name=f"{path.stem}.csv", mime="text/csv",
                                   key=f"pool_rel_csv_{path.stem}")
                st.download_button(_("Download the printable page (HTML)"), RR.to_html(rel), file_name=f"{path.stem}.html",
                                   mime="text/html", key=f"pool_rel_html_{path.stem}")


contribute_tab, pool_tab = st.tabs([_("Contribute (members)"), _("Pool (organizers)")], key="pool_tabs",
                                   on_change="rerun")

# -- the member's side ------------------------------------------------------------------------------------
with contribute_tab:
    st.info(
        _("**What is shared:** for each finished month of the campaign, per platform and public category: "
          "hours worked, hours paid, unpaid hours by kind, what you earned (in the campaign's currency), task "
          "counts, empty-queue days and rate cuts, all rounded (hours to ½ h, money to whole units, tasks to tens).")
        + "\n\n" +
        _("**What is protected:** no notes, task ids, exact dates, project names, file names or your name. The file "
          "carries a pseudonym made from a secret kept only on this device, different for every campaign. Nothing is "
          "sent anywhere: you download the file and give it to your organizer yourself. What the organizer "
          "publishes carries random noise (differential privacy) under a privacy budget for the whole campaign, "
          "so no published figure tells whether you took part or what you reported.")
    )
    st.caption(_("Your file is not anonymous against the platform if it leaks (the platform knows your exact "
                 "hours): give it only to your organizer."))
    upload = _shared.file_uploader(_("Campaign file from your organizer"), type=["json"], key="pool_campaign_member")
    cam = _campaign_from_upload(upload)
    if cam is not None:
        store = _shared.current_store()
        frames = _shared.current_frames()
        mapping = C.load_mapping(store)
        keys = C.logbook_projects(frames)
        st.subheader(appsupport.literal(f"{cam.name} ({cam.campaign_id})"), anchor=False)
        if not keys:
            st.write(_("Your logbook has no projects yet, so there is nothing to contribute."))
        else:
            st.write(_("Put each of your projects in one of the campaign's categories. This stays on your machine."))
            with st.form("pool_mapping"):
                chosen_platforms: dict[str, str] = {}
                for pl in sorted({pl for pl, _ in keys}):
                    options = [NOT_SHARED, *cam.platforms]
                    current = mapping.platforms.get(pl) or cam.platform_of(pl) or NOT_SHARED
                    chosen_platforms[pl] = st.selectbox(
                        _("Your platform “{platform}” is the campaign's").format(platform=appsupport.literal(pl)),
                        options, index=options.index(current) if current in options else 0, key=f"pool_pl_{pl}",
                        format_func=_option)
                chosen: dict[tuple[str, str], str] = {}
                for pl, pr in keys:
                    options = [NOT_SHARED, *cam.categories]
                    current = mapping.projects.get((pl, pr)) or mapping.projects.get((pl, "*")) or NOT_SHARED
                    label = (appsupport.literal(f"{pl} / {pr}") if pr else
                             _("{platform} / time without a project (waiting, admin)").format(
                                 platform=appsupport.literal(pl)))
                    chosen[(pl, pr)] = st.selectbox(label, options, index=options.index(current) if current in options else 0,
                                                    key=f"pool_pr_{pl}\t{pr}", format_func=_option)
                saved = st.form_submit_button(_("Save the categories"), key="pool_save_categories")
            if saved:
                projects = dict(chosen)  # NOT_SHARED is the mapping's own "-"
                platforms = {k: v for k, v in chosen_platforms.items() if v != NOT_SHARED}
                new = mapping.with_(projects, platforms)
                new = C.Mapping({k: v for k, v in new.projects.items() if chosen_platforms.get(k[0]) != NOT_SHARED},
                                new.platforms)
                _shared.write(lambda: C.save_mapping(store, new, source=_shared.SOURCE), _("Categories saved."))
            try:
                secret = C.load_or_create_secret(C.secret_path(_shared.db_path()))
                result = C.build_contribution(frames, cam, mapping, secret, _shared.now())
            except (C.ContributionError, CampaignError, ValueError) as exc:
                st.warning(appsupport.literal(str(exc)))
                result = None
            if result is not None:
                st.markdown(_("**Preview: exactly the rows that will leave your machine**"))
                st.caption(appsupport.literal(_("Finished months: {months} · money in {currency} · pseudonym "
                                                "{pseudonym}…").format(
                    months=", ".join(result.months) or _("none yet"), currency=cam.currency,
                    pseudonym=result.pseudonym[:12])))
                if result.rows:
                    st.dataframe(pd.DataFrame(C.preview_rows(result)), hide_index=True)
                    text = result.to_json()
                    with st.expander(_("The file itself")):
                        st.code(text, language="json")
                    st.download_button(_("Download the contribution file"), text, file_name=f"contribution-{cam.campaign_id}.json",
                                       mime="application/json")
                else:
                    st.write(_("No work in the campaign's finished months on the projects you put in a category."))

# -- the organizer's side ------------------------------------------------------------------------------------
with pool_tab:
    st.info(
        _("**What members share:** monthly totals per platform and category under a pseudonym, nothing else.")
        + "\n\n" +
        _("**What is protected:** the working view shows only groups of at least k workers, but it is exact: it is "
          "for the organizer and must not be published. What leaves the organization comes from **Publish**: "
          "figures with random noise (differential privacy) under the campaign's privacy budget. Pseudonyms never "
          "appear in either.")
    )
    folder = st.text_input(_("Pool folder on this computer"), key="pool_dir",
                           help=_("One folder per campaign; contributions are kept there, one file per member."))
    if folder:
        pool_dir = Path(folder).expanduser()
        cam = None
        try:
            cam = P.open_pool(pool_dir)
        except (P.PoolError, CampaignError) as exc:
            st.write(appsupport.literal(str(exc)))
            up = _shared.file_uploader(_("Campaign file to start this pool"), type=["json"], key="pool_campaign_org")
            new_cam = _campaign_from_upload(up)
            if new_cam is not None and st.button(_("Start the pool"), key="pool_start"):
                _shared.write(lambda: P.init_pool(pool_dir, new_cam),
                              _("Pool started in {folder}.").format(folder=pool_dir))
        if cam is not None:
            st.subheader(appsupport.literal(f"{cam.name} ({cam.campaign_id})"), anchor=False)
            files = _shared.file_uploader(_("Add members' contribution files"), type=["json"], accept_multiple_files=True,
                                          key="pool_files")
            if files and st.button(_("Add to the pool"), key="pool_add"):
                with tempfile.TemporaryDirectory() as tmp:
                    paths = []
                    for i, f in enumerate(files):  # a folder each: every member's file has the same name
                        (Path(tmp) / str(i)).mkdir()
                        paths.append(appsupport.save_upload(Path(tmp) / str(i), f.name, f.getvalue()))
                    res = P.add_contributions(pool_dir, paths)
                msg = _("Added {added}, replaced {replaced}, refused {refused}.").format(
                    added=res.added, replaced=res.replaced, refused=len(res.problems))
                (st.warning if res.problems else st.success)(msg)
                if res.problems:
                    st.code("\n".join(re.sub(re.escape(tmp) + r"/\d+/", "", p) for p in res.problems), language=None, wrap_lines=True)
            working, publishing = st.tabs([_("Working view (not for publication)"), _("Publish")], key="pool_views",
                                          on_change="rerun")
            with working:
                _working_view(pool_dir, cam)
            with publishing:
                _publish_view(pool_dir, cam)

