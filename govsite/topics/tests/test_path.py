"""R-TOPIC-1 end to end through the real admin and public views: an officer applies, the chief,
综合科 and the director approve, the 专栏 is created under 热点专题 owned by the applying
section, its officer writes in it and another section's cannot, and when its period ends the
daily task archives it (the clock given explicitly, as the suite does)."""

import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from govsite.notices.models import Notice
from govsite.sections.models import Section
from govsite.testing.helpers import add_article, article_form

from .. import tasks
from ..models import Stage, Status, TopicApplication, TopicArticlePage, TopicPage
from .factories import application_values, days, form_data


def apply(client, user, **values):
    client.force_login(user)
    data = form_data(application_values(**values))
    data["section"] = Section.objects.get(name="秘书科").pk
    return client.post(reverse("govsite_topics:apply"), data)


def decide(client, user, application, decision="approve", comment=""):
    client.force_login(user)
    return client.post(
        reverse("govsite_topics:detail", args=[application.pk]),
        {"decision": decision, "comment": comment},
    )


def add_url(topic):
    return reverse("wagtailadmin_pages:add", args=["topics", "topicarticlepage", topic.pk])


def write_article(client, user, topic, title):
    client.force_login(user)
    board = topic.boards.get(name="政策解读")
    return client.post(add_url(topic), nested_form_data({**article_form(title), "board": board.pk}))


def opened_topic(client, people):
    response = apply(client, people["officer"])
    application = TopicApplication.objects.get()
    assert response.status_code == 302
    for reviewer in ("chief", "office_chief", "director"):
        assert decide(client, people[reviewer], application).status_code == 302
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_applied_approved_created_written_archived(client, people):
    response = apply(client, people["officer"])
    application = TopicApplication.objects.get()
    assert response.url == reverse("govsite_topics:detail", args=[application.pk])
    assert application.status == Status.AWAITING_CHIEF
    assert Notice.objects.filter(recipient=people["chief"], title__contains="待您审核").exists()

    # 科长 → 综合科 → 主管主任, each told in turn; the applicant told of each decision.
    for reviewer, next_status in [
        ("chief", Status.AWAITING_OFFICE),
        ("office_chief", Status.AWAITING_DIRECTOR),
        ("director", Status.OPENED),
    ]:
        response = decide(client, people[reviewer], application, comment="同意。")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == next_status
    assert Notice.objects.filter(recipient=people["office_chief"], title__contains="待您审核")
    assert Notice.objects.filter(recipient=people["director"], title__contains="待您审核")
    assert Notice.objects.filter(recipient=people["officer"], title__contains="专栏已开设")
    steps = list(application.steps.values_list("stage", "decision", "actor__username"))
    assert steps == [
        (Stage.APPLICANT, "filed", "mishu_officer"),
        (Stage.CHIEF, "approved", "mishu_chief"),
        (Stage.OFFICE, "approved", "zonghe_chief"),
        (Stage.DIRECTOR, "approved", "director_a"),
    ]

    # Created under 热点专题, live, owned by 秘书科, with its 板块, and empty.
    topic = application.topic
    assert topic.get_parent().slug == "rdzt"
    assert topic.live and topic.slug == "yshj"
    assert topic.owner_section.name == "秘书科"
    assert [board.name for board in topic.board_list()] == ["工作动态", "政策解读", "典型案例"]
    html = client.get(topic.url).content.decode()
    assert "优化营商环境专栏" in html and "政策解读" in html and "本板块暂无信息" in html

    # Its officer writes in it (draft, then the normal review chain); another section's cannot.
    response = write_article(client, people["officer"], topic, "营商环境新政解读")
    assert response.status_code == 302, response.content.decode()[:3000]
    article = TopicArticlePage.objects.get(title="营商环境新政解读")
    assert article.board.name == "政策解读" and not article.live
    assert article.source_section.name == "秘书科"
    client.force_login(people["other_officer"])
    response = client.get(add_url(topic), follow=True)
    assert "由秘书科负责，只有该科室的信息员和科长可以在此新建内容" in response.content.decode()
    response = client.post(add_url(topic), nested_form_data(article_form("越权文章")))
    assert response.status_code == 302
    assert not TopicArticlePage.objects.filter(title="越权文章").exists()

    # Published through review, the article shows under its 板块.
    add_article(topic, title="营商环境典型案例一", board=topic.boards.get(name="典型案例"))
    html = client.get(topic.url).content.decode()
    assert "营商环境典型案例一" in html

    # The day after its period the nightly task archives it.
    assert tasks.archive_ended_topics.call(days(300).isoformat()) == []
    assert tasks.archive_ended_topics.call(days(301).isoformat()) == [topic.pk]
    topic.refresh_from_db()
    assert topic.archived_at is not None and topic.live
    html = client.get(topic.url).content.decode()
    assert "已归档" in html and "营商环境典型案例一" in html

    # Closed to new content, with a sentence saying why.
    client.force_login(people["officer"])
    response = client.get(add_url(topic), follow=True)
    assert "到期归档，不能再新增内容" in response.content.decode()
    assert (
        not TopicPage.objects.get(pk=topic.pk)
        .permissions_for_user(people["officer"])
        .can_add_subpage()
    )
    # Listed under 往期专题 on 热点专题, no longer as 正在进行.
    assert list(TopicPage.objects.live().open()) == []
    html = client.get(topic.get_parent().url).content.decode()
    archived_part = html.split("往期专题", 1)[1]
    assert "优化营商环境专栏" in archived_part
    assert Notice.objects.filter(recipient=people["officer"], title__contains="专栏已归档")
    application.refresh_from_db()
    assert application.status_label == "已归档"


