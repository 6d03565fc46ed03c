"""The audit log as a file (R-SEC-4: exportable): .xlsx through the project's table-sheet writer
(``govsite.exports.tables.fill_table_sheet``) and .csv in UTF-8 with a byte-order mark, so
that Excel on a Chinese Windows opens either as it is.

Anyone can put text in the log (the name typed at a failed login, a browser's user agent, a
page title): a cell that starts with ``=``, ``+``, ``-`` or ``@`` is written as text, never as a
formula (``neutralised`` for CSV; ``fill_table_sheet`` for .xlsx).
"""

import csv
import io
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from openpyxl import Workbook

from govsite.exports.tables import fill_table_sheet, neutralised, workbook_bytes

# .xlsx is built in memory, cell by cell (about 0.75 ms and 8 KB a row): larger selections are
# exported as CSV, which is streamed and has no limit.
XLSX_MAX_ROWS = 20_000
CELL_LIMIT = 32_000  # Excel holds at most 32,767 characters in a cell

HEADERS = [
    "时间",
    "操作人",
    "类别",
    "操作",
    "对象类型",
    "对象",
    "对象 ID",
    "说明",
    "IP 地址",
    "浏览器",
    "操作代码",
    "详情",
]
WIDTHS = dict(zip("ABCDEFGHIJKL", [20, 14, 12, 18, 12, 30, 8, 50, 16, 30, 24, 60], strict=True))


def target_type_name(entry):
    if not entry.target_content_type_id:
        return ""
    model = ContentType.objects.get_for_id(entry.target_content_type_id).model_class()
    return str(model._meta.verbose_name) if model else ""


def detail_text(entry, indent=None):
    text = json.dumps(
        entry.detail, ensure_ascii=False, cls=DjangoJSONEncoder, sort_keys=True, indent=indent
    )
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT] + "…"


def values(entry):
    """One entry as a row; the time as a local, naive datetime (xlsx) — see ``csv_row``."""
    return [
        timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0),
        entry.actor_username,
        entry.get_category_display(),
        entry.action_label,
        target_type_name(entry),
        entry.target_repr,
        entry.target_id,
        entry.summary,
        entry.ip_address or "",
        entry.user_agent,
        entry.action,
        detail_text(entry),
    ]


def csv_row(entry):
    row = values(entry)
    row[0] = row[0].strftime("%Y-%m-%d %H:%M:%S")
    return [neutralised(value) for value in row]


def csv_chunks(entries):
    """The CSV file, a few lines at a time (a selection may hold hundreds of thousands)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    for count, entry in enumerate(entries, 1):
        writer.writerow(csv_row(entry))
        if count % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_bytes(entries):
    workbook = Workbook()
    fill_table_sheet(
        workbook.active,
        "审计日志",
        HEADERS,
        (values(entry) for entry in entries),
        widths=WIDTHS,
        number_formats={"A": "yyyy-mm-dd hh:mm:ss"},
        wrap={"F", "H", "J", "L"},
    )
    return workbook_bytes(workbook)
