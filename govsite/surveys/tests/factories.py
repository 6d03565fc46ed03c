"""Surveys and answer sheets for the tests, made the way the system makes them."""

from datetime import timedelta

from django.utils import timezone

from ..models import Answer, Question, QuestionKind, Response, Survey, SurveyColumnPage

SATISFACTION = [
    ("您通过什么途径了解本网站？", QuestionKind.SINGLE, True, "搜索引擎\n政府门户\n朋友介绍"),
    ("您常用哪些栏目？", QuestionKind.MULTIPLE, False, "政务公开\n政策文件\n在线交流"),
    ("您对网站信息更新的及时性是否满意？", QuestionKind.RATING, True, ""),
    ("您对我们的工作还有什么意见和建议？", QuestionKind.TEXT, False, ""),
]


def make_survey(
    title="网站服务满意度调查",
    questions=SATISFACTION,
    opens=timedelta(days=-1),
    closes=timedelta(days=7),
    publish_results=False,
    introduction="",
    live=True,
    user=None,
):
    """A survey opening and closing at ``opens``/``closes`` from now, with ``questions`` as
    (text, kind, required, choices one a line): saved as a draft by ``user``, then published
    (as the review chain's last approval does) unless ``live`` is False."""
    now = timezone.now()
    survey = Survey(
        title=title,
        introduction=introduction,
        opens_at=now + opens,
        closes_at=now + closes,
        publish_results=publish_results,
        live=False,
    )
    for order, (text, kind, required, choices) in enumerate(questions):
        survey.questions.add(
            Question(text=text, kind=kind, required=required, choices=choices, sort_order=order)
        )
    survey.full_clean()
    survey.save()
    revision = survey.save_revision(user=user)
    if live:
        revision.publish(user=user, skip_permission_checks=True)
        survey.refresh_from_db()
    return survey


def submit(survey, user):
    """``user`` submits the latest version of ``survey`` to the review chain."""
    workflow_state = survey.get_workflow().start(survey, user)
    workflow_state.refresh_from_db()
    return workflow_state


def question(survey, number):
    """The ``number``-th question (from 1) of ``survey``."""
    return list(survey.questions.all())[number - 1]


def add_response(survey, values, client_hash="0" * 64, at=None):
    """An answer sheet of ``values`` ({question number: option, [options], rating or text})."""
    response = Response.objects.create(
        survey=survey, client_hash=client_hash, submitted_at=at or timezone.now()
    )
    for number, value in values.items():
        q = question(survey, number)
        if q.kind == QuestionKind.MULTIPLE:
            for choice in value:
                Answer.objects.create(response=response, question=q, choice=choice)
        elif q.kind == QuestionKind.SINGLE:
            Answer.objects.create(response=response, question=q, choice=value)
        elif q.kind == QuestionKind.RATING:
            Answer.objects.create(response=response, question=q, rating=value)
        else:
            Answer.objects.create(response=response, question=q, text=value)
    return response


def survey_column():
    return SurveyColumnPage.objects.get()
