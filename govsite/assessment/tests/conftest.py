"""Fixtures of the assessment's tests."""

import pytest

from .. import scoring


@pytest.fixture
def columns_kept_fresh(monkeypatch):
    """Every column up to date, for the tests of the other measures' totals and ranks (the
    bootstrapped tree's columns are all blank, which 栏目更新 would deduct for). The freshness
    measure itself is tested against ``freshness.column_states_at``."""
    monkeypatch.setattr(
        scoring, "column_states_at", lambda moments, sections=None: {m: [] for m in moments}
    )
