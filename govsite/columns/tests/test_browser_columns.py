"""Browser scenarios for the site tree: what staff and the public actually do (SPEC §1, §2, §11).

Each test drives Debian's Chromium through Playwright against ``live_server`` and asserts what a
person in front of the screen would notice, then checks the database where the screen cannot
tell (who owns a draft, which section it is credited to).
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Site

from govsite.columns.models import ArticlePage, ColumnPage, SiteSettings
from govsite.testing.helpers import add_article, sub_column

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# SPEC §2: the eight columns of 第九、十一条, in the order of the tree.
COLUMNS = [
    "政务公开",
    "政务专题",
    "政策文件",
    "办公室建设",
    "工作进展",
    "业务指南",
    "热点专题",
    "在线交流",
]
SPEECH = "区长在全区经济工作会议上的讲话"
SPEECH_TEXT = "同志们：今天召开全区经济工作会议，总结今年工作，部署明年任务。"
PHONE = {"width": 375, "height": 740}


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


def meta(page, name):
    return page.locator(f'meta[name="{name}"]')


def expect_site_meta(page, column_name):
    """SPEC §11 (政府网站发展指引): every public page names the site, its code and the column."""
    expect(meta(page, "SiteName")).to_have_attribute("content", "区政府办公室网站")
    expect(meta(page, "SiteIDCode")).to_have_attribute("content", "1101000012")
    expect(meta(page, "ColumnName")).to_have_attribute("content", column_name)


def test_officer_saves_a_draft_in_own_column(
    new_browser_context, browser_page, browser_login, make_user
):
    """R-TREE-2, 第七条: an officer of 秘书科 writes a draft in 领导重要讲话 through the editor;
    it belongs to them, is credited to 秘书科 and stays off the public site."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    column = sub_column("领导重要讲话")
    page = browser_login(browser_page, officer)

    page.goto(f"/admin/pages/{column.pk}/")
    expect(page.get_by_role("heading", name="领导重要讲话")).to_be_visible()
    page.get_by_role("link", name="添加子页面").click()
    page.get_by_role("link", name="文章", exact=True).click()
    expect(page.get_by_role("navigation", name="面包屑导航")).to_contain_text("新建: 文章")

    page.locator("#id_title").fill(SPEECH)
    body = page.locator("[data-contentpath='body']")
    editor = body.get_by_role("textbox")  # a new article starts with one text block
    editor.click()
    editor.press_sequentially(SPEECH_TEXT)
    expect(editor).to_have_text(SPEECH_TEXT)
    # Draftail writes the editor's state into the form a moment (250 ms) after the last key.
    expect(body.locator("input[name='body-0-value']")).to_have_value(re.compile(SPEECH_TEXT))
    page.get_by_role("button", name="保存草稿").click()

    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.get_by_text(re.compile(f"{SPEECH}.*已创建"))).to_be_visible()
    page.goto(f"/admin/pages/{column.pk}/")
    row = page.get_by_role("row").filter(has_text=SPEECH)
    expect(row).to_contain_text("草稿")

    draft = ArticlePage.objects.get(title=SPEECH)
    assert draft.get_parent().pk == column.pk
    assert not draft.live
    assert draft.first_published_at is None
    assert draft.owner == officer
    assert draft.source_section.name == "秘书科"
    assert SPEECH_TEXT in str(draft.get_latest_revision_as_object().body)

    visitor = new_browser_context().new_page()
    response = visitor.goto(draft.get_url())
    assert response.status == 404
    expect(visitor.get_by_role("heading", name="您访问的页面不存在")).to_be_visible()


