"""The logbook as data frames: what the pure logic (metrics, evidence, pooling) reads.

The store builds these from SQLite; tests and the benchmark can build them directly.
Columns (all money in integer micro-units of the row's ``currency``; instants in epoch
seconds UTC; dates as ``datetime.date``):

``work``     id, platform, project (None for platform-level time), kind, start, end,
             units (nullable Int64), pay_micros (nullable Int64: blank = derive),
             currency (None = project's, else home), status, external_id, note,
             recorded_at, edited_at, source
``projects`` platform, project, pay_model, currency, advertised_rate_micros (nullable),
             started_on, ended_on, end_reason
``rates``    platform, project, effective_at, rate_micros, unit, currency, applies_to
             (";"-joined kinds; "" = all billable kinds), note
``eq``       platform, start_date, end_date (None = still empty), note
``payouts``  platform, paid_at, amount_micros, currency, fee_micros, method,
             received_amount_micros, received_currency, reference, note,
             for_earlier_work (0/1; may be absent in frames built by hand: 0)
``expenses`` date, category, amount_micros, currency, platform (None = shared), note
``fx``       date, currency, rate (Decimal: one unit of currency in home currency)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store names these classes on every command; frames are made by few
    import pandas as pd

    from .model import Logbook

WORK_COLUMNS = [
    "id", "platform", "project", "kind", "start", "end", "units", "pay_micros", "currency",
    "status", "external_id", "note", "recorded_at", "edited_at", "source",
]
PROJECT_COLUMNS = [
    "platform", "project", "pay_model", "currency", "advertised_rate_micros", "started_on",
    "ended_on", "end_reason", "notes",
]
RATE_COLUMNS = ["platform", "project", "effective_at", "rate_micros", "unit", "currency", "applies_to", "note"]
EQ_COLUMNS = ["platform", "start_date", "end_date", "note"]
PAYOUT_COLUMNS = [
    "platform", "paid_at", "amount_micros", "currency", "fee_micros", "method",
    "received_amount_micros", "received_currency", "reference", "note", "for_earlier_work",
]
EXPENSE_COLUMNS = ["date", "category", "amount_micros", "currency", "platform", "note"]
FX_COLUMNS = ["date", "currency", "rate"]


def _empty(cols: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(columns=cols, dtype=object)


@dataclass
class LogbookFrames:
    """Everything in one logbook, read-only by convention."""

    settings: Logbook
    work: pd.DataFrame = field(default_factory=lambda: _empty(WORK_COLUMNS))
    projects: pd.DataFrame = field(default_factory=lambda: _empty(PROJECT_COLUMNS))
    rates: pd.DataFrame = field(default_factory=lambda: _empty(RATE_COLUMNS))
    eq: pd.DataFrame = field(default_factory=lambda: _empty(EQ_COLUMNS))
    payouts: pd.DataFrame = field(default_factory=lambda: _empty(PAYOUT_COLUMNS))
    expenses: pd.DataFrame = field(default_factory=lambda: _empty(EXPENSE_COLUMNS))
    fx: pd.DataFrame = field(default_factory=lambda: _empty(FX_COLUMNS))
