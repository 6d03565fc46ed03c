"""The mailbox's admin, driven with the test client (R-MAIL-2..5; 第十一、十三条): the case list
and who sees what in it, every step from the letter's page and every refusal, the attachment,
整理上报 (print and export), the 区长电子信箱 hand-off and the calendar.

A step refused shows ``cases``' sentence in Chinese and changes nothing; a letter the user may
not read is a 404 at every address it has.
"""

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govsite.screening.models import ProhibitedCategory, ProhibitedTerm
from govsite.sections import roles
from govsite.sections.models import Section

from .. import cases, handoff, reports
from ..exports import HEADERS
from ..models import Holiday, Letter, LetterEvent
from .factories import at, write

Status, Action, Scope = Letter.Status, LetterEvent.Action, Letter.Scope
ALL_STEPS = [
    "classify", "close", "assign", "forward", "result", "extension", "extension-decision",
    "draft", "chief-review", "office-review", "sign-off", "director-review", "publish",
    "report",
]  # fmt: skip


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def letter_url(letter, name="mailbox_letter"):
    return reverse(name, args=[letter.pk])


def as_user(client, user):
    client.force_login(user)
    return client


def step(client, letter, name, **data):
    """POST one step's form from the letter's page (its fields are prefixed with its name)."""
    return client.post(
        reverse("mailbox_letter_step", args=[letter.pk, name]),
        {f"{name}-{key}": value for key, value in data.items()},
    )


def succeeded(response, letter):
    """A step taken: back to the letter's page (its message is shown there)."""
    assert response.status_code == 302 and response["Location"] == letter_url(letter)
    letter.refresh_from_db()


def offered(html, letter, *names):
    """The steps whose forms the letter's page offers, of ``names``."""
    return {
        name for name in names if reverse("mailbox_letter_step", args=[letter.pk, name]) in html
    }


def shown(client, response):
    """The page a step's response leads to, as text (following the redirect)."""
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200
    return response.content.decode()


def refused_with(client, response, letter, message):
    """A refused step: the letter's page again, the message, and nothing changed."""
    before = Letter.objects.filter(pk=letter.pk).values().get()
    events = letter.events.count()
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert Letter.objects.filter(pk=letter.pk).values().get() == before
    assert letter.events.count() == events
    return html


