"""The steps of a letter's handling (R-MAIL-1..5; 第十一、十三条), each in one transaction:
the letter changes and its ``LetterEvent`` is written together, or neither is.

Which step may be taken from which state, by whom, and the state it leads to is the table in
``lifecycle`` (the letter's page reads the same table for its buttons); a step the table
refuses, or whose input is wanting, raises ``CaseError`` with a sentence for the user and
changes nothing.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govsite.notices.delivery import notify
from govsite.screening.engine import blocking, screen_text

from . import lifecycle, rules
from .lifecycle import LETTER
from .models import DailySequence, Letter, LetterEvent, MailboxSettings, add_working_days

Status, Action = Letter.Status, LetterEvent.Action
# The office must answer within 3 months (a 单项否决 item, R-MAIL-5); warn well before.
HARD_LIMIT = timedelta(days=90)
HARD_LIMIT_WARNING = timedelta(days=60)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits
RATING_COMMENT_MAX = Letter._meta.get_field("rating_comment").max_length


class CaseError(Exception):
    """A step that may not be taken; the message is for the user, in Chinese."""


def new_query_code():
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _log(letter, action, user=None, note="", **data):
    return LetterEvent.objects.create(
        letter=letter, action=action, actor=user, note=note, data=data
    )


def _check(action, user, letter):
    """The table's row for ``action`` from the letter's state, or ``CaseError`` with why not."""
    return LETTER.check(action, user, letter, CaseError)


def _screened(text, field):
    """A reply goes out only without prohibited content, marks or serious errors."""
    found = blocking(screen_text(text, field))
    if found:
        raise CaseError("答复未通过内容审查：" + "；".join(f.describe() for f in found))


def _notify(users, title, text, letter):
    url = reverse("mailbox_letter", args=[letter.pk])
    for user in {user.pk: user for user in users}.values():
        notify(user, title, text, url)


def _office_officers():
    """The officers of the section owning 沟通信箱 (第十一条): they triage and supervise."""
    section = rules.mailbox_section()
    return list(section.officers()) if section else []


def _office_chiefs():
    """Its chiefs, who sign replies off."""
    section = rules.mailbox_section()
    return list(section.chiefs()) if section else []


# ---------------------------------------------------------------------------------------------
# The public's letter (R-MAIL-1)


@transaction.atomic
def receive(*, name, subject, text, kind=Letter.Kind.CONSULT, phone="", email="",
            attachment=None, consent_to_publish=False, source_digest="", now=None):  # fmt: skip
    """Accept a letter: store it and its first event in one transaction and return it with
    its secret query code, which is shown once and kept only as a digest."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    prefix = MailboxSettings.load().number_prefix
    number = f"{prefix}-{day:%Y%m%d}-{DailySequence.next_for(day):04d}"
    code = new_query_code()
    flags = [f.describe() for f in blocking(screen_text(f"{subject}\n{text}", "来信"))]
    letter = Letter.objects.create(
        tracking_number=number,
        query_code_digest=Letter.digest(code),
        name=name,
        phone=phone,
        email=email,
        kind=kind,
        subject=subject,
        text=text,
        consent_to_publish=consent_to_publish,
        received_at=now,
        source_digest=source_digest,
        flags=flags,
    )
    if attachment:
        letter.attachment.save(attachment.name, attachment, save=True)
    _log(letter, Action.RECEIVED, note="内容审查提示：" + "；".join(flags) if flags else "")
    transaction.on_commit(
        lambda: _notify(
            _office_officers(), f"新来信：{letter.tracking_number}", letter.subject, letter
        ),
        robust=True,  # a failing notice never costs the writer their number and code
    )
    return letter, code


def find_for_writer(number, code):
    """The letter with this number whose query code is ``code``, else None (one answer for
    every wrong pair, so that nothing tells a guesser which half was right)."""
    letter = Letter.objects.filter(tracking_number=number.strip().upper()).first()
    if letter is None or not letter.code_matches(code):
        Letter.digest(code)  # the same work either way
        return None
    return letter


