"""The audit log as a file (R-SEC-4: exportable), of any size: .xlsx through the project's
table-sheet writer (``govsite.exports.tables.fill_table_sheet``) on a write-only workbook, whose
rows go to the file as they come, and .csv in UTF-8 with a byte-order mark, so that Excel on a
Chinese Windows opens either as it is. Both are written to a file by the export's background
job (``tasks.export_job``), never in a request, reporting how many rows they have written.

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

from govsite.exports.tables import fill_table_sheet, neutralised

# The writers report their progress every PROGRESS_EVERY rows.
PROGRESS_EVERY = 1000
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


class Counted:
    """The entries, counted as they are written and reported every ``PROGRESS_EVERY``."""

    def __init__(self, entries, progress):
        self.entries, self.progress, self.count = entries, progress, 0

    def __iter__(self):
        for entry in self.entries:
            yield entry
            self.count += 1
            if self.count % PROGRESS_EVERY == 0:
                self.progress(self.count)


def write_csv(entries, out, progress):
    """Write the CSV file to the binary file ``out``; return the number of rows."""
    counted = Counted(entries, progress)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    for entry in counted:
        writer.writerow(csv_row(entry))
    text.flush()
    text.detach()  # ``out`` stays open for the caller
    return counted.count


def write_xlsx(entries, out, progress):
    """Write the .xlsx file to the binary file ``out``; return the number of rows. Memory stays
    flat whatever the number of rows (a write-only workbook)."""
    counted = Counted(entries, progress)
    workbook = Workbook(write_only=True)
    fill_table_sheet(
        workbook.create_sheet(),
        "审计日志",
        HEADERS,
        (values(entry) for entry in counted),
        widths=WIDTHS,
        number_formats={"A": "yyyy-mm-dd hh:mm:ss"},
        wrap={"F", "H", "J", "L"},
    )
    workbook.save(out)
    return counted.count


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
