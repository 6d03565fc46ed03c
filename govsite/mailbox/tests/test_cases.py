"""The steps of a letter's handling, taken directly (R-MAIL-1..5; 第十一、十三条).

Every refusal is a ``CaseError`` with a Chinese sentence, and leaves the letter and its record
as they were. Dates are in 2030, a year the office calendar of data/holidays.toml does not
cover, so that the working days here are only weekends and the holidays the tests create.
"""

import json
import logging
from datetime import date, timedelta

import pytest
from django.utils import timezone

from govsite.notices.models import Notice
from govsite.screening.models import ClassificationMark, ProhibitedCategory, ProhibitedTerm
from govsite.sections.models import Section

from .. import cases, handoff, reports, tasks
from ..cases import CaseError
from ..models import (
    DailySequence,
    Holiday,
    Letter,
    LetterEvent,
    add_working_days,
    is_working_day,
    working_days_between,
)
from .factories import approved, assigned, at, write

Status, Action, Scope = Letter.Status, LetterEvent.Action, Letter.Scope

MONDAY = date(2030, 1, 7)
FRIDAY = date(2030, 1, 11)


def actions(letter):
    return list(letter.events.values_list("action", flat=True))


def notified(user, title_part):
    return Notice.objects.filter(recipient=user, title__contains=title_part).count()


def refused(step, letter, message_part):
    """``step()`` raises CaseError naming ``message_part``; nothing about ``letter`` changed."""
    letter.refresh_from_db()
    before = (Letter.objects.filter(pk=letter.pk).values().get(), actions(letter))
    with pytest.raises(CaseError) as error:
        step()
    assert message_part in str(error.value)
    after = (Letter.objects.filter(pk=letter.pk).values().get(), actions(letter))
    assert after == before
    return str(error.value)


# R-MAIL-1: every letter accepted, numbered and findable with its code ----------------------------


@pytest.mark.django_db
def test_numbers_are_dense_per_day_and_start_again_each_day(site_tree):
    first_day = [write(now=at(MONDAY, hour)) for hour in (9, 10, 11)]
    second_day = [write(now=at(MONDAY + timedelta(days=1), hour)) for hour in (9, 10)]
    assert [letter.tracking_number for letter in first_day] == [
        "GT-20300107-0001",
        "GT-20300107-0002",
        "GT-20300107-0003",
    ]
    assert [letter.tracking_number for letter in second_day] == [
        "GT-20300108-0001",
        "GT-20300108-0002",
    ]
    assert DailySequence.objects.get(day=MONDAY).last == 3
    assert DailySequence.next_for(MONDAY) == 4  # never reused


@pytest.mark.django_db
def test_the_writer_finds_their_letter_with_the_code_only(site_tree):
    letter, code = cases.receive(name="李四", subject="咨询", text="内容")
    assert cases.find_for_writer(letter.tracking_number.lower(), code.lower()) == letter
    assert cases.find_for_writer(letter.tracking_number, "AAAA-BBBB-CCCC-DDDD") is None
    assert cases.find_for_writer("GT-19990101-0001", code) is None
    assert code not in json.dumps(list(Letter.objects.values_list("query_code_digest")))


@pytest.mark.django_db
def test_a_letter_with_a_classification_mark_is_kept_and_flagged(site_tree):
    ClassificationMark.objects.get_or_create(text="内部资料")
    letter = write(text="附上一份内部资料供参考。")
    assert letter.flags and "内部资料" in letter.flags[0]
    assert letter.status == Status.RECEIVED
    assert "内容审查提示" in letter.events.get(action=Action.RECEIVED).note


