"""A small layer over fpdf2 for readable reports: the bundled DejaVu font, headings,
paragraphs, label/value blocks and tables that wrap long text and repeat their heading
row on every page they run across."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from ..i18n import _

FAMILY = "DejaVu"
GREY = (235, 235, 235)
DARK = (40, 40, 40)
RED = (170, 20, 20)


def font_dir() -> Path:
    return Path(str(resources.files("taskerlog").joinpath("fonts")))


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_dir() / "DejaVuSans.ttf"), lazy=True)
    return frozenset(font.getBestCmap())


def safe(text: object) -> str:
    """Text the bundled font can draw: characters it lacks (emoji, CJK) become '?'."""
    s = "" if text is None else str(text)
    cov = _covered()
    return "".join(ch if (ord(ch) in cov or ch in "\n\t") else "?" for ch in s)


class ReportPDF(FPDF):
    """A4 portrait, DejaVu Sans, a footer with the report's title and page numbers."""

    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FAMILY, "", str(font_dir() / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(font_dir() / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)
        self.set_font(FAMILY, "", 9.5)
        self.set_text_color(*DARK)
        self.set_creator("taskerlog")
        self.set_title(footer_text)

    def header(self) -> None:
        # a page's footer is worded when the page begins, in the language and with the title in force
        # then (an English copy appended to a report changes both for the pages that follow)
        # (the page number only when the footer is drawn: a table's trial layout may begin pages it discards)
        self._page_footer = (_("{title} · page {page} of {pages}"), self.footer_text)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(110, 110, 110)
        words, title = self._page_footer
        # fpdf replaces "{nb}" with the number of pages when the document is finished
        self.cell(0, 5, safe(words.format(title=title, page=self.page_no(), pages="{nb}")), align="C")
        self.set_text_color(*DARK)

    # -- building blocks -------------------------------------------------------------------
    def title_block(self, title: str, lines: Sequence[str]) -> None:
        self.set_font(FAMILY, "B", 17)
        self.multi_cell(0, 8, safe(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 9.5)
        for line in lines:
            self.multi_cell(0, 5, safe(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def section(self, title: str) -> None:
        if self.get_y() > self.h - 45:  # never a heading alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.start_section(safe(title))
        self.set_font(FAMILY, "B", 13)
        self.multi_cell(0, 7, safe(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(160, 160, 160)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_font(FAMILY, "", 9.5)

    def subheading(self, title: str) -> None:
        if self.get_y() > self.h - 35:
            self.add_page()
        self.ln(1.5)
        self.set_font(FAMILY, "B", 10.5)
        self.multi_cell(0, 6, safe(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 9.5)

    def para(self, text: str, size: float = 9.5, bold: bool = False, color=None) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        if color:
            self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*DARK)
        self.set_font(FAMILY, "", 9.5)
        self.ln(1.2)

    def pairs(self, rows: Sequence[tuple[str, str]], widths: tuple[float, float] = (45, 55)) -> None:
        """Label / value rows (no heading row)."""
        self.grid([tuple(r) for r in rows], widths=widths, aligns=("L", "L"), heading=False, size=9.5)

    def grid(self, rows: Sequence[Sequence[object]], widths: Sequence[float], aligns: Sequence[str] | None = None,
              heading: bool = True, size: float = 8.5, highlight: Sequence[int] = ()) -> None:
        """A table; the first row is the heading (repeated on each page) unless ``heading`` is False.

        ``highlight``: indexes of body rows drawn in red (e.g. rate cuts, failed checks).
        """
        body = rows[1:] if heading else rows
        if not body:
            return
        self.set_font(FAMILY, "", size)
        aligns = aligns or ("L",) * len(widths)
        hl = set(highlight)
        with self._table(widths, aligns, heading, size) as t:
            if heading:
                r = t.row()
                for v in rows[0]:
                    r.cell(safe(v))
            for i, row in enumerate(body):
                style = FontFace(color=RED) if i in hl else None
                r = t.row(style=style) if style else t.row()
                for v in row:
                    r.cell(safe(v))
        self.set_font(FAMILY, "", 9.5)
        self.ln(2)

    def _table(self, widths, aligns, heading: bool, size: float):
        return super().table(
            col_widths=tuple(widths), text_align=tuple(aligns), first_row_as_headings=heading,
            headings_style=FontFace(emphasis="BOLD", fill_color=GREY),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES if heading else TableBordersLayout.NONE,
            line_height=size * 0.48, padding=(0.8, 1.2), width=self.epw)
