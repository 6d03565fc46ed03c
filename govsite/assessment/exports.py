"""考核表: a period's scores as an .xlsx shaped like the office's assessment sheet (第二十二条;
R-ASSESS-2) — title, period, one row per section (each item's score, total, rank, the
deduction notes), the signature line 考核人/审核人/日期; landscape, fitted to the width of the
page, headings repeated on every printed page. The table itself is laid out as every export
of the house (``govsite.exports.tables.fill_table_sheet``)."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from govsite.exports.tables import fill_table_sheet, workbook_bytes

from .scoring import format_points

TITLE = "网站工作考核表（双百考核网站部分）"
SIGNATURES = "考核人：                    审核人：                    日期：        年    月    日"


def filename(scores):
    return f"考核表-{scores.label}.xlsx"


def headers(scores):
    return (
        ["科室"]
        + [f"{name}（{format_points(weight)}分）" for _measure, name, weight in scores.measures]
        + ["总分", "名次", "扣分说明"]
    )


def notes(row):
    """Every line of a section's items, each under its item's name."""
    return "\n".join(f"{item.name}：{line}" for item in row.items for line in item.lines)


def rows(scores):
    for row in scores.rows:
        by_measure = {item.measure: item for item in row.items}
        values = [row.section.name]
        for measure, _name, _weight in scores.measures:
            item = by_measure.get(measure)
            values.append(float(item.score) if item is not None else None)
        values += [float(row.total), row.rank, notes(row)]
        yield values


def state(scores):
    if scores.closed:
        closed = scores.closed_month
        return f"已关账（{closed.closed_at:%Y-%m-%d}）"
    if scores.provisional:
        return "本期尚未结束，为截至导出时的得分"
    return "未关账"


def assessment_workbook(scores, exported_at):
    """The 考核表 of ``scores`` (a ``scoring.PeriodScores``) as an openpyxl ``Workbook``."""
    book = Workbook()
    sheet = book.active
    heads = headers(scores)
    width = len(heads)
    last = get_column_letter(width)
    rule_sets = "、".join(rule_set.name for rule_set in scores.rule_sets)
    sheet.append([TITLE])
    sheet.append(
        [
            f"考核周期：{scores.label}　考核细则：{rule_sets or '无'}　状态：{state(scores)}"
            f"　导出时间：{exported_at:%Y-%m-%d %H:%M}"
        ]
    )
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    widths = {"A": 12, last: 60}
    for n in range(2, width):
        widths[get_column_letter(n)] = 11
    fill_table_sheet(
        sheet, "考核表", heads, rows(scores), widths=widths, wrap={last, "A"}, freeze="B4"
    )
    sheet.append([])
    sheet.append([SIGNATURES])
    sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
    if scores.months and len(scores.months) > 1:
        sheet.append(["季度、年度得分为所含各月得分的平均数（各月按当月适用的考核细则计算）。"])
        sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:3"
    sheet.print_options.horizontalCentered = True
    return book


def assessment_bytes(scores, exported_at):
    return workbook_bytes(assessment_workbook(scores, exported_at))
