"""Rendering a :class:`~taskerlog.pool.pool.PoolReport`: JSON, CSV, a printable HTML page, charts.

Everything here reads only the released groups of the report, so no table, chart point or
download can carry a withheld figure. The HTML page is self-contained (inline SVG charts,
no scripts, nothing fetched), so it works offline and prints as it looks.
"""

from __future__ import annotations

import html
import math
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd

from .. import i18n, render
from ..csvsafe import csv_bytes
from ..i18n import N_, _
from .pool import ALL, PoolReport

CSV_COLUMNS = [
    "level", "platform", "category", "month", "workers", "currency", "wage_p25", "wage_median", "wage_p75",
    "paid_rate_median", "unpaid_share_pct", "eq_days_median", "rate_cut_share_pct", "below_reference_share_pct",
    "view",
]
WORKING_VIEW = N_("for the organizer — not for publication")
"""Marked on every page, file and row of the working view: published figures come from ``pool publish``
(English in the CSV and JSON, a contract; ``_(WORKING_VIEW)`` where a person reads it)."""
NOT_FOR_PUBLICATION = N_(
    "For the organizer — not for publication. These are exact figures, only withheld below k workers. "
    "Sums and differences of exact figures from two views, two months or two reports can single out a member "
    "and what they reported. Anything that leaves the organization must come from `taskerlog pool publish` "
    "(differentially private, with a privacy budget)."
)

PROTECTION = N_(
    "Every figure here describes at least {k} different workers. Groups with fewer, and groups "
    "whose figures would let a reader work out a smaller group by subtracting one figure from "
    "another, are left out. Contributions carry no names, notes, task ids, exact dates or project "
    "names: only monthly totals per platform and public category, rounded (hours to 0.5 h, money to "
    "whole units), under a pseudonym that differs between campaigns."
)


def _fmt(v, places: int) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))


def shown(v, places: int) -> str:
    """A figure as a person reads it, in the current language's notation ("" when undefined)."""
    text = _fmt(v, places)
    return render.local(text) if text else ""


def records(rep: PoolReport) -> list[dict[str, str | int]]:
    """The released groups as flat records with printable values (CSV and JSON use these)."""
    out = []
    cur = rep.campaign.currency
    for r in rep.groups.itertuples(index=False):
        out.append({
            "level": r.level, "platform": r.platform, "category": r.category, "month": r.month,
            "workers": int(r.workers), "currency": cur,
            "wage_p25": _fmt(r.wage_p25, 2), "wage_median": _fmt(r.wage_median, 2),
            "wage_p75": _fmt(r.wage_p75, 2), "paid_rate_median": _fmt(r.paid_rate_median, 2),
            "unpaid_share_pct": _fmt(r.unpaid_share, 1), "eq_days_median": _fmt(r.eq_days_median, 1),
            "rate_cut_share_pct": _fmt(r.rate_cut_share, 1),
            "below_reference_share_pct": _fmt(r.below_reference_share, 1),
            "view": WORKING_VIEW,
        })
    return out


def to_csv(rep: PoolReport) -> str:
    """The released groups as spreadsheet-safe CSV (platform and category names are guarded)."""
    return csv_bytes(CSV_COLUMNS, ([r[c] for c in CSV_COLUMNS] for r in records(rep))).decode("utf-8")


def to_json(rep: PoolReport) -> dict:
    c = rep.campaign
    return {"view": WORKING_VIEW, "campaign_id": c.campaign_id, "campaign_name": c.name, "currency": c.currency, "k": rep.k,
            "reference_wage": None if rep.reference_wage is None else str(rep.reference_wage),
            "groups": records(rep)}