@pytest.mark.django_db
def test_the_heading_page_lists_open_topics_as_running(client, people):
    application = opened_topic(client, people)
    html = client.get(application.topic.get_parent().url).content.decode()
    running, past = html.split("往期专题", 1)
    assert "优化营商环境专栏" in running.split("正在进行", 1)[1]
    assert "暂无往期专题" in past
    assert list(TopicPage.objects.live().open()) == [application.topic]


@pytest.mark.django_db
def test_a_returned_application_keeps_its_reason_and_can_be_revised(client, people):
    apply(client, people["officer"])
    application = TopicApplication.objects.get()
    response = decide(client, people["chief"], application, "return")
    assert "退回必须填写意见" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CHIEF

    decide(client, people["chief"], application, "return", comment="请补充典型案例板块的内容来源。")
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    assert Notice.objects.filter(recipient=people["officer"], title__contains="退回")

    client.force_login(people["officer"])
    revise = reverse("govsite_topics:revise", args=[application.pk])
    page = client.get(revise).content.decode()
    assert "请补充典型案例板块的内容来源。" in page and "优化营商环境专栏" in page
    data = form_data(application_values(banner=application.banner, title="营商环境专栏"))
    data["section"] = application.section_id
    assert client.post(revise, data).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.round, application.title) == (
        Status.AWAITING_CHIEF,
        2,
        "营商环境专栏",
    )
    # The first round's record stays as it was: its content and its reason.
    first = application.steps.filter(round=1)
    assert first.get(decision="filed").snapshot["title"] == "优化营商环境专栏"
    assert first.get(decision="returned").comment == "请补充典型案例板块的内容来源。"
    # The chief who returned it may decide the new round.
    decide(client, people["chief"], application)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_OFFICE


@pytest.mark.django_db
def test_office_section_applies_through_its_chief_and_director(client, people):
    office = Section.objects.get(name="综合科")
    from .. import actions

    application = actions.file_application(
        people["office_officer"], office, application_values(slug="zwgk")
    )
    actions.approve(application, people["office_chief"])
    application.refresh_from_db()
    assert application.status == Status.AWAITING_DIRECTOR
    actions.approve(application, people["other_director"])
    application.refresh_from_db()
    assert application.status == Status.OPENED
    assert application.topic.owner_section == office


@pytest.mark.django_db
def test_archiving_is_idempotent_and_leaves_running_topics(client, people):
    application = opened_topic(client, people)
    topic = application.topic
    day_after = topic.ends_on + datetime.timedelta(days=1)
    assert tasks.archive_ended_topics.call(topic.ends_on.isoformat()) == []
    assert tasks.archive_ended_topics.call(day_after.isoformat()) == [topic.pk]
    assert tasks.archive_ended_topics.call(day_after.isoformat()) == []


@pytest.mark.django_db
def test_an_archived_topic_is_no_longer_assessed_for_freshness(client, people):
    from govsite.assessment.freshness import column_states

    application = opened_topic(client, people)
    topic = application.topic
    assert topic.pk in {state.column_id for state in column_states()}
    tasks.archive_ended_topics.call((topic.ends_on + datetime.timedelta(days=1)).isoformat())
    assert topic.pk not in {state.column_id for state in column_states()}
