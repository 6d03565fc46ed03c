"""R-SURVEY-1 (第十一条) in the admin: the staff of the section owning 服务满意度调查 (综合科)
build surveys under 在线交流 › 调查问卷, as drafts; nobody else may; a survey with answers keeps
its questions as they were answered, and publishing a new version keeps its answers."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govsite.sections import roles
from govsite.testing.helpers import assert_refused, login

from ..models import Question, QuestionKind, Response, Survey
from .factories import add_response, make_survey, question

pytestmark = pytest.mark.django_db

ADD = reverse("surveys:add")


def edit_url(survey):
    return reverse("surveys:edit", args=[survey.pk])


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def survey_form(questions, title="2026年网站服务满意度调查", initial=0, **fields):
    """The POST data of the survey editor; ``questions`` as the inline forms' fields."""
    now = timezone.now()
    return nested_form_data(
        {
            "title": title,
            "introduction": "为了解公众对本网站的评价，特开展本次调查。",
            "opens_at": local(now - timedelta(hours=1)),
            "closes_at": local(now + timedelta(days=14)),
            "publish_results": "on",
            "questions": inline_formset(questions, initial=initial),
            **fields,
        }
    )


def menu_labels(client):
    """Every label of the admin's main menu (rendered as JSON props of the sidebar)."""
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads(props.group(1)))
    return labels


def q(text, kind, choices="", required="on", **extra):
    return {"text": text, "kind": kind, "choices": choices, "required": required, **extra}


def existing(survey):
    """The inline forms of ``survey``'s questions as they are stored (``id`` included)."""
    return [
        q(item.text, item.kind, item.choices, "on" if item.required else "", id=item.pk)
        for item in survey.questions.all()
    ]


QUESTIONS = [
    q("您是通过什么途径知道本网站的？", "single", "搜索引擎\n政府门户网站\n朋友介绍\n"),
    q("您经常浏览哪些栏目？", "multiple", "政务公开\n政策文件\n在线交流", required=""),
    q("您对网站总体是否满意？", "rating"),
    q("您还有什么意见和建议？", "text", required=""),
]


@pytest.fixture
def officer(client, role_users):
    login(client, role_users["综合科-信息员"])
    return role_users["综合科-信息员"]


def publish_latest(survey):
    """What the director's approval does at the end of the review chain."""
    survey.refresh_from_db()
    survey.get_latest_revision().publish()
    survey.refresh_from_db()


def test_the_owners_officer_builds_a_survey_as_a_draft(client, officer):
    assert {"在线交流", "调查问卷"} <= set(menu_labels(client))

    response = client.post(ADD, survey_form(QUESTIONS), follow=True)
    assert "已保存为草稿。提交审核并通过后才会在网站上发布。" in response.content.decode()
    survey = Survey.objects.get()
    assert survey.title == "2026年网站服务满意度调查" and survey.publish_results
    assert not survey.live and survey.status() == "草稿"
    assert [(x.text, x.kind, x.required) for x in survey.questions.all()] == [
        ("您是通过什么途径知道本网站的？", QuestionKind.SINGLE, True),
        ("您经常浏览哪些栏目？", QuestionKind.MULTIPLE, False),
        ("您对网站总体是否满意？", QuestionKind.RATING, True),
        ("您还有什么意见和建议？", QuestionKind.TEXT, False),
    ]
    assert question(survey, 1).choice_list == ["搜索引擎", "政府门户网站", "朋友介绍"]
    assert survey.is_open()

    listing = client.get(reverse("surveys:list")).content.decode()
    assert "2026年网站服务满意度调查" in listing and "草稿" in listing
    assert reverse("surveys:results", args=[survey.pk]) in listing


def test_the_editor_offers_submit_for_review_in_the_offices_words(client, officer):
    """Wagtail's "Submit to %(workflow_name)s" reads 提交审核 (govsite/locale), like the
    confirmation after it; the office has one review chain, so naming it says nothing."""
    client.post(ADD, survey_form(QUESTIONS))
    html = client.get(edit_url(Survey.objects.get())).content.decode()
    assert "提交审核" in html and "提交给" not in html


def test_a_new_question_is_optional_unless_ticked(client, officer):
    html = client.get(ADD).content.decode()
    assert "必答" in html and "勾选后，访问者不答此题就不能提交问卷。" in html
    data = survey_form([{"text": "您还有什么建议？", "kind": "text", "choices": ""}])
    assert client.post(ADD, data).status_code == 302
    assert Question.objects.get().required is False


@pytest.mark.parametrize(
    "questions, message",
    [
        ([q("您是否满意？", "single", "满意")], "单选题和多选题至少需要两个选项（每行一个）。"),
        ([q("您常用哪些栏目？", "multiple", "")], "单选题和多选题至少需要两个选项（每行一个）。"),
        ([q("您是否满意？", "single", "满意\n满意")], "选项「满意」重复了。"),
        ([q("您的评分？", "rating", "1\n2")], "评分题和文字题不需要选项，请清空。"),
    ],
)
def test_choice_questions_need_two_options(client, officer, questions, message):
    response = client.post(ADD, survey_form(questions))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_a_survey_closes_after_it_opens_and_is_submitted_with_a_question(client, officer):
    now = timezone.now()
    data = survey_form(QUESTIONS, closes_at=local(now - timedelta(days=1)))
    assert "结束时间必须晚于开始时间。" in client.post(ADD, data).content.decode()
    assert not Survey.objects.exists()
    # A draft may wait for its questions; what goes to review may not.
    assert client.post(ADD, survey_form([], **{"action-submit": "1"})).status_code == 200
    assert not Survey.objects.exists()
    assert client.post(ADD, survey_form([])).status_code == 302
    assert Survey.objects.get().status() == "草稿"


