"""Exchange rates: the rate in force on a day, and exact conversion to the home currency.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from ..money import round_div
from .common import _ordinal, MetricsError, TICKS


# ---------------------------------------------------------------------------------------
# Exchange rates
# ---------------------------------------------------------------------------------------
class _Fx:
    """Most recent rate on or before a date, per currency, as exact fractions."""

    def __init__(self, fx: pd.DataFrame, home: str):
        self.home = home
        self.by_cur: dict[str, tuple[np.ndarray, list[Decimal]]] = {}
        self._frac: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if len(fx):
            df = fx.sort_values(["currency", "date"])
            for cur, g in df.groupby("currency", sort=False):
                days = np.array([_ordinal(d) for d in g["date"]], dtype=np.int64)
                self.by_cur[str(cur)] = (days, list(g["rate"]))

    def rate(self, currency: str, day: dt.date) -> Decimal:
        if currency == self.home:
            return Decimal(1)
        got = self.by_cur.get(currency)
        if got is not None:
            i = int(np.searchsorted(got[0], _ordinal(day), side="right")) - 1
            if i >= 0:
                return got[1][i]
        from ..problems import fix, say
        raise MetricsError(say("fx.missing_in_home", "no exchange rate for {currency} on or before {day}: add one "
                               "{fix} giving one {currency} in {home}", currency=currency, day=day.isoformat(),
                               home=self.home, fix=fix("add_fx", currency=currency, day=day.isoformat())))

    def rate_from(self, currency: str, day: dt.date) -> Decimal:
        """The rate in force on ``day``, else (none recorded that early) the first one after
        it: for a figure that is not an amount earned on a day (an advertised rate)."""
        got = self.by_cur.get(currency)
        if currency != self.home and got is not None and len(got[0]) and _ordinal(day) < int(got[0][0]):
            return got[1][0]
        return self.rate(currency, day)

    def _fractions(self, cur: str) -> tuple[np.ndarray, np.ndarray]:
        """Each rate of ``cur`` as an exact fraction num/den (int64; Python ints if huge)."""
        if cur not in self._frac:
            pairs = [r.as_integer_ratio() for r in self.by_cur[cur][1]]
            big = any(abs(a) >= 2**62 or b >= 2**62 for a, b in pairs)
            dtype = object if big else np.int64
            self._frac[cur] = (np.array([a for a, _ in pairs], dtype=dtype),
                               np.array([b for _, b in pairs], dtype=dtype))
        return self._frac[cur]

    def convert(self, micros: np.ndarray, currency: np.ndarray, days: np.ndarray,
                ticks: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Convert amounts to the home currency, exactly.

        An amount is ``micros + ticks / TICKS`` micro-units (``ticks`` None: all 0). Returns
        (micros int64, ticks int64, missing bool): each converted amount rounded half-even to
        the micro-unit, plus what that rounding left out, in ticks (rounded to the tick), so
        that sums can be exact. Amounts without a rate are marked missing (the caller raises
        only if it needs them). ``days`` are day ordinals.
        """
        out = micros.astype(np.int64).copy()
        out_ticks = np.zeros(len(micros), dtype=np.int64) if ticks is None else ticks.astype(np.int64).copy()
        missing = np.zeros(len(micros), dtype=bool)
        foreign = (currency != self.home) & ((micros != 0) | (out_ticks != 0))
        if not foreign.any():
            return out, out_ticks, missing
        idx = np.flatnonzero(foreign)
        sub = pd.DataFrame({"i": idx, "cur": currency[idx], "day": days[idx]})
        for cur, g in sub.groupby("cur", sort=False):
            got = self.by_cur.get(str(cur))
            if got is None:
                missing[g["i"].to_numpy()] = True
                continue
            pos = np.searchsorted(got[0], g["day"].to_numpy(), side="right") - 1
            ok = pos >= 0
            missing[g["i"].to_numpy()[~ok]] = True
            gi = g["i"].to_numpy()[ok]
            gp = pos[ok]
            if not len(gi):
                continue
            nums, dens = self._fractions(str(cur))
            num, den = nums[gp], dens[gp]
            # the amount in ticks is v = micros × TICKS + ticks; in the home currency it is exactly
            # v × num / den ticks: rounded once to the micro-unit, and what is left rounded to the
            # tick (no double rounding)
            big = int(np.abs(micros[gi]).max()) + 1
            if (num.dtype != object and big < 2**62 // TICKS
                    and big * TICKS * int(np.abs(num).max()) < 2**62 and int(den.max()) < 2**62 // TICKS):
                v = micros[gi].astype(np.int64) * TICKS + out_ticks[gi]  # exact in int64
                exact = v * num
                out[gi] = round_div(exact, den * TICKS)
                out_ticks[gi] = round_div(exact - out[gi] * den * TICKS, den)
            else:  # too big for int64: Python integers
                v = [int(m) * TICKS + int(t) for m, t in zip(micros[gi].tolist(), out_ticks[gi].tolist())]
                for j, a, b, c in zip(gi.tolist(), v, num.tolist(), den.tolist()):
                    exact = a * int(b)
                    out[j] = round_div(exact, int(c) * TICKS)
                    out_ticks[j] = round_div(exact - int(out[j]) * int(c) * TICKS, int(c))
        return out, out_ticks, missing
