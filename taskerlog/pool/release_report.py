"""Rendering a published release (:mod:`taskerlog.pool.publish`): CSV, JSON and a printable HTML page.

Everything here is post-processing of the noisy release saved in the pool folder, so
rendering it again, in any format, spends no privacy budget. Every output says it is the
published release, states ε spent so far and what that means, and gives each figure its
95 % margin in words.
"""

from __future__ import annotations

import html

from decimal import Decimal

from .. import render
from ..csvsafe import csv_bytes
from ..i18n import N_, _
from .pool import ALL
from .publish import FOR_PUBLICATION, Release, budget_text, fmt
from .report import LEVEL_WORDS, h3, html_lang

FIGURES = [("wage_p25", N_("wage, 25 % point"), 2), ("wage_median", N_("wage, median"), 2),
           ("wage_p75", N_("wage, 75 % point"), 2), ("unpaid_share", N_("unpaid share %"), 1),
           ("rate_cut_share", N_("with a rate cut %"), 1), ("below_reference_share", N_("below the reference wage %"), 1)]
CSV_COLUMNS = ["level", "platform", "category", "month", "status", "workers", "workers_margin", "currency"] + [
    c for name, _, _ in FIGURES for c in (name, name + "_margin_pts")] + ["release", "epsilon_spent_total"]
WORKERS, TOO_FEW, TOO_UNCERTAIN = N_("workers"), N_("too few to publish"), N_("too uncertain")
LEGEND = N_(
    "How to read the figures: every figure carries random noise that protects who contributed. The range or "
    "margin beside it holds the true value 95 times out of 100. Workers are counted approximately (about N, "
    "give or take the margin). A wage quantile is a value from the campaign's list of possible wages; the words "
    "beside it say between which true points of the group it lies (the median lies between the true 40 % and "
    "60 % points, for example). Shares are given ± percentage points. Groups whose noisy count is too small are "
    "marked \"too few to publish\"; a figure whose margin would be wider than ± 25 points says \"too uncertain\"."
)


def _title(rel: Release) -> str:
    d = rel.data
    return f"{FOR_PUBLICATION} {d['number']} of campaign {d['campaign_id']}, {d['published_at'][:10]}"


def _title_words(rel: Release) -> str:
    """:func:`_title` (English in the CSV and JSON) for a person, in the current language."""
    d = rel.data
    return _("Published release {number} of campaign {campaign}, {day}").format(
        number=d["number"], campaign=d["campaign_id"], day=d["published_at"][:10])


#: the levels of a release as a person reads them
LEVEL_NAMES = {"cell": N_("category × month"), "category": N_("category"), "month": N_("month"),
               "platform": N_("platform")}


def what_words(d: dict) -> str:
    """A release's ``what`` (levels, months, reference wage) in the current language; a release
    saved before its parts were kept is shown as recorded."""
    if "levels" not in d:
        return d["what"]
    parts = [_("levels: {levels}").format(levels=", ".join(_(LEVEL_NAMES[lv]) for lv in d["levels"]))]
    if d.get("published_months"):
        parts.append(_("months: {months}").format(months=", ".join(d["published_months"])))
    if d.get("reference_wage") is not None:
        parts.append(_("reference wage: {wage} {currency}/h").format(wage=render.local(d["reference_wage"]),
                                                                    currency=d["currency"]))
    return "; ".join(parts)


def _shown(text: str, places: int) -> str:
    return render.local(text) if text else ""


def records(rel: Release) -> list[dict]:
    d = rel.data
    out = []
    for g in rel.groups:
        r = {k: g.get(k, "") for k in ("level", "platform", "category", "month", "status", "workers", "workers_margin")}
        if g["status"] != "published":  # a noisy count far below its margin says nothing useful
            r["workers"] = r["workers_margin"] = ""
        r["currency"] = d["currency"]
        for name, _label, places in FIGURES:
            r[name] = fmt(g.get(name), places)
            r[name + "_margin_pts"] = fmt(g.get(name + "_margin_pts"), 1)
        r["release"] = _title(rel)
        r["epsilon_spent_total"] = d["epsilon_spent_total"]
        out.append(r)
    return out


def to_csv(rel: Release) -> str:
    """The release as CSV, through the one spreadsheet-safe writer."""
    return csv_bytes(CSV_COLUMNS, ([r.get(c) for c in CSV_COLUMNS] for r in records(rel))).decode("utf-8")


def to_json(rel: Release) -> dict:
    return {"release": _title(rel), **rel.data}


def in_words(g: dict, name: str, places: int) -> str:
    """One figure with its 95 % margin, in words ("" when not shown)."""
    v, m = g.get(name), g.get(name + "_margin_pts")
    if v is None:
        return ""
    if name.startswith("wage_"):
        alpha = {"wage_p25": 25, "wage_median": 50, "wage_p75": 75}[name]
        lo, hi = max(0.0, alpha - m), min(100.0, alpha + m)
        return _("{value} (between the true {low} % and {high} % points)").format(
            value=_shown(fmt(v, places), places), low=_shown(fmt(lo, 0), 0), high=_shown(fmt(hi, 0), 0))
    return _("{value} % ± {margin} points").format(value=_shown(fmt(v, places), places),
                                                   margin=_shown(fmt(m, 1), 1))