OTHERS = ["秘书科-信息员", "秘书科-科长", "主管主任(秘书科、文书科)", roles.SITE_MANAGERS,
          roles.SYSTEM_ADMINS, roles.AUDIT_ADMINS]  # fmt: skip


@pytest.mark.parametrize("role", OTHERS)
def test_others_may_not_build_or_read_surveys(client, role_users, role):
    survey = make_survey()
    login(client, role_users[role])
    assert_refused(client.get(reverse("surveys:list")))
    assert_refused(client.get(ADD))
    assert_refused(client.post(ADD, survey_form(QUESTIONS, title="伪造的调查")))
    data = survey_form(existing(survey), title="改过的标题", initial=4)
    assert_refused(client.post(edit_url(survey), data))
    assert_refused(client.get(reverse("surveys:results", args=[survey.pk])))
    assert_refused(client.get(reverse("surveys:export", args=[survey.pk])))
    assert list(Survey.objects.values_list("title", flat=True)) == ["网站服务满意度调查"]
    assert "调查问卷" not in menu_labels(client)


def test_a_survey_without_answers_may_be_changed_freely(client, officer):
    survey = make_survey()
    forms = existing(survey)
    forms[0]["kind"], forms[0]["choices"] = "rating", ""
    forms[1]["DELETE"] = "on"
    forms.append(q("新增的题目", "text", required=""))
    response = client.post(edit_url(survey), survey_form(forms, initial=4), follow=True)
    assert "的修改已保存为草稿。网站上仍是已发布的版本" in response.content.decode()
    # The public still sees the published version until the new one is approved.
    assert [x.text for x in Survey.objects.get().questions.all()][-1] != "新增的题目"
    publish_latest(survey)
    assert [(x.text, x.kind) for x in survey.questions.all()] == [
        ("您通过什么途径了解本网站？", "rating"),
        ("您对网站信息更新的及时性是否满意？", "rating"),
        ("您对我们的工作还有什么意见和建议？", "text"),
        ("新增的题目", "text"),
    ]


def _changed(forms):
    forms[0]["kind"] = "multiple"
    return forms


def _deleted(forms):
    forms[1]["DELETE"] = "on"
    return forms


def _added(forms):
    return [*forms, q("新增的题目", "text", required="")]


def _new_options(forms):
    forms[0]["choices"] = "搜索引擎\n政府门户"
    return forms


def _required(forms):
    forms[1]["required"] = "on"
    return forms


@pytest.mark.parametrize(
    "change, message",
    [
        (_changed, "不能修改题目「您通过什么途径了解本网站？」的题型。"),
        (_deleted, "不能删除题目「您常用哪些栏目？」。"),
        (_added, "不能新增题目。"),
        (_new_options, "不能修改题目「您通过什么途径了解本网站？」的选项。"),
        (_required, "不能修改题目「您常用哪些栏目？」是否必答。"),
    ],
)
def test_an_answered_survey_keeps_its_questions(client, officer, change, message):
    survey = make_survey()
    add_response(survey, {1: "政府门户", 2: ["政务公开"], 3: 4})
    before = list(Question.objects.order_by("pk").values())
    edit = client.get(edit_url(survey)).content.decode()
    assert "本调查已有 1 份答卷" in edit

    response = client.post(edit_url(survey), survey_form(change(existing(survey)), initial=4))
    html = response.content.decode()
    assert response.status_code == 200
    assert "本调查已有 1 份答卷，为保证统计结果准确" in html and message in html
    assert list(Question.objects.order_by("pk").values()) == before


def test_an_answered_survey_may_be_reworded_and_reordered_and_keeps_its_answers(client, officer):
    survey = make_survey()
    add_response(survey, {1: "政府门户", 3: 4})
    question_ids = sorted(survey.questions.values_list("pk", flat=True))
    forms = existing(survey)
    forms[0]["text"] = "您是通过什么途径了解本网站的？"
    forms[0]["choices"] = "搜索引擎\n\n政府门户\n朋友介绍  \n"  # same options, other spacing
    forms[0]["ORDER"], forms[1]["ORDER"] = "1", "0"
    later = timezone.now() + timedelta(days=30)
    data = survey_form(forms, initial=4, closes_at=local(later), title="延期后的调查")
    assert client.post(edit_url(survey), data).status_code == 302
    survey.refresh_from_db()
    assert survey.title == "网站服务满意度调查"  # a draft until the review chain approves it
    publish_latest(survey)
    assert survey.title == "延期后的调查"
    assert sorted(survey.questions.values_list("pk", flat=True)) == question_ids
    assert [x.text for x in survey.questions.all()][:2] == [
        "您常用哪些栏目？",
        "您是通过什么途径了解本网站的？",
    ]
    assert Response.objects.get().answers.count() == 2


def test_deleting_a_survey_takes_its_answers(site_tree):
    """A question with answers cannot go on its own (RESTRICT), the whole survey can."""
    from django.db.models import RestrictedError

    survey = make_survey()
    add_response(survey, {1: "政府门户", 3: 4})
    with pytest.raises(RestrictedError):
        question(survey, 1).delete()
    survey.delete()
    assert not Response.objects.exists() and not Question.objects.exists()


def test_the_site_manager_sets_the_daily_cap(client, role_users):
    login(client, role_users[roles.SITE_MANAGERS])
    from ..models import SurveySettings

    pk = SurveySettings.load().pk
    url = reverse("wagtailsettings:edit", args=["surveys", "surveysettings", pk])
    assert client.post(url, {"answers_per_address_per_day": "30"}).status_code == 302
    assert SurveySettings.load().answers_per_address_per_day == 30
