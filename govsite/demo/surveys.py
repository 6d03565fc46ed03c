"""Demo surveys for 服务满意度调查 (R-SURVEY-1, 第十一条): one closed earlier in the year with
its results published, one open now, each with its answer sheets (``data/surveys.toml``).

The answers are drawn, from a fixed seed, from each question's weights, and written in bulk
(a few hundred sheets in a handful of queries). A survey already in the database — matched by
its title — is left as it is.

A survey goes live only through the review chain (``create_survey``): the owning section's
信息员 builds and submits it, its 科长 and the supervising director approve it.
"""

import hashlib
import random
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from govsite.demo.history import telling_nobody
from govsite.notices.models import Notice
from govsite.surveys.models import Answer, Question, QuestionKind, Response, Survey
from govsite.surveys.rules import survey_section

SURVEYS_FILE = Path(__file__).resolve().parent / "data" / "surveys.toml"
OPENING_HOUR = 9


def load_surveys_spec(path=SURVEYS_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


@dataclass
class SurveysReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    responses: int = 0


def _opening(item, now):
    day = timezone.localdate(now) - timedelta(days=item["opens_days_ago"])
    opens_at = timezone.make_aware(datetime(day.year, day.month, day.day, OPENING_HOUR))
    return opens_at, opens_at + timedelta(days=item["days_open"])


def _title(item, opens_at):
    day = timezone.localdate(opens_at)
    return item["title"].replace("{year}", str(day.year)).replace("{month}", str(day.month))


def _reviewers():
    """The owner of 服务满意度调查: its 信息员 builds and submits, its 科长 and the director who
    supervises it approve (R-SURVEY-1, 第十四条)."""
    section = survey_section()
    officer = section.officers().filter(is_active=True).order_by("username").first()
    chief = section.chiefs().filter(is_active=True).order_by("username").first()
    director = section.directors.filter(is_active=True).order_by("username").first()
    return officer, chief, director


def _approve(survey, user):
    """``user`` approves the step the survey waits at, as from the 待我审核 panel."""
    state = survey.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, user, "approve")


def create_survey(item, title, opens_at, closes_at):
    """The survey and its questions as the owning section's 信息员 builds them (R-SURVEY-1),
    then submitted and approved through the review chain (screening, 科长, 主管主任), whose
    last approval publishes it; required is opt-in per question. The one place a demo survey
    is made."""
    officer, chief, director = _reviewers()
    survey = Survey(
        title=title,
        introduction=item["introduction"].strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        publish_results=item.get("publish_results", False),
        live=False,
    )
    for order, question in enumerate(item["questions"]):
        survey.questions.add(
            Question(
                text=question["text"],
                kind=question["kind"],
                required=question.get("required", False),
                choices="\n".join(question.get("choices", [])),
                sort_order=order,
            )
        )
    survey.full_clean()
    survey.save()
    survey.save_revision(user=officer)
    survey.get_workflow().start(survey, officer)
    for reviewer in (chief, director):
        _approve(Survey.objects.get(pk=survey.pk), reviewer)
    survey = Survey.objects.get(pk=survey.pk)
    if not survey.live:
        raise RuntimeError(f"演示调查《{title}》未通过审核流程：{survey.status()}")
    # Built and approved in the days before it opened, as the office would.
    built = opens_at - timedelta(days=3)
    Survey.objects.filter(pk=survey.pk).update(
        created_at=built, first_published_at=built, last_published_at=built
    )
    return survey


def _submitted_at(rng, opens_at, closes_at, now):
    """Most sheets come in the first days after the survey is announced."""
    end = min(closes_at, now - timedelta(minutes=5))
    span = (end - opens_at).total_seconds()
    return opens_at + timedelta(seconds=span * rng.random() ** 2)


def _answers(rng, question, spec):
    """The unsaved answers one visitor gives to ``question`` (none when they skip it)."""
    if not question.required and rng.random() * 100 >= spec.get("answer_rate", 100):
        return []
    if question.kind == QuestionKind.SINGLE:
        choice = rng.choices(spec["choices"], spec["weights"])[0]
        return [Answer(question=question, choice=choice)]
    if question.kind == QuestionKind.MULTIPLE:
        options = zip(spec["choices"], spec["weights"], strict=True)
        chosen = [choice for choice, percent in options if rng.random() * 100 < percent]
        if not chosen:
            chosen = rng.choices(spec["choices"], spec["weights"])
        return [Answer(question=question, choice=choice) for choice in chosen]
    if question.kind == QuestionKind.RATING:
        return [Answer(question=question, rating=rng.choices(range(1, 6), spec["weights"])[0])]
    return [Answer(question=question, text=rng.choice(spec["answers"]))]


def add_responses(survey, item, rng, now):
    """``item["responses"]`` answer sheets, dated within the survey's period before ``now``,
    each from a different (made-up) visitor."""
    questions = list(survey.questions.order_by("sort_order"))
    count = item["responses"]
    sheets = sorted(
        _submitted_at(rng, survey.opens_at, survey.closes_at, now) for _ in range(count)
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                submitted_at=at,
                client_hash=hashlib.sha256(f"demo|{survey.pk}|{n}".encode()).hexdigest(),
            )
            for n, at in enumerate(sheets)
        ]
    )
    answers = []
    for response in responses:
        for question, spec in zip(questions, item["questions"], strict=True):
            for answer in _answers(rng, question, spec):
                answer.response = response
                answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=500)
    return len(responses)


@transaction.atomic
def ensure_surveys(now, spec=None):
    """The demo surveys that are missing (by title), with their answers."""
    spec = spec or load_surveys_spec()
    report = SurveysReport()
    for number, item in enumerate(spec["surveys"]):
        rng = random.Random(spec["seed"] + number)  # each survey its own answers
        opens_at, closes_at = _opening(item, now)
        title = _title(item, opens_at)
        if Survey.objects.filter(title=title).exists():
            report.skipped.append(title)
            continue
        # The review is history: its notices and their e-mail copies are not sent.
        last_notice = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with telling_nobody():
            survey = create_survey(item, title, opens_at, closes_at)
        Notice.objects.filter(pk__gt=last_notice).delete()
        report.responses += add_responses(survey, item, rng, now)
        report.created.append(title)
    return report
