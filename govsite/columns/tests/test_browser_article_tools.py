"""Browser scenario of the article tools (issue 17 item 2): a citizen enlarges the text, reads on
through 上一篇/下一篇 with the size kept, and prints without the site's navigation, the page's
address printed instead. And without JavaScript 字号 still works."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govsite.testing.browser import DESKTOP, wait_for_requests_to_finish
from govsite.testing.helpers import sub_column

from ..models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = ["区政府召开常务会议", "区长调研重点项目建设", "全区安全生产工作会议召开"]


def speeches():
    """Three speeches, a day apart, oldest first, each with a paragraph of text."""
    column = sub_column("领导重要讲话")
    start = timezone.now() - timedelta(days=5)
    return [
        column.add_child(
            instance=ArticlePage(
                title=title,
                slug=f"jh-{n}",
                live=True,
                first_published_at=start + timedelta(days=n),
                body=[("paragraph", f"<p>{title}。会议强调，要把各项工作落到实处。</p>")],
            )
        )
        for n, title in enumerate(TITLES)
    ]


def body_font_size(page):
    return page.locator(".article-body p").first.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)"
    )


def test_larger_text_is_kept_through_previous_and_next_and_print_hides_the_navigation(
    browser_page,
):
    articles = speeches()
    page = browser_page
    page.goto(articles[1].url)
    normal = body_font_size(page)
    print_button = page.get_by_role("button", name="打印")
    expect(print_button).to_be_visible()  # shown by the script

    page.get_by_role("link", name="大字号").click()
    expect(page.get_by_role("link", name="大字号")).to_have_attribute("aria-current", "true")
    large = body_font_size(page)
    assert large > normal * 1.2

    # 上一篇 is the newer speech; the size holds on the next article.
    page.get_by_role("link", name=TITLES[2]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[2])
    assert body_font_size(page) == large
    expect(page.locator(".article-previous")).to_contain_text("没有了")
    page.locator(".article-next a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[1])
    page.locator(".article-next a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[0])
    assert body_font_size(page) == large

    page.get_by_role("link", name="小字号").click()
    assert body_font_size(page) < normal

    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".article-tools")).to_be_hidden()
    expect(page.locator(".article-meta")).to_contain_text("发布时间")
    expect(page.locator(".article-meta")).to_be_visible()
    printed = page.locator("article.article").evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert "本页网址：" in printed and articles[0].url in printed


def test_without_javascript_the_size_links_still_work_and_print_is_not_offered(
    browser, live_server, site_tree
):
    articles = speeches()
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=DESKTOP, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(articles[1].url)
        normal = body_font_size(page)
        expect(page.get_by_role("button", name="打印")).to_be_hidden()
        page.get_by_role("link", name="大字号").click()
        assert body_font_size(page) > normal * 1.2
        page.get_by_role("link", name="关闭").click()
        expect(page).to_have_url(f"{live_server.url}{articles[1].get_parent().url}")
    finally:
        context.close()
        wait_for_requests_to_finish()
