"""Records in: a checked record (model.py's Project, Rate, WorkEntry, Payout ...) saved as a row.

``*_values`` turn a record into its row's values (shared by single writes and the bulk
import); the mixin :class:`Recording` gives the Store its ``add_*`` calls, the settings,
platform names and the running clock, each one journaled write through store/writes.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import money
from ..vocab import applies_to_text
from .connection import StoreError

if TYPE_CHECKING:
    from ..model import EQPeriod, Expense, FxRate, Logbook, Payout, Project, Rate, WorkEntry


# -- record → row values (shared by single writes and bulk import) -----------------------
def _m(d: Decimal | None) -> int | None:
    return None if d is None else money.to_micros(d)


def _d(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def project_values(p: Project, platform_id: int) -> dict[str, Any]:
    return {"platform_id": platform_id, "name": p.project, "pay_model": p.pay_model, "currency": p.currency,
            "advertised_rate_micros": _m(p.advertised_rate), "started_on": _d(p.started_on),
            "ended_on": _d(p.ended_on), "end_reason": p.end_reason, "notes": p.notes}


def rate_values(r: Rate, project_id: int) -> dict[str, Any]:
    return {"project_id": project_id, "effective_at": r.effective_at, "rate_micros": money.to_micros(r.rate),
            "unit": r.unit, "currency": r.currency, "applies_to": applies_to_text(r.applies_to), "note": r.note}


def work_values(w: WorkEntry, platform_id: int, project_id: int | None) -> dict[str, Any]:
    return {"platform_id": platform_id, "project_id": project_id, "kind": w.kind, "start": w.start, "end": w.end,
            "units": w.units, "pay_micros": _m(w.pay), "currency": w.currency, "status": w.status,
            "external_id": w.external_id, "note": w.note}


def eq_values(e: EQPeriod, platform_id: int) -> dict[str, Any]:
    return {"platform_id": platform_id, "start_date": _d(e.start_date), "end_date": _d(e.end_date), "note": e.note}


def payout_values(p: Payout, platform_id: int) -> dict[str, Any]:
    return {"platform_id": platform_id, "paid_at": p.paid_at, "amount_micros": money.to_micros(p.amount),
            "currency": p.currency, "fee_micros": money.to_micros(p.fee or Decimal(0)), "method": p.method,
            "received_amount_micros": _m(p.received_amount), "received_currency": p.received_currency,
            "reference": p.reference, "note": p.note, "for_earlier_work": int(p.for_earlier_work)}


def expense_values(e: Expense, platform_id: int | None) -> dict[str, Any]:
    return {"date": _d(e.date), "category": e.category, "amount_micros": money.to_micros(e.amount),
            "currency": e.currency, "platform_id": platform_id, "note": e.note}


def fx_values(f: FxRate) -> dict[str, Any]:
    return {"date": _d(f.date), "currency": f.currency, "rate": str(f.rate)}


class Recording:
    """The Store's typed record writes (mixed into Store, which supplies transaction, insert, update, delete and the reads)."""

    def set_settings(self, logbook: Logbook, source: str = "manual") -> None:
        """Save every setting (validated by :class:`Logbook`)."""
        values = {
            "home_currency": logbook.home_currency,
            "timezone": logbook.timezone,
            "reference_wage": None if logbook.reference_wage is None else str(logbook.reference_wage),
            "reference_currency": logbook.reference_currency,
            "reference_label": logbook.reference_label,
            "language": logbook.language,
        }
        with self.transaction():
            for key, value in values.items():
                self.set_setting(key, value, source)

    def set_setting(self, key: str, value: str | None, source: str = "manual") -> None:
        """Save one setting (journaled, like every write): a new key gets a row, a changed one
        is updated; an unset key that has no row needs none."""
        with self.transaction():
            row = self.conn.execute("SELECT id FROM settings WHERE key = ?", (key,)).fetchone()
            if row is not None:
                self.update("settings", row[0], {"value": value}, source)
            elif value is not None:
                self.insert("settings", {"key": key, "value": value}, source)

    def platform_id(self, name: str, *, create: bool = True, source: str = "manual") -> int | None:
        name = name.strip()
        row = self.conn.execute("SELECT id FROM platforms WHERE name = ?", (name,)).fetchone()
        if row:
            return row[0]
        if not create:
            return None
        if not name:
            raise StoreError("a platform name is needed")
        return self.insert("platforms", {"name": name}, source)

    # -- records in ------------------------------------------------------------------
    def add_project(self, p: Project, source: str = "manual") -> int:
        with self.transaction():
            if self.project_row(p.platform, p.project):
                raise StoreError(f"{p.platform} already has a project called '{p.project}'")
            return self.insert("projects", project_values(p, self.platform_id(p.platform, source=source)), source)

    def add_rate(self, r: Rate, source: str = "manual") -> int:
        with self.transaction():
            pid = self.project_id(r.platform, r.project)
            return self.insert("rates", rate_values(r, pid), source)

    def add_work(self, w: WorkEntry, source: str = "manual") -> int:
        with self.transaction():
            pid = self.project_id(w.platform, w.project)
            return self.insert("work", work_values(w, self.platform_id(w.platform, source=source), pid), source)

    def add_eq(self, e: EQPeriod, source: str = "manual") -> int:
        with self.transaction():
            return self.insert("eq", eq_values(e, self.platform_id(e.platform, source=source)), source)

    def add_payout(self, p: Payout, source: str = "manual") -> int:
        with self.transaction():
            return self.insert("payouts", payout_values(p, self.platform_id(p.platform, source=source)), source)

    def add_expense(self, e: Expense, source: str = "manual") -> int:
        with self.transaction():
            pid = self.platform_id(e.platform, source=source) if e.platform else None
            return self.insert("expenses", expense_values(e, pid), source)

    def add_fx(self, f: FxRate, source: str = "manual") -> int:
        from ..model import home_rate_problem

        problem = home_rate_problem(f.currency, f.rate, self.settings().home_currency)
        if problem:
            raise StoreError(problem)
        with self.transaction():
            row = self.conn.execute("SELECT id, rate FROM fx WHERE date = ? AND currency = ?",
                                    (f.date.isoformat(), f.currency)).fetchone()
            if row:
                if Decimal(row[1]) != f.rate:
                    self.update("fx", row[0], {"rate": str(f.rate)}, source)
                return row[0]
            return self.insert("fx", fx_values(f), source)

    # -- the running clock -----------------------------------------------------------
    def clock_start(self, platform: str, project: str | None, kind: str, note: str | None = None,
                    at: int | None = None, source: str = "clock") -> int:
        """Start a clock; it lives in the logbook, so it survives a closed tab or a reboot."""
        at = self.now() if at is None else at
        with self.transaction():
            pid = self.project_id(platform, project)
            fid = self.platform_id(platform, source=source)
            return self.insert("clock", {"platform_id": fid, "project_id": pid, "kind": kind,
                                         "started_at": at, "note": note}, source)

    def clock_stop(self, clock_id: int | None = None, at: int | None = None, *, units: int | None = None,
                   pay: Decimal | None = None, status: str | None = None, note: str | None = None,
                   source: str = "clock") -> int:
        """Stop a running clock (the only one, or ``clock_id``) and save it as a work entry."""
        at = self.now() if at is None else at
        with self.transaction():
            clocks = self.running_clocks()
            if not clocks:
                raise StoreError("no clock is running")
            if clock_id is None:
                if len(clocks) > 1:
                    raise StoreError("several clocks are running; say which one to stop")
                clock = clocks[0]
            else:
                matches = [c for c in clocks if c["id"] == clock_id]
                if not matches:
                    raise StoreError(f"clock #{clock_id} is not running")
                clock = matches[0]
            if at <= clock["started_at"]:
                raise StoreError("the clock would stop before it started")
            from ..model import WorkEntry

            entry = WorkEntry(platform=clock["platform"], project=clock["project"], kind=clock["kind"],
                              start=clock["started_at"], end=at, units=units, pay=pay, status=status,
                              note=note if note is not None else clock["note"])
            self.delete("clock", clock["id"], source)
            return self.add_work(entry, source)
