"""PayPal activity download (CSV) → payouts.

Only completed incoming payments from a platform become payouts: gross → amount, the fee
(as a positive number) → fee, net → received_amount in the same currency, the
transaction id → reference (so importing again, or an overlapping later download, adds
only new payments). Who is a platform: the payer's name contains a known platform name
(see :data:`KNOWN_PAYERS`), or the worker says so with ``--payer "Name=Platform"``.
Everything else (payments out, withdrawals to a bank, currency conversions, holds,
payments from people) is skipped and listed in the preview with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from ..model import Logbook
from ._common import (
    PAYOUT_COLUMNS, CellError, FormatMismatch, Problem, Sheet, Tables, check_currency, decide_day_first,
    decide_decimal_comma, find_column, iso_local, parse_time_of_day, resolve_amount, resolve_date, split_amount,
    split_date,
)

#: payer-name fragment (lower case) → platform
KNOWN_PAYERS: dict[str, str] = {
    "outlier": "Outlier", "scale ai": "Outlier", "smart ecosystem": "Outlier", "remotasks": "Remotasks",
    "mechanical turk": "MTurk", "mturk": "MTurk", "appen": "Appen", "telus": "TELUS International",
    "dataannotation": "DataAnnotation", "data annotation": "DataAnnotation", "prolific": "Prolific",
    "clickworker": "Clickworker", "toloka": "Toloka", "alignerr": "Alignerr", "mercor": "Mercor",
    "oneforma": "OneForma", "hive": "Hive", "cloudfactory": "CloudFactory", "sama": "Sama",
    "welocalize": "Welocalize", "rws": "RWS", "labelbox": "Labelbox", "surge": "Surge AI",
}

#: PayPal's time-zone abbreviations → UTC offset in minutes
ZONES = {"PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CST": -360, "CDT": -300, "EST": -300, "EDT": -240,
         "GMT": 0, "UTC": 0, "BST": 60, "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180,
         "EAT": 180, "WAT": 60, "CAT": 120, "SAST": 120, "TRT": 180, "MSK": 180, "IST": 330, "PHT": 480,
         "PHST": 480, "SGT": 480, "HKT": 480, "WIB": 420, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
         "BRT": -180, "ART": -180, "VET": -240, "COT": -300, "PKT": 300, "NPT": 345, "BDT": 360}

SKIP_TYPES = ("currency conversion", "withdraw", "transfer to", "bank deposit", "hold", "reversal", "refund",
              "payment sent", "preapproved", "express checkout", "pre-approved", "debit card", "mobile payment sent")


def _payer_platform(name: str, payers: dict[str, str]) -> str | None:
    n = name.strip().lower()
    for k, v in payers.items():
        if k.strip().lower() == n:
            return v
    for k, v in KNOWN_PAYERS.items():
        if k in n:
            return v
    return None


def parse_payers(text: str | dict | None) -> dict[str, str]:
    if not text:
        return {}
    if isinstance(text, dict):
        return dict(text)
    out = {}
    for part in str(text).split(","):
        if "=" in part:
            k, v = part.rsplit("=", 1)
            out[k.strip()] = v.strip()
        elif part.strip():
            raise ValueError(f"'{part.strip()}' is not NAME=PLATFORM; write e.g. --payer 'Smart Ecosystem=Outlier'")
    return out


def _offset(tzname: str, fallback: str) -> dt.tzinfo:
    s = tzname.strip()
    if not s:
        from .. import timeutil
        return timeutil.zone(fallback)
    if s.upper() in ZONES:
        return dt.timezone(dt.timedelta(minutes=ZONES[s.upper()]))
    m = re.fullmatch(r"(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?", s)
    if m:
        mins = int(m.group(2)) * 60 + int(m.group(3) or 0)
        return dt.timezone(dt.timedelta(minutes=mins if m.group(1) == "+" else -mins))
    from .. import timeutil
    try:
        return timeutil.zone(s)
    except timeutil.TimeError as exc:
        raise CellError(f"'{s}' is not a time zone this importer knows; set --timezone for this file") from exc


def read_paypal(sheet: Sheet, settings: Logbook, *, payers: dict[str, str] | None = None,
                day_first: bool | None = None, decimal_comma: bool | None = None,
                today: dt.date | None = None, timezone: str | None = None,
                notes: list[str] | None = None) -> tuple[Tables, list[Problem]]:
    file = sheet.name
    h = sheet.header
    tables = Tables(file)
    problems: list[Problem] = []
    notes = notes if notes is not None else []
    payers = payers or {}
    col = {k: find_column(h, *names) for k, names in {
        "date": ("Date",), "time": ("Time",), "tz": ("TimeZone", "Time Zone", "Time zone"),
        "name": ("Name",), "type": ("Type", "Description"), "status": ("Status",), "currency": ("Currency",),
        "gross": ("Gross",), "fee": ("Fee",), "net": ("Net",), "id": ("Transaction ID",),
        "impact": ("Balance Impact",)}.items()}
    missing = [n for n in ("date", "gross", "currency", "id") if col[n] is None]
    if missing:
        raise FormatMismatch(f"this does not look like a PayPal activity download: it has no "
                             f"{', '.join(missing)} column (expected Date, Time, Name, Type, Status, Currency, "
                             "Gross, Fee, Net, Transaction ID)")
    tz = timezone or settings.timezone

    def v(rec: list[Any], k: str) -> str:
        i = col[k]
        return "" if i is None or i >= len(rec) or rec[i] is None else str(rec[i]).strip()

    parsed = []
    dates, amounts = [], []
    for line, rec in sheet.rows:
        try:
            d = split_date(rec[col["date"]])
            dates.append((line, d))
            g = split_amount(v(rec, "gross"))
            f = split_amount(v(rec, "fee"))
            n = split_amount(v(rec, "net"))
            for a in (g, f, n):
                if a is not None:
                    amounts.append((line, a))
            parsed.append((line, rec, d, g, f, n, None))
        except CellError as exc:
            parsed.append((line, rec, None, None, None, None, exc))
    dfirst, dp = decide_day_first(dates, day_first, file, h[col["date"]])
    dcomma, mp = decide_decimal_comma(amounts, decimal_comma, file, h[col["gross"]])
    problems.extend(dp + mp)
    if dp or mp:
        return tables, problems
    for line, rec, d, g, f, n, err in parsed:
        name, typ, status = v(rec, "name"), v(rec, "type"), v(rec, "status")
        if err is not None:
            problems.append(Problem(file, line, "", str(err)))
            continue
        where = h[col["gross"]]
        try:
            if g is None:
                raise CellError("the gross amount is missing")
            gross = resolve_amount(g, dcomma, allow_negative=True)
            impact = v(rec, "impact").lower()
            label = f"{typ or 'transaction'} {gross} {v(rec, 'currency')} from {name or '(no name)'}"
            reason = None
            if gross <= 0 or impact == "debit":
                reason = "money going out"
            elif status and status.lower() not in ("completed", "complete", "success"):
                reason = f"status {status}"
            elif any(t in typ.lower() for t in SKIP_TYPES):
                reason = "not a payment received"
            platform = _payer_platform(name, payers) if reason is None else None
            if reason is None and platform is None:
                reason = (f"'{name}' is not a known platform; if it is one, add --payer '{name}=Platform'")
            if reason:
                notes.append(f"{file}:{line}: skipped {label}: {reason}")
                continue
            where = h[col["fee"]] if col["fee"] is not None else "Fee"
            fee = abs(resolve_amount(f, dcomma, allow_negative=True)) if f is not None else Decimal(0)
            where = h[col["net"]] if col["net"] is not None else "Net"
            net = resolve_amount(n, dcomma, allow_negative=True) if n is not None else gross - fee
            where = h[col["currency"]]
            currency = check_currency(v(rec, "currency"))
            where = h[col["date"]]
            day = resolve_date(d, dfirst, today=today)
            where = h[col["time"]] if col["time"] is not None else "Time"
            t = parse_time_of_day(v(rec, "time"))[0] if v(rec, "time") else dt.time(12, 0)
            where = h[col["tz"]] if col["tz"] is not None else "TimeZone"
            zone = _offset(v(rec, "tz"), tz)
            paid_at = int(dt.datetime.combine(day, t, tzinfo=zone).timestamp())
            ref = v(rec, "id")
            if not ref:
                where = h[col["id"]]
                raise CellError("the transaction id is missing; it is what stops a payment being imported twice")
        except CellError as exc:
            problems.append(Problem(file, line, where, str(exc)))
            continue
        tables.add("payouts", PAYOUT_COLUMNS, line, {
            "platform": platform, "paid_at": iso_local(paid_at, tz), "amount": gross, "currency": currency,
            "fee": fee, "method": "PayPal", "received_amount": net, "received_currency": currency,
            "reference": ref, "note": f"PayPal {typ}: {name}".strip()})
    return tables, problems