# R-MAIL-2..5: the internal path ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_whole_internal_path(people, wenshu):
    office, officer, chief = people["office"], people["officer"], people["chief"]
    letter = write()
    cases.classify(letter, office, Scope.INTERNAL)
    cases.assign(letter, office, wenshu, today=MONDAY)
    assert letter.deadline == date(2030, 1, 14)  # 5 working days after a Monday
    assert notified(officer, "交办来信") == notified(chief, "交办来信") == 1
    assert notified(people["other_officer"], "交办来信") == 0

    cases.draft(letter, officer, "  您好，所需材料已在办事指南栏目列出。 ")
    assert letter.status == Status.DRAFTED and letter.draft_reply.startswith("您好")
    assert notified(chief, "待审核答复") == 1

    cases.approve(letter, chief, "同意")
    assert letter.status == Status.APPROVED
    assert notified(office, "待拟定答复") == 1

    office_chief = people["office_chief"]
    cases.prepare_reply(letter, office, text="您好，所需材料见办事指南栏目。", publish=True)
    assert letter.status == Status.PREPARED and letter.replied_at is None
    assert notified(office_chief, "待签发答复") == 1
    assert not Letter.objects.published().exists()  # not before the chief signs it off

    cases.sign_off(letter, office_chief, "同意发出")
    letter.refresh_from_db()
    assert letter.status == Status.REPLIED and letter.published
    assert letter.reply == "您好，所需材料见办事指南栏目。"
    assert letter.reply_department == "文书科"
    assert letter.replied_at is not None
    assert actions(letter) == [
        Action.RECEIVED,
        Action.CLASSIFIED,
        Action.ASSIGNED,
        Action.DRAFTED,
        Action.APPROVED,
        Action.PREPARED,
        Action.SIGNED_OFF,
        Action.REPLIED,
        Action.PUBLISHED,
    ]
    assert [event.actor for event in letter.events.all()] == [
        None, office, office, officer, chief, office, office_chief, office_chief, office_chief
    ]  # fmt: skip
    assert Letter.objects.published().get() == letter

    cases.set_published(letter, office, False)
    assert not Letter.objects.published().exists()
    assert actions(letter)[-1] == Action.UNPUBLISHED


@pytest.mark.django_db
def test_a_returned_draft_goes_back_to_the_section(people, wenshu):
    letter = assigned(people, wenshu)
    cases.draft(letter, people["officer"], "初稿")
    refused(lambda: cases.return_draft(letter, people["chief"], " "), letter, "修改意见")
    cases.return_draft(letter, people["chief"], "请写明材料清单。")
    assert letter.status == Status.ASSIGNED
    assert notified(people["officer"], "答复退回修改") == 1
    cases.draft(letter, people["officer"], "第二稿")
    cases.approve(letter, people["chief"])
    cases.return_draft(letter, people["office"], "请补充办理时限。")  # 综合科 returns too
    assert letter.status == Status.ASSIGNED
    assert actions(letter).count(Action.RETURNED) == 2


@pytest.mark.django_db
def test_reassigning_a_letter_in_hand_resets_its_deadline(people, wenshu):
    letter = assigned(people, wenshu)
    mishu = Section.objects.get(name="秘书科")
    cases.assign(letter, people["office"], mishu, deadline=date(2030, 3, 1))
    assert (letter.section, letter.deadline) == (mishu, date(2030, 3, 1))
    refused(
        lambda: cases.assign(letter, people["office"], mishu, deadline=date(2000, 1, 1)),
        letter,
        "办理期限不能早于今天",
    )


# R-MAIL-4: the government path, package out and result back --------------------------------------