@transaction.atomic
def rate(letter, rating, comment="", now=None):
    """R-MAIL-7: the writer rates the reply (满意 / 基本满意 / 不满意, with an optional comment),
    once, after the reply. The caller has checked the query code (``find_for_writer``). The
    rating is written only if the letter is still answered and unrated when it is stored, so
    that two ratings sent at once keep the first."""
    if rating not in Letter.Rating.values:
        raise CaseError("请选择评价：满意、基本满意或不满意。")
    comment = (comment or "").strip()
    if len(comment) > RATING_COMMENT_MAX:
        raise CaseError(f"评价意见不能超过 {RATING_COMMENT_MAX} 个字。")
    now = now or timezone.now()
    stored = Letter.objects.filter(pk=letter.pk, status=Status.REPLIED, rating="").update(
        rating=rating, rating_comment=comment, rated_at=now
    )
    if not stored:
        letter.refresh_from_db()
        if letter.rating:
            raise CaseError(
                f"这封信件已于 {timezone.localtime(letter.rated_at):%Y年%m月%d日} 评价过"
                f"（{letter.get_rating_display()}），每封信件只能评价一次。感谢您的评价！"
            )
        raise CaseError("这封信件还没有答复，答复后才能评价。")
    letter.rating, letter.rating_comment, letter.rated_at = rating, comment, now
    label = Letter.Rating(rating).label
    LetterEvent.objects.create(
        letter=letter,
        at=now,
        action=Action.RATED,
        note=f"{label}：{comment}" if comment else label,
        data={"rating": rating},
    )
    return letter


# ---------------------------------------------------------------------------------------------
# 综合科 (the section owning 沟通信箱, ``rules.mailbox_section``): triage (R-MAIL-2)


@transaction.atomic
def classify(letter, user, scope):
    _check(lifecycle.CLASSIFY, user, letter)
    letter.scope = scope
    letter.save(update_fields=["scope"])
    _log(letter, Action.CLASSIFIED, user, Letter.Scope(scope).label)


@transaction.atomic
def close(letter, user, reason, duplicate_of=None):
    """Refuse a letter as invalid, or as a duplicate of an earlier one, with the reason."""
    action = lifecycle.CLOSE_DUPLICATE if duplicate_of else lifecycle.CLOSE_INVALID
    row = _check(action, user, letter)
    if not reason.strip():
        raise CaseError("请填写不予受理的理由。")
    if duplicate_of is not None and duplicate_of.pk == letter.pk:
        raise CaseError("不能标记为与自身重复。")
    letter.status = row.target
    letter.close_reason = reason.strip()
    letter.duplicate_of = duplicate_of
    letter.save(update_fields=["status", "close_reason", "duplicate_of"])
    note = f"重复于 {duplicate_of.tracking_number}：{reason}" if duplicate_of else reason
    _log(letter, Action.CLOSED, user, note)


# ---------------------------------------------------------------------------------------------
# Internal letters: assignment, 督办, drafting and approval (R-MAIL-3)


@transaction.atomic
def assign(letter, user, section, deadline=None, today=None):
    """Assign an internal letter (or reassign one in hand) to the responsible section, with a
    deadline in working days (default from 沟通信箱设置)."""
    row = _check(lifecycle.ASSIGN, user, letter)
    today = today or timezone.localdate()
    deadline = deadline or add_working_days(today, MailboxSettings.load().reply_working_days)
    if deadline < today:
        raise CaseError("办理期限不能早于今天。")
    letter.section, letter.deadline, letter.status = section, deadline, row.target
    letter.reminded_on = letter.escalated_on = None
    letter.save(update_fields=["section", "deadline", "status", "reminded_on", "escalated_on"])
    _log(letter, Action.ASSIGNED, user, f"交{section.name}办理，期限 {deadline:%Y-%m-%d}")
    _notify(
        section.officers() | section.chiefs(),
        f"交办来信：{letter.tracking_number}",
        f"《{letter.subject}》请于 {deadline:%Y年%m月%d日} 前拟写答复。",
        letter,
    )


