"""R-SURVEY-1 with 第十一、十四条: surveys belong to the owner of 服务满意度调查 and go live only
through the review chain — screening, the owning section's chief, its director — like any
content; nobody approves their own submission; moving the column moves the duty."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from govsite.notices.models import Notice
from govsite.screening.models import ProhibitedCategory, ProhibitedTerm
from govsite.sections import roles
from govsite.testing.helpers import assert_refused, login, section
from govsite.workflow.models import ChiefReviewTask, DirectorReviewTask

from ..models import QuestionKind, Survey
from .factories import add_response, make_survey, question, submit, survey_column
from .test_admin import existing, survey_form

pytestmark = pytest.mark.django_db

DIRECTOR = "主管主任(综合科、督查室、信息中心)"
OTHER_DIRECTOR = "主管主任(秘书科、文书科)"
CHOICE = [("您通过什么途径了解本网站？", QuestionKind.SINGLE, True, "搜索引擎\n政府门户")]


def current_task(state):
    state.refresh_from_db()
    return state.current_task_state.task.specific


def act(state, user, action="approve", comment=""):
    task = current_task(state)
    task.on_action(state.current_task_state, user, action, comment=comment)
    state.refresh_from_db()
    return state


def draft(user, title="2026年网站服务满意度调查", questions=CHOICE):
    return make_survey(title, questions=questions, live=False, user=user)


# The permission matrix: role × action --------------------------------------------------------

ACTIONS = ["create", "edit", "submit", "approve as chief", "approve as director", "results",
           "export"]  # fmt: skip
MATRIX = {
    "综合科-信息员": {"create", "edit", "submit", "results", "export"},
    "综合科-科长": {"create", "edit", "submit", "approve as chief", "results", "export"},
    DIRECTOR: {"approve as director", "results", "export"},
    roles.SITE_MANAGERS: set(),
    "秘书科-信息员": set(),
    "秘书科-科长": set(),
    OTHER_DIRECTOR: set(),
    roles.AUDIT_ADMINS: set(),
}


def allowed(client, user, action, survey):
    """Whether ``user`` may take ``action`` on ``survey`` (a draft of 综合科's officer), as the
    admin answers it: the screen opens or Wagtail refuses; the review step offers its buttons
    and lists the survey under 待我审核, or neither."""
    urls = {
        "create": reverse("surveys:add"),
        "edit": reverse("surveys:edit", args=[survey.pk]),
        "results": reverse("surveys:results", args=[survey.pk]),
        "export": reverse("surveys:export", args=[survey.pk]),
    }
    if action in urls:
        response = client.get(urls[action])
        if response.status_code != 200:
            assert_refused(response)
        return response.status_code == 200
    if action == "submit":
        data = survey_form(existing(survey), initial=1, **{"action-submit": "1"})
        response = client.post(reverse("surveys:edit", args=[survey.pk]), data)
        if response.status_code != 302 or response["Location"] == "/admin/":
            return False
        return survey.workflow_in_progress
    task = current_task(survey.current_workflow_state)
    assert isinstance(task, ChiefReviewTask if action == "approve as chief" else DirectorReviewTask)
    may = bool(task.get_actions(survey, user))
    assert may == task.get_task_states_user_can_moderate(user).exists()
    return may


@pytest.mark.parametrize("role", MATRIX)
def test_the_permission_matrix(client, role_users, role):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    login(client, role_users[role])
    granted = set()
    for action in ACTIONS:
        survey = draft(officer, title=f"调查：{action}")
        if action.startswith("approve"):
            state = submit(survey, officer)
            if action == "approve as director":
                act(state, chief)
        if allowed(client, role_users[role], action, survey):
            granted.add(action)
    assert granted == MATRIX[role], (role, granted)


def test_nobody_approves_their_own_submission(role_users):
    chief = role_users["综合科-科长"]
    survey = draft(chief)
    state = submit(survey, chief)
    assert isinstance(current_task(state), ChiefReviewTask)
    assert current_task(state).get_actions(survey, chief) == []
    assert not ChiefReviewTask.objects.get().get_task_states_user_can_moderate(chief).exists()


# Screening, then the chief, then the director publishes --------------------------------------


def test_a_prohibited_word_is_returned_by_screening_with_the_finding(client, role_users):
    ProhibitedTerm.objects.create(text="代开发票", category=ProhibitedCategory.objects.first())
    officer = role_users["综合科-信息员"]
    survey = draft(officer, questions=[("您是否需要代开发票？", QuestionKind.SINGLE, True,
                                        "需要\n不需要")])  # fmt: skip
    login(client, officer)
    data = survey_form(existing(survey), initial=1, **{"action-submit": "1"})
    response = client.post(reverse("surveys:edit", args=[survey.pk]), data, follow=True)
    html = response.content.decode()
    assert "自动审查未通过，已退回，未送科长审核。" in html and "「代开发票」" in html
    assert "第1题" in html
    state = survey.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    screening = state.current_task_state.specific
    assert screening.findings[0]["matched"] == "代开发票"
    assert screening.findings[0]["field"] == "第1题"
    assert not ChiefReviewTask.objects.get().get_task_states_user_can_moderate(
        role_users["综合科-科长"]
    )
    assert Notice.objects.filter(recipient=officer, title__startswith="退回修改").exists()
    assert not Survey.objects.get(pk=survey.pk).live


def test_chief_then_director_approval_publishes_and_the_public_sees_it(client, role_users):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    director = role_users[DIRECTOR]
    survey = draft(officer)
    answer_url = survey_column().survey_url(survey)
    assert client.get(answer_url).status_code == 404
    assert "2026年网站服务满意度调查" not in client.get(survey_column().url).content.decode()

    state = submit(survey, officer)
    statuses = dict(state.task_states.values_list("task__name", "status"))
    assert statuses["自动审查"] == TaskState.STATUS_APPROVED
    assert statuses["信息中心审核"] == TaskState.STATUS_SKIPPED
    assert Survey.objects.with_review_status().get().status() == "审核中"
    notice = Notice.objects.get(recipient=chief)
    assert notice.title == "待您审核：《2026年网站服务满意度调查》（科长审核）"
    assert notice.url == reverse("surveys:edit", args=[survey.pk])
    assert client.get(answer_url).status_code == 404  # under review: not on the site yet

    act(state, chief)
    assert isinstance(current_task(state), DirectorReviewTask)
    assert not Survey.objects.get().live
    act(state, director, comment="同意发布")
    assert state.status == WorkflowState.STATUS_APPROVED
    survey = Survey.objects.with_review_status().get()
    assert survey.live and survey.status() == "已发布（进行中）"
    assert Notice.objects.filter(recipient=officer, title__startswith="已发布").exists()

    assert "2026年网站服务满意度调查" in client.get(survey_column().url).content.decode()
    assert client.get(answer_url).status_code == 200


def test_a_returned_survey_says_so_in_the_list(role_users):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    state = submit(draft(officer), officer)
    act(state, chief, "reject", comment="请补充调查说明。")
    assert Survey.objects.with_review_status().get().status() == "已退回"


def test_a_revised_live_survey_is_reviewed_again_and_keeps_its_answers(client, role_users):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    survey = make_survey("网站服务满意度调查", user=officer)
    add_response(survey, {1: "政府门户", 3: 4})
    ids = sorted(survey.questions.values_list("pk", flat=True))
    login(client, officer)
    forms = existing(survey)
    forms[0]["text"] = "您是从哪里知道本网站的？"
    data = survey_form(forms, initial=4, title="网站服务满意度调查（修订）",
                       **{"action-submit": "1"})  # fmt: skip
    assert client.post(reverse("surveys:edit", args=[survey.pk]), data).status_code == 302
    survey = Survey.objects.with_review_status().get()
    assert survey.status() == "已发布（进行中），修改稿审核中"
    html = client.get(survey_column().survey_url(survey)).content.decode()
    assert "您通过什么途径了解本网站？" in html and "您是从哪里知道本网站的？" not in html

    state = survey.current_workflow_state
    act(state, chief)
    act(state, role_users[DIRECTOR])
    survey.refresh_from_db()
    assert survey.title == "网站服务满意度调查（修订）"
    assert question(survey, 1).text == "您是从哪里知道本网站的？"
    assert sorted(survey.questions.values_list("pk", flat=True)) == ids
    assert question(survey, 1).answers.get().choice == "政府门户"


# Moving the column moves the duty (R-TREE-2) --------------------------------------------------


def test_moving_the_column_moves_the_surveys_to_the_new_owner(client, role_users):
    column = survey_column()
    column.owner_section = section("秘书科")
    column.save_revision().publish()

    survey = draft(role_users["秘书科-信息员"])
    state = submit(survey, role_users["秘书科-信息员"])
    assert current_task(state).get_actions(survey, role_users["秘书科-科长"])
    assert not current_task(state).get_actions(survey, role_users["综合科-科长"])
    act(state, role_users["秘书科-科长"])
    assert current_task(state).get_actions(survey, role_users[OTHER_DIRECTOR])
    assert not current_task(state).get_actions(survey, role_users[DIRECTOR])

    login(client, role_users["秘书科-信息员"])
    assert client.get(reverse("surveys:add")).status_code == 200
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 200
    client.logout()
    login(client, role_users["综合科-信息员"])
    assert_refused(client.get(reverse("surveys:add")))
    assert_refused(client.get(reverse("surveys:results", args=[survey.pk])))
