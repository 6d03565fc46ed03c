"""Content for the freshness tests: items published at a chosen moment (the system sets
``first_published_at`` at publication and never moves it back, so the tests set it directly),
items without a publication time, and reviews.

For the 双百考核 scores: items sent, adoptions, instructions, letters past their deadline,
pages returned by the automatic screening, rule sets."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.models import Page, TaskState

from govsite.assessment.models import ColumnReview
from govsite.mailbox.models import Letter
from govsite.mailbox.tests.factories import stored
from govsite.reporting.models import (
    InstructionLevel,
    Item,
    ItemKind,
    LeaderInstruction,
    Outlet,
    OutletAdoption,
)
from govsite.testing.helpers import add_article, article_model
from govsite.workflow.models import ScreeningTaskState

from ..models import RuleSet, ScoreRule

OFFICE = ZoneInfo("Asia/Shanghai")


def moment(year, month, day, hour=10):
    """A moment of the office's day."""
    return datetime(year, month, day, hour, tzinfo=OFFICE)


def published(column, when, title="更新"):
    """A live item under ``column`` first published at ``when`` (the page as publication leaves
    it, without going through the editor: the freshness rule reads only the tree)."""
    return column.add_child(
        instance=article_model(column)(
            title=title, live=True, first_published_at=when, last_published_at=when
        )
    )


def published_through_editor(column, when, title="更新"):
    """An item published the way the system does, then dated ``when``."""
    article = add_article(column, title=title)
    Page.objects.filter(pk=article.pk).update(first_published_at=when, last_published_at=when)
    return article


def undated(column, title="无发布时间"):
    """A live item under ``column`` without a publication time (imported, say)."""
    article = column.add_child(instance=article_model(column)(title=title, live=True))
    Page.objects.filter(pk=article.pk).update(first_published_at=None, last_published_at=None)
    return article


def reviewed(column, when, user=None):
    return ColumnReview.objects.create(column=column, reviewed_by=user, reviewed_at=when)


def at(day, hour=10):
    """``day`` at ``hour`` o'clock in the office's time zone."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def sent_item(section, day, title="动态信息", status=Item.Status.AWAITING_OFFICE):
    kind, _ = ItemKind.objects.get_or_create(name="重点工作")
    return Item.objects.create(
        section=section, kind=kind, title=title, status=status, sent_at=at(day)
    )


def outlet(name="区信息刊物", points="3"):
    """The outlet ``name`` worth ``points`` (the test's points over the seeded ones)."""
    return Outlet.objects.update_or_create(name=name, defaults={"points": Decimal(points)})[0]


def adopt(item, day, name="区信息刊物", points="3"):
    return OutletAdoption.objects.create(item=item, outlet=outlet(name, points), adopted_on=day)


def instruct(item, day, name="区领导", points="5"):
    level = InstructionLevel.objects.update_or_create(name=name, defaults={"points": points})[0]
    return LeaderInstruction.objects.create(
        item=item, level=level, leader="张区长", instructed_on=day
    )


def late_letter(section, deadline, replied_on=None):
    """A letter assigned to ``section`` with ``deadline``: answered on ``replied_on``, or still
    open when not given."""
    if replied_on is None:
        letter, _ = stored(status=Letter.Status.ASSIGNED, section=section, deadline=deadline)
    else:
        letter, _ = stored(
            status=Letter.Status.REPLIED,
            section=section,
            deadline=deadline,
            replied_at=at(replied_on),
        )
    return letter


def screened_out(column, day, text="普通的错误", title="被退回的稿件"):
    """An article under ``column`` submitted and returned by the automatic screening on
    ``day`` (``text`` holds what the lexicon refuses)."""
    page = add_article(
        column,
        title=title,
        slug=f"returned-{uuid.uuid4().hex[:8]}",
        publish=False,
        body=[("paragraph", f"<p>{text}</p>")],
    )
    page.save_revision()
    workflow_state = page.get_workflow().start(page, None)
    state = ScreeningTaskState.objects.get(workflow_state=workflow_state)
    assert state.status == TaskState.STATUS_REJECTED, state.findings
    ScreeningTaskState.objects.filter(pk=state.pk).update(finished_at=at(day))
    return state


def rule_set(effective_from, full_marks="100", **weights):
    """A rule set from ``effective_from`` with ``measure=(weight, per_unit)`` rows."""
    made = RuleSet.objects.create(
        name=f"{effective_from:%Y年%m月}细则", effective_from=effective_from, full_marks=full_marks
    )
    for order, (measure, (weight, per_unit)) in enumerate(weights.items()):
        ScoreRule.objects.create(
            rule_set=made,
            sort_order=order,
            measure=measure,
            weight=Decimal(str(weight)),
            per_unit=Decimal(str(per_unit)),
        )
    return made


def first(year, month):
    return date(year, month, 1)
