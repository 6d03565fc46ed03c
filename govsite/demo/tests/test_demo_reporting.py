"""The demo's 信息报送 and column reviews look alive (issue 15): a year of items from every
section, in every state, adopted into 工作动态 as published articles and by other outlets,
returned with reasons, a section short of its quota in some months, every queue holding
something today — loaded once, at a fixed moment, and a second load changes nothing."""

import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govsite.assessment.models import ColumnReview
from govsite.columns.bootstrap import bootstrap_site
from govsite.columns.models import ArticlePage, ContentKind, SubColumnPage
from govsite.demo.loader import DemoReport, _ensure_users, load_demo_spec
from govsite.demo.reporting import (
    ensure_reporting,
    load_reporting_spec,
    month_starts,
)
from govsite.reporting.models import (
    InstructionLevel,
    Item,
    ItemKind,
    ItemStep,
    LeaderInstruction,
    Outlet,
    OutletAdoption,
    ReportingSettings,
    SectionQuota,
)
from govsite.sections.models import Section

Status, Action = Item.Status, ItemStep.Action
# A Tuesday morning, the 10th: the month before is settled, this one has begun.
NOW = timezone.make_aware(datetime(2026, 3, 10, 10, 30))


def load(now, spec=None):
    demo = load_demo_spec()
    users = _ensure_users(demo, DemoReport())
    return ensure_reporting(users, demo["authors"], now, spec), users


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Item,
            ItemStep,
            OutletAdoption,
            LeaderInstruction,
            ArticlePage,
            ColumnReview,
            ItemKind,
            Outlet,
            InstructionLevel,
            SectionQuota,
        )
    }


@pytest.fixture(scope="class")
def reported(django_db_setup, django_db_blocker):
    """The demo users and a year of 信息报送 up to ``NOW``, loaded once for the class (without
    the rest of the demo: its content, letters and surveys have their own tests)."""
    with django_db_blocker.unblock(), transaction.atomic():
        bootstrap_site()
        spec = load_demo_spec()
        users = _ensure_users(spec, DemoReport())
        report = ensure_reporting(users, spec["authors"], NOW)
        yield SimpleNamespace(report=report, users=users)
        transaction.set_rollback(True)


def month_of(moment):
    return timezone.localtime(moment).date().replace(day=1)


def sent_by_month():
    """{(section code, first of month): items sent}."""
    sent = {}
    for code, moment in Item.objects.sent().values_list("section__code", "sent_at"):
        key = (code, month_of(moment))
        sent[key] = sent.get(key, 0) + 1
    return sent


