"""Browser fixtures for the review chain's scenarios: the columns' Playwright fixtures, reused.

One Chromium serves a whole test module and every test opens fresh contexts (own cookies); see
``govsite/columns/tests/conftest.py`` for why the browser lives for a module only.
"""

import pytest

from govsite.columns.tests.conftest import (  # noqa: F401
    browser,
    browser_login,
    browser_page,
)
from govsite.columns.tests.conftest import (  # noqa: F401 (registered under this name)
    new_browser_context as columns_browser_context,
)

# Wagtail's editor reports who is editing a page: it pings the server on load and every few
# seconds, and sends a beacon when the tab closes. Those requests belong to no scenario here,
# yet one arriving while the transactional test database is flushed after a test locks the
# SQLite tables ("database table is locked"). They are answered in the browser instead.
EDITING_SESSIONS = "**/admin/editing-sessions/**"


@pytest.fixture
def new_browser_context(columns_browser_context):  # noqa: F811 (pytest passes the fixture)
    """``columns.tests.conftest.new_browser_context``, without the editing-session requests."""

    def make(**kwargs):
        context = columns_browser_context(**kwargs)
        context.route(EDITING_SESSIONS, lambda route: route.fulfill(status=204, body=""))
        return context

    return make
