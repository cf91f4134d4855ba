"""The journal's row hashes: the column-at-a-time encoding (format 2) and old logbooks (format 1)."""

from __future__ import annotations

import enum
import hashlib
import struct
from decimal import Decimal
from unittest import mock

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskerlog.store import Store, StoreError
from taskerlog.store import journal as jr

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
VALUE = st.one_of(st.none(), INT64, st.text(max_size=30), st.floats(allow_nan=False), st.binary(max_size=10))


def test_format_2_is_the_documented_encoding():
    # written out by hand from the journal module's docstring, so an inspector can redo it
    row = (7, None, "Łódź ₱", 1.5, b"\x01")
    expected = (b"\x01" + (7).to_bytes(8, "little", signed=True) + b"\x00"
                + b"\x03" + len("Łódź ₱".encode()).to_bytes(4, "little") + "Łódź ₱".encode()
                + b"\x02" + struct.pack("<d", 1.5) + b"\x04" + (1).to_bytes(4, "little") + b"\x01")
    assert jr.row_hash(row) == hashlib.sha256(expected).digest()[:16]
    assert jr.row_hash(row, 1) == hashlib.sha256(repr(row).encode()).digest()[:16]


def test_subclasses_encode_as_their_base_type_and_others_are_refused():
    class Label(str):
        pass

    assert jr.encode_value(True) == jr.encode_value(1)
    assert jr.encode_value(enum.IntEnum("N", "A B").B) == jr.encode_value(2)
    assert jr.encode_value(Label("x")) == jr.encode_value("x")
    with pytest.raises(TypeError, match="cannot store a Decimal"):
        jr.encode_value(Decimal("1.5"))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=3).flatmap(lambda width: st.lists(
    st.tuples(*[st.sampled_from(["int", "str", "mixed"]) for _ in range(width)]), min_size=1, max_size=1)),
    st.data())
def test_whole_columns_hash_like_one_row_at_a_time(shape, data):
    kinds = shape[0]
    n = data.draw(st.integers(min_value=1, max_value=140))
    pools = {"int": st.one_of(st.none(), INT64), "str": st.one_of(st.none(), st.text(max_size=20)), "mixed": VALUE}
    columns = [data.draw(st.lists(pools[k], min_size=n, max_size=n)) for k in kinds]
    one_by_one = b"".join(jr.row_hash(r) for r in zip(*columns))
    typed = []
    for k, c in zip(kinds, columns):
        typed.append(pa.array(c, type={"int": pa.int64(), "str": pa.string()}[k]) if k != "mixed" else c)
    for few in (0, jr._FEW_ROWS):  # whole columns with arrow, and value by value
        with mock.patch.object(jr, "_FEW_ROWS", few):
            assert jr.row_hashes(columns, n) == one_by_one
            assert jr.row_hashes([*typed, jr.Same(7)], n) == b"".join(jr.row_hash((*r, 7)) for r in zip(*columns))


def test_ints_mixed_with_reals_keep_their_types():
    # SQLite lets a column hold both; arrow would turn the ints into reals
    col = [1, 2.0, None] * 30
    assert jr.row_hashes([col], 90) == b"".join(jr.row_hash((v,)) for v in col)
    assert jr.row_hash((1,)) != jr.row_hash((1.0,))


def test_text_mixed_with_bytes_keeps_their_types():
    # found by the test above: arrow read '' and b'' in one column as one type
    col = [None, None, None, "", b""] * 60
    assert jr.row_hashes([col], 300) == b"".join(jr.row_hash((v,)) for v in col)
    assert jr.row_hash(("",)) != jr.row_hash((b"",))


WORK = ["platform_id", "project_id", "kind", "start", "end", "units", "pay_micros", "currency", "status",
        "external_id", "note"]


def work(start: int, end: int) -> tuple:
    return (1, None, "tasking", start, end, None, None, None, "paid", None, None)


def _add_format_1_entry(store: Store) -> int:
    """A work row and its journal entry as a logbook written before format 2 has them."""
    cols = store.columns("work")
    values = (1, None, "tasking", 100, 200, None, None, None, "paid", None, "old", 5, None, "manual")
    with store.transaction():
        rid = store.conn.execute(f"INSERT INTO work ({','.join(repr(c) for c in cols)}) VALUES "
                                 f"({','.join('?' * len(cols))})", values).lastrowid
        seq, prev = store.journal_head()
        rows = jr.pack_rows([rid], [jr.row_hash_v1(values)])
        h = jr.entry_hash(prev, seq + 1, 5, "work", "insert", "manual", ",".join(cols), 1, rows, None, None)
        store.conn.execute("INSERT INTO journal (seq, recorded_at, tbl, action, source, cols, row_count, rows,"
                           " prev_hash, hash, row_format) VALUES (?,?,?,?,?,?,?,?,?,?,1)",
                           (seq + 1, 5, "work", "insert", "manual", ",".join(cols), 1, rows, prev, h))
    return rid


def test_rows_hashed_by_an_older_taskerlog_still_verify_and_tampering_is_named(store):
    store.insert("platforms", {"name": "Outlier"}, "manual")
    rid = _add_format_1_entry(store)
    store.insert_many("work", WORK, [work(300 + i, 400 + i) for i in range(100)], "import:x")
    assert store.verify().ok, store.verify().problems
    store.update("work", rid, {"note": "edited in taskerlog"}, "manual")  # re-hashed in format 2
    assert store.verify().ok
    store.conn.execute("UPDATE work SET note = 'edited behind its back' WHERE id = ?", (rid,))
    store.conn.execute("UPDATE work SET start = 1 WHERE id = ?", (rid + 50,))
    messages = [p.message for p in store.verify().problems]
    assert messages == [f"work #{rid} was changed outside taskerlog", f"work #{rid + 50} was changed outside taskerlog"]


