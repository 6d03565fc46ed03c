"""Bulk import of the lexicons (R-SCREEN-1: 综合科 maintains them, import/export).

A spreadsheet (.xlsx) or .csv with the same headings as the export: the export of a list,
edited and imported again, changes exactly what was edited. The whole file is checked first;
one bad row refuses the file with every problem listed by row, and nothing is changed.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from govsite.textfiles import TextFileError, decode_text

from .models import ClassificationMark, ProhibitedCategory, ProhibitedTerm, SeriousError

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
YES = {"是", "启用", "1", "true", "yes", "y", "√", ""}
NO = {"否", "停用", "0", "false", "no", "n", "×"}


def parse_enabled(value):
    value = value.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError("只能填“是”或“否”（留空视为“是”）。")


def parse_text(value):
    if not value.strip():
        raise ValidationError("不能为空。")
    return value.strip()


def parse_category(value):
    number = value.strip().removeprefix("第").removesuffix("项")
    category = ProhibitedCategory.objects.filter(number=number if number.isdigit() else -1)
    category = category.first() or ProhibitedCategory.objects.filter(name=value.strip()).first()
    if category is None:
        raise ValidationError("须为第十九条的条目编号 1–9（或类别名称）。")
    return category


def parse_kind(value):
    labels = {label: kind for kind, label in SeriousError.Kind.choices}
    value = value.strip()
    if not value:
        return SeriousError.Kind.COMMON
    if value in labels:
        return labels[value]
    if value in labels.values():
        return value
    raise ValidationError(f"须为{'、'.join(labels)}之一。")


@dataclass(frozen=True)
class Column:
    heading: str
    field: str  # the model field an import sets
    export: str  # the attribute the export reads (same heading, same meaning)
    parse: object = parse_text
    required: bool = True


@dataclass(frozen=True)
class Spec:
    """The columns of one list's spreadsheet, shared by its export and its import."""

    model: type
    key: str  # the field that identifies an entry: a row with a known key updates it
    columns: list = field(default_factory=list)

    @property
    def list_export(self):
        return [column.export for column in self.columns]

    @property
    def export_headings(self):
        return {column.export: column.heading for column in self.columns}


OPTIONAL = {"parse": str.strip, "required": False}

SPECS = {
    ProhibitedTerm: Spec(
        ProhibitedTerm,
        key="text",
        columns=[
            Column("类别编号", "category", "category_number", parse_category),
            Column("词语", "text", "text"),
            Column("启用", "enabled", "enabled_label", parse_enabled, required=False),
            Column("备注", "note", "note", **OPTIONAL),
        ],
    ),
    ClassificationMark: Spec(
        ClassificationMark,
        key="text",
        columns=[
            Column("标识", "text", "text"),
            Column("启用", "enabled", "enabled_label", parse_enabled, required=False),
            Column("备注", "note", "note", **OPTIONAL),
        ],
    ),
    SeriousError: Spec(
        SeriousError,
        key="wrong",
        columns=[
            Column("类型", "kind", "kind_label", parse_kind, required=False),
            Column("错误写法", "wrong", "wrong"),
            Column("正确写法", "right", "right"),
            Column("启用", "enabled", "enabled_label", parse_enabled, required=False),
            Column("备注", "note", "note", **OPTIONAL),
        ],
    ),
}


def read_rows(upload):
    """The cells of the first sheet as lists of strings."""
    suffix = Path(upload.name).suffix.lower()
    data = upload.read()
    if suffix == ".xlsx":
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            rows = [
                ["" if cell is None else str(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise ValidationError(
                "无法读取该 .xlsx 文件，请确认它是 Excel 工作簿（不是改了扩展名的其他文件）。"
            ) from error
        return rows
    if suffix == ".csv":
        try:
            text = decode_text(data)
        except TextFileError as error:
            raise ValidationError(str(error)) from error
        return list(csv.reader(io.StringIO(text)))
    raise ValidationError("只能导入 .xlsx 或 .csv 文件（可先“导出”得到格式相同的文件）。")


@dataclass
class ImportPlan:
    created: list
    updated: list
    unchanged: int


class LexiconImportForm(forms.Form):
    file = forms.FileField(
        label="文件",
        help_text="Excel（.xlsx）或 .csv 文件，首行为表头，与“导出”的文件格式相同。"
        "已有的条目按内容更新，新的条目新增；不会删除任何条目（要停用请把“启用”改为“否”）。",
    )

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.plan = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(f"文件超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB，请分批导入。")
        rows = [row for row in read_rows(upload) if any(cell.strip() for cell in row)]
        if not rows:
            raise ValidationError("文件是空的。")
        if len(rows) - 1 > MAX_IMPORT_ROWS:
            raise ValidationError(f"一次最多导入 {MAX_IMPORT_ROWS} 行，请分批导入。")
        self.plan = self.make_plan(rows)
        return upload

    def make_plan(self, rows):
        header = [cell.strip() for cell in rows[0]]
        positions = {heading: index for index, heading in enumerate(header) if heading}
        missing = [
            c.heading for c in self.spec.columns if c.required and c.heading not in positions
        ]
        if missing:
            raise ValidationError(
                f"表头缺少：{'、'.join(missing)}。表头应为："
                f"{'、'.join(c.heading for c in self.spec.columns)}（可先导出一份作为模板）。"
            )
        existing = {getattr(entry, self.spec.key): entry for entry in self.spec.model.objects.all()}
        errors, seen, created, updated, unchanged = [], {}, [], [], 0
        for number, row in enumerate(rows[1:], start=2):
            values, row_errors = {}, []
            for column in self.spec.columns:
                if column.heading not in positions:
                    continue
                index = positions[column.heading]
                cell = row[index] if index < len(row) else ""
                try:
                    values[column.field] = column.parse(cell)
                except ValidationError as error:
                    row_errors.append(f"第{number}行“{column.heading}”：{error.messages[0]}")
            if row_errors:
                errors.extend(row_errors)
                continue
            key = values[self.spec.key]
            if key in seen:
                errors.append(f"第{number}行：“{key}”与第{seen[key]}行重复。")
                continue
            seen[key] = number
            entry = existing.get(key) or self.spec.model()
            changed = [
                name for name, value in values.items() if getattr(entry, name, None) != value
            ]
            if entry.pk and not changed:
                unchanged += 1
                continue
            for name, value in values.items():
                setattr(entry, name, value)
            try:
                entry.full_clean()
            except ValidationError as error:
                errors.extend(f"第{number}行：{message}" for message in error.messages)
                continue
            (updated if entry.pk else created).append(entry)
        if errors:
            raise ValidationError(["文件未导入，请修改以下问题后重新导入：", *errors])
        return ImportPlan(created, updated, unchanged)
