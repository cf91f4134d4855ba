"""The bundle cell parsers as they were before the fast paths (commit 4ff008f), verbatim
apart from the imports: the reference that tests/test_parse_fast.py compares the new
``Checker`` against, value for value and problem for problem. Do not "fix" this file;
it pins the behaviour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from taskerlog.bundle.problems import Problem
from taskerlog.bundle.spec import FILE_ATTR, LINE

NULL_INT = np.iinfo(np.int64).min
"""Marks a blank in int64 arrays (with a separate mask where it matters)."""

_DANGER = r"'+[=+\-@\t\r]"
_AMOUNT = r"\+?(?:\d+(?:\.\d*)?|\.\d+)"
_MAX_INT_DIGITS = 12  # 10^12 currency units is more than any pay; int64 micros hold 9.2e12


def unescape(s: pd.Series) -> pd.Series:
    """Undo the exporter's spreadsheet guard: one leading ``'`` before ``= + - @ tab CR``."""
    quoted = s.str.startswith("'").to_numpy()
    if not quoted.any():
        return s
    mask = np.zeros(len(s), dtype=bool)
    mask[quoted] = s[quoted].str.match(_DANGER).to_numpy()
    if mask.any():
        s = s.copy()
        s[mask] = s[mask].str.slice(1)
    return s


class Checker:
    """Parses the columns of one table and collects its problems."""

    def __init__(self, df: pd.DataFrame, name: str):
        self.df = df
        self.file = df.attrs.get(FILE_ATTR, f"{name}.csv")
        self.lines = df[LINE].to_numpy() if LINE in df.columns else np.arange(2, len(df) + 2)
        self.n = len(df)
        self.problems: list[Problem] = []
        self._cache: dict[str, pd.Series] = {}

    # -- plumbing ---------------------------------------------------------------
    def cell(self, col: str) -> pd.Series:
        """The column's cells, stripped and unescaped; all blank when the column is absent."""
        if col not in self._cache:
            if col in self.df.columns:
                s = self.df[col].astype(str).str.strip()
                self._cache[col] = unescape(s)
            else:
                self._cache[col] = pd.Series([""] * self.n, index=self.df.index, dtype=str)
        return self._cache[col]

    def fail(self, col: str, mask, message) -> None:
        """Add a problem for each row where ``mask``; ``message(value)`` or a fixed string."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        values = self.cell(col).to_numpy()[idx] if callable(message) else None
        for j, i in enumerate(idx):
            msg = message(values[j]) if values is not None else message
            self.problems.append(Problem(self.file, int(self.lines[i]), col, msg))

    def blank(self, col: str) -> np.ndarray:
        return (self.cell(col) == "").to_numpy()

    def require(self, col: str, what: str) -> np.ndarray:
        b = self.blank(col)
        self.fail(col, b, f"is blank; {what} is needed here")
        return b

    # -- parsers ---------------------------------------------------------------------
    def text(self, col: str, *, required: str | None = None, max_len: int | None = None) -> pd.Series:
        """Text; blank → None. ``required``: what to call it in the message when blank."""
        s = self.cell(col)
        if required:
            self.require(col, required)
        if max_len:
            self.fail(col, (s.str.len() > max_len).to_numpy(), f"is longer than {max_len} characters; shorten it")
        return s

    def choice(self, col: str, allowed: tuple[str, ...], *, required: str | None = None) -> pd.Series:
        s = self.cell(col).str.lower()
        if required:
            self.require(col, required)
        bad = (~s.isin(allowed) & (s != "")).to_numpy()
        self.fail(col, bad, lambda v: f"'{v}' is not one of: {', '.join(allowed)}")
        return s

    def yes_no(self, col: str) -> pd.Series:
        s = self.cell(col).str.lower()
        yes, no = ("yes", "y", "true", "1"), ("no", "n", "false", "0", "")
        self.fail(col, (~s.isin(yes + no)).to_numpy(), lambda v: f"'{v}' is not yes or no; write yes, or leave it blank")
        return s.isin(yes).astype("Int64")

    def currency(self, col: str, *, required: bool = False) -> pd.Series:
        s = self.cell(col).str.upper()
        if required:
            self.require(col, "a currency code (USD, KES, PHP, ...)")
        bad = (~s.str.fullmatch(r"[A-Z]{3}") & (s != "")).to_numpy()
        self.fail(col, bad, lambda v: f"'{v}' is not a currency code; use the three-letter ISO 4217 code "
                                      "such as USD, KES, PHP, INR, EUR")
        return s

    def _decimal_parts(self, col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """→ (integer part, six-digit fraction, ok mask) of a plain non-negative decimal column.

        Only the non-blank cells are looked at (pay, units and durations are often sparse).
        """
        whole_all = np.zeros(self.n, dtype=np.int64)
        frac_all = np.zeros(self.n, dtype=np.int64)
        ok_all = np.zeros(self.n, dtype=bool)
        full = self.cell(col)
        filled = np.flatnonzero((full != "").to_numpy())
        if len(filled) == 0:
            return whole_all, frac_all, ok_all

        def spread(sub_mask) -> np.ndarray:
            m = np.zeros(self.n, dtype=bool)
            m[filled[np.asarray(sub_mask, dtype=bool)]] = True
            return m

        s = full.iloc[filled] if len(filled) < self.n else full
        ok = s.str.fullmatch(_AMOUNT).to_numpy()
        if not ok.all():
            neg = s.str.fullmatch("-" + _AMOUNT[3:]).to_numpy()
            self.fail(col, spread(neg), lambda v: f"'{v}' is negative; amounts here must be 0 or more")
            self.fail(col, spread(~ok & ~neg),
                      lambda v: f"'{v}' is not an amount; write it as a plain number like 12.50 "
                                "(a dot for decimals, no currency sign, no thousands separator)")
            s = s.where(ok, "0")
        parts = s.str.lstrip("+").str.partition(".")
        whole = parts[0].str.lstrip("0")
        frac = parts[2]
        too_precise = ok & (frac.str.len() > 6).to_numpy()
        too_big = ok & (whole.str.len() > _MAX_INT_DIGITS).to_numpy()
        if too_precise.any() or too_big.any():
            self.fail(col, spread(too_precise), lambda v: f"'{v}' has more than 6 decimal places")
            self.fail(col, spread(too_big), lambda v: f"'{v}' is too large to be an amount")
            ok = ok & ~too_precise & ~too_big
        whole = whole.where(ok & (whole != "").to_numpy(), "0").astype("int64").to_numpy()
        frac = frac.where(ok, "").str.slice(0, 6).str.pad(6, side="right", fillchar="0").astype("int64").to_numpy()
        whole_all[filled] = whole
        frac_all[filled] = frac
        ok_all[filled] = ok
        return whole_all, frac_all, ok_all

    def micros(self, col: str, *, required: str | None = None) -> pd.Series:
        """Amount → nullable Int64 micro-units (blank → <NA>)."""
        if required:
            self.require(col, required)
        whole, frac, ok = self._decimal_parts(col)
        vals = whole * 1_000_000 + frac
        return pd.Series(pd.array(vals, dtype="Int64"), index=self.df.index).where(ok, pd.NA)

    def duration_seconds(self, col: str) -> pd.Series:
        """Decimal minutes → whole seconds (half to even), nullable Int64; must be more than 0."""
        whole, frac, ok = self._decimal_parts(col)
        micro_minutes = whole * 1_000_000 + frac
        too_long = ok & (whole > 10 * 24 * 60)
        n = micro_minutes * 60
        q, r = np.divmod(n, 1_000_000)
        q = q + ((2 * r > 1_000_000) | ((2 * r == 1_000_000) & (q % 2 == 1)))
        zero = ok & (q <= 0) & ~too_long
        self.fail(col, zero, lambda v: f"'{v}' minutes is no time at all; give a duration above 0")
        return pd.Series(pd.array(q, dtype="Int64"), index=self.df.index).where(ok & ~zero, pd.NA)

    def integer(self, col: str) -> pd.Series:
        s = self.cell(col)
        blank = (s == "").to_numpy()
        ok = s.str.fullmatch(r"\+?\d{1,15}").to_numpy() & ~blank
        self.fail(col, ~ok & ~blank, lambda v: f"'{v}' is not a whole number of 0 or more")
        vals = s.where(ok, "0").str.lstrip("+").astype("int64").to_numpy()
        return pd.Series(pd.array(vals, dtype="Int64"), index=self.df.index).where(ok, pd.NA)

    def date(self, col: str, *, required: str | None = None) -> pd.Series:
        """YYYY-MM-DD → the same text (blank → ""); an impossible date is a problem."""
        s = self.cell(col)
        if required:
            self.require(col, required)
        blank = (s == "").to_numpy()
        shaped = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy()
        parsed = pd.to_datetime(s.where(shaped, None), format="%Y-%m-%d", errors="coerce").notna().to_numpy()
        self.fail(col, ~blank & ~(shaped & parsed),
                  lambda v: f"'{v}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-05")
        return s.where(shaped & parsed, "")

    def instant(self, col: str, tz: str, *, required: str | None = None) -> pd.Series:
        """ISO 8601 date-time → epoch seconds UTC (nullable Int64).

        No offset: local time in ``tz``. A local time the clocks skipped (DST gap) is a
        problem; a repeated one (DST fold) is the first occurrence, as in timeutil.
        """
        s = self.cell(col)
        if required:
            self.require(col, required)
        blank = (s == "").to_numpy()
        out = np.full(self.n, NULL_INT, dtype=np.int64)
        date_only = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy()
        self.fail(col, date_only, lambda v: f"'{v}' is a date without a time of day; add one, e.g. {v}T09:00")
        shaped = s.str.match(r"\d{4}-\d{2}-\d{2}[Tt ]\d").to_numpy() & ~date_only
        offset = s.str.contains(r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)$", regex=True).to_numpy() & shaped
        naive = shaped & ~offset
        good = np.zeros(self.n, dtype=bool)
        if offset.any():
            d = pd.to_datetime(s[offset], format="ISO8601", utc=True, errors="coerce")
            ok = d.notna().to_numpy()
            idx = np.flatnonzero(offset)
            out[idx[ok]] = _epoch(d[ok])
            good[idx[ok]] = True
        if naive.any():
            d = pd.to_datetime(s[naive], format="ISO8601", errors="coerce")
            parsed = d.notna().to_numpy()
            local = d.dt.tz_localize(tz, ambiguous=np.ones(len(d), dtype=bool), nonexistent="NaT")
            ok = local.notna().to_numpy()
            idx = np.flatnonzero(naive)
            out[idx[ok]] = _epoch(local[ok])
            good[idx[ok]] = True
            gap = np.zeros(self.n, dtype=bool)
            gap[idx[parsed & ~ok]] = True
            self.fail(col, gap, lambda v: f"'{v}' does not exist in {tz}: the clocks jumped forward over it "
                                          "(daylight saving); add the UTC offset the clock had (e.g. "
                                          f"{v}+03:00) or write the time the clock showed after the jump")
            good_or_gap = good | gap
        else:
            good_or_gap = good
        self.fail(col, ~blank & ~date_only & ~good_or_gap,
                  lambda v: f"'{v}' is not a time; write it as 2026-03-02T09:00 or 2026-03-02 09:00 "
                            "(add +03:00 or Z for an explicit offset)")
        return pd.Series(pd.array(out, dtype="Int64"), index=self.df.index).where(good, pd.NA)


def _epoch(d: pd.Series) -> np.ndarray:
    """Tz-aware datetimes → int64 epoch seconds (fractions of a second dropped)."""
    utc = d.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[us]")
    return utc.astype(np.int64) // 1_000_000
