"""The steps of an item (第十六条; R-INFO-1, R-INFO-2): each changes the item and writes its
record together, tells the next person, and refuses bad input with a sentence, losing nothing."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from govsite.columns.models import ArticlePage
from govsite.notices.models import Notice
from govsite.sections.rules import office_section
from govsite.testing.helpers import section, sub_column

from .. import cases, rules
from ..models import InstructionLevel, Item, ItemStep, Outlet, OutletAdoption, ReportingSettings
from . import factories

pytestmark = pytest.mark.django_db
Status, Action = Item.Status, ItemStep.Action
NOW = timezone.make_aware(datetime(2026, 11, 30, 23, 30))


def notices_to(user):
    return list(Notice.objects.filter(recipient=user).values_list("title", flat=True))


def test_seeded_kinds_outlets_and_levels():
    assert [o.name for o in Outlet.objects.filter(own_site=True)] == ["本站工作动态"]
    assert Outlet.objects.get(name="市级刊物").points == 15
    assert InstructionLevel.objects.get(name="国家领导批示").points == 40


def test_adoption_column_defaults_to_work_news_owned_by_the_office(site_tree):
    assert rules.adoption_column().slug == "gzdt"
    assert rules.adopting_section() == section("综合科")
    settings = ReportingSettings.load()
    settings.adoption_column = sub_column("工程进展")
    settings.save()
    # Adoption follows its column (第十一、十六条); the site owner section does not move.
    assert rules.adopting_section() == section("督查室")
    assert office_section() == section("综合科")


def test_a_document_column_cannot_take_adopted_items(site_tree):
    """An adopted item becomes an article; a 公文栏目 takes 政府信息公开文件 only."""
    settings = ReportingSettings.load()
    settings.adoption_column = sub_column("政府文件")
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert refused.value.message_dict["adoption_column"] == [
        "「政府文件」不能新建文章，采用的信息不能发布到这里；请选择可以新建文章的栏目，如“工作动态”。"
    ]
    settings.adoption_column = sub_column("工程进展")
    settings.full_clean()


def test_the_way_of_an_item_with_its_record_and_notices(
    people, mishu, django_capture_on_commit_callbacks
):
    writer, chief, office = people["mishu_officer"], people["mishu_chief"], people["office"]
    item = factories.draft(writer, mishu)
    with django_capture_on_commit_callbacks(execute=True):
        cases.submit(item, writer, now=NOW)
    assert item.status == Status.AWAITING_CHIEF and item.submitted_at == NOW
    assert notices_to(chief) == [f"待审核信息：{item.title}"]
    assert notices_to(people["mishu_both"]) == [f"待审核信息：{item.title}"]

    with django_capture_on_commit_callbacks(execute=True):
        cases.approve(item, chief, "同意报送。", now=NOW)
    item.refresh_from_db()
    assert item.status == Status.AWAITING_OFFICE and item.sent_at == NOW
    # Sent on 30 November in the office's zone: it counts in November.
    assert (
        Item.objects.sent_between(
            timezone.make_aware(datetime(2026, 11, 1)), timezone.make_aware(datetime(2026, 12, 1))
        ).get()
        == item
    )
    assert notices_to(office) == [f"待采用信息：{item.title}"]
    assert notices_to(writer) == [f"信息已报送综合科：{item.title}"]

    with django_capture_on_commit_callbacks(execute=True):
        cases.return_item(item, office, "数据需核实。", now=NOW)
    item.refresh_from_db()
    assert item.status == Status.RETURNED
    assert f"综合科退回信息：{item.title}" in notices_to(writer)
    assert f"综合科退回信息：{item.title}" in notices_to(chief)

    cases.submit(item, writer)
    cases.approve(item, chief)
    item.refresh_from_db()
    assert item.sent_at == NOW  # counted in the month it was first sent

    record = [(s.action, s.actor, s.comment) for s in item.steps.all()]
    assert record == [
        (Action.SUBMIT, writer, ""),
        (Action.APPROVE, chief, "同意报送。"),
        (Action.RETURN_OFFICE, office, "数据需核实。"),
        (Action.SUBMIT, writer, ""),
        (Action.APPROVE, chief, ""),
    ]


def test_withdraw_and_chief_return(people, mishu):
    writer, chief = people["mishu_officer"], people["mishu_chief"]
    item = factories.submitted(people, mishu)
    cases.withdraw(item, writer)
    assert item.status == Status.DRAFT and item.submitted_at is None
    cases.submit(item, writer)
    with pytest.raises(cases.CaseError, match="请填写退回的理由"):
        cases.return_to_writer(item, chief, "  ")
    assert Item.objects.get(pk=item.pk).status == Status.AWAITING_CHIEF
    cases.return_to_writer(item, chief, "请补充数据。")
    assert item.status == Status.RETURNED
    assert item.steps.last().comment == "请补充数据。"


@pytest.mark.parametrize(
    ("title", "body", "sentence"),
    [
        ("", factories.BODY, "没有标题"),
        ("  ", factories.BODY, "没有标题"),
        ("标题", "", "没有正文"),
    ],
)
def test_an_empty_item_is_refused_and_kept(people, mishu, title, body, sentence):
    item = factories.draft(people["mishu_officer"], mishu, title=title, body=body)
    with pytest.raises(cases.CaseError, match=sentence):
        cases.submit(item, people["mishu_officer"])
    stored = Item.objects.get(pk=item.pk)
    assert stored.status == Status.DRAFT and stored.title == title
    assert not stored.steps.exists()


def test_screening_refuses_with_the_findings(people, mishu):
    body = "<p>根据内部资料，本月完成三项工作。</p>"
    item = factories.draft(people["mishu_officer"], mishu, body=body)
    with pytest.raises(cases.CaseError, match="未通过内容审查.*内部资料"):
        cases.submit(item, people["mishu_officer"])
    assert Item.objects.get(pk=item.pk).status == Status.DRAFT


def test_a_chief_who_wrote_the_item_may_not_approve_it(people, mishu):
    both = people["mishu_both"]
    item = factories.draft(both, mishu)
    cases.submit(item, both)
    with pytest.raises(cases.CaseError, match="不能审核自己撰写的信息"):
        cases.approve(item, both)
    cases.approve(item, people["mishu_chief"])
    assert item.status == Status.AWAITING_OFFICE


def test_adoption_makes_a_credited_draft_copy_in_work_news(
    people, mishu, django_capture_on_commit_callbacks
):
    document = get_document_model().objects.create(
        title="目录清单", file=ContentFile(b"list", name="list.txt")
    )
    item = factories.draft(people["mishu_officer"], mishu)
    item.attachments.create(document=document, title="附件一")
    cases.submit(item, people["mishu_officer"])
    cases.approve(item, people["mishu_chief"])
    office = people["office"]
    with django_capture_on_commit_callbacks(execute=True):
        page = cases.adopt(item, office, now=NOW)
    item.refresh_from_db()
    assert item.status == Status.ADOPTED and item.adopted_page_id == page.pk
    assert item.decided_at == NOW
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.get_parent().slug == "gzdt" and not page.live and page.owner == office
    assert page.title == item.title and page.body.raw_data[0]["value"] == factories.BODY
    assert page.source_section == mishu
    assert page.contributor == "秘书科 周雨桐"
    assert [(a.document, a.title) for a in page.attachments.all()] == [(document, "附件一")]
    assert page.get_latest_revision() is not None
    assert notices_to(people["mishu_officer"])[-1] == f"信息已被采用：{item.title}"

    with pytest.raises(cases.CaseError, match="已被采用，不能重复采用"):
        cases.adopt(item, people["office_chief"])
    assert ArticlePage.objects.filter(title=item.title).count() == 1


def test_publishing_the_copy_records_the_own_site_outlet_once(
    people, mishu, django_capture_on_commit_callbacks
):
    item = factories.adopted(people, mishu)
    page = item.adopted_page.specific
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    adoption = OutletAdoption.objects.get(item=item)
    assert adoption.outlet.own_site
    page.refresh_from_db()
    assert adoption.adopted_on == timezone.localdate(page.first_published_at)
    assert item.steps.last().action == Action.PUBLISH
    assert notices_to(people["mishu_officer"])[-1] == f"采用稿已发布：{item.title}"
    page.save_revision().publish()  # republished: nothing more
    assert OutletAdoption.objects.filter(item=item).count() == 1
    assert item.steps.filter(action=Action.PUBLISH).count() == 1


def test_outlets_once_each_and_instructions(people, mishu):
    item = factories.adopted(people, mishu)
    office = people["office"]
    city = Outlet.objects.get(name="市级刊物")
    cases.record_outlet(item, office, city, date(2026, 11, 20), "第 12 期")
    with pytest.raises(cases.CaseError, match="已登记过被“市级刊物”采用"):
        cases.record_outlet(item, people["office_chief"], city, date(2026, 11, 21))
    assert item.outlet_adoptions.count() == 1
    level = InstructionLevel.objects.get(name="市领导批示")
    with pytest.raises(cases.CaseError, match="请填写批示领导"):
        cases.record_instruction(item, office, level, " ", date(2026, 11, 22))
    cases.record_instruction(item, office, level, "王副市长", date(2026, 11, 22), "很好")
    assert item.instructions.get().leader == "王副市长"
    assert [s.action for s in item.steps.all()][-2:] == [Action.OUTLET, Action.INSTRUCTION]
    assert item.status == Status.ADOPTED


def test_return_by_the_office_needs_a_reason(people, mishu):
    item = factories.sent(people, mishu)
    with pytest.raises(cases.CaseError, match="请填写退回的理由"):
        cases.return_item(item, people["office"], "")
    assert Item.objects.get(pk=item.pk).status == Status.AWAITING_OFFICE