@pytest.mark.django_db
def test_the_whole_government_path_with_package_and_import(people):
    office = people["office"]
    letter = write(subject="关于道路维修的建议", kind=Letter.Kind.SUGGEST)
    cases.classify(letter, office, Scope.GOVERNMENT)
    refused(lambda: cases.assign(letter, office, Section.objects.first()), letter, "请先分类")
    cases.forward(letter, office)
    assert letter.status == Status.FORWARDED

    package = json.loads(handoff.dumps(letter))
    assert package["schema"] == handoff.SCHEMA_ID
    assert package["tracking_number"] == letter.tracking_number
    assert package["kind"] == "建议" and package["writer"]["phone"] == "13812345678"
    assert package["forwarded_at"] and package["result"] is None

    package["result"] = {
        "department": "区交通局",
        "text": "已安排施工单位于本月内完成维修。",
        "handled_at": "2030-01-10T16:30:00+08:00",
    }
    imported = handoff.import_result(json.dumps(package, ensure_ascii=False), office)
    assert imported == letter
    letter.refresh_from_db()
    assert letter.status == Status.RESULT
    assert letter.reply_department == "区交通局"
    assert letter.events.get(action=Action.RESULT).data["handled_at"].startswith("2030-01-10")

    # The same package twice: the result is already recorded.
    with pytest.raises(CaseError):
        handoff.import_result(json.dumps(package), office)

    cases.prepare_reply(letter, office)
    cases.return_reply(letter, people["office_chief"], "请写明完成时限。")
    assert letter.status == Status.RESULT  # back to the officer, with the result
    cases.prepare_reply(letter, office)
    cases.sign_off(letter, people["office_chief"])
    letter.refresh_from_db()
    assert letter.status == Status.REPLIED and not letter.published
    assert (letter.reply, letter.reply_department) == (
        "已安排施工单位于本月内完成维修。",
        "区交通局",
    )
    assert actions(letter) == [
        Action.RECEIVED,
        Action.CLASSIFIED,
        Action.FORWARDED,
        Action.RESULT,
        Action.PREPARED,
        Action.RETURNED,
        Action.PREPARED,
        Action.SIGNED_OFF,
        Action.REPLIED,
    ]


@pytest.mark.django_db
def test_a_result_may_be_recorded_by_hand(people):
    letter = write()
    cases.classify(letter, people["office"], Scope.GOVERNMENT)
    cases.forward(letter, people["office"])
    refused(lambda: cases.record_result(letter, people["office"], "已办理", ""), letter, "办理单位")
    cases.record_result(letter, people["office"], "已办理。", "区民政局")
    assert letter.status == Status.RESULT and letter.draft_reply == "已办理。"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("not json", "不是有效的 JSON"),
        (json.dumps({"schema": "other"}), "schema 应为"),
        (json.dumps({"schema": handoff.SCHEMA_ID, "tracking_number": "X"}), "缺少"),
        (
            json.dumps(
                {"schema": handoff.SCHEMA_ID, "tracking_number": "GT-1", "result": {"text": "x"}}
            ),
            "办理单位",
        ),
        (
            json.dumps(
                {
                    "schema": handoff.SCHEMA_ID,
                    "tracking_number": "GT-19990101-0001",
                    "result": {"text": "x", "department": "y"},
                }
            ),
            "没有编号为",
        ),
    ],
)
@pytest.mark.django_db
def test_a_bad_package_is_refused_with_the_reason(people, raw, message):
    with pytest.raises(handoff.HandoffError) as error:
        handoff.import_result(raw, people["office"])
    assert message in str(error.value)


# R-MAIL-2: letters refused -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_invalid_letter_is_closed_with_its_reason(people):
    letter = write()
    refused(lambda: cases.close(letter, people["office"], "  "), letter, "请填写不予受理的理由")
    cases.close(letter, people["office"], "内容与本办工作无关。")
    assert (letter.status, letter.close_reason) == (Status.INVALID, "内容与本办工作无关。")
    assert letter.events.get(action=Action.CLOSED).note == "内容与本办工作无关。"
    refused(lambda: cases.classify(letter, people["office"], Scope.INTERNAL), letter, "无效信件")


@pytest.mark.django_db
def test_a_duplicate_names_the_earlier_letter(people):
    earlier, letter = write(), write()
    refused(
        lambda: cases.close(letter, people["office"], "重复", duplicate_of=letter),
        letter,
        "不能标记为与自身重复",
    )
    cases.close(letter, people["office"], "同一事项已来信。", duplicate_of=earlier)
    assert (letter.status, letter.duplicate_of) == (Status.DUPLICATE, earlier)
    assert earlier.tracking_number in letter.events.get(action=Action.CLOSED).note
    assert not Letter.objects.valid().filter(pk=letter.pk).exists()


