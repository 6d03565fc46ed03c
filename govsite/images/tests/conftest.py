"""Fixtures of the image tests: a media directory of their own, and the browser fixtures of the
review chain's scenarios (Chromium through Playwright; see govsite/columns/tests/conftest.py)."""

import pytest

from govsite.workflow.tests.conftest import (  # noqa: F401 (fixtures)
    browser,
    browser_login,
    browser_page,
    columns_browser_context,
    new_browser_context,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of these tests go to a directory of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
