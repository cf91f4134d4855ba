"""Money: payouts and their fees, expenses, exchange rates, and what is still owed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import streamlit as st

from app_pages import _forms, _shared
from taskerlog import appsupport, everyday, i18n, metrics, render, timeutil
from taskerlog.i18n import N_, _
from taskerlog.model import Expense, FxRate


@st.cache_data(show_spinner=False, max_entries=16)
def _outstanding(path: str, head: tuple[int, str], today: dt.date, language: str) -> list[dict]:
    """Each platform's money, all time, in ``language`` (the words and the numbers: part of the key)."""
    frames = _shared._frames_cached(path, head)
    prepared = _shared._prepared_cached(path, head)
    out = []
    for p in _forms.platforms(frames):
        m = metrics.compute(frames, platform=p, breakdowns=False, today=today, prepared=prepared)
        out.append({_("platform"): p, **{_(label): appsupport.fmt_amount(m.get(key)) for label, key in (
            (N_("earned"), "earned"), (N_("pending"), "pending"), (N_("paid out"), "paid_out"), (N_("fees"), "fees"),
            (N_("outstanding"), "outstanding"), (N_("paid for earlier work"), "paid_out_earlier"))},
                    "_platform": p,
                    "_note": render.negative_outstanding_sentence(m.get("outstanding"))})
    return out


_shared.page_header(_("Money"), _("What was earned, what arrived, what it cost, and what is still owed."))
store = _shared.current_store()
frames = _shared.current_frames()
tz, home = frames.settings.timezone, frames.settings.home_currency
today = appsupport.today_in(tz, _shared.now())
path, head = str(_shared.db_path()), _shared.head()

st.subheader(_("Outstanding by platform ({currency}, all time)").format(currency=home))
try:
    rows = _outstanding(path, head, today, i18n.language())
    if rows:
        st.dataframe(pd.DataFrame(rows).drop(columns=["_note", "_platform"]), hide_index=True, width="stretch")
        below = [r for r in rows if r["_note"]]
        if below:
            st.warning(below[0]["_note"])
            st.text(_("Below zero on: {platforms}").format(  # names shown literally
                platforms=", ".join(r["_platform"] for r in below)))
    else:
        st.caption(_("Nothing logged yet."))
except metrics.MetricsError as exc:
    st.error(appsupport.literal(_("Cannot work out what is owed yet: {why}").format(why=exc)))


# expense categories offered: stored in English (interchange.md's examples), shown translated
CATEGORIES = {"internet": N_("internet"), "electricity": N_("electricity"), "equipment": N_("equipment"),
              "cybercafé": N_("cybercafé"), "fees": N_("fees"), "other": N_("other")}


def category(value) -> str:
    """An expense category in the worker's language; one the worker typed, as typed."""
    return _(CATEGORIES[value]) if value in CATEGORIES else ("" if value is None else str(value))


def _m(v):
    return appsupport.fmt_amount(v, micros=True)


t_pay, t_exp, t_fx = st.tabs([_("Payouts"), _("Expenses"), _("Exchange rates")], key="money_tab", on_change="rerun")
plats = _forms.platforms(frames)

with t_pay:
    po = frames.payouts
    if len(po):
        st.dataframe(pd.DataFrame({
            _("platform"): po["platform"],
            _("paid on"): [timeutil.to_local(int(v), tz).strftime("%Y-%m-%d") for v in po["paid_at"]],
            _("amount"): [_m(v) for v in po["amount_micros"]], _("currency"): po["currency"],
            _("fee"): [_m(v) for v in po["fee_micros"]], _("method"): po["method"],
            _("received"): [_m(v) for v in po["received_amount_micros"]], _("received in"): po["received_currency"],
            _("reference"): po["reference"],
            _("for earlier work"): [_("yes") if v == 1 else "" for v in po["for_earlier_work"]]}).fillna(""),
            hide_index=True, width="stretch")
    _forms.payout_form(store, frames, "money_payout", today)

with t_exp:
    ex = frames.expenses
    if len(ex):
        st.dataframe(pd.DataFrame({_("date"): ex["date"], _("category"): [category(c) for c in ex["category"]],
                                   _("amount"): [_m(v) for v in ex["amount_micros"]], _("currency"): ex["currency"],
                                   _("platform"): ex["platform"], _("note"): ex["note"]}).fillna(""),
                     hide_index=True, width="stretch")
    g = _shared.form_suffix("money_expense")
    with st.form("money_expense" + g):
        c1, c2, c3 = st.columns(3)
        day = c1.date_input(_("Date"), value=today, key=f"me_day{g}", **appsupport.DAY_RANGE)
        cat = c2.selectbox(_("Category"), list(CATEGORIES), accept_new_options=True, key=f"me_cat{g}",
                           format_func=category)
        plat = c3.selectbox(_("Platform (blank: shared by all work)"), plats, index=None, accept_new_options=True,
                            key=f"me_platform{g}")
        c4, c5 = st.columns(2)
        amount = c4.text_input(_("Amount"), key=f"me_amount{g}")
        currency = c5.text_input(_("Currency"), value=home, max_chars=3, key=f"me_currency{g}")
        note = st.text_input(_("Note"), key=f"me_note{g}")
        go = st.form_submit_button(_("Add expense"), type="primary", key=f"me_add{g}")
    if go:
        _shared.write(lambda: store.add_expense(Expense(
            date=day, category=cat or "", amount=everyday.amount_text(amount) or amount,  # "12,50" too
            currency=currency, platform=plat,
            note=appsupport.blank(note)), source=_shared.SOURCE),
            _("Expense ({category}) saved.").format(category=category(cat)), form="money_expense")

with t_fx:
    fx = frames.fx
    if len(fx):
        st.dataframe(pd.DataFrame({_("date"): fx["date"], _("currency"): fx["currency"],
                                   _("1 unit in {currency}").format(currency=home): [
                                       i18n.number(r) for r in fx["rate"]]}),
                     hide_index=True, width="stretch")
    g = _shared.form_suffix("money_fx")
    with st.form("money_fx" + g):
        c1, c2, c3 = st.columns(3)
        day = c1.date_input(_("From"), value=today, key=f"mf_day{g}", **appsupport.DAY_RANGE)
        cur = c2.text_input(_("Currency"), max_chars=3, key=f"mf_cur{g}", placeholder="KES")
        rate = c3.text_input(_("One unit is worth ({currency})").format(currency=home), key=f"mf_rate{g}",
                             placeholder=i18n.number(Decimal("0.0077")))
        go = st.form_submit_button(_("Save exchange rate"), type="primary", key=f"mf_save{g}")
    if go:
        code = (cur or "").strip().upper()
        again = any(d == day and c == code for d, c in zip(fx["date"], fx["currency"]))
        _shared.write(lambda: store.add_fx(FxRate(date=day, currency=cur, rate=rate), source=_shared.SOURCE),
                      (_("1 {currency} = {rate} {home} from {day} saved (it replaces the rate recorded for that day "
                         "before).") if again else _("1 {currency} = {rate} {home} from {day} saved.")).format(
                          currency=code, rate=rate, home=home, day=i18n.date(day)), form="money_fx")
