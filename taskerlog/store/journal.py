"""The append-only, hash-chained journal of every change.

Each journal entry records one change set to one table: ``insert`` (one or many rows),
``update`` or ``delete`` (one row, with the old and new values as JSON for the edit
trail). ``rows`` is a packed array of ``(row id: int64 big-endian, row hash: 16 bytes)``
for every row the entry touched, all-zero for a delete. The entry's own ``hash`` is
SHA-256 over the previous entry's hash and every field of the entry, so changing,
removing or reordering any entry breaks the chain from that point on.

A row's hash is the first 16 bytes of SHA-256 over its values in the columns named by
``cols``. How the values become bytes is the entry's ``row_format``:

- **2** (every entry written since the journal got the column): each value in turn as
  one tag byte and its bytes — NULL ``00``; integer ``01`` + 8 bytes little-endian
  two's complement; real ``02`` + IEEE 754 double little-endian; text ``03`` + its UTF-8
  length (4 bytes little-endian) + the UTF-8 bytes; blob ``04`` + length + bytes. An
  unambiguous encoding that can be built for a whole column at once (``row_hashes``), so
  a million imported rows are hashed in about a second, and that anyone can re-implement
  from this paragraph.
- **1** (logbooks written before): SHA-256 of Python's ``repr`` of the tuple of values.
  Still checked, never written.

``verify`` re-walks the chain, then replays it to the row hashes every live row must
have, and compares them with the rows as they are now: a row edited, added or deleted
behind taskerlog's back is named.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

if TYPE_CHECKING:  # imported where whole columns are hashed or verified: a one-row write needs neither
    import numpy as np
    import pyarrow as pa

GENESIS = "0" * 64
DELETED = b"\x00" * 16
ROW_FORMAT = 2
"""The row encoding written now (see the module docstring)."""
_FEW_ROWS = 256
"""Up to this many rows, ``row_hashes`` encodes value by value."""
_CHUNK = 1 << 17
"""Rows hashed per batch (keeps the encoded batch, about 15 MB, small)."""


# -- row hashes ---------------------------------------------------------------------
def is_arrow(column) -> bool:
    """Whether ``column`` is a pyarrow array, asked without importing pyarrow (whoever
    holds one has imported it)."""
    pa = sys.modules.get("pyarrow")
    return pa is not None and isinstance(column, (pa.Array, pa.ChunkedArray))


def row_hash_v1(values: Sequence) -> bytes:
    """Format 1: hash of ``repr`` of the row's values (Python ints, strs and Nones)."""
    return hashlib.sha256(repr(tuple(values)).encode("utf-8")).digest()[:16]


def _encode_int(v: int) -> bytes:
    return b"\x01" + int(v).to_bytes(8, "little", signed=True)


def _encode_text(v: str) -> bytes:
    b = v.encode("utf-8")
    return b"\x03" + len(b).to_bytes(4, "little") + b


def _encode_blob(v) -> bytes:
    b = bytes(v)
    return b"\x04" + len(b).to_bytes(4, "little") + b


_ENCODERS = {type(None): lambda v: b"\x00", int: _encode_int, bool: _encode_int,  # SQLite stores a bool as an int
             float: lambda v: b"\x02" + struct.pack("<d", v), str: _encode_text,
             bytes: _encode_blob, bytearray: _encode_blob, memoryview: _encode_blob}


def encode_value(v) -> bytes:
    """Format 2 encoding of one SQLite value."""
    encode = _ENCODERS.get(type(v))
    if encode is None:  # a subclass of one of the types: the nearest base decides
        encode = next((e for t, e in _ENCODERS.items() if t is not type(None) and isinstance(v, t)), None)
        if encode is None:
            raise TypeError(f"cannot store a {type(v).__name__} ({v!r}) in the logbook")
    return encode(v)


def row_hash(values: Sequence, row_format: int = ROW_FORMAT) -> bytes:
    """Hash of one row's values in ``cols`` order."""
    if row_format == 1:
        return row_hash_v1(values)
    return hashlib.sha256(b"".join(map(encode_value, values))).digest()[:16]


@dataclass(frozen=True)
class Same:
    """A column whose every row holds ``value`` (encoded once, not per row)."""

    value: object


def row_hashes(columns: Sequence, n: int) -> bytes:
    """Format 2 hashes of ``n`` rows given column by column, packed 16 bytes a row.

    Each column is a pyarrow array, a list of Python values, or :class:`Same`. Whole
    columns are encoded with pyarrow; a list arrow cannot type exactly (ints mixed with
    reals or text, as SQLite allows) is encoded value by value. Same bytes as
    :func:`row_hash`.
    """
    if n == 0:
        return b""
    if n <= _FEW_ROWS:  # the value-by-value encoding is quicker than setting up arrow
        if not columns:
            return row_hash(()) * n
        pieces = [[encode_value(c.value)] * n if isinstance(c, Same) else list(map(encode_value, (
            c.to_pylist() if is_arrow(c) else c))) for c in columns]
        sha = hashlib.sha256
        return b"".join([sha(b"".join(row)).digest()[:16] for row in zip(*pieces)])
    return b"".join(_digests(offsets, data) for offsets, data in _encoded(columns, n))


