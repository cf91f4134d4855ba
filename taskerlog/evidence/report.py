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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np

from .. import metrics, money, render, timeutil
from ..csvsafe import csv_bytes
from ..model import EARNING_STATUSES, UNPAID_KEYS
from ..store import activity, is_sample_path
from ..store.activity import active_within
from . import anchors as anc
from . import attachments as att
from . import integrity as ig
from .wages import Reference

FORMAT = "taskerlog-evidence-1"
PDF_NAME = "evidence-report.pdf"
#: a payout is expected within this many days after the end of a week with paid work
PAYOUT_GRACE_DAYS = 14
#: gaps between payouts longer than this are listed
PAYOUT_GAP_DAYS = 14
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "PHP": "₱", "KES": "KSh", "INR": "₹", "TRY": "₺", "NGN": "₦",
           "GHS": "GH₵", "BRL": "R$", "ZAR": "R", "VES": "Bs.", "COP": "COL$"}


class EvidenceError(ValueError):
    """The report cannot be made; the message says what to do."""


# -- formatting -------------------------------------------------------------------------------
def amount(value: str | Decimal | None, currency: str | None = None, places: int = 2) -> str:
    """``"1234.5"`` → ``1,234.50 USD`` (rounded half to even for display only)."""
    if value is None:
        return "—"
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = f"{d:,.{places}f}"
    if text.startswith("-") and d == 0:
        text = text[1:]
    return f"{text} {currency}" if currency else text


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f} h"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


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
    warnings: list[str] = field(default_factory=list)
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
        rows.append({**w, "deadline": deadline, "status": status, "missing": not got and deadline < today})
    gaps = []
    for plat in sorted({e["platform"] for e in entries} | set(pays_by_plat)):
        days = sorted(d for d in pays_by_plat.get(plat, []) if d0 <= d <= d1)
        marks = [d0 - dt.timedelta(days=1)] + days + [min(d1, today) + dt.timedelta(days=1)]
        labels = ["the start of the period"] + [d.isoformat() for d in days] + ["the end of the period"]
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
            return "(blank)"
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
        if wid is not None:
            target = f"entry #{wid}"
        elif a["project_id"] is not None:
            target = f"{plat_names.get(a['platform_id'], '?')} / {proj_names.get(a['project_id'], '?')}"
        elif a["platform_id"] is not None:
            target = f"platform {plat_names.get(a['platform_id'], '?')}"
        else:
            target = "the logbook"
        attachments.append({**a, "target": target})

    warnings = []
    if reference is not None and reference.other_figures:
        warnings.append("Another figure of this minimum applied during part of the period: "
                        + "; ".join(reference.other_figures) + ". The report uses the one in force on its last day.")
    return Evidence(
        home=home, tz=tz, date_from=date_from, date_to=date_to, generated_at=now,
        logbook_name=store.path.name, statement=(statement or "").strip() or None, reference=reference,
        metrics=figures, entries=entries, rates=rates, eq=eq, payouts=payouts, payout_weeks=payout_weeks,
        payout_gaps=payout_gaps, edits=edits, deleted=deleted, journal_entries=result.entries,
        journal_head=result.head, verify_ok=not problems, verify_problems=problems, anchors=anchors,
        attachments=attachments, window=window, warnings=warnings, today=today, outstanding_today=owed_today,
        sample=is_sample_path(store.path))


