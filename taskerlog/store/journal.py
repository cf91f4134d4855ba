"""The append-only, hash-chained journal of every change.

Each journal entry records one change set to one table: ``insert`` (one or many rows),
``update`` or ``delete`` (one row, with the old and new values as JSON for the edit
trail). ``rows`` is a packed array of ``(row id: int64 big-endian, row hash: 16 bytes)``
for every row the entry touched; a row's hash is the first 16 bytes of
SHA-256(``repr`` of its values in the columns named by ``cols``), NULL-hash (all zero)
for a delete. The entry's own ``hash`` is SHA-256 over the previous entry's hash and
every field of the entry, so changing, removing or reordering any entry breaks the chain
from that point on.

``verify`` re-walks the chain, then replays it to the row hashes every live row must
have, and compares them with the rows as they are now: a row edited, added or deleted
behind taskerlog's back is named.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

GENESIS = "0" * 64
DELETED = b"\x00" * 16


def row_hash(values: Sequence) -> bytes:
    """Hash of one row's values (Python ints, strs and Nones, in ``cols`` order)."""
    return hashlib.sha256(repr(tuple(values)).encode("utf-8")).digest()[:16]


_DTYPE = np.dtype([("id", ">i8"), ("h", "S16")])


def pack_rows(ids: Sequence[int], hashes: Sequence[bytes]) -> bytes:
    arr = np.empty(len(hashes), dtype=_DTYPE)
    arr["id"] = np.asarray(ids, dtype=np.int64)
    arr["h"] = np.frombuffer(b"".join(hashes), dtype="S16") if len(hashes) else arr["h"]
    return arr.tobytes()


def unpack_rows(blob: bytes) -> list[tuple[int, bytes]]:
    arr = np.frombuffer(blob, dtype=_DTYPE)
    return list(zip(arr["id"].tolist(), [bytes(h).ljust(16, b"\x00") for h in arr["h"]]))


def entry_hash(prev_hash: str, seq: int, recorded_at: int, tbl: str, action: str, source: str,
               cols: str, row_count: int, rows: bytes, old: str | None, new: str | None) -> str:
    h = hashlib.sha256()
    for part in (prev_hash, str(seq), str(recorded_at), tbl, action, source, cols, str(row_count),
                 hashlib.sha256(rows).hexdigest(), old or "", new or ""):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


@dataclass
class Problem:
    """One thing ``verify`` found wrong."""

    seq: int | None
    table: str | None
    row_id: int | None
    message: str


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    head: str
    problems: list[Problem] = field(default_factory=list)
