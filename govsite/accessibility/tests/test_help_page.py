"""The 无障碍说明 page and the toolbar's markup (R-A11Y-1): public, the same for every visitor,
CSP-clean (no inline script or style), the shortcuts from data/toolbar.toml in both places."""

import re

import pytest

from govsite.accessibility import toolbar as toolbar_module
from govsite.accessibility.toolbar import toolbar
from govsite.testing.helpers import runs_inline_script

pytestmark = pytest.mark.django_db


def test_the_help_page_lists_every_control_and_its_shortcut(client, site_tree):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    for control in toolbar()["ordered"]:
        assert f"{control['label']}　<kbd>{control['shortcut']}</kbd>" in html
        assert control["help"] in html
    for scheme in toolbar()["schemes"]:
        assert scheme["label"] in html
    assert '<meta name="ColumnName" content="无障碍说明">' in html


def test_every_public_page_carries_the_toolbar_hidden_until_its_script_runs(client, site_tree):
    html = client.get("/").content.decode()
    assert re.search(r'<div class="a11y-bar" id="a11y-bar" hidden', html)
    assert re.search(r'<script defer src="/static/accessibility/a11y\.js', html)
    assert 'aria-keyshortcuts="Alt+Shift+L"' in html
    assert 'href="/accessibility/">无障碍说明</a>' in html  # the footer's link too
    # CSP script-src 'self'; style-src 'self': nothing inline anywhere on the page.
    assert not runs_inline_script(html)
    assert "<style" not in html and " style=" not in html
    assert client.get("/").content == html.encode()  # no per-visitor byte


def test_two_controls_may_not_share_a_key(tmp_path, monkeypatch):
    bad = tmp_path / "toolbar.toml"
    bad.write_text(
        "zoom_steps = [1.0]\nschemes = []\n"
        '[[controls]]\naction = "a"\nlabel = "甲"\nkey = "F"\nhelp = ""\n'
        '[[controls]]\naction = "b"\nlabel = "乙"\nkey = "F"\nhelp = ""\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(toolbar_module, "TOOLBAR_TOML", bad)
    toolbar.cache_clear()
    try:
        with pytest.raises(ValueError, match="share a shortcut key"):
            toolbar()
    finally:
        toolbar.cache_clear()
