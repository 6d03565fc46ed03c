"""A director reads the columns of the sections they supervise (第七、十四条; issue 14): the 页面
menu and the explorer show those columns and their pages — titles, status, dates, 查看 and
查看草稿 — with no button that changes a page, and an address typed by hand to change one is
refused. Other sections' columns stay closed to them."""

import re

import pytest
from django.urls import reverse

from govsite.testing.helpers import add_article, assert_refused, login, sub_column

pytestmark = pytest.mark.django_db

DIRECTOR = "主管主任(综合科、督查室、信息中心)"  # director_b
# Wagtail's labels of the buttons that change a page or its place (zh_Hans).
CHANGING = ["编辑", "添加子页面", "移动", "删除", "取消发布", "复制", "发布"]
CHANGING += ["申请撤销发布", "申请删除"]


@pytest.fixture
def pages(role_users):
    officer = role_users["综合科-信息员"]
    column = sub_column("工作动态")  # 综合科's
    return {
        "column": column,
        "live": add_article(column, title="已发布的工作动态", owner=officer),
        "draft": add_article(
            column, title="未发布的工作动态", owner=officer, publish=False, slug="draft-1"
        ),
        "other_column": sub_column("领导重要讲话"),  # 秘书科's
        "other": add_article(
            sub_column("领导重要讲话"), title="秘书科的讲话", owner=role_users["秘书科-信息员"]
        ),
    }


def _buttons(html):
    """The labels of the links and buttons in the page listing."""
    main = html[html.find("<main") :]
    return {
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", label)).strip()
        for label in re.findall(r"<(?:a|button)\b[^>]*>(.*?)</(?:a|button)>", main, re.S)
    }


def test_the_pages_menu_opens_on_the_columns_the_director_reads(client, role_users, pages):
    login(client, role_users[DIRECTOR])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "explorer"' in home and "页面" in home

    start = client.get(reverse("wagtailadmin_explore_root"), follow=True)
    assert start.status_code == 200
    column = client.get(reverse("wagtailadmin_explore", args=[pages["column"].pk]))
    html = column.content.decode()
    assert "已发布的工作动态" in html and "未发布的工作动态" in html
    assert "草稿" in html  # each page's status


def test_no_button_that_changes_a_page(client, role_users, pages):
    login(client, role_users[DIRECTOR])
    html = client.get(reverse("wagtailadmin_explore", args=[pages["column"].pk])).content.decode()
    labels = _buttons(html)
    assert not set(CHANGING) & labels, set(CHANGING) & labels
    assert "查看草稿" in labels and "实时查看" in labels
    assert "历史" not in labels  # Wagtail's history would refuse them
    assert "data-bulk-action-checkbox" not in html  # no row to select for bulk actions
    for page in (pages["live"], pages["draft"]):
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) not in html


def test_changing_by_address_is_refused(client, role_users, pages):
    login(client, role_users[DIRECTOR])
    live, column = pages["live"], pages["column"]
    for url in [
        reverse("wagtailadmin_pages:edit", args=[live.pk]),
        reverse("wagtailadmin_pages:delete", args=[live.pk]),
        reverse("wagtailadmin_pages:unpublish", args=[live.pk]),
        reverse("wagtailadmin_pages:move", args=[live.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[column.pk]),
    ]:
        assert_refused(client.get(url))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[live.pk]), {"title": "改掉的标题"}
    )
    assert_refused(response)
    live.refresh_from_db()
    assert live.title == "已发布的工作动态"


def test_the_draft_of_a_column_read_can_be_previewed(client, role_users, pages):
    login(client, role_users[DIRECTOR])
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[pages["draft"].pk]))
    assert response.status_code == 200
    assert "未发布的工作动态" in response.content.decode()
    other = client.get(reverse("wagtailadmin_pages:view_draft", args=[pages["other"].pk]))
    assert other.status_code in (302, 403)


def test_other_sections_columns_stay_closed(client, role_users, pages):
    """director_b supervises 综合科、督查室、信息中心, not 秘书科."""
    login(client, role_users[DIRECTOR])
    response = client.get(reverse("wagtailadmin_explore", args=[pages["other_column"].pk]))
    assert response.status_code == 302
    followed = client.get(response["Location"]).content.decode()
    assert "秘书科的讲话" not in followed
    # The column above lists only the sub-columns the director reads.
    above = pages["other_column"].get_parent()
    html = client.get(reverse("wagtailadmin_explore", args=[above.pk])).content.decode()
    assert "领导重要讲话" not in html.split("<tbody", 1)[-1]
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "讲话"}).content.decode()
    assert "秘书科的讲话" not in search


def test_a_director_of_other_sections_reads_theirs(client, role_users, pages):
    login(client, role_users["主管主任(秘书科、文书科)"])
    html = client.get(
        reverse("wagtailadmin_explore", args=[pages["other_column"].pk])
    ).content.decode()
    assert "秘书科的讲话" in html
    assert client.get(reverse("wagtailadmin_explore", args=[pages["column"].pk])).status_code == 302


def test_an_officer_keeps_wagtails_explorer(client, role_users, pages):
    """Nothing changes for those who write: an officer still edits in their own column."""
    login(client, role_users["综合科-信息员"])
    html = client.get(reverse("wagtailadmin_explore", args=[pages["column"].pk])).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[pages["draft"].pk]) in html
