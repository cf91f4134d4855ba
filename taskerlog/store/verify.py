"""Checking a logbook against its journal: the hash chain, the journal's guards, every live row.

One job: ``Store.verify`` (``taskerlog verify``, the evidence report's integrity page), here as
the mixin :class:`Verify` that :class:`~taskerlog.store.api.Store` inherits.
"""

from __future__ import annotations

from . import journal as jr
from .schema import DATA_TABLES


_VERIFY_BATCH = 100_000
"""Rows ``verify`` reads and hashes at a time."""


class Verify:
    """Store.verify (mixed into Store, which supplies conn, columns and extra_tables)."""

    # -- verification ------------------------------------------------------------
    def verify(self) -> jr.VerifyResult:
        """Re-walk the hash chain, then check every live row against the journal."""
        import numpy as np

        problems: list[jr.Problem] = []
        prev = jr.GENESIS
        touched: dict[str, list[tuple[np.ndarray, np.ndarray, int]]] = {}
        entry_cols: dict[str, str] = {}
        n = 0
        chain_ok = True
        cur = self.conn.execute(
            "SELECT seq, recorded_at, tbl, action, source, cols, row_count, rows, old, new, prev_hash, hash, row_format"
            " FROM journal ORDER BY seq")
        last_seq = 0
        for (seq, at, tbl, action, source, cols, count, rows, old, new, prev_hash, h, fmt) in cur:
            n += 1
            if chain_ok:
                if seq != last_seq + 1:
                    problems.append(jr.Problem(seq, tbl, None, f"journal entry {last_seq + 1} is missing"))
                    chain_ok = False
                elif prev_hash != prev or jr.entry_hash(prev, seq, at, tbl, action, source, cols, count,
                                                        rows, old, new, fmt) != h:
                    problems.append(jr.Problem(seq, tbl, None,
                                               f"journal entry {seq} ({action} in {tbl}) does not match its hash:"
                                               " it was changed after it was written"))
                    chain_ok = False
            last_seq = seq
            prev = h
            entry_cols[tbl] = cols
            ids, hashes = jr.unpack_arrays(rows)
            touched.setdefault(tbl, []).append((ids, hashes, fmt))
        guards = dict(self.conn.execute("SELECT name, upper(sql) FROM sqlite_master WHERE type = 'trigger' "
                                        "AND tbl_name = 'journal'").fetchall())
        for name, action in (("journal_no_update", "UPDATE"), ("journal_no_delete", "DELETE")):
            sql = guards.get(name) or ""
            if f"BEFORE {action} ON JOURNAL" not in sql or "RAISE(ABORT" not in sql:
                problems.append(jr.Problem(None, "journal", None,
                                           f"the journal's append-only guard {name} was removed or changed outside "
                                           f"taskerlog: journal entries could be {action.lower()}d without it; "
                                           "only an anchor you kept can show whether they were"))
        for tbl in sorted(set(DATA_TABLES) | self.extra_tables()):
            cols = self.columns(tbl)
            if tbl in entry_cols and entry_cols[tbl] != ",".join(cols):
                problems.append(jr.Problem(None, tbl, None, f"the columns of {tbl} changed outside taskerlog"))
                continue
            want_ids, want_h, want_fmt = jr.replay(touched.get(tbl, []))
            seen = np.zeros(len(want_ids), dtype=bool)
            colsql = ",".join(f'"{c}"' for c in cols)
            cur = self.conn.execute(f'SELECT id, {colsql} FROM "{tbl}" ORDER BY id')
            while batch := cur.fetchmany(_VERIFY_BATCH):
                columns = [list(c) for c in zip(*batch)]
                ids = np.asarray(columns[0], dtype=np.int64)
                now = np.frombuffer(jr.row_hashes(columns[1:], len(batch)), dtype="<u8").reshape(-1, 2)
                pos = np.minimum(np.searchsorted(want_ids, ids), max(len(want_ids) - 1, 0))
                found = (want_ids[pos] == ids) if len(want_ids) else np.zeros(len(ids), dtype=bool)
                seen[pos[found]] = True
                current = found & (want_fmt[pos] == jr.ROW_FORMAT) if len(want_ids) else found
                wrong = current & (now != want_h[pos]).any(axis=1) if len(want_ids) else found
                for i in np.flatnonzero(found & ~current):  # hashed by an older taskerlog
                    expected = want_h[pos[i]].tobytes()
                    wrong[i] = jr.row_hash(batch[i][1:], int(want_fmt[pos[i]])) != expected
                for i in np.flatnonzero(~found | wrong).tolist():
                    what = "changed" if found[i] else "added"
                    problems.append(jr.Problem(None, tbl, int(ids[i]), f"{tbl} #{ids[i]} was {what} outside taskerlog"))
            for rid in want_ids[~seen].tolist():
                problems.append(jr.Problem(None, tbl, rid, f"{tbl} #{rid} was deleted outside taskerlog"))
        return jr.VerifyResult(ok=not problems, entries=n, head=prev, problems=problems)
