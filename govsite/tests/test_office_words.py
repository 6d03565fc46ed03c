"""The back office speaks the office's language (issue 14): GovSite's own login page and emblem,
no Wagtail branding where staff look, and a 预览（未发布） banner on every preview that never
reaches a published copy."""

import re

import pytest
from django.test import Client
from wagtail.images.tests.utils import get_test_image_file

from govsite.columns.models import SiteSettings
from govsite.images.models import GovImage
from govsite.testing.helpers import add_article, login, sub_column

pytestmark = pytest.mark.django_db


def visible_text(html):
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_login_page_is_the_offices_own(site_tree):
    settings = SiteSettings.for_site(site_tree.get_site())
    html = Client().get("/admin/login/").content.decode()
    assert f"<title>登录 - {settings.site_name}管理系统</title>" in html
    assert f"登录{settings.site_name}管理系统" in html
    assert 'src="/static/govsite/emblem.svg"' in html
    assert '<link rel="icon" href="/static/govsite/emblem.svg">' in html
    assert "wagtailadmin/images/favicon.ico" not in html
    assert "icon-wagtail" not in html
    assert "wagtail" not in visible_text(html).lower()


def test_the_admin_names_the_office_in_the_tab_and_the_sidebar(client, role_users, site_tree):
    settings = SiteSettings.for_site(site_tree.get_site())
    login(client, role_users["文书科-信息员"])
    html = client.get("/admin/pages/", follow=True).content.decode()
    assert re.search(rf"<title>[^<]* - {settings.site_name}管理系统</title>", html)
    sidebar_logo = re.search(
        r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S
    )
    assert "govsite/emblem.svg" in sidebar_logo.group(1)
    assert "Wagtail" not in re.search(r"<title>(.*?)</title>", html).group(1)


def test_a_chosen_emblem_replaces_the_default(client, role_users, site_tree):
    image = GovImage.objects.create(title="区政府徽标", file=get_test_image_file())
    settings = SiteSettings.for_site(site_tree.get_site())
    settings.emblem = image
    settings.save()
    html = Client().get("/admin/login/").content.decode()
    assert "govsite/emblem.svg" not in html
    assert image.get_rendition("max-240x240").url in html


def test_a_preview_says_it_is_not_published_and_the_public_page_does_not(role_users):
    article = add_article(sub_column("领导重要讲话"), title="区政府办公室召开专题会议")
    preview = article.make_preview_request().content.decode()
    assert "预览（未发布）" in preview
    public = Client().get(article.url).content.decode()
    assert "区政府办公室召开专题会议" in public
    assert "预览（未发布）" not in public
