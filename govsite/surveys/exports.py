"""R-SURVEY-1 (第十一条): every answer sheet of a survey as an .xlsx workbook for 综合科.

One row per answer sheet, one column per question (in the survey's order): the option chosen,
the options chosen joined by "；", the rating as a number, or the text written.
"""

from collections import defaultdict

from django.utils import timezone

from govsite.exports.tables import fill_table_sheet, workbook_bytes

from .models import Answer, QuestionKind

MULTIPLE_SEPARATOR = "；"


def answer_rows(survey):
    """(headings, rows): the number, time and one value per question of each answer sheet."""
    questions = list(survey.questions.all())
    headings = ["序号", "提交时间", *[f"{n}. {q.text}" for n, q in enumerate(questions, 1)]]
    values = defaultdict(lambda: defaultdict(list))
    for answer in Answer.objects.filter(response__survey=survey).order_by("pk"):
        values[answer.response_id][answer.question_id].append(answer)

    rows = []
    for number, response in enumerate(survey.responses.order_by("submitted_at", "pk"), 1):
        submitted = timezone.localtime(response.submitted_at).replace(tzinfo=None, microsecond=0)
        row = [number, submitted]
        for question in questions:
            given = values[response.pk][question.pk]
            if not given:
                row.append(None)
            elif question.kind == QuestionKind.MULTIPLE:
                row.append(MULTIPLE_SEPARATOR.join(answer.choice for answer in given))
            else:
                row.append(given[0].display)
        rows.append(row)
    return headings, rows


def write_xlsx(survey):
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    headings, rows = answer_rows(survey)
    workbook = Workbook()
    fill_table_sheet(
        workbook.active,
        "答卷",
        headings,
        rows,
        widths={
            "A": 8,
            "B": 20,
            **{get_column_letter(n): 30 for n in range(3, len(headings) + 1)},
        },
        number_formats={"B": "yyyy-mm-dd hh:mm:ss"},
        freeze="C2",
    )
    return workbook_bytes(workbook)
