"""The logbook's vocabulary: kinds of work, statuses of pay, pay models (shared/docs/metrics.md,
interchange.md), without pydantic, so that what only needs the words (the store, the
command line's choices) does not load the record classes of :mod:`taskerlog.model`.
``KINDS`` is ordered as metrics.md lists them, which breaks ties when unpaid time is
attributed to a kind."""

from __future__ import annotations

from decimal import Decimal

from .i18n import pgettext

BILLABLE_KINDS: tuple[str, ...] = ("tasking", "review", "training")
UNPAID_KINDS: tuple[str, ...] = (
    "onboarding",
    "assessment",
    "instructions",
    "meeting",
    "admin",
    "waiting",
)
KINDS: tuple[str, ...] = BILLABLE_KINDS + UNPAID_KINDS
STATUSES: tuple[str, ...] = ("paid", "pending", "rejected", "returned", "lost", "capped", "unpaid")
EARNING_STATUSES: tuple[str, ...] = ("paid", "pending")
#: statuses under which unpaid *billable* work is reported instead of its kind
FAILED_STATUSES: tuple[str, ...] = ("rejected", "returned", "lost", "capped")
#: the keys of unpaid_hours_by_kind, in tie-break/report order
UNPAID_KEYS: tuple[str, ...] = KINDS + FAILED_STATUSES
PAY_MODELS: tuple[str, ...] = ("hourly", "per_task")
RATE_UNITS: tuple[str, ...] = ("hour", "task")
END_REASONS: tuple[str, ...] = ("finished", "removed", "quit", "paused")


def default_status(kind: str, pay: Decimal | None) -> str:
    """metrics.md: ``paid`` for billable kinds and for any entry with a recorded pay, else ``unpaid``."""
    return "paid" if (kind in BILLABLE_KINDS or pay is not None) else "unpaid"


def parse_applies_to(text: str | None) -> tuple[str, ...]:
    """``"training;review"`` → ('review', 'training') in KINDS order; blank → all billable kinds."""
    if text is None or not str(text).strip():
        return BILLABLE_KINDS
    parts = [p.strip().lower() for p in str(text).split(";") if p.strip()]  # any case, as kind is read
    bad = [p for p in parts if p not in KINDS]
    if bad:
        raise ValueError(
            f"unknown kind {', '.join(repr(b) for b in bad)}; use kinds from: {', '.join(KINDS)}"
        )
    return tuple(k for k in KINDS if k in parts)


def applies_to_text(kinds: tuple[str, ...]) -> str:
    """Canonical stored form: blank for "all billable kinds", else ``;``-joined in KINDS order."""
    return "" if tuple(kinds) == BILLABLE_KINDS else ";".join(kinds)


# The stored words above (English: the bundle's and --json's contract) as people read them,
# each with the sense that tells translators which word is meant; translated where shown.
_SHOWN = {
    "tasking": lambda: pgettext("kind of work", "tasking"),
    "review": lambda: pgettext("kind of work", "review"),
    "training": lambda: pgettext("kind of work", "training"),
    "onboarding": lambda: pgettext("kind of work", "onboarding"),
    "assessment": lambda: pgettext("kind of work", "assessment"),
    "instructions": lambda: pgettext("kind of work", "instructions"),
    "meeting": lambda: pgettext("kind of work", "meeting"),
    "admin": lambda: pgettext("kind of work", "admin"),
    "waiting": lambda: pgettext("kind of work", "waiting"),
    "paid": lambda: pgettext("pay status", "paid"),
    "pending": lambda: pgettext("pay status", "pending"),
    "rejected": lambda: pgettext("pay status", "rejected"),
    "returned": lambda: pgettext("pay status", "returned"),
    "lost": lambda: pgettext("pay status", "lost"),
    "capped": lambda: pgettext("pay status", "capped"),
    "unpaid": lambda: pgettext("pay status", "unpaid"),
    "hourly": lambda: pgettext("pay model", "hourly"),
    "per_task": lambda: pgettext("pay model", "per task"),
    "hour": lambda: pgettext("rate unit", "hour"),
    "task": lambda: pgettext("rate unit", "task"),
    "finished": lambda: pgettext("why a project ended", "finished"),
    "removed": lambda: pgettext("why a project ended", "removed"),
    "quit": lambda: pgettext("why a project ended", "quit"),
    "paused": lambda: pgettext("why a project ended", "paused"),
    "first": lambda: pgettext("rate change", "first"),
    "cut": lambda: pgettext("rate change", "cut"),
    "raise": lambda: pgettext("rate change", "raise"),
    "same": lambda: pgettext("rate change", "same"),
    "recorded": lambda: pgettext("where an entry's pay comes from", "recorded"),
    "rate": lambda: pgettext("where an entry's pay comes from", "rate"),
}


def shown(value) -> str:
    """A word of the logbook's vocabulary (a kind of work, a pay status, a pay model, a rate
    unit, why a project ended, a rate change, where an entry's pay comes from) in the
    language in use, for people to read (``tasking`` → ``tareas``); the stored value, the
    options typed and JSON stay English. Anything else (a name the worker typed) is returned
    as it is; None as blank. The one table both shells and the reports show these words from."""
    f = _SHOWN.get(value) if isinstance(value, str) else None
    return f() if f else ("" if value is None else str(value))
