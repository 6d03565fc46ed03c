"""Hostile inputs shared by the R-SEC-5 tests (``govsite/tests/test_hostile_*.py``)."""
