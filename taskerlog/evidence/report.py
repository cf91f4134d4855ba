"""The evidence report: a PDF a lawyer, a labour inspector or a union can read and check,
the entries behind it as CSV, and a manifest with the SHA-256 of every file, in one zip.

``gather`` reads the logbook (through the store) into an :class:`Evidence`; ``render_pdf``
and ``build_zip`` are pure functions of it. Every figure comes from
:func:`taskerlog.metrics.compute` for the same period and reference, so the report agrees
with ``taskerlog metrics --json`` (whose output is also in the zip as ``metrics.json``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np

from .. import i18n, metrics, money, render, timeutil
from ..csvsafe import csv_bytes
from ..i18n import N_, _, ngettext, pgettext
from ..model import EARNING_STATUSES, UNPAID_KEYS
from ..store import activity, is_sample_path
from ..store.activity import active_within
from . import anchors as anc
from . import attachments as att
from . import integrity as ig
from . import wages
from .wages import Reference

FORMAT = "taskerlog-evidence-1"
PDF_NAME = "evidence-report.pdf"
#: a payout is expected within this many days after the end of a week with paid work
PAYOUT_GRACE_DAYS = 14
#: gaps between payouts longer than this are listed
PAYOUT_GAP_DAYS = 14
#: the ends of a gap between payouts that are not a payout's day (shown with ``_()``)
PERIOD_START, PERIOD_END = N_("the start of the period"), N_("the end of the period")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "PHP": "₱", "KES": "KSh", "INR": "₹", "TRY": "₺", "NGN": "₦",
           "GHS": "GH₵", "BRL": "R$", "ZAR": "R", "VES": "Bs.", "COP": "COL$"}


class EvidenceError(ValueError):
    """The report cannot be made; the message says what to do."""


# -- formatting -------------------------------------------------------------------------------
def amount(value: str | Decimal | None, currency: str | None = None, places: int = 2) -> str:
    """``"1234.5"`` → ``1,234.50 USD`` (``1.234,50 USD`` in Brazil; rounded half to even for display only)."""
    if value is None:
        return "—"
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = i18n.number(abs(d) if d == 0 else d, places)
    return f"{text} {currency}" if currency else text


def decimal(value: float | Decimal, places: int) -> str:
    """A figure (hours, a percentage) with ``places`` decimals, the current language's way."""
    d = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    return i18n.number(d, places)


def hours(value: float | None) -> str:
    return "—" if value is None else _("{hours} h").format(hours=decimal(value, 2))


def pct(value: float | None) -> str:
    return "—" if value is None else _("{percent}%").format(percent=decimal(value * 100, 1))


def group_hash(h: str) -> str:
    """A SHA-256 in groups of four hex digits, so it wraps and can be read aloud."""
    return " ".join(h[i:i + 4] for i in range(0, len(h), 4))


def _na(v: Any) -> bool:
    return v is None or v is np.nan or (isinstance(v, float) and v != v) or str(v) == "<NA>"


# -- the gathered report ----------------------------------------------------------------------
@dataclass
class Evidence:
    """Everything the report shows, read from the logbook once."""

    home: str
    tz: str
    date_from: dt.date
    date_to: dt.date
    generated_at: int
    logbook_name: str
    statement: str | None
    reference: Reference | None
    metrics: dict[str, Any]
    entries: list[dict[str, Any]]
    rates: list[dict[str, Any]]
    eq: list[dict[str, Any]]
    payouts: list[dict[str, Any]]
    payout_weeks: list[dict[str, Any]]
    payout_gaps: list[dict[str, Any]]
    edits: list[ig.Change]
    deleted: list[dict[str, Any]]
    journal_entries: int
    journal_head: str
    verify_ok: bool
    verify_problems: list[str]
    anchors: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    window: int = ig.WINDOW_SECONDS
    today: dt.date | None = None
    """The local day the report was made."""
    sample: bool = False
    """Made from a sample person's logbook (store.is_sample_path): every page says SAMPLE."""
    outstanding_today: str | None = None
    """Earned minus paid out, all time, as of ``today``: what is owed on the day the report is
    made (a payout after the period's end has paid some of what was owed at its end)."""

    def local(self, epoch: int | None, seconds: bool = False) -> str:
        if epoch is None or _na(epoch):
            return "—"
        return timeutil.to_local(int(epoch), self.tz).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""))

    def money(self, value) -> str:
        return amount(value, self.home)


