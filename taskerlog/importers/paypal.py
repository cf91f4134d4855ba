"""PayPal activity download (CSV) → payouts.

Only completed incoming payments from a platform become payouts: gross → amount, the fee
(as a positive number) → fee, net → received_amount in the same currency, the
transaction id → reference (so importing again, or an overlapping later download, adds
only new payments). Who is a platform: the payer's name contains a known platform name
(see :data:`KNOWN_PAYERS`), or the worker says so with ``--payer "Name=Platform"``.
Money received from a platform counts whatever PayPal's type word is (Mass Pay, Express
Checkout, Mobile Payment, Pre-approved Payment, Payment Received ...). Everything else
(payments out, withdrawals to a bank, currency conversions, holds, refunds, memo lines,
payments from people) is skipped and listed in the preview with the reason.

Downloads in English, German, Spanish, French and Portuguese are read by their own column
names (:data:`COLUMNS`), status and balance-impact words; in the four non-English ones a
date whose order the column does not prove is day first and an amount like 1,250 has a
decimal comma, as those languages write them (``--day-first`` / ``--decimal-comma``
override). Gross − |fee| must equal net on every payment kept, and an amount whose digit
groups are odd (``1,2,3``) is refused, never read as another number.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from ..model import Logbook
from ..problems import fix, say
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
         "BRT": -180, "ART": -180, "VET": -240, "COT": -300, "PKT": 300, "NPT": 345, "BDT": 360,
         "MEZ": 60, "MESZ": 120, "HNEC": 60, "HAEC": 120, "WEZ": 0, "WESZ": 60, "HNE": -300, "HAE": -240,
         "BRST": -120}

#: type words of money that moved but is not a payment to the worker (English and the four
#: download languages); a payment's own type word (Express Checkout ...) never skips it
SKIP_TYPES = ("currency conversion", "withdraw", "transfer to", "bank deposit", "hold", "reversal", "refund",
              "debit card", "authorization", "authorisation",
              "währungsumrechnung", "abbuchung", "bankgutschrift", "einbehalt", "rückzahlung", "erstattung",
              "rückbuchung", "conversión de divisa", "retirada", "retiro", "reembolso", "retención",
              "conversion de devise", "virement", "retrait", "remboursement", "conversão de moeda", "saque",
              "transferência", "retenção", "estorno")

#: column → its header in each language PayPal downloads in (en, de, es, fr, pt)
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("Date", "Datum", "Fecha", "Data"),
    "time": ("Time", "Uhrzeit", "Hora", "Heure", "Horário", "Horario"),
    "tz": ("TimeZone", "Time Zone", "Time zone", "Zeitzone", "Zona horaria", "Fuseau horaire", "Fuso horário"),
    "name": ("Name", "Nombre", "Nom", "Nome"),
    "type": ("Type", "Description", "Typ", "Tipo"),
    "status": ("Status", "Estado", "État", "Etat", "Statut"),
    "currency": ("Currency", "Währung", "Divisa", "Moneda", "Devise", "Moeda"),
    "gross": ("Gross", "Brutto", "Bruto", "Brut"),
    "fee": ("Fee", "Gebühr", "Tarifa", "Comisión", "Frais", "Taxa"),
    "net": ("Net", "Netto", "Neto", "Líquido", "Liquido"),
    "id": ("Transaction ID", "Transaktionscode", "Id. de transacción", "ID de transacción",
           "Código de transacción", "Numéro de transaction", "N° de transaction", "ID de transaction",
           "Código da transação", "ID da transação", "Código de transação"),
    "impact": ("Balance Impact", "Auswirkung auf Guthaben", "Impacto en el saldo", "Impact sur le solde",
               "Impacto no saldo"),
}
REQUIRED = ("date", "gross", "currency", "id")
COMPLETED = ("completed", "complete", "success", "abgeschlossen", "completado", "completada", "completo",
             "terminé", "termine", "effectué", "concluído", "concluido", "concluída")
DEBIT = ("debit", "soll", "débito", "debito", "débit", "cargo")
MEMO = ("memo",)


def _payer_platform(name: str, payers: dict[str, str]) -> str | None:
    n = name.strip().lower()
    for k, v in payers.items():
        if k.strip().lower() == n:
            return v
    for k, v in KNOWN_PAYERS.items():
        if k in n:
            return v
    return None


def looks_like_paypal(header: list[str]) -> bool:
    """A PayPal activity download, in any of its languages."""
    return all(find_column(header, *COLUMNS[k]) is not None for k in ("gross", "id"))


def _language(header: list[str]) -> str:
    """'en' for an English download, else 'other' (the four day-first, decimal-comma ones)."""
    return "en" if find_column(header, "Gross", "Transaction ID") is not None else "other"


def parse_payers(text: str | dict | list | tuple | None) -> dict[str, str]:
    """``--payer`` values: each NAME=PLATFORM (split at the last '='), given once per option
    (a name may hold commas: 'Scale AI, Inc.=Outlier'); one text (the app's box) may list
    several, each ending at the comma after its platform: 'Scale AI, Inc.=Outlier, Acme=Acme'."""
    if not text:
        return {}
    if isinstance(text, dict):
        return dict(text)
    if isinstance(text, (list, tuple)):
        out: dict[str, str] = {}
        for item in text:
            out.update(_payer(str(item)))
        return out
    out = {}
    text = str(text)
    for m in re.finditer(r"([^=]*)=([^,=]*)(?:,|$)", text):
        out.update(_payer(m.group(0).rstrip(",")))
    rest = re.sub(r"([^=]*)=([^,=]*)(?:,|$)", "", text).strip(" ,")
    if rest:
        _payer(rest)  # says what is wrong with it
    return out


def _payer(part: str) -> dict[str, str]:
    if "=" not in part or not part.rsplit("=", 1)[0].strip() or not part.rsplit("=", 1)[1].strip():
        raise ValueError(say("import.payer_syntax", "'{part}' is not NAME=PLATFORM; write e.g. {fix}",
                             part=part.strip(), fix=fix("payer", name="Smart Ecosystem", platform="Outlier")))
    k, v = part.rsplit("=", 1)
    return {k.strip(): v.strip()}


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
        raise CellError(say("import.unknown_zone", "'{zone}' is not a time zone this importer knows; {fix}", zone=s,
                            fix=fix("file_timezone"))) from exc


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
    col = {k: find_column(h, *names) for k, names in COLUMNS.items()}
    missing = [n for n in REQUIRED if col[n] is None]
    if missing:
        raise FormatMismatch("this does not look like a PayPal activity download: it has no "
                             + ", ".join(f"{COLUMNS[n][0]} ({' / '.join(COLUMNS[n][1:4])})" for n in missing)
                             + " column; it needs Date, Gross, Currency and Transaction ID, and reads Time, "
                             "TimeZone, Name, Type, Status, Fee, Net and Balance Impact when they are there (in "
                             "English, German, Spanish, French or Portuguese)")
    local = _language(h) != "en"
    tz = timezone or settings.timezone

    def v(rec: list[Any], k: str) -> str:
        i = col[k]
        return "" if i is None or i >= len(rec) or rec[i] is None else str(rec[i]).strip()

    parsed = []
    dates, amounts = [], []
    for line, rec in sheet.rows:
        at = "date"
        try:
            d = split_date(v(rec, "date"))
            dates.append((line, d))
            at = "gross"
            g = split_amount(v(rec, "gross"))
            at = "fee"
            f = split_amount(v(rec, "fee"))
            at = "net"
            n = split_amount(v(rec, "net"))
            for a in (g, f, n):
                if a is not None:
                    amounts.append((line, a))
            parsed.append((line, rec, d, g, f, n, None))
        except CellError as exc:
            parsed.append((line, rec, None, None, None, None, (h[col[at]], exc)))
    dfirst, dp = decide_day_first(dates, day_first, file, h[col["date"]])
    dcomma, mp = decide_decimal_comma(amounts, decimal_comma, file, h[col["gross"]])
    if local:  # German, Spanish, French, Portuguese: what the column does not prove is written their way
        if day_first is None and dfirst is None and all("could be day/month" in p.message for p in dp):
            dfirst, dp = True, []
        if decimal_comma is None and dcomma is None and all("thousands or decimals" in p.message for p in mp):
            dcomma, mp = True, []
    problems.extend(dp + mp)
    if dp or mp:
        return tables, problems
    for line, rec, d, g, f, n, err in parsed:
        name, typ, status = v(rec, "name"), v(rec, "type"), v(rec, "status")
        if err is not None:
            problems.append(Problem(file, line, err[0], str(err[1])))
            continue
        where = h[col["gross"]]
        try:
            if g is None:
                raise CellError(say("import.no_gross", "the gross amount is missing"))
            gross = resolve_amount(g, dcomma, allow_negative=True)
            impact = v(rec, "impact").lower()
            label = f"{typ or 'transaction'} {gross} {v(rec, 'currency')} from {name or '(no name)'}"
            reason = None
            if impact in MEMO:
                reason = "a memo line (PayPal's note of a payment, no money moved)"
            elif gross <= 0 or impact in DEBIT:
                reason = "money going out"
            elif status and status.lower() not in COMPLETED:
                reason = f"status {status}"
            elif any(t in typ.lower() for t in SKIP_TYPES):
                reason = f"a {typ}: money moved between your own balances or back, not pay"
            platform = _payer_platform(name, payers) if reason is None else None
            if reason is None and platform is None:
                reason = say("import.payer_unknown", "'{name}' is not a known platform; if it is one, add {fix}",
                             name=name, fix=fix("payer", name=name, platform="Platform"))
            if reason:
                notes.append(f"{file}:{line}: skipped {label}: {reason}")
                continue
            where = h[col["fee"]] if col["fee"] is not None else "Fee"
            fee = abs(resolve_amount(f, dcomma, allow_negative=True)) if f is not None else Decimal(0)
            where = h[col["net"]] if col["net"] is not None else "Net"
            net = resolve_amount(n, dcomma, allow_negative=True) if n is not None else gross - fee
            if net != gross - fee:
                raise CellError(say("import.net_mismatch", "gross {gross} − fee {fee} is {difference}, but the net says "
                                    "{net}; one of the three numbers is misread or mistyped: check this row in PayPal",
                                    gross=gross, fee=fee, difference=gross - fee, net=net))
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
                raise CellError(say("import.no_transaction_id", "the transaction id is missing; it is what stops a "
                                    "payment being imported twice"))
        except CellError as exc:
            problems.append(Problem(file, line, where, str(exc)))
            continue
        tables.add("payouts", PAYOUT_COLUMNS + ["_ids"], line, {
            "platform": platform, "paid_at": iso_local(paid_at, tz), "amount": gross, "currency": currency,
            "fee": fee, "method": "PayPal", "received_amount": net, "received_currency": currency,
            "reference": ref, "note": f"PayPal {typ}: {name}".strip(), "_ids": ref})
    return tables, problems
