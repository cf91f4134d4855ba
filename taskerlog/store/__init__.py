"""The only place that touches SQLite: schema, migrations, journaled writes, backups."""

from .api import NeedsUpgrade, Store, StoreError, default_db_path  # noqa: F401
