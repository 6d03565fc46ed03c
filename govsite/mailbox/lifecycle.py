"""A letter's handling as one table (R-MAIL-2..5; 第十一、十三、十四条): from which state who
may take which step, and the state it leads to.

    received ─┬─ close (无效/重复, with a reason)
              ├─ classify internal ── assign to a section with a deadline ── draft ── chief
              │     approves (or returns) ── 综合科 reviews and replies (or returns)
              └─ classify government ── forward (区长电子信箱 hand-off) ── record the result
                    ── 综合科 replies with it

The letter's page offers a step exactly when ``LETTER.allows`` says so, and each ``cases``
function refuses, with the same sentence, what the table refuses (``LETTER.check``). Who may is
``rules``; what a step also needs from the letter (its scope, a pending extension) is a guard
here; what the user typed (a reason, a reply that passes screening) is checked by the step.

督办 (reminders and escalations) is the scheduler's, not a user's step: ``cases.supervise``.
"""

from govsite.lifecycles import Guard, Lifecycle, Transition

from . import rules
from .models import Letter

S, Scope = Letter.Status, Letter.Scope
NOT_YOURS = "您无权办理这封信件。"
OWN_DRAFT = "只有承办科室的科长才能审核答复，且不能审核自己拟写的答复。"

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
REPLY = "reply"
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

VALID = set(S) - {S.INVALID, S.DUPLICATE}


def row(action, sources, target, may, label, *guards, refusal=NOT_YOURS):
    return Transition(action, sources, target, may, label, refusal, guards)


# Who may (``rules``): 综合科; the assigned section's 信息员 and 科长; its 科长, on a draft they
# did not write themselves.
OFFICE, SECTION, CHIEF = rules.may_triage, rules.may_draft, rules.may_approve

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
    # 综合科: the reply and its publication (R-MAIL-5), 整理上报 (第十一条)
    row(REPLY, {S.APPROVED, S.RESULT}, S.REPLIED, OFFICE, "答复"),
    row(PUBLISH, {S.REPLIED}, None, OFFICE, "网站公开/取消公开"),
    row(REPORT, VALID, None, OFFICE, "整理上报", CLASSIFIED),
    wrong_state=_wrong_state,
    initial=S.RECEIVED,
)