@transaction.atomic
def request_extension(letter, user, days, reason):
    _check(lifecycle.REQUEST_EXTENSION, user, letter)
    if days < 1 or not reason.strip():
        raise CaseError("请填写延期的工作日数和理由。")
    letter.extension_days, letter.extension_reason = days, reason.strip()
    letter.save(update_fields=["extension_days", "extension_reason"])
    _log(letter, Action.EXTENSION_REQUESTED, user, f"延期 {days} 个工作日：{reason}", days=days)
    _notify(
        _office_officers(),
        f"申请延期：{letter.tracking_number}",
        f"{letter.section.name}申请延期 {days} 个工作日：{reason}",
        letter,
    )


@transaction.atomic
def decide_extension(letter, user, grant, note=""):
    _check(lifecycle.DECIDE_EXTENSION, user, letter)
    days = letter.extension_days
    if grant:
        letter.deadline = add_working_days(letter.deadline, days)
        letter.escalated_on = letter.reminded_on = None
    letter.extension_days, letter.extension_reason = 0, ""
    letter.save()
    action = Action.EXTENSION_GRANTED if grant else Action.EXTENSION_REFUSED
    text = f"新期限 {letter.deadline:%Y-%m-%d}" if grant else "维持原期限"
    _log(letter, action, user, f"{text}。{note}".strip())
    _notify(
        letter.section.officers() | letter.section.chiefs(),
        f"{action.label}：{letter.tracking_number}",
        text,
        letter,
    )


@transaction.atomic
def draft(letter, user, text):
    row = _check(lifecycle.DRAFT, user, letter)
    if not text.strip():
        raise CaseError("答复内容不能为空。")
    _screened(text, "答复")
    letter.draft_reply, letter.status = text.strip(), row.target
    letter.save(update_fields=["draft_reply", "status"])
    _log(letter, Action.DRAFTED, user)
    _notify(
        letter.section.chiefs().exclude(pk=user.pk),
        f"待审核答复：{letter.tracking_number}",
        f"《{letter.subject}》的答复草稿待您审核。",
        letter,
    )


@transaction.atomic
def approve(letter, user, note=""):
    letter.status = _check(lifecycle.APPROVE, user, letter).target
    letter.save(update_fields=["status"])
    _log(letter, Action.APPROVED, user, note)
    _notify(
        _office_officers(),
        f"待拟定答复：{letter.tracking_number}",
        f"{letter.section.name}科长已审核《{letter.subject}》的答复，请拟定正式答复后送科长签发。",
        letter,
    )


@transaction.atomic
def return_draft(letter, user, note):
    """The chief (at 待科长审核) or 综合科 (at 待综合科审核发布) sends the draft back to the
    section; a reply 综合科 had worded from an earlier draft goes with it."""
    row = _check(lifecycle.RETURN, user, letter)
    if not note.strip():
        raise CaseError("退回时请写明修改意见。")
    letter.status, letter.reply = row.target, ""
    letter.save(update_fields=["status", "reply"])
    _log(letter, Action.RETURNED, user, note)
    _notify(
        letter.section.officers(),
        f"答复退回修改：{letter.tracking_number}",
        note,
        letter,
    )


# ---------------------------------------------------------------------------------------------
# Government letters: the 区长电子信箱 hand-off (R-MAIL-4)


@transaction.atomic
def forward(letter, user):
    """Record the hand-off; the package itself is ``handoff.package(letter)``."""
    letter.status = _check(lifecycle.FORWARD, user, letter).target
    letter.save(update_fields=["status"])
    _log(letter, Action.FORWARDED, user)