def test_officer_gets_no_editor_in_another_sections_column(browser_page, browser_login, make_user):
    """R-TREE-2: 政策法规 belongs to 综合科; a 秘书科 officer can neither edit its articles nor add
    one, and is told why in Chinese (govsite/columns/views.py, creation_refusal)."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    zonghe_officer = make_user("zonghe_officer", "综合科-信息员")
    policies = sub_column("政策法规")
    rule = add_article(policies, "关于加强政务公开工作的规定", owner=zonghe_officer)
    page = browser_login(browser_page, officer)
    edit_form = page.locator("form#page-edit-form")

    page.goto(f"/admin/pages/{rule.pk}/edit/")
    expect(page.get_by_text("你没有权限访问")).to_be_visible()
    assert f"/pages/{rule.pk}/edit/" not in page.url
    expect(edit_form).to_have_count(0)
    expect(page.locator("#id_title")).to_have_count(0)
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)

    page.goto(f"/admin/pages/add/disclosure/documentpage/{policies.pk}/")  # a 公文栏目
    expect(
        page.get_by_text("「政策法规」由综合科负责，只有该科室的信息员和科长可以在此新建内容。")
    ).to_be_visible()
    assert "/pages/add/" not in page.url
    expect(edit_form).to_have_count(0)
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)

    # The explorer offers no "add child page" on 政策法规 (Wagtail keeps the officer inside
    # 政务专题, where their own section's columns are), and the page-type chooser behind
    # that action is refused too.
    assert page.goto(f"/admin/pages/{policies.pk}/").status == 200
    expect(page.locator(f'a[href="/admin/pages/{policies.pk}/add_subpage/"]')).to_have_count(0)
    page.goto(f"/admin/pages/{policies.pk}/add_subpage/")
    expect(page).to_have_url(re.compile(r"/admin/$"))  # Wagtail's refusal: to the dashboard
    expect(page.get_by_text("你没有权限访问")).to_be_visible()
    expect(page.locator(f'a[href^="/admin/pages/add/"][href$="/{policies.pk}/"]')).to_have_count(0)


def test_article_under_a_top_column_is_refused_with_a_clear_message(
    browser_page, browser_login, make_user
):
    """SPEC §2: articles live in sub-columns. Even the site manager, who may change the
    structure, is told so instead of getting an editor for an article right under 政务专题."""
    manager = make_user("site_manager", "综合科-网站管理")
    topic = ColumnPage.objects.get(title="政务专题")
    page = browser_login(browser_page, manager)

    page.goto(f"/admin/pages/add/columns/articlepage/{topic.pk}/")

    message = page.get_by_text("不能在「政务专题」下新建文章")
    expect(message).to_be_visible()
    expect(message).to_contain_text("子栏目")
    assert "/pages/add/" not in page.url
    expect(page.locator("form#page-edit-form")).to_have_count(0)
    expect(page.get_by_role("heading", name="政务专题")).to_be_visible()


def test_visitor_browses_home_column_sub_column_and_article(browser_page, make_user):
    """SPEC §11 and R-FLOW-4: the public finds the eight columns, follows them down to an
    article that names its source (来源) and publication time, and finds the site map."""
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.site_code = "1101000012"
    settings.save()
    officer = make_user("mishu_officer", "秘书科-信息员")
    speech = add_article(
        sub_column("领导重要讲话"), SPEECH, owner=officer, body=paragraph(SPEECH_TEXT)
    )
    page = browser_page

    page.goto("/")
    nav = page.get_by_role("navigation", name="主栏目")
    expect(nav.get_by_role("link")).to_have_text(["首页", *COLUMNS])
    expect(page.locator(".column-block h2")).to_have_text(COLUMNS)
    topic_block = page.get_by_role("region", name="政务专题")
    expect(topic_block.get_by_role("link", name=SPEECH)).to_be_visible()
    expect(page.get_by_role("region", name="政策文件")).to_contain_text("本栏目暂无信息")
    expect_site_meta(page, "首页")
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("主办单位：区人民政府办公室")
    expect(footer).to_contain_text("网站标识码：1101000012")

    nav.get_by_role("link", name="政务专题").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政务专题")
    expect(nav.get_by_role("link", name="政务专题")).to_have_attribute("aria-current", "page")
    expect_site_meta(page, "政务专题")

    page.get_by_role("complementary").get_by_role("link", name="领导重要讲话").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("领导重要讲话")
    expect(page.get_by_text("负责科室：秘书科")).to_be_visible()
    expect_site_meta(page, "领导重要讲话")

    page.get_by_role("main").get_by_role("link", name=SPEECH).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEECH)
    published = timezone.localtime(speech.first_published_at).strftime("%Y-%m-%d %H:%M")
    expect(page.locator(".article-meta")).to_contain_text("来源：秘书科")
    expect(page.locator(".article-meta")).to_contain_text(f"发布时间：{published}")
    expect(page.locator(".article-body")).to_contain_text(SPEECH_TEXT)
    breadcrumb = page.get_by_role("navigation", name="当前位置")
    expect(breadcrumb).to_have_text(
        re.compile(rf"首页\s*>\s*政务专题\s*>\s*领导重要讲话\s*>\s*{SPEECH}")
    )
    expect_site_meta(page, "领导重要讲话")

    breadcrumb.get_by_role("link", name="政务专题").click()
    page.get_by_role("complementary").get_by_role("link", name="政府工作报告").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政府工作报告")
    expect(page.get_by_role("main")).to_contain_text("本栏目暂无信息。")
    expect_site_meta(page, "政府工作报告")

    page.get_by_role("contentinfo").get_by_role("link", name="网站地图").click()
    page.wait_for_url("**/sitemap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("网站地图")
    expect(page.locator(".site-map h2")).to_have_text(COLUMNS)
    expect(page.locator(".site-map")).to_contain_text("领导重要讲话")
    expect_site_meta(page, "网站地图")


def test_home_and_article_fit_a_phone(new_browser_context, make_user):
    """SPEC §11 (usable on phones): at 375 px nothing scrolls sideways and the whole main
    navigation, unfolded from 栏目导航 (issue 17), stays on screen."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    speech = add_article(
        sub_column("领导重要讲话"), SPEECH, owner=officer, body=paragraph(SPEECH_TEXT * 4)
    )
    page = new_browser_context(viewport=PHONE).new_page()

    for url in ("/", speech.get_url()):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        links = page.get_by_role("navigation", name="主栏目").get_by_role("link")
        expect(links).to_have_count(0)  # folded: hidden from everyone until opened
        page.get_by_text("栏目导航").click()
        expect(links).to_have_count(1 + len(COLUMNS))
        for link in links.all():
            expect(link).to_be_visible()
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (url, box)
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEECH)


def test_a_phone_shows_a_columns_text_before_its_menu(new_browser_context, make_user):
    """Issue 17 (phones): a sub-column's heading and list come before its sub-column menu at
    375 px, where the column is one narrow strip; a wide screen keeps the menu on the left."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    speeches = sub_column("领导重要讲话")
    add_article(speeches, SPEECH, owner=officer, body=paragraph(SPEECH_TEXT))
    for viewport, text_first in ((PHONE, True), ({"width": 1280, "height": 800}, False)):
        page = new_browser_context(viewport=viewport).new_page()
        for url in (speeches.get_url(), speeches.get_parent().get_url()):
            page.goto(url)
            heading = page.get_by_role("heading", level=1).bounding_box()
            menu = page.get_by_role("complementary").bounding_box()
            if text_first:
                assert heading["y"] + heading["height"] <= menu["y"], (url, heading, menu)
            else:
                assert menu["x"] + menu["width"] <= heading["x"], (url, heading, menu)
                assert abs(menu["y"] - heading["y"]) < heading["height"] * 2, (url, heading, menu)
