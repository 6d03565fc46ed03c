"""R-SURVEY-1 (第十一条): every answer sheet of a survey as an .xlsx workbook for 综合科.

One row per answer sheet, one column per question (in the survey's order): the option chosen,
the options chosen joined by "；", the rating as a number, or the text written.
"""

import io
from collections import defaultdict

from django.utils import timezone

from .models import Answer, QuestionKind

MULTIPLE_SEPARATOR = "；"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    from openpyxl.styles import Alignment, Font

    headings, rows = answer_rows(survey)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "答卷"
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # an answer such as "=1+1" stays text, never a formula
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd hh:mm:ss"
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 20
    for column in sheet.iter_cols(min_col=3, max_col=len(headings), max_row=1):
        sheet.column_dimensions[column[0].column_letter].width = 30
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
