"""The results of a survey (R-SURVEY-1, 第十一条): per question a table and a bar chart.

Percentages are of the visitors who answered that question, so those of a multiple choice can
add up to more than 100 %. Ratings also get their mean. The charts are inline SVG drawn on the
server by ``govsite.charts`` — no script, nothing fetched, fine on a closed network — and always
sit beside a table with the same figures, which is what a screen reader reads.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from govsite import charts

from .models import RATING_LABELS, Answer, QuestionKind


@dataclass
class Row:
    label: str
    count: int
    percent: float

    @property
    def percent_text(self):
        return f"{self.percent:.1f}%"


@dataclass
class QuestionResult:
    number: int
    question: object
    answered: int
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None
    texts: list[Answer] = field(default_factory=list)

    @property
    def anchor(self):
        return f"result-{self.question.pk}"

    @property
    def mean_text(self):
        return "—" if self.mean is None else f"{self.mean:.2f}"

    @property
    def chart(self):
        """Horizontal bars on a 0–100 % track, each labelled with its count and percentage."""
        if not self.rows:
            return None
        return charts.bar(
            self.question.text,
            [(row.label, row.percent, f"{row.count}（{row.percent_text}）") for row in self.rows],
            unit="%",
            max_value=100,
            layout="above",
            slug=f"{self.anchor}-chart",
        )


@dataclass
class SurveyResults:
    survey: object
    responses: int
    questions: list[QuestionResult]


def _percent(count, answered):
    return round(count * 100 / answered, 1) if answered else 0.0


def survey_results(survey):
    """Counts, percentages, means and free-text answers of every question of ``survey``."""
    answers = Answer.objects.filter(response__survey=survey).order_by()
    answered = dict(
        answers.values_list("question").annotate(people=Count("response", distinct=True))
    )
    counts = Counter()
    for question_id, choice, rating, count in (
        answers.exclude(question__kind=QuestionKind.TEXT)
        .values_list("question", "choice", "rating")
        .annotate(count=Count("pk"))
    ):
        counts[question_id, rating if rating is not None else choice] += count
    texts = defaultdict(list)
    for answer in (
        answers.filter(question__kind=QuestionKind.TEXT)
        .select_related("response")
        .order_by("response__submitted_at", "pk")
    ):
        texts[answer.question_id].append(answer)

    results = []
    for number, question in enumerate(survey.questions.all(), 1):
        people = answered.get(question.pk, 0)
        result = QuestionResult(number=number, question=question, answered=people)
        if question.kind == QuestionKind.RATING:
            scores = {score: counts[question.pk, score] for score in RATING_LABELS}
            result.rows = [
                Row(f"{score}分（{label}）", scores[score], _percent(scores[score], people))
                for score, label in RATING_LABELS.items()
            ]
            if people:
                result.mean = sum(score * n for score, n in scores.items()) / people
        elif question.has_choices:
            labels = question.choice_list
            # Options no longer offered (the questions are locked once answered, but the data
            # wins over the form) are still counted, after the current ones.
            labels += sorted(
                {key for qid, key in counts if qid == question.pk and key not in labels}
            )
            result.rows = [
                Row(label, counts[question.pk, label], _percent(counts[question.pk, label], people))
                for label in labels
            ]
        else:
            result.texts = texts[question.pk]
        results.append(result)
    return SurveyResults(survey=survey, responses=survey.responses.count(), questions=results)
