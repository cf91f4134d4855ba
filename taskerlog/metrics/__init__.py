"""The figures of shared/docs/metrics.md: pure functions, frames in, figures out.

``from taskerlog import metrics; metrics.compute(...)`` as before: every name of the old
single-file metrics.py imports from here. Where each figure is worked out is listed in
README.md's architecture section ("Where is X computed").
"""

from .compute import (  # noqa: F401 (the package's names, as metrics.py had them)
    _EPOCH_DATE, _KEY_INDEX, _KIND_INDEX, _LIMB, _LIMB_MASK, NKEYS, TICKS, UNPRICED_NO_RATE, UNPRICED_NO_UNITS,
    MetricsError, Prepared, _advertised, _codes, _cv, _eq_figures, _exact, _expand_rates, _fail_missing, _fmt_dec,
    _Fx, _hours, _in, _ints, _local_days, _money_sum, _monday, _obj, _ordered, _ordinal, _per_hour, _rate_columns,
    _rate_figures, _rate_history, _ratio_money, _round_div, _round_div_array, _Scope, _scope_tables,
    _ScopeTables, _short, _sum_by, _sum_by_signed, _time_figures, _vocab_codes, compute, prepare, unpriced_entries,
)
