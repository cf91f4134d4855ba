"""Settings: home currency, time zone, reference wage; where the data lives; backup now; your phone."""

from __future__ import annotations

from zoneinfo import available_timezones

import streamlit as st

from app_pages import _phone, _shared
from taskerlog import appsupport, everyday, i18n, money, render
from taskerlog.i18n import _, ngettext
from taskerlog.model import Logbook

_shared.page_header(_("Settings"))
store = _shared.current_store()
s = store.settings()


def backed_up(done: appsupport.BackupDone) -> str:
    """What a backup wrote, in one sentence of the worker's language."""
    if done.files and done.secret:
        text = ngettext("Backed up to {path} (checked: the copy is complete), and {n} attachment file beside it, "
                        "and the device secret of your campaign contributions (kept private).",
                        "Backed up to {path} (checked: the copy is complete), and {n} attachment files beside it, "
                        "and the device secret of your campaign contributions (kept private).", done.files)
    elif done.files:
        text = ngettext("Backed up to {path} (checked: the copy is complete), and {n} attachment file beside it.",
                        "Backed up to {path} (checked: the copy is complete), and {n} attachment files beside it.",
                        done.files)
    elif done.secret:
        text = _("Backed up to {path} (checked: the copy is complete), and the device secret of your campaign "
                 "contributions (kept private).")
    else:
        text = _("Backed up to {path} (checked: the copy is complete).")
    return text.format(path=done.path, n=done.files)


zones = sorted(available_timezones())
with st.form("settings"):
    c1, c2 = st.columns(2)
    home = c1.text_input(_("Home currency"), value=s.home_currency, max_chars=3, key="set_home",
                         help=_("All figures are shown in this currency (ISO code: USD, KES, PHP, INR, EUR…). "
                                "After a change, every amount in another currency needs an exchange rate "
                                "(Money → Exchange rates) before the figures can be worked out"))
    tz = c2.selectbox(_("Time zone"), zones, index=zones.index(s.timezone) if s.timezone in zones else None,
                      help=_("Days and weeks are counted in this zone"), key="set_tz")
    st.markdown(_("**Reference wage** — a legal minimum or a target to measure your effective wage against"))
    c3, c4, c5 = st.columns([1, 1, 2])
    ref = c3.text_input(_("Per hour"), key="set_ref",  # in the language's notation, as it is read back
                        value="" if s.reference_wage is None else render.local(money.plain(s.reference_wage)))
    ref_cur = c4.text_input(_("Currency"), value=s.reference_currency or "", max_chars=3, key="set_ref_cur",
                            help=_("blank: the home currency"))
    label = c5.text_input(_("What it is"), value=s.reference_label or "", key="set_ref_label",
                          placeholder=_("Kenya minimum wage 2026"))
    # a tag with a country (es_VE: how numbers are written there) stays one of the choices
    languages = [None, *i18n.LANGUAGES, *([s.language] if s.language and s.language not in i18n.LANGUAGES else [])]
    language = st.selectbox(_("Language"), languages, index=languages.index(s.language), format_func=i18n.describe,
                            key="settings_language",
                            help=_("The words of the app, the command line and the evidence report, and how "
                                   "numbers and dates are written"))
    save = st.form_submit_button(_("Save settings"), type="primary", key="set_save")
if save:
    _shared.write(lambda: store.set_settings(Logbook(
        home_currency=home, timezone=tz or "UTC", reference_wage=everyday.amount_text(ref),  # "12,50" too
        reference_currency=appsupport.blank(ref_cur), reference_label=appsupport.blank(label),
        language=language),
        source=_shared.SOURCE), _("Settings saved."))

st.subheader(_("Your data"))
st.write(_("Everything is in one file on this computer; nothing is sent anywhere."))
st.code(str(store.path), language=None)
if _shared.is_sample():
    st.caption(appsupport.literal(_("(This is the sample logbook. Your own is {path}.)").format(
        path=appsupport.my_db_path())))
else:
    st.caption(_("This is your own logbook. A copy of it is one click away (Back up now, below); to keep a second, "
                 "separate logbook, open the app on that file (README: \"Where your data lives\")."))

c1, c2 = st.columns(2)
if c1.button(_("Back up now"), key="settings_backup", type="primary"):
    with _shared.friendly():
        done = appsupport.back_up(store)
        st.success(appsupport.literal(backed_up(done)))
        for p in done.problems:
            st.warning(appsupport.literal(p))
if c2.button(_("Check the logbook"), key="settings_verify"):
    with _shared.friendly():
        r = store.verify()
        if r.ok:
            st.success(ngettext("OK: {n} journal entry, every record matches its history.",
                                "OK: {n} journal entries, every record matches its history.",
                                r.entries).format(n=i18n.number(r.entries)))
        else:
            st.error(appsupport.literal(ngettext("{n} problem: {problems}", "{n} problems: {problems}",
                                                 len(r.problems)).format(
                n=len(r.problems), problems="; ".join(p.message for p in r.problems[:10]))))

_phone.section()

st.subheader(_("Sample logbooks"))
st.write(_("A made-up person's logbook, to see what the pages show with months of data. It opens in its "
           "own file, never mixed into yours; **{back}** brings you back.").format(back=_("← My logbook")))
_shared.sample_picker("settings")
