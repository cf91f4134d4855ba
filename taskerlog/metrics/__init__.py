"""The figures of shared/docs/metrics.md: pure functions, frames in, figures out.

``from taskerlog import metrics; metrics.compute(...)`` as before: every name of the old
single-file metrics.py imports from here. Where each figure is worked out is listed in
README.md's architecture section ("Where is X computed").
"""

from .common import (  # noqa: F401 (the package's names, as metrics.py had them)
    _EPOCH_DATE, _exact, _fail_missing, _in, _KEY_INDEX, _KIND_INDEX, _ordinal,
    MetricsError, NKEYS, TICKS, UNPRICED_NO_RATE, UNPRICED_NO_UNITS,
)
from .compute import (  # noqa: F401 (the package's names, as metrics.py had them)
    _advertised, _monday, compute,
)
from .fx import (  # noqa: F401 (the package's names, as metrics.py had them)
    _Fx,
)
from .prepare import (  # noqa: F401 (the package's names, as metrics.py had them)
    _codes, _expand_rates, _ints, _local_days, _obj, _rate_history, _vocab_codes, prepare, Prepared,
)
from .scope import (  # noqa: F401 (the package's names, as metrics.py had them)
    _eq_figures, _rate_columns, _rate_figures, _Scope, _scope_tables, _ScopeTables,
)
from .sums import (  # noqa: F401 (the package's names, as metrics.py had them)
    _cv, _fmt_dec, _hours, _LIMB, _LIMB_MASK, _money_sum, _ordered, _per_hour, _ratio_money, _short, _sum_by,
    _sum_by_signed, _time_figures,
)
from .unpriced import (  # noqa: F401 (the package's names, as metrics.py had them)
    unpriced_entries,
)
