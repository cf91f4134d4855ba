"""Anchors: the journal's head hash, written down or sent somewhere the worker does not control.

Every change to the logbook is a journal entry whose hash covers the previous entry's
hash, so the head hash stands for the whole history up to it. An anchor is that hash,
with the date and the entry count, in a line short enough to email, print or copy by
hand::

    taskerlog anchor 2026-11-23 · 1,234 entries · 3f9a 1c07 88e2 d410

Later, the journal entry at that position must still carry that hash. If any earlier
entry was changed, removed or the journal was rebuilt from scratch, it cannot.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n, timeutil
from ..problems import fix, nsay, say
from ..store.journal import Problem

#: hex digits of the hash in the short, write-down form (64 bits: 4 groups of 4)
SHORT_DIGITS = 16
#: the fewest hex digits ``verify --anchor`` accepts: all of the anchor line's (fewer could
#: be matched by a rebuilt journal after some thousands of tries)
MIN_DIGITS = SHORT_DIGITS
SOURCE = "anchor"


class AnchorError(ValueError):
    """An anchor that cannot be made or read; the message says what to do."""


def short_hash(h: str, digits: int = SHORT_DIGITS) -> str:
    """``3f9a1c07...`` → ``3f9a 1c07 88e2 d410`` (the first ``digits`` hex digits in fours)."""
    return " ".join(h[i:i + 4] for i in range(0, digits, 4))


def anchor_line(seq: int, head: str, day: dt.date) -> str:
    """The one line a worker keeps: date, entry count and the short hash."""
    return f"taskerlog anchor {day.isoformat()} · {seq:,} entries · {short_hash(head)}"


@dataclass(frozen=True)
class Anchor:
    """A recorded anchor (a row of ``anchors``)."""

    id: int
    seq: int
    hash: str
    recorded_at: int
    note: str | None = None


def make_anchor(store, now: int, note: str | None = None) -> tuple[Anchor, str]:
    """Record the current head as an anchor; return it and the line to keep.

    The anchor names the head *before* its own row is written (that row is journaled too,
    as the next entry).
    """
    seq, head = store.journal_head()
    if seq == 0:
        raise AnchorError("the journal is empty: log some work first, then anchor it")
    with store.transaction():
        rid = store.insert("anchors", {"seq": seq, "hash": head, "note": note}, SOURCE)
    tz = store.settings().timezone
    day = timeutil.to_local(now, tz).date()
    return Anchor(rid, seq, head, now, note), anchor_line(seq, head, day)


def recorded_anchors(store) -> list[Anchor]:
    return [Anchor(r["id"], r["seq"], r["hash"], r["recorded_at"], r["note"]) for r in store.rows("anchors")]


@dataclass(frozen=True)
class Claim:
    """An anchor as the worker kept it: a hash (whole or its first digits), maybe the entry count."""

    digits: str
    seq: int | None = None
    text: str = ""


_LINE = re.compile(r"(?P<seq>\d[\d,]*)\s+entries\s*[·\-|:]*\s*(?P<hash>[0-9a-fA-F][0-9a-fA-F ]+)")
_FULL = re.compile(r"\b[0-9a-fA-F]{64}\b")


def parse_claims(text: str) -> list[Claim]:
    """Read anchors out of text the worker kept (a line, an email, a file of them).

    Understands the anchor line (``... · 1,234 entries · 3f9a 1c07 88e2 d410``), a full
    64-digit hash, or a bare run of hex digits (spaces allowed) of at least MIN_DIGITS.
    """
    claims: list[Claim] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _LINE.search(line)
        if m:
            digits = m.group("hash").replace(" ", "").lower()
            claims.append(Claim(digits, int(m.group("seq").replace(",", "")), line))
            continue
        full = _FULL.findall(line)
        if full:
            claims.extend(Claim(h.lower(), None, line) for h in full)
            continue
        bare = line.removeprefix("full hash:").strip().replace(" ", "")
        if re.fullmatch(r"[0-9a-fA-F]+", bare):
            claims.append(Claim(bare.lower(), None, line))
    for c in claims:
        if len(c.digits) < MIN_DIGITS:
            raise AnchorError(f"'{c.text}' has only {len(c.digits)} hex digits of the hash;"
                              f" give at least {MIN_DIGITS} (the anchor line shows {SHORT_DIGITS})")
    # the anchor line and its "full hash:" line are one anchor: keep the count, take the longer hash
    out: list[Claim] = []
    for c in claims:
        merged = False
        for i, o in enumerate(out):
            if o.digits.startswith(c.digits) or c.digits.startswith(o.digits):
                if o.seq is None or c.seq is None or o.seq == c.seq:
                    longer = c.digits if len(c.digits) > len(o.digits) else o.digits
                    out[i] = Claim(longer, o.seq if o.seq is not None else c.seq, o.text)
                    merged = True
                    break
        if not merged:
            out.append(c)
    return out


def read_claims(texts: list[str] = (), files: list[str | Path] = ()) -> list[Claim]:
    claims: list[Claim] = []
    for t in texts:
        found = parse_claims(t)
        if not found:
            raise AnchorError(f"'{t}' is not an anchor; give the anchor line or its hash")
        claims.extend(found)
    for f in files:
        try:
            content = Path(f).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise AnchorError(f"cannot read the anchor file {f}: {exc.strerror}") from exc
        found = parse_claims(content)
        if not found:
            raise AnchorError(f"{f} holds no anchor (no anchor line and no journal hash)")
        claims.extend(found)
    return claims


@dataclass
class AnchorCheck:
    """What checking anchors found."""

    recorded: int = 0
    external: int = 0
    problems: list[Problem] = field(default_factory=list)
    matched: dict[int, bool] = field(default_factory=dict)
    """recorded anchor id → whether it still matches."""
    newest_kept: dict | None = None
    """The latest journal entry an anchor the worker kept (outside the logbook) still
    matches (``seq``, ``recorded_at``), or None: what the worker can prove up to."""


def check_anchors(store, claims: list[Claim] = ()) -> AnchorCheck:
    """Check every recorded anchor, and every anchor the worker kept elsewhere."""
    result = AnchorCheck()
    tz = store.settings().timezone
    for a in recorded_anchors(store):
        result.recorded += 1
        entry = store.journal_entry(a.seq)
        when = timeutil.to_local(a.recorded_at, tz).date().isoformat()
        if entry is None:
            result.matched[a.id] = False
            result.problems.append(Problem(a.seq, "journal", None,
                f"anchor #{a.id} of {when} names journal entry {a.seq:,}, which no longer exists:"
                " the journal was cut back or rebuilt after the anchor"))
        elif entry["hash"] != a.hash:
            result.matched[a.id] = False
            result.problems.append(Problem(a.seq, "journal", None,
                f"anchor #{a.id} of {when}: journal entry {a.seq:,} had hash {short_hash(a.hash)},"
                f" it now has {short_hash(entry['hash'])}: the journal was rewritten after the anchor"))
        else:
            result.matched[a.id] = True
    entries = None
    for c in claims:
        result.external += 1
        shown = short_hash(c.digits, min(len(c.digits), SHORT_DIGITS))
        if c.seq is not None:
            entry = store.journal_entry(c.seq)
            if entry is None:
                result.problems.append(Problem(c.seq, "journal", None,
                    f"the anchor you kept ({c.seq:,} entries, {shown}) is not in this journal: it has no"
                    f" entry {c.seq:,}; the journal was cut back or rebuilt after the anchor"))
            elif not entry["hash"].startswith(c.digits):
                result.problems.append(Problem(c.seq, "journal", None,
                    f"the anchor you kept ({c.seq:,} entries, {shown}) does not match: journal entry"
                    f" {c.seq:,} now has hash {short_hash(entry['hash'])}; the journal was rewritten or"
                    " rebuilt after the anchor"))
            else:
                _newest(result, entry)
            continue
        if entries is None:
            entries = store.journal_entries()
        entry = next((e for e in entries if e["hash"].startswith(c.digits)), None)
        if entry is None:
            result.problems.append(Problem(None, "journal", None,
                f"the anchor you kept ({shown}) matches no entry of this journal: the journal was"
                " rewritten or rebuilt after the anchor"))
        else:
            _newest(result, entry)
    return result


def _newest(result: AnchorCheck, entry: dict) -> None:
    if result.newest_kept is None or entry["seq"] > result.newest_kept["seq"]:
        result.newest_kept = {"seq": entry["seq"], "recorded_at": entry["recorded_at"]}


def limits(kept: dict | None, entries: int, now: int, tz: str) -> str:
    """What ``verify`` cannot see, in words: changes after the newest anchor kept outside
    (``kept``: :attr:`AnchorCheck.newest_kept`)."""
    if kept is None:
        return say("anchors.none_given", "limit: no anchor kept outside the logbook was given, so anyone who can "
                   "edit the logbook file could change it and rebuild the hash chain, and verify could not tell; {fix}",
                   fix=fix("keep_anchor"))
    day = timeutil.to_local(kept["recorded_at"], tz).date()
    age = (timeutil.to_local(now, tz).date() - day).days
    after = entries - kept["seq"]
    seq = i18n.number(kept["seq"])
    if after <= 0:
        return nsay("anchors.fresh", "the newest anchor you kept covers journal entries 1 to {seq}, written up to "
                    "{day} ({n} day ago); nothing was recorded after it", "the newest anchor you kept covers journal "
                    "entries 1 to {seq}, written up to {day} ({n} days ago); nothing was recorded after it",
                    n=age, seq=seq, day=day)
    text = nsay("anchors.covers", "the newest anchor you kept covers journal entries 1 to {seq}, written up to {day} "
                "({n} day ago)", "the newest anchor you kept covers journal entries 1 to {seq}, written up to {day} "
                "({n} days ago)", n=age, seq=seq, day=day)
    return nsay("anchors.stale", "limit: {text}; for the {after} entry after it, anyone who can edit the logbook file "
                "could change it and rebuild the hash chain, and verify could not tell: make a new anchor ({fix}) "
                "and keep it outside", "limit: {text}; for the {after} entries after it, anyone who can edit the "
                "logbook file could change it and rebuild the hash chain, and verify could not tell: make a new "
                "anchor ({fix}) and keep it outside", n=after, text=text, after=i18n.number(after),
                fix=fix("make_anchor"))
