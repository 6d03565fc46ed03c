"""Refusals speak Chinese and say what to do next: Django's own 400 and 403 pages are English
one-liners, and its CSRF page is written for developers (govsite/templates/400.html, 403.html,
403_csrf.html; the 404 and 500 pages are tested with the public site)."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.views.defaults import permission_denied


@pytest.mark.django_db
def test_a_request_over_the_limits_gets_a_chinese_400_page(client, site_tree):
    too_many = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.get(f"{reverse('site_search')}?q=办公室&{too_many}")
    assert response.status_code == 400
    text = response.text
    assert "请求无法处理" in text and "重新提交" in text
    assert "Bad Request" not in text


@pytest.mark.django_db
def test_a_refusal_outside_the_admin_gets_a_chinese_403_page_that_says_whom_to_ask(rf):
    """The admin answers its own refusals (a message on the dashboard); anything else that
    raises PermissionDenied gets Django's handler403, which renders 403.html."""
    response = permission_denied(rf.get("/"), PermissionDenied())
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权访问" in text and "联系网站管理员" in text
    assert 'href="/admin/"' in text
    assert "Forbidden" not in text


@pytest.mark.django_db
def test_a_form_posted_without_its_token_explains_how_to_resubmit(site_tree):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(reverse("site_search"), {"q": "办公室"})
    assert response.status_code == 403
    text = response.text
    assert "页面已过期，请重新提交" in text and "后退" in text and "Cookie" in text
    assert "CSRF" not in text
