"""SPEC §11: the public site, in Chinese, for anonymous visitors."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Site

from govsite.testing.helpers import add_article, sub_column

from ..models import LIST_PAGE_SIZE, ColumnPage, ProfilePage, SiteSettings


def meta(html, name):
    match = re.search(rf'<meta name="{name}" content="([^"]*)">', html)
    assert match, f"no <meta name={name}>"
    return match.group(1)


@pytest.fixture
def identity(site_tree):
    settings = SiteSettings.for_site(site_tree.get_site())
    settings.site_name = "临江区人民政府办公室"
    settings.sponsor = "临江区人民政府办公室"
    settings.site_code = "1101990001"
    settings.icp_record = "临ICP备20260001号-1"
    settings.police_record = "临公网安备 00000000000001号"
    settings.save()
    return settings


@pytest.mark.django_db
def test_homepage_shows_the_eight_columns_and_latest_items(client, identity):
    add_article(sub_column("领导重要讲话"), title="在全区政务公开工作会议上的讲话")
    html = client.get("/").content.decode()
    for column in ColumnPage.objects.all():
        assert column.title in html
    assert "在全区政务公开工作会议上的讲话" in html
    assert meta(html, "SiteName") == "临江区人民政府办公室"
    assert meta(html, "SiteIDCode") == "1101990001"
    assert meta(html, "ColumnName") == "首页"
    for text in ("主办单位：临江区人民政府办公室", "网站标识码：1101990001", "临ICP备20260001号-1",
                 "临公网安备 00000000000001号", "网站地图"):  # fmt: skip
        assert text in html


@pytest.mark.django_db
def test_article_page_shows_source_time_breadcrumb_and_column(client, identity):
    article = add_article(sub_column("领导重要讲话"), title="讲话全文", subtitle="（2026年11月）")
    html = client.get(article.url).content.decode()
    assert "来源：秘书科" in html
    local = timezone.localtime(article.first_published_at)
    assert f'发布时间：<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}</time>' in html
    assert "（2026年11月）" in html
    assert meta(html, "ColumnName") == "领导重要讲话"
    crumbs = re.search(r'<nav class="breadcrumb.*?</nav>', html, re.S).group(0)
    assert [t for t in re.findall(r">([^<>]+)<", crumbs) if t.strip() not in ("", "&gt;")] == [
        "当前位置：", "首页", "政务专题", "领导重要讲话", "讲话全文"
    ]  # fmt: skip


@pytest.mark.django_db
def test_empty_columns_say_so(client, identity):
    assert "本栏目暂无信息。" in client.get(sub_column("重点工程").url).content.decode()
    assert (
        "暂未开设专栏。"
        in client.get(ColumnPage.objects.get(title="热点专题").url).content.decode()
    )


@pytest.mark.django_db
def test_lists_are_paged_newest_first(client, identity):
    column = sub_column("工作动态")
    base = timezone.now() - timedelta(days=60)
    for n in range(LIST_PAGE_SIZE + 5):
        add_article(column, title=f"动态第{n:02d}号", first_published_at=base + timedelta(days=n))
    first = client.get(column.url).content.decode()
    second = client.get(column.url + "?page=2").content.decode()
    assert "动态第24号" in first and "动态第00号" not in first
    assert first.index("动态第24号") < first.index("动态第23号")
    assert "第 1 页 / 共 2 页（25 条）" in first
    assert "动态第00号" in second and "动态第24号" not in second
    # Page 1 has one address, the list's own (the one that is published as a file).
    assert f'<a href="{column.url}">首页</a>' in second
    assert f'<a href="{column.url}" rel="prev">上一页</a>' in second
    assert "?page=1" not in second
    # The top column lists its sub-columns' items too.
    assert "动态第24号" in client.get(column.get_parent().url).content.decode()


@pytest.mark.django_db
def test_fixed_column_shows_its_single_profile(client, identity):
    column = sub_column("办公室简介")
    profile = column.add_child(instance=ProfilePage(title="办公室简介", live=False))
    profile.body = [("paragraph", "<p>临江区人民政府办公室是区政府的综合办事机构。</p>")]
    profile.save_revision().publish()
    html = client.get(column.url).content.decode()
    assert "区政府的综合办事机构" in html


@pytest.mark.django_db
def test_profiles_count_as_a_columns_content(client, identity):
    """业务指南 holds only profiles; its homepage block and column page still list them."""
    column = sub_column("业务工作流程")
    column.add_child(
        instance=ProfilePage(title="公文办理工作流程", live=False)
    ).save_revision().publish()
    assert "公文办理工作流程" in client.get("/").content.decode()
    assert "公文办理工作流程" in client.get(column.get_parent().url).content.decode()


@pytest.mark.django_db
def test_drafts_are_not_public(client, identity):
    draft = add_article(sub_column("领导重要讲话"), title="未发布的稿件", publish=False)
    assert client.get(draft.url or "/zwzt/ldzyjh/" + draft.slug + "/").status_code == 404
    assert "未发布的稿件" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_site_map_and_sitemap_xml(client, identity):
    article = add_article(sub_column("政府文件"), title="关于印发某办法的通知")
    html = client.get("/sitemap/").content.decode()
    for column in ColumnPage.objects.all():
        assert column.title in html
    assert "政府办文件" in html
    assert meta(html, "ColumnName") == "网站地图"
    xml = client.get("/sitemap.xml").content.decode()
    assert article.get_full_url() in xml


@pytest.mark.django_db
def test_not_found_page_is_chinese(client, identity):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "您访问的页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_pages_use_no_external_resources(client, identity):
    article = add_article(sub_column("领导重要讲话"))
    own = Site.objects.get(is_default_site=True).root_url
    for url in ("/", article.url, "/sitemap/"):
        # Links to the site's own address (canonical, its feeds) load nothing from elsewhere.
        html = client.get(url).content.decode().replace(f'href="{own}/', 'href="/')
        assert not re.search(r'(src|href)="(https?:)?//', html), url
