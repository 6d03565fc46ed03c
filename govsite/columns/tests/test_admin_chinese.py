"""The staff side speaks Chinese: branding and the strings Wagtail leaves untranslated."""

import pytest
from django.urls import reverse

from govsite.testing.helpers import PASSWORD, article_form, sub_column


@pytest.mark.django_db
def test_login_page_is_branded_in_chinese(client, site_tree):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "<title>登录 - 区政府办公室网站管理系统</title>" in html
    assert "Wagtail" not in html.split("<body")[0]


@pytest.mark.django_db
def test_editor_shows_the_project_catalogue(client, make_user):
    make_user("officer", "秘书科-信息员")
    assert client.login(username="officer", password=PASSWORD)
    url = reverse(
        "wagtailadmin_pages:add", args=["columns", "articlepage", sub_column("重点工程").pk]
    )
    response = client.post(url, article_form(""))
    html = response.content.decode()
    # Wagtail 8's own zh_Hans catalogue lacks these; govsite/locale supplies them.
    assert "由于存在验证错误，无法创建页面。" in html
    assert "The page could not be created" not in html
    assert "保存草稿" in html
