"""The rules of a 办事指南 (R-SERVICE-1, 第九条 网上办事服务), each in one place.

- Which key elements a guide must state, and what counts as stated (``missing_elements``): the
  list is data (``data/elements.toml``); the automatic screening step returns a guide that lacks
  one (要素缺失), so a draft may be saved incomplete but not submitted or published.
- 承诺时限 ≤ 法定时限 (``check_time_limits``) and 收费标准 never blank (``check_fee``): refused
  when the guide is saved, with a Chinese sentence. A telephone number's form is
  ``govsite.phones.validate_phone``, shared with 机构职能.
- How 办理时间's holidays and 收费标准 read on the public page (``holiday_wording``,
  ``fee_wording``).
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

ELEMENTS_FILE = Path(__file__).resolve().parent / "data" / "elements.toml"

FREE = "free"
CHARGED = "charged"
FREE_WORDING = "不收费"


@dataclass(frozen=True)
class Element:
    label: str
    field: str
    rule: str


@cache
def required_elements(path=ELEMENTS_FILE):
    """The key elements of ``data/elements.toml``, in their order."""
    with open(path, "rb") as handle:
        spec = tomllib.load(handle)
    elements = tuple(Element(**item) for item in spec["elements"])
    unknown = [element.field for element in elements if element.field not in STATED]
    if unknown:
        raise ValueError(f"{path.name}: unknown element fields {unknown}")
    return elements


def _text(value):
    return bool(strip_tags(str(value or "")).strip())


def _stream(value):
    return any(_text(child) for block in value or [] for child in _block_strings(block))


def _block_strings(block):
    value = block.value
    if hasattr(value, "values"):
        return [v.source if hasattr(v, "source") else v for v in value.values()]
    return [value]


def _fee_stated(guide):
    if guide.fee_kind == FREE:
        return True
    return guide.fee_kind == CHARGED and _text(guide.fee_standard)


# What "stated" means for each element a guide has (the fields of ServiceGuidePage).
STATED = {
    "basis": lambda guide: _stream(guide.basis),
    "conditions": lambda guide: _text(guide.conditions),
    "materials": lambda guide: any(_text(m.name) for m in guide.materials.all()),
    "place": lambda guide: _text(guide.place),
    "hours": lambda guide: _text(guide.hours),
    "steps": lambda guide: _stream(guide.steps),
    "fee": _fee_stated,
    "time_limit": lambda guide: guide.legal_days is not None and guide.promised_days is not None,
    "consult_phone": lambda guide: _text(guide.consult_phone),
    "complaint_phone": lambda guide: _text(guide.complaint_phone),
}


def missing_elements(guide):
    """R-SERVICE-1: (element, rule) for every required key element ``guide`` leaves empty."""
    for element in required_elements():
        if not STATED[element.field](guide):
            yield element.label, element.rule


def check_time_limits(legal_days, promised_days):
    """办理时限: the promised time (承诺办结时限) never exceeds the legal one (法定办结时限)."""
    if legal_days is not None and promised_days is not None and promised_days > legal_days:
        raise ValidationError(
            {
                "promised_days": f"承诺办结时限（{promised_days}个工作日）不能超过"
                f"法定办结时限（{legal_days}个工作日）。"
            }
        )


def check_fee(fee_kind, fee_standard):
    """收费标准 is never blank: a charged service states its standard."""
    if fee_kind == CHARGED and not _text(fee_standard):
        raise ValidationError(
            {"fee_standard": "选择“收费”时须写明收费标准和依据；不收费的请选“不收费”。"}
        )


def fee_wording(fee_kind, fee_standard):
    """收费标准 as the public page says it: "不收费", never an empty cell."""
    if fee_kind == CHARGED and _text(fee_standard):
        return fee_standard.strip()
    if fee_kind == CHARGED:
        return "收费（标准待公布）"
    return FREE_WORDING


def holiday_wording(covers_holidays):
    """办理时间: whether the service is open on the statutory holidays (法定节假日), in words."""
    return "法定节假日照常办理" if covers_holidays else "法定节假日除外"


def time_limit_wording(days):
    if days is None:
        return "—"
    if days == 0:
        return "即办"
    return f"{days}个工作日"
