"""CLI commands, one module per area; each module adds its commands to ``taskerlog.cli.cli``."""
from . import daily  # noqa: F401
from . import records  # noqa: F401
from . import reports  # noqa: F401
from . import bundle_cmds  # noqa: F401
from . import pool  # noqa: F401
from . import history  # noqa: F401
from . import evidence  # noqa: F401
from . import app_cmd  # noqa: F401
