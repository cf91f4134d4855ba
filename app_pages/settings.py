"""Settings: home currency, time zone, reference wage; where the data lives; backup now; your phone."""

from __future__ import annotations

from zoneinfo import available_timezones

import streamlit as st

from app_pages import _phone, _shared
from taskerlog import appsupport, i18n
from taskerlog.model import Logbook

_shared.page_header("Settings")
store = _shared.current_store()
s = store.settings()

zones = sorted(available_timezones())
with st.form("settings"):
    c1, c2 = st.columns(2)
    home = c1.text_input("Home currency", value=s.home_currency, max_chars=3,
                         help="All figures are shown in this currency (ISO code: USD, KES, PHP, INR, EUR…). "
                              "After a change, every amount in another currency needs an exchange rate "
                              "(Money → Exchange rates) before the figures can be worked out")
    tz = c2.selectbox("Time zone", zones, index=zones.index(s.timezone) if s.timezone in zones else None,
                      help="Days and weeks are counted in this zone")
    st.markdown("**Reference wage** — a legal minimum or a target to measure your effective wage against")
    c3, c4, c5 = st.columns([1, 1, 2])
    ref = c3.text_input("Per hour", value="" if s.reference_wage is None else str(s.reference_wage))
    ref_cur = c4.text_input("Currency", value=s.reference_currency or "", max_chars=3,
                            help="blank: the home currency")
    label = c5.text_input("What it is", value=s.reference_label or "", placeholder="Kenya minimum wage 2026")
    # a tag with a country (es_VE: how numbers are written there) stays one of the choices
    languages = [None, *i18n.LANGUAGES, *([s.language] if s.language and s.language not in i18n.LANGUAGES else [])]
    language = st.selectbox("Language", languages, index=languages.index(s.language), format_func=i18n.describe,
                            key="settings_language",
                            help="The words of the app, the command line and the evidence report, and how "
                                 "numbers and dates are written")
    save = st.form_submit_button("Save settings", type="primary")
if save:
    _shared.write(lambda: store.set_settings(Logbook(
        home_currency=home, timezone=tz or "UTC", reference_wage=appsupport.blank(ref),
        reference_currency=appsupport.blank(ref_cur), reference_label=appsupport.blank(label),
        language=language),
        source=_shared.SOURCE), "Settings saved.")

st.subheader("Your data")
st.write("Everything is in one file on this computer; nothing is sent anywhere.")
st.code(str(store.path), language=None)
if _shared.is_sample():
    st.caption(appsupport.literal(f"(This is the sample logbook. Your own is {appsupport.my_db_path()}.)"))
else:
    st.caption("This is your own logbook. A copy of it is one click away (Back up now, below); to keep a second, separate logbook, open the app on that file (README: \"Where your data lives\").")

c1, c2 = st.columns(2)
if c1.button("Back up now", key="settings_backup", type="primary"):
    with _shared.friendly():
        done = appsupport.back_up(store)
        st.success(appsupport.literal(
            f"Backed up to {done.path} (checked: the copy is complete)"
            + (f", and {done.files} attachment file(s) beside it" if done.files else "")
            + (", and the device secret of your campaign contributions (kept private)." if done.secret else ".")))
        for p in done.problems:
            st.warning(appsupport.literal(p))
if c2.button("Check the logbook", key="settings_verify"):
    with _shared.friendly():
        r = store.verify()
        if r.ok:
            st.success(f"OK: {r.entries} journal entries, every record matches its history.")
        else:
            st.error(appsupport.literal(f"{len(r.problems)} problem(s): "
                                        + "; ".join(p.message for p in r.problems[:10])))

_phone.section()

st.subheader("Sample logbooks")
st.write("A made-up person's logbook, to see what the pages show with months of data. It opens in its "
         "own file, never mixed into yours; **← My logbook** brings you back.")
_shared.sample_picker("settings")
