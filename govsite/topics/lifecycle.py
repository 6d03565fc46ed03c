"""A 专栏 application as one table (R-TOPIC-1): from which state who may take which step, and
the state it leads to.

    filed ── 待科长审核 ── 待综合科审核 ── 待主管主任审核 ── 已开设 (the 专栏 is created)
               │              │                │
               └──────────────┴── 退回 ────────┴──→ 已退回 ── revised and filed again ──→ 待科长审核
    (the applicant may 撤回 while pending or returned → 已撤回)

When 综合科 applies itself, its chief's approval leads straight to 待主管主任审核
(``rules.after_approval``). Who may is ``rules``.
"""

from govsite.lifecycles import APPROVE, RETURN, WITHDRAW, Lifecycle, Transition

from . import rules
from .models import OPEN_STATUSES
from .models import Status as S

RESUBMIT = "resubmit"
ONLY_THE_APPLICANT = "只有申请人可以撤回或修改自己的申请。"
RETURN_NEEDS_COMMENT = "退回必须填写意见，说明原因和修改要求。"


def _wrong_state(application):
    return f"该申请{application.get_status_display()}，不能进行这一步。"


APPLICATION = Lifecycle(
    # action, from, to, who may, label
    Transition(
        APPROVE,
        OPEN_STATUSES,
        rules.after_approval,
        rules.may_decide,
        "同意",
        rules.refusal_to_decide,
    ),
    Transition(
        RETURN, OPEN_STATUSES, S.RETURNED, rules.may_decide, "退回", rules.refusal_to_decide
    ),
    Transition(
        RESUBMIT,
        {S.RETURNED},
        S.AWAITING_CHIEF,
        rules.may_revise,
        "修改后重新提交",
        ONLY_THE_APPLICANT,
    ),
    Transition(
        WITHDRAW,
        {*OPEN_STATUSES, S.RETURNED},
        S.WITHDRAWN,
        rules.may_withdraw,
        "撤回",
        ONLY_THE_APPLICANT,
    ),
    wrong_state=_wrong_state,
    initial=S.AWAITING_CHIEF,
)
