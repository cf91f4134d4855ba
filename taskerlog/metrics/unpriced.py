"""Unpriced entries: which work entries earn nothing because no pay could be worked out.

:func:`unpriced_entries` names each such entry and why (no rate yet for its project and
kind, or a per-task rate without a number of tasks); the import warnings and the
store's ``unpriced`` use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from ..model import KINDS
from .common import UNPRICED_NO_RATE
from .prepare import _local_days, Prepared


def unpriced_entries(p: Prepared) -> list[dict[str, Any]]:
    """The entries that earn nothing only because no pay could be worked out for them
    (metrics.md's *unpriced*), so the shells can tell the worker: each as ``id``, ``reason``
    (``"no_rate"``: it starts before the first rate of its project and kind, or there is
    none; ``"no_units"``: a per-task rate and no number of tasks), ``kind``, ``platform``,
    ``project``, ``day`` (the local day it starts) and ``first_rate_day`` (or None)."""
    rows = np.flatnonzero(p.unpriced)
    firsts = p.first_rate_at[rows].astype(np.int64)
    first_days = _local_days(np.maximum(firsts, 0), p.tz)  # one time-zone conversion for all of them
    out = []
    for i, first, first_day in zip(rows.tolist(), firsts.tolist(), first_days.tolist()):
        plat, proj = p.project_keys[int(p.pk[i])]
        out.append({"id": int(p.work_ids[i]), "reason": "no_rate" if p.unpriced[i] == UNPRICED_NO_RATE else "no_units",
                    "kind": KINDS[int(p.kind_order[i])], "platform": plat, "project": proj,
                    "day": dt.date.fromordinal(int(p.day[i])),
                    "first_rate_day": None if first < 0 else dt.date.fromordinal(int(first_day))})
    return out
