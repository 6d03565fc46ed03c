"""SPEC §12: the 审核记录 screens cost the same queries however many rows they show, and absurd
filters answer at once, in Chinese, never with an error."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.models import PageLogEntry, Revision, get_default_page_content_type

from govsite.sections import roles
from govsite.testing.helpers import add_article, screen_queries, sub_column
from govsite.workflow.views import OfficeRecordView

# What a screen may cost, whatever it shows: the admin's frame, the user, the form and the
# record's reads (eight, for any number of pages: ``exports.page_records``).
OFFICE_RECORD_QUERIES = 40
PAGE_RECORD_QUERIES = 45


# The articles' record is moved to a month of its own, apart from the bootstrapped tree's.
MONTH = {"start": "2025-03-01", "end": "2025-03-31"}
IN_MONTH = timezone.make_aware(datetime(2025, 3, 10, 9))


def articles(officer, number, start=0):
    column = sub_column("领导重要讲话")
    pages = []
    for n in range(start, start + number):
        page = add_article(column, title=f"会议通知第{n}号", owner=officer)
        page.save_revision(user=officer)  # a second version: more rows per page
        pages.append(page)
    ids = [page.pk for page in pages]
    Revision.objects.filter(
        base_content_type=get_default_page_content_type(), object_id__in=[str(pk) for pk in ids]
    ).update(created_at=IN_MONTH)
    PageLogEntry.objects.filter(page_id__in=ids).update(timestamp=IN_MONTH)
    return pages


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", roles.AUDIT_ADMINS)


@pytest.fixture
def officer(make_user):
    return make_user("mishu_officer", "秘书科-信息员")


@pytest.mark.django_db
def test_the_office_record_costs_the_same_for_3_and_15_pages(client, auditor, officer):
    client.force_login(auditor)
    url = reverse("govsite_workflow:office_record") + "?" + urlencode(MONTH)
    assert OfficeRecordView.pages_per_screen >= 15  # all on the screen, not on the next
    articles(officer, 3)
    few, html = screen_queries(client, url)
    assert "共 3 个页面有审核记录" in html and "会议通知第2号" in html
    articles(officer, 12, start=3)
    many, html = screen_queries(client, url)
    assert "共 15 个页面有审核记录" in html and "会议通知第14号" in html
    assert few == many <= OFFICE_RECORD_QUERIES, (few, many)


@pytest.mark.django_db
def test_the_page_record_costs_the_same_for_2_and_20_versions(client, auditor, officer):
    client.force_login(auditor)
    (page,) = articles(officer, 1)
    url = reverse("govsite_workflow:page_record", args=[page.pk])
    few, html = screen_queries(client, url)
    assert "第2版" in html
    for _ in range(18):
        page.save_revision(user=officer)
    many, html = screen_queries(client, url)
    assert "第20版" in html
    assert few == many <= PAGE_RECORD_QUERIES, (few, many)


@pytest.mark.django_db
def test_the_office_record_shows_twenty_pages_a_screen_and_the_last_for_a_page_past_it(
    client, auditor, officer
):
    client.force_login(auditor)
    articles(officer, 21)
    url = reverse("govsite_workflow:office_record")
    first = client.get(url, MONTH).content.decode()
    assert "共 21 个页面有审核记录，本页显示第 1–20 个" in first and "第 1 / 2 页" in first
    for page_number in ("2", "1000000000", "-1"):
        last = client.get(url, {**MONTH, "p": page_number}).content.decode()
        assert "第 2 / 2 页" in last and "会议通知第20号" in last, page_number
    assert "第 1 / 2 页" in client.get(url, {**MONTH, "p": "abc"}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period, message",
    [
        ({"start": "1026-01-01", "end": "2026-01-01"}, "日期须在 1990 年至 2100 年之间。"),
        ({"start": "2026-01-01", "end": "9999-12-31"}, "日期须在 1990 年至 2100 年之间。"),
        ({"start": "2026-03-01", "end": "2026-01-01"}, "截止日期不能早于起始日期。"),
        ({"start": "2026-02-30", "end": "x" * 10_000}, "输入一个有效的日期。"),
    ],
)
def test_an_absurd_period_is_refused_in_chinese(client, auditor, officer, period, message):
    articles(officer, 1)
    client.force_login(auditor)
    response = client.get(reverse("govsite_workflow:office_record"), period)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "有审核记录" not in html
    export = reverse("govsite_workflow:office_record_export", args=["csv"])
    for method in (client.get, client.post):
        response = method(export + "?" + "&".join(f"{k}={v}" for k, v in period.items()))
        assert response.status_code == 302, method
        assert response["Location"] == reverse("govsite_workflow:office_record")


@pytest.mark.django_db
def test_the_widest_period_allowed_answers(client, auditor, officer):
    articles(officer, 2)
    client.force_login(auditor)
    count, html = screen_queries(
        client,
        reverse("govsite_workflow:office_record") + "?start=1990-01-01&end=2100-12-31",
    )
    assert "会议通知第1号" in html and count <= OFFICE_RECORD_QUERIES
    assert timezone.localdate().year <= 2100