# -- the PDF ----------------------------------------------------------------------------------
def _outstanding_rows(ev: Evidence) -> list[tuple[str, str]]:
    """What is owed on the day the report is made first; at the period's end second, labelled
    (it can be more: payouts after the period paid some of it)."""
    m = ev.metrics
    rows = []
    if ev.outstanding_today is not None and ev.today is not None and ev.today != ev.date_to:
        rows.append((f"Outstanding on {ev.today.isoformat()}", ev.money(ev.outstanding_today)
                     + "  (the day this report was made: everything earned minus everything paid out, to date)"))
        rows.append((f"Outstanding at the period's end ({ev.date_to.isoformat()})", ev.money(m["outstanding"])
                     + "  (earned minus paid out, all time up to that day"
                     + ("; payouts since then have paid part of it)"
                        if Decimal(m["outstanding"]) > Decimal(ev.outstanding_today) else ")")))
    else:
        rows.append((f"Outstanding on {ev.date_to.isoformat()}", ev.money(m["outstanding"])
                     + "  (everything earned minus everything paid out, to that day)"))
    if m.get("paid_out_earlier") and Decimal(m["paid_out_earlier"]):
        rows.append(("Paid for earlier work", ev.money(m["paid_out_earlier"])
                     + "  (paid in the period for work done before the logbook began: not in the figures above)"))
    shown = ev.outstanding_today if ev.outstanding_today is not None else m["outstanding"]
    note = render.negative_outstanding_note(shown, fix=False)
    if note:
        rows.append(("  outstanding is", note))
    return rows


def _who(e: dict[str, Any]) -> str:
    return f"{e['platform']} / {e['project']}" if e["project"] else e["platform"]


def render_pdf(ev: Evidence) -> bytes:
    """The report as PDF bytes (pure: the same Evidence gives the same document).

    One function a section, in the order they are printed: ``_pdf_front`` (title, and how
    to check the report), then ``_pdf_1_statement`` to ``_pdf_9_attachments``.
    """
    from .pdf import RED, ReportPDF  # fpdf and its fonts take half a second to load: only when a PDF is made

    period = f"{ev.date_from.isoformat()} to {ev.date_to.isoformat()}"
    pdf = ReportPDF(("SAMPLE DATA, not a real worker's records · " if ev.sample else "")
                    + f"taskerlog evidence report · {period}")
    _pdf_front(pdf, ev, period, RED)
    for section in (_pdf_1_statement, _pdf_2_summary, _pdf_3_rates, _pdf_4_unpaid, _pdf_5_eq, _pdf_6_payouts,
                    _pdf_7_integrity, _pdf_8_journal, _pdf_9_attachments):
        section(pdf, ev, RED)
    return bytes(pdf.output())


def _pdf_front(pdf, ev: Evidence, period: str, red) -> None:
    """The title block, the period, and how to check the report."""
    pdf.set_creation_date(dt.datetime.fromtimestamp(ev.generated_at, tz=dt.timezone.utc))
    pdf.add_page()
    if ev.sample:
        pdf.para("SAMPLE: this report was made from a sample person's logbook shipped with taskerlog to show what "
                 "a report looks like. Its people, work and pay are made up; it is not evidence of anything.",
                 color=red)
    pdf.title_block("SAMPLE · Evidence of work and pay" if ev.sample else "Evidence of work and pay", [
        f"Period: {period} (both days included; each entry belongs to the day it started).",
        f"Made by taskerlog on {ev.local(ev.generated_at)} ({ev.tz}) from the logbook {ev.logbook_name}.",
        f"Amounts are in {ev.home} unless another currency is named. Times are local to {ev.tz}.",
    ])
    pdf.para("How to check this report: the zip it came in holds the entries as CSV files, the figures as "
             "metrics.json and manifest.json with the SHA-256 of every file. Section 8 gives the logbook "
             "journal's head hash and the anchors the worker shared earlier; `taskerlog verify --anchor ...` "
             "on the worker's logbook confirms that the records have not changed since an anchor was shared.",
             size=8.5)


def _pdf_1_statement(pdf, ev: Evidence, red) -> None:
    """Section 1: statement."""
    pdf.section("1. The worker's statement")
    if ev.statement:
        pdf.para(ev.statement)
    else:
        pdf.para("(The worker gave no statement for this report.)")


