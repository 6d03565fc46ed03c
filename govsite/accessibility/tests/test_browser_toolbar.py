"""The 无障碍 toolbar as a visitor uses it (R-A11Y-1): opened by mouse or keyboard, each mode
applied at once and kept from page to page; nothing without JavaScript; the same HTML served
whatever the visitor chose; focus indicators ≥ 3:1 wherever focus goes, in every mode."""

import pytest
from playwright.sync_api import expect

from govsite.testing.browser import wait_for_requests_to_finish
from govsite.testing.helpers import add_article, sub_column

from .conftest import MODES, PHONE, tab_through, wait_for_toolbar, with_mode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def classes(page):
    return page.evaluate("() => [...document.documentElement.classList].sort()")


def root_font_px(page):
    return page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_a_visitor_turns_the_modes_on_by_mouse_and_keyboard_and_they_stay(
    new_browser_context, site_tree
):
    article = add_article(sub_column("工作动态"), title="区政府办公室开展政务公开专项督查")
    page = new_browser_context().new_page()
    page.goto("/")
    wait_for_toolbar(page)
    panel = page.get_by_role("region", name="无障碍工具条")
    expect(panel).to_be_hidden()
    page.get_by_role("button", name="无障碍", exact=True).click()
    expect(panel).to_be_visible()
    expect(page.get_by_role("button", name="无障碍", exact=True)).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(panel).to_contain_text("放大 Alt+Shift+F")  # the shortcuts are named in the toolbar

    # Zoom in steps up to 2×, then no further.
    assert root_font_px(page) == 16
    for _ in range(5):
        if page.get_by_role("button", name="放大").is_enabled():
            page.get_by_role("button", name="放大").click()
    assert root_font_px(page) == 32
    expect(page.locator("[data-a11y-zoom-level]")).to_have_text("200%")
    expect(page.get_by_role("button", name="放大")).to_be_disabled()
    page.keyboard.press("Alt+Shift+S")
    assert root_font_px(page) == 28

    # 长者模式 from the thin bar, with the keyboard: text ≥ 18 px, line spacing ≥ 1.5.
    page.get_by_role("button", name="缩小").click()
    page.get_by_role("button", name="缩小").click()
    page.get_by_role("button", name="缩小").click()
    page.keyboard.press("Alt+Shift+L")
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")
    body = page.evaluate(
        """() => {
            const s = getComputedStyle(document.body);
            return [parseFloat(s.fontSize), parseFloat(s.lineHeight)];
        }"""
    )
    assert body[0] >= 18 and body[1] / body[0] >= 1.5, body
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('main *, .site-footer *')]
            .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
    )
    assert smallest >= 18, smallest

    # High contrast: the shortcut steps through the schemes, the buttons choose one.
    page.keyboard.press("Alt+Shift+C")
    assert "a11y-contrast-dark" in classes(page)
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.get_by_role("button", name="蓝底白字").click()
    assert "a11y-contrast-blue" in classes(page)
    expect(page.get_by_role("button", name="蓝底白字")).to_have_attribute("aria-pressed", "true")

    # The large cursor is a local file; the crosshair follows the pointer and takes no click.
    page.keyboard.press("Alt+Shift+M")
    assert "accessibility/cursor-arrow" in page.evaluate(
        "() => getComputedStyle(document.querySelector('main')).cursor"
    )
    page.keyboard.press("Alt+Shift+X")
    lines = page.locator(".a11y-crosshair")
    expect(lines).to_have_count(2)
    page.mouse.move(300, 400)
    assert page.evaluate(
        """() => [...document.querySelectorAll('.a11y-crosshair')]
            .map(l => [l.style.top || l.style.left, getComputedStyle(l).pointerEvents])"""
    ) == [["400px", "none"], ["300px", "none"]]

    # Another page (a link followed): the choices are there before anything is clicked.
    page.goto(article.url)
    wait_for_toolbar(page)
    assert classes(page) == ["a11y-contrast-blue", "a11y-cursor", "a11y-elder"]
    expect(page.locator(".a11y-crosshair")).to_have_count(2)
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")

    # 复原 puts everything back.
    page.keyboard.press("Alt+Shift+Q")
    assert classes(page) == []
    expect(page.locator(".a11y-crosshair")).to_have_count(0)
    page.reload()
    wait_for_toolbar(page)
    assert classes(page) == [] and root_font_px(page) == 16


def test_without_javascript_there_is_no_toolbar_and_the_site_works(browser, live_server, site_tree):
    add_article(sub_column("工作动态"), title="区政府办公室开展政务公开专项督查")
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.locator("#a11y-bar")).to_be_hidden()
        expect(page.get_by_role("button", name="长者模式")).to_have_count(0)
        page.get_by_role("navigation", name="主栏目").get_by_role("link", name="工作进展").click()
        page.get_by_role("link", name="区政府办公室开展政务公开专项督查").first.click()
        expect(page.get_by_role("heading", name="区政府办公室开展政务公开专项督查")).to_be_visible()
        page.get_by_role("link", name="无障碍说明").click()  # from the footer
        expect(page.get_by_role("heading", name="无障碍说明", level=1)).to_be_visible()
        expect(page.locator("main")).to_contain_text("Alt+Shift+L")
    finally:
        context.close()
        wait_for_requests_to_finish()


def test_the_served_html_is_the_same_bytes_whatever_the_visitor_chose(
    new_browser_context, site_tree
):
    fresh = new_browser_context().new_page()
    first = fresh.goto("/").body()
    chosen = with_mode(new_browser_context(), {"elder": True, "contrast": "dark", "zoom": 2})
    page = chosen.new_page()
    second = page.goto("/").body()
    wait_for_toolbar(page)
    assert "a11y-elder" in classes(page)
    assert first == second


@pytest.mark.parametrize("mode", MODES)
def test_every_focus_indicator_stands_out_from_its_background(
    mode, new_browser_context, public_pages
):
    """WCAG 2.4.7/1.4.11: ≥ 3:1 on the red header (1.09:1 before), the nav (1.52:1 before), the
    page and the footer — on the homepage and an article, at 1280 and 375 px."""
    weak = []
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page = with_mode(new_browser_context(viewport=viewport), MODES[mode]).new_page()
        for name in ("home", "article", "letter form"):
            page.goto(public_pages[name])
            wait_for_toolbar(page)
            reports = tab_through(page)
            assert len(reports) > 10, (name, reports)
            weak += [
                (name, viewport["width"], report)
                for report in reports
                if report["style"] == "none" or report["width"] < 2 or report["ratio"] < 3
            ]
    assert not weak, weak
