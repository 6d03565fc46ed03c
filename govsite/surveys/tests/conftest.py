"""Browser tests here reuse the columns' Playwright fixtures (``columns/tests/conftest.py``)."""