@transaction.atomic
def record_result(letter, user, result, department, handled_at=None):
    """The result that came back from the 区长电子信箱 procedure (form or import)."""
    row = _check(lifecycle.RECORD_RESULT, user, letter)
    if not result.strip() or not department.strip():
        raise CaseError("请填写办理结果和办理单位。")
    letter.draft_reply, letter.reply_department = result.strip(), department.strip()
    letter.status = row.target
    letter.save(update_fields=["draft_reply", "reply_department", "status"])
    _log(
        letter,
        Action.RESULT,
        user,
        f"{department}办理",
        handled_at=handled_at.isoformat() if handled_at else "",
    )


# ---------------------------------------------------------------------------------------------
# 综合科: the reply, worded by its officer, signed off by its chief (R-MAIL-5, 第十四条)


@transaction.atomic
def prepare_reply(letter, user, text=None, department=None, publish=False):
    """综合科's officer words the reply: the approved draft (internal) or the recorded result
    (government) as it will go out, and whether it is published on the site (only when the
    writer consented). It waits for 综合科's chief to sign it off (``sign_off``)."""
    row = _check(lifecycle.PREPARE, user, letter)
    text = (text if text is not None else letter.reply or letter.draft_reply).strip()
    if not text:
        raise CaseError("答复内容不能为空。")
    _screened(text, "答复")
    department = (department or letter.reply_department or "").strip()
    if not department:
        department = letter.section.name if letter.section else "区政府办公室"
    if publish and not letter.consent_to_publish:
        raise CaseError("来信人没有同意公开，这封信件不能在网站公开。")
    letter.reply, letter.reply_department = text, department
    letter.status = row.next_state(letter)
    letter.save(update_fields=["reply", "reply_department", "status"])
    _log(letter, Action.PREPARED, user, "拟在网站公开" if publish else "", publish=publish)
    _notify(
        [chief for chief in _office_chiefs() if chief != user],
        f"待签发答复：{letter.tracking_number}",
        f"《{letter.subject}》的答复已拟定，待您签发。",
        letter,
    )


@transaction.atomic
def sign_off(letter, user, note="", now=None):
    """综合科's chief signs off the prepared reply (not one they prepared): it goes out — and
    is published, when so prepared — or, when 沟通信箱设置 asks for it, to the director."""
    row = _check(lifecycle.SIGN_OFF, user, letter)
    _log(letter, Action.SIGNED_OFF, user, note.strip())
    target = row.next_state(letter)
    if target == Status.REPLIED:
        _send(letter, user, now)
        return
    letter.status = target
    letter.save(update_fields=["status"])
    section = rules.mailbox_section()
    _notify(
        section.directors.filter(is_active=True) if section else [],
        f"答复待主管主任审核：{letter.tracking_number}",
        f"《{letter.subject}》的答复已由{section.name if section else ''}科长签发，待您审核。",
        letter,
    )


@transaction.atomic
def approve_reply(letter, user, note="", now=None):
    """The director supervising 综合科 approves the signed-off reply, which then goes out."""
    _check(lifecycle.APPROVE_REPLY, user, letter)
    _log(letter, Action.REPLY_APPROVED, user, note.strip())
    _send(letter, user, now)


@transaction.atomic
def return_reply(letter, user, note):
    """综合科's chief (at 待签发) or the director (at 待主管主任审核答复) sends the reply back to
    综合科's officers, with what to change; the wording stays for them to edit."""
    row = _check(lifecycle.RETURN_REPLY, user, letter)
    if not note.strip():
        raise CaseError("退回时请写明修改意见。")
    letter.status = row.next_state(letter)
    letter.save(update_fields=["status"])
    _log(letter, Action.RETURNED, user, note)
    _notify(_office_officers(), f"答复退回修改：{letter.tracking_number}", note, letter)


def _send(letter, user, now=None):
    """The reply goes out: to the writer (tracking), and to the site when it was so prepared."""
    event = rules.prepared(letter)
    publish = bool(event and event.data.get("publish")) and letter.consent_to_publish
    letter.replied_at, letter.status = now or timezone.now(), Status.REPLIED
    letter.extension_days, letter.extension_reason = 0, ""
    letter.published = publish
    letter.save()
    _log(letter, Action.REPLIED, user)
    if publish:
        _log(letter, Action.PUBLISHED, user)


