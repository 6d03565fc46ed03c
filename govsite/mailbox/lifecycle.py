"""A letter's handling as one table (R-MAIL-2..5; 第十一、十三、十四条): from which state who
may take which step, and the state it leads to.

    received ─┬─ close (无效/重复, with a reason)
              ├─ classify internal ── assign to a section with a deadline ── draft ── chief
              │     approves (or returns) ── 综合科 words the reply (or returns) ─┐
              └─ classify government ── forward (区长电子信箱 hand-off) ── record the │
                    result ── 综合科 words the reply with it ─────────────────────┤
    ┌───────────────────────────────────────────────────────────────────────────┘
    └─ 综合科's chief signs off (or returns to 综合科's officer) ─┬─ replied (and published)
                                                              └─ when 沟通信箱设置 asks: the
                      director approves (or returns to 综合科's officer) ── replied

综合科 here is the section owning the 沟通信箱 column (``rules.mailbox_section``).

The letter's page offers a step exactly when ``LETTER.allows`` says so, and each ``cases``
function refuses, with the same sentence, what the table refuses (``LETTER.check``). Who may is
``rules``; what a step also needs from the letter (its scope, a pending extension) is a guard
here; what the user typed (a reason, a reply that passes screening) is checked by the step.

督办 (reminders and escalations) is the scheduler's, not a user's step: ``cases.supervise``.
"""

from govsite.lifecycles import Guard, Lifecycle, Transition

from . import rules
from .models import Letter, MailboxSettings

S, Scope = Letter.Status, Letter.Scope
NOT_YOURS = "您无权办理这封信件。"
OWN_DRAFT = "只有承办科室的科长才能审核答复，且不能审核自己拟写的答复。"
OWN_REPLY = "只有沟通信箱所属科室的科长才能签发答复，且不能签发自己拟定的答复。"

# The actions (a step on the letter's page may take more than one, e.g. 科长审核: approve or
# return).
CLASSIFY = "classify"
CLOSE_INVALID = "close_invalid"
CLOSE_DUPLICATE = "close_duplicate"
ASSIGN = "assign"
FORWARD = "forward"
RECORD_RESULT = "record_result"
REQUEST_EXTENSION = "request_extension"
DECIDE_EXTENSION = "decide_extension"
DRAFT = "draft"
APPROVE = "approve"
RETURN = "return"
PREPARE = "prepare"
SIGN_OFF = "sign_off"
APPROVE_REPLY = "approve_reply"
RETURN_REPLY = "return_reply"
PUBLISH = "publish"
REPORT = "report"


def _wrong_state(letter):
    return f"信件当前状态为“{letter.get_status_display()}”，不能进行这一步。"


INTERNAL = Guard(
    lambda letter: letter.scope == Scope.INTERNAL,
    "只有“涉及办公室内部工作”的信件才能交办科室，请先分类。",
)
GOVERNMENT = Guard(
    lambda letter: letter.scope == Scope.GOVERNMENT,
    "只有“涉及政府工作”的信件才能转区长电子信箱，请先分类。",
)
NO_EXTENSION = Guard(
    lambda letter: not letter.extension_days, "这封信件已有待综合科审批的延期申请。"
)
EXTENSION = Guard(lambda letter: bool(letter.extension_days), "这封信件没有待处理的延期申请。")
CLASSIFIED = Guard(lambda letter: bool(letter.scope), "请先分类，再整理上报。")


def _directors_approve():
    return MailboxSettings.load().directors_approve_replies


def _has_director(letter):
    section = rules.mailbox_section()
    return not _directors_approve() or (section is not None and section.directors.exists())


DIRECTOR_NAMED = Guard(
    _has_director,
    "沟通信箱设置要求答复经主管主任审核，但沟通信箱所属科室没有主管主任，请先在“科室”中指定。",
)


def after_sign_off(letter):
    """Replied, or first to the director when 沟通信箱设置 asks for it (第十四条)."""
    return S.DIRECTOR_REVIEW if _directors_approve() else S.REPLIED


