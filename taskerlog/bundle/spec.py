"""The files of a CSV bundle (format 1, shared/docs/interchange.md) and their columns.

This table is the one place that names them: the reader checks headers against it, the
importer validates by it and the exporter writes it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[str, ...]
    """Every column, in the order the exporter writes them."""
    required: tuple[str, ...]
    """Columns the header must have (their cells may still be blank where allowed)."""

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


FILES: dict[str, FileSpec] = {f.name: f for f in (
    FileSpec("logbook", ("home_currency", "timezone", "reference_wage", "reference_currency", "reference_label"),
             ()),
    FileSpec("projects", ("platform", "project", "pay_model", "currency", "advertised_rate", "started_on",
                          "ended_on", "end_reason", "notes"), ("platform", "project")),
    FileSpec("rates", ("platform", "project", "effective_at", "rate", "unit", "currency", "applies_to", "note"),
             ("platform", "project", "effective_at", "rate")),
    FileSpec("work", ("platform", "project", "kind", "start", "end", "duration_minutes", "units", "pay",
                      "currency", "status", "external_id", "note"), ("platform", "kind", "start")),
    FileSpec("eq", ("platform", "start_date", "end_date", "note"), ("platform", "start_date")),
    FileSpec("payouts", ("platform", "paid_at", "amount", "currency", "fee", "method", "received_amount",
                         "received_currency", "reference", "note", "for_earlier_work"),
             ("platform", "paid_at", "amount", "currency")),
    FileSpec("expenses", ("date", "category", "amount", "currency", "platform", "note"),
             ("date", "category", "amount", "currency")),
    FileSpec("fx", ("date", "currency", "rate"), ("date", "currency", "rate")),
)}

#: the order files are validated, written and reported in (names before what refers to them)
ORDER: tuple[str, ...] = ("logbook", "projects", "rates", "work", "eq", "payouts", "expenses", "fx")

#: the file name a table's problems are reported under, unless the table says otherwise
FILE_ATTR = "file"
LINE = "_line"