# 督办: extensions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_extension_granted_moves_the_deadline_in_working_days(people, wenshu):
    letter = assigned(people, wenshu)
    letter.deadline = FRIDAY
    letter.save(update_fields=["deadline"])
    refused(
        lambda: cases.request_extension(letter, people["officer"], 2, " "), letter, "延期的工作日数"
    )
    cases.request_extension(letter, people["officer"], 2, "需要会同秘书科核实。")
    assert letter.extension_days == 2
    assert notified(people["office"], "申请延期") == 1
    cases.decide_extension(letter, people["office"], True, "同意。")
    letter.refresh_from_db()
    assert letter.deadline == date(2030, 1, 15)  # Friday + 2 working days: Tuesday
    assert letter.extension_days == 0
    assert notified(people["officer"], "同意延期") == 1
    refused(lambda: cases.decide_extension(letter, people["office"], True), letter, "没有待处理")


@pytest.mark.django_db
def test_an_extension_refused_keeps_the_deadline(people, wenshu):
    letter = assigned(people, wenshu)
    deadline = letter.deadline
    cases.request_extension(letter, people["chief"], 5, "人手不足。")
    refused(lambda: cases.decide_extension(letter, people["officer"], True), letter, "您无权办理")
    cases.decide_extension(letter, people["office"], False, "请按期办理。")
    letter.refresh_from_db()
    assert (letter.deadline, letter.extension_days) == (deadline, 0)
    assert actions(letter)[-1] == Action.EXTENSION_REFUSED
    assert "维持原期限" in letter.events.last().note


# Every refusal -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_office_triages_assigns_forwards_replies_and_publishes(people, wenshu):
    letter = write()
    for who in ("officer", "chief", "director", "other_officer"):
        user = people[who]
        refused(lambda u=user: cases.classify(letter, u, Scope.INTERNAL), letter, "您无权办理")
        refused(lambda u=user: cases.close(letter, u, "无关"), letter, "您无权办理")
    cases.classify(letter, people["office"], Scope.INTERNAL)
    refused(lambda: cases.assign(letter, people["chief"], wenshu), letter, "您无权办理")
    letter = approved(people, wenshu)
    refused(lambda: cases.prepare_reply(letter, people["chief"]), letter, "您无权办理")
    government = write()
    cases.classify(government, people["office"], Scope.GOVERNMENT)
    refused(lambda: cases.forward(government, people["director"]), government, "您无权办理")


@pytest.mark.django_db
def test_only_the_assigned_section_drafts_and_only_its_chief_approves(people, wenshu):
    letter = assigned(people, wenshu)
    for who in ("other_officer", "director", "office"):
        refused(lambda u=people[who]: cases.draft(letter, u, "答复"), letter, "您无权办理")
    cases.draft(letter, people["officer"], "答复")
    for who in ("officer", "other_officer", "director", "office"):
        refused(lambda u=people[who]: cases.approve(letter, u), letter, "只有承办科室的科长")


@pytest.mark.django_db
def test_a_chief_may_not_approve_their_own_draft(people, wenshu):
    letter = assigned(people, wenshu)
    cases.draft(letter, people["chief"], "科长亲自拟写的答复")
    refused(lambda: cases.approve(letter, people["chief"]), letter, "不能审核自己拟写的答复")
    cases.approve(letter, people["deputy"])  # another chief of the section may
    assert letter.status == Status.APPROVED


@pytest.mark.django_db
def test_steps_out_of_turn_are_refused(people, wenshu):
    office, officer = people["office"], people["officer"]
    letter = write()
    refused(lambda: cases.draft(letter, officer, "答复"), letter, "您无权办理")  # not theirs yet
    refused(lambda: cases.prepare_reply(letter, office, "答复"), letter, "待分类")
    refused(lambda: cases.record_result(letter, office, "结果", "单位"), letter, "待分类")
    refused(lambda: cases.set_published(letter, office, True), letter, "不能进行这一步")
    cases.classify(letter, office, Scope.INTERNAL)
    refused(lambda: cases.forward(letter, office), letter, "涉及政府工作")
    cases.assign(letter, office, wenshu)
    refused(lambda: cases.approve(letter, people["chief"]), letter, "承办科室办理中")
    refused(lambda: cases.classify(letter, office, Scope.GOVERNMENT), letter, "不能进行这一步")
    refused(lambda: cases.close(letter, office, "无关"), letter, "不能进行这一步")
    refused(lambda: cases.draft(letter, officer, "  "), letter, "答复内容不能为空")
    cases.draft(letter, officer, "答复")
    refused(lambda: cases.draft(letter, officer, "再改一稿"), letter, "待科长审核答复")
    refused(lambda: cases.prepare_reply(letter, office), letter, "待科长审核答复")
    refused(lambda: cases.sign_off(letter, people["office_chief"]), letter, "待科长审核答复")


