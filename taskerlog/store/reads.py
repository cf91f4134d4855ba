"""Reads: rows, settings, names, the journal's entries, and the whole logbook as data frames.

Every read runs under the store's lock (sessions share one Store). :meth:`Reads.frames` is
what the figures are computed from (taskerlog/metrics/); a big logbook's work entries are read
column by column, on both cores (:meth:`Reads._work_frame`, :meth:`Reads._read_halves`).
The Store's reading methods, as the mixin :class:`Reads`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Sequence

from .. import timeutil
from ..frames import WORK_COLUMNS, LogbookFrames
from ..vocab import KINDS, STATUSES
from . import journal as jr
from .connection import StoreError, _Background, _locked

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Logbook

# pandas and numpy are imported by the methods that make frames, the record classes of
# taskerlog.model (pydantic) by those that make one: a command that starts the clock loads
# none of them (docs/cli.md).


_READ_IN_HALVES = 200_000
"""Work entries from which ``frames()`` reads the table in two halves at once, one per core."""
_UNPRICED_BATCH = 20_000
"""Entries ``unpriced`` loads and prices at a time (each is priced on its own)."""


def _dates(s: pd.Series) -> pd.Series:
    import pandas as pd

    return pd.Series([None if (v is None or v is pd.NA or (isinstance(v, float))) else dt.date.fromisoformat(v)
                      for v in s.astype(object)], index=s.index, dtype=object)


class Reads:
    """The Store's reads (mixed into Store, which supplies conn, path, _lock, columns)."""

    @_locked
    def get(self, table: str, row_id: int) -> dict[str, Any] | None:
        cur = self.conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    @_locked
    def journal_head(self, skip: Sequence[str] = ()) -> tuple[int, str]:
        """The latest journal entry's ``(seq, hash)``; ``skip``: tables whose changes do not
        count (the app keys its figures on the head without ``clock``: starting a clock changes
        no figure). Read from the end: only the trailing skipped entries are passed over."""
        where = f" WHERE tbl NOT IN ({','.join('?' * len(skip))})" if skip else ""
        row = self.conn.execute(f"SELECT seq, hash FROM journal{where} ORDER BY seq DESC LIMIT 1",
                                tuple(skip)).fetchone()
        return (row[0], row[1]) if row else (0, jr.GENESIS)

    def journal_entries(self, table: str | None = None, actions: Sequence[str] | None = None,
                        ) -> list[dict[str, Any]]:
        """Journal entries (all, or of one table / some actions) in order, as dicts.

        ``rows`` is unpacked to ``[(row id, row hash hex), ...]``; ``old``/``new`` stay JSON text.
        Read by the evidence report (edit trails) and by anchor checks.
        """
        sql = ("SELECT seq, recorded_at, tbl, action, source, cols, row_count, rows, old, new, prev_hash, hash"
               " FROM journal")
        where, params = [], []
        if table is not None:
            where.append("tbl = ?")
            params.append(table)
        if actions:
            where.append(f"action IN ({','.join('?' * len(actions))})")
            params.extend(actions)
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            cur = self.conn.execute(sql + " ORDER BY seq", params)
            names = [d[0] for d in cur.description]
            out = [dict(zip(names, r)) for r in cur]
        for e in out:
            e["rows"] = [(rid, h.hex()) for rid, h in jr.unpack_rows(e["rows"])]
        return out

    def journal_entry(self, seq: int) -> dict[str, Any] | None:
        """One journal entry by its sequence number (see :meth:`journal_entries`)."""
        with self._lock:
            row = self.conn.execute("SELECT seq, hash, recorded_at, tbl, action FROM journal WHERE seq = ?",
                                    (seq,)).fetchone()
        return dict(zip(("seq", "hash", "recorded_at", "tbl", "action"), row)) if row else None

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a data table (including ``id``), in id order, as dicts."""
        self.columns(table)  # refuses unknown tables
        with self._lock:
            cur = self.conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur]

    # -- settings ------------------------------------------------------------------
    SETTING_KEYS = ("home_currency", "timezone", "reference_wage", "reference_currency", "reference_label", "language")

    @_locked
    def settings_raw(self) -> dict[str, str | None]:
        return {k: v for k, v in self.conn.execute("SELECT key, value FROM settings")}

    def timezone(self) -> str:
        """The logbook's time zone: ``settings().timezone``, read without making the settings
        record (a command that only needs the zone does not load pydantic)."""
        tz = self.settings_raw().get("timezone") or timeutil.system_timezone()
        timeutil.zone(tz)  # the check Logbook makes
        return tz

    def language(self) -> str:
        """The language to speak for this logbook: its ``language`` setting, else the system's
        (read without making the settings record, like :meth:`timezone`)."""
        from .. import i18n

        tag = self.settings_raw().get("language")
        return i18n.normalize(tag) if tag and i18n.supported(tag) else i18n.system_language()

    def settings(self) -> Logbook:
        from ..model import Logbook

        raw = self.settings_raw()
        return Logbook(
            home_currency=raw.get("home_currency") or "USD",
            timezone=raw.get("timezone") or timeutil.system_timezone(),
            reference_wage=raw.get("reference_wage") or None,
            reference_currency=raw.get("reference_currency") or None,
            reference_label=raw.get("reference_label") or None,
            language=raw.get("language") or None,
        )

    def is_configured(self) -> bool:
        return "home_currency" in self.settings_raw()

    @_locked
    def is_empty(self) -> bool:
        """No work, projects, payouts or EQ yet (a first run)."""
        return not self.has_rows("work", "projects", "payouts", "eq", "clock", "expenses")

    @_locked
    def has_rows(self, *tables: str) -> bool:
        """Whether any of these tables holds a row."""
        present = [t for t in tables if self.columns(t)]
        if not present:
            return False
        return bool(self.conn.execute("SELECT " + " OR ".join(f'EXISTS (SELECT 1 FROM "{t}")' for t in present))
                    .fetchone()[0])

    # -- names -------------------------------------------------------------------
    @_locked
    def name_ids(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        """Every platform's id by name, and every project's id by (platform, project):
        two queries, for callers that resolve many names at once."""
        platforms = dict(self.conn.execute("SELECT name, id FROM platforms"))
        projects = {(pf, pj): i for pf, pj, i in self.conn.execute(
            "SELECT f.name, p.name, p.id FROM projects p JOIN platforms f ON f.id = p.platform_id")}
        return platforms, projects

    @_locked
    def project_row(self, platform: str, project: str) -> dict[str, Any] | None:
        cur = self.conn.execute(
            "SELECT p.* FROM projects p JOIN platforms f ON f.id = p.platform_id WHERE f.name = ? AND p.name = ?",
            (platform.strip(), project.strip()))
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row)) if row else None

    def project_id(self, platform: str, project: str | None) -> int | None:
        """The project's id; None for a blank project. Unknown projects are an error."""
        if project is None or not str(project).strip():
            return None
        row = self.project_row(platform, project)
        if row is None:
            raise StoreError(f"there is no project '{project}' on {platform}; add it first (projects)")
        return row["id"]

    def unpriced(self, ids: Sequence[int] | None = None, *, source: str | None = None) -> list[dict[str, Any]]:
        """Which of the entries ``ids`` (or those the latest write by ``source`` added, e.g. an
        import's ``import:<name>``: the journal names them, so an earlier import of a file of
        the same name is not counted again) earn nothing because no pay could be worked out for
        them: ``metrics.unpriced_entries`` of just those entries (their pay depends only on the
        rates, never on other entries, so this is quick on a big logbook)."""
        from .. import metrics

        if source is not None:
            with self._lock:
                row = self.conn.execute("SELECT rows FROM journal WHERE tbl = 'work' AND action = 'insert' AND source = ?"
                                        " ORDER BY seq DESC LIMIT 1", (source,)).fetchone()
            ids = () if row is None else jr.unpack_arrays(row[0])[0]
        ids = () if ids is None else ids
        # a batch of entries at a time: a big import's entries loaded at once took some 1 KB
        # each (more than the import itself), and a statement naming over 250,000 ids failed
        found: list[dict[str, Any]] = []
        for lo in range(0, len(ids), _UNPRICED_BATCH):
            found += metrics.unpriced_entries(metrics.prepare(self.frames(work_ids=ids[lo:lo + _UNPRICED_BATCH]),
                                                              pay_only=True))
        return found

    @_locked
    def first_work_start(self, platform: str | None = None) -> int | None:
        """The start of the earliest work entry (on ``platform``, if given), or None."""
        if platform is None:
            row = self.conn.execute("SELECT min(start) FROM work").fetchone()
        else:
            row = self.conn.execute("SELECT min(w.start) FROM work w JOIN platforms f ON f.id = w.platform_id"
                                    " WHERE f.name = ?", (platform,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    @_locked
    def eq_periods(self, platform: str | None = None) -> list[dict[str, Any]]:
        """EQ periods with their ids (to close or edit one), oldest first; ``end_date`` None = still empty."""
        sql = ("SELECT e.id, f.name AS platform, e.start_date, e.end_date, e.note FROM eq e"
               " JOIN platforms f ON f.id = e.platform_id")
        args: tuple = ()
        if platform is not None:
            sql += " WHERE f.name = ?"
            args = (platform.strip(),)
        cur = self.conn.execute(sql + " ORDER BY e.start_date, e.id", args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    @_locked
    def running_clocks(self) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            "SELECT c.id, f.name AS platform, p.name AS project, c.kind, c.started_at, c.note FROM clock c"
            " JOIN platforms f ON f.id = c.platform_id LEFT JOIN projects p ON p.id = c.project_id ORDER BY c.id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    # -- frames for the pure logic -------------------------------------------------------
    def frames(self, *, work_ids: Sequence[int] | None = None,
               work_start: tuple[int | None, int | None] | None = None, detail: bool = True) -> LogbookFrames:
        """The whole logbook as data frames (see frames.py).

        ``work_ids`` / ``work_start`` (``[from, before)`` epoch seconds) load only those work
        entries, every other table whole: what one entry's pay needs, fast on a big logbook.
        ``detail=False`` leaves out what the figures never read and a million entries take
        seconds to load: the entries' free text (external_id, note, source) and when each was
        recorded and edited (those columns are there, blank).
        """
        import pandas as pd

        q = lambda sql, params=(): pd.read_sql_query(  # noqa: E731
            sql, self.conn, params=params, dtype_backend="numpy_nullable")
        where, params = [], []
        if work_ids is not None:
            ids = [int(i) for i in work_ids]
            where.append(f"w.id IN ({','.join('?' * len(ids))})" if ids else "0")
            params += ids
        if work_start is not None:
            if work_start[0] is not None:
                where.append("w.start >= ?")
                params.append(int(work_start[0]))
            if work_start[1] is not None:
                where.append("w.start < ?")
                params.append(int(work_start[1]))
        with self._lock:
            own = not self.conn.in_transaction  # else: read inside the caller's write transaction
            if own:
                self.conn.execute("BEGIN")
            try:
                settings = self.settings()
                work = self._work_frame(" WHERE " + " AND ".join(where) if where else "", tuple(params), detail)
                projects = q(
                    "SELECT f.name AS platform, p.name AS project, p.pay_model, p.currency, p.advertised_rate_micros,"
                    " p.started_on, p.ended_on, p.end_reason, p.notes FROM projects p"
                    " JOIN platforms f ON f.id = p.platform_id ORDER BY f.name, p.name")
                rates = q(
                    "SELECT f.name AS platform, p.name AS project, r.effective_at, r.rate_micros, r.unit, r.currency,"
                    " r.applies_to, r.note FROM rates r JOIN projects p ON p.id = r.project_id"
                    " JOIN platforms f ON f.id = p.platform_id ORDER BY r.effective_at, r.id")
                eq = q("SELECT f.name AS platform, e.start_date, e.end_date, e.note FROM eq e"
                       " JOIN platforms f ON f.id = e.platform_id ORDER BY e.start_date, e.id")
                payouts = q(
                    "SELECT f.name AS platform, o.paid_at, o.amount_micros, o.currency, o.fee_micros, o.method,"
                    " o.received_amount_micros, o.received_currency, o.reference, o.note, o.for_earlier_work FROM payouts o"
                    " JOIN platforms f ON f.id = o.platform_id ORDER BY o.paid_at, o.id")
                expenses = q("SELECT x.date, x.category, x.amount_micros, x.currency, f.name AS platform, x.note"
                             " FROM expenses x LEFT JOIN platforms f ON f.id = x.platform_id ORDER BY x.date, x.id")
                fx = q("SELECT date, currency, rate FROM fx ORDER BY currency, date")
            finally:
                if own:
                    self.conn.execute("COMMIT")
        for df, cols in ((projects, ["advertised_rate_micros"]), (rates, ["effective_at", "rate_micros"]),
                         (payouts, ["paid_at", "amount_micros", "fee_micros", "received_amount_micros", "for_earlier_work"]),
                         (expenses, ["amount_micros"])):
            for c in cols:
                df[c] = pd.to_numeric(df[c]).astype("Int64")
        for df, cols in ((projects, ["started_on", "ended_on"]), (eq, ["start_date", "end_date"]),
                         (expenses, ["date"]), (fx, ["date"])):
            for c in cols:
                df[c] = _dates(df[c])
        fx["rate"] = pd.Series([Decimal(r) for r in fx["rate"]], index=fx.index, dtype=object)
        return LogbookFrames(settings=settings, work=work, projects=projects, rates=rates, eq=eq,
                             payouts=payouts, expenses=expenses, fx=fx)

    def _read_halves(self, select: str) -> list[tuple] | None:
        """``select`` (one row of whole-table aggregates of ``work w``) for the lower and the
        upper half of the ids, read at once on this connection and a second read-only one:
        on a big logbook the two cores share SQLite's work. Both must see the same commit
        (the caller's read transaction is open; every write appends to the journal, so equal
        journal heads mean the same snapshot). None: read it in one go instead (small, in
        memory, or a write came between the two snapshots)."""
        lo, hi, n = self.conn.execute("SELECT min(id), max(id), count(*) FROM work").fetchone()
        if n < _READ_IN_HALVES or str(self.path) == ":memory:":
            return None
        try:
            other = sqlite3.connect(self._ro_uri, uri=True, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            head = "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1"
            other.execute("BEGIN")
            if other.execute(head).fetchone() != self.conn.execute(head).fetchone():
                return None
            mid = (lo + hi) // 2
            with _Background(other, [(f"{select} WHERE w.id > ?", (mid,))]) as upper:
                first = self.conn.execute(f"{select} WHERE w.id <= ?", (mid,)).fetchone()
            return [first, *upper.result()]
        except sqlite3.OperationalError:  # the second connection could not read: one go
            return None
        finally:
            other.close()

    def _work_frame(self, where: str, params: tuple, detail: bool) -> pd.DataFrame:
        """Work entries, read column by column as integers (a million rows in about a second).

        Each numeric column comes back as one ``group_concat`` string that numpy parses;
        names are integer ids looked up in the small tables; kinds and statuses are coded
        in SQL. Only free text needs SQLite's per-row path, and only with ``detail``.
        """
        import numpy as np
        import pandas as pd

        kind_case = "CASE w.kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS)) + " ELSE -1 END"
        status_case = "CASE w.status " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(STATUSES)) \
            + " ELSE -1 END"
        ints = ["w.id", "w.platform_id", "coalesce(w.project_id, -1)", "w.start", 'w."end"',
                "coalesce(w.units, -1)", "coalesce(w.pay_micros, -1)", kind_case, status_case]
        if detail:  # when each entry was recorded and edited: the entries' story, not the figures
            ints += ["w.recorded_at", "coalesce(w.edited_at, -1)"]
        sel = ", ".join(f"group_concat({x}, ',')" for x in ints) + ", group_concat(coalesce(w.currency, ''), ',')"
        parts = None if where else self._read_halves(f"SELECT {sel} FROM work w")
        if parts is None:
            parts = [self.conn.execute(f"SELECT {sel} FROM work w{where}", params).fetchone()]
        parts = [p for p in parts if p[0] is not None]
        if not parts:
            out = pd.DataFrame(columns=WORK_COLUMNS, dtype=object)
            for c in ("id", "start", "end", "units", "pay_micros", "recorded_at", "edited_at"):
                out[c] = out[c].astype("Int64")
            return out
        arr = [np.concatenate([np.fromstring(p[i], dtype=np.int64, sep=",") for p in parts])  # text mode: not deprecated
               for i in range(len(ints))]
        wid, plat, proj, start, end, units, pay, kind, status = arr[:9]
        order = np.lexsort((wid, start))
        names = dict(self.conn.execute("SELECT id, name FROM platforms"))
        pnames = dict(self.conn.execute("SELECT id, name FROM projects"))
        plat_lut = np.array([None] * (max(names) + 1), dtype=object)
        for k, v in names.items():
            plat_lut[k] = v
        proj_lut = np.array([None] * (max(pnames, default=0) + 2), dtype=object)  # index -1 = last = None
        for k, v in pnames.items():
            proj_lut[k] = v
        currency = np.array([c for p in parts for c in p[-1].split(",")], dtype=object)
        currency[currency == ""] = None

        def nullable(a: np.ndarray) -> pd.Series:
            return pd.Series(pd.array(np.where(a[order] < 0, 0, a[order]), dtype="Int64")).mask(a[order] < 0)

        out = pd.DataFrame({
            "id": pd.Series(wid[order], dtype="Int64"),
            "platform": pd.Series(plat_lut[plat[order]], dtype=object),
            "project": pd.Series(proj_lut[proj[order]], dtype=object),
            "kind": pd.Series(np.array(KINDS, dtype=object)[kind[order]], dtype=object),
            "start": pd.Series(start[order], dtype="Int64"),
            "end": pd.Series(end[order], dtype="Int64"),
            "units": nullable(units),
            "pay_micros": nullable(pay),
            "currency": pd.Series(currency[order], dtype=object),
            "status": pd.Series(np.array(STATUSES, dtype=object)[status[order]], dtype=object),
        })
        if detail:
            text = self.conn.execute(f"SELECT w.external_id, w.note, w.source FROM work w{where}", params).fetchall()
            ext, note, source = (np.array(c, dtype=object)[order] for c in zip(*text))
        else:
            ext = note = source = np.full(len(order), None, dtype=object)
        out["external_id"] = pd.Series(ext, dtype=object)
        out["note"] = pd.Series(note, dtype=object)
        if detail:
            out["recorded_at"] = pd.Series(arr[9][order], dtype="Int64")
            out["edited_at"] = nullable(arr[10])
        else:
            out["recorded_at"] = out["edited_at"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
        out["source"] = pd.Series(source, dtype=object)
        return out
