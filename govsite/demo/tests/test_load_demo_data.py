"""The demo data: accounts for every role and content in every column (``load_demo_data``), and
its 沟通信箱 and 服务满意度调查 (issue 14 item 6) — read-only checks on one load for the module."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
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
from govsite.demo.letters import Cast
from govsite.demo.loader import demo_usernames, load_demo_data, load_demo_spec
from govsite.mailbox import rules
from govsite.mailbox.models import Letter, LetterEvent, MailboxPage
from govsite.mailbox.tests.factories import route, track
from govsite.notices.models import Notice
from govsite.reporting.models import Item, ItemStep, OutletAdoption
from govsite.screening.engine import blocking, screen_page
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.services.models import ServiceGuidePage
from govsite.surveys.models import Answer, QuestionKind, Response, Survey, SurveyColumnPage
from govsite.topics.models import TopicArticlePage, TopicPage

DEMO_PASSWORD = "GovSite-Demo-2026"
Status, Action = Letter.Status, LetterEvent.Action


@pytest.fixture
def demo(loaded_once, site_tree):
    assert "新建 115 条" in loaded_once and "沟通信箱：新建来信" in loaded_once
    return loaded_once


def content_items():
    return [
        *ArticlePage.objects.all(),
        *ProfilePage.objects.all(),
        *ServiceGuidePage.objects.all(),
    ]


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

    def test_every_sub_column_has_live_content_and_topics_one_open_one_archived(self):
        sub_columns = SubColumnPage.objects.all()
        assert sub_columns.count() == 31 + 2  # the tree's, and two 专栏 (govsite/topics)
        for sub_column in sub_columns:
            assert Page.objects.child_of(sub_column).live().exists(), sub_column.title
        # 专栏 (govsite/topics): one open, one archived, each approved through its steps.
        heading = ColumnPage.objects.get(title="热点专题")
        topics = TopicPage.objects.live().child_of(heading)
        assert [t.title for t in topics.open()] == ["优化营商环境专栏"]
        assert [t.title for t in topics.archived()] == ["安全生产月专栏"]
        for topic in topics:
            assert topic.application.steps.filter(decision="approved").count() >= 2
            assert TopicArticlePage.objects.child_of(topic).live().exclude(board=None).exists()

    def test_fixed_columns_hold_profiles_and_dynamic_columns_articles(self):
        for sub_column in SubColumnPage.objects.all():
            children = Page.objects.child_of(sub_column).specific()
            expected = ProfilePage if sub_column.content_kind == "fixed" else ArticlePage
            if sub_column.slug == "ywgzlc":
                expected = ServiceGuidePage  # 业务工作流程 holds the 办事指南 (R-SERVICE-1)
            assert all(isinstance(child, expected) for child in children), sub_column.title
        leaders = ProfilePage.objects.child_of(SubColumnPage.objects.get(title="领导简介"))
        assert leaders.count() == 4
        assert (
            ArticlePage.objects.child_of(SubColumnPage.objects.get(title="工作动态")).count() >= 10
        )

    def test_business_workflows_are_four_complete_service_guides(self, client):
        """R-SERVICE-1: 业务工作流程 holds real-looking 办事指南, each with every key element,
        clean for the screening, and a blank form to download."""
        guides = ServiceGuidePage.objects.live().order_by("path")
        assert guides.count() == 4
        for guide in guides:
            assert list(guide.missing_elements()) == [], guide.title
            assert blocking(screen_page(guide)) == [], guide.title
        forms = {m.document for guide in guides for m in guide.materials.all() if m.document}
        assert len(forms) == 3 and all(form.file_extension == "docx" for form in forms)
        guide = guides.get(slug="zhengfu-xinxi-gongkai-shenqing")
        html = client.get(guide.url).content.decode()
        assert "<td>不收费</td>" in html and "法定节假日除外" in html
        form = guide.materials.exclude(document=None).get().document
        assert f'href="{form.url}"' in html
        assert client.get(form.url).status_code == 200

    def test_leaders_have_conforming_portraits_and_functions_all_five_sections(self, client):
        """第十条: 领导简介 as cards in the data file's order, each photo a generated portrait made
        conforming by 第十七条's rule (4:3 JPEG ≤ 500×375, captioned); 机构职能 with the five
        sections of the site tree as its 内设机构."""
        from govsite.images import rules
        from govsite.organisation.models import FunctionsPage, LeaderColumnPage

        column = LeaderColumnPage.objects.get(slug="ldjj")
        leaders = list(column.leaders())
        assert [leader.title for leader in leaders] == ["陈志远", "王立新", "李红梅", "刘海峰"]
        assert "主任" in leaders[0].post and all(leader.duties for leader in leaders)
        assert leaders[2].supervision_wording == "分管综合科、督查室、信息中心"
        for leader in leaders:
            with leader.photo.open_file() as handle:
                inspection = rules.inspect(handle)
            assert inspection.problems == [] and inspection.format == "JPEG", leader.title
            assert leader.photo.caption == f"{leader.title}同志"
        html = client.get(column.url).content.decode()
        assert html.count('<li class="leader-card">') == 4
        functions = FunctionsPage.objects.get()
        units = [unit.name for unit in functions.unit_list()]
        assert units == list(Section.objects.order_by("pk").values_list("name", flat=True))
        assert functions.phone and functions.postcode and functions.email

    def test_every_document_column_holds_documents_with_full_metadata(self):
        """R-OPEN-1: the demo's 公文栏目 hold 政府信息公开文件 with realistic metadata."""
        from govsite.disclosure.models import DocumentColumnPage, DocumentPage

        columns = DocumentColumnPage.objects.all()
        assert {column.slug for column in columns} == {
            "zcfg",
            "zfwj",
            "zfbwj",
            "zcjd",
            "rsrm",
            "tzgg",
            "zwgkml",
        }
        for column in columns:
            children = Page.objects.child_of(column).specific()
            assert children and all(isinstance(c, DocumentPage) for c in children), column.title
            for document in children:
                assert document.index_number and document.topic and document.genre, document.slug
                assert document.written_on <= document.first_published_at.date(), document.slug
                assert document.keywords and document.summary and document.publisher
        numbers = list(DocumentPage.objects.values_list("index_number", flat=True))
        assert len(set(numbers)) == len(numbers)
        issued = DocumentPage.objects.get(slug="linzhengbanfa-28")
        assert re.fullmatch(r"临政办发〔\d{4}〕28号", issued.document_number)

    def test_the_demo_interpretations_are_linked_to_their_policies(self, client):
        """R-OPEN-2: each demo 解读 interprets a demo policy, published the same day after it."""
        from govsite.disclosure.models import DocumentPage

        readings = DocumentPage.objects.interpretations().select_related("interprets")
        assert readings.count() == 3
        for reading in readings:
            policy = reading.interprets
            assert policy.live and reading.live
            assert policy.first_published_at <= reading.first_published_at
            day = timezone.localdate(reading.first_published_at)
            assert day == timezone.localdate(policy.first_published_at)
            assert reading.url in client.get(policy.url).content.decode()

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
        assert len(report.pages_skipped) == 115
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

    def test_the_homepage_shows_headline_picture_news_notices_and_entries(self, client):
        """Issue 17: the demo's homepage alive — a headline with its 题图, picture news, a
        year of 通知公告 with one pinned, the 在线交流 and site entries of the settings."""
        html = client.get("/").content.decode()
        headline = re.search(r'<section class="home-headline".*?</section>', html, re.S)[0]
        assert "区政府办公室召开政府网站年度考核工作部署会" in headline and "<img" in headline
        pictures = re.search(r'<section class="home-block home-pictures".*?</section>', html, re.S)
        assert pictures[0].count("<img") == 4
        assert "关于区政府办公室网站系统升级维护的通告" in html
        for words in (
            "我要写信",
            "查询办理结果",
            "满意度调查",
            "今年来信",
            "临江发布（微信公众号）",
        ):
            assert words in html, words
        for words in ("党政机关网站标识", "网站年度报表", "我为政府网站找错"):
            assert words in html, words
        notices = client.get("/zwgk/tzgg/").content.decode()
        assert notices.index("关于公布区政府办公室政务服务咨询投诉电话的公告") < notices.index(
            "关于区政府办公室网站系统升级维护的通告"
        )
        dates = ArticlePage.objects.child_of(Page.objects.get(slug="tzgg"))
        days = {timezone.localdate(a.first_published_at) for a in dates}
        assert max(days) - min(days) > timedelta(days=300)  # a year of notices