@pytest.fixture
def lexicon(site_tree):
    category, _ = ProhibitedCategory.objects.get_or_create(
        number=7, defaults={"name": "淫秽色情赌博暴力", "wording": "散布淫秽、色情、赌博……"}
    )
    ProhibitedTerm.objects.get_or_create(text="网上赌场", defaults={"category": category})
    ClassificationMark.objects.get_or_create(text="机密★")


@pytest.mark.parametrize("text", ["欢迎登录网上赌场。", "本答复为机密★文件。"])
@pytest.mark.django_db
def test_a_reply_with_prohibited_content_or_a_mark_is_refused(people, wenshu, lexicon, text):
    letter = assigned(people, wenshu)
    message = refused(lambda: cases.draft(letter, people["officer"], text), letter, "内容审查")
    assert "答复" in message
    cases.draft(letter, people["officer"], "合格的答复。")
    cases.approve(letter, people["chief"])
    office = people["office"]
    refused(lambda: cases.prepare_reply(letter, office, text=text), letter, "未通过内容审查")


@pytest.mark.django_db
def test_a_letter_is_published_only_with_the_writers_consent(people, wenshu):
    letter = approved(people, wenshu, consent=False)
    refused(
        lambda: cases.prepare_reply(letter, people["office"], publish=True), letter, "没有同意公开"
    )
    cases.prepare_reply(letter, people["office"], publish=False)
    cases.sign_off(letter, people["office_chief"])
    refused(lambda: cases.set_published(letter, people["office"], True), letter, "没有同意公开")
    assert not Letter.objects.published().exists()


# Working days (R-MAIL-3) -------------------------------------------------------------------------


@pytest.mark.django_db
def test_working_days_skip_weekends_and_holidays_and_count_worked_weekend_days(site_tree):
    assert add_working_days(FRIDAY, 1) == date(2030, 1, 14)  # over the weekend
    Holiday.objects.create(date=date(2030, 1, 14), name="测试假日")
    assert add_working_days(FRIDAY, 1) == date(2030, 1, 15)  # and over the holiday
    assert working_days_between(FRIDAY, date(2030, 1, 15)) == 1
    assert working_days_between(date(2030, 1, 15), FRIDAY) == 0
    Holiday.objects.create(date=date(2030, 1, 12), name="调休", workday=True)
    assert is_working_day(date(2030, 1, 12)) and not is_working_day(date(2030, 1, 13))
    assert add_working_days(FRIDAY, 1) == date(2030, 1, 12)
    assert add_working_days(MONDAY, 5) == date(2030, 1, 12)  # the worked Saturday is the 5th
    assert working_days_between(MONDAY, date(2030, 1, 15)) == 6


@pytest.mark.django_db
def test_handling_days_and_statistics_count_working_days(people, wenshu):
    letter = write(now=at(FRIDAY))
    cases.classify(letter, people["office"], Scope.INTERNAL)
    cases.assign(letter, people["office"], wenshu, deadline=date(2030, 1, 16), today=FRIDAY)
    cases.draft(letter, people["officer"], "答复")
    cases.approve(letter, people["chief"])
    cases.prepare_reply(letter, people["office"])
    cases.sign_off(letter, people["office_chief"], now=at(date(2030, 1, 15)))
    letter.refresh_from_db()
    assert letter.handling_days() == 2  # Mon 14th and Tue 15th
    write(now=at(FRIDAY, 11))  # still awaiting triage
    closed = write(now=at(FRIDAY, 12))
    cases.close(closed, people["office"], "无效")
    figures = reports.statistics(FRIDAY, FRIDAY)
    assert (figures.received, figures.valid, figures.internal, figures.closed) == (3, 2, 1, 1)
    assert (figures.on_time, figures.on_time_rate, figures.average_days) == (1, 100.0, 2.0)