@pytest.mark.usefixtures("reported")
class TestDemoReporting:
    def test_a_year_of_items_for_every_section(self, reported):
        items = Item.objects.all()
        assert 80 <= items.count() <= 160
        assert reported.report.created == items.count()
        past = month_starts(timezone.localdate(NOW), 12)[:-1]
        sent = sent_by_month()
        for section in Section.objects.all():
            months = {month for code, month in sent if code == section.code}
            assert len(months) >= 8, section.name
            assert set(months) <= {*past, month_of(NOW)}, section.name
        # 秘书科 is the strong section: at least two a month, every month of the year.
        assert all(sent.get(("mishu", month), 0) >= 2 for month in past)
        first = min(items.values_list("created_at", flat=True))
        assert timedelta(days=360) < NOW - first < timedelta(days=400)
        assert max(ItemStep.objects.values_list("at", flat=True)) < NOW
        # Every kind is used, and a section's title comes back only months later.
        assert set(items.values_list("kind__name", flat=True)) == {
            "重点工作",
            "创新措施",
            "阶段性进展",
            "工作成绩",
        }
        written = {}
        for code, title, moment in items.values_list("section__code", "title", "created_at"):
            written.setdefault((code, title), []).append(moment)
        for key, moments in written.items():
            assert len(moments) == 1 or max(moments) - min(moments) > timedelta(days=120), key

    def test_every_status_is_present_and_history_is_settled(self):
        statuses = set(Item.objects.values_list("status", flat=True))
        assert statuses == set(Status.values)
        # Before this month's first days, everything that was sent has been decided.
        settled = Item.objects.filter(created_at__lt=NOW - timedelta(days=14))
        assert set(settled.values_list("status", flat=True)) == {Status.ADOPTED, Status.RETURNED}

    def test_each_item_went_through_its_chief_and_then_综合科(self, reported):
        users = reported.users
        for item in Item.objects.sent().select_related("section", "author"):
            code = item.section.code
            steps = list(item.steps.order_by("at", "pk"))
            assert item.author == users[f"{code}_xxy"]
            assert [step.at for step in steps] == sorted(step.at for step in steps)
            assert steps[0].action == Action.SUBMIT and steps[0].actor == item.author
            approvals = [step for step in steps if step.action == Action.APPROVE]
            assert approvals and all(step.actor == users[f"{code}_kz"] for step in approvals)
            assert item.sent_at == approvals[0].at
            for step in steps:
                if step.action in (Action.RETURN, Action.RETURN_OFFICE):
                    assert step.comment, item.title
                if step.action in (Action.ADOPT, Action.RETURN_OFFICE, Action.OUTLET):
                    assert step.actor == users["zonghe_xxy"]
            if item.status != Status.AWAITING_OFFICE:
                assert item.decided_at >= item.sent_at
        chief_returns = ItemStep.objects.filter(action=Action.RETURN)
        assert chief_returns.count() >= 5
        office_returns = ItemStep.objects.filter(action=Action.RETURN_OFFICE)
        assert "内容与上月重复，请补充最新进展。" in set(
            office_returns.values_list("comment", flat=True)
        )
        # Some returned items were revised and adopted after all.
        assert Item.objects.adopted().filter(steps__action=Action.RETURN_OFFICE).exists()

    def test_adopted_items_are_published_in_工作动态_crediting_the_section(self, client):
        column = SubColumnPage.objects.get(slug="gzdt")
        adopted = Item.objects.adopted().select_related("section")
        decided = Item.objects.filter(status__in=[Status.ADOPTED, Status.RETURNED])
        assert 0.5 <= adopted.count() / decided.count() <= 0.75
        own_site = Outlet.objects.get(own_site=True)
        for item in adopted:
            page = ArticlePage.objects.get(pk=item.adopted_page_id)
            assert page.live and page.get_parent().pk == column.pk
            assert page.source_section == item.section
            assert page.owner.username == "zonghe_xxy"
            assert page.title == item.title
            published = item.steps.get(action=Action.PUBLISH)
            assert page.first_published_at == published.at
            assert published.actor.username == "zhuren_li"
            assert page.live_revision.created_at == page.first_published_at
            assert item.decided_at < published.at < NOW
            adoption = item.outlet_adoptions.get(outlet=own_site)
            assert adoption.adopted_on == timezone.localdate(published.at)
        item = adopted.exclude(section__code="zonghe").first()
        html = client.get(ArticlePage.objects.get(pk=item.adopted_page_id).url).content.decode()
        assert item.title in html and f"来源：{item.section.name}" in html

    def test_other_outlets_and_leaders_instructions(self):
        by_outlet = {
            outlet.name: list(outlet.adoptions.all())
            for outlet in Outlet.objects.filter(own_site=False)
        }
        assert len(by_outlet["区政府网站"]) >= 5
        assert len(by_outlet["区信息刊物"]) >= 5
        assert by_outlet["市级刊物"]
        assert len(by_outlet["省级刊物"]) == 2
        assert by_outlet["国办刊物"] == []
        for adoption in by_outlet["区信息刊物"]:
            assert re.fullmatch(r"《临江政务信息》\d{4}年第\d+期", adoption.note)
            assert adoption.item.status == Status.ADOPTED
            assert adoption.adopted_on < timezone.localdate(NOW)
        recorded = ItemStep.objects.filter(action=Action.OUTLET).count()
        assert recorded == OutletAdoption.objects.filter(outlet__own_site=False).count()
        instructions = LeaderInstruction.objects.select_related("level", "item")
        assert instructions.count() == 3
        assert {i.level.name for i in instructions} == {"区领导批示", "市领导批示"}
        leaders = {"区长 高振华", "副市长 马立军", "常务副区长 许文斌"}
        assert {i.leader for i in instructions} == leaders
        for instruction in instructions:
            assert instruction.item.status == Status.ADOPTED and instruction.text
            assert instruction.item.steps.filter(action=Action.INSTRUCTION).exists()

    def test_a_section_is_short_of_its_quota_in_some_months(self):
        spec = load_reporting_spec()
        sent = sent_by_month()
        past = month_starts(timezone.localdate(NOW), 12)[:-1]
        default = ReportingSettings.load().monthly_quota
        quotas = {quota.section.code: quota.monthly_quota for quota in SectionQuota.objects.all()}
        assert quotas == {"zonghe": 2}
        short = [
            (section.code, month)
            for section in Section.objects.all()
            for month in past
            if sent.get((section.code, month), 0) < quotas.get(section.code, default)
        ]
        assert short
        # 信息中心 sent nothing in the months the data file says it missed.
        for age in spec["sections"]["xinxi"]["misses"]:
            month = month_starts(timezone.localdate(NOW), age)[0]
            assert sent.get(("xinxi", month), 0) == 0, month
        assert not [month for code, month in short if code == "mishu"]

    def test_every_queue_holds_something_today(self):
        recent = NOW - timedelta(days=7)
        waiting_chief = Item.objects.awaiting_chief()
        assert waiting_chief.count() >= 2
        assert all(item.submitted_at > recent for item in waiting_chief)
        waiting_office = Item.objects.awaiting_office()
        assert waiting_office.count() >= 3
        assert all(item.sent_at > recent for item in waiting_office)
        assert Item.objects.drafts().filter(created_at__gt=recent).exists()
        returned_by_chief = Item.objects.returned().filter(decided_at__isnull=True)
        assert returned_by_chief.filter(submitted_at__gt=recent).exists()

    def test_fixed_columns_are_reviewed_but_two(self, reported):
        reviews = ColumnReview.objects.select_related("column", "reviewed_by")
        assert reported.report.reviews == reviews.count() >= 8
        fixed = SubColumnPage.objects.filter(content_kind=ContentKind.FIXED)
        never = set(fixed.exclude(freshness_reviews__isnull=False).values_list("slug", flat=True))
        assert never == {"rycls", "iso"}
        for review in reviews:
            assert review.column.content_kind == ContentKind.FIXED
            assert review.reviewed_by.username == "zonghe_xxy"
            assert NOW - timedelta(days=365) < review.reviewed_at < NOW

    def test_loading_again_changes_nothing(self):
        before = counts()
        report, _users = load(NOW + timedelta(days=3))
        assert counts() == before
        assert report.created == 0 and report.existing == before["Item"]
        assert report.data_created == [] and report.reviews == 0


