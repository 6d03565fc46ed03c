"""The rules of 政务公开 metadata (R-OPEN-1, 《政府信息公开条例》第十条), each in one place:
who keeps the shared data, which columns hold documents, what a 发文字号, a 统一社会信用代码
and a 索引号 rule look like."""

import re
import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from govsite.sections.rules import is_active_user, is_site_manager

# --- Who keeps the 主题分类, 体裁 and 政务公开设置 ----------------------------------------------


def may_edit_disclosure_data(user):
    """综合科-网站管理 (or a superuser) keeps the topic tree, the genres and the settings (第五条:
    综合科 builds and manages the site), through the model permissions granted to its group in
    ``govsite.sections.permissions``."""
    return is_active_user(user) and (
        is_site_manager(user) or user.has_perm("disclosure.change_topiccategory")
    )


# --- Which columns hold documents ------------------------------------------------------------


def is_document_column(page):
    """A 公文栏目 (``DocumentColumnPage``): the columns site_tree.toml gives that type are the
    ones whose items carry disclosure metadata (which ones is data)."""
    from .models import DocumentColumnPage  # noqa: PLC0415  (start-up order: models import rules)

    return isinstance(page, DocumentColumnPage)


# --- 政策解读: published together with its policy, never before it --------------------------

INTERPRETATION_FIELD = "解读的文件"


def unpublished_policy(document):
    """R-OPEN-2 (第十条 法律法规和政策依据; 国办《关于全面推进政务公开工作的意见》“政策性文件与
    解读方案、解读材料同步组织、同步审签、同步部署”): a 政策解读 goes online together with the
    policy it interprets, never before it. The sentence refusing ``document`` while its policy
    is not published, or None. Called by the automatic screening (``missing_elements``), so
    the chain returns such a 解读 to its author with this sentence."""
    if not document.interprets_id:
        return None
    policy = document.interprets
    if policy.live:
        return None
    return (
        f"所解读的文件《{policy.title}》尚未发布：政策解读须与文件同步发布，不能先于文件发布。"
        "请待文件审核发布后再提交本解读。"
    )


# --- 发文字号: 机关代字〔年份〕序号 ------------------------------------------------------------

# Brackets typed in place of the hexagonal ones 〔〕 (GB/T 9704-2012 7.2.4).
BRACKETS = {"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕"}
DOCUMENT_NUMBER = re.compile(
    r"^(?P<agency>[\u4e00-\u9fff]{1,20})〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$"
)
DOCUMENT_NUMBER_FORM = (
    "应为“机关代字〔年份〕序号”，如“临政办发〔2026〕28号”（年份用六角括号〔〕，序号不编虚位）"
)


def normalise_document_number(text):
    """The number with [ ] ［］ 【】 turned into 〔〕 and spaces removed."""
    text = re.sub(r"\s+", "", text or "")
    return "".join(BRACKETS.get(char, char) for char in text)


def check_document_number(text):
    """The normalised 发文字号, or a ValidationError naming the expected form."""
    number = normalise_document_number(text)
    if number and not DOCUMENT_NUMBER.match(number):
        raise ValidationError(f"发文字号“{text}”格式不对：{DOCUMENT_NUMBER_FORM}。")
    return number


# --- 统一社会信用代码 (GB 32100-2015) ----------------------------------------------------------

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17):
    total = sum(
        CREDIT_CODE_CHARS.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def check_credit_code(code):
    """18 characters of GB 32100-2015 (no I, O, S, V, Z), the last one its check character."""
    code = (code or "").strip().upper()
    if len(code) != 18 or any(char not in CREDIT_CODE_CHARS for char in code):
        raise ValidationError(
            "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z），请核对后重新输入。"
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码的校验码（最后一位）不对，请核对后重新输入。")
    return code


# --- 索引号 rule ------------------------------------------------------------------------------

INDEX_PLACEHOLDERS = {"code", "year", "month", "seq"}
DEFAULT_INDEX_PATTERN = "{code}/{year}-{seq:05d}"
INDEX_PATTERN_HELP = (
    "可用占位符：{code} 统一社会信用代码，{year} 年份（四位），{month} 月份（两位），"
    "{seq} 当年序号（{seq:05d} 表示补足五位）。必须含 {seq}。"
)


def check_index_pattern(pattern):
    """A 索引号 rule uses only {code} {year} {month} {seq}, and {seq} once at least."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise ValidationError(
            f"索引号规则“{pattern}”的花括号不成对。{INDEX_PATTERN_HELP}"
        ) from error
    unknown = sorted(set(fields) - INDEX_PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            f"索引号规则中不能使用“{{{'}、{'.join(unknown)}}}”。{INDEX_PATTERN_HELP}"
        )
    if "seq" not in fields:
        raise ValidationError(f"索引号规则必须含序号 {{seq}}。{INDEX_PATTERN_HELP}")
    try:
        format_index_number(pattern, code="X" * 18, year=2026, month=1, seq=1)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            f"索引号规则“{pattern}”的格式写法不对。{INDEX_PATTERN_HELP}"
        ) from error
    return pattern


def format_index_number(pattern, *, code, year, month, seq):
    return pattern.format(code=code, year=year, month=f"{month:02d}", seq=seq)


def index_scope(pattern, *, code, year, month):
    """The sequence a number counts in: one per code and year (and month, when the rule shows
    the month), so each year starts again at 1 and two rules never share a number."""
    uses_month = "month" in {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
    return f"{code}/{year}" + (f"/{month:02d}" if uses_month else "")


def issue_index_number(code, pattern, moment, *, sequences, documents):
    """The next 索引号 by ``pattern`` for a document first published at ``moment``: the scope's
    sequence (``sequences``, the ``IndexSequence`` model) counts on, skipping any number a
    document (``documents``, the ``DocumentPage`` model) already has — never reused.

    Atomic: the scope's row is created under its unique constraint (a concurrent creator's
    IntegrityError is retried as a read) and locked with ``select_for_update`` until the
    publishing transaction commits, so two documents published at once get distinct,
    consecutive numbers. On SQLite, immediate transactions serialise the writers.

    The models are parameters so that a data migration, which has only historical models,
    numbers documents by this same rule (``migrations/0004_documents_only``)."""
    moment = timezone.localtime(moment)
    values = {"code": code, "year": moment.year, "month": moment.month}
    scope = index_scope(pattern, **values)
    with transaction.atomic():
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    sequences.objects.get_or_create(scope=scope)
                break
            except IntegrityError:
                continue
        sequence = sequences.objects.select_for_update().get(scope=scope)
        while True:
            sequence.last += 1
            number = format_index_number(pattern, seq=sequence.last, **values)
            # A changed rule might produce a number given before: skip it, never reuse it.
            if not documents.objects.filter(index_number=number).exists():
                break
        sequence.save(update_fields=["last"])
    return number