def _pdf_2_summary(pdf, ev: Evidence, red) -> None:
    """Section 2: summary."""
    m = ev.metrics
    pdf.section("2. Summary")
    ref = ev.reference
    rows = [
        ("Hours worked", hours(m["hours_worked"]) + "  (all time spent on the work; overlapping entries counted once)"),
        ("Hours paid", hours(m["hours_paid"])),
        ("Hours unpaid", f"{hours(m['hours_unpaid'])}  ({pct(m['unpaid_share'])} of the time worked)"),
    ]
    for k in UNPAID_KEYS:
        v = (m.get("unpaid_hours_by_kind") or {}).get(k)
        if v:
            rows.append((f"    unpaid: {k}", hours(v)))
    rows += [
        ("Earned", ev.money(m["earned"]) + (f"  (of which pending approval: {ev.money(m['pending'])})"
                                            if m.get("pending") and Decimal(m["pending"]) else "")),
        ("Paid out in the period", ev.money(m["paid_out"]) + f"  (fees {ev.money(m['fees'])})"),
        *_outstanding_rows(ev),
        ("Effective hourly wage", ev.money(m["effective_hourly_wage"]) + " per hour  (earned ÷ hours worked)"),
        ("Paid hourly rate", ev.money(m["paid_hourly_rate"]) + " per hour  (earned ÷ hours paid)"),
    ]
    if ref is None:
        rows.append(("Reference wage", "none chosen: no shortfall is computed"))
    else:
        conv = ""
        if ref.currency != ev.home:
            conv = f" = {ev.money(m['reference_wage'])} at the recorded exchange rate on or before {ev.date_to}"
        rows += [
            ("Reference wage", f"{amount(ref.hourly, ref.currency)} per hour{conv}"),
            ("  which is", f"{ref.label} ({ref.origin}). {ref.detail}."
                           + (f" Source: {ref.source}." if ref.source else "")),
            ("Paid below it, week by week?", ("YES: " if m["weeks_below_reference"] else "no: ")
             + render.weekly_verdict(m, ev.money)
             + "  (each week on its own, as minimum-wage law measures it)"),
            ("Weekly shortfall", ev.money(m["weekly_shortfall"])
             + "  (reference × hours worked − earned, for each week below it, added up: "
               "a bad week is never offset by a good one)"),
            ("Whole period averaged", ("below the reference" if m["below_reference"] else "not below the reference")
             + f"; shortfall {ev.money(m['shortfall'])}  (the whole period as one: a second, weaker figure)"),
        ]
    rows += [
        ("Empty queue (EQ)", f"{m['eq_days']} day(s) in {m['eq_episodes']} episode(s); longest {m['longest_eq_days']} day(s)"),
        ("Rate changes", f"{m['rate_changes']} ({m['rate_cuts']} cut(s), {m['rate_raises']} raise(s));"
                         f" largest cut {m['largest_cut_pct']:.1f}%" if m.get("largest_cut_pct") is not None
         else str(m["rate_changes"])),
    ]
    pdf.pairs(rows, widths=(30, 70))
    if ref is not None and ref.origin == "legal minimum":
        pdf.para("The legal minimum comes from the table shipped with taskerlog, dated as shown; minimum wages "
                 "change, so check the figure in force for this work with the named source.", size=8)
    for wtxt in ev.warnings:
        pdf.para(wtxt, size=8.5, color=red)

    weeks = m.get("by_week") or []
    if weeks:
        pdf.subheading("Week by week")
        head = ["Week", "Hours worked", "Hours paid", "Earned", "Per hour worked"]
        if ref is not None:
            head.append("Shortfall")
        body = []
        for wk in weeks:
            row = [wk["week"], hours(wk["hours_worked"]), hours(wk["hours_paid"]), amount(wk["earned"]),
                   amount(wk["effective_hourly_wage"])]
            if ref is not None:
                row.append(amount(wk["weekly_shortfall"]))
            body.append(row)
        pdf.grid([head, *body], widths=(16, 16, 16, 18, 18, 16)[:len(head)],
                 aligns=("L", "R", "R", "R", "R", "R")[:len(head)])


