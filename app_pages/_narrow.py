"""The narrow (phone) layout's few rules beyond Streamlit's own (which stacks every column under 640 px):
rows of headline figures stay two to a row, so the Dashboard's and Log's figures fit a
390-pixel screen without a long scroll (the effective wage, first in its row, comes first)."""

from __future__ import annotations

import streamlit as st

_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-direction: row !important; flex-wrap: wrap !important; row-gap: .75rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important; max-width: calc(50% - .5rem); }
  [data-testid="stMetricValue"] { font-size: 1.5rem; }
  [data-testid="stMetricLabel"] p { white-space: normal; }
}
</style>"""


def css() -> None:
    st.html(_CSS)
