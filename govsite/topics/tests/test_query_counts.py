"""SPEC §12: the 专栏 screens cost the same queries however many rows they show — the admin
lists (待我审核, 我的申请, 全部申请), the dashboard panel, 热点专题's 正在进行 / 往期专题, and a
专栏's 板块 with their latest items."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govsite.images.tests.factories import make_image
from govsite.sections.models import Section
from govsite.testing.helpers import add_article, screen_queries

from .. import actions
from ..models import Status, TopicApplication, TopicBoard, TopicPage, topic_column
from .factories import days


def applications(people, number, start=0):
    banner = make_image("横幅")
    section = Section.objects.get(name="秘书科")
    return TopicApplication.objects.bulk_create(
        TopicApplication(
            section=section, title=f"专栏{n}", purpose="目的", starts_on=days(0),
            ends_on=days(100), banner=banner, boards="工作动态", slug=f"zl{n}",
            requested_by=people["officer"], status=Status.AWAITING_CHIEF,
        )
        for n in range(start, start + number)
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["chief", "officer", "site_manager"])
def test_index_queries_do_not_grow(client, people, role):
    applications(people, 2)
    client.force_login(people[role])
    url = reverse("govsite_topics:index")
    few, html = screen_queries(client, url)
    assert "专栏1" in html
    applications(people, 20, start=2)
    many, html = screen_queries(client, url)
    assert "专栏21" in html
    assert many == few


@pytest.mark.django_db
def test_dashboard_panel_queries_do_not_grow(client, people):
    # Beyond the panel's rows it counts the rest once: compare two full panels.
    applications(people, 12)
    client.force_login(people["chief"])
    few, html = screen_queries(client, reverse("wagtailadmin_home"))
    assert "待我审核的专栏申请" in html
    applications(people, 30, start=12)
    many, html = screen_queries(client, reverse("wagtailadmin_home"))
    assert many == few


def topics(number, start=0, archived=False):
    column = topic_column()
    section = Section.objects.get(name="秘书科")
    made = []
    for n in range(start, start + number):
        page = TopicPage(
            title=f"专题{n}", slug=f"zt{n}", owner_section=section, starts_on=days(-200),
            ends_on=days(-1 if archived else 100), banner=make_image(f"横幅{n}"),
        )  # fmt: skip
        page.boards = [TopicBoard(name="工作动态"), TopicBoard(name="政策解读")]
        column.add_child(instance=page)
        page.save_revision().publish()
        if archived:
            actions.archive_topic(page)
        made.append(page)
    return made


def public_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response.content.decode()


@pytest.mark.django_db
def test_heading_page_queries_do_not_grow(client, site_tree):
    topics(1)
    topics(1, start=1, archived=True)
    url = topic_column().url
    few, html = public_queries(client, url)
    assert "专题0" in html and "专题1" in html
    topics(4, start=2)
    topics(4, start=6, archived=True)
    many, html = public_queries(client, url)
    assert "专题9" in html
    assert many == few


@pytest.mark.django_db
def test_topic_page_queries_do_not_grow_with_boards_items(client, site_tree):
    (topic,) = topics(1)
    boards = topic.board_list()
    add_article(topic, title="动态一", board=boards[0])
    few, html = public_queries(client, topic.url)
    assert "动态一" in html
    for n in range(12):
        add_article(topic, title=f"解读{n}", board=boards[n % 2])
    many, html = public_queries(client, topic.url)
    assert "解读11" in html
    assert many == few
    # Each 板块 shows its newest few only.
    section = html.split('id="topic-all"')[0]
    assert len(re.findall(r"解读\d+", section)) == 2 * 5
