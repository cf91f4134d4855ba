"""The only place that touches SQLite: schema, migrations, journaled writes, backups."""

from .api import SAMPLE_MARK, NeedsUpgrade, Store, StoreError, default_db_path, is_sample_path  # noqa: F401
