"""``manage.py publish_site``: 静态发布 of the whole site for a deploy; ``--purge`` empties."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction

from govsite.mailbox.pages import MailboxPage
from govsite.publishing import rules, store
from govsite.surveys.models import SurveyColumnPage
from govsite.testing.helpers import add_article, sub_column

from .factories import fill, stored


@pytest.mark.django_db
def test_publish_site_stores_every_published_page_and_nothing_else(site_tree):
    news = sub_column("工作动态")
    fill(news)
    draft = add_article(sub_column("政府文件"), title="草稿", publish=False, slug="draft")
    personnel = sub_column("人事任免")
    private = add_article(personnel, title="任职通知", slug="rzt")
    PageViewRestriction.objects.create(page=personnel, restriction_type="login")
    store.root().mkdir(parents=True)
    (store.root() / "left-over.html").write_text("from an earlier deploy")

    out = StringIO()
    call_command("publish_site", stdout=out)

    files = store.stored_files()
    assert f"已生成 {len(files)} 个文件" in out.getvalue()
    assert {"index.html", "sitemap.xml", "sitemap/index.html"} <= set(files)
    assert stored(news.url, 2) is not None and stored(news.get_parent().url, 2) is not None
    assert "left-over.html" not in files
    published = [
        page for page in Page.objects.live().public().specific() if rules.is_published_type(page)
    ]
    assert len(published) > 50
    for page in published:
        assert stored(page.url) is not None, page.url
    never = [MailboxPage.objects.get(), SurveyColumnPage.objects.get(), personnel, private]
    for page in never:
        assert stored(page.url) is None, page.url
    assert stored(rules.public_path(draft.url_path)) is None


@pytest.mark.django_db
def test_publish_site_purge_empties_the_tree(client, site_tree):
    call_command("publish_site", stdout=StringIO())
    assert store.stored_files()
    out = StringIO()
    call_command("publish_site", "--purge", stdout=out)
    assert store.stored_files() == []
    assert "已清空" in out.getvalue()
