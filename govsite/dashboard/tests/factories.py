"""Work for the dashboard's tests, made the way the system makes it: articles drafted, submitted
through the review chain, returned by a chief with a comment; letters assigned to a section."""

from itertools import count

from django.utils import timezone

from govsite.mailbox import cases
from govsite.mailbox.models import Letter
from govsite.testing.helpers import add_article, section, sub_column

COLUMN = "工作动态"  # 综合科's
RETURN_COMMENT = "请补充会议时间。"
_numbers = count(1)


def draft(officer, title="草稿", column=COLUMN):
    slug = f"work-{next(_numbers)}"  # a Chinese title gives no slug of its own
    return add_article(sub_column(column), title=title, owner=officer, publish=False, slug=slug)


def submitted(officer, title="送审稿", column=COLUMN):
    page = draft(officer, title, column)
    page.get_workflow().start(page, officer)
    return page


def returned(officer, chief, title="退回稿", comment=RETURN_COMMENT, column=COLUMN):
    """Submitted by ``officer``, returned by ``chief`` at the chief's step with ``comment``."""
    page = submitted(officer, title, column)
    state = page.current_workflow_state.current_task_state
    state.task.specific.on_action(state, chief, "reject", comment=comment)
    return page


def approved_by_chief(officer, chief, title="待主任审核", column=COLUMN):
    page = submitted(officer, title, column)
    state = page.current_workflow_state.current_task_state
    state.task.specific.on_action(state, chief, "approve")
    return page


def letter_for(section_name, subject="关于路灯维修的建议", deadline=None):
    """A letter from the public, assigned to ``section_name`` with ``deadline``."""
    letter, _code = cases.receive(
        name="李四",
        phone="13800002222",
        subject=subject,
        text="小区门口路灯坏了一个月。",
        consent_to_publish=True,
    )
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.ASSIGNED,
        scope=Letter.Scope.INTERNAL,
        section=section(section_name),
        deadline=deadline or timezone.localdate(),
    )
    letter.refresh_from_db()
    return letter


def letter_to_triage(subject="关于办事指南的咨询"):
    letter, _code = cases.receive(
        name="张三", phone="13812345678", subject=subject, text="请问需要哪些材料？"
    )
    return letter
