"""栏目更新情况 (R-ASSESS-1): who sees what, who may record a review, the 单项否决 banners, and
the query count at two sizes."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from govsite.assessment.models import ColumnReview, VetoLine
from govsite.columns.models import ColumnPage, SubColumnPage
from govsite.testing.helpers import assert_refused, login, screen_queries, section, sub_column

from .factories import published

pytestmark = pytest.mark.django_db

URL = "/admin/assessment/freshness/"


def rows_of(html):
    """The column titles of the listing, in order."""
    import re

    return re.findall(r'<th scope="row" class="title"><a href="[^"]*">([^<]*)</a>', html)


def test_a_sections_officer_sees_their_own_columns_by_default(client, role_users):
    login(client, role_users["督查室-信息员"])
    response = client.get(URL)
    assert response.status_code == 200
    assert rows_of(response.content.decode()) == ["工作进展 › 工程进展"]
    assert "全办单项否决指标" not in response.content.decode()
    everything = rows_of(client.get(URL + "?section=all").content.decode())
    assert len(everything) > 20


def test_a_director_sees_the_sections_they_supervise(client, role_users):
    login(client, role_users["主管主任(秘书科、文书科)"])
    html = client.get(URL).content.decode()
    owners = {"秘书科", "文书科"}
    titles = rows_of(html)
    assert "政策文件 › 政府文件" in titles and "政务专题 › 重点工程" in titles
    assert "工作进展 › 工程进展" not in titles
    assert owners


def test_zonghe_sees_the_office_and_the_lines(client, role_users):
    login(client, role_users["综合科-信息员"])
    html = client.get(URL).content.decode()
    assert "全办单项否决指标" in html
    assert "工作进展 › 工程进展" in rows_of(html)  # another section's column too
    # every column is blank in the bootstrapped tree: far beyond the blank line
    assert "已达单项否决线" in html


def test_designating_another_section_as_zonghe_moves_the_office_wide_view(client, role_users):
    """综合科 is the section marked in 科室 (第五条), not a setting of this app: mark 督查室 and
    its officer sees the whole office and the lines, 综合科's officer their own columns."""
    from govsite.sections.models import Section

    Section.objects.filter(code="zonghe").update(runs_website=False)
    Section.objects.filter(code="ducha").update(runs_website=True)
    login(client, role_users["督查室-信息员"])
    html = client.get(URL).content.decode()
    assert "全办单项否决指标" in html
    assert "政务公开 › 办公室简介" in rows_of(html)  # 综合科's column too
    login(client, role_users["综合科-信息员"])
    html = client.get(URL).content.decode()
    assert "全办单项否决指标" not in html
    assert "工作进展 › 工程进展" not in rows_of(html)


def test_the_warning_banner_before_the_limit(client, role_users):
    login(client, role_users["综合科-网站管理"])
    VetoLine.objects.update(limit=200, warn_at=100)
    assert "预警：" not in client.get(URL).content.decode()
    VetoLine.objects.filter(measure="blank").update(warn_at=3)
    html = client.get(URL).content.decode()
    assert "空白栏目已接近单项否决线" in html
    assert "已达单项否决线：</strong>首页更新" in html  # the homepage has never changed
    published(sub_column("工作动态"), timezone.now())
    html = client.get(URL).content.decode()
    assert "预警：" in html and "已达单项否决线" not in html


def test_someone_without_a_section_is_refused(client, role_users):
    login(client, role_users["审计管理员"])
    assert_refused(client.get(URL))


def test_the_filter_by_state(client, role_users):
    login(client, role_users["综合科-信息员"])
    published(sub_column("工作动态"), timezone.now())
    html = client.get(URL + "?section=all&state=ok").content.decode()
    assert rows_of(html) == ["工作进展 › 工作动态"]


@pytest.fixture
def profile(site_tree):
    """办公室简介: a fixed column of 综合科, kept by review, with content."""
    column = sub_column("办公室简介")
    from .factories import moment

    published(column, moment(2025, 1, 1))
    return column


def test_the_owner_records_a_review(client, role_users, profile):
    login(client, role_users["综合科-信息员"])
    html = client.get(URL + "?section=all").content.decode()
    assert reverse("assessment_review", args=[profile.pk]) in html
    response = client.post(reverse("assessment_review", args=[profile.pk]), follow=True)
    assert ColumnReview.objects.filter(column=profile).count() == 1
    text = response.content.decode()
    assert "已记录复核：栏目“办公室简介”内容仍准确" in text and "前更新或再次复核" in text


def test_another_sections_officer_may_not_record_a_review(client, role_users, profile):
    login(client, role_users["秘书科-信息员"])
    html = client.get(URL + "?section=all").content.decode()
    assert reverse("assessment_review", args=[profile.pk]) not in html
    response = client.post(reverse("assessment_review", args=[profile.pk]), follow=True)
    assert "只有该栏目负责科室的信息员和科长可以确认复核" in response.content.decode()
    assert not ColumnReview.objects.exists()


def test_a_director_may_not_record_a_review(client, role_users, profile):
    login(client, role_users["主管主任(综合科、督查室、信息中心)"])
    client.post(reverse("assessment_review", args=[profile.pk]))
    assert not ColumnReview.objects.exists()


def test_a_dynamic_column_is_not_reviewed(client, role_users):
    login(client, role_users["督查室-科长"])
    column = sub_column("工程进展")
    response = client.post(reverse("assessment_review", args=[column.pk]), follow=True)
    assert "不能以复核代替更新" in response.content.decode()
    assert not ColumnReview.objects.exists()


def test_the_rules_are_kept_by_site_managers_only(client, role_users):
    login(client, role_users["综合科-网站管理"])
    assert client.get(reverse("assessment_rules:index")).status_code == 200
    assert client.get(reverse("assessment_veto_lines:index")).status_code == 200
    assert client.get(reverse("assessment_column_rules:index")).status_code == 200
    response = client.post(
        reverse("assessment_veto_lines:edit", args=[VetoLine.objects.get(measure="blank").pk]),
        {"measure": "blank", "limit": 5, "warn_at": 5},
    )
    assert "预警线须小于否决线" in response.content.decode()
    client.logout()
    login(client, role_users["督查室-信息员"])
    assert_refused(client.get(reverse("assessment_rules:index")))


def _fill(start, count, per_column):
    parent = ColumnPage.objects.get(slug="gzjz")
    ducha = section("督查室")
    from .factories import moment

    for number in range(start, start + count):
        column = parent.add_child(
            instance=SubColumnPage(
                title=f"测试栏目{number}", slug=f"t{number}", owner_section=ducha
            )
        )
        for item in range(per_column):
            published(column, moment(2026, 1, 1 + item))
    return Page.objects.count()


def test_query_count_does_not_grow_with_columns(client, role_users):
    login(client, role_users["综合科-信息员"])
    _fill(0, 10, 3)
    small, html = screen_queries(client, URL)
    assert "测试栏目9" in html
    _fill(10, 50, 3)  # 60 columns
    large, html = screen_queries(client, URL)
    assert "测试栏目59" in html
    assert small == large
