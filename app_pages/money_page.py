"""Money: payouts and their fees, expenses, exchange rates, and what is still owed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import _forms, _shared
from taskerlog import appsupport, metrics, render, timeutil
from taskerlog.model import Expense, FxRate


@st.cache_data(show_spinner=False, max_entries=16)
def _outstanding(path: str, head: tuple[int, str], today: dt.date) -> list[dict]:
    frames = _shared._frames(path, head)
    prepared = _shared._prepared(path, head)
    out = []
    for p in _forms.platforms(frames):
        m = metrics.compute(frames, platform=p, breakdowns=False, today=today, prepared=prepared)
        out.append({"platform": p, **{label: appsupport.fmt_amount(m.get(key)) for label, key in (
            ("earned", "earned"), ("pending", "pending"), ("paid out", "paid_out"), ("fees", "fees"),
            ("outstanding", "outstanding"), ("paid for earlier work", "paid_out_earlier"))},
                    "_note": render.negative_outstanding_note(m.get("outstanding"))})
    return out


_shared.page_header("Money", "What was earned, what arrived, what it cost, and what is still owed.")
store = _shared.current_store()
frames = _shared.current_frames()
tz, home = frames.settings.timezone, frames.settings.home_currency
today = appsupport.today_in(tz, _shared.now())
path, head = str(_shared.db_path()), _shared.head()

st.subheader(f"Outstanding by platform ({home}, all time)")
try:
    rows = _outstanding(path, head, today)
    if rows:
        st.dataframe(pd.DataFrame(rows).drop(columns="_note"), hide_index=True, width="stretch")
        below = [r for r in rows if r["_note"]]
        if below:
            st.warning("Outstanding is " + below[0]["_note"])
            st.text("Below zero on: " + ", ".join(r["platform"] for r in below))  # names shown literally
    else:
        st.caption("Nothing logged yet.")
except metrics.MetricsError as exc:
    st.error(appsupport.literal(f"Cannot work out what is owed yet: {str(exc)}"))


def _m(v):
    return appsupport.fmt_amount(v, micros=True)


t_pay, t_exp, t_fx = st.tabs(["Payouts", "Expenses", "Exchange rates"], key="money_tab", on_change="rerun")
plats = _forms.platforms(frames)

with t_pay:
    po = frames.payouts
    if len(po):
        st.dataframe(pd.DataFrame({
            "platform": po["platform"],
            "paid on": [timeutil.to_local(int(v), tz).strftime("%Y-%m-%d") for v in po["paid_at"]],
            "amount": [_m(v) for v in po["amount_micros"]], "currency": po["currency"],
            "fee": [_m(v) for v in po["fee_micros"]], "method": po["method"],
            "received": [_m(v) for v in po["received_amount_micros"]], "received in": po["received_currency"],
            "reference": po["reference"],
            "for earlier work": ["yes" if v == 1 else "" for v in po["for_earlier_work"]]}).fillna(""),
            hide_index=True, width="stretch")
    _forms.payout_form(store, frames, "money_payout", today)

with t_exp:
    ex = frames.expenses
    if len(ex):
        st.dataframe(pd.DataFrame({"date": ex["date"], "category": ex["category"],
                                   "amount": [_m(v) for v in ex["amount_micros"]], "currency": ex["currency"],
                                   "platform": ex["platform"], "note": ex["note"]}).fillna(""),
                     hide_index=True, width="stretch")
    g = _shared.form_suffix("money_expense")
    with st.form("money_expense" + g):
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Date", value=today, key=f"me_day{g}", **appsupport.DAY_RANGE)
        cat = c2.selectbox("Category", ["internet", "electricity", "equipment", "cybercafé", "fees", "other"],
                           accept_new_options=True, key=f"me_cat{g}")
        plat = c3.selectbox("Platform (blank: shared by all work)", plats, index=None, accept_new_options=True,
                            key=f"me_platform{g}")
        c4, c5 = st.columns(2)
        amount = c4.text_input("Amount", key=f"me_amount{g}")
        currency = c5.text_input("Currency", value=home, max_chars=3, key=f"me_currency{g}")
        note = st.text_input("Note", key=f"me_note{g}")
        go = st.form_submit_button("Add expense", type="primary")
    if go:
        _shared.write(lambda: store.add_expense(Expense(
            date=day, category=cat or "", amount=amount, currency=currency, platform=plat,
            note=appsupport.blank(note)), source=_shared.SOURCE), f"Expense ({cat}) saved.", form="money_expense")

with t_fx:
    fx = frames.fx
    if len(fx):
        st.dataframe(pd.DataFrame({"date": fx["date"], "currency": fx["currency"],
                                   f"1 unit in {home}": [str(r) for r in fx["rate"]]}),
                     hide_index=True, width="stretch")
    g = _shared.form_suffix("money_fx")
    with st.form("money_fx" + g):
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("From", value=today, key=f"mf_day{g}", **appsupport.DAY_RANGE)
        cur = c2.text_input("Currency", max_chars=3, key=f"mf_cur{g}", placeholder="KES")
        rate = c3.text_input(f"One unit is worth ({home})", key=f"mf_rate{g}", placeholder="0.0077")
        go = st.form_submit_button("Save exchange rate", type="primary")
    if go:
        _shared.write(lambda: store.add_fx(FxRate(date=day, currency=cur, rate=rate), source=_shared.SOURCE),
                      f"1 {(cur or '').strip().upper()} = {rate} {home} from {day} saved"
                      + (" (it replaces the rate recorded for that day before)" if any(
                          d == day and c == (cur or "").strip().upper() for d, c in zip(fx["date"], fx["currency"]))
                         else "") + ".", form="money_fx")
