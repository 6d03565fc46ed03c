"""The editor of 领导简介 and 机构职能 as 综合科's officer uses it: 添加子页面 offers only the new
page type, a leader is saved as a draft with its photo and 分管科室, a malformed number is
refused in Chinese with everything typed kept."""

import json

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from govsite.images.tests.factories import make_image
from govsite.organisation.models import FunctionsPage, LeaderPage
from govsite.sections.models import Section
from govsite.testing.helpers import login

from .factories import functions_column, leader_column

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, role_users):
    user = role_users["综合科-信息员"]
    login(client, user)
    return user


def test_add_subpage_goes_straight_to_the_leader_editor(client, officer):
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[leader_column().pk]))
    # One creatable type: Wagtail goes straight to its editor.
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=("organisation", "leaderpage", leader_column().pk)
    )
    column = functions_column()
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[column.pk]))
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=("organisation", "functionspage", column.pk)
    )


def test_an_officer_saves_a_leader_draft(client, officer):
    photo = make_image(title="陈志远", caption="陈志远同志")
    zonghe, duchashi = Section.objects.filter(name__in=["综合科", "督查室"]).order_by("pk")
    url = reverse("wagtailadmin_pages:add", args=("organisation", "leaderpage", leader_column().pk))
    editor = client.get(url).content.decode()
    assert "姓名" in editor and "分工" in editor and "分管科室" in editor and "简历" in editor
    data = nested_form_data(
        {
            "title": "陈志远",
            "slug": "",
            "post": "区政府办公室主任",
            "duties": "主持全面工作。",
            "photo": photo.pk,
            "classification": "public",
            "body": streamfield([("paragraph", rich_text("<p>1974年出生。</p>"))]),
        }
    )
    data["supervised_sections"] = [zonghe.pk, duchashi.pk]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    leader = LeaderPage.objects.get()
    assert (leader.post, leader.photo, leader.live) == ("区政府办公室主任", photo, False)
    assert leader.source_section.name == "综合科"
    draft = leader.get_latest_revision_as_object()
    assert set(draft.supervised_sections.all()) == {zonghe, duchashi}


def test_a_malformed_number_is_refused_in_chinese_and_nothing_typed_is_lost(client, officer):
    url = reverse(
        "wagtailadmin_pages:add", args=("organisation", "functionspage", functions_column().pk)
    )
    data = nested_form_data(
        {
            "title": "主要职责和内设机构",
            "slug": "",
            "classification": "public",
            "body": streamfield([("paragraph", rich_text("<p>负责区政府会议的准备工作。</p>"))]),
            "units": inline_formset(
                [{"name": "综合科", "duties": "负责综合协调。", "phone": "请打总机"}]
            ),
            "address": "临江区人民路1号",
            "postcode": "31000",
            "email": "bgs@linjiang.example.cn",
            "phone": "0999-86012000",
            "fax": "0999-86012009",
            "office_hours": "工作日",
        }
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "电话号码“请打总机”格式不对" in html
    assert "邮政编码“31000”格式不对" in html
    for typed in ("临江区人民路1号", "负责综合协调。"):
        assert typed in html, typed
    # The body comes back inside the rich-text editor's JSON (escaped twice in the page).
    escaped = json.dumps("负责区政府会议的准备工作")[1:-1].replace("\\", "\\\\")
    assert escaped in html
    assert not FunctionsPage.objects.exists()
