"""The 区长电子信箱 hand-off (R-MAIL-4): a government letter leaves the office as a documented
JSON package (schema in data/handoff.schema.json, described in docs/mailbox.md) and its result
comes back in the same format, filled in, to be recorded by form or by import."""

import json
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from . import cases
from .models import Letter

SCHEMA_ID = "govsite.mailbox.handoff/1"
SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "handoff.schema.json"


class HandoffError(ValueError):
    """A package that cannot be imported; the message says why, in Chinese."""


def package(letter):
    """The hand-off package of a letter: everything the 区长电子信箱 procedure needs."""
    forwarded = letter.events.filter(action="forwarded").order_by("at").first()
    return {
        "schema": SCHEMA_ID,
        "tracking_number": letter.tracking_number,
        "received_at": timezone.localtime(letter.received_at).isoformat(),
        "forwarded_at": timezone.localtime(forwarded.at).isoformat() if forwarded else None,
        "kind": letter.get_kind_display(),
        "subject": letter.subject,
        "text": letter.text,
        "writer": {"name": letter.name, "phone": letter.phone, "email": letter.email},
        "consent_to_publish": letter.consent_to_publish,
        "attachment": letter.attachment.name.rsplit("/", 1)[-1] if letter.attachment else None,
        "result": None,
    }


def dumps(letter):
    return json.dumps(package(letter), ensure_ascii=False, indent=2)


def _text(result, key, label):
    value = result.get(key)
    if not isinstance(value, str) or not value.strip():
        raise HandoffError(f"“result.{key}”（{label}）必须是非空文字。")
    return value.strip()


def parse_result(raw):
    """(tracking number, department, result text, handled at) from a returned package."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise HandoffError("文件不是有效的 JSON。") from error
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
        raise HandoffError(f"文件不是本系统的转办格式（schema 应为 {SCHEMA_ID}）。")
    number = data.get("tracking_number")
    result = data.get("result")
    if not isinstance(number, str) or not isinstance(result, dict):
        raise HandoffError("文件缺少“tracking_number”或“result”。")
    department = _text(result, "department", "办理单位")
    text = _text(result, "text", "办理结果")
    handled_at = result.get("handled_at")
    if handled_at is not None:
        try:
            handled_at = datetime.fromisoformat(handled_at)
        except (TypeError, ValueError) as error:
            raise HandoffError("“result.handled_at”（办理时间）须为 ISO 8601 日期时间。") from error
    return number, department, text, handled_at


def import_result(raw, user):
    """Record the result carried by a returned package; return the letter."""
    number, department, text, handled_at = parse_result(raw)
    letter = Letter.objects.filter(tracking_number=number).first()
    if letter is None:
        raise HandoffError(f"没有编号为 {number} 的信件。")
    cases.record_result(letter, user, text, department, handled_at)
    return letter
