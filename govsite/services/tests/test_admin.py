"""The 办事指南 editor (R-SERVICE-1): a draft is saved with elements still empty (staff work in
steps); a malformed phone number or a promise beyond the legal time is refused in Chinese."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from govsite.services.models import ServiceGuidePage
from govsite.testing.helpers import login

from .factories import guide_column


def guide_form(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "",
            "matter_type": "public_service",
            "classification": "public",
            "basis": streamfield([]),
            "conditions": rich_text(""),
            "materials": inline_formset([]),
            "place": "",
            "hours": "",
            "steps": streamfield([]),
            "fee_kind": "free",
            "fee_standard": "",
            "legal_days": "",
            "promised_days": "",
            "consult_phone": "",
            "complaint_phone": "",
            "online_url": "",
            "body": streamfield([]),
            **extra,
        }
    )


def add_url():
    return reverse(
        "wagtailadmin_pages:add", args=("services", "serviceguidepage", guide_column().pk)
    )


@pytest.mark.django_db
def test_an_officer_saves_an_incomplete_draft(client, role_users):
    login(client, role_users["综合科-信息员"])
    data = guide_form(
        "政府信息公开申请",
        materials=inline_formset(
            [
                {
                    "name": "申请表",
                    "copies": "1",
                    "original": "original",
                    "necessity": "required",
                    "note": "",
                    "document": "",
                }
            ]
        ),
        place="区行政中心105室",
    )
    response = client.post(add_url(), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    guide = ServiceGuidePage.objects.get(title="政府信息公开申请")
    assert not guide.live
    draft = guide.get_latest_revision_as_object()
    assert draft.place == "区行政中心105室"
    assert [m.name for m in draft.materials.all()] == ["申请表"]
    assert "设定依据" in dict(draft.missing_elements())


@pytest.mark.django_db
def test_the_editor_refuses_a_malformed_phone_and_an_excessive_promise(client, role_users):
    login(client, role_users["综合科-信息员"])
    data = guide_form(
        "政府信息公开申请", consult_phone="找办公室", legal_days="15", promised_days="20"
    )
    response = client.post(add_url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "电话号码“找办公室”格式不对" in html
    assert "承诺办结时限（20个工作日）不能超过法定办结时限（15个工作日）。" in html
    assert not ServiceGuidePage.objects.exists()


@pytest.mark.django_db
def test_the_editor_refuses_a_charge_without_its_standard(client, role_users):
    login(client, role_users["综合科-信息员"])
    response = client.post(add_url(), guide_form("印章使用审批", fee_kind="charged"))
    assert response.status_code == 200
    assert "选择“收费”时须写明收费标准和依据" in response.content.decode()
