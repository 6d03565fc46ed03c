"""The 信息报送 screens (第十六条): writing an item, its page and steps, 综合科's queue and data;
every action says what happened, every refusal is a sentence and loses nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from govsite.columns.models import ArticlePage
from govsite.testing.helpers import article_form, screen_queries

from ..models import Item, ItemKind, Outlet
from . import factories

pytestmark = pytest.mark.django_db
S = Item.Status


def item_form(section, title="本科室完成档案整理", body="<p>共整理档案三百卷。</p>"):
    return nested_form_data(
        {
            "section": section.pk,
            "kind": ItemKind.objects.get(name="重点工作").pk,
            "title": title,
            "body": streamfield([("paragraph", rich_text(body))] if body else []),
            "attachments": inline_formset([]),
        }
    )


def said(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def step(client, item, name, **data):
    url = reverse("reporting_items:step", args=[item.pk, name])
    return client.post(url, {f"{name}-{key}": value for key, value in data.items()})


def test_an_officer_writes_saves_and_submits(client, people, mishu):
    writer = people["mishu_officer"]
    client.force_login(writer)
    add = client.get(reverse("reporting_items:add")).content.decode()
    assert "帮助：信息报送" in add and "文书科" not in add  # only the writer's own section
    response = client.post(reverse("reporting_items:add"), item_form(mishu))
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting_items:item", args=[item.pk])
    assert item.author == writer and item.section == mishu and item.status == S.DRAFT
    assert said(response)[-1:] == ["已保存草稿“本科室完成档案整理”。请检查后提交科长审核。"]

    response = step(client, item, "submit")
    assert said(response)[-1:] == ["已提交秘书科科长审核。"]
    item.refresh_from_db()
    assert item.status == S.AWAITING_CHIEF
    # No longer editable: the editor sends the writer back with the reason.
    response = client.get(reverse("reporting_items:edit", args=[item.pk]))
    assert response.status_code == 302
    assert "当前状态为“待科长审核”" in said(response)[-1]


def test_an_officer_cannot_write_for_another_section(client, people, site_tree):
    from govsite.testing.helpers import section

    client.force_login(people["mishu_officer"])
    client.post(reverse("reporting_items:add"), item_form(section("文书科")))
    assert not Item.objects.exists()


def test_an_empty_submission_is_refused_on_the_page_and_kept(client, people, mishu):
    client.force_login(people["mishu_officer"])
    client.post(reverse("reporting_items:add"), item_form(mishu, body=""))
    item = Item.objects.get()
    response = step(client, item, "submit")
    assert response.status_code == 200
    html = response.content.decode()
    assert "信息没有正文，请填写正文后再提交。" in html
    assert Item.objects.get(pk=item.pk).status == S.DRAFT


def test_chief_returns_only_with_a_reason(client, people, mishu):
    item = factories.submitted(people, mishu)
    client.force_login(people["mishu_chief"])
    response = step(client, item, "return", reason="")
    assert "请填写退回的理由。" in response.content.decode()
    assert Item.objects.get(pk=item.pk).status == S.AWAITING_CHIEF
    response = step(client, item, "return", reason="请补充数据。")
    assert said(response)[-1:] == ["已退回撰稿人修改。"]
    assert Item.objects.get(pk=item.pk).status == S.RETURNED


def test_the_office_adopts_into_the_editor_of_the_copy(client, people, mishu):
    item = factories.sent(people, mishu)
    client.force_login(people["office"])
    queue = client.get(reverse("reporting_items:queue")).content.decode()
    assert item.title in queue
    response = step(client, item, "adopt")
    item.refresh_from_db()
    assert item.status == S.ADOPTED
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[item.adopted_page_id])
    assert "已采用，并在“工作动态”建立采用稿" in said(response)[-1]
    editor = client.get(response["Location"])
    assert editor.status_code == 200
    response = step(client, item, "adopt")
    assert "这条信息已被采用" in response.content.decode()

    city = Outlet.objects.get(name="市级刊物")
    response = step(client, item, "outlet", outlet=city.pk, adopted_on="2026-11-20", note="")
    assert said(response)[-1:] == ["已登记：被“市级刊物”采用。"]
    response = step(client, item, "outlet", outlet=city.pk, adopted_on="2026-11-21", note="")
    assert "已登记过被“市级刊物”采用" in response.content.decode()
    assert item.outlet_adoptions.count() == 1


def test_the_queue_and_the_data_are_the_offices(client, people):
    client.force_login(people["mishu_officer"])
    assert client.get(reverse("reporting_items:queue")).status_code == 404
    assert client.get(reverse("reporting_outlets:index")).status_code == 302  # refused
    client.force_login(people["office_chief"])
    assert client.get(reverse("reporting_outlets:index")).status_code == 200
    response = client.post(
        reverse("reporting_outlets:add"),
        {"name": "市委信息专报", "points": "20", "order": "9", "active": "on"},
    )
    assert response.status_code == 302
    assert Outlet.objects.get(name="市委信息专报").points == 20


def _fill(people, mishu, start, stop):
    for number in range(start, stop):
        factories.sent(people, mishu, title=f"待采用{number}")
        factories.returned(people, mishu, title=f"退回{number}")
        factories.submitted(people, mishu, title=f"待审核{number}")


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("mishu_officer", "reporting_items:index"),
        ("office", "reporting_items:index"),
        ("office", "reporting_items:queue"),
        ("director", "reporting_items:index"),
        ("mishu_chief", "wagtailadmin_home"),
        ("mishu_officer", "wagtailadmin_home"),
        ("office", "wagtailadmin_home"),
    ],
)
def test_lists_cost_the_same_with_2_or_12_rows(client, people, mishu, role, url):
    client.force_login(people[role])
    _fill(people, mishu, 0, 2)
    small, _ = screen_queries(client, reverse(url))
    _fill(people, mishu, 2, 12)
    large, html = screen_queries(client, reverse(url))
    assert large == small, f"{role} {url}: {small} queries with 2 rows a list, {large} with 12"


def test_the_dashboard_lists_what_waits(client, people, mishu):
    _fill(people, mishu, 0, 1)
    for role, heading, title in [
        ("mishu_chief", "待我审核的信息", "待审核0"),
        ("office", "待采用的信息", "待采用0"),
        ("mishu_officer", "退回给我的信息", "退回0"),
    ]:
        client.force_login(people[role])
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert heading in html and title in html, role
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "请补充具体数据。" in html  # the chief's reason beside the returned item


def test_the_credit_is_not_editable_in_the_page_editor(client, people, mishu):
    item = factories.adopted(people, mishu)
    client.force_login(people["office"])
    url = reverse("wagtailadmin_pages:edit", args=[item.adopted_page_id])
    html = client.get(url).content.decode()
    assert 'name="contributor"' not in html
    response = client.post(url, article_form("采用稿标题", contributor="伪造的供稿"))
    assert response.status_code == 302
    page = ArticlePage.objects.get(pk=item.adopted_page_id)
    latest = page.get_latest_revision_as_object()
    assert latest.title == "采用稿标题"
    assert latest.contributor == page.contributor == "秘书科 周雨桐"
    assert latest.source_section == mishu