def test_a_large_insert_into_an_empty_table_builds_its_indexes(store, monkeypatch):
    monkeypatch.setattr("taskerlog.store.writes._DEFER_INDEXES", 10)
    store.insert("platforms", {"name": "Outlier"}, "manual")
    indexes = lambda: sorted(r[0] for r in store.conn.execute(  # noqa: E731
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'work' AND sql IS NOT NULL"))
    before = indexes()
    dropped = []
    real_drop = store._drop_indexes
    monkeypatch.setattr(store, "_drop_indexes", lambda t: dropped.append(t) or real_drop(t))
    with pytest.raises(Exception, match="could not save"):  # the end is before the start on the last row
        store.insert_many("work", WORK, [work(10, 20)] * 20 + [work(30, 20)], "x")
    assert indexes() == before and store.conn.execute("SELECT count(*) FROM work").fetchone()[0] == 0
    store.insert_many("work", WORK, [work(10 + i, 20 + i) for i in range(20)], "x")
    assert indexes() == before and dropped == ["work", "work"]  # both batches went in before the indexes
    store.insert_many("work", WORK, [work(50 + i, 60 + i) for i in range(12)], "x")
    assert dropped == ["work", "work"]  # 12 rows into a table of 20: the indexes are kept up row by row
    plan = " ".join(r[-1] for r in store.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM work WHERE start > 15"))
    assert "work_start" in plan
    assert store.verify().ok


def test_an_index_that_cannot_be_rebuilt_undoes_the_whole_batch(store, monkeypatch):
    # the indexes are rebuilt on a helper thread while the rows are hashed; its failure must
    # reach the caller as a store error and roll back the rows with it
    monkeypatch.setattr("taskerlog.store.writes._DEFER_INDEXES", 10)
    store.insert("platforms", {"name": "Outlier"}, "manual")
    head = store.journal_head()
    real_drop = store._drop_indexes
    monkeypatch.setattr(store, "_drop_indexes", lambda t: [*real_drop(t), 'CREATE UNIQUE INDEX one_kind ON work(kind)'])
    with pytest.raises(StoreError, match="could not save to work: UNIQUE constraint failed"):
        store.insert_many("work", WORK, [work(10 + i, 20 + i) for i in range(20)], "x")
    assert store.conn.execute("SELECT count(*) FROM work").fetchone()[0] == 0
    assert store.journal_head() == head
    assert {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'work'"
                                             " AND type = 'index'")} == {"work_start", "work_platform"}
    assert store.verify().ok


def test_a_source_with_quotes_is_stored_as_given(store):
    store.insert("platforms", {"name": "Outlier"}, "manual")
    source = "import:O'Brien's bundle; DROP TABLE work; --.zip"
    ids = store.insert_many("work", WORK, [work(10 + i, 20 + i) for i in range(70)], source)
    assert {r["source"] for r in store.rows("work")} == {source} and len(ids) == 70
    assert store.verify().ok


def fk_on(store: Store) -> bool:
    return store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_bulk_transaction_still_refuses_dangling_references(store):
    store.insert("platforms", {"name": "Outlier"}, "manual")
    dangling = [work(10 + i, 20 + i) for i in range(80)] + [(99, *work(5, 6)[1:])]  # platform 99 does not exist
    with pytest.raises(Exception, match="FOREIGN KEY"):
        with store.transaction(bulk=True):
            store.insert_many("work", WORK, [work(1, 2)], "x")
            store.insert_many("work", WORK, dangling, "x")
    assert fk_on(store) and store.conn.execute("SELECT count(*) FROM work").fetchone()[0] == 0
    with store.transaction(bulk=True):
        store.insert_many("work", WORK, dangling[:-1], "x")
    assert fk_on(store) and store.conn.execute("SELECT count(*) FROM work").fetchone()[0] == 80
    with pytest.raises(Exception, match="FOREIGN KEY"):  # a row deleted from under its references
        with store.transaction(bulk=True):
            store.delete("platforms", 1, "manual")
    assert fk_on(store) and store.rows("platforms")[0]["name"] == "Outlier"
    with pytest.raises(Exception, match="FOREIGN KEY"):  # an edit to a dangling reference
        with store.transaction(bulk=True):
            store.update("work", 1, {"platform_id": 42}, "manual")
    assert store.get("work", 1)["platform_id"] == 1 and store.verify().ok


def test_columns_every_row_shares_hash_like_the_rest():
    n = 100
    columns = [pa.array(range(n)), jr.Same("import:bundle.zip"), jr.Same(None), jr.Same(7)]
    assert jr.row_hashes(columns, n) == b"".join(jr.row_hash((i, "import:bundle.zip", None, 7)) for i in range(n))
    assert jr.row_hashes([jr.Same("x")], n) == jr.row_hash(("x",)) * n


def test_rows_in_a_table_the_journal_never_saw_are_named(store):
    store.insert("platforms", {"name": "Outlier"}, "manual")
    store.conn.execute("INSERT INTO fx (date, currency, rate, recorded_at, source) VALUES ('2026-03-02', 'KES', '0.0077', 1, 'x')")
    store.conn.execute("DELETE FROM platforms")
    assert [p.message for p in store.verify().problems] == ["fx #1 was added outside taskerlog",
                                                           "platforms #1 was deleted outside taskerlog"]
