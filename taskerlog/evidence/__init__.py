"""Evidence for a wage claim: anchors of the journal, attachments, reference wages, the report.

- :mod:`.anchors` — the journal head in a form to keep elsewhere, and checks against it;
- :mod:`.attachments` — files kept by content hash beside the logbook;
- :mod:`.wages` — the shipped table of legal minimum wages, and choosing a reference;
- :mod:`.integrity` — contemporaneous / late / imported / edited, and edit trails;
- :mod:`.report` — the PDF + CSV + manifest zip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _, ngettext
from ..store.journal import Problem
from . import anchors, attachments

STATEMENT_KEY = "evidence_statement"


@dataclass
class EvidenceCheck:
    """What ``taskerlog verify`` adds: anchors and attachment files."""

    anchors_recorded: int = 0
    anchors_external: int = 0
    attachments: int = 0
    problems: list[Problem] = field(default_factory=list)
    newest_kept: dict | None = None
    """The latest journal entry an anchor kept outside still matches (``seq``, ``recorded_at``)."""

    def summary(self) -> str:
        """What was checked, in the language in use."""
        recorded = ngettext("{n} recorded anchor", "{n} recorded anchors", self.anchors_recorded).format(
            n=self.anchors_recorded)
        files = ngettext("{n} attachment file", "{n} attachment files", self.attachments).format(n=self.attachments)
        if self.anchors_external:
            kept = ngettext("{n} anchor you kept", "{n} anchors you kept", self.anchors_external).format(
                n=self.anchors_external)
            return _("checked {recorded}, {kept}, {files}").format(recorded=recorded, kept=kept, files=files)
        return _("checked {recorded}, {files}").format(recorded=recorded, files=files)


def verify_evidence(store, anchor_texts: list[str] = (), anchor_files: list[str] = ()) -> EvidenceCheck:
    """Check every recorded anchor, the anchors given (text or files), and attachment files."""
    claims = anchors.read_claims(list(anchor_texts), list(anchor_files))
    a = anchors.check_anchors(store, claims)
    n, file_problems = attachments.check_files(store)
    return EvidenceCheck(a.recorded, a.external, n, [*a.problems, *file_problems], a.newest_kept)


def saved_statement(store) -> str | None:
    """The worker's statement kept in the logbook's settings (None if there is none)."""
    value = store.settings_raw().get(STATEMENT_KEY)
    return value if value and value.strip() else None


def save_statement(store, text: str, source: str = "manual") -> None:
    """Keep (or replace) the worker's statement; the journal keeps earlier versions."""
    store.set_setting(STATEMENT_KEY, text.strip(), source)