def _pdf_3_rates(pdf, ev: Evidence, red) -> None:
    """Section 3: rates."""
    m = ev.metrics
    pdf.section("3. The rates promised, every change, and what was paid")
    pdf.para("Each rate as recorded, from when it applied. A change compares a rate with the one it replaced "
             "for the same project, kinds of work and unit; cuts are marked in red. The last columns show the "
             "paid entries of the period that started while the rate applied, and what they were paid "
             f"(recorded pay, else hours × rate, in {ev.home}).", size=8.5)
    if ev.rates:
        body, hl = [], []
        for i, r in enumerate(ev.rates):
            ch = "first rate" if r["change_pct"] is None else (
                f"CUT {r['change_pct']:.1f}%" if r["cut"] else f"+{r['change_pct']:.1f}%")
            per = "hour" if r["unit"] == "hour" else "task"
            got = (f"{r['entries_at_rate']} entries, {r['hours_at_rate']:.2f} h, paid "
                   f"{amount(money.format_micros(r['paid_at_rate_micros']))}") if r["entries_at_rate"] else "—"
            body.append([f"{r['platform']} / {r['project']}", ev.local(r["effective_at"]),
                         f"{amount(r['rate'], r['currency'])} per {per}", r["applies_to"], ch, got,
                         r["note"] or ""])
            if r["cut"]:
                hl.append(i)
        pdf.grid([["Project", "From", "Rate", "Applies to", "Change", "Paid at this rate", "Note"], *body],
                 widths=(18, 14, 14, 12, 10, 19, 13), highlight=hl)
    else:
        pdf.para("No rates are recorded for the projects worked in this period.")
    projects = [p for p in (m.get("by_project") or [])]
    if projects:
        pdf.subheading("Per project, in the period")
        body = [[f"{p['platform']} / {p['project']}" if p["project"] else f"{p['platform']} (no project)",
                 hours(p["hours_worked"]), hours(p["hours_paid"]), amount(p["earned"]),
                 amount(p.get("advertised_rate")), amount(p["paid_hourly_rate"]), amount(p["effective_hourly_wage"])]
                for p in projects]
        pdf.grid([["Project", "Worked", "Paid", "Earned", "Advertised /h", "Paid /h", "Per hour worked"], *body],
                 widths=(28, 12, 12, 14, 14, 12, 14), aligns=("L", "R", "R", "R", "R", "R", "R"))


def _pdf_4_unpaid(pdf, ev: Evidence, red) -> None:
    """Section 4: unpaid work."""
    pdf.section("4. Unpaid work, entry by entry")
    unpaid = [e for e in ev.entries if not e["earning"]]
    total = sum(e["hours"] for e in unpaid)
    pdf.para(f"{len(unpaid)} entries that earned nothing, {total:.2f} h in all (summed entry by entry; "
             "the summary counts overlapping time once).", size=8.5)
    body = [[str(e["id"]), f"{ev.local(e['start'])} – {ev.local(e['end'])[11:]}", f"{e['hours']:.2f}", _who(e),
             e["kind"], e["status"], e["note"] or ""] for e in unpaid]
    pdf.grid([["#", "When", "Hours", "Platform / project", "Kind", "Status", "Note"], *body],
             widths=(6, 28, 9, 22, 14, 9, 22), aligns=("R", "L", "R", "L", "L", "L", "L"))


def _pdf_5_eq(pdf, ev: Evidence, red) -> None:
    """Section 5: EQ."""
    pdf.section("5. Empty queue: days with no work available")
    if ev.eq:
        body = [[e["platform"], e["start"].isoformat(), e["end"].isoformat() if e["end"] else "still empty",
                 str(e["days_in_period"]), e["note"] or ""] for e in ev.eq]
        pdf.grid([["Platform", "First day", "Last day", "Days in period", "Note"], *body], widths=(20, 15, 15, 12, 38))
    else:
        pdf.para("No empty-queue periods were recorded in this period.")


