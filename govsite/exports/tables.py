"""The one table layout of every .xlsx and .csv export, and the content types they are served as."""

import io

# What every export of the project (审核记录, 来信汇总, 审计日志, 答卷) is served as.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The formats of every export, by what staff call them.
FORMAT_NAMES = {"xlsx": "Excel", "csv": "CSV"}


def neutralised(value):
    """A spreadsheet must show a comment such as "=1+1" as text, never run it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def fill_table_sheet(
    sheet, title, headers, rows, *, widths, number_formats=None, wrap=None, freeze="A2"
):
    """One table on ``sheet``, as every .xlsx export here lays it out: a bold header row that
    stays in view, text that starts with "=" kept as text (the formula guard, as ``neutralised``
    for CSV), dates in ``number_formats`` (column letter → format), cells aligned to the top and
    wrapped in the ``wrap`` columns (all when None), columns ``widths`` wide, the panes frozen
    above and left of ``freeze``.

    The same on an ordinary sheet and on a write-only one (``Workbook(write_only=True)``, whose
    rows go to disk as they come, so that an export of any size keeps memory flat): every cell
    is made styled before its row is added, and the columns and panes are set first, as a
    write-only sheet requires."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    alignments = {
        wrapped: Alignment(vertical="top", wrap_text=wrapped) for wrapped in (True, False)
    }
    number_formats = number_formats or {}
    sheet.title = title
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = freeze

    bold = Font(bold=True)
    heading = []
    for value in headers:
        cell = WriteOnlyCell(sheet, value)
        cell.font = bold
        cell.alignment = alignments[True]  # a long heading (a survey's question) wraps
        heading.append(cell)
    sheet.append(heading)

    def styled(letter, value):
        cell = WriteOnlyCell(sheet, value)
        if isinstance(value, str) and cell.data_type == "f":
            cell.data_type = "s"
        if letter in number_formats:
            cell.number_format = number_formats[letter]
        cell.alignment = alignments[wrap is None or letter in wrap]
        return cell

    for values in rows:
        sheet.append(
            [styled(get_column_letter(n), value) for n, value in enumerate(values, start=1)]
        )


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
