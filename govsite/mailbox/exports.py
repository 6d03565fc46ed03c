"""整理上报 (第十一条 "由综合科整理上报"; R-MAIL-3): the period summary of letters as a table —
one row per letter — for the printable page and the .xlsx / .csv files, with the period's
``reports.statistics`` at the top.

What each figure means is decided in ``models`` (working days, the deadline) and ``reports``
(the statistics); this module only lays the rows out.
"""

import csv
import io
from dataclasses import dataclass, fields
from datetime import date, datetime

from django.utils import timezone

from govsite.exports.tables import fill_table_sheet, neutralised

from .models import Letter, MailboxSettings, holiday_calendar
from .reports import answered_on_time


@dataclass(frozen=True)
class SummaryRow:
    """One letter in the summary."""

    tracking_number: str
    received_at: datetime
    kind: str
    scope: str
    subject: str
    status: str
    section: str
    deadline: date | None
    replied_at: datetime | None
    handling_days: int | None
    on_time: str
    rating: str  # the writer's rating of the reply (R-MAIL-7), "" when not rated
    rating_comment: str


HEADERS = {
    "tracking_number": "信件编号",
    "received_at": "来信时间",
    "kind": "类型",
    "scope": "性质",
    "subject": "标题",
    "status": "状态",
    "section": "承办科室",
    "deadline": "办理期限",
    "replied_at": "答复时间",
    "handling_days": "办理用时（工作日）",
    "on_time": "按时答复",
    "rating": "群众评价",
    "rating_comment": "评价意见",
}
FIELDS = [field.name for field in fields(SummaryRow)]

ON_TIME, LATE, OVERDUE, IN_HAND, NOT_APPLICABLE = "是", "否", "否（已超期未答复）", "办理中", "—"


def on_time(letter, limit, today=None, calendar=None):
    """Whether ``letter`` was answered in time, as ``reports.statistics`` counts it: by its
    deadline when it has one (internal letters), else within the office's limit of
    ``limit`` working days. An open letter is 办理中 or, past its deadline, already late."""
    if letter.status in (Letter.Status.INVALID, Letter.Status.DUPLICATE):
        return NOT_APPLICABLE
    if letter.replied_at is None:
        return OVERDUE if letter.is_overdue(today) else IN_HAND
    return ON_TIME if answered_on_time(letter, limit, calendar) else LATE


def summary_rows(letters, today=None):
    limit = MailboxSettings.load().reply_working_days
    calendar = holiday_calendar()  # once for the list, not once per letter
    return [
        SummaryRow(
            tracking_number=letter.tracking_number,
            received_at=letter.received_at,
            kind=letter.get_kind_display(),
            scope=letter.get_scope_display() if letter.scope else "未分类",
            subject=letter.subject,
            status=letter.get_status_display(),
            section=letter.section.name if letter.section else "",
            deadline=letter.deadline,
            replied_at=letter.replied_at,
            handling_days=letter.handling_days(calendar),
            on_time=on_time(letter, limit, today, calendar),
            rating=letter.get_rating_display(),
            rating_comment=letter.rating_comment,
        )
        for letter in letters
    ]


def statistics_lines(statistics):
    """The period's figures (``reports.Statistics``) as (label, value) pairs."""

    def blank(value, suffix=""):
        return "—" if value is None else f"{value}{suffix}"

    return [
        ("统计期间", f"{statistics.start:%Y-%m-%d} 至 {statistics.end:%Y-%m-%d}"),
        ("收到来信", statistics.received),
        ("有效来信", statistics.valid),
        ("涉及办公室内部工作", statistics.internal),
        ("涉及政府工作（转区长电子信箱）", statistics.forwarded),
        ("已答复", statistics.closed),
        ("平均办理用时（工作日）", blank(statistics.average_days)),
        ("按时答复", statistics.on_time),
        ("按时答复率", blank(statistics.on_time_rate, "%")),
        ("参与评价", statistics.rated),
        ("满意", statistics.satisfied),
        ("基本满意", statistics.fairly_satisfied),
        ("不满意", statistics.dissatisfied),
        ("满意率（满意与基本满意）", blank(statistics.satisfaction_rate, "%")),
    ]


# How it is written -------------------------------------------------------------------------------


def _cell(row, name):
    value = getattr(row, name)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return value


def _counted(rows, counter):
    for row in rows:
        counter[0] += 1
        yield row


def write_csv(rows, out, statistics=None):
    """Write the summary to the binary file ``out``; return the number of letters. UTF-8 with a
    byte-order mark, so that Excel on a Chinese Windows opens it as such; the statistics (when
    given) come first, then a blank line, then the table."""
    counter = [0]
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text)
    if statistics is not None:
        for label, value in statistics_lines(statistics):
            writer.writerow([label, value])
        writer.writerow([])
    writer.writerow([HEADERS[name] for name in FIELDS])
    for row in _counted(rows, counter):
        writer.writerow([neutralised(_cell(row, name)) for name in FIELDS])
    text.flush()
    text.detach()  # ``out`` stays open for the caller
    return counter[0]


def write_xlsx(rows, out, statistics=None):
    """Write sheet 来信汇总 (one row per letter) and, when given, sheet 统计 (the figures) to
    the binary file ``out``; return the number of letters. A write-only workbook: memory stays
    flat whatever the number of letters."""
    from openpyxl import Workbook

    def values(row):
        for name in FIELDS:
            value = getattr(row, name)
            if isinstance(value, datetime):
                value = timezone.localtime(value).replace(tzinfo=None, microsecond=0)
            yield "" if value is None else value

    counter = [0]
    workbook = Workbook(write_only=True)
    fill_table_sheet(
        workbook.create_sheet(),
        "来信汇总",
        [HEADERS[name] for name in FIELDS],
        (list(values(row)) for row in _counted(rows, counter)),
        number_formats={"B": "yyyy-mm-dd hh:mm", "I": "yyyy-mm-dd hh:mm", "H": "yyyy-mm-dd"},
        wrap={"E", "M"},
        widths={
            "A": 20,
            "B": 17,
            "C": 6,
            "D": 18,
            "E": 40,
            "F": 16,
            "G": 10,
            "H": 11,
            "I": 17,
            "J": 10,
            "K": 10,
            "L": 10,
            "M": 30,
        },  # fmt: skip
    )
    if statistics is not None:
        figures = workbook.create_sheet("统计")
        figures.column_dimensions["A"].width = 30
        figures.column_dimensions["B"].width = 26
        for label, value in statistics_lines(statistics):
            figures.append([label, value])  # the office's own figures: no formula to guard
    workbook.save(out)
    return counter[0]


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
