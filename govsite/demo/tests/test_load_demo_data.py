"""The demo data: accounts for every role and content in every column (``load_demo_data``)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision, Site

from govsite.assessment.models import ColumnReview
from govsite.columns.models import (
    ArticlePage,
    ColumnPage,
    HomePage,
    ProfilePage,
    SiteSettings,
    SubColumnPage,
)
from govsite.demo.loader import demo_usernames, load_demo_data, load_demo_spec
from govsite.mailbox.models import Letter, LetterEvent
from govsite.notices.models import Notice
from govsite.reporting.models import Item, ItemStep, OutletAdoption
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.surveys.models import Answer, Response, Survey

DEMO_PASSWORD = "GovSite-Demo-2026"


@pytest.fixture
def demo(loaded_once, site_tree):
    assert "新建 100 条" in loaded_once
    return loaded_once


def content_items():
    return [*ArticlePage.objects.all(), *ProfilePage.objects.all()]


def counts():
    User = get_user_model()
    return {
        "users": User.objects.count(),
        "memberships": User.groups.through.objects.count(),
        "directors": Section.directors.through.objects.count(),
        "pages": Page.objects.count(),
        "articles": ArticlePage.objects.count(),
        "profiles": ProfilePage.objects.count(),
        "revisions": Revision.objects.count(),
        "log entries": PageLogEntry.objects.count(),
        "groups": Group.objects.count(),
        "sections": Section.objects.count(),
        "letters": Letter.objects.count(),
        "letter events": LetterEvent.objects.count(),
        "notices": Notice.objects.count(),
        "surveys": Survey.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "items": Item.objects.count(),
        "item steps": ItemStep.objects.count(),
        "outlet adoptions": OutletAdoption.objects.count(),
        "column reviews": ColumnReview.objects.count(),
    }


@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    """Read-only checks on one load of the demo data."""

    def test_every_sub_column_has_live_content_and_topics_start_empty(self):
        sub_columns = SubColumnPage.objects.all()
        assert sub_columns.count() == 29
        for sub_column in sub_columns:
            assert Page.objects.child_of(sub_column).live().exists(), sub_column.title
        topics = ColumnPage.objects.get(title="热点专题")
        assert not topics.get_children().exists()

    def test_fixed_columns_hold_profiles_and_dynamic_columns_articles(self):
        for sub_column in SubColumnPage.objects.all():
            children = Page.objects.child_of(sub_column).specific()
            expected = ProfilePage if sub_column.content_kind == "fixed" else ArticlePage
            assert all(isinstance(child, expected) for child in children), sub_column.title
        leaders = ProfilePage.objects.child_of(SubColumnPage.objects.get(title="领导简介"))
        assert leaders.count() == 4
        assert (
            ArticlePage.objects.child_of(SubColumnPage.objects.get(title="工作动态")).count() >= 10
        )

    def test_every_demo_user_signs_in_with_the_documented_password(self):
        usernames = demo_usernames()
        assert len(usernames) == 17
        for username in usernames:
            assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
        User = get_user_model()
        admin = User.objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        others = User.objects.filter(username__in=usernames).exclude(username="admin")
        assert not others.filter(is_staff=True).exists()
        assert not others.filter(is_superuser=True).exists()
        assert all(user.last_name or user.first_name for user in others)
        assert all(user.email.endswith("@example.cn") for user in others)

    def test_each_role_has_its_account(self):
        User = get_user_model()

        def members(group_name):
            return set(
                User.objects.filter(groups__name=group_name).values_list("username", flat=True)
            )

        for section in Section.objects.all():
            assert f"{section.code}_xxy" in members(section.officer_group_name)
            assert members(section.chief_group_name) == {f"{section.code}_kz"}
        assert members("综合科-信息员") == {"zonghe_xxy"}
        assert members(roles.SITE_MANAGERS) == {"wangzhan"}
        assert members(roles.DIRECTORS) == {"zhuren_wang", "zhuren_li"}
        assert members(roles.SYSTEM_ADMINS) == {"xitong"}
        assert members(roles.SECURITY_ADMINS) == {"anquan"}
        assert members(roles.AUDIT_ADMINS) == {"shenji"}

    def test_directors_supervise_the_right_sections(self):
        User = get_user_model()
        supervised = {
            username: set(
                Section.objects.supervised_by(User.objects.get(username=username)).values_list(
                    "name", flat=True
                )
            )
            for username in ("zhuren_wang", "zhuren_li")
        }
        assert supervised == {
            "zhuren_wang": {"秘书科", "文书科"},
            "zhuren_li": {"综合科", "督查室", "信息中心"},
        }

    def test_items_come_from_the_owning_section_and_are_dated_in_the_past(self):
        now = timezone.now()
        times = []
        # 工作动态 also holds the items 综合科 adopted from the sections' 信息报送: those come
        # from the reporting section (test_demo_reporting).
        adopted = set(Item.objects.values_list("adopted_page", flat=True))
        for item in content_items():
            column = item.get_parent().specific
            assert item.live
            if item.pk not in adopted:
                assert item.source_section_id == column.owner_section_id, item.title
            assert item.owner.username == f"{column.owner_section.code}_xxy", item.title
            assert item.first_published_at < now
            assert item.last_published_at == item.first_published_at
            assert item.live_revision.user_id == item.owner_id
            assert item.live_revision.created_at == item.first_published_at
            times.append(item.first_published_at)
        assert now - max(times) < timedelta(days=7)
        # 荣誉陈列室 dates from before the year (its yearly review is overdue: 第十五条).
        assert timedelta(days=240) < now - min(times) < timedelta(days=400)

    def test_the_publication_is_recorded_as_the_directors(self):
        """The author writes, the director in charge publishes (第十四条); both are in the log."""
        item = ArticlePage.objects.get(slug="linzhengfa-03")
        entries = PageLogEntry.objects.filter(page=item)
        assert entries.get(action="wagtail.create").user.username == "wenshu_xxy"
        assert entries.get(action="wagtail.publish").user.username == "zhuren_wang"

    def test_site_identity_is_filled_in(self):
        site = Site.objects.get(is_default_site=True)
        settings = SiteSettings.for_site(site)
        spec = load_demo_spec()["site"]
        assert settings.site_name == settings.sponsor == "临江区人民政府办公室"
        assert len(settings.site_code) == 10 and settings.site_code.isdigit()
        assert settings.icp_record == spec["icp_record"]
        assert settings.police_record == spec["police_record"]
        assert HomePage.objects.get().title == "临江区人民政府办公室"
        assert site.site_name == "临江区人民政府办公室"

    def test_running_twice_changes_nothing(self):
        before = counts()
        report = load_demo_data()
        assert counts() == before
        assert report.users_created == [] and report.pages_created == []
        assert len(report.pages_skipped) == 100
        assert report.settings_updated == []
        assert report.letters.created == 0 and report.letters.existing == before["letters"]
        assert report.surveys.created == [] and len(report.surveys.skipped) == 2
        assert report.reporting.created == 0 and report.reporting.existing == before["items"]

    def test_if_empty_does_nothing_on_a_loaded_database(self):
        before = counts()
        out = StringIO()
        call_command("load_demo_data", "--if-empty", stdout=out)
        assert "未载入演示数据" in out.getvalue()
        assert counts() == before

    def test_public_pages_show_the_content(self, client):
        home = client.get("/")
        assert home.status_code == 200
        page = home.content.decode()
        assert "区政府办公室召开政府网站年度考核工作部署会" in page
        assert "临ICP备20260001号-1" in page
        assert '<meta name="SiteName" content="临江区人民政府办公室">' in page

        document = client.get("/zcwj/zfwj/linzhengfa-03/").content.decode()
        year = ArticlePage.objects.get(slug="linzhengfa-03").first_published_at.year
        assert f"临政发〔{year}〕3号" in document
        assert "来源：文书科" in document

        phones = client.get("/zxjl/jddh/").content.decode()
        assert "<table" in phones and "0999-86012099" in phones

        leaders = client.get("/zwgk/ldjj/").content.decode()
        assert "王立新" in leaders and "李红梅" in leaders


def test_if_empty_does_nothing_when_a_demo_account_exists(site_tree):
    get_user_model().objects.create_user(username="zhuren_li", password="Another-Passw0rd!")
    report = load_demo_data(if_empty=True)
    assert report.skipped and "zhuren_li" in report.skipped_reason
    assert get_user_model().objects.count() == 1
    assert not ArticlePage.objects.exists()


def test_an_existing_account_is_left_alone(site_tree):
    """Without --if-empty, missing users are created and an existing one keeps its password."""
    get_user_model().objects.create_user(username="mishu_kz", password="Own-Passw0rd-2026")
    report = load_demo_data()
    assert report.users_skipped == ["mishu_kz"]
    assert authenticate(username="mishu_kz", password="Own-Passw0rd-2026") is not None
    assert authenticate(username="mishu_xxy", password=DEMO_PASSWORD) is not None