def _encoded(columns: Sequence, n: int) -> Iterator[tuple[np.ndarray, memoryview]]:
    """The rows' format 2 bytes, a chunk at a time: (offsets from 0, the bytes)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        pieces = [piece for c in columns for piece in (
            [pa.scalar(encode_value(c.value), pa.large_binary())] if isinstance(c, Same) else
            _encode_column(c[lo:hi], hi - lo))]
        if not any(isinstance(p, (pa.Array, pa.ChunkedArray)) for p in pieces):
            pieces.append(pa.array([b""] * (hi - lo), type=pa.large_binary()))  # something to give the row count
        joined = (pc.binary_join_element_wise(*pieces, pa.scalar(b"", pa.large_binary())) if len(pieces) > 1
                  else pieces[0])
        if isinstance(joined, pa.ChunkedArray):
            joined = joined.combine_chunks()
        offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)[joined.offset:joined.offset + len(joined) + 1]
        data = memoryview(joined.buffers()[2] or b"")[offsets[0]:offsets[-1]]
        yield offsets - offsets[0], data


def _digests(offsets: np.ndarray, data: memoryview) -> bytes:
    import numpy as np

    o = offsets.tolist()
    sha = hashlib.sha256
    digests = b"".join([sha(data[a:b]).digest() for a, b in zip(o, o[1:])])
    return np.frombuffer(digests, dtype=np.uint8).reshape(-1, 32)[:, :16].tobytes()


def _fixed_pieces(valid: np.ndarray, values: np.ndarray, tag: int, dtype: str) -> list[pa.Array]:
    """tag + 8 value bytes per valid row; ``00`` per null."""
    import numpy as np

    n = len(values)
    rec = np.empty(n, dtype=[("t", "u1"), ("v", dtype)])
    rec["t"] = tag
    rec["v"] = values
    return [_heads(rec, valid)]


def _sized_pieces(arr: pa.Array, tag: int) -> list[pa.Array]:
    """tag + 4-byte length per valid row (``00`` per null), then the bytes: two pieces, so
    that one join of every column's pieces puts each row together."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    data = arr.cast(pa.large_binary())
    valid = data.is_valid().to_numpy(zero_copy_only=False)
    rec = np.empty(len(data), dtype=[("t", "u1"), ("n", "<u4")])
    rec["t"] = tag
    rec["n"] = pc.binary_length(data).fill_null(0).to_numpy(zero_copy_only=False)
    return [_heads(rec, valid), data.fill_null(b"") if data.null_count else data]


def _heads(rec: np.ndarray, valid: np.ndarray) -> pa.Array:
    """Each row's fixed-size record as bytes (large_binary); ``00`` where not ``valid``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n, width = len(rec), rec.dtype.itemsize
    heads = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), n, [None, pa.py_buffer(rec.tobytes())])
    heads = heads.cast(pa.large_binary())
    return heads if valid.all() else pc.if_else(pa.array(valid), heads, pa.scalar(b"\x00", pa.large_binary()))


def _encode_column(col, n: int) -> list[pa.Array]:
    """One column → binary arrays whose row-wise join is each value's format 2 encoding."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = col
    if not isinstance(arr, (pa.Array, pa.ChunkedArray)):
        try:
            arr = pa.array(col)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError):
            return [pa.array([encode_value(v) for v in col], type=pa.large_binary())]
        if pa.types.is_floating(arr.type) and any(type(v) is int for v in col):
            return [pa.array([encode_value(v) for v in col], type=pa.large_binary())]  # ints mixed with reals
        if (pa.types.is_string(arr.type) or pa.types.is_binary(arr.type)) and \
                any(isinstance(v, str) for v in col) and any(isinstance(v, (bytes, bytearray, memoryview)) for v in col):
            return [pa.array([encode_value(v) for v in col], type=pa.large_binary())]  # text mixed with bytes
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    if pa.types.is_dictionary(t):
        arr, t = arr.dictionary_decode(), t.value_type
    if pa.types.is_null(t):
        return [pa.scalar(b"\x00", pa.large_binary())]
    if pa.types.is_boolean(t):
        arr, t = arr.cast(pa.int64()), pa.int64()
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        tag, dtype, as_type = (1, "<i8", pa.int64()) if pa.types.is_integer(t) else (2, "<f8", pa.float64())
        valid = arr.is_valid().to_numpy(zero_copy_only=False)
        values = pc.fill_null(arr.cast(as_type), 0).to_numpy(zero_copy_only=False)
        return _fixed_pieces(valid, values, tag, dtype)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return _sized_pieces(arr, 3)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return _sized_pieces(arr, 4)
    return [pa.array([encode_value(v) for v in arr.to_pylist()], type=pa.large_binary())]