def count_after(label, html):
    """The number in the statistics table's row ``label``."""
    match = re.search(rf"{label}</th><td class=\"number\">(\d+) 件", html)
    assert match, label
    return int(match.group(1))


@pytest.mark.usefixtures("demo")
class TestDemoMailbox:
    """Read-only checks on one load of the demo data."""

    def test_a_year_of_letters_in_every_state(self):
        letters = Letter.objects.all()
        assert 120 <= letters.count() <= 200
        # 待主管主任审核答复 only when 沟通信箱设置 asks for the director (off by default)
        in_use = set(Status.values) - {Status.DIRECTOR_REVIEW}
        assert set(letters.values_list("status", flat=True)) == in_use
        assert letters.awaiting_triage().count() >= 2
        assert 1 <= Letter.objects.overdue().count() <= 3
        assert letters.awaiting_extension_decision().count() == 1
        now, today = timezone.now(), timezone.localdate()
        received = sorted(letters.values_list("received_at", flat=True))
        assert timedelta(days=350) < now - received[0] <= timedelta(days=366)
        assert now - received[-1] < timedelta(days=3)
        # Every month of the year has letters, and the year is mostly answered.
        months = {timezone.localtime(moment).strftime("%Y-%m") for moment in received}
        assert len(months) >= 12
        assert letters.answered().count() > letters.count() * 0.7
        # Nothing valid waits near the 3-month limit (单项否决): history is settled.
        assert (
            not letters.valid()
            .exclude(status=Status.REPLIED)
            .filter(received_at__lt=now - timedelta(days=30))
        )
        assert not letters.filter(deadline__isnull=False, status=Status.REPLIED).filter(
            deadline__gt=today + timedelta(days=20)
        )

    def test_every_step_is_on_record_in_order_and_in_the_past(self):
        actions = set(LetterEvent.objects.values_list("action", flat=True))
        # Nothing is withdrawn; no director approves replies (沟通信箱设置: off by default).
        expected = set(Action.values) - {Action.UNPUBLISHED, Action.REPLY_APPROVED}
        assert expected <= actions
        now = timezone.now()
        for letter in Letter.objects.prefetch_related("events"):
            events = list(letter.events.all())
            assert events[0].action == Action.RECEIVED and events[0].at == letter.received_at
            assert all(event.at >= letter.received_at for event in events), letter
            assert all(event.at < now for event in events), letter
            if letter.replied_at:
                replied = next(e for e in events if e.action == Action.REPLIED)
                assert replied.at == letter.replied_at > letter.received_at

    def test_the_steps_are_taken_by_the_users_who_hold_the_roles(self):
        office = Cast({}, {}).office_officer()
        assert rules.may_triage(office)
        by_action = {}
        for event in LetterEvent.objects.exclude(actor=None).select_related("actor", "letter"):
            by_action.setdefault(event.action, set()).add(event.actor.username)
        for action in (Action.CLASSIFIED, Action.ASSIGNED, Action.FORWARDED, Action.PREPARED):
            assert by_action[action] == {office.username}, action
        chief = Cast({}, {}).office_chief()
        assert rules.is_signer(chief)
        for action in (Action.SIGNED_OFF, Action.REPLIED):
            assert by_action[action] == {chief.username}, action
        assert all(name.endswith("_xxy") for name in by_action[Action.DRAFTED])
        assert all(name.endswith("_kz") for name in by_action[Action.APPROVED])
        assert len(by_action[Action.DRAFTED]) == 5  # every section answers some letters
        # The section that drafts is the section the letter was assigned to.
        for event in LetterEvent.objects.filter(action=Action.DRAFTED).select_related(
            "actor", "letter__section"
        ):
            assert event.actor.username == f"{event.letter.section.code}_xxy"

    def test_notices_are_left_only_for_letters_still_in_hand(self):
        in_hand = Letter.objects.in_hand() | Letter.objects.awaiting_triage()
        urls = {reverse("mailbox_letter", args=[pk]) for pk in in_hand.values_list("pk", flat=True)}
        notices = Notice.objects.exclude(url="")
        assert notices.exists()
        assert set(notices.values_list("url", flat=True)) <= urls
        assert all(n.created_at < timezone.now() for n in notices)
        # and no e-mail about the replayed history waits for the commit
        pending = transaction.get_connection().run_on_commit
        assert not any("send_notice_mail" in repr(callback) for _, callback, _ in pending)

    def test_published_letters_are_listed_with_their_replies(self, client):
        published = Letter.objects.published()
        assert 8 <= published.count() <= 40
        assert not Letter.objects.filter(published=True, consent_to_publish=False).exists()
        mailbox = MailboxPage.objects.get()
        page = client.get(mailbox.url).content.decode()
        assert "暂无公开的信件" not in page
        newest = published.order_by("-replied_at", "-pk").first()
        letter_url = route(mailbox, "letter", newest.tracking_number)
        assert letter_url in page
        shown = client.get(letter_url)
        assert shown.status_code == 200
        text = shown.content.decode()
        assert newest.reply[:20] in text
        assert newest.name not in text  # masked (R-MAIL-5)

    def test_the_statistics_of_a_past_month_show_the_letters(self, client):
        mailbox = MailboxPage.objects.get()
        today = timezone.localdate()
        last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        page = client.get(route(mailbox, "stats") + f"?month={last_month}").content.decode()
        assert count_after("收到来信", page) > 0
        assert count_after("已办结（已答复）", page) > 0
        half_a_year_ago = (today - timedelta(days=183)).strftime("%Y-%m")
        page = client.get(route(mailbox, "stats") + f"?month={half_a_year_ago}").content.decode()
        assert count_after("收到来信", page) >= count_after("已办结（已答复）", page) > 0

    def test_the_writer_tracks_a_letter_with_the_code_the_load_printed(self, demo, client):
        samples = re.findall(r"试查询：信件编号 (\S+)，查询码 (\S+)（(.+)）", demo)
        assert len(samples) == 3
        mailbox = MailboxPage.objects.get()
        for number, code, status in samples:
            assert Letter.objects.get(tracking_number=number).get_status_display() == status
            page = track(client, mailbox, number, code).content.decode()
            assert "编号或查询码不正确" not in page, number
            assert number in page

    def test_an_open_and_a_closed_survey_with_answers(self, client):
        now = timezone.now()
        closed = Survey.objects.with_public_results().get()
        opened = Survey.objects.open().get()
        assert 150 <= closed.responses.count() <= 300
        assert 30 <= opened.responses.count() <= 60
        for survey in (closed, opened):
            questions = list(survey.questions.all())
            assert 5 <= len(questions) <= 8
            assert {q.kind for q in questions} == set(QuestionKind.values)
            assert not any(q.required for q in questions if q.kind == QuestionKind.TEXT)
            times = survey.responses.values_list("submitted_at", flat=True)
            assert all(survey.opens_at <= at < min(survey.closes_at, now) for at in times)
            for question in questions:
                assert question.answers.exists(), question
        assert opened.closes_at - now > timedelta(days=7)
        assert now - opened.opens_at > timedelta(days=7)
        assert closed.closes_at < now - timedelta(days=60)

    def test_the_open_survey_is_answerable_and_the_closed_ones_results_are_shown(self, client):
        column = SurveyColumnPage.objects.get()
        opened = Survey.objects.open().get()
        closed = Survey.objects.with_public_results().get()
        listing = client.get(column.url).content.decode()
        assert opened.title in listing and closed.title in listing

        data = {}
        for question in opened.questions.all():
            if question.kind == QuestionKind.TEXT:
                data[f"q{question.pk}"] = "挺好的"
            elif question.kind == QuestionKind.RATING:
                data[f"q{question.pk}"] = "5"
            else:
                data[f"q{question.pk}"] = question.choice_list[0]
        before = opened.responses.count()
        answered = client.post(column.survey_url(opened), data, REMOTE_ADDR="203.0.113.9")
        assert answered.status_code == 302
        assert opened.responses.count() == before + 1

        results = client.get(column.survey_url(closed, "results")).content.decode()
        assert f"共收到答卷 {closed.responses.count()} 份" in results
        assert "本区居民" in results
