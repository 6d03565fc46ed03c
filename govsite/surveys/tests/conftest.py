"""Browser tests here reuse the columns' Playwright fixtures (``columns/tests/conftest.py``)."""

from govsite.columns.tests import conftest as columns_conftest


def pytest_configure(config):
    # Register the ``browser`` marker when these tests run on their own; the columns' conftest
    # registers it when the whole suite runs, and once is enough.
    if not any(line.startswith("browser:") for line in config.getini("markers")):
        columns_conftest.pytest_configure(config)
