"""Fixtures of the image tests: a media directory of their own."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of these tests go to a directory of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
