"""The steps a user may take on an item from its page (第十六条; R-INFO-1, R-INFO-2): each a
form and the ``cases`` function that takes it. A step is offered exactly when the item's table
(``lifecycle.ITEM``) allows its action to the user now — the same table the ``cases`` function
asks before it changes anything."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from . import cases, forms, lifecycle
from .lifecycle import ITEM


@dataclass(frozen=True)
class Step:
    name: str
    action: str
    form_class: type
    submit_label: str
    take: Callable  # (item, user, cleaned data) -> (message, url to go to or None)
    danger: bool = False

    def shown(self, user, item):
        return ITEM.allows(self.action, user, item)

    def form(self, data=None):
        return self.form_class(data, prefix=self.name)

    @property
    def heading(self):
        return ITEM.rows(self.action)[0].label


def _submit(item, user, data):
    cases.submit(item, user)
    return f"已提交{item.section.name}科长审核。", None


def _withdraw(item, user, data):
    cases.withdraw(item, user)
    return "已撤回，信息回到草稿，可以修改后再提交。", None


def _approve(item, user, data):
    cases.approve(item, user, data["comment"])
    return "已审核通过，信息已报送综合科。", None


def _return(item, user, data):
    cases.return_to_writer(item, user, data["reason"])
    return "已退回撰稿人修改。", None


def _adopt(item, user, data):
    page = cases.adopt(item, user)
    message = (
        f"已采用，并在“{page.get_parent().title}”建立采用稿（草稿）。"
        "请编辑后提交审核，审核通过后发布。"
    )
    return message, reverse("wagtailadmin_pages:edit", args=[page.pk])


def _return_office(item, user, data):
    cases.return_item(item, user, data["reason"])
    return f"已退回{item.section.name}。", None


def _outlet(item, user, data):
    cases.record_outlet(item, user, data["outlet"], data["adopted_on"], data["note"])
    return f"已登记：被“{data['outlet']}”采用。", None


def _instruction(item, user, data):
    cases.record_instruction(
        item, user, data["level"], data["leader"], data["instructed_on"], data["text"]
    )
    return f"已登记{data['level']}。", None


STEPS = {
    step.name: step
    for step in [
        Step("submit", lifecycle.SUBMIT, forms.NoFields, "提交科长审核", _submit),
        Step("withdraw", lifecycle.WITHDRAW, forms.NoFields, "撤回", _withdraw, danger=True),
        Step("approve", lifecycle.APPROVE, forms.CommentForm, "审核通过，报送综合科", _approve),
        Step("return", lifecycle.RETURN, forms.ReasonForm, "退回修改", _return, danger=True),
        Step("adopt", lifecycle.ADOPT, forms.NoFields, "采用", _adopt),
        Step(
            "return-office",
            lifecycle.RETURN_OFFICE,
            forms.ReasonForm,
            "退回",
            _return_office,
            danger=True,
        ),  # fmt: skip
        Step("outlet", lifecycle.OUTLET, forms.OutletForm, "登记", _outlet),
        Step("instruction", lifecycle.INSTRUCTION, forms.InstructionForm, "登记", _instruction),
    ]
}
