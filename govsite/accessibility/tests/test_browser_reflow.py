"""375 px (R-A11Y-1; 适老化规范, WCAG 1.4.10 reflow, 2.5.5 target size): no horizontal scrolling on
the homepage, a list, an article and the letter form in every mode, also at 2× zoom; in 长者模式
every tap target outside running text is at least 60 × 60 px."""

import pytest

from .conftest import PHONE, TAP_TARGETS, wait_for_toolbar, with_mode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["home", "sub-column list", "article", "letter form"]
PHONE_MODES = {
    "normal": {},
    "normal 2×": {"zoom": 2},
    "长者模式": {"elder": True},
    "长者模式 2×": {"elder": True, "zoom": 2},
    "黑底黄字 2×": {"contrast": "dark", "zoom": 2},
    "白底黑字": {"contrast": "light"},
    "蓝底白字": {"contrast": "blue"},
}


@pytest.mark.parametrize("mode", PHONE_MODES)
def test_nothing_scrolls_sideways_at_375_px(mode, new_browser_context, public_pages):
    page = with_mode(new_browser_context(viewport=PHONE), PHONE_MODES[mode]).new_page()
    wide = {}
    for name in PAGES:
        page.goto(public_pages[name])
        wait_for_toolbar(page)
        page.get_by_role("button", name="无障碍", exact=True).click()  # the panel open too
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide[name] = widths + [
                page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                        .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
                )
            ]
    assert not wide, wide


@pytest.mark.parametrize("zoom", [1, 2])
def test_tap_targets_are_60_px_in_the_elder_mode(zoom, new_browser_context, public_pages):
    page = with_mode(new_browser_context(viewport=PHONE), {"elder": True, "zoom": zoom}).new_page()
    small = {}
    for name in PAGES:
        page.goto(public_pages[name])
        wait_for_toolbar(page)
        page.get_by_role("button", name="无障碍", exact=True).click()
        if found := page.evaluate(TAP_TARGETS):
            small[name] = found
    assert not small, small