# -- HTML ----------------------------------------------------------------------------------
_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;color:#111;max-width:60em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}
h3{font-size:1em;margin-bottom:.3em}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:.85em}
th,td{border:1px solid #bbb;padding:.2em .45em;text-align:right}th{background:#eee}
td.l,th.l{text-align:left}.note{background:#f4f4f4;border-left:4px solid #666;padding:.5em .8em}
svg{display:block;margin:.3em 0 1em}@media print{body{margin:0}h2{page-break-before:auto}}
"""

_TABLE_COLS = [
    ("workers", N_("workers"), 0), ("wage_p25", N_("wage 25%"), 2), ("wage_median", N_("wage median"), 2),
    ("wage_p75", N_("wage 75%"), 2), ("paid_rate_median", N_("paid rate median"), 2),
    ("unpaid_share", N_("unpaid %"), 1), ("eq_days_median", N_("EQ days (median)"), 1),
    ("rate_cut_share", N_("with a rate cut %"), 1), ("below_reference_share", N_("below reference %"), 1),
]
#: the first column of a table: what its rows are
LEVEL_WORDS = {"platform": N_("platform"), "category": N_("category"), "month": N_("month")}


def page_rows(rep: PoolReport) -> list[dict[str, str | int]]:
    """The released groups as a person reads them on a page: the language's words for the
    columns, "all" for a total, figures in the language's notation (``12,50`` in Spanish).
    The CSV and JSON keep :func:`records` (English names, a contract)."""
    cols = [c for c in _TABLE_COLS if rep.reference_wage is not None or c[0] != "below_reference_share"]
    out = []
    for r in rep.groups.itertuples(index=False):
        row: dict[str, str | int] = {_(LEVEL_WORDS[k]): _("all") if getattr(r, k) == ALL else getattr(r, k)
                                     for k in ("platform", "category", "month")}
        row.update({_(label): shown(getattr(r, c), p) if p else int(getattr(r, c)) for c, label, p in cols})
        out.append(row)
    return out


def _table(df: pd.DataFrame, first: str, label: str, with_ref: bool) -> str:
    cols = [c for c in _TABLE_COLS if with_ref or c[0] != "below_reference_share"]
    head = (f"<tr><th class=l>{html.escape(_(LEVEL_WORDS[label]))}</th>"
            + "".join(f"<th>{html.escape(_(t))}</th>" for _c, t, _p in cols) + "</tr>")
    body = []
    for _i, r in df.iterrows():
        first_v = _("all") if r[first] == ALL else r[first]
        cells = "".join(f"<td>{shown(r[c], p) if p else int(r[c])}</td>" for c, _t, p in cols)
        body.append(f"<tr><td class=l>{html.escape(str(first_v))}</td>{cells}</tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _svg_chart(cells: pd.DataFrame, months: list[str], currency: str) -> str:
    """Median wage per month (dot) with the middle half (bar), one row of marks per category."""
    if not len(cells):
        return ""
    top = max(float(cells["wage_p75"].max()), 1.0)
    top = math.ceil(top / 5) * 5
    cats = sorted(cells["category"].unique())
    w, h, left, bottom = 640, 220, 50, 40
    step = (w - left - 20) / max(len(months), 1)
    band = step / (len(cats) + 1)
    y = lambda v: 10 + (h - bottom - 10) * (1 - float(v) / top)  # noqa: E731
    label = _("effective hourly wage by month")
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h + 20 * ((len(cats) + 2) // 3)}" '
             f'role="img" aria-label="{html.escape(label)}">']
    for i in range(6):
        v = top * i / 5
        parts.append(f'<line x1="{left}" x2="{w - 10}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">{v:g}</text>')
    for j, m in enumerate(months):
        parts.append(f'<text x="{left + step * (j + .5):.1f}" y="{h - bottom + 14}" font-size="10" '
                     f'text-anchor="middle">{html.escape(m)}</text>')
    parts.append(f'<text x="12" y="{(h - bottom) / 2:.0f}" font-size="10" transform="rotate(-90 12 {(h - bottom) / 2:.0f})" '
                 f'text-anchor="middle">{html.escape(currency)}/h</text>')
    for ci, cat in enumerate(cats):
        col = palette[ci % len(palette)]
        for _i, r in cells[cells["category"] == cat].iterrows():
            if r["month"] not in months:
                continue
            x = left + step * months.index(r["month"]) + band * (ci + 1)
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y(r["wage_p25"]):.1f}" y2="{y(r["wage_p75"]):.1f}" '
                         f'stroke="{col}" stroke-width="3"/><circle cx="{x:.1f}" cy="{y(r["wage_median"]):.1f}" r="3.5" '
                         f'fill="{col}"/>')
        lx, ly = left + (ci % 3) * 200, h - 8 + 20 * (ci // 3)
        parts.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{col}"/>'
                     f'<text x="{lx + 14}" y="{ly}" font-size="11">{html.escape(cat)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def h3(text: str) -> str:
    return f"<h3>{html.escape(text)}</h3>"


def html_lang() -> str:
    """The page's ``lang`` attribute: ``pt-BR`` for ``pt_BR``."""
    return i18n.language().replace("_", "-")


def to_html(rep: PoolReport) -> str:
    c = rep.campaign
    g = rep.groups
    with_ref = rep.reference_wage is not None
    out = [f"<!doctype html><html lang={html_lang()}><head><meta charset=utf-8><title>{html.escape(c.name)} "
           f"({html.escape(_(WORKING_VIEW))})</title><style>{_CSS}.stop{{border:3px solid #b00;color:#b00;"
           "padding:.5em .8em;font-weight:bold}</style></head><body>",
           f"<p class=stop>{html.escape(_(NOT_FOR_PUBLICATION))}</p>",
           f"<h1>{html.escape(c.name)}</h1>",
           "<p>" + _("Campaign <b>{campaign}</b>, months {first} to {last}. Money in {currency}; wage = earned ÷ all "
                     "hours worked (paid and unpaid); paid rate = earned ÷ paid hours.").format(
               campaign=html.escape(c.campaign_id), first=html.escape(c.months[0]), last=html.escape(c.months[-1]),
               currency=html.escape(c.currency)),
           " " + _("Reference wage: {wage} {currency}/h.").format(
               wage=html.escape(render.local(str(rep.reference_wage))), currency=html.escape(c.currency)) if with_ref else "",
           "</p>",
           f'<p class=note>{html.escape(_(PROTECTION).format(k=rep.k))}</p>']
    if not len(g):
        out.append("<p>" + html.escape(_("Nothing can be shown yet: no group has at least {k} workers.").format(k=rep.k))
                   + "</p>")
    for platform in sorted(g["platform"].unique()) if len(g) else []:
        pg = g[g["platform"] == platform]
        out.append(f"<h2>{html.escape(platform)}</h2>")
        tot = pg[pg["level"] == "platform"]
        if len(tot):
            out.append(h3(_("All categories and months")) + _table(tot, "platform", "platform", with_ref))
        cats = pg[pg["level"] == "category"]
        if len(cats):
            out.append(h3(_("By category, all months")) + _table(cats, "category", "category", with_ref))
        months = pg[pg["level"] == "month"]
        if len(months):
            out.append(h3(_("By month, all categories")) + _table(months, "month", "month", with_ref))
        cells = pg[pg["level"] == "cell"]
        if len(cells):
            out.append(h3(_("Effective hourly wage by month and category (dot: median; bar: middle half)")))
            out.append(_svg_chart(cells, list(c.months), c.currency))
            for cat in sorted(cells["category"].unique()):
                out.append(h3(_("{category}, by month").format(category=cat))
                           + _table(cells[cells["category"] == cat], "month", "month", with_ref))
    out.append("</body></html>\n")
    return "".join(out)


def altair_chart(rep: PoolReport):
    """Median and quartiles of the effective wage per month, one panel per platform (released cells only)."""
    import altair as alt

    cells = rep.cells()[["platform", "category", "month", "workers", "wage_p25", "wage_median", "wage_p75"]]
    base = alt.Chart(cells).encode(
        x=alt.X("month:O", title="month"), color=alt.Color("category:N"),
        tooltip=["platform", "category", "month", "workers",
                 alt.Tooltip("wage_median:Q", format=".2f"), alt.Tooltip("wage_p25:Q", format=".2f"),
                 alt.Tooltip("wage_p75:Q", format=".2f")])
    bars = base.mark_rule(strokeWidth=3).encode(y=alt.Y("wage_p25:Q", title=f"{rep.campaign.currency} per hour worked"),
                                                y2="wage_p75:Q")
    dots = base.mark_point(filled=True, size=60).encode(y="wage_median:Q")
    return (bars + dots).properties(height=260).facet(row="platform:N")
