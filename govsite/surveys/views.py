"""The public side of R-SURVEY-1 (第十一条), served as routes of ``SurveyColumnPage``:
a survey's answer sheet, its thank-you page and, once closed, its published results. Only
published surveys (approved by the review chain, 第十四条) exist for the public: a draft or a
survey under review is 404, and the public always sees the published version."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect

from . import rules
from .forms import AnswerForm
from .models import Survey
from .results import survey_results


def _render(page, request, template, survey, status=200, **context):
    response = page.render(
        request,
        template=template,
        context_overrides={
            "survey": survey,
            "answer_url": page.survey_url(survey, "answer"),
            "results_url": page.survey_url(survey, "results")
            if survey.results_are_public()
            else None,
            **context,
        },
    )
    response.status_code = status
    return response


def answer(page, request, survey_id):
    """The answer sheet. Refused, with the reason, outside the survey's period and to a
    visitor who has already answered (``rules.refusal``)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    survey = get_object_or_404(Survey.objects.live().started(), pk=survey_id)
    template = "surveys/survey_answer.html"
    notice = rules.refusal(request, survey)
    if notice:
        status = 403 if request.method == "POST" else 200
        return _render(page, request, template, survey, status=status, notice=notice)
    form = AnswerForm(survey, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rules.submit(request, survey, form.answers())
        except rules.Refused as refused:
            return _render(page, request, template, survey, status=403, notice=refused.message)
        return rules.remember_answer(redirect(page.survey_url(survey, "thanks")), survey)
    return _render(page, request, template, survey, form=form)


def thanks(page, request, survey_id):
    survey = get_object_or_404(Survey.objects.live().started(), pk=survey_id)
    return _render(page, request, "surveys/survey_thanks.html", survey)


def results(page, request, survey_id):
    """The results of a closed survey whose results 综合科 chose to publish; free-text answers
    are counted but not shown (they may hold personal details)."""
    survey = get_object_or_404(Survey.objects.live().with_public_results(), pk=survey_id)
    return _render(
        page, request, "surveys/survey_results.html", survey, results=survey_results(survey)
    )
