"""Issue 17 item 1 (R-SITE-1): the citizens' homepage — 头条, 图片新闻, 通知公告, 在线交流,
办事指南, the open 专栏 and the site's entries; 题图/头条/置顶 set through review; a constant
number of queries; the published file purged when anything it shows changes."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from govsite.assessment.models import ColumnRule
from govsite.disclosure.models import CatalogueCategory, DocumentColumnPage
from govsite.images.tests.factories import make_image
from govsite.mailbox.models import Letter
from govsite.mailbox.tasks import refresh_homepage_figures
from govsite.mailbox.tests.factories import stored as stored_letter
from govsite.publishing import store
from govsite.services.tests.factories import make_guide
from govsite.testing.helpers import add_article, article_form, login, runs_inline_script, sub_column

from .. import render_cache
from ..models import ArticlePage, HomePage, SiteSettings

NEWS = "工作动态"


def block(html, css_class):
    """The HTML of the homepage's ``<section class="… css_class …">``."""
    match = re.search(rf'<section class="[^"]*\b{css_class}\b[^"]*".*?</section>', html, re.S)
    assert match, f"no block {css_class}"
    return match.group(0)


def older(article, days):
    """Move ``article``'s publication ``days`` back (what it would be had it been published
    then), so that the order of the tests' articles is known."""
    moment = timezone.now() - timedelta(days=days)
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=moment, last_published_at=moment
    )
    return article


def home_html(client):
    render_cache.changed()
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_headline_is_the_newest_headline_and_picture_news_the_newest_with_a_title_image(
    client, site_tree
):
    news = sub_column(NEWS)
    older(add_article(news, title="旧的头条文章", is_headline=True), 5)
    add_article(news, title="全区政务服务工作会议召开", is_headline=True, title_image=make_image())
    older(add_article(news, title="没有题图的动态"), 1)
    for n in range(5):
        older(add_article(news, title=f"图片新闻{n}号", title_image=make_image(f"图{n}")), 2 + n)
    html = home_html(client)
    headline = block(html, "home-headline")
    assert "全区政务服务工作会议召开" in headline and "旧的头条文章" not in headline
    assert "<img" in headline
    pictures = block(html, "home-pictures")
    shown = re.findall(r"图片新闻(\d)号", pictures)
    assert shown == ["0", "1", "2", "3"]  # the four newest, newest first
    assert "全区政务服务工作会议召开" not in pictures  # the headline is not shown twice
    assert "没有题图的动态" not in pictures
    # Nothing moves by itself: no carousel, no script of the homepage's own.
    assert "carousel" not in html and not runs_inline_script(html)


@pytest.mark.django_db
def test_notices_come_from_the_notices_column_with_their_dates(client, site_tree):
    notices = DocumentColumnPage.objects.get(slug="tzgg")
    assert notices.catalogue_category == CatalogueCategory.NOTICES
    assert notices.owner_section.name == "综合科"
    notice = add_article(notices, title="关于2027年元旦放假安排的通知")
    add_article(sub_column("政府文件"), title="关于印发年度工作要点的通知")
    html = block(home_html(client), "home-notices")
    assert "关于2027年元旦放假安排的通知" in html
    assert "年度工作要点" not in html
    assert timezone.localdate(notice.first_published_at).isoformat() in html
    assert notices.url in html


@pytest.mark.django_db
def test_the_notices_column_is_bootstrapped_into_older_sites(site_tree):
    """An older database gets 通知公告 by running ``bootstrap_site``: the column, its 目录
    category and its update rule (通知公告、政策文件类)."""
    Page.objects.get(slug="tzgg").delete()
    call_command("bootstrap_site", stdout=StringIO())
    column = DocumentColumnPage.objects.get(slug="tzgg")
    assert column.live and column.get_parent().slug == "zwgk"
    assert column.catalogue_category == CatalogueCategory.NOTICES
    assert ColumnRule.objects.get(column=column).rule.name == "通知公告、政策文件类"