def _rates_table(frames, keys: set[tuple[str, str]], tz: str, d0: dt.date, d1: dt.date,
                 entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every rate of the projects worked in the period, up to its end, with each change's %."""
    out = []
    r = frames.rates
    end_epoch = timeutil.local_midnight(d1 + dt.timedelta(days=1), tz)
    for (plat, proj) in sorted(keys):
        rows = r[(r["platform"] == plat) & (r["project"] == proj)].sort_values("effective_at", kind="stable")
        last: dict[tuple[str, str], int] = {}
        rates = [x for x in rows.to_dict("records") if int(x["effective_at"]) < end_epoch]
        for i, x in enumerate(rates):
            eff = int(x["effective_at"])
            series = (x["applies_to"] or "", x["unit"])
            old = last.get(series)
            new = int(x["rate_micros"])
            change = None if old in (None, 0) else float((Decimal(new) - Decimal(old)) / Decimal(old) * 100)
            last[series] = new
            nxt = next((int(y["effective_at"]) for y in rates[i + 1:]
                        if (y["applies_to"] or "", y["unit"]) == series), None)
            applies = tuple((x["applies_to"] or "").split(";")) if x["applies_to"] else ("tasking", "review", "training")
            got = [e for e in entries if e["platform"] == plat and e["project"] == proj and e["earning"]
                   and e["kind"] in applies and eff <= e["start"] and (nxt is None or e["start"] < nxt)]
            secs = sum(e["end"] - e["start"] for e in got)
            paid = sum(e["pay_home_micros"] for e in got)
            units = sum(e["units"] or 0 for e in got)
            out.append({
                "platform": plat, "project": proj, "effective_at": eff,
                "in_period": timeutil.to_local(eff, tz).date() >= d0,
                "rate": money.format_micros(new), "unit": x["unit"], "currency": x["currency"],
                "applies_to": x["applies_to"] or "all billable kinds", "note": None if _na(x["note"]) else x["note"],
                "change_pct": change, "cut": change is not None and change < 0,
                "entries_at_rate": len(got), "hours_at_rate": secs / 3600, "units_at_rate": units,
                "paid_at_rate_micros": paid,
            })
    return out


def _payout_analysis(entries, payouts_all, tz: str, d0: dt.date, d1: dt.date, today: dt.date):
    """Weeks with paid work and whether a payout followed; long gaps between payouts."""
    weeks: dict[tuple[str, dt.date], dict[str, Any]] = {}
    for e in entries:
        if not e["earning"]:
            continue
        mon = timeutil.week_monday(e["day"])
        w = weeks.setdefault((e["platform"], mon), {"platform": e["platform"], "week": timeutil.iso_week_label(mon),
                                                   "monday": mon, "hours": 0.0, "earned_micros": 0})
        w["hours"] += (e["end"] - e["start"]) / 3600
        w["earned_micros"] += e["pay_home_micros"]
    pays_by_plat: dict[str, list[dt.date]] = {}
    for p in payouts_all:
        pays_by_plat.setdefault(p["platform"], []).append(p["day"])
    rows = []
    for (plat, mon), w in sorted(weeks.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        sunday = mon + dt.timedelta(days=6)
        deadline = sunday + dt.timedelta(days=PAYOUT_GRACE_DAYS)
        got = sorted(d for d in pays_by_plat.get(plat, []) if mon <= d <= deadline)
        if got:
            status = f"payout on {got[0].isoformat()}"
        elif deadline >= today:
            status = f"none yet (expected by {deadline.isoformat()})"
        else:
            status = f"NO PAYOUT by {deadline.isoformat()}"
        rows.append({**w, "deadline": deadline, "status": status, "paid_on": got[0] if got else None,
                     "missing": not got and deadline < today})
    gaps = []
    for plat in sorted({e["platform"] for e in entries} | set(pays_by_plat)):
        days = sorted(d for d in pays_by_plat.get(plat, []) if d0 <= d <= d1)
        marks = [d0 - dt.timedelta(days=1)] + days + [min(d1, today) + dt.timedelta(days=1)]
        labels = [PERIOD_START] + [d.isoformat() for d in days] + [PERIOD_END]
        for a, b, la, lb in zip(marks, marks[1:], labels, labels[1:]):
            span = (b - a).days - 1
            worked = any(e["platform"] == plat and e["earning"] and a < e["day"] < b for e in entries)
            if span > PAYOUT_GAP_DAYS and worked:
                gaps.append({"platform": plat, "from": la, "to": lb, "days": span})
    return rows, gaps


def gather(store, *, date_from: dt.date, date_to: dt.date, reference: Reference | None, now: int,
           statement: str | None = None, anchor_claims: list[anc.Claim] = (),
           window: int = ig.WINDOW_SECONDS) -> Evidence:
    """Read everything the report needs for the period ``date_from``..``date_to`` (inclusive)."""
    if date_to < date_from:
        from ..problems import fix, say
        raise EvidenceError(say("evidence.period_backwards", "{fix}; give a later day", fix=fix(
            "period_backwards", first=date_from.isoformat(), last=date_to.isoformat())))
    frames = store.frames()
    s = frames.settings
    tz, home = s.timezone, s.home_currency
    today = timeutil.to_local(now, tz).date()
    ref_kw: dict[str, Any] = {}
    if reference is not None:
        ref_kw = {"reference_wage": reference.hourly, "reference_currency": reference.currency}
    try:
        prepared = metrics.prepare(frames)
        figures = metrics.compute(date_from=date_from, date_to=date_to, breakdowns=True, today=today,
                                  prepared=prepared, frames=frames, **ref_kw)
        owed_today = metrics.compute(date_to=today, breakdowns=False, today=today, prepared=prepared,
                                     frames=frames)["outstanding"]
    except metrics.MetricsError as exc:
        raise EvidenceError(str(exc)) from exc
    if reference is None:
        # compute() falls back to the logbook's reference; the report has none, so keep none
        for row in [figures, *figures.get("by_week", []), *figures.get("by_project", [])]:
            for k in ("reference_wage", "below_reference", "shortfall", "weekly_shortfall", "weeks_below_reference"):
                row[k] = None

    # entries, in metrics' (start, end) order so each gets its pay in the home currency
    w = frames.work.sort_values(["start", "end"], kind="stable").reset_index(drop=True)
    pay = prepared.pay if len(prepared.pay) == len(w) else np.zeros(len(w), dtype=np.int64)
    names = {"projects": {r["id"]: r["name"] for r in store.rows("projects")},
             "platforms": {r["id"]: r["name"] for r in store.rows("platforms")}}

    def show(col: str, v: Any) -> str:
        if v is None:
            # Translators: a field of an entry that held nothing, before or after an edit
            return _("(blank)")
        if col in ("start", "end", "paid_at", "effective_at", "started_at"):
            return timeutil.to_local(int(v), tz).strftime("%Y-%m-%d %H:%M")
        if col.endswith("_micros"):
            return money.format_micros(int(v))
        if col == "project_id":
            return names["projects"].get(v, f"#{v}")
        if col == "platform_id":
            return names["platforms"].get(v, f"#{v}")
        return str(v)

    work_journal = store.journal_entries("work", actions=("update", "delete"))
    trail = ig.edit_trail(work_journal, show)
    atts = store.rows("attachments")
    att_by_work: dict[int, list[str]] = {}
    for a in atts:
        if a["work_id"] is not None:
            att_by_work.setdefault(int(a["work_id"]), []).append(a["sha256"])

    entries: list[dict[str, Any]] = []
    for i, r in enumerate(w.to_dict("records")):
        start, end = int(r["start"]), int(r["end"])
        day = timeutil.to_local(start, tz).date()
        if not (date_from <= day <= date_to):
            continue
        rid = int(r["id"])
        klass, lag = ig.classify(r["source"], start, end, int(r["recorded_at"]), window)
        earning = r["status"] in EARNING_STATUSES and int(pay[i]) > 0
        entries.append({
            "id": rid, "platform": r["platform"], "project": None if _na(r["project"]) else r["project"],
            "kind": r["kind"], "status": r["status"], "start": start, "end": end, "day": day,
            "hours": (end - start) / 3600, "units": None if _na(r["units"]) else int(r["units"]),
            "pay_recorded": None if _na(r["pay_micros"]) else money.format_micros(int(r["pay_micros"])),
            "currency": None if _na(r["currency"]) else r["currency"],
            "pay_home_micros": int(pay[i]) if r["status"] in EARNING_STATUSES else 0, "earning": earning,
            "external_id": None if _na(r["external_id"]) else r["external_id"],
            "note": None if _na(r["note"]) else r["note"],
            "recorded_at": int(r["recorded_at"]), "edited_at": None if _na(r["edited_at"]) else int(r["edited_at"]),
            "source": r["source"], "class": klass, "lag": lag, "contemporaneous": klass in ig.CONTEMPORANEOUS,
            "edits": trail.get(rid, []), "attachments": att_by_work.get(rid, []),
        })
    if entries:  # ActivityWatch time at the computer inside each entry, where any was imported
        spans = activity.spans(store, min(e["start"] for e in entries), max(e["end"] for e in entries))
        active = active_within(spans, [e["start"] for e in entries], [e["end"] for e in entries]) \
            if (spans["kind"] == "active").any() else None
        for i, e in enumerate(entries):
            e["active_seconds"] = None if active is None else int(active[i])
    ids = {e["id"] for e in entries}
    edits = [c for rid in sorted(ids) for c in trail.get(rid, [])]
    deleted = []
    for rid, at, source, old in ig.deletions(work_journal):
        start = old.get("start")
        if start is None or not (date_from <= timeutil.to_local(int(start), tz).date() <= date_to):
            continue
        deleted.append({"id": rid, "deleted_at": at, "source": source,
                        "values": {ig.FIELD_NAMES.get(k, k): show(k, v) for k, v in old.items()
                                   if k in ("start", "end", "kind", "status", "pay_micros", "project_id",
                                            "platform_id", "note")}})

    keys = {(e["platform"], e["project"]) for e in entries if e["project"]}
    rates = _rates_table(frames, keys, tz, date_from, date_to, entries)

    eq = []
    for x in frames.eq.to_dict("records"):
        s0, s1 = x["start_date"], x["end_date"]
        last = s1 if s1 is not None and not _na(s1) else today
        if s0 <= date_to and last >= date_from:
            lo, hi = max(s0, date_from), min(last, date_to)
            eq.append({"platform": x["platform"], "start": s0, "end": None if _na(s1) else s1,
                       "days_in_period": (hi - lo).days + 1, "note": None if _na(x["note"]) else x["note"]})

    payouts_all = []
    for x in frames.payouts.to_dict("records"):
        payouts_all.append({
            "platform": x["platform"], "paid_at": int(x["paid_at"]),
            "day": timeutil.to_local(int(x["paid_at"]), tz).date(),
            "amount": money.format_micros(int(x["amount_micros"])), "currency": x["currency"],
            "fee": money.format_micros(int(x["fee_micros"] or 0)), "method": None if _na(x["method"]) else x["method"],
            "received": None if _na(x["received_amount_micros"]) else money.format_micros(int(x["received_amount_micros"])),
            "received_currency": None if _na(x["received_currency"]) else x["received_currency"],
            "reference": None if _na(x["reference"]) else x["reference"], "note": None if _na(x["note"]) else x["note"],
            "for_earlier_work": bool(int(x.get("for_earlier_work") or 0))})
    payouts = [p for p in payouts_all if date_from <= p["day"] <= date_to]
    # a payout for work before the logbook began pays for no logged week (metrics.md: not in paid_out)
    payout_weeks, payout_gaps = _payout_analysis(entries, [p for p in payouts_all if not p["for_earlier_work"]], tz,
                                                 date_from, date_to, today)

    result = store.verify()
    a_check = anc.check_anchors(store, list(anchor_claims))
    n_files, file_problems = att.check_files(store)
    problems = [p.message for p in [*result.problems, *a_check.problems, *file_problems]]
    anchors = [{"id": a.id, "seq": a.seq, "hash": a.hash, "recorded_at": a.recorded_at, "note": a.note,
                "matches": a_check.matched.get(a.id, False)} for a in anc.recorded_anchors(store)]

    plat_names, proj_names = names["platforms"], names["projects"]
    attachments = []
    for a in atts:
        wid = a["work_id"]
        if wid is not None and int(wid) not in ids:
            continue  # attached to an entry outside the period
        # ``target`` is attachments.csv's English value; ``target_of`` is worded where shown (_attached_to)
        if wid is not None:
            target, target_of = f"entry #{wid}", ("entry", wid)
        elif a["project_id"] is not None:
            name = f"{plat_names.get(a['platform_id'], '?')} / {proj_names.get(a['project_id'], '?')}"
            target, target_of = name, ("project", name)
        elif a["platform_id"] is not None:
            name = plat_names.get(a["platform_id"], "?")
            target, target_of = f"platform {name}", ("platform", name)
        else:
            target, target_of = "the logbook", ("logbook", None)
        attachments.append({**a, "target": target, "target_of": target_of})

    return Evidence(
        home=home, tz=tz, date_from=date_from, date_to=date_to, generated_at=now,
        logbook_name=store.path.name, statement=(statement or "").strip() or None, reference=reference,
        metrics=figures, entries=entries, rates=rates, eq=eq, payouts=payouts, payout_weeks=payout_weeks,
        payout_gaps=payout_gaps, edits=edits, deleted=deleted, journal_entries=result.entries,
        journal_head=result.head, verify_ok=not problems, verify_problems=problems, anchors=anchors,
        attachments=attachments, window=window, today=today, outstanding_today=owed_today,
        sample=is_sample_path(store.path))


# -- the PDF ----------------------------------------------------------------------------------
#: kinds of work and statuses of pay as the PDF shows them (the CSV files keep the English values)
WORDS = {
    "tasking": N_("tasking"), "review": N_("review"), "training": N_("training"), "onboarding": N_("onboarding"),
    "assessment": N_("assessment"), "instructions": N_("instructions"), "meeting": N_("meeting"),
    "admin": N_("admin"), "waiting": N_("waiting"), "paid": N_("paid"), "pending": N_("pending"),
    "rejected": N_("rejected"), "returned": N_("returned"), "lost": N_("lost"), "capped": N_("capped"),
    "unpaid": N_("unpaid"),
}


def word(value: str | None) -> str:
    """A kind, status or record class in the current language (anything else as it is)."""
    if value in WORDS or value in ig.CLASSES:
        return _(value)
    return value or ""


def _outstanding_rows(ev: Evidence) -> list[tuple[str, str]]:
    """What is owed on the day the report is made first; at the period's end second, labelled
    (it can be more: payouts after the period paid some of it)."""
    m = ev.metrics
    rows = []
    if ev.outstanding_today is not None and ev.today is not None and ev.today != ev.date_to:
        rows.append((_("Outstanding on {day}").format(day=ev.today.isoformat()),
                     _("{amount}  (the day this report was made: everything earned minus everything paid out, "
                       "to date)").format(amount=ev.money(ev.outstanding_today))))
        since = (_("{amount}  (earned minus paid out, all time up to that day; payouts since then have paid part "
                   "of it)") if Decimal(m["outstanding"]) > Decimal(ev.outstanding_today)
                 else _("{amount}  (earned minus paid out, all time up to that day)"))
        rows.append((_("Outstanding at the period's end ({day})").format(day=ev.date_to.isoformat()),
                     since.format(amount=ev.money(m["outstanding"]))))
    else:
        rows.append((_("Outstanding on {day}").format(day=ev.date_to.isoformat()),
                     _("{amount}  (everything earned minus everything paid out, to that day)").format(
                         amount=ev.money(m["outstanding"]))))
    if m.get("paid_out_earlier") and Decimal(m["paid_out_earlier"]):
        rows.append((_("Paid for earlier work"),
                     _("{amount}  (paid in the period for work done before the logbook began: not in the figures "
                       "above)").format(amount=ev.money(m["paid_out_earlier"]))))
    shown = ev.outstanding_today if ev.outstanding_today is not None else m["outstanding"]
    note = render.negative_outstanding_note(shown)
    if note:
        rows.append((_("  outstanding is"), note))
    return rows


def _who(e: dict[str, Any]) -> str:
    return f"{e['platform']} / {e['project']}" if e["project"] else e["platform"]


def render_pdf(ev: Evidence, english_too: bool = False) -> bytes:
    """The report as PDF bytes (pure: the same Evidence gives the same document), in the
    current language; with ``english_too`` (and a language other than English) the whole
    report follows again in English, for a reader who needs it (docs/evidence.md).

    One function a section, in the order they are printed: ``_pdf_front`` (title, and how
    to check the report), then ``_pdf_1_statement`` to ``_pdf_9_attachments``.
    """
    from .pdf import RED, ReportPDF  # fpdf and its fonts take half a second to load: only when a PDF is made

    copy = english_too and not _in_english()
    pdf = ReportPDF(_footer(ev))
    _pdf_report(pdf, ev, RED, copy_follows=copy)
    if copy:
        with i18n.using(i18n.DEFAULT):
            pdf.footer_text = _footer(ev) + " · English copy"
            _pdf_report(pdf, ev, RED, english_copy=True)
    return bytes(pdf.output())


def _period(ev: Evidence) -> str:
    return _("{first} to {last}").format(first=ev.date_from.isoformat(), last=ev.date_to.isoformat())


def _footer(ev: Evidence) -> str:
    if ev.sample:
        return _("SAMPLE DATA, not a real worker's records · taskerlog evidence report · {period}").format(
            period=_period(ev))
    return _("taskerlog evidence report · {period}").format(period=_period(ev))


def _pdf_report(pdf, ev: Evidence, red, copy_follows: bool = False, english_copy: bool = False) -> None:
    _pdf_front(pdf, ev, _period(ev), red, copy_follows=copy_follows, english_copy=english_copy)
    for section in (_pdf_1_statement, _pdf_2_summary, _pdf_3_rates, _pdf_4_unpaid, _pdf_5_eq, _pdf_6_payouts,
                    _pdf_7_integrity, _pdf_8_journal, _pdf_9_attachments):
        section(pdf, ev, red)


def _pdf_front(pdf, ev: Evidence, period: str, red, copy_follows: bool = False, english_copy: bool = False) -> None:
    """The title block, the period, and how to check the report."""
    pdf.set_creation_date(dt.datetime.fromtimestamp(ev.generated_at, tz=dt.timezone.utc))
    pdf.add_page()
    if english_copy:  # printed only in English: this part is for a reader of English
        pdf.para("ENGLISH COPY: the same report as the pages before, word for word in English, with the same "
                 "figures. Statute names, sources and the worker's own words are as written.", bold=True)
    if ev.sample:
        pdf.para(_("SAMPLE: this report was made from a sample person's logbook shipped with taskerlog to show "
                   "what a report looks like. Its people, work and pay are made up; it is not evidence of "
                   "anything."), color=red)
    pdf.title_block(_("SAMPLE · Evidence of work and pay") if ev.sample else _("Evidence of work and pay"), [
        _("Period: {period} (both days included; each entry belongs to the day it started).").format(period=period),
        _("Made by taskerlog on {when} ({tz}) from the logbook {logbook}.").format(
            when=ev.local(ev.generated_at), tz=ev.tz, logbook=ev.logbook_name),
        _("Amounts are in {currency} unless another currency is named. Times are local to {tz}.").format(
            currency=ev.home, tz=ev.tz),
    ])
    if copy_follows:
        pdf.para(_("An English copy of the whole report follows its last section."), bold=True)
    pdf.para(_("How to check this report: the zip it came in holds the entries as CSV files, the figures as "
               "metrics.json and manifest.json with the SHA-256 of every file. Section 8 gives the logbook "
               "journal's head hash and the anchors the worker shared earlier; `taskerlog verify --anchor ...` "
               "on the worker's logbook confirms that the records have not changed since an anchor was shared."),
             size=8.5)


def _pdf_1_statement(pdf, ev: Evidence, red) -> None:
    """Section 1: statement."""
    pdf.section(_("1. The worker's statement"))
    if ev.statement:
        pdf.para(ev.statement)
    else:
        pdf.para(_("(The worker gave no statement for this report.)"))


def _pdf_2_summary(pdf, ev: Evidence, red) -> None:
    """Section 2: summary."""
    m = ev.metrics
    pdf.section(_("2. Summary"))
    ref = ev.reference
    rows = [
        (_("Hours worked"), _("{hours}  (all time spent on the work; overlapping entries counted once)").format(
            hours=hours(m["hours_worked"]))),
        (_("Hours paid"), hours(m["hours_paid"])),
        (_("Hours unpaid"), _("{hours}  ({percent} of the time worked)").format(
            hours=hours(m["hours_unpaid"]), percent=pct(m["unpaid_share"]))),
    ]
    for k in UNPAID_KEYS:
        v = (m.get("unpaid_hours_by_kind") or {}).get(k)
        if v:
            rows.append((_("    unpaid: {kind}").format(kind=word(k)), hours(v)))
    earned = ev.money(m["earned"])
    if m.get("pending") and Decimal(m["pending"]):
        earned = _("{amount}  (of which pending approval: {pending})").format(amount=earned,
                                                                            pending=ev.money(m["pending"]))
    rows += [
        (_("Earned"), earned),
        (_("Paid out in the period"), _("{amount}  (fees {fees})").format(amount=ev.money(m["paid_out"]),
                                                                          fees=ev.money(m["fees"]))),
        *_outstanding_rows(ev),
        (_("Effective hourly wage"), _("{amount} per hour  (earned ÷ hours worked)").format(
            amount=ev.money(m["effective_hourly_wage"]))),
        (_("Paid hourly rate"), _("{amount} per hour  (earned ÷ hours paid)").format(
            amount=ev.money(m["paid_hourly_rate"]))),
    ]
    others: tuple[str, ...] = ()
    if ref is None:
        rows.append((_("Reference wage"), _("none chosen: no shortfall is computed")))
    else:
        label, origin, detail, others = ref.words()
        per_hour = _("{amount} per hour").format(amount=amount(ref.hourly, ref.currency))
        if ref.currency != ev.home:
            per_hour = _("{amount} per hour = {home} at the recorded exchange rate on or before {day}").format(
                amount=amount(ref.hourly, ref.currency), home=ev.money(m["reference_wage"]), day=ev.date_to)
        which = _("{label} ({origin}). {detail}.").format(label=label, origin=origin, detail=detail)
        if ref.source:
            which += " " + _("Source: {source}.").format(source=ref.source)
        verdict = render.weekly_verdict(m, ev.money)
        below = (_("YES: {verdict}  (each week on its own, as minimum-wage law measures it)")
                 if m["weeks_below_reference"] else
                 _("no: {verdict}  (each week on its own, as minimum-wage law measures it)"))
        averaged = (_("below the reference; shortfall {amount}  (the whole period as one: a second, weaker figure)")
                    if m["below_reference"] else
                    _("not below the reference; shortfall {amount}  (the whole period as one: a second, weaker "
                      "figure)"))
        rows += [
            (_("Reference wage"), per_hour),
            (_("  which is"), which),
            (_("Paid below it, week by week?"), below.format(verdict=verdict)),
            (_("Weekly shortfall"), _("{amount}  (reference × hours worked − earned, for each week below it, added "
                                      "up: a bad week is never offset by a good one)").format(
                amount=ev.money(m["weekly_shortfall"]))),
            (_("Whole period averaged"), averaged.format(amount=ev.money(m["shortfall"]))),
        ]
    rows += [
        # Translators: {days} and {longest} are "N days", {episodes} "N episodes", each counted in the language
        (_("Empty queue (EQ)"), _("{days} in {episodes}; longest {longest}").format(
            days=_days(m["eq_days"]), longest=_days(m["longest_eq_days"]),
            episodes=ngettext("{n} episode", "{n} episodes", m["eq_episodes"]).format(n=m["eq_episodes"]))),
        # Translators: {cuts} is "N cuts", {raises} "N raises", each counted in the language
        (_("Rate changes"), _("{changes} ({cuts}, {raises}); largest cut {largest}%").format(
            changes=m["rate_changes"], cuts=ngettext("{n} cut", "{n} cuts", m["rate_cuts"]).format(n=m["rate_cuts"]),
            raises=ngettext("{n} raise", "{n} raises", m["rate_raises"]).format(n=m["rate_raises"]),
            largest=decimal(m["largest_cut_pct"], 1)) if m.get("largest_cut_pct") is not None
         else str(m["rate_changes"])),
    ]
    pdf.pairs(rows, widths=(30, 70))
    if ref is not None and ref.origin == wages.LEGAL:
        pdf.para(_("The legal minimum comes from the table shipped with taskerlog, dated as shown; minimum wages "
                   "change, so check the figure in force for this work with the named source."), size=8)
    if others:
        pdf.para(_("Another figure of this minimum applied during part of the period: {figures}. The report uses "
                   "the one in force on its last day.").format(figures="; ".join(others)), size=8.5, color=red)

    weeks = m.get("by_week") or []
    if weeks:
        pdf.subheading(_("Week by week"))
        head = [_("Week"), _("Hours worked"), _("Hours paid"), _("Earned"), _("Per hour worked")]
        if ref is not None:
            head.append(_("Shortfall"))
        body = []
        for wk in weeks:
            row = [wk["week"], hours(wk["hours_worked"]), hours(wk["hours_paid"]), amount(wk["earned"]),
                   amount(wk["effective_hourly_wage"])]
            if ref is not None:
                row.append(amount(wk["weekly_shortfall"]))
            body.append(row)
        pdf.grid([head, *body], widths=(16, 16, 16, 18, 18, 16)[:len(head)],
                 aligns=("L", "R", "R", "R", "R", "R")[:len(head)])


def _applies_to(text: str) -> str:
    if not text or text == "all billable kinds":
        return _("all billable kinds")
    return ";".join(word(k) for k in text.split(";"))


def _pdf_3_rates(pdf, ev: Evidence, red) -> None:
    """Section 3: rates."""
    m = ev.metrics
    pdf.section(_("3. The rates promised, every change, and what was paid"))
    pdf.para(_("Each rate as recorded, from when it applied. A change compares a rate with the one it replaced "
               "for the same project, kinds of work and unit; cuts are marked in red. The last columns show the "
               "paid entries of the period that started while the rate applied, and what they were paid "
               "(recorded pay, else hours × rate, in {currency}).").format(currency=ev.home), size=8.5)
    if ev.rates:
        body, hl = [], []
        for i, r in enumerate(ev.rates):
            ch = _("first rate") if r["change_pct"] is None else (
                _("CUT {percent}%").format(percent=decimal(r["change_pct"], 1)) if r["cut"]
                else _("+{percent}%").format(percent=decimal(r["change_pct"], 1)))
            per = (_("{rate} per hour") if r["unit"] == "hour" else _("{rate} per task")).format(
                rate=amount(r["rate"], r["currency"]))
            got = ngettext("{entries} entry, {hours} h, paid {paid}", "{entries} entries, {hours} h, paid {paid}",
                           r["entries_at_rate"]).format(
                entries=r["entries_at_rate"], hours=decimal(r["hours_at_rate"], 2),
                paid=amount(money.format_micros(r["paid_at_rate_micros"]))) if r["entries_at_rate"] else "—"
            body.append([f"{r['platform']} / {r['project']}", ev.local(r["effective_at"]), per,
                         _applies_to(r["applies_to"]), ch, got, r["note"] or ""])
            if r["cut"]:
                hl.append(i)
        pdf.grid([[_("Project"), _("From"), _("Rate"), _("Applies to"), _("Change"), _("Paid at this rate"),
                   _("Note")], *body], widths=(18, 14, 14, 12, 10, 19, 13), highlight=hl)
    else:
        pdf.para(_("No rates are recorded for the projects worked in this period."))
    projects = [p for p in (m.get("by_project") or [])]
    if projects:
        pdf.subheading(_("Per project, in the period"))
        body = [[f"{p['platform']} / {p['project']}" if p["project"]
                 else _("{platform} (no project)").format(platform=p["platform"]),
                 hours(p["hours_worked"]), hours(p["hours_paid"]), amount(p["earned"]),
                 amount(p.get("advertised_rate")), amount(p["paid_hourly_rate"]), amount(p["effective_hourly_wage"])]
                for p in projects]
        # Translators: "Paid" here is hours paid (the column before is hours worked)
        pdf.grid([[_("Project"), _("Worked"), pgettext("hours", "Paid"), _("Earned"), _("Advertised /h"), _("Paid /h"),
                   _("Per hour worked")], *body],
                 widths=(28, 12, 12, 14, 14, 12, 14), aligns=("L", "R", "R", "R", "R", "R", "R"))


def _pdf_4_unpaid(pdf, ev: Evidence, red) -> None:
    """Section 4: unpaid work."""
    pdf.section(_("4. Unpaid work, entry by entry"))
    unpaid = [e for e in ev.entries if not e["earning"]]
    total = sum(e["hours"] for e in unpaid)
    pdf.para(ngettext("{n} entry that earned nothing, {hours} h in all (summed entry by entry; the summary counts "
                      "overlapping time once).",
                      "{n} entries that earned nothing, {hours} h in all (summed entry by entry; the summary counts "
                      "overlapping time once).", len(unpaid)).format(n=len(unpaid), hours=decimal(total, 2)),
             size=8.5)
    body = [[str(e["id"]), f"{ev.local(e['start'])} – {ev.local(e['end'])[11:]}", decimal(e["hours"], 2), _who(e),
             word(e["kind"]), word(e["status"]), e["note"] or ""] for e in unpaid]
    pdf.grid([["#", _("When"), _("Hours"), _("Platform / project"), _("Kind"), _("Status"), _("Note")], *body],
             widths=(6, 28, 9, 22, 14, 9, 22), aligns=("R", "L", "R", "L", "L", "L", "L"))


def _pdf_5_eq(pdf, ev: Evidence, red) -> None:
    """Section 5: EQ."""
    pdf.section(_("5. Empty queue: days with no work available"))
    if ev.eq:
        body = [[e["platform"], e["start"].isoformat(), e["end"].isoformat() if e["end"] else _("still empty"),
                 str(e["days_in_period"]), e["note"] or ""] for e in ev.eq]
        pdf.grid([[_("Platform"), _("First day"), _("Last day"), _("Days in period"), _("Note")], *body],
                 widths=(20, 15, 15, 12, 38))
    else:
        pdf.para(_("No empty-queue periods were recorded in this period."))


def _payout_status(w: dict[str, Any], today: dt.date | None) -> str:
    if w["paid_on"] is not None:
        return _("payout on {day}").format(day=w["paid_on"].isoformat())
    if not w["missing"]:
        return _("none yet (expected by {day})").format(day=w["deadline"].isoformat())
    return _("NO PAYOUT by {day}").format(day=w["deadline"].isoformat())


def _gap_end(label: str) -> str:
    return _(label) if label in (PERIOD_START, PERIOD_END) else label


def _pdf_6_payouts(pdf, ev: Evidence, red) -> None:
    """Section 6: payouts."""
    pdf.section(_("6. Payouts, and gaps in them"))
    if ev.payouts:
        body = [[p["platform"], ev.local(p["paid_at"]), amount(p["amount"], p["currency"]), amount(p["fee"]),
                 amount(p["received"], p["received_currency"]) if p["received"] else "", p["method"] or "",
                 p["reference"] or ""] for p in ev.payouts]
        # Translators: "Paid" here is when a payout was paid (a date and time)
        pdf.grid([[_("Platform"), _("Paid"), _("Gross"), _("Fee"), _("Received"), _("Method"), _("Reference")],
                  *body], widths=(16, 16, 16, 10, 16, 12, 14), aligns=("L", "L", "R", "R", "R", "L", "L"))
        earlier = [p for p in ev.payouts if p["for_earlier_work"]]
        if earlier:
            pdf.para(_("Marked by the worker as paying for work done before this logbook began, so not counted in "
                       "Paid out or Outstanding above: {payouts}.").format(payouts="; ".join(
                           f"{p['platform']}, {ev.local(p['paid_at'])}, {amount(p['amount'], p['currency'])}"
                           for p in earlier)), size=8.5)
    else:
        pdf.para(_("No payouts were recorded in this period."))
    if ev.payout_weeks:
        pdf.subheading(_("Weeks with paid work, and the payout that followed"))
        pdf.para(_("A payout is looked for from the week's Monday to {days} days after its Sunday. "
                   "Hours here are summed entry by entry.").format(days=PAYOUT_GRACE_DAYS), size=8.5)
        body = [[w["platform"], w["week"], decimal(w["hours"], 2), amount(money.format_micros(w["earned_micros"])),
                 _payout_status(w, ev.today)] for w in ev.payout_weeks]
        pdf.grid([[_("Platform"), _("Week"), _("Hours"), _("Earned"), _("Payout")], *body],
                 widths=(20, 12, 10, 14, 30), aligns=("L", "L", "R", "R", "L"),
                 highlight=[i for i, w in enumerate(ev.payout_weeks) if w["missing"]])
    if ev.payout_gaps:
        pdf.subheading(_("Gaps of more than {days} days without a payout, while paid work went on").format(
            days=PAYOUT_GAP_DAYS))
        body = [[g["platform"], _gap_end(g["from"]), _gap_end(g["to"]), str(g["days"])] for g in ev.payout_gaps]
        pdf.grid([[_("Platform"), _("After"), _("Until"), _("Days without payout")], *body], widths=(25, 25, 25, 15))


def _by(source: str) -> str:
    """Who made a change (the journal's source): typed in, the app, the clock; an import as recorded."""
    # Translators: the source of a change in the edit trail: typed in at the command line
    if source == "manual":
        return pgettext("source", "manual")
    # Translators: the source of a change in the edit trail: the taskerlog app
    if source == "app":
        return pgettext("source", "app")
    # Translators: the source of a change in the edit trail: taskerlog's running clock
    if source == "clock":
        return pgettext("source", "clock")
    return source


def _field(name: str) -> str:
    """A field of an entry, as the edit trail shows it."""
    return _(ig.FIELD_LABELS[name]) if name in ig.FIELD_LABELS else name


def _pdf_7_integrity(pdf, ev: Evidence, red) -> None:
    """Section 7: record integrity."""
    pdf.section(_("7. Record integrity: when each entry was recorded, and every edit"))
    pdf.para(ig.rule_text(ev.window), size=8.5)
    counts = {k: sum(1 for e in ev.entries if e["class"] == k) for k in ig.CLASSES}
    n_cont = sum(counts[k] for k in ig.CONTEMPORANEOUS)
    n_edit = sum(1 for e in ev.entries if e["edits"] or e["edited_at"])
    pdf.pairs([
        (_("Entries in the period"), str(len(ev.entries))),
        (_("Contemporaneous"), _("{n}  (running clock {clock}, during the work {during}, within {window} h {soon})")
         .format(n=n_cont, clock=counts[ig.CLOCK], during=counts[ig.DURING], window=ev.window // 3600,
                 soon=counts[ig.SOON])),
        (_("Late"), str(counts[ig.LATE])),
        (_("Before the work"), str(counts[ig.EARLY])),
        (_("Imported"), str(counts[ig.IMPORTED])),
        (_("Edited after recording"), str(n_edit)),
        (_("Deleted (period's entries)"), str(len(ev.deleted))),
        *_activity_pair(ev.entries),
    ], widths=(30, 70))
    body, hl = [], []
    for i, e in enumerate(ev.entries):
        how = word(e["class"])
        if e["class"] in (ig.LATE, ig.SOON, ig.CLOCK) and e["lag"] is not None and e["lag"] > 0:
            how = _("{how}: {lag}").format(how=how, lag=ig.describe_lag(e["lag"]))
        if e["class"] == ig.IMPORTED:
            how += f" ({e['source']})"
        edited = (ngettext("{n} change", "{n} changes", len(e["edits"])).format(n=len(e["edits"])) if e["edits"]
                  else (_("edited") if e["edited_at"] else ""))
        body.append([str(e["id"]), ev.local(e["start"]), decimal(e["hours"], 2), _who(e), ev.local(e["recorded_at"]),
                     how, edited])
        if e["class"] in (ig.LATE, ig.EARLY) or edited:
            hl.append(i)
    pdf.grid([["#", _("Work started"), _("Hours"), _("Platform / project"), _("Recorded at"), _("How recorded"),
               _("Edited")], *body],
             widths=(6, 17, 8, 22, 17, 25, 12), aligns=("R", "L", "R", "L", "L", "L", "L"), highlight=hl)
    if ev.edits:
        pdf.subheading(_("The edit trail (from the journal)"))
        body = [[str(c.row_id), ev.local(c.at), _field(c.field), c.old, c.new, _by(c.source)] for c in ev.edits]
        pdf.grid([[_("Entry #"), _("Changed at"), _("Field"), _("Was"), _("Became"), _("By")], *body],
                 widths=(8, 18, 12, 22, 22, 10))
    if ev.deleted:
        pdf.subheading(_("Entries of the period that were deleted (from the journal)"))
        body = [[str(d["id"]), ev.local(d["deleted_at"]), "; ".join(f"{_field(k)}: {v}" for k, v in d["values"].items())]
                for d in ev.deleted]
        pdf.grid([[_("Entry #"), _("Deleted at"), _("What it held")], *body], widths=(8, 18, 74))


def _pdf_8_journal(pdf, ev: Evidence, red) -> None:
    """Section 8: journal, verify, anchors."""
    pdf.section(_("8. The journal, its check, and anchors"))
    pdf.para(_("Every change to the logbook is an entry in an append-only journal; each entry's SHA-256 covers "
               "the one before, so the last hash (the head) stands for the whole history. An anchor is a head hash "
               "the worker printed, emailed or wrote down at the time: if the journal entry at that position "
               "still has that hash, nothing recorded up to then has been changed since. This shows the records "
               "were not altered after the anchor; it does not show that they were true, nor that they were "
               "recorded on time (section 7 shows that)."), size=8.5)
    pdf.pairs([
        (_("Journal entries"), i18n.number(ev.journal_entries)),
        (_("Head hash (SHA-256)"), group_hash(ev.journal_head)),
        (_("Check (taskerlog verify)"),
         _("OK: the hash chain is whole and every record matches it; every anchor matches") if ev.verify_ok
         else ngettext("FAILED: {n} problem, listed below", "FAILED: {n} problems, listed below",
                       len(ev.verify_problems)).format(n=len(ev.verify_problems))),
    ], widths=(30, 70))
    if not ev.verify_ok:
        for p in ev.verify_problems[:50]:
            pdf.para("• " + p, size=8.5, color=red)
    if ev.anchors:
        body = [[str(a["id"]), ev.local(a["recorded_at"]), i18n.number(a["seq"]), anc.short_hash(a["hash"]),
                 _("yes") if a["matches"] else _("NO"), a["note"] or ""] for a in ev.anchors]
        pdf.grid([["#", _("Anchored at"), _("Entries"), _("Hash (first 16 digits)"), _("Still matches"), _("Note")],
                  *body], widths=(5, 18, 10, 25, 12, 30),
                 highlight=[i for i, a in enumerate(ev.anchors) if not a["matches"]])
    else:
        pdf.para(_("No anchors were recorded. Run `taskerlog anchor` and send the line it prints to someone you "
                   "trust; later reports can then be checked against it."), size=8.5)


def _attached_to(a: dict[str, Any]) -> str:
    what, name = a["target_of"]
    if what == "entry":
        return _("entry #{id}").format(id=name)
    if what == "project":
        return name
    if what == "platform":
        return _("platform {name}").format(name=name)
    return _("the logbook")


def _pdf_9_attachments(pdf, ev: Evidence, red) -> None:
    """Section 9: attachments."""
    pdf.section(_("9. Attachments"))
    if ev.attachments:
        pdf.para(_("Files the worker attached (screenshots, emails, messages), stored by their SHA-256. Each is "
                   "in this zip under attachments/<sha256>/<file name>; its hash can be checked with any "
                   "SHA-256 tool."), size=8.5)
        body = [[str(a["id"]), a["filename"], _("{size} bytes").format(size=i18n.number(a["size"])),
                 ev.local(a["recorded_at"]), _attached_to(a), a["note"] or "", group_hash(a["sha256"])]
                for a in ev.attachments]
        pdf.grid([["#", _("File"), _("Size"), _("Added"), _("Attached to"), _("Note"), "SHA-256"], *body],
                 widths=(4, 15, 9, 12, 13, 24, 23))
    else:
        pdf.para(_("No files are attached to the entries of this period."))


def _activity_pair(entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """One line on ActivityWatch, when the worker imported any for the period."""
    with_data = [e for e in entries if e.get("active_seconds") is not None]
    if not with_data:
        return []
    active = sum(e["active_seconds"] for e in with_data) / 3600
    claimed = sum(e["hours"] for e in with_data)
    some = sum(1 for e in with_data if e["active_seconds"] > 0)
    return [("ActivityWatch", _("active at the computer {active} h of the {claimed} h of entries ({some} of {n} "
                                "entries overlap recorded activity; per entry in entries.csv). Supporting evidence, "
                                "not counted as hours.").format(active=decimal(active, 2), claimed=decimal(claimed, 2),
                                                                 some=some, n=len(with_data)))]


# -- the CSV files and the zip ----------------------------------------------------------------
#: the CSV files' columns as a person reads them (docs/evidence.md): in a report in another language
#: than English the header row is in that language, and columns.csv maps it to these English names
HEADERS = {
    "id": N_("Number"), "platform": N_("Platform"), "project": N_("Project"), "kind": N_("Kind"),
    "status": N_("Status"), "start": N_("Start"), "end": N_("End"), "hours": N_("Hours"), "units": N_("Units"),
    "pay_recorded": N_("Pay recorded"), "pay_currency": N_("Pay currency"), "earned": N_("Earned?"),
    "external_id": N_("Platform's task id"), "note": N_("Note"), "recorded_at": N_("Recorded at"),
    "record_class": N_("How recorded"), "contemporaneous": N_("Contemporaneous"),
    "minutes_after_end": N_("Minutes after the end"), "source": N_("Source"), "edited_at": N_("Edited at"),
    "edits": N_("Edits"), "attachment_sha256": N_("Attachments (SHA-256)"),
    "activitywatch_active_minutes": N_("ActivityWatch active minutes"), "entry_id": N_("Entry #"),
    "changed_at": N_("Changed at"), "field": N_("Field"), "old": N_("Was"), "new": N_("Became"),
    "journal_seq": N_("Journal entry"), "effective_at": N_("From"), "rate": N_("Rate"), "unit": N_("Unit"),
    "currency": N_("Currency"), "applies_to": N_("Applies to"), "change_pct": N_("Change %"), "paid_at": N_("Paid on"),
    "amount": N_("Amount"), "fee": N_("Fee"), "method": N_("Method"), "received_amount": N_("Received"),
    "received_currency": N_("Received currency"), "reference": N_("Reference"),
    "for_earlier_work": N_("For earlier work"), "start_date": N_("First day"), "end_date": N_("Last day"),
    "days_in_period": N_("Days in period"), "sha256": "SHA-256", "filename": N_("File"), "size": N_("Size (bytes)"),
    "media_type": N_("Type"), "added_at": N_("Added"), "attached_to": N_("Attached to"),
}
COLUMNS_NAME = "columns.csv"


def _in_english() -> bool:
    return i18n.supported(i18n.language()) == i18n.DEFAULT


def _header(column: str) -> str:
    """A CSV column's header: its English name in an English report, else its words."""
    if _in_english():
        return column
    if column.startswith("pay_counted_"):
        return _("Pay counted ({currency})").format(currency=column.removeprefix("pay_counted_"))
    return _(HEADERS[column]) if column in HEADERS else column


def csv_files(ev: Evidence) -> dict[str, bytes]:
    """The report's CSV files; in a language other than English, with ``columns.csv`` naming each
    translated header's English column (the names of docs/evidence.md, for programs)."""
    tables = _csv_tables(ev)
    files = {name: csv_bytes([_header(c) for c in cols], rows) for name, (cols, rows) in tables.items()}
    if not _in_english():
        files[COLUMNS_NAME] = csv_bytes(["file", "column", "header"], [
            [name, c, _header(c)] for name, (cols, _rows) in tables.items() for c in cols])
    return files


def _csv_tables(ev: Evidence) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Each CSV file's English column names and rows."""
    iso = lambda t: timeutil.format_local(t, ev.tz)  # noqa: E731
    files = {
        "entries.csv": (
            ["id", "platform", "project", "kind", "status", "start", "end", "hours", "units", "pay_recorded",
             "pay_currency", f"pay_counted_{ev.home}", "earned", "external_id", "note", "recorded_at",
             "record_class", "contemporaneous", "minutes_after_end", "source", "edited_at", "edits",
             "attachment_sha256", "activitywatch_active_minutes"],
            [[e["id"], e["platform"], e["project"], e["kind"], e["status"], iso(e["start"]), iso(e["end"]),
              f"{e['hours']:.4f}", e["units"], e["pay_recorded"], e["currency"],
              money.format_micros(e["pay_home_micros"]), "yes" if e["earning"] else "no", e["external_id"],
              e["note"], iso(e["recorded_at"]), e["class"], "yes" if e["contemporaneous"] else "no",
              None if e["lag"] is None else e["lag"] // 60, e["source"],
              iso(e["edited_at"]) if e["edited_at"] else None, len(e["edits"]), ";".join(e["attachments"]),
              None if e.get("active_seconds") is None else f"{e['active_seconds'] / 60:.1f}"]
             for e in ev.entries]),
        "edits.csv": (["entry_id", "changed_at", "field", "old", "new", "source", "journal_seq"],
                          [[c.row_id, iso(c.at), c.field, c.old, c.new, c.source, c.seq] for c in ev.edits]),
        "rates.csv": (["platform", "project", "effective_at", "rate", "unit", "currency", "applies_to",
                           "change_pct", "note"],
                          [[r["platform"], r["project"], iso(r["effective_at"]), r["rate"], r["unit"], r["currency"],
                            r["applies_to"], None if r["change_pct"] is None else f"{r['change_pct']:.3f}", r["note"]]
                           for r in ev.rates]),
        "payouts.csv": (["platform", "paid_at", "amount", "currency", "fee", "method", "received_amount",
                             "received_currency", "reference", "note", "for_earlier_work"],
                            [[p["platform"], iso(p["paid_at"]), p["amount"], p["currency"], p["fee"], p["method"],
                              p["received"], p["received_currency"], p["reference"], p["note"],
                              "yes" if p["for_earlier_work"] else None] for p in ev.payouts]),
        "eq.csv": (["platform", "start_date", "end_date", "days_in_period", "note"],
                       [[e["platform"], e["start"].isoformat(), e["end"].isoformat() if e["end"] else None,
                         e["days_in_period"], e["note"]] for e in ev.eq]),
        "attachments.csv": (["id", "sha256", "filename", "size", "media_type", "added_at", "attached_to", "note"],
                                [[a["id"], a["sha256"], a["filename"], a["size"], a["media_type"],
                                  iso(a["recorded_at"]), a["target"], a["note"]] for a in ev.attachments]),
    }
    return files


def build_zip(ev: Evidence, read_attachment=None, english_too: bool = False) -> tuple[bytes, dict[str, Any]]:
    """The zip's bytes and its manifest, in the current language (``english_too``: the PDF
    follows with an English copy). ``read_attachment(sha256) -> bytes`` adds the files."""
    files: dict[str, bytes] = {PDF_NAME: render_pdf(ev, english_too), **csv_files(ev)}
    files["metrics.json"] = json.dumps(ev.metrics, indent=2, ensure_ascii=False, default=str).encode("utf-8")
    if ev.statement:
        files["statement.txt"] = (ev.statement + "\n").encode("utf-8")
    missing = []
    if read_attachment is not None:
        for a in ev.attachments:
            name = f"attachments/{a['sha256']}/{a['filename']}"
            if name in files:
                continue
            try:
                data = read_attachment(a["sha256"])
            except OSError:
                missing.append(a["filename"])
                continue
            files[name] = data
    manifest = {
        "format": FORMAT,
        "sample": ev.sample,
        "language": i18n.language(),
        "english_copy": english_too and not _in_english(),
        "period": {"from": ev.date_from.isoformat(), "to": ev.date_to.isoformat()},
        "generated_at": timeutil.format_local(ev.generated_at, ev.tz),
        "home_currency": ev.home,
        "timezone": ev.tz,
        "reference": None if ev.reference is None else {
            "hourly": str(ev.reference.hourly), "currency": ev.reference.currency, "label": ev.reference.label,
            "origin": ev.reference.origin, "detail": ev.reference.detail, "source": ev.reference.source},
        "journal": {"entries": ev.journal_entries, "head": ev.journal_head, "verify_ok": ev.verify_ok},
        "outstanding": {"on": None if ev.today is None else ev.today.isoformat(), "amount": ev.outstanding_today,
                        "at_period_end": ev.metrics.get("outstanding")},
        "contemporaneous_window_hours": ev.window / 3600,
        "missing_attachments": missing,
        "files": [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for n, b in files.items()],
    }
    stamp = timeutil.to_local(ev.generated_at, "UTC").timetuple()[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in [*files.items(), ("manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))]:
            info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue(), manifest


def make_report(store, *, date_from: dt.date, date_to: dt.date, reference: Reference | None, now: int,
                statement: str | None = None, anchor_claims: list[anc.Claim] = (),
                english_too: bool = False) -> tuple[bytes, dict[str, Any], Evidence]:
    """Gather and build: the zip's bytes, its manifest and the gathered evidence, in the current
    language (``english_too``: with an English copy of the PDF after it)."""
    ev = gather(store, date_from=date_from, date_to=date_to, reference=reference, now=now, statement=statement,
                anchor_claims=anchor_claims)
    data, manifest = build_zip(ev, lambda h: att.read_blob(store, h), english_too)
    return data, manifest, ev


def _days(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=n)
