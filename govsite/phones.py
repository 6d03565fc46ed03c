"""Telephone and fax numbers and postcodes as the office publishes them (第九、十条: 联系方式 of a
办事指南 and of 机构职能), validated in one place for every app that prints them.

A number is an area code and a local number (0571-12345678, (0571)12345678), a service hotline
(12345, 12345-1), a mobile number (13812345678) or a 400 number, each with an optional extension
(转8001); several are separated by "、". A postcode (邮政编码) is six digits.
"""

import re

from django.core.exceptions import ValidationError

ONE_PHONE = re.compile(
    r"^(?:(?:[(（]?0\d{2,3}[)）]?[-\s]?)?[2-9]\d{6,7}|1[3-9]\d{9}|[1-9]\d{4,5}(?:-\d{1,4})?"
    r"|400-?\d{3}-?\d{4})(?:\s*转\s*\d{1,6})?$"
)
PHONE_SEPARATORS = re.compile(r"\s*[、，,；;/]\s*")
PHONE_MESSAGE = (
    "电话号码“{number}”格式不对：应为区号加号码（如 0571-12345678）、服务热线（如 12345）"
    "或11位手机号，分机写作“转8001”，多个号码用“、”分隔。"
)
POSTCODE = re.compile(r"^\d{6}$")
POSTCODE_MESSAGE = "邮政编码“{value}”格式不对：应为6位数字，如 310000。"


def validate_phone(value):
    """One or more telephone (or fax) numbers of the forms of ``ONE_PHONE``."""
    for number in PHONE_SEPARATORS.split((value or "").strip()):
        if number and not ONE_PHONE.match(number):
            raise ValidationError(PHONE_MESSAGE.format(number=number), code="phone")


def validate_postcode(value):
    """邮政编码: six digits."""
    value = (value or "").strip()
    if value and not POSTCODE.match(value):
        raise ValidationError(POSTCODE_MESSAGE.format(value=value), code="postcode")