def _pdf_6_payouts(pdf, ev: Evidence, red) -> None:
    """Section 6: payouts."""
    pdf.section("6. Payouts, and gaps in them")
    if ev.payouts:
        body = [[p["platform"], ev.local(p["paid_at"]), amount(p["amount"], p["currency"]), amount(p["fee"]),
                 amount(p["received"], p["received_currency"]) if p["received"] else "", p["method"] or "",
                 p["reference"] or ""] for p in ev.payouts]
        pdf.grid([["Platform", "Paid", "Gross", "Fee", "Received", "Method", "Reference"], *body],
                 widths=(16, 16, 16, 10, 16, 12, 14), aligns=("L", "L", "R", "R", "R", "L", "L"))
        earlier = [p for p in ev.payouts if p["for_earlier_work"]]
        if earlier:
            pdf.para("Marked by the worker as paying for work done before this logbook began, so not counted in "
                     "Paid out or Outstanding above: " + "; ".join(
                         f"{p['platform']}, {ev.local(p['paid_at'])}, {amount(p['amount'], p['currency'])}"
                         for p in earlier) + ".", size=8.5)
    else:
        pdf.para("No payouts were recorded in this period.")
    if ev.payout_weeks:
        pdf.subheading("Weeks with paid work, and the payout that followed")
        pdf.para(f"A payout is looked for from the week's Monday to {PAYOUT_GRACE_DAYS} days after its Sunday. "
                 "Hours here are summed entry by entry.", size=8.5)
        body = [[w["platform"], w["week"], f"{w['hours']:.2f}", amount(money.format_micros(w["earned_micros"])),
                 w["status"]] for w in ev.payout_weeks]
        pdf.grid([["Platform", "Week", "Hours", "Earned", "Payout"], *body], widths=(20, 12, 10, 14, 30),
                 aligns=("L", "L", "R", "R", "L"), highlight=[i for i, w in enumerate(ev.payout_weeks) if w["missing"]])
    if ev.payout_gaps:
        pdf.subheading(f"Gaps of more than {PAYOUT_GAP_DAYS} days without a payout, while paid work went on")
        body = [[g["platform"], g["from"], g["to"], str(g["days"])] for g in ev.payout_gaps]
        pdf.grid([["Platform", "After", "Until", "Days without payout"], *body], widths=(25, 25, 25, 15))


