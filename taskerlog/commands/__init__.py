"""CLI commands, one module per area; ``taskerlog/cli.py`` names each command in its table."""
