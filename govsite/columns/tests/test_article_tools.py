"""Article tools (issue 17 item 2; SPEC §11 R-SITE-1; rule in ``neighbours``): 字号, 打印, 关闭,
上一篇/下一篇 and 相关信息 on every article, the same bytes for every visitor, and the published
copies of the neighbours purged when the links they show change."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from govsite.disclosure.models import DocumentPage
from govsite.publishing import store
from govsite.testing.helpers import add_article, sub_column

from ..models import ArticlePage
from ..neighbours import RELATED_ITEMS

SITE_CSS = Path(django_settings.BASE_DIR, "govsite/static/css/site.css")
# The tools' own sheet, linked by the article pages only (issue 17 item 6).
TOOLS_CSS = Path(django_settings.BASE_DIR, "govsite/columns/static/columns/article-tools.css")


def column_of(count, title="领导重要讲话", prefix="讲话"):
    """``count`` live articles in a column, one a day, oldest first."""
    column = sub_column(title)
    start = timezone.now() - timedelta(days=count + 1)
    return column, [
        column.add_child(
            instance=ArticlePage(
                title=f"{prefix}{n}",
                slug=f"{column.slug}-{n}",
                live=True,
                first_published_at=start + timedelta(days=n),
            )
        )
        for n in range(count)
    ]


def links(html):
    link = r'(?:<a href="([^"]+)" rel="{}">([^<]+)</a>|<span>没有了)'
    previous = re.search("上一篇：" + link.format("prev"), html)
    following = re.search("下一篇：" + link.format("next"), html)
    related = re.search(r'id="related-heading">相关信息</h2>(.*?)</section>', html, re.S)
    titles = re.findall(r'<a href="[^"]+">([^<]+)</a>', related[1]) if related else []
    return previous[2], following[2], titles


@pytest.mark.django_db
def test_previous_next_and_related_follow_the_columns_list(client, site_tree):
    column, articles = column_of(10)
    # The list shows 讲话9 … 讲话0; 讲话5 sits between 讲话6 (上一篇) and 讲话4 (下一篇).
    previous, following, related = links(client.get(articles[5].url).content.decode())
    assert (previous, following) == ("讲话6", "讲话4")
    assert related == ["讲话3", "讲话2", "讲话1", "讲话0"]
    newest = links(client.get(articles[9].url).content.decode())
    assert newest[:2] == (None, "讲话8")
    assert len(newest[2]) == RELATED_ITEMS
    oldest = links(client.get(articles[0].url).content.decode())
    assert oldest == ("讲话1", None, [])
    # Another column's articles and unpublished ones are never neighbours.
    add_article(sub_column("政府工作报告"), title="别的栏目")
    articles[4].unpublish()
    assert links(client.get(articles[5].url).content.decode())[:2] == ("讲话6", "讲话3")


@pytest.mark.django_db
def test_documents_with_keywords_relate_to_earlier_documents_sharing_one(client, site_tree):
    policies = sub_column("政府文件")
    first = add_article(policies, title="关于营商环境的意见", slug="a", keywords="营商环境 改革")
    add_article(policies, title="关于农业的通知", slug="b", keywords="农业")
    elsewhere = add_article(sub_column("政策法规"), title="优化营商环境条例", slug="c",
                            keywords="营商环境，条例")  # fmt: skip
    latest = add_article(policies, title="营商环境三年行动", slug="d", keywords="营商环境")
    assert isinstance(latest, DocumentPage)
    _, following, related = links(client.get(latest.url).content.decode())
    assert following == "关于农业的通知"  # 下一篇 stays in the column
    assert related == [elsewhere.title, first.title]


@pytest.mark.django_db
def test_the_tools_work_without_javascript_and_carry_no_inline_script_or_style(client, site_tree):
    column, articles = column_of(2)
    html = client.get(articles[1].url).content.decode()
    # 字号 without JavaScript: links to targets that the tools' sheet reads (:target).
    for size in ("large", "medium", "small"):
        assert f'href="#font-{size}"' in html and f'id="font-{size}"' in html
    assert '<link rel="stylesheet" href="/static/columns/article-tools.css">' in html
    assert "#font-large:target" in TOOLS_CSS.read_text()
    # 打印 needs the script, which shows it; 关闭 is a link back to the column.
    assert '<button type="button" class="tool-print" data-article-tool="print" hidden>' in html
    assert f'<a class="tool-close" href="{column.url}" data-article-tool="close">关闭</a>' in html
    assert '<script src="/static/js/article-tools.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html and " onclick=" not in html
    # The same bytes for any visitor: nothing of the visitor's choice is in the page.
    client.cookies["govsite-font-size"] = "large"
    assert client.get(articles[1].url).content.decode() == html


@pytest.mark.django_db
def test_the_print_stylesheet_hides_navigation_and_prints_the_address(client, site_tree):
    column, articles = column_of(1)
    html = client.get(articles[0].url).content.decode()
    assert f'data-url="http://localhost{articles[0].url}"' in html
    # What no printed page shows is in site.css; the tools and the address, in the tools' sheet.
    for sheet, hidden_there in (
        (SITE_CSS, (".site-header", ".site-nav", ".site-footer", ".breadcrumb")),
        (TOOLS_CSS, (".article-tools", ".article-nav", ".related")),
    ):
        css = sheet.read_text()
        printed = css[css.index("@media print") :]
        for hidden in hidden_there:
            assert hidden in printed.split("display: none")[0], hidden
    printed = TOOLS_CSS.read_text().split("@media print")[1]
    assert 'content: "本页网址：" attr(data-url)' in printed


# 静态发布: the neighbours' published copies ---------------------------------------------------


@pytest.fixture
def published(client, site_tree, settings, tmp_path):
    settings.GOVSITE_PUBLISHED_ROOT = tmp_path / "published"
    column, articles = column_of(12)

    for article in articles:
        assert client.get(article.url).status_code == 200
        assert is_stored(article)
    return column, articles


def is_stored(page):
    return store.file_for(page.url).exists()


@pytest.mark.django_db
def test_publishing_a_new_article_purges_only_the_article_it_follows(
    published, django_capture_on_commit_callbacks
):
    column, articles = published
    with django_capture_on_commit_callbacks(execute=True):
        add_article(column, title="最新讲话", slug="new")
    assert not is_stored(articles[11])  # its 上一篇 is now the new article
    assert all(is_stored(article) for article in articles[:11])


@pytest.mark.django_db
def test_withdrawing_an_article_purges_the_articles_that_linked_it(
    published, django_capture_on_commit_callbacks
):
    column, articles = published
    with django_capture_on_commit_callbacks(execute=True):
        articles[4].unpublish()
    # 讲话3 (its 上一篇 was 讲话4) and 讲话5 … 讲话10 (下一篇 or 相关信息 listed 讲话4).
    stale = {3, *range(5, 5 + RELATED_ITEMS + 1)}
    for n, article in enumerate(articles):
        if n != 4:
            assert is_stored(article) != (n in stale), article.title


@pytest.mark.django_db
def test_moving_and_deleting_purge_the_neighbours_in_both_columns(
    published, client, django_capture_on_commit_callbacks
):
    column, articles = published
    other, others = column_of(3, title="政府工作报告", prefix="报告")
    for page in others:
        client.get(page.url)
    moved = articles[6]
    with django_capture_on_commit_callbacks(execute=True):
        moved.move(other, pos="last-child")
    assert not is_stored(articles[5]) and not is_stored(articles[7])  # the old column
    # In the new column it is the oldest item: the reports' 下一篇 and 相关信息 now show it.
    assert not any(is_stored(report) for report in others)
    assert is_stored(articles[0]) and is_stored(articles[4])

    for article in (articles[0], articles[1], articles[3]):
        client.get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=articles[2].pk).delete()
    assert not is_stored(articles[1]) and not is_stored(articles[3])
    assert is_stored(articles[0])