@pytest.mark.django_db
def test_guides_and_the_online_exchange_entries_resolve(client, site_tree):
    make_guide(title="政府信息公开申请办理")
    stored_letter()
    stored_letter(status=Letter.Status.REPLIED)
    settings = SiteSettings.for_site(site_tree.get_site())
    settings.supervision_phones = "政府办监督电话：0571-12345678"
    settings.save()
    html = home_html(client)
    guides = block(html, "home-guides")
    assert "政府信息公开申请办理" in guides
    exchange = block(html, "home-interaction")
    for words in ("我要写信", "查询办理结果", "满意度调查", "0571-12345678"):
        assert words in exchange
    assert re.search(r"今年来信 <strong>2</strong> 件，已办结 <strong>1</strong> 件", exchange)
    links = re.findall(r'href="([^"]+)"', exchange) + re.findall(r'href="([^"]+)"', guides)
    assert len(links) >= 6
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.django_db
def test_site_entries_show_only_where_the_settings_give_them(client, site_tree):
    html = home_html(client)
    for words in ("政务新媒体", "党政机关网站标识", "网站年度报表", "我为政府网站找错"):
        assert words not in html
    settings = SiteSettings.for_site(site_tree.get_site())
    settings.new_media = "区政府办公室微信公众号：https://mp.weixin.qq.com/lj"
    settings.party_emblem_url = "https://bszs.conac.cn/sitename?sitecode=1101990001"
    settings.annual_report_url = "https://www.example.gov.cn/ndbb/"
    settings.error_report_url = "https://zfwzzc.www.gov.cn/"
    settings.save()
    html = home_html(client)
    assert 'href="https://mp.weixin.qq.com/lj"' in html and "区政府办公室微信公众号" in html
    for words in ("党政机关网站标识", "网站年度报表", "我为政府网站找错"):
        assert words in html


@pytest.mark.django_db
def test_a_new_media_line_without_an_address_is_refused_in_chinese(site_tree):
    settings = SiteSettings.for_site(site_tree.get_site())
    settings.new_media = "区政府办公室微信公众号"
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert "第 1 行“区政府办公室微信公众号”格式不对：应为“名称：网址”" in str(refused.value)


@pytest.mark.django_db
def test_without_an_open_topic_the_hot_topics_block_says_so(client, site_tree):
    # The banners of open 专栏 are govsite/topics' (tests/test_homepage_banners.py).
    html = home_html(client)
    assert "专题专栏" not in html and "暂未开设专栏。" in html


@pytest.mark.django_db
def test_pinned_articles_head_their_columns_list(client, site_tree):
    news = sub_column(NEWS)
    older(add_article(news, title="置顶的年度重点工作安排", is_pinned=True), 30)
    add_article(news, title="昨天的工作动态")
    html = client.get(news.url).content.decode()
    assert html.index("置顶的年度重点工作安排") < html.index("昨天的工作动态")
    assert html.count("置顶的年度重点工作安排") == 1
    assert '<span class="pin-mark">置顶</span>' in html


@pytest.fixture
def zonghe(make_user):
    return {
        "officer": make_user("zonghe_officer", "综合科-信息员"),
        "chief": make_user("zonghe_chief", "综合科-科长"),
        "director": make_user("director_z", "主管主任", supervises=["综合科"]),
    }


def act(state, user):
    state.refresh_from_db()
    task = state.current_task_state.task.specific
    task.on_action(state.current_task_state, user, "approve")
    state.refresh_from_db()


@pytest.mark.django_db
def test_an_officers_headline_flag_is_live_only_after_both_approvals(client, site_tree, zonghe):
    news = sub_column(NEWS)
    older(add_article(news, title="原来的头条", is_headline=True), 3)
    article = older(add_article(news, title="区政府办公室开展政务公开培训"), 1)
    article = ArticlePage.objects.get(pk=article.pk)
    article.is_headline = True
    article.save_revision(user=zonghe["officer"])
    state = article.get_workflow().start(article, zonghe["officer"])
    assert "原来的头条" in block(home_html(client), "home-headline")
    assert not ArticlePage.objects.get(pk=article.pk).is_headline
    act(state, zonghe["chief"])
    assert "原来的头条" in block(home_html(client), "home-headline")
    act(state, zonghe["director"])
    assert state.status == WorkflowState.STATUS_APPROVED
    assert ArticlePage.objects.get(pk=article.pk).is_headline
    headline = block(home_html(client), "home-headline")
    assert "区政府办公室开展政务公开培训" in headline and "原来的头条" not in headline


@pytest.mark.django_db
def test_a_title_image_that_breaks_the_image_rule_is_refused_in_chinese(
    client, site_tree, make_user
):
    wide = make_image("横幅", width=640, height=360)
    with pytest.raises(ValidationError) as refused:
        add_article(sub_column(NEWS), title="题图不合规的文章", title_image=wide)
    message = str(refused.value)
    assert "题图不符合第十七条图片规则" in message and "宽高比须为 4:3（本图为 16:9）" in message
    assert "尺寸不得超过 500×375 像素（本图为 640×360）" in message
    article = add_article(
        sub_column(NEWS), title="题图合规的文章", slug="tthg", title_image=make_image()
    )
    assert article.live  # a conforming image passes