def test_on_a_month_s_first_morning_nothing_is_dated_after_the_load(site_tree):
    now = timezone.make_aware(datetime(2026, 6, 1, 8, 5))  # a Monday, before office hours
    spec = load_reporting_spec()
    for code, rhythm in spec["sections"].items():  # a lighter year: one section, one a month
        rhythm["counts"] = [[1, 1]] if code == "mishu" else [[0, 1]]
    report, _users = load(now, spec)
    assert report.created
    moments = [
        *ItemStep.objects.values_list("at", flat=True),
        *Item.objects.values_list("created_at", flat=True),
        *ArticlePage.objects.filter(live=True).values_list("first_published_at", flat=True),
    ]
    assert max(moments) < now
    assert max(OutletAdoption.objects.values_list("adopted_on", flat=True)) < now.date()
    assert Item.objects.awaiting_chief().exists() and Item.objects.awaiting_office().exists()


@pytest.mark.parametrize("per_month", [1, 3])
def test_the_items_are_written_in_bulk(site_tree, per_month):
    """Beyond a publication per adopted copy (Wagtail's own), the load's queries do not grow
    with the items, steps and outlets it writes."""
    spec = load_reporting_spec()
    spec["rates"].update(adopt=0, resubmit=0)  # no copies to publish: the load's own work
    for rhythm in spec["sections"].values():
        rhythm["counts"], rhythm["misses"] = [[per_month, 1]], []
    demo = load_demo_spec()
    users = _ensure_users(demo, DemoReport())
    with CaptureQueriesContext(connection) as queries:
        report = ensure_reporting(users, demo["authors"], NOW, spec)
    assert report.created >= 60 * per_month and report.pages == 0
    assert ItemStep.objects.count() > 3 * report.created
    assert len(queries) < 150, len(queries)
