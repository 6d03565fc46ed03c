"""信息报送通报 as an .xlsx laid out for printing (R-INFO-3): a title row
("2026年3月各科室信息报送通报"), the header repeated on every printed page, a line per section,
a totals row; landscape, fitted to the page's width. The figures are ``reports``'; this module
only lays them out."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from govsite.exports.tables import fill_table_sheet, workbook_bytes

HEADERS = ["名次", "科室", "报送数", "采用数", "采用率（%）", "得分", "累计积分"]
WIDTHS = {"A": 8, "B": 18, "C": 10, "D": 10, "E": 12, "F": 10, "G": 12}
NUMBER_FORMATS = {"E": "0.0", "F": "0.0", "G": "0.0"}


def line_values(line):
    return [
        line.rank,
        line.section.name,
        line.sent,
        line.adopted,
        line.rate,
        float(line.points),
        float(line.cumulative),
    ]


def total_values(bulletin):
    total = bulletin.total
    return [
        "",
        "合计",
        total.sent,
        total.adopted,
        total.rate,
        float(total.points),
        float(total.cumulative),
    ]


def bulletin_workbook(bulletin):
    """The .xlsx bytes of ``bulletin`` (a ``reports.Bulletin``, already limited to the lines its
    reader may see)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([bulletin.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    rows = [line_values(line) for line in bulletin.lines] + [total_values(bulletin)]
    fill_table_sheet(
        sheet,
        "信息报送通报",
        HEADERS,
        rows,
        widths=WIDTHS,
        number_formats=NUMBER_FORMATS,
        wrap={"B"},
        freeze="A3",
    )
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append([_note(bulletin)])
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    return workbook_bytes(workbook)


def _note(bulletin):
    how = "多渠道采用积分累加" if bulletin.outlets_add_up else "多渠道采用只计最高一项"
    return (
        f"说明：按报送时间（科长审核通过、报送综合科）统计；采用和批示的积分计入该信息报送的月份；"
        f"{how}；累计积分为当年 1 月 1 日起至本时段末；得分相同名次并列。"
    )