def sidebar(html):
    """The admin menu's labels, from the sidebar's JSON props."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    return json.dumps(json.loads(props.group(1)), ensure_ascii=False)


def listing(client, **params):
    response = client.get(reverse("mailbox_letters"), params)
    assert response.status_code == 200
    return response.content.decode()


# Who sees what -----------------------------------------------------------------------------------


@pytest.fixture
def two_letters(people, wenshu):
    """One letter assigned to 文书科, one to 秘书科."""
    office = people["office"]
    ours = write(subject="文书科承办的来信")
    theirs = write(subject="秘书科承办的来信", name="王五")
    for letter, section in ((ours, wenshu), (theirs, Section.objects.get(name="秘书科"))):
        cases.classify(letter, office, Scope.INTERNAL)
        cases.assign(letter, office, section)
    return ours, theirs


@pytest.mark.django_db
def test_each_sees_the_letters_of_their_sections(client, people, two_letters):
    ours, theirs = two_letters
    unassigned = write(subject="尚未分类的来信")
    html = listing(as_user(client, people["office"]))
    assert all(letter.subject in html for letter in (ours, theirs, unassigned))
    for who in ("officer", "chief", "director"):
        html = listing(as_user(client, people[who]))
        assert ours.subject in html, who
        assert theirs.subject not in html and unassigned.subject not in html, who
    html = listing(as_user(client, people["other_officer"]))
    assert theirs.subject in html and ours.subject not in html


@pytest.mark.django_db
def test_a_letter_not_theirs_is_a_404_at_every_address(client, people, two_letters):
    ours, _ = two_letters
    as_user(client, people["other_officer"])
    for name in ("mailbox_letter", "mailbox_letter_print", "mailbox_attachment"):
        assert client.get(letter_url(ours, name)).status_code == 404, name
    response = step(client, ours, "draft", text="越权拟写的答复")
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.status == Status.ASSIGNED and not ours.draft_reply


@pytest.mark.django_db
def test_those_with_no_part_are_kept_out(client, make_user, people, two_letters):
    ours, _ = two_letters
    auditor = make_user("auditor", roles.AUDIT_ADMINS)
    as_user(client, auditor)
    response = client.get(reverse("mailbox_letters"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert client.get(letter_url(ours)).status_code == 404
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "来信办理" not in sidebar(html) and "沟通信箱" not in sidebar(html)
    for name in ("mailbox_report", "mailbox_handoff_import", "mailbox_handoff_schema"):
        as_user(client, people["officer"])
        assert client.get(reverse(name)).status_code == 302, name  # 综合科's pages


@pytest.mark.django_db
def test_the_menu_counts_what_waits_and_the_dashboard_says_what(client, people, two_letters):
    write()
    html = as_user(client, people["office"]).get(reverse("wagtailadmin_home")).content.decode()
    assert "来信办理（1）" in sidebar(html)  # one letter to triage
    assert "待分类" in html and "超期" in html
    html = as_user(client, people["officer"]).get(reverse("wagtailadmin_home")).content.decode()
    assert "来信办理（1）" in sidebar(html)  # one reply to draft
    assert "待拟写答复" in html and "待分类" not in html


# The list ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_filters_and_searches(client, people, two_letters):
    ours, theirs = two_letters
    waiting = write(subject="待分类的来信", name="赵六", now=at(date(2030, 1, 7)))
    ours.deadline = timezone.localdate() - timedelta(days=1)
    ours.save(update_fields=["deadline"])
    as_user(client, people["office"])

    def found(**params):
        html = listing(client, **params)
        return {letter for letter in (ours, theirs, waiting) if letter.tracking_number in html}

    assert found() == {ours, theirs, waiting}
    assert found(status="received") == {waiting}
    assert found(status=["assigned", "received"]) == {ours, theirs, waiting}
    assert found(section=ours.section_id) == {ours}
    assert found(scope="internal") == {ours, theirs}
    assert found(overdue="true") == {ours}
    assert found(overdue="false") == {theirs, waiting}
    assert found(q="赵六") == {waiting}
    assert found(q=theirs.tracking_number) == {theirs}
    assert found(q="文书科承办") == {ours}
    assert found(received_at_from="2030-01-01", received_at_to="2030-01-31") == {waiting}
    html = listing(client, overdue="true")
    assert "（超期）" in html and "mailbox-overdue" in html


# One letter: what it shows -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_letter_its_flags_and_its_record(client, people, private_media):
    letter, _ = cases.receive(
        name="张三",
        subject="反映问题",
        text="附件为内部资料。",
        phone="13812345678",
        attachment=SimpleUploadedFile("证明材料.pdf", b"%PDF-1.4 test"),
    )
    html = as_user(client, people["office"]).get(letter_url(letter)).content.decode()
    assert "内容审查提示" in html and "内部资料" in html
    assert "13812345678" in html and "证明材料" in html
    assert reverse("mailbox_attachment", args=[letter.pk]) in html
    assert "/media/" not in html  # the file is private
    assert "收到来信" in html  # the record
    assert offered(html, letter, *ALL_STEPS) == {"classify", "close"}


@pytest.mark.django_db
def test_the_attachment_is_sent_as_a_download_to_readers_only(client, people, private_media):
    letter, _ = cases.receive(
        name="张三",
        subject="反映问题",
        text="见附件。",
        attachment=SimpleUploadedFile("page.html", b"<script>alert(1)</script>"),
    )
    response = as_user(client, people["office"]).get(letter_url(letter, "mailbox_attachment"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    as_user(client, people["officer"])  # not assigned to 文书科 (yet)
    assert client.get(letter_url(letter, "mailbox_attachment")).status_code == 404


@pytest.mark.django_db
def test_each_user_is_offered_only_the_steps_they_may_take(client, people, wenshu):
    letter = write()
    cases.classify(letter, people["office"], Scope.INTERNAL)
    cases.assign(letter, people["office"], wenshu)

    def steps_for(who):
        html = as_user(client, people[who]).get(letter_url(letter)).content.decode()
        return offered(html, letter, *ALL_STEPS)

    assert steps_for("officer") == steps_for("chief") == {"draft", "extension"}
    assert steps_for("director") == set()  # reads, and is told when it is overdue
    assert steps_for("office") == {"assign", "report"}
    cases.request_extension(letter, people["officer"], 2, "需核实。")
    cases.draft(letter, people["officer"], "答复")
    assert steps_for("officer") == set()
    assert steps_for("chief") == {"chief-review"}
    assert steps_for("office") == {"extension-decision", "report"}


# The internal path, step by step -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_internal_path_through_the_admin(client, people, wenshu):
    office, officer, chief = people["office"], people["officer"], people["chief"]
    letter = write()

    as_user(client, office)
    succeeded(step(client, letter, "classify", scope="internal"), letter)
    assert letter.scope == Scope.INTERNAL
    html = client.get(letter_url(letter)).content.decode()
    assert "已分类为“涉及办公室内部工作”" in html
    assert "留空则按沟通信箱设置：交办后 5 个工作日" in html
    succeeded(step(client, letter, "assign", section=wenshu.pk, deadline=""), letter)
    assert letter.section == wenshu and letter.status == Status.ASSIGNED
    assert letter.deadline > timezone.localdate()

    as_user(client, officer)
    succeeded(step(client, letter, "draft", text="您好，所需材料已在办事指南栏目列出。"), letter)
    assert letter.status == Status.DRAFTED

    as_user(client, chief)
    succeeded(step(client, letter, "chief-review", decision="approve", note=""), letter)
    assert letter.status == Status.APPROVED

    as_user(client, office)
    html = client.get(letter_url(letter)).content.decode()
    assert "id_office-review-publish" in html and "来信人同意公开" in html
    response = step(
        client,
        letter,
        "office-review",
        decision="prepare",
        text="您好，所需材料见办事指南栏目。",
        department="区政府办公室文书科",
        publish="on",
    )
    succeeded(response, letter)
    assert letter.status == Status.PREPARED and not letter.published
    assert "答复已提交，待综合科科长签发。" in shown(client, response)

    as_user(client, people["office_chief"])
    html = client.get(letter_url(letter)).content.decode()
    assert "您好，所需材料见办事指南栏目。" in html and "（已拟定，尚未发送）" in html
    assert "并隐去个人信息在网站公开" in html
    response = step(client, letter, "sign-off", decision="sign_off", note="")
    succeeded(response, letter)
    assert letter.status == Status.REPLIED and letter.published
    assert letter.reply_department == "区政府办公室文书科"
    assert "已签发，答复已发送并在网站公开。" in shown(client, response)

    as_user(client, office)

    succeeded(step(client, letter, "publish", publish="0"), letter)
    assert not letter.published
    succeeded(step(client, letter, "publish", publish="1"), letter)
    assert letter.published
    succeeded(step(client, letter, "report", note="报送办公室主任"), letter)
    assert letter.events.filter(action=Action.REPORTED, note="报送办公室主任").exists()


@pytest.mark.django_db
def test_returns_extensions_and_reassignment_through_the_admin(client, people, wenshu):
    letter = write()
    cases.classify(letter, people["office"], Scope.INTERNAL)
    cases.assign(letter, people["office"], wenshu, deadline=date(2030, 1, 11))
    as_user(client, people["officer"])
    succeeded(step(client, letter, "extension", days="2", reason="需核实。"), letter)
    assert letter.extension_days == 2
    succeeded(step(client, letter, "draft", text="初稿"), letter)

    as_user(client, people["chief"])
    response = step(client, letter, "chief-review", decision="return", note="请补充材料清单。")
    succeeded(response, letter)
    assert letter.status == Status.ASSIGNED

    as_user(client, people["office"])
    assert "需核实。" in client.get(letter_url(letter)).content.decode()
    succeeded(step(client, letter, "extension-decision", decision="grant", note=""), letter)
    assert letter.deadline == date(2030, 1, 15) and letter.extension_days == 0
    mishu = Section.objects.get(name="秘书科")
    succeeded(step(client, letter, "assign", section=mishu.pk, deadline="2030-02-01"), letter)
    assert (letter.section, letter.deadline) == (mishu, date(2030, 2, 1))
    as_user(client, people["officer"])  # 文书科 no longer has it
    assert client.get(letter_url(letter)).status_code == 404


@pytest.mark.django_db
def test_the_office_returns_an_approved_draft(client, people, wenshu):
    letter = write()
    cases.classify(letter, people["office"], Scope.INTERNAL)
    cases.assign(letter, people["office"], wenshu)
    cases.draft(letter, people["officer"], "初稿")
    cases.approve(letter, people["chief"])
    as_user(client, people["office"])
    response = step(client, letter, "office-review", decision="return", note="请补充办理时限。")
    succeeded(response, letter)
    assert letter.status == Status.ASSIGNED
    assert letter.events.last().note == "请补充办理时限。"


@pytest.mark.django_db
def test_closing_invalid_and_duplicate_letters(client, people):
    earlier, invalid, duplicate = write(), write(), write()
    as_user(client, people["office"])
    succeeded(step(client, invalid, "close", kind="invalid", reason="广告。"), invalid)
    assert invalid.status == Status.INVALID and invalid.close_reason == "广告。"
    response = step(
        client,
        duplicate,
        "close",
        kind="duplicate",
        duplicate_of=earlier.tracking_number.lower(),
        reason="同一事项。",
    )
    succeeded(response, duplicate)
    assert (duplicate.status, duplicate.duplicate_of) == (Status.DUPLICATE, earlier)
    html = client.get(letter_url(duplicate)).content.decode()
    assert letter_url(earlier) in html


# Every refusal -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refusals_are_shown_in_chinese_and_change_nothing(client, people, wenshu):
    letter = write()
    as_user(client, people["officer"])
    # The letter is not theirs: not even its page.
    assert step(client, letter, "classify", scope="internal").status_code == 404

    as_user(client, people["office"])
    refused_with(
        client, step(client, letter, "close", kind="invalid"), letter, "请填写不予受理的理由"
    )
    html = refused_with(
        client,
        step(
            client, letter, "close", kind="duplicate", duplicate_of="GT-19990101-0001", reason="x"
        ),
        letter,
        "没有编号为 GT-19990101-0001 的信件",
    )
    assert 'value="GT-19990101-0001"' in html  # the form as it was filled in
    refused_with(client, step(client, letter, "forward"), letter, "涉及政府工作")
    refused_with(client, step(client, letter, "draft", text="答复"), letter, "您无权办理这封信件")
    refused_with(client, step(client, letter, "classify", scope="secret"), letter, "请按提示修改")

    cases.classify(letter, people["office"], Scope.INTERNAL)
    cases.assign(letter, people["office"], wenshu)
    as_user(client, people["chief"])
    refused_with(client, step(client, letter, "classify", scope="internal"), letter, "您无权办理")
    refused_with(
        client, step(client, letter, "chief-review", decision="approve"), letter, "承办科室办理中"
    )
    refused_with(client, step(client, letter, "draft", text=" "), letter, "答复内容不能为空")


@pytest.mark.django_db
def test_a_chief_cannot_approve_their_own_draft_in_the_admin(client, people, wenshu):
    letter = write()
    cases.classify(letter, people["office"], Scope.INTERNAL)
    cases.assign(letter, people["office"], wenshu)
    as_user(client, people["chief"])
    succeeded(step(client, letter, "draft", text="科长亲自拟写"), letter)
    html = client.get(letter_url(letter)).content.decode()
    assert "须由本科室其他科长审核" in html and "id_chief-review-note" not in html
    refused_with(
        client,
        step(client, letter, "chief-review", decision="approve"),
        letter,
        "不能审核自己拟写的答复",
    )
    as_user(client, people["deputy"])
    succeeded(step(client, letter, "chief-review", decision="approve"), letter)
    assert letter.status == Status.APPROVED


@pytest.mark.django_db
def test_a_screened_reply_is_refused_and_the_text_kept(client, people, wenshu):
    category = ProhibitedCategory.objects.get(number=7)
    ProhibitedTerm.objects.get_or_create(text="网上赌场", defaults={"category": category})
    letter = write(consent=False)
    cases.classify(letter, people["office"], Scope.INTERNAL)
    cases.assign(letter, people["office"], wenshu)
    cases.draft(letter, people["officer"], "合格的答复。")
    cases.approve(letter, people["chief"])
    as_user(client, people["office"])
    text = "欢迎访问网上赌场了解详情。"
    html = refused_with(
        client,
        step(client, letter, "office-review", decision="prepare", text=text, department="文书科"),
        letter,
        "答复未通过内容审查",
    )
    assert text in html  # what 综合科 typed is still in the form

    # No consent: the box is disabled, a crafted "on" is ignored, the step refuses publishing.
    assert "来信人没有同意公开，不能在网站公开。" in html
    response = step(
        client, letter, "office-review", decision="prepare", text="合格的答复。", publish="on"
    )
    succeeded(response, letter)
    as_user(client, people["office_chief"])
    assert "不在网站公开" in client.get(letter_url(letter)).content.decode()
    succeeded(step(client, letter, "sign-off", decision="sign_off"), letter)
    assert letter.status == Status.REPLIED and not letter.published
    as_user(client, people["office"])
    refused_with(client, step(client, letter, "publish", publish="1"), letter, "没有同意公开")


@pytest.mark.django_db
def test_unknown_steps_and_gets_are_refused(client, people):
    letter = write()
    as_user(client, people["office"])
    assert step(client, letter, "delete").status_code == 404
    url = reverse("mailbox_letter_step", args=[letter.pk, "classify"])
    assert client.get(url).status_code == 405


# The 区长电子信箱 hand-off -----------------------------------------------------------------------


@pytest.fixture
def forwarded(client, people):
    letter = write(subject="关于道路维修的建议")
    as_user(client, people["office"])
    succeeded(step(client, letter, "classify", scope="government"), letter)
    html = client.get(letter_url(letter)).content.decode()
    assert "id_assign-section" not in html and "登记转办" in html
    succeeded(step(client, letter, "forward"), letter)
    assert letter.status == Status.FORWARDED
    return letter


def upload(client, content, name="result.json"):
    return client.post(
        reverse("mailbox_handoff_import"), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.django_db
def test_the_package_is_downloaded_printed_and_its_result_imported(client, forwarded):
    letter = forwarded
    html = client.get(letter_url(letter)).content.decode()
    assert reverse("mailbox_handoff", args=[letter.pk]) in html
    response = client.get(reverse("mailbox_handoff", args=[letter.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    package = json.loads(response.content)
    assert package["tracking_number"] == letter.tracking_number and package["result"] is None
    printed = client.get(reverse("mailbox_handoff_print", args=[letter.pk])).content.decode()
    assert "区长电子信箱转办单" in printed and letter.subject in printed

    package["result"] = {"department": "区交通局", "text": "已安排维修。"}
    response = upload(client, json.dumps(package, ensure_ascii=False).encode())
    assert response.status_code == 302 and response["Location"] == letter_url(letter)
    letter.refresh_from_db()
    assert letter.status == Status.RESULT and letter.draft_reply == "已安排维修。"

    html = client.get(letter_url(letter)).content.decode()
    assert "退回承办科室修改" not in html
    response = step(client, letter, "office-review", decision="prepare", text="已安排维修。")
    succeeded(response, letter)
    assert letter.status == Status.PREPARED and letter.reply_department == "区交通局"


@pytest.mark.django_db
def test_the_result_may_be_recorded_with_the_form(client, forwarded):
    letter = forwarded
    response = step(
        client,
        letter,
        "result",
        text="已办理。",
        department="区民政局",
        handled_at="2030-01-10T16:30",
    )
    succeeded(response, letter)
    assert letter.status == Status.RESULT
    assert letter.events.last().data["handled_at"].startswith("2030-01-10T16:30")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xff\xfe not json", "文件不是有效的 JSON"),
        (b'{"schema": "something/else"}', "不是本系统的转办格式"),
        (
            json.dumps(
                {
                    "schema": handoff.SCHEMA_ID,
                    "tracking_number": "GT-19990101-0001",
                    "result": {"department": "区交通局", "text": "已办理"},
                }
            ).encode(),
            "没有编号为 GT-19990101-0001 的信件",
        ),
    ],
)
@pytest.mark.django_db
def test_a_bad_package_is_refused_with_the_reason_in_chinese(client, forwarded, content, message):
    response = upload(client, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    forwarded.refresh_from_db()
    assert forwarded.status == Status.FORWARDED


@pytest.mark.django_db
def test_a_package_for_a_letter_not_forwarded_is_refused(client, forwarded):
    package = json.loads(handoff.dumps(forwarded))
    package["result"] = {"department": "区交通局", "text": "已办理"}
    upload(client, json.dumps(package).encode())
    response = upload(client, json.dumps(package).encode())  # the second time
    assert "区长电子信箱已反馈" in response.content.decode()


@pytest.mark.django_db
def test_the_schema_is_downloadable_and_internal_letters_have_no_package(client, people):
    as_user(client, people["office"])
    response = client.get(reverse("mailbox_handoff_schema"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    schema = json.loads(b"".join(response.streaming_content))
    assert schema["$id"] == handoff.SCHEMA_ID
    internal = write()
    assert client.get(reverse("mailbox_handoff", args=[internal.pk])).status_code == 404


# 整理上报 ----------------------------------------------------------------------------------------


@pytest.fixture
def period(people, wenshu):
    """Three letters received in January 2030: one replied, one in hand, one invalid."""
    office = people["office"]
    replied = write(subject="=已答复的来信", now=at(date(2030, 1, 7)))
    cases.classify(replied, office, Scope.INTERNAL)
    cases.assign(replied, office, wenshu, deadline=date(2030, 1, 14), today=date(2030, 1, 7))
    cases.draft(replied, people["officer"], "答复")
    cases.approve(replied, people["chief"])
    cases.prepare_reply(replied, office)
    cases.sign_off(replied, people["office_chief"], now=at(date(2030, 1, 9)))
    in_hand = write(subject="办理中的来信", now=at(date(2030, 1, 8)))
    cases.classify(in_hand, office, Scope.INTERNAL)
    cases.assign(in_hand, office, wenshu, deadline=date(2030, 1, 10), today=date(2030, 1, 8))
    invalid = write(subject="无效的来信", now=at(date(2030, 1, 9)))
    cases.close(invalid, office, "广告。")
    write(subject="二月的来信", now=at(date(2030, 2, 1)))
    return replied, in_hand, invalid


JANUARY = {"start": "2030-01-01", "end": "2030-01-31"}


@pytest.mark.django_db
def test_the_summary_page_shows_the_statistics_and_the_letters(client, people, period):
    replied, in_hand, invalid = period
    html = as_user(client, people["office"]).get(reverse("mailbox_report"), JANUARY)
    html = html.content.decode()
    assert "收到来信" in html and "按时答复率" in html and "100.0%" in html
    assert all(letter.tracking_number in html for letter in period)
    assert "二月的来信" not in html
    html = client.get(reverse("mailbox_report"), {**JANUARY, "status": "replied"}).content.decode()
    assert replied.tracking_number in html and in_hand.tracking_number not in html
    printed = client.get(reverse("mailbox_report_print"), JANUARY).content.decode()
    assert "沟通信箱来信汇总" in printed and "2030年1月1日" in printed
    assert in_hand.tracking_number in printed
    assert not LetterEvent.objects.filter(
        action=Action.REPORTED
    ).exists()  # viewing is not reporting
    html = client.get(reverse("mailbox_report"), {"start": "2030-02-01", "end": "2030-01-01"})
    assert "截止日期不能早于起始日期" in html.content.decode()


@pytest.mark.django_db
def test_the_xlsx_export_has_a_row_per_letter_and_is_logged(client, people, period, exported):
    replied, in_hand, invalid = period
    Letter.objects.filter(pk=in_hand.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    as_user(client, people["office"])
    content = exported(reverse("mailbox_report_export", args=["xlsx"]), JANUARY)
    workbook = load_workbook(io.BytesIO(content))
    rows = list(workbook["来信汇总"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADERS.values())
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {letter.tracking_number for letter in period}
    row = by_number[replied.tracking_number]
    assert row[4] == "=已答复的来信" and row[5] == "已答复" and row[6] == "文书科"
    assert row[9] == 2 and row[10] == "是"  # Tue 8th and Wed 9th; by the deadline
    assert by_number[in_hand.tracking_number][10] == "否（已超期未答复）"
    assert by_number[invalid.tracking_number][10] == "—"
    figures = dict(workbook["统计"].iter_rows(values_only=True))
    assert figures["收到来信"] == 3 and figures["已答复"] == 1
    statistics = reports.statistics(date(2030, 1, 1), date(2030, 1, 31))
    on_time = sum(1 for row in by_number.values() if row[10] == "是")
    assert figures["按时答复"] == statistics.on_time == on_time
    for letter in period:
        event = letter.events.get(action=Action.REPORTED)
        assert event.actor == people["office"] and "2030-01-01 至 2030-01-31" in event.note


@pytest.mark.django_db
def test_the_csv_export_is_excel_friendly_and_filtered(client, people, period, exported):
    replied, in_hand, invalid = period
    as_user(client, people["office"])
    content = exported(
        reverse("mailbox_report_export", args=["csv"]), {**JANUARY, "status": "assigned"}
    )
    text = content.decode("utf-8")
    assert text.startswith("\ufeff统计期间,2030-01-01 至 2030-01-31\r\n")
    table = list(csv.reader(io.StringIO(text.split("\r\n\r\n", 1)[1])))
    assert table[0] == list(HEADERS.values())
    assert [row[0] for row in table[1:] if row] == [in_hand.tracking_number]
    assert in_hand.events.filter(action=Action.REPORTED).count() == 1
    assert not replied.events.filter(action=Action.REPORTED).exists()
    assert client.get(reverse("mailbox_report_export", args=["pdf"]), JANUARY).status_code == 404
    assert client.post(reverse("mailbox_report_export", args=["pdf"]), JANUARY).status_code == 404


@pytest.mark.django_db
def test_the_subject_cannot_run_as_a_formula_in_csv(client, people, period, exported):
    as_user(client, people["office"])
    content = exported(reverse("mailbox_report_export", args=["csv"]), JANUARY)
    assert "'=已答复的来信" in content.decode("utf-8")


@pytest.mark.django_db
def test_a_letter_is_printed_whole(client, people, period):
    replied, _, _ = period
    html = as_user(client, people["officer"]).get(letter_url(replied, "mailbox_letter_print"))
    html = html.content.decode()
    assert "来信办理单" in html and replied.reply in html
    assert "科长审核通过" in html and "答复" in html


# Settings and calendar ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_site_manager_keeps_the_calendar_and_the_settings(client, people):
    as_user(client, people["site_manager"])
    response = client.post(
        reverse("mailbox_holidays:add"), {"date": "2030-10-01", "name": "国庆节", "workday": ""}
    )
    assert response.status_code == 302
    assert Holiday.objects.filter(date=date(2030, 10, 1), name="国庆节").exists()
    assert "国庆节" in client.get(reverse("mailbox_holidays:index")).content.decode()
    settings_url = reverse("wagtailsettings:edit", args=["mailbox", "mailboxsettings"])
    assert client.get(settings_url, follow=True).status_code == 200

    as_user(client, people["officer"])
    assert client.get(reverse("mailbox_holidays:index")).status_code == 302
    response = client.post(
        reverse("mailbox_holidays:add"), {"date": "2030-10-02", "name": "国庆节"}
    )
    assert not Holiday.objects.filter(date=date(2030, 10, 2)).exists()


# Sign-off and the director (第十四条) -------------------------------------------------------------


@pytest.mark.django_db
def test_sign_off_returns_and_the_directors_approval_through_the_admin(client, people, wenshu):
    from ..models import MailboxSettings
    from .factories import prepared

    letter = prepared(people, wenshu, publish=True)
    as_user(client, people["office_chief"])
    response = step(client, letter, "sign-off", decision="return", note="")
    refused_with(client, response, letter, "退回时请写明修改意见")
    response = step(client, letter, "sign-off", decision="return", note="请写明办理时限。")
    succeeded(response, letter)
    assert letter.status == Status.APPROVED
    assert "已退回，待综合科信息员修改答复。" in shown(client, response)

    settings = MailboxSettings.load()
    settings.directors_approve_replies = True
    settings.save()
    as_user(client, people["office"])
    html = client.get(letter_url(letter)).content.decode()
    assert "请写明办理时限。" in html  # the chief's comment, in the record
    assert letter.reply in html  # the wording comes back to be edited
    text = letter.reply + "本周内办结。"
    response = step(client, letter, "office-review", decision="prepare", text=text, publish="on")
    succeeded(response, letter)
    as_user(client, people["office_chief"])
    assert (
        "送主管主任审核，通过后答复发送给来信人" in client.get(letter_url(letter)).content.decode()
    )
    response = step(client, letter, "sign-off", decision="sign_off", note="同意")
    succeeded(response, letter)
    assert letter.status == Status.DIRECTOR_REVIEW
    assert "已签发，待主管主任审核答复。" in shown(client, response)

    as_user(client, people["director"])  # 文书科's director: not the mailbox's
    assert offered(client.get(letter_url(letter)).content.decode(), letter, *ALL_STEPS) == set()
    as_user(client, people["office_director"])
    html = client.get(letter_url(letter)).content.decode()
    assert offered(html, letter, *ALL_STEPS) == {"director-review"}
    response = step(client, letter, "director-review", decision="approve")
    succeeded(response, letter)
    assert letter.status == Status.REPLIED and letter.published
    assert "已审核通过，答复已发送并在网站公开。" in shown(client, response)