# 督办 by the scheduler (R-MAIL-3, R-MAIL-5) ------------------------------------------------------


@pytest.mark.django_db
def test_supervise_reminds_the_working_day_before_and_only_once(people, wenshu):
    letter = assigned(people, wenshu)
    letter.deadline = date(2030, 1, 14)  # a Monday
    letter.save(update_fields=["deadline"])
    assert cases.supervise(today=date(2030, 1, 10)) == (0, 0, 0)  # two working days before
    assert cases.supervise(today=FRIDAY) == (1, 0, 0)  # one working day before
    assert cases.supervise(today=date(2030, 1, 12)) == (0, 0, 0)  # once
    assert notified(people["officer"], "来信即将到期") == 1
    assert notified(people["chief"], "来信即将到期") == 1
    assert notified(people["director"], "来信即将到期") == 0
    assert actions(letter).count(Action.REMINDED) == 1


@pytest.mark.django_db
def test_supervise_escalates_once_after_the_deadline(people, wenshu):
    letter = assigned(people, wenshu)
    letter.deadline = FRIDAY
    letter.save(update_fields=["deadline"])
    assert cases.supervise(today=FRIDAY)[1] == 0  # the deadline day itself is in time
    assert cases.supervise(today=date(2030, 1, 14)) == (0, 1, 0)
    assert cases.supervise(today=date(2030, 1, 15)) == (0, 0, 0)
    for who in ("chief", "deputy", "director", "office"):
        assert notified(people[who], "来信超期") == 1, who
    assert notified(people["other_officer"], "来信超期") == 0
    event = letter.events.get(action=Action.ESCALATED)
    assert event.actor is None and "2030-01-11" in event.note
    assert Letter.objects.overdue(today=date(2030, 1, 14)).get() == letter

    # An extension granted gives the letter a new deadline, watched afresh.
    cases.request_extension(letter, people["officer"], 3, "等待材料。")
    cases.decide_extension(letter, people["office"], True)
    letter.refresh_from_db()
    assert letter.escalated_on is None and letter.deadline > FRIDAY


@pytest.mark.django_db
def test_supervise_warns_once_of_a_letter_near_the_three_month_limit(people):
    now = timezone.now()
    old = write(now=now - timedelta(days=61))
    write(now=now - timedelta(days=59))
    answered = write(now=now - timedelta(days=70))
    cases.close(answered, people["office"], "无效")  # not a valid letter: no limit
    assert cases.supervise(now=now)[2] == 1
    assert cases.supervise(now=now)[2] == 0
    assert notified(people["office"], "来信将满 3 个月未答复") == 1
    event = old.events.get(action=Action.ESCALATED)
    assert event.data == {"limit": True}


@pytest.mark.django_db
def test_the_periodic_task_supervises_on_each_run(people, wenshu, caplog):
    letter = assigned(people, wenshu)
    letter.deadline = timezone.localdate() - timedelta(days=1)
    letter.save(update_fields=["deadline"])
    with caplog.at_level(logging.INFO, logger="govsite.mailbox.tasks"):
        assert tasks.supervise_letters.enqueue().return_value == [0, 1, 0]
    letter.refresh_from_db()
    assert letter.escalated_on == timezone.localdate()
    assert "超期督办 1 件" in caplog.text


@pytest.mark.django_db
def test_a_failing_supervision_is_a_failed_task_and_the_next_run_goes_on(
    people, wenshu, monkeypatch
):
    real = cases.supervise

    def broken(*args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(cases, "supervise", broken)
    failed = tasks.supervise_letters.enqueue()
    assert failed.status == "FAILED" and "database unavailable" in failed.errors[0].traceback
    monkeypatch.setattr(cases, "supervise", real)
    assert tasks.supervise_letters.enqueue().status == "SUCCESSFUL"
