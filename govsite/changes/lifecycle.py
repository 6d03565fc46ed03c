"""An unpublishing or deletion request as one table (R-FLOW-5 on top of 第十四条): from which
state who may take which step, and the state it leads to.

    filed ── 待科长审核 ─┬─ the chief approves ── 待主管主任审核 ─┬─ a director approves ── 已完成
                        ├─ returned (退回)                      ├─ returned (退回)
                        └─ withdrawn by the requester (撤回)    └─ withdrawn (撤回)

A request is filed at ``REQUEST.initial`` (who may file is ``rules.refusal_to_file``: there
is no request yet to have a state). The request's page offers a decision or the withdrawal
exactly when ``REQUEST.allows`` says so, and ``actions`` refuses, with the same sentence, what
the table refuses (``REQUEST.check``). Who may is ``rules``: the reviewer the current step asks
for, never the requester, never one person for both steps.
"""

from govsite.lifecycles import APPROVE, RETURN, WITHDRAW, Lifecycle, Transition

from . import rules
from .models import ChangeStatus as S

OPEN = {S.AWAITING_CHIEF, S.AWAITING_DIRECTOR}
REVIEWER, REQUESTER = rules.may_decide, rules.may_withdraw
ONLY_THE_REQUESTER = "只有申请人可以撤回尚在审核中的申请。"
RETURN_NEEDS_COMMENT = "退回必须填写意见，说明原因。"


def _wrong_state(change_request):
    return f"该申请{change_request.get_status_display()}，不能再审核。"


def _row(action, sources, target, may, label, refusal=rules.refusal_to_decide):
    return Transition(action, sources, target, may, label, refusal)


REQUEST = Lifecycle(
    # action, from, to, who may, label
    _row(APPROVE, {S.AWAITING_CHIEF}, S.AWAITING_DIRECTOR, REVIEWER, "科长同意"),
    _row(APPROVE, {S.AWAITING_DIRECTOR}, S.DONE, REVIEWER, "主管主任同意（生效）"),
    _row(RETURN, OPEN, S.RETURNED, REVIEWER, "退回"),
    _row(WITHDRAW, OPEN, S.WITHDRAWN, REQUESTER, "撤回", refusal=ONLY_THE_REQUESTER),
    wrong_state=_wrong_state,
    initial=S.AWAITING_CHIEF,
)