@pytest.mark.django_db
def test_the_editor_refuses_the_image_and_keeps_what_was_typed(client, site_tree, make_user):
    officer = make_user("zonghe_editor", "综合科-信息员")
    login(client, officer)
    wide = make_image("横幅", width=640, height=360)
    response = client.post(
        f"/admin/pages/add/columns/articlepage/{sub_column(NEWS).pk}/",
        article_form("区政务服务中心新址启用", title_image=wide.pk, is_headline="on"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "题图不符合第十七条图片规则" in html
    assert "区政务服务中心新址启用" in html
    assert not ArticlePage.objects.filter(title="区政务服务中心新址启用").exists()


def count_home_queries(client):
    client.get("/")
    render_cache.changed()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        counts.append(len(captured))
    return counts


@pytest.mark.django_db
def test_the_homepage_costs_the_same_queries_however_much_it_shows(client, site_tree):
    news, notices = sub_column(NEWS), DocumentColumnPage.objects.get(slug="tzgg")
    add_article(news, title="头条一", is_headline=True, title_image=make_image("头条图"))
    add_article(news, title="图片一", title_image=make_image("图一"))
    add_article(notices, title="通知一")
    make_guide(title="指南一")
    stored_letter()
    small = count_home_queries(client)
    for n in range(6):
        add_article(news, title=f"头条{n}", is_headline=True, title_image=make_image(f"h{n}"))
        add_article(news, title=f"图片{n}", title_image=make_image(f"p{n}"))
        add_article(notices, title=f"通知{n}")
        make_guide(title=f"指南{n}", slug=f"guide-{n}")
        stored_letter()
    larger = count_home_queries(client)
    assert larger == small
    assert max(larger) <= 17


@pytest.fixture
def published(settings, tmp_path, client, site_tree, django_capture_on_commit_callbacks):
    settings.GOVSITE_PUBLISHED_ROOT = tmp_path / "published"

    def home_file():
        target = store.file_for("/")
        return target.read_text() if target.exists() else None

    client.get("/")
    assert home_file() is not None
    return home_file


@pytest.mark.django_db
def test_the_published_homepage_is_purged_and_rendered_again(
    published, client, site_tree, django_capture_on_commit_callbacks
):
    news, notices = sub_column(NEWS), DocumentColumnPage.objects.get(slug="tzgg")
    changes = [
        (lambda: add_article(news, title="新的头条", is_headline=True), "新的头条"),
        (lambda: add_article(news, title="新的图片新闻", title_image=make_image()), "新的图片新闻"),
        (lambda: add_article(notices, title="新的公示"), "新的公示"),
        (lambda: make_guide(title="新的办事指南", slug="xbszn"), "新的办事指南"),
    ]
    for change, words in changes:
        with django_capture_on_commit_callbacks(execute=True):
            change()
        assert words in published(), words
    # The site settings (the homepage's entries) purge every published page; the homepage is
    # rendered again at once.
    client.get(news.url)
    assert store.file_for(news.url).exists()
    settings = SiteSettings.for_site(site_tree.get_site())
    settings.error_report_url = "https://zfwzzc.www.gov.cn/"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    assert not store.file_for(news.url).exists()
    assert "我为政府网站找错" in published()
    # 来信统计: no page changes when a letter arrives; the hourly task renders the file again.
    stored_letter()
    assert "今年来信 <strong>1</strong> 件" not in published()
    with django_capture_on_commit_callbacks(execute=True):
        refresh_homepage_figures.call()
    assert "今年来信 <strong>1</strong> 件" in published()


@pytest.mark.django_db
def test_the_header_names_the_office_once_and_the_menu_folds_without_script(client, site_tree):
    settings = SiteSettings.for_site(site_tree.get_site())
    settings.site_name = "临江区人民政府办公室"
    settings.sponsor = "临江区人民政府办公室"
    settings.save()
    html = home_html(client)
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    assert header.count("临江区人民政府办公室") == 1
    assert 'type="checkbox" id="site-nav-toggle"' in header
    assert '<label for="site-nav-toggle"' in header and "栏目导航" in header
    assert HomePage.objects.count() == 1