def _pdf_7_integrity(pdf, ev: Evidence, red) -> None:
    """Section 7: record integrity."""
    pdf.section("7. Record integrity: when each entry was recorded, and every edit")
    pdf.para(ig.rule_text(ev.window), size=8.5)
    counts = {k: sum(1 for e in ev.entries if e["class"] == k) for k in ig.CLASSES}
    n_cont = sum(counts[k] for k in ig.CONTEMPORANEOUS)
    n_edit = sum(1 for e in ev.entries if e["edits"] or e["edited_at"])
    pdf.pairs([
        ("Entries in the period", str(len(ev.entries))),
        ("Contemporaneous", f"{n_cont}  (running clock {counts[ig.CLOCK]}, during the work {counts[ig.DURING]},"
                            f" within {ev.window // 3600} h {counts[ig.SOON]})"),
        ("Late", str(counts[ig.LATE])),
        ("Before the work", str(counts[ig.EARLY])),
        ("Imported", str(counts[ig.IMPORTED])),
        ("Edited after recording", str(n_edit)),
        ("Deleted (period's entries)", str(len(ev.deleted))),
        *_activity_pair(ev.entries),
    ], widths=(30, 70))
    body, hl = [], []
    for i, e in enumerate(ev.entries):
        how = e["class"]
        if e["class"] in (ig.LATE, ig.SOON, ig.CLOCK) and e["lag"] is not None and e["lag"] > 0:
            how += f": {ig.describe_lag(e['lag'])}"
        if e["class"] == ig.IMPORTED:
            how += f" ({e['source']})"
        edited = f"{len(e['edits'])} change(s)" if e["edits"] else ("edited" if e["edited_at"] else "")
        body.append([str(e["id"]), ev.local(e["start"]), f"{e['hours']:.2f}", _who(e), ev.local(e["recorded_at"]),
                     how, edited])
        if e["class"] in (ig.LATE, ig.EARLY) or edited:
            hl.append(i)
    pdf.grid([["#", "Work started", "Hours", "Platform / project", "Recorded at", "How recorded", "Edited"], *body],
             widths=(6, 17, 8, 22, 17, 25, 12), aligns=("R", "L", "R", "L", "L", "L", "L"), highlight=hl)
    if ev.edits:
        pdf.subheading("The edit trail (from the journal)")
        body = [[str(c.row_id), ev.local(c.at), c.field, c.old, c.new, c.source] for c in ev.edits]
        pdf.grid([["Entry #", "Changed at", "Field", "Was", "Became", "By"], *body], widths=(8, 18, 12, 22, 22, 10))
    if ev.deleted:
        pdf.subheading("Entries of the period that were deleted (from the journal)")
        body = [[str(d["id"]), ev.local(d["deleted_at"]), "; ".join(f"{k}: {v}" for k, v in d["values"].items())]
                for d in ev.deleted]
        pdf.grid([["Entry #", "Deleted at", "What it held"], *body], widths=(8, 18, 74))


def _pdf_8_journal(pdf, ev: Evidence, red) -> None:
    """Section 8: journal, verify, anchors."""
    pdf.section("8. The journal, its check, and anchors")
    pdf.para("Every change to the logbook is an entry in an append-only journal; each entry's SHA-256 covers "
             "the one before, so the last hash (the head) stands for the whole history. An anchor is a head hash "
             "the worker printed, emailed or wrote down at the time: if the journal entry at that position "
             "still has that hash, nothing recorded up to then has been changed since. This shows the records "
             "were not altered after the anchor; it does not show that they were true, nor that they were "
             "recorded on time (section 7 shows that).", size=8.5)
    pdf.pairs([
        ("Journal entries", f"{ev.journal_entries:,}"),
        ("Head hash (SHA-256)", group_hash(ev.journal_head)),
        ("Check (taskerlog verify)", "OK: the hash chain is whole and every record matches it; every anchor matches"
         if ev.verify_ok else f"FAILED: {len(ev.verify_problems)} problem(s), listed below"),
    ], widths=(30, 70))
    if not ev.verify_ok:
        for p in ev.verify_problems[:50]:
            pdf.para("• " + p, size=8.5, color=red)
    if ev.anchors:
        body = [[str(a["id"]), ev.local(a["recorded_at"]), f"{a['seq']:,}", anc.short_hash(a["hash"]),
                 "yes" if a["matches"] else "NO", a["note"] or ""] for a in ev.anchors]
        pdf.grid([["#", "Anchored at", "Entries", "Hash (first 16 digits)", "Still matches", "Note"], *body],
                 widths=(5, 18, 10, 25, 12, 30), highlight=[i for i, a in enumerate(ev.anchors) if not a["matches"]])
    else:
        pdf.para("No anchors were recorded. Run `taskerlog anchor` and send the line it prints to someone you "
                 "trust; later reports can then be checked against it.", size=8.5)


