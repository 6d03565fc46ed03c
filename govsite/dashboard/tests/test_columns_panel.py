"""本科室待更新栏目 on the dashboard (第十五条; R-ASSESS-1): a section's staff see their columns
waiting for an update, the most urgent first; a director the sections they supervise; 综合科 one
line of the office against the 单项否决 lines; in a fixed number of queries."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from govsite.assessment.tests.factories import published
from govsite.columns.models import ColumnPage, SubColumnPage
from govsite.testing.helpers import login, screen_queries, section, sub_column

pytestmark = pytest.mark.django_db

PANEL = "dashboard-columns-section"


def panel(html):
    match = re.search(rf'<section[^>]*id="{PANEL}"(.*?)</section>', html, re.S)
    return match and match.group(1)


def dashboard(client, user):
    client.logout()
    login(client, user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_sections_columns_most_urgent_first(client, role_users):
    now = timezone.now()
    published(sub_column("政府文件"), now - timezone.timedelta(days=180))  # due in 3 days
    published(sub_column("政府办文件"), now - timezone.timedelta(days=200))  # 17 days overdue
    text = panel(dashboard(client, role_users["文书科-信息员"]))
    assert "本科室待更新栏目" in text
    assert "已超期</strong> 17 天" in text
    assert text.index("政府办文件") < text.index("政策文件 › 政府文件")  # overdue first
    assert text.index("已超期") < text.index("即将到期")
    assert "工程进展" not in text  # 督查室's
    for column in SubColumnPage.objects.filter(owner_section=section("文书科")):
        published(column, now)  # 政府文件, 政府办文件 and 政策解读
    text = panel(dashboard(client, role_users["文书科-科长"]))
    assert "本科室的栏目都按时更新了。" in text


def test_a_directors_panel_is_about_the_sections_they_supervise(client, role_users):
    text = panel(dashboard(client, role_users["主管主任(秘书科、文书科)"]))
    assert "分管科室待更新栏目" in text
    assert "政府文件" in text and "工程进展" not in text
    now = timezone.now()
    for column in SubColumnPage.objects.filter(
        owner_section__in=[section("秘书科"), section("文书科")]
    ):
        published(column, now)
    text = panel(dashboard(client, role_users["主管主任(秘书科、文书科)"]))
    assert "分管科室的栏目都按时更新了。" in text and "本科室" not in text


def test_zonghe_sees_the_office_line(client, role_users):
    text = panel(dashboard(client, role_users["综合科-科长"]))
    assert "已达单项否决线" in text and "空白栏目" in text
    site_manager = panel(dashboard(client, role_users["综合科-网站管理"]))
    assert "空白栏目" in site_manager and "本科室的栏目都按时更新了" not in site_manager


def test_no_panel_for_those_without_columns(client, role_users):
    assert panel(dashboard(client, role_users["审计管理员"])) is None


def _fill(start, count):
    parent = ColumnPage.objects.get(slug="gzjz")
    ducha = section("督查室")
    old = timezone.now() - timezone.timedelta(days=30)
    for number in range(start, start + count):
        column = parent.add_child(
            instance=SubColumnPage(
                title=f"测试栏目{number}", slug=f"t{number}", owner_section=ducha
            )
        )
        for _ in range(3):
            published(column, old)


def test_query_count_does_not_grow_with_columns(client, role_users):
    login(client, role_users["督查室-信息员"])
    _fill(0, 10)
    small, html = screen_queries(client, reverse("wagtailadmin_home"))
    assert "共 11 个栏目待更新" in panel(html)
    _fill(10, 50)
    large, html = screen_queries(client, reverse("wagtailadmin_home"))
    assert "共 61 个栏目待更新" in panel(html)
    assert small == large
