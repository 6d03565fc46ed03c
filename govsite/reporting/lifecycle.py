"""An item's way as one table (第十六条; R-INFO-1, R-INFO-2): from which state who may take which
step, and the state it leads to.

    draft ── submit ── awaiting_chief ─┬─ approve (leaves the section) ── awaiting_office ─┐
      ▲                    │           └─ return (with a reason) ── returned ──┐          │
      └──── withdraw ──────┘                              ▲   edit, submit ────┘          │
                                                          └── 综合科 returns (reason) ─────┤
                                       adopted ── 综合科 adopts (a copy into 工作动态) ─────┘

综合科 here is the adopting section (``rules.adopting_section``, the owner of the adoption
column); it also records other outlets and leaders' instructions on an item that reached it.
The item's page offers a step exactly when ``ITEM.allows`` says so, and each
``cases`` function refuses, with the same sentence, what the table refuses (``ITEM.check``).
"""

from govsite.lifecycles import Guard, Lifecycle, Transition

from . import rules
from .models import Item

S = Item.Status

EDIT = "edit"
SUBMIT = "submit"
WITHDRAW = "withdraw"
APPROVE = "approve"
RETURN = "return"
ADOPT = "adopt"
RETURN_OFFICE = "return_office"
OUTLET = "outlet"
INSTRUCTION = "instruction"

NOT_WRITER = "只有本科室的信息员才能撰写、修改和提交本科室的信息。"
NOT_CHIEF = "只有本科室的科长才能审核本科室的信息，且不能审核自己撰写的信息。"
NOT_OFFICE = "只有综合科（工作动态栏目的负责科室）才能采用、退回或登记采用情况。"


def _wrong_state(item):
    if item.status == S.ADOPTED:
        return "这条信息已被采用，不能再进行这一步。"
    return f"这条信息当前状态为“{item.get_status_display()}”，不能进行这一步。"


HAS_COLUMN = Guard(
    lambda item: rules.adoption_column() is not None,
    "没有可发布采用稿的栏目：请在“信息报送设置”中指定“采用后发布到”的栏目。",
)

WRITER, CHIEF, OFFICE = rules.may_write, rules.may_approve, rules.is_adopting_staff
OPEN = {S.DRAFT, S.RETURNED}
REACHED_OFFICE = {S.AWAITING_OFFICE, S.ADOPTED}


def row(action, sources, target, may, label, *guards, refusal):
    return Transition(action, sources, target, may, label, refusal, guards)


ITEM = Lifecycle(
    # action, from, to (None: stays), who may, label, guards
    row(EDIT, OPEN, None, WRITER, "修改", refusal=NOT_WRITER),
    row(SUBMIT, OPEN, S.AWAITING_CHIEF, WRITER, "提交科长审核", refusal=NOT_WRITER),
    row(WITHDRAW, {S.AWAITING_CHIEF}, S.DRAFT, WRITER, "撤回", refusal=NOT_WRITER),
    row(
        APPROVE,
        {S.AWAITING_CHIEF},
        S.AWAITING_OFFICE,
        CHIEF,
        "审核通过，报送综合科",
        refusal=NOT_CHIEF,
    ),  # fmt: skip
    row(RETURN, {S.AWAITING_CHIEF}, S.RETURNED, CHIEF, "退回修改", refusal=NOT_CHIEF),
    row(ADOPT, {S.AWAITING_OFFICE}, S.ADOPTED, OFFICE, "采用", HAS_COLUMN, refusal=NOT_OFFICE),
    row(RETURN_OFFICE, {S.AWAITING_OFFICE}, S.RETURNED, OFFICE, "退回", refusal=NOT_OFFICE),
    row(OUTLET, REACHED_OFFICE, None, OFFICE, "登记采用渠道", refusal=NOT_OFFICE),
    row(INSTRUCTION, REACHED_OFFICE, None, OFFICE, "登记领导批示", refusal=NOT_OFFICE),
    wrong_state=_wrong_state,
    initial=S.DRAFT,
)
