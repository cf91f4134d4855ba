"""The narrow (phone) layout's few rules beyond Streamlit's own (which stacks every column under 640 px):
rows of headline figures stay two to a row, so the Dashboard's and Log's figures fit a
390-pixel screen without a long scroll (the effective wage, first in its row, comes first);
the Dashboard's empty-queue calendar is the phone's one (a week a row) instead of the wide
one (a week a column, a year of them squeezed into 300 pixels was unreadable); tabs wrap to a
second line rather than hide the last ones behind a sideways scroll (Swahili's and Portuguese's
labels are long). At every width, a headline figure's label wraps instead of ending in "…"
(Spanish's "Faltante semanal frente a la re…")."""

from __future__ import annotations

import streamlit as st

_CSS = """<style>
.st-key-eq_calendar_phone { display: none !important; }
[data-testid="stMetricLabel"] p { white-space: normal; }
@media (max-width: 640px) {
  .st-key-eq_calendar_wide { display: none !important; }
  .st-key-eq_calendar_phone { display: flex !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-direction: row !important; flex-wrap: wrap !important; row-gap: .75rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important; max-width: calc(50% - .5rem); }
  [data-testid="stMetricValue"] { font-size: 1.5rem; }
  [data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap !important; row-gap: .25rem; }
}
</style>"""


def css() -> None:
    st.html(_CSS)