# -- entries ------------------------------------------------------------------------
_ROW = struct.Struct(">q16s")
"""A ``rows`` item: the row id (int64 big-endian), its hash."""
ROW_BYTES = _ROW.size


def _dtype():
    import numpy as np

    return np.dtype([("id", ">i8"), ("h", "S16")])  # the same layout as _ROW, for many rows at once


def pack_rows(ids: Sequence[int], hashes: Sequence[bytes] | bytes) -> bytes:
    """``hashes``: one 16-byte hash per id, as a list or already packed."""
    packed = hashes if isinstance(hashes, (bytes, bytearray)) else b"".join(hashes)
    if len(ids) <= _FEW_ROWS:  # the everyday write of one row: struct, without loading numpy
        if len(packed) != 16 * len(ids):
            raise ValueError(f"{len(ids)} row ids but {len(packed)} bytes of hashes")
        return b"".join(_ROW.pack(i, packed[16 * k:16 * k + 16]) for k, i in enumerate(ids))
    import numpy as np

    arr = np.empty(len(ids), dtype=_dtype())
    arr["id"] = np.arange(ids.start, ids.stop, ids.step, dtype=np.int64) if isinstance(ids, range) else \
        np.asarray(ids, dtype=np.int64)
    if len(ids):
        arr["h"] = np.frombuffer(packed, dtype="S16")
    return arr.tobytes()


def packed_pieces(ids: Sequence[int], hashes: Sequence[bytes] | bytes, size: int = _CHUNK) -> Iterator[bytes]:
    """What ``pack_rows(ids, hashes)`` gives, ``size`` rows at a time: a big entry's
    ``rows`` is written and hashed in pieces, never built whole."""
    for lo in range(0, len(ids), size):
        hi = lo + size
        yield pack_rows(ids[lo:hi], hashes[16 * lo:16 * hi] if isinstance(hashes, (bytes, bytearray)) else hashes[lo:hi])


def unpack_rows(blob: bytes) -> list[tuple[int, bytes]]:
    import numpy as np

    arr = np.frombuffer(blob, dtype=_dtype())
    raw = np.frombuffer(blob, dtype=np.uint8).reshape(-1, 24)[:, 8:].tobytes()  # keeps trailing zero bytes
    return list(zip(arr["id"].tolist(), [raw[i:i + 16] for i in range(0, len(raw), 16)]))


def unpack_arrays(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A packed ``rows`` blob → (row ids int64, hashes as an (n, 2) uint64 array)."""
    import numpy as np

    raw = np.frombuffer(blob, dtype=np.uint8).reshape(-1, 24)
    ids = raw[:, :8].copy().view(">i8").ravel().astype(np.int64)
    return ids, raw[:, 8:].copy().view("<u8").reshape(-1, 2)


def replay(entries: list[tuple[np.ndarray, np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One table's journal entries in order → (live row ids, sorted; the hash each must
    have; the row format of that hash): the last entry touching a row decides, and a
    delete (the all-zero hash) removes it."""
    import numpy as np

    if not entries:
        return np.zeros(0, np.int64), np.zeros((0, 2), np.uint64), np.zeros(0, np.int64)
    ids = np.concatenate([e[0] for e in entries])[::-1]
    hashes = np.concatenate([e[1] for e in entries])[::-1]
    fmts = np.concatenate([np.full(len(e[0]), e[2], dtype=np.int64) for e in entries])[::-1]
    live_ids, last = np.unique(ids, return_index=True)  # reversed: the first seen is the latest
    keep = (hashes[last] != 0).any(axis=1)
    return live_ids[keep], hashes[last][keep], fmts[last][keep]


def entry_hash(prev_hash: str, seq: int, recorded_at: int, tbl: str, action: str, source: str,
               cols: str, row_count: int, rows: bytes | Iterable[bytes], old: str | None, new: str | None,
               row_format: int = 1) -> str:
    """``rows``: the entry's packed rows, or its pieces in order (:func:`packed_pieces`)."""
    rows_hash = hashlib.sha256()
    for piece in (rows,) if isinstance(rows, (bytes, bytearray, memoryview)) else rows:
        rows_hash.update(piece)
    h = hashlib.sha256()
    parts = [prev_hash, str(seq), str(recorded_at), tbl, action, source, cols, str(row_count),
             rows_hash.hexdigest(), old or "", new or ""]
    if row_format != 1:  # format 1 entries keep the hash they were written with
        parts.append(f"row_format={row_format}")
    for part in parts:
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
