"""First-run helpers: the time zone the browser reports, and the legal minimum wage of its
country from the shipped table (taskerlog/data/minimum_wages.csv) as a reference wage."""

from __future__ import annotations

import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, i18n
from taskerlog.i18n import _


def browser_zone(fallback: str) -> str:
    """The browser's IANA time zone (``st.context.timezone``), else ``fallback``."""
    try:
        return st.context.timezone or fallback
    except Exception:  # noqa: BLE001 - an old browser or a test harness reports none
        return fallback


def _minimum(tz: str):
    from taskerlog.evidence import wages

    try:
        table = wages.load_table()
        key = wages.key_for_zone(tz, wages.keys(table))
        return None if key is None else wages.minimum_wage(key, appsupport.today_in(tz, _shared.now()), table)
    except Exception:  # noqa: BLE001 - no table, no row in force: nothing to offer
        return None


def minimum_for(tz: str | None) -> str | None:
    """``"the legal minimum in Kenya: KES … an hour"`` for a zone's country, or None."""
    w = _minimum(tz) if tz else None
    return None if w is None else _("the legal minimum in {place}: {currency} {amount} an hour").format(
        place=w.place, currency=w.currency, amount=i18n.number(w.hourly))


def reference(tz: str, wanted: bool, settings) -> dict:
    """The Logbook's reference-wage fields: the zone's country's minimum when ``wanted`` and
    known, else the settings as they were."""
    w = _minimum(tz) if wanted else None
    if w is None:
        return {"reference_wage": settings.reference_wage, "reference_currency": settings.reference_currency,
                "reference_label": settings.reference_label}
    return {"reference_wage": w.hourly, "reference_currency": w.currency,
            "reference_label": _("{place} minimum wage from {day}").format(place=w.place, day=w.effective_from)}
