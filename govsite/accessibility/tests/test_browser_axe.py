"""axe-core finds nothing (R-A11Y-1; WCAG 2.1 A/AA, GB/T 37668 level 2) on every kind of public
page, in the normal mode, in 长者模式 and in a high-contrast scheme (there also text at 7:1) —
the toolbar's panel open on the homepage so that it is checked too.

axe-core is npm's, pinned by package-lock.json and installed by ``make axe`` (a dependency of
``make test``); it is evaluated in the page through the browser's debugging protocol, which the
page's CSP (script-src 'self') does not govern."""

import pytest
from playwright.sync_api import expect

from .conftest import MODES, axe_violations, wait_for_toolbar, with_mode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_violation_on_the_public_pages(mode, new_browser_context, public_pages):
    page = with_mode(new_browser_context(), MODES[mode]).new_page()
    found = {}
    for name, address in public_pages.items():
        response = page.goto(address)
        assert response.status == 200, (name, address, response.status)
        wait_for_toolbar(page)
        if name == "home":
            page.get_by_role("button", name="无障碍", exact=True).click()
            expect(page.get_by_role("region", name="无障碍工具条")).to_be_visible()
        if violations := axe_violations(page):
            found[name] = violations
        # A high-contrast scheme keeps all text at 7:1 (WCAG 1.4.6, axe's AAA contrast rule).
        if mode.startswith("contrast") and (
            violations := axe_violations(page, rules=["color-contrast-enhanced"])
        ):
            found[f"{name} (7:1)"] = violations
    assert not found, found
