"""Issue 13 item 3: a public page costs the same few queries whatever the size of the site.

Each page is rendered as the application renders it when nginx has no file (an anonymous
visitor, every middleware): first with an empty cache (the first render after a publication),
then again with the render cache filled. Both counts must stay at or under ``MAX_QUERIES``
and must not change when the column holds ten times as many articles and the site has more
columns.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from govsite.demo import generator
from govsite.sections.models import Section
from govsite.testing.helpers import sub_column

from .. import render_cache
from ..models import ArticlePage, ColumnPage, HomePage, SubColumnPage

MAX_QUERIES = 10
# The homepage (issue 17) reads more blocks — 头条, 图片新闻, 通知公告, 办事指南, 来信统计 — each in
# one or two queries of its own; it is rendered once after a publication, then served as a file.
# A sub-column's list reads its 置顶 articles first (one query).
MAX_QUERIES_OF = {"home": 14, "list": 11}
LIST_COLUMN = "工作动态"


def add_articles(monkeypatch, column, in_column, elsewhere):
    """Generated articles, written in bulk: ``in_column`` in ``column``, ``elsewhere`` spread
    over the other dynamic sub-columns."""
    seed = ArticlePage.objects.count()
    everywhere = generator.dynamic_sub_columns()
    with monkeypatch.context() as patch:
        patch.setattr(generator, "dynamic_sub_columns", lambda: [column])
        generator.generate_articles(in_column, index=False, seed=seed)
    with monkeypatch.context() as patch:
        others = [c for c in everywhere if c.pk != column.pk]
        patch.setattr(generator, "dynamic_sub_columns", lambda: others)
        generator.generate_articles(elsewhere, index=False, seed=seed + 1)


def add_columns(home, number):
    """``number`` more columns in the navigation, each with two sub-columns."""
    owner = Section.objects.first()
    for n in range(number):
        title = f"新增栏目{n}"
        column = home.add_child(
            instance=ColumnPage(title=title, slug=f"extra-{n}", show_in_menus=True)
        )
        for m in range(2):
            column.add_child(
                instance=SubColumnPage(
                    title=f"{title}子栏目{m}", slug=slugify(f"sub-{m}"), owner_section=owner
                )
            )


def page_paths():
    column = sub_column(LIST_COLUMN)
    article = (
        ArticlePage.objects.live().child_of(column).order_by("-first_published_at", "-pk").first()
    )
    return {
        "home": "/",
        "column": column.get_parent().url,
        "list": column.url,
        "article": article.url,
    }


def queries(client, path):
    """(queries of the first render after a publication, of the next render), in a process
    that has served pages before (its content types known, as in a running server)."""
    client.get(path)
    render_cache.changed()  # what a publication does: the render cache's version moves on
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        counts.append(len(captured))
    return tuple(counts)


@pytest.mark.django_db
def test_public_pages_cost_the_same_queries_in_a_small_and_a_larger_site(
    client, site_tree, monkeypatch
):
    column = sub_column(LIST_COLUMN)
    add_articles(monkeypatch, column, in_column=20, elsewhere=20)
    small = {label: queries(client, path) for label, path in page_paths().items()}

    add_articles(monkeypatch, column, in_column=180, elsewhere=380)
    add_columns(HomePage.objects.get(), 3)
    larger = {label: queries(client, path) for label, path in page_paths().items()}

    assert ArticlePage.objects.child_of(column).count() == 200
    assert ArticlePage.objects.count() >= 600
    assert larger == small
    for label, (cold, warm) in larger.items():
        limit = MAX_QUERIES_OF.get(label, MAX_QUERIES)
        assert cold <= limit, f"{label}: {cold} queries with an empty cache"
        assert warm <= limit, f"{label}: {warm} queries with the render cache filled"
        assert warm <= cold, label