def officer_step(letter):
    """Back to the owning section's officer: the approved draft, or the recorded result."""
    return S.RESULT if letter.scope == Scope.GOVERNMENT else S.APPROVED


VALID = set(S) - {S.INVALID, S.DUPLICATE}


def row(action, sources, target, may, label, *guards, refusal=NOT_YOURS):
    return Transition(action, sources, target, may, label, refusal, guards)


# Who may (``rules``): 综合科's 信息员; the assigned section's 信息员 and 科长; its 科长, on a
# draft they did not write themselves; 综合科's 科长, on a reply they did not prepare; the
# director supervising 综合科.
OFFICE, SECTION, CHIEF = rules.may_triage, rules.may_draft, rules.may_approve
SIGNER, DIRECTOR = rules.may_sign_off, rules.may_approve_reply

LETTER = Lifecycle(
    # action, from, to (None: stays), who may, label, guards
    # 综合科: triage (R-MAIL-2)
    row(CLASSIFY, {S.RECEIVED}, None, OFFICE, "分类"),
    row(CLOSE_INVALID, {S.RECEIVED}, S.INVALID, OFFICE, "不予受理（无效信件）"),
    row(CLOSE_DUPLICATE, {S.RECEIVED}, S.DUPLICATE, OFFICE, "不予受理（重复信件）"),
    # Internal letters: assignment, extensions, drafting and approval (R-MAIL-3, 第十四条)
    row(ASSIGN, {S.RECEIVED}, S.ASSIGNED, OFFICE, "交办", INTERNAL),
    row(ASSIGN, {S.ASSIGNED}, S.ASSIGNED, OFFICE, "重新交办（改派科室或调整期限）", INTERNAL),
    row(REQUEST_EXTENSION, {S.ASSIGNED, S.DRAFTED}, None, SECTION, "申请延期", NO_EXTENSION),
    row(DECIDE_EXTENSION, set(Letter.OPEN_STATUSES), None, OFFICE, "延期审批", EXTENSION),
    row(DRAFT, {S.ASSIGNED}, S.DRAFTED, SECTION, "拟写答复"),
    row(APPROVE, {S.DRAFTED}, S.APPROVED, CHIEF, "科长审核通过", refusal=OWN_DRAFT),
    row(RETURN, {S.DRAFTED}, S.ASSIGNED, CHIEF, "科长退回修改"),
    row(RETURN, {S.APPROVED}, S.ASSIGNED, OFFICE, "综合科退回修改"),
    # Government letters: the 区长电子信箱 hand-off (R-MAIL-4)
    row(FORWARD, {S.RECEIVED}, S.FORWARDED, OFFICE, "转区长电子信箱", GOVERNMENT),
    row(RECORD_RESULT, {S.FORWARDED}, S.RESULT, OFFICE, "登记办理结果"),
    # 综合科: the reply, signed off by its chief (and the director), published (R-MAIL-5,
    # 第十四条), 整理上报 (第十一条)
    row(PREPARE, {S.APPROVED, S.RESULT}, S.PREPARED, OFFICE, "拟定答复，送科长签发"),
    row(
        SIGN_OFF,
        {S.PREPARED},
        after_sign_off,
        SIGNER,
        "科长签发",
        DIRECTOR_NAMED,
        refusal=OWN_REPLY,
    ),  # fmt: skip
    row(RETURN_REPLY, {S.PREPARED}, officer_step, SIGNER, "科长退回修改", refusal=OWN_REPLY),
    row(APPROVE_REPLY, {S.DIRECTOR_REVIEW}, S.REPLIED, DIRECTOR, "主管主任审核通过"),
    row(RETURN_REPLY, {S.DIRECTOR_REVIEW}, officer_step, DIRECTOR, "主管主任退回修改"),
    row(PUBLISH, {S.REPLIED}, None, OFFICE, "网站公开/取消公开"),
    row(REPORT, VALID, None, OFFICE, "整理上报", CLASSIFIED),
    wrong_state=_wrong_state,
    initial=S.RECEIVED,
)
