"""Shared fixtures: a fresh logbook in a temporary folder, with a fixed clock."""

from __future__ import annotations

import pytest

from taskerlog.store import Store

FIXED_NOW = 1795435200  # 2026-11-23T08:00:00Z


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "logbook.sqlite", now=lambda: FIXED_NOW)
    yield s
    s.close()
