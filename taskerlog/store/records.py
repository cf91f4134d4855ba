"""Fixing and deleting the records other than work entries: projects, rates, payouts,
expenses, EQ periods and exchange rates.

A record is shown and changed by the names of its CSV bundle columns (interchange.md:
``amount``, ``paid_at``, ``platform`` ...), so what a worker sees in an export is what they
type here. A change is checked as a whole by the record's model, exactly as when the record
was first entered, and saved through :meth:`Store.update`: the journal keeps the old and
the new values. Work entries have their own commands (``taskerlog edit`` / ``delete``).
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import money, timeutil
from ..i18n import N_, _
from ..model import EQPeriod, Expense, FxRate, Payout, Project, Rate, error_words, parse_yes_no
from ..problems import fix, say
from .api import (
    Store, StoreError, eq_values, expense_values, fx_values, payout_values, project_values, rate_values,
)


@dataclass(frozen=True)
class Spec:
    model: type[BaseModel]
    values: Callable[..., dict[str, Any]]
    """model → row values, given the ids it refers to (api.py's *_values)."""
    fields: dict[str, tuple[str, str]]
    """bundle column → (table column, kind: text, money, date, instant, platform, project)."""
    what: str
    """What one record is called (marked for translation: ``_(spec.what)`` where shown)."""


SPECS: dict[str, Spec] = {
    "projects": Spec(Project, project_values, {
        "platform": ("platform_id", "platform"), "project": ("name", "text"), "pay_model": ("pay_model", "text"),
        "currency": ("currency", "text"), "advertised_rate": ("advertised_rate_micros", "money"),
        "started_on": ("started_on", "date"), "ended_on": ("ended_on", "date"), "end_reason": ("end_reason", "text"),
        "notes": ("notes", "text")}, N_("project")),
    "rates": Spec(Rate, rate_values, {
        "platform": ("project_id", "platform"), "project": ("project_id", "project"),
        "effective_at": ("effective_at", "instant"), "rate": ("rate_micros", "money"), "unit": ("unit", "text"),
        "currency": ("currency", "text"), "applies_to": ("applies_to", "text"), "note": ("note", "text")}, N_("rate")),
    "payouts": Spec(Payout, payout_values, {
        "platform": ("platform_id", "platform"), "paid_at": ("paid_at", "instant"),
        "amount": ("amount_micros", "money"), "currency": ("currency", "text"), "fee": ("fee_micros", "money"),
        "method": ("method", "text"), "received_amount": ("received_amount_micros", "money"),
        "received_currency": ("received_currency", "text"), "reference": ("reference", "text"),
        "note": ("note", "text"), "for_earlier_work": ("for_earlier_work", "flag")}, N_("payout")),
    "expenses": Spec(Expense, expense_values, {
        "date": ("date", "date"), "category": ("category", "text"), "amount": ("amount_micros", "money"),
        "currency": ("currency", "text"), "platform": ("platform_id", "platform"), "note": ("note", "text")},
        N_("expense")),
    "eq": Spec(EQPeriod, eq_values, {
        "platform": ("platform_id", "platform"), "start_date": ("start_date", "date"),
        "end_date": ("end_date", "date"), "note": ("note", "text")}, N_("empty-queue period")),
    "fx": Spec(FxRate, fx_values, {"date": ("date", "date"), "currency": ("currency", "text"),
                                   "rate": ("rate", "text")}, N_("exchange rate")),
}
TABLES = tuple(SPECS)


class RecordError(ValueError):
    """A record that cannot be changed as asked; the message says what to do."""


def _spec(table: str) -> Spec:
    if table not in SPECS:
        if table in ("work", "entries"):
            raise RecordError(say("records.work_kind", "'{table}' is not a kind of record; use one of: {kinds} "
                                  "(work entries: {fix})", table=table, kinds=", ".join(TABLES),
                                  fix=fix("edit_work")))
        raise RecordError(say("records.unknown_kind", "'{table}' is not a kind of record; use one of: {kinds}",
                              table=table, kinds=", ".join(TABLES)))
    return SPECS[table]


def _row(store: Store, table: str, row_id: int) -> dict[str, Any]:
    row = store.get(table, row_id)
    if row is None:
        raise RecordError(say("records.no_such", "there is no {what} #{id}; see the numbers with: {fix}",
                              what=_(SPECS[table].what), id=row_id, fix=fix("list_records", table=table)))
    return row


def current(store: Store, table: str, row_id: int) -> dict[str, Any]:
    """The record as its model's fields (the bundle's column names), Python values."""
    spec, row = _spec(table), _row(store, table, row_id)
    out: dict[str, Any] = {}
    project = store.get("projects", row["project_id"]) if "project_id" in row else None
    for name, (col, kind) in spec.fields.items():
        v = row[col]
        if kind == "platform":
            pid = project["platform_id"] if project is not None else v
            out[name] = None if pid is None else store.get("platforms", pid)["name"]
        elif kind == "project":
            out[name] = project["name"]
        elif kind == "money":
            out[name] = money.from_micros(v)
        elif kind == "date":
            out[name] = None if v is None else dt.date.fromisoformat(v)
        elif kind == "flag":
            out[name] = bool(v)
        else:
            out[name] = v
    if table == "rates":
        out["applies_to"] = out["applies_to"] or None  # blank: every billable kind
    return out


def shown(store: Store, table: str, row_id: int, tz: str | None = None) -> dict[str, str]:
    """The record as text, the way an export writes it (local times, plain amounts)."""
    tz = tz or store.settings().timezone
    out = {}
    for name, value in current(store, table, row_id).items():
        kind = SPECS[table].fields[name][1]
        if value is None:
            out[name] = ""
        elif kind == "instant":
            out[name] = timeutil.format_local(int(value), tz)
        elif kind == "money":
            out[name] = money.format_amount(value)
        elif kind == "flag":
            out[name] = "yes" if value else ""
        else:
            out[name] = str(value)
    return out


def listing(store: Store, table: str) -> list[dict[str, str]]:
    """Every record of ``table`` as text, with its number (``id``), oldest first."""
    _spec(table)
    tz = store.settings().timezone
    return [{"id": str(r["id"]), **shown(store, table, r["id"], tz)} for r in store.rows(table)]


def _parse(store: Store, table: str, name: str, text: str) -> Any:
    kind = SPECS[table].fields[name][1]
    text = text.strip()
    if text == "":
        return None
    if kind == "instant":
        try:
            return timeutil.parse_instant(text, store.settings().timezone)
        except (timeutil.TimeError, ValueError) as exc:
            raise RecordError(f"{name}: {exc}") from exc
    if kind == "flag":
        try:
            return parse_yes_no(text)
        except ValueError as exc:
            raise RecordError(f"{name}: {exc}") from exc
    if kind == "date":  # the bundle's wording, not the model's
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise RecordError(f"{name}: {timeutil.not_a_date(text)}") from exc
    choices = _choices(SPECS[table].model, name)
    if choices and text.lower() in choices:  # as the bundle reads it: "Hour" is hour
        return text.lower()
    return text


def _choices(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The values a field allows, when it is a choice (a Literal, maybe optional)."""
    field = model.model_fields.get(name)
    annotation = field.annotation if field is not None else None
    for option in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(option) is typing.Literal:
            return typing.get_args(option)
    return ()


def _sentence(spec: Spec, err: dict) -> str:
    """A model's complaint in the bundle's words (interchange.md's messages)."""
    where = ".".join(str(x) for x in err.get("loc", ())) or _("the record")
    return f"{where}: {error_words(err, _choices(spec.model, where))}"


def edit(store: Store, table: str, row_id: int, changes: dict[str, str], source: str) -> dict[str, str]:
    """Change some of a record's fields (text, as typed; blank clears); → the record after.

    The whole record is checked again by its model, so a change cannot leave it invalid.
    """
    spec = _spec(table)
    unknown = [k for k in changes if k not in spec.fields]
    if unknown:
        raise RecordError(say("records.no_field", "a {what} has no field {names}; its fields are: {fields}",
                              what=_(spec.what), names=", ".join(unknown), fields=", ".join(spec.fields)))
    if not changes:
        raise RecordError(say("records.nothing_to_change", "nothing to change; give FIELD=VALUE, e.g. {field}=...",
                              field=next(iter(spec.fields))))
    old_row = _row(store, table, row_id)
    fields = current(store, table, row_id)
    new_fields = {k: _parse(store, table, k, v) for k, v in changes.items()}
    if table == "projects" and "platform" in new_fields and new_fields["platform"] != fields["platform"]:
        # its work entries name the platform too: moving only the project would split them
        raise RecordError(say("records.project_platform", "a project stays on its platform ({platform}); add the "
                              "project on {other} instead ({fix})", platform=fields["platform"],
                              other=new_fields["platform"] or "the other platform", fix=fix("add_project")))
    fields.update(new_fields)
    try:
        record = spec.model(**{k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:
        raise RecordError(_sentence(spec, exc.errors()[0])) from exc
    values = spec.values(record, *_ids(store, table, record))
    new = {c: v for c, v in values.items() if old_row[c] != v}
    if new:
        try:
            store.update(table, row_id, new, source)
        except StoreError as exc:
            raise RecordError(_clash(table, str(exc))) from exc
    return shown(store, table, row_id)


def _ids(store: Store, table: str, record: BaseModel) -> tuple:
    platform = getattr(record, "platform", None)
    if table == "fx":
        return ()
    pid = None
    if platform:
        pid = store.platform_id(platform, create=False)
        if pid is None:
            raise RecordError(say("records.no_platform", "there is no platform '{platform}' in this logbook; check "
                                  "the spelling", platform=platform))
    if table == "rates":
        row = store.project_row(platform, record.project)
        if row is None:
            raise RecordError(say("records.no_project", "there is no project '{project}' on {platform}; check the "
                                  "spelling", project=record.project, platform=platform))
        return (row["id"],)
    return (pid,)


def _clash(table: str, message: str) -> str:
    if "UNIQUE" in message:
        return {"projects": "that platform already has a project of that name",
                "fx": "there is already an exchange rate for that currency on that day"}.get(table, message)
    return message


def delete(store: Store, table: str, row_id: int, source: str) -> dict[str, str]:
    """Delete a record (the journal keeps its values); → the record as it was."""
    spec = _spec(table)
    before = shown(store, table, row_id)
    if table == "projects":
        used = {t: store.conn.execute(f'SELECT count(*) FROM "{t}" WHERE project_id = ?', (row_id,)).fetchone()[0]
                for t in ("work", "rates")}
        if any(used.values()):
            raise RecordError(say("records.project_in_use", "project #{id} still has {work} work entries and "
                                  "{rates} rates; move or delete them first (or record that it ended: {fix})",
                                  id=row_id, work=used["work"], rates=used["rates"], fix=fix("end_project")))
    try:
        store.delete(table, row_id, source)
    except StoreError as exc:
        raise RecordError(say("records.in_use", "{what} #{id} is still used by other records; delete those first",
                              what=_(spec.what), id=row_id)) from exc
    return before