@transaction.atomic
def set_published(letter, user, publish):
    _check(lifecycle.PUBLISH, user, letter)
    if publish and not letter.consent_to_publish:
        raise CaseError("来信人没有同意公开，这封信件不能在网站公开。")
    if letter.published != publish:
        letter.published = publish
        letter.save(update_fields=["published"])
        _log(letter, Action.PUBLISHED if publish else Action.UNPUBLISHED, user)


@transaction.atomic
def report(letter, user, note=""):
    """整理上报 of one letter (第十一条), e.g. printed and taken to the office's director."""
    _check(lifecycle.REPORT, user, letter)
    _log(letter, Action.REPORTED, user, note)


def record_report(letters, user, note=""):
    """整理上报 of a period's summary: log that each letter in it (whatever its state: the
    summary lists the letters refused too) went into the compiled report."""
    if not rules.may_triage(user):
        raise CaseError(lifecycle.NOT_YOURS)
    with transaction.atomic():
        for letter in letters:
            _log(letter, Action.REPORTED, user, note)


# ---------------------------------------------------------------------------------------------
# 督办: reminders, escalation and the 3-month limit (R-MAIL-3, R-MAIL-5), run by the scheduler


def supervise(today=None, now=None):
    """Remind sections before a deadline, escalate overdue letters to the section's chief and
    directors and to 综合科's officers (once each), and warn them of letters near the 3-month
    limit.
    Returns (reminded, escalated, near_limit) counts."""
    from .models import working_days_between

    today = today or timezone.localdate()
    now = now or timezone.now()
    settings = MailboxSettings.load()
    office = _office_officers()  # read once for the run
    reminded = escalated = near_limit = 0
    for letter in Letter.objects.in_hand().exclude(deadline=None).select_related("section"):
        section = letter.section
        if section is None:
            continue
        if letter.deadline < today and letter.escalated_on is None:
            with transaction.atomic():
                letter.escalated_on = today
                letter.save(update_fields=["escalated_on"])
                _log(letter, Action.ESCALATED, note=f"已超过办理期限 {letter.deadline:%Y-%m-%d}")
                _notify(
                    [*section.chiefs(), *section.directors.all(), *office],
                    f"来信超期：{letter.tracking_number}",
                    f"{section.name}承办的《{letter.subject}》已超过办理期限"
                    f"（{letter.deadline:%Y年%m月%d日}），请督促办理。",
                    letter,
                )
            escalated += 1
        elif (
            letter.deadline >= today
            and letter.reminded_on is None
            and working_days_between(today, letter.deadline) <= settings.remind_working_days
        ):
            with transaction.atomic():
                letter.reminded_on = today
                letter.save(update_fields=["reminded_on"])
                _log(letter, Action.REMINDED, note=f"办理期限 {letter.deadline:%Y-%m-%d}")
                _notify(
                    [*section.officers(), *section.chiefs()],
                    f"来信即将到期：{letter.tracking_number}",
                    f"《{letter.subject}》的办理期限是 {letter.deadline:%Y年%m月%d日}。",
                    letter,
                )
            reminded += 1
    old = Letter.objects.valid().exclude(status=Status.REPLIED)
    for letter in old.filter(received_at__lte=now - HARD_LIMIT_WARNING):
        if not letter.events.filter(action=Action.ESCALATED, data__limit=True).exists():
            with transaction.atomic():
                _log(letter, Action.ESCALATED, note="来信已超过 60 天未答复", limit=True)
                _notify(
                    office,
                    f"来信将满 3 个月未答复：{letter.tracking_number}",
                    "有效来信 3 个月内必须答复（单项否决），请立即督办。",
                    letter,
                )
            near_limit += 1
    return reminded, escalated, near_limit
