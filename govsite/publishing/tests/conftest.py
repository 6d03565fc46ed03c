"""Every test publishes into a directory of its own (``GOVSITE_PUBLISHED_ROOT``)."""

import pytest


@pytest.fixture(autouse=True)
def published_root(settings, tmp_path):
    settings.GOVSITE_PUBLISHED_ROOT = tmp_path / "published"
    return settings.GOVSITE_PUBLISHED_ROOT