def _figures(with_ref: bool) -> list[tuple[str, str, int]]:
    return [f for f in FIGURES if with_ref or f[0] != "below_reference_share"]


def _words(g: dict, figs: list[tuple[str, str, int]]) -> list[str] | None:
    """A published group's workers and figures in words, each with its margin; None when too few to publish."""
    if g["status"] != "published":
        return None
    return [_("about {workers} (± {margin})").format(workers=g["workers"], margin=g["workers_margin"])] + [
        in_words(g, n, p) or _(TOO_UNCERTAIN) for n, _t, p in figs]


def page_rows(rel: Release) -> list[dict[str, str]]:
    """The release as a person reads it on a page: the language's words and notation, each
    figure with its margin. The CSV and JSON keep :func:`records` (English names, a contract)."""
    figs = _figures(rel.data.get("reference_wage") is not None)
    heads = [_(WORKERS)] + [_(t) for _n, t, _p in figs]
    out = []
    for g in rel.groups:
        row = {_(LEVEL_WORDS[k]): _("all") if g[k] == ALL else g[k] for k in ("platform", "category", "month")}
        row.update(zip(heads, _words(g, figs) or [_(TOO_FEW)] + [""] * len(figs)))
        out.append(row)
    return out


def _table(groups: list[dict], first: str, label: str, with_ref: bool) -> str:
    figs = _figures(with_ref)
    head = (f"<tr><th class=l>{html.escape(_(LEVEL_WORDS[label]))}</th><th>{html.escape(_(WORKERS))}</th>"
            + "".join(f"<th>{html.escape(_(t))}</th>" for _n, t, _p in figs) + "</tr>")
    body = []
    for g in groups:
        first_v = _("all") if g[first] == ALL else g[first]
        words = _words(g, figs)
        cells = (f"<td colspan={len(figs) + 1} class=l>{html.escape(_(TOO_FEW))}</td>" if words is None
                 else "".join(f"<td>{html.escape(w)}</td>" for w in words))
        body.append(f"<tr><td class=l>{html.escape(str(first_v))}</td>{cells}</tr>")
    return f"<table>{head}{''.join(body)}</table>"


_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;color:#111;max-width:70em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}h3{font-size:1em}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:.8em}
th,td{border:1px solid #bbb;padding:.2em .45em;text-align:right}th{background:#eee}
td.l,th.l{text-align:left}.note{background:#f4f4f4;border-left:4px solid #2a6;padding:.5em .8em}
@media print{body{margin:0}}
"""


def to_html(rel: Release) -> str:
    d = rel.data
    with_ref = d.get("reference_wage") is not None
    title = _title_words(rel)
    out = [f"<!doctype html><html lang={html_lang()}><head><meta charset=utf-8><title>"
           f"{html.escape(d['campaign_name'])} — {html.escape(title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{html.escape(d['campaign_name'])}</h1>",
           "<p>" + _("<b>{title}</b>: {what}. This publication spent ε = {epsilon}. Money in {currency}; wage = earned "
                     "÷ all hours worked (paid and unpaid), each member's wage counted within {low}–{high} "
                     "{currency}/h; unpaid share = the average member's share of unpaid hours.").format(
               title=html.escape(title), what=html.escape(what_words(d)), epsilon=html.escape(d["epsilon"]),
               currency=html.escape(d["currency"]), low=html.escape(d["wage_range"][0]),
               high=html.escape(d["wage_range"][1]))
           + (" " + _("Reference wage: {wage} {currency}/h.").format(
               wage=html.escape(d["reference_wage"]), currency=html.escape(d["currency"])) if with_ref else "")
           + "</p>",
           "<p class=note>" + html.escape(budget_text(Decimal(d["epsilon_total"]), Decimal(d["epsilon_spent_total"])))
           + "</p>",
           f"<p>{html.escape(_(LEGEND))}</p>"]
    levels = [("platform", "platform", N_("All categories and months")),
              ("category", "category", N_("By category, all months")),
              ("month", "month", N_("By month, all categories"))]
    for platform in dict.fromkeys(g["platform"] for g in rel.groups):
        pg = [g for g in rel.groups if g["platform"] == platform]
        out.append(f"<h2>{html.escape(platform)}</h2>")
        for level, first, heading in levels:
            part = [g for g in pg if g["level"] == level]
            if part:
                out.append(h3(_(heading)) + _table(part, first, first, with_ref))
        cells = [g for g in pg if g["level"] == "cell"]
        for cat in dict.fromkeys(g["category"] for g in cells):
            out.append(h3(_("{category}, by month").format(category=cat))
                       + _table([g for g in cells if g["category"] == cat], "month", "month", with_ref))
    out.append("</body></html>\n")
    return "".join(out)
