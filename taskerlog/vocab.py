"""The logbook's vocabulary: kinds of work, statuses of pay, pay models (shared/docs/metrics.md,
interchange.md), without pydantic, so that what only needs the words (the store, the
command line's choices) does not load the record classes of :mod:`taskerlog.model`.
``KINDS`` is ordered as metrics.md lists them, which breaks ties when unpaid time is
attributed to a kind."""

from __future__ import annotations

from decimal import Decimal

from .i18n import N_

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


# The words above as people read them (the stored words stay English: they are the bundle's
# and --json's contract). Marked here for the catalogues; translated where shown.
_SHOWN = frozenset((
    # Translators: kinds of work (what the time was spent on)
    N_("tasking"), N_("review"), N_("training"), N_("onboarding"), N_("assessment"), N_("instructions"),
    N_("meeting"), N_("admin"), N_("waiting"),
    # Translators: what came of an entry's pay
    N_("paid"), N_("pending"), N_("rejected"), N_("returned"), N_("lost"), N_("capped"), N_("unpaid"),
    # Translators: a rate's unit: "per hour", "per task"
    N_("hour"), N_("task"),
))


def shown(word: str) -> str:
    """A kind, status or rate unit in the language in use (``tasking`` → ``tarea``); any other
    text (a name typed by the worker) is returned as it is."""
    from .i18n import gettext

    return gettext(word) if word in _SHOWN else word
