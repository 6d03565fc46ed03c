"""Issue 17 item 1 in Chromium: the homepage at 1280 px shows its blocks; on a 375 px phone the
menu folds behind 栏目导航 and the content starts in the first screen (R-SITE-1, SPEC §11)."""

import pytest
from playwright.sync_api import expect

from govsite.disclosure.models import DocumentColumnPage
from govsite.images.tests.factories import make_image
from govsite.testing.helpers import add_article, sub_column

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def content(site_tree):
    news = sub_column("工作动态")
    add_article(
        news, title="全区政务公开工作推进会召开", is_headline=True, title_image=make_image()
    )
    add_article(
        news, title="区政府办公室开展网络安全培训", slug="wlaq", title_image=make_image("二")
    )
    add_article(DocumentColumnPage.objects.get(slug="tzgg"), title="关于网站系统升级维护的通告")


def test_the_desktop_homepage_shows_every_block(new_browser_context, content):
    page = new_browser_context(viewport=DESKTOP).new_page()
    page.goto("/")
    for name in ("头条", "图片新闻", "通知公告", "政民互动", "办事指南"):
        expect(page.get_by_role("heading", name=name, exact=True).first).to_be_visible()
    expect(page.locator(".column-block")).to_have_count(8)
    expect(page.locator(".home-headline")).to_contain_text("全区政务公开工作推进会召开")
    expect(page.locator(".home-pictures img")).to_have_count(1)
    expect(page.locator(".home-notices")).to_contain_text("关于网站系统升级维护的通告")
    # The menu is not folded on a desktop.
    expect(page.locator(".site-nav-label")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="主栏目").get_by_role("link", name="在线交流")
    ).to_be_visible()
    # 我要写信 leads to the letter form.
    page.get_by_role("link", name="我要写信").click()
    expect(page.get_by_role("heading", name="我要写信")).to_be_visible()


def test_on_a_phone_the_menu_folds_and_content_starts_in_the_first_screen(
    new_browser_context, content
):
    page = new_browser_context(viewport=PHONE).new_page()
    page.goto("/")
    main_top = page.evaluate("document.getElementById('main').getBoundingClientRect().top")
    assert main_top < PHONE["height"] / 3, main_top
    expect(page.locator(".home-headline")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    menu = page.get_by_role("navigation", name="主栏目")
    expect(menu.get_by_role("link", name="在线交流")).to_be_hidden()
    page.get_by_text("栏目导航").click()
    expect(menu.get_by_role("link", name="在线交流")).to_be_visible()
    # By keyboard too: the fold is a checkbox, toggled with the space bar.
    page.get_by_text("栏目导航").click()
    expect(menu.get_by_role("link", name="在线交流")).to_be_hidden()
    page.locator("#site-nav-toggle").focus()
    page.keyboard.press("Space")
    expect(menu.get_by_role("link", name="在线交流")).to_be_visible()
