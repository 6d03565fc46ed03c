"""The review chain in the office's words (issue 14, 第十三、十四条): status words that say what
happened, a confirmation after every decision saying what comes next, the workflow dialog
naming the step and its reviewer, and the automatic screening's return named once."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState

from govsite.columns.models import Classification
from govsite.notices.models import Notice
from govsite.testing.helpers import add_article, login, sub_column

from .. import wording
from .test_review_chain import act, current_task, draft, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("mishu_officer", "秘书科-信息员"),
        "chief": make_user("mishu_chief", "秘书科-科长"),
        "director": make_user("director_a", "主管主任", supervises=["秘书科"]),
    }


def status(page):
    page.refresh_from_db()
    return wording.page_status(page)


def test_status_words_follow_the_article_through_the_chain(people):
    article = draft(people)
    assert status(article) == "草稿"
    state = submit(article, people["officer"])
    assert status(article) == "审核中"
    act(state, people["chief"], "reject", comment="请补充会议日期。")
    assert status(article) == "已退回"
    article.save_revision(user=people["officer"])
    state.resume(people["officer"])
    act(state, people["chief"])
    act(state, people["director"])
    assert status(article) == "已发布"
    article.save_revision(user=people["officer"])
    assert status(article) == "已发布（有未提交的修改）"
    submit(article, people["officer"])
    assert status(article) == "已发布（新版本审核中）"
    article.refresh_from_db()
    article.current_workflow_state.cancel(user=people["officer"])
    article.unpublish()
    assert status(article) == "已撤销"


def test_the_explorer_shows_the_status_words(client, people):
    add_article(sub_column("领导重要讲话"), title="已上网的文章", owner=people["officer"])
    submit(draft(people, title="送审中的文章"), people["officer"])
    login(client, people["officer"])
    html = client.get(f"/admin/pages/{sub_column('领导重要讲话').pk}/").content.decode()
    assert "已发布" in html and "审核中" in html
    assert "在用" not in html


def decide_from_listing(article, user, action):
    """The decision as 待我审核's row menu sends it (Wagtail's workflow action modal), by
    ``user`` in a browser of their own."""
    client = login(Client(), user)
    task_state = article.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, action, task_state.pk])
    data = {"comment": "请修改。"} if action == "reject" else {}
    response = client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_every_decision_from_the_dashboard_says_what_happens_next(people):
    article = draft(people, title="区政府办公室召开专题会议")
    submit(article, people["officer"])
    assert decide_from_listing(article, people["chief"], "approve") == [
        "已通过：《区政府办公室召开专题会议》，已送主管主任审核。"
    ]
    article.refresh_from_db()
    assert decide_from_listing(article, people["director"], "approve") == [
        "已通过审核并发布：《区政府办公室召开专题会议》。"
    ]
    article.refresh_from_db()
    assert article.live


def test_a_return_from_the_dashboard_says_the_author_is_told(people):
    article = draft(people, title="区政府办公室召开专题会议")
    submit(article, people["officer"])
    assert decide_from_listing(article, people["chief"], "reject") == [
        "已退回作者修改：《区政府办公室召开专题会议》。作者会收到通知和您的意见。"
    ]


def test_the_workflow_dialog_names_the_step_and_its_reviewer(client, people):
    article = draft(people)
    submit(article, people["officer"])
    login(client, people["officer"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "正在科长审核（秘书科科长）" in html
    assert "提交人：mishu_officer" in html
    assert "经由" not in html


def test_the_screenings_return_is_named_once(people):
    article = draft(people, classification=Classification.INTERNAL)
    state = submit(article, people["officer"])
    assert state.current_task_state.status == TaskState.STATUS_REJECTED
    notice = Notice.objects.filter(recipient=people["officer"], title__startswith="退回修改").get()
    assert "自动审查（自动审查）" not in notice.text
    assert notice.text.startswith("自动审查未通过：")


def test_a_chiefs_return_names_the_step_and_the_chief(people):
    article = draft(people)
    state = submit(article, people["officer"])
    act(state, people["chief"], "reject", comment="请补充会议日期。")
    notice = Notice.objects.filter(recipient=people["officer"], title__startswith="退回修改").get()
    assert notice.text == "科长审核（mishu_chief）退回。意见：请补充会议日期。"
    assert current_task(state).name == "科长审核"
