"""The homepage shows the open 专栏 as banners (issue 17 item 1, R-TOPIC-1): archived ones
are left out, and the homepage's queries do not grow with the 专栏."""

import pytest

from .test_query_counts import public_queries, topics


def banners(html):
    start = html.index('id="home-topics-title"')
    return html[start : html.index("</section>", start)]


@pytest.mark.django_db
def test_open_topics_are_banners_and_archived_ones_are_not(client, site_tree):
    topics(1)
    topics(1, start=1, archived=True)
    few, html = public_queries(client, "/")
    shown = banners(html)
    assert "专题0" in shown and "专题1" not in shown
    assert 'class="home-topic-banner"' in shown and "<img " in shown
    assert "暂未开设专栏。" not in html
    topics(4, start=2)
    many, html = public_queries(client, "/")
    assert "专题5" in banners(html)
    assert many == few