def _pdf_9_attachments(pdf, ev: Evidence, red) -> None:
    """Section 9: attachments."""
    pdf.section("9. Attachments")
    if ev.attachments:
        pdf.para("Files the worker attached (screenshots, emails, messages), stored by their SHA-256. Each is "
                 "in this zip under attachments/<sha256>/<file name>; its hash can be checked with any "
                 "SHA-256 tool.", size=8.5)
        body = [[str(a["id"]), a["filename"], f"{a['size']:,} bytes", ev.local(a["recorded_at"]), a["target"],
                 a["note"] or "", group_hash(a["sha256"])] for a in ev.attachments]
        pdf.grid([["#", "File", "Size", "Added", "Attached to", "Note", "SHA-256"], *body],
                 widths=(4, 15, 9, 12, 13, 24, 23))
    else:
        pdf.para("No files are attached to the entries of this period.")


def _activity_pair(entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """One line on ActivityWatch, when the worker imported any for the period."""
    with_data = [e for e in entries if e.get("active_seconds") is not None]
    if not with_data:
        return []
    active = sum(e["active_seconds"] for e in with_data) / 3600
    claimed = sum(e["hours"] for e in with_data)
    some = sum(1 for e in with_data if e["active_seconds"] > 0)
    return [("ActivityWatch", f"active at the computer {active:.2f} h of the {claimed:.2f} h of entries "
                              f"({some} of {len(with_data)} entries overlap recorded activity; per entry in "
                              "entries.csv). Supporting evidence, not counted as hours.")]


# -- the CSV files and the zip ----------------------------------------------------------------
def csv_files(ev: Evidence) -> dict[str, bytes]:
    iso = lambda t: timeutil.format_local(t, ev.tz)  # noqa: E731
    files = {
        "entries.csv": csv_bytes(
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
        "edits.csv": csv_bytes(["entry_id", "changed_at", "field", "old", "new", "source", "journal_seq"],
                          [[c.row_id, iso(c.at), c.field, c.old, c.new, c.source, c.seq] for c in ev.edits]),
        "rates.csv": csv_bytes(["platform", "project", "effective_at", "rate", "unit", "currency", "applies_to",
                           "change_pct", "note"],
                          [[r["platform"], r["project"], iso(r["effective_at"]), r["rate"], r["unit"], r["currency"],
                            r["applies_to"], None if r["change_pct"] is None else f"{r['change_pct']:.3f}", r["note"]]
                           for r in ev.rates]),
        "payouts.csv": csv_bytes(["platform", "paid_at", "amount", "currency", "fee", "method", "received_amount",
                             "received_currency", "reference", "note", "for_earlier_work"],
                            [[p["platform"], iso(p["paid_at"]), p["amount"], p["currency"], p["fee"], p["method"],
                              p["received"], p["received_currency"], p["reference"], p["note"],
                              "yes" if p["for_earlier_work"] else None] for p in ev.payouts]),
        "eq.csv": csv_bytes(["platform", "start_date", "end_date", "days_in_period", "note"],
                       [[e["platform"], e["start"].isoformat(), e["end"].isoformat() if e["end"] else None,
                         e["days_in_period"], e["note"]] for e in ev.eq]),
        "attachments.csv": csv_bytes(["id", "sha256", "filename", "size", "media_type", "added_at", "attached_to", "note"],
                                [[a["id"], a["sha256"], a["filename"], a["size"], a["media_type"],
                                  iso(a["recorded_at"]), a["target"], a["note"]] for a in ev.attachments]),
    }
    return files


def build_zip(ev: Evidence, read_attachment=None) -> tuple[bytes, dict[str, Any]]:
    """The zip's bytes and its manifest. ``read_attachment(sha256) -> bytes`` adds the files."""
    files: dict[str, bytes] = {PDF_NAME: render_pdf(ev), **csv_files(ev)}
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
                statement: str | None = None, anchor_claims: list[anc.Claim] = ()) -> tuple[bytes, dict[str, Any], Evidence]:
    """Gather and build: the zip's bytes, its manifest and the gathered evidence."""
    ev = gather(store, date_from=date_from, date_to=date_to, reference=reference, now=now, statement=statement,
                anchor_claims=anchor_claims)
    data, manifest = build_zip(ev, lambda h: att.read_blob(store, h))
    return data, manifest, ev
