"""R-MAIL-6 (第十一条): the supervision numbers are site settings, shown on 在线交流 › 监督电话
and in every page's footer."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from govsite.sections import roles
from govsite.testing.helpers import add_article, login

from ..models import ProfilePage, SiteSettings, SupervisionPhonePage, supervision_phone_lines

PHONES = "政府办监督电话：0571-12345678\n政府网站内容纠错: 0571-12345679\n"
HOURS = "工作日 8:30—12:00，14:00—17:30"


@pytest.fixture
def phones(site_tree):
    settings = SiteSettings.for_site(site_tree.get_site())
    settings.supervision_phones = PHONES
    settings.supervision_hours = HOURS
    settings.save()
    return settings


@pytest.mark.django_db
def test_the_numbers_and_hours_show_on_the_supervision_page(client, phones):
    page = SupervisionPhonePage.objects.get()
    assert page.slug == "jddh" and page.get_parent().title == "在线交流"
    add_article(page, title="监督电话说明")
    html = client.get(page.url).content.decode()
    main = html.split('<footer class="site-footer">')[0]
    assert '<th scope="row">政府办监督电话</th><td>0571-12345678</td>' in main
    assert '<th scope="row">政府网站内容纠错</th><td>0571-12345679</td>' in main
    assert f"受理时间：{HOURS}" in main
    assert "监督电话说明" in main  # the sub-column's own content follows


@pytest.mark.django_db
def test_a_single_profile_still_shows_in_place_below_the_numbers(client, phones):
    page = SupervisionPhonePage.objects.get()
    page.add_child(instance=ProfilePage(title="监督电话", live=False)).save_revision().publish()
    html = client.get(page.url).content.decode()
    assert html.index("0571-12345678") < html.index('<article class="article-body">')


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/zwgk/", "/sitemap/"])
def test_the_numbers_show_in_every_footer(client, phones, url):
    footer = client.get(url).content.decode().split('<footer class="site-footer">')[1]
    assert (
        "监督电话：政府办监督电话 0571-12345678；政府网站内容纠错 0571-12345679"
        f"（受理时间：{HOURS}）"
    ) in footer


@pytest.mark.django_db
def test_without_numbers_nothing_is_shown(client, site_tree):
    assert "监督电话：" not in client.get("/").content.decode()
    assert "<table" not in client.get(SupervisionPhonePage.objects.get().url).content.decode()


@pytest.mark.parametrize(
    "text",
    ["政府办监督电话 0571-12345678", "政府办监督电话：请拨打总机", "：0571-12345678", "电话：123"],
)
def test_a_line_that_is_not_label_and_number_is_refused(text):
    with pytest.raises(ValidationError, match="第 2 行"):
        supervision_phone_lines(f"总值班室：0571-87654321\n{text}")


def test_numbers_may_carry_extensions_and_alternatives():
    assert supervision_phone_lines("投诉：0571-12345678转801、87654321\n\n") == [
        ("投诉", "0571-12345678转801、87654321")
    ]


@pytest.mark.django_db
def test_the_site_manager_edits_them_in_the_site_settings(client, role_users, site_tree):
    login(client, role_users[roles.SITE_MANAGERS])
    site = site_tree.get_site()
    settings = SiteSettings.for_site(site)
    url = reverse("wagtailsettings:edit", args=["columns", "sitesettings", site.pk])
    form = client.get(url).content.decode()
    assert "监督电话受理时间" in form
    data = {"site_name": settings.site_name, "sponsor": settings.sponsor,
            "supervision_phones": "监督电话 0571", "supervision_hours": HOURS}  # fmt: skip
    assert "格式不对" in client.post(url, data).content.decode()
    data["supervision_phones"] = PHONES
    assert client.post(url, data).status_code == 302
    settings.refresh_from_db()
    assert settings.supervision_phone_list()[0] == ("政府办监督电话", "0571-12345678")


@pytest.mark.django_db
def test_the_supervision_sub_column_is_still_a_sub_column(site_tree):
    page = Page.objects.get(slug="jddh")
    assert page.specific_class is SupervisionPhonePage
    assert page.specific.owner_section.name == "综合科"
