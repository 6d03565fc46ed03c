"""The one table layout of every .xlsx and .csv export, and the content types they are served as."""

import io

# What every export of the project (审核记录, 来信汇总, 审计日志, 答卷) is served as.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
    above and left of ``freeze``."""
    from openpyxl.styles import Alignment, Font

    alignments = {
        wrapped: Alignment(vertical="top", wrap_text=wrapped) for wrapped in (True, False)
    }
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = alignments[True]  # a long heading (a survey's question) wraps
    number_formats = number_formats or {}
    # openpyxl finds ``max_row`` and ``sheet[n]`` by scanning every cell: the row number is
    # counted here and each row read back within its bounds, or n rows would cost n².
    for number, values in enumerate(rows, start=2):
        sheet.append(values)
        (cells,) = sheet.iter_rows(min_row=number, max_row=number, max_col=len(headers))
        for cell in cells:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
            if cell.column_letter in number_formats:
                cell.number_format = number_formats[cell.column_letter]
            cell.alignment = alignments[wrap is None or cell.column_letter in wrap]
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = freeze


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
