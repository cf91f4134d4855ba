"""What every part of the figures shares: the error, the unpaid-time keys, exact rounding.

Money is summed in integer micro-units of the home currency, plus the ticks
(``TICKS`` a micro-unit) each rounding left out, so a sum is exact and rounded once.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..model import KINDS, UNPAID_KEYS
from ..money import round_div


NKEYS = len(UNPAID_KEYS)
_KEY_INDEX = {k: i for i, k in enumerate(UNPAID_KEYS)}
_KIND_INDEX = {k: i for i, k in enumerate(KINDS)}
_EPOCH_DATE = dt.date(1970, 1, 1)
UNPRICED_NO_RATE = 1
"""An entry that would be paid from the rate starts before any rate of its project and kind."""
UNPRICED_NO_UNITS = 2
"""An entry that would be paid per task has no number of tasks."""


class MetricsError(ValueError):
    """The figures cannot be computed (e.g. a missing exchange rate); the message says what to add."""


TICKS = 3600
"""Sub-units of a micro-unit in which sums of money are exact: hours × rate is a whole
number of ticks for any whole number of seconds (metrics.md: "Money is exact")."""


def _exact(micros, ticks):
    """Sums of rounded micro-units and of the ticks their rounding left out → the exact sum
    rounded half-even to the micro-unit (Python ints or int64 arrays alike)."""
    if isinstance(micros, np.ndarray):
        return micros + round_div(ticks, TICKS)
    return int(micros) + round_div(int(ticks), TICKS)


def _ordinal(d: dt.date) -> int:
    return d.toordinal()


def _fail_missing(missing: np.ndarray, currency: np.ndarray, days: np.ndarray) -> None:
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        day = dt.date.fromordinal(int(days[i]))
        from ..problems import fix, say
        raise MetricsError(say("fx.missing", "no exchange rate for {currency} on or before {day}: add one {fix}",
                               currency=str(currency[i]), day=day.isoformat(),
                               fix=fix("add_fx", currency=str(currency[i]), day=day.isoformat())))


def _in(days: np.ndarray, lo: int | None, hi: int | None) -> np.ndarray:
    m = np.ones(len(days), dtype=bool)
    if lo is not None:
        m &= days >= lo
    if hi is not None:
        m &= days <= hi
    return m
