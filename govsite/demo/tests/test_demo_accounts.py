"""Loading the demo where accounts exist already, and loading its accounts alone."""

from io import StringIO

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from wagtail.models import Site

from govsite.columns.models import ArticlePage, SiteSettings
from govsite.demo.loader import demo_usernames, load_demo_data
from govsite.mailbox.models import Letter
from govsite.reporting.models import Item

DEMO_PASSWORD = "GovSite-Demo-2026"


def test_if_empty_does_nothing_when_a_demo_account_exists(site_tree):
    get_user_model().objects.create_user(username="zhuren_li", password="Another-Passw0rd!")
    report = load_demo_data(if_empty=True)
    assert report.skipped and "zhuren_li" in report.skipped_reason
    assert get_user_model().objects.count() == 1
    assert not ArticlePage.objects.exists()


def test_an_existing_account_is_left_alone(site_tree):
    """Without --if-empty, missing users are created and an existing one keeps its password."""
    get_user_model().objects.create_user(username="mishu_kz", password="Own-Passw0rd-2026")
    report = load_demo_data(accounts_only=True)
    assert report.users_skipped == ["mishu_kz"]
    assert authenticate(username="mishu_kz", password="Own-Passw0rd-2026") is not None
    assert authenticate(username="mishu_xxy", password=DEMO_PASSWORD) is not None


def test_accounts_only_makes_the_accounts_and_the_site_identity_and_no_content(site_tree):
    out = StringIO()
    call_command("load_demo_data", "--accounts-only", stdout=out)
    assert "未载入内容" in out.getvalue()
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert usernames == set(demo_usernames())
    assert authenticate(username="zonghe_xxy", password=DEMO_PASSWORD) is not None
    assert SiteSettings.for_site(Site.objects.get()).site_name == "临江区人民政府办公室"
    assert not ArticlePage.objects.exists()
    assert not Letter.objects.exists() and not Item.objects.exists()
