"""CLI commands, one module per area; each module adds its commands to ``taskerlog.cli.cli``."""
