"""The steps of an item's way (第十六条; R-INFO-1, R-INFO-2), each in one transaction: the item
changes and its ``ItemStep`` is written together, or neither is; each step tells the next
person (``notices.delivery.notify``: an in-admin notice and an e-mail copy).

Which step may be taken from which state, by whom, and the state it leads to is the table in
``lifecycle`` (the item's page reads the same table for its buttons); a step the table refuses,
or whose input is wanting (an empty item, a return without a reason, content the screening
blocks), raises ``CaseError`` with a sentence for the user and changes nothing. Every step takes
``now`` for the tests and the demo.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from govsite.columns.models import ArticleAttachment, ArticlePage
from govsite.notices.delivery import actor_name, notify
from govsite.screening.engine import blocking, screen_page

from . import lifecycle, rules
from .lifecycle import ITEM
from .models import Item, ItemStep, LeaderInstruction, Outlet, OutletAdoption

Status, Action = Item.Status, ItemStep.Action


class CaseError(Exception):
    """A step that may not be taken; the message is for the user, in Chinese."""


def item_url(item):
    return reverse("reporting_items:item", args=[item.pk])


def _check(action, user, item):
    return ITEM.check(action, user, item, CaseError)


def _move(item, action, user, step, now, comment="", **fields):
    """Take the table's row for ``action``: the item's new state and ``fields``, and its step."""
    target = _check(action, user, item).next_state(item)
    if target is not None:
        item.status = target
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    return ItemStep.objects.create(item=item, action=step, actor=user, at=now, comment=comment)


def _tell(users, title, text, item, but=None):
    """A notice to each of ``users`` (once each, never to ``but``), after the step commits."""
    people = {user.pk: user for user in users if user is not None and user != but}
    url = item_url(item)
    transaction.on_commit(
        lambda: [notify(user, title, text, url) for user in people.values()], robust=True
    )


def _reason(reason, what):
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(f"请填写{what}的理由。")
    return reason


def emptiness(item):
    """The sentence refusing an item with nothing to submit, or ``None``."""
    if not (item.title or "").strip():
        return "信息没有标题，请填写标题后再提交。"
    if not any(block.value for block in item.body or []):
        return "信息没有正文，请填写正文后再提交。"
    return None


def screening_refusal(item):
    """The sentence refusing an item the screening blocks (its title, body, image captions
    and attachments, as a page's), or ``None``."""
    found = blocking(screen_page(item, warnings=False))
    if not found:
        return None
    return "信息未通过内容审查，请修改后再提交：" + "；".join(f.describe() for f in found)


# ---------------------------------------------------------------------------------------------
# The section (R-INFO-1)


@transaction.atomic
def submit(item, user, now=None):
    """The writer sends the item to their 科长 (第十六条), if it has a title and a body and the
    screening passes it; the 科长 is told."""
    now = now or timezone.now()
    _check(lifecycle.SUBMIT, user, item)
    refusal = emptiness(item) or screening_refusal(item)
    if refusal:
        raise CaseError(refusal)
    _move(item, lifecycle.SUBMIT, user, Action.SUBMIT, now, submitted_at=now)
    _tell(
        item.section.chiefs(),
        f"待审核信息：{item.title}",
        f"{actor_name(user)}提交了一条动态信息，请审核后报送综合科。",
        item,
        but=user,
    )
    return item


@transaction.atomic
def withdraw(item, user, now=None):
    """The writer takes back an item their 科长 has not decided yet."""
    now = now or timezone.now()
    _move(item, lifecycle.WITHDRAW, user, Action.WITHDRAW, now, submitted_at=None)
    _tell(
        item.section.chiefs(),
        f"信息已撤回：{item.title}",
        f"{actor_name(user)}撤回了这条信息，无需审核。",
        item,
        but=user,
    )
    return item


@transaction.atomic
def approve(item, user, comment="", now=None):
    """The 科长 approves: the item leaves the section (``sent_at``: the month it counts in,
    kept from its first sending) and waits in 综合科's queue; 综合科 and the writer are told."""
    now = now or timezone.now()
    _move(
        item,
        lifecycle.APPROVE,
        user,
        Action.APPROVE,
        now,
        comment=(comment or "").strip(),
        sent_at=item.sent_at or now,
        decided_at=None,
    )
    office = rules.adopting_section()
    text = f"{item.section.name}报送了一条动态信息（{item.kind}），请采用或退回。"
    _tell(office.officers() if office else [], f"待采用信息：{item.title}", text, item)
    _tell(
        [item.author],
        f"信息已报送综合科：{item.title}",
        f"{actor_name(user)}审核通过，已报送综合科。",
        item,
        but=user,
    )
    return item


@transaction.atomic
def return_to_writer(item, user, reason, now=None):
    """The 科长 returns the item to the writer, with a reason."""
    now = now or timezone.now()
    _check(lifecycle.RETURN, user, item)
    reason = _reason(reason, "退回")
    _move(item, lifecycle.RETURN, user, Action.RETURN, now, comment=reason)
    _tell(
        [item.author],
        f"信息被退回修改：{item.title}",
        f"{actor_name(user)}退回：{reason}",
        item,
        but=user,
    )
    return item


# ---------------------------------------------------------------------------------------------
# 综合科 (R-INFO-2)


@transaction.atomic
def adopt(item, user, now=None):
    """综合科 adopts the item: a draft copy (title, body, attachments) in the adoption column,
    owned by ``user``, crediting the section (来源) and the writer (供稿), which ``user`` edits
    and submits through 综合科's own review chain (第十四条). Returns the page."""
    now = now or timezone.now()
    if item.status == Status.ADOPTED:
        raise CaseError("这条信息已被采用，不能重复采用。")
    _check(lifecycle.ADOPT, user, item)
    column = rules.adoption_column()
    item = Item.objects.select_for_update().get(pk=item.pk)  # two adopters at once: one wins
    if item.status == Status.ADOPTED:
        raise CaseError("这条信息已被采用，不能重复采用。")
    page = ArticlePage(
        title=item.title,
        body=item.body.raw_data,
        owner=user,
        live=False,
        source_section=item.section,
        contributor=contributor(item),
    )
    page.attachments = [
        ArticleAttachment(document=attachment.document, title=attachment.title)
        for attachment in item.attachments.all()
    ]
    column.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    _move(item, lifecycle.ADOPT, user, Action.ADOPT, now, decided_at=now, adopted_page=page)
    _tell(
        [item.author],
        f"信息已被采用：{item.title}",
        f"{actor_name(user)}采用了这条信息，将在“{column.title}”经审核后发布。",
        item,
        but=user,
    )
    return page


def contributor(item):
    """供稿 as the public page shows it: "秘书科 周雨桐"."""
    writer = (item.author.get_full_name() or item.author.username) if item.author else ""
    return f"{item.section.name} {writer}".strip()


@transaction.atomic
def return_item(item, user, reason, now=None):
    """综合科 returns the item to its section with a reason (R-INFO-2); the writer and the
    chief who approved it are told."""
    now = now or timezone.now()
    _check(lifecycle.RETURN_OFFICE, user, item)
    reason = _reason(reason, "退回")
    approver = _last_actor(item, Action.APPROVE)
    _move(item, lifecycle.RETURN_OFFICE, user, Action.RETURN_OFFICE, now, comment=reason,
          decided_at=now)  # fmt: skip
    _tell(
        [item.author, approver],
        f"综合科退回信息：{item.title}",
        f"{actor_name(user)}退回：{reason}",
        item,
        but=user,
    )
    return item


def _last_actor(item, action):
    step = item.steps.filter(action=action).select_related("actor").order_by("-at", "-pk").first()
    return step.actor if step else None


@transaction.atomic
def record_outlet(item, user, outlet, adopted_on, note="", now=None):
    """综合科 records that ``outlet`` adopted the item (区信息刊物, 市级刊物 …): once per outlet."""
    now = now or timezone.now()
    _check(lifecycle.OUTLET, user, item)
    if item.outlet_adoptions.filter(outlet=outlet).exists():
        raise CaseError(f"这条信息已登记过被“{outlet}”采用，不能重复登记。")
    try:
        with transaction.atomic():
            OutletAdoption.objects.create(
                item=item, outlet=outlet, adopted_on=adopted_on, note=note, recorded_by=user
            )
    except IntegrityError as clash:
        raise CaseError(f"这条信息已登记过被“{outlet}”采用，不能重复登记。") from clash
    comment = f"{outlet}（{adopted_on:%Y-%m-%d}）" + (f"：{note}" if note else "")
    _move(item, lifecycle.OUTLET, user, Action.OUTLET, now, comment=comment)
    _tell([item.author], f"信息被{outlet}采用：{item.title}", comment, item, but=user)
    return item


@transaction.atomic
def record_instruction(item, user, level, leader, instructed_on, text="", now=None):
    """综合科 records a leader's instruction (领导批示) on the item, by level."""
    now = now or timezone.now()
    _check(lifecycle.INSTRUCTION, user, item)
    leader = (leader or "").strip()
    if not leader:
        raise CaseError("请填写批示领导。")
    LeaderInstruction.objects.create(
        item=item,
        level=level,
        leader=leader,
        instructed_on=instructed_on,
        text=text,
        recorded_by=user,
    )
    comment = f"{level}：{leader}（{instructed_on:%Y-%m-%d}）" + (f"：{text}" if text else "")
    _move(item, lifecycle.INSTRUCTION, user, Action.INSTRUCTION, now, comment=comment)
    _tell([item.author], f"信息获{level}：{item.title}", comment, item, but=user)
    return item


# ---------------------------------------------------------------------------------------------
# The adopted copy published (``signal_handlers``)


@transaction.atomic
def copy_published(page, now=None):
    """The adopted copy of an item is first published: 本站工作动态 adopted it on the day of
    publication (an ``OutletAdoption`` of the own-site outlet), the record says so and the
    writer is told. Later publications of the same page change nothing."""
    item = Item.objects.filter(adopted_page_id=page.pk).select_related("section").first()
    if item is None:
        return None
    outlet = Outlet.objects.filter(own_site=True).order_by("order", "pk").first()
    if outlet is None or item.outlet_adoptions.filter(outlet=outlet).exists():
        return None
    now = now or timezone.now()
    day = timezone.localdate(page.first_published_at or now)
    OutletAdoption.objects.create(item=item, outlet=outlet, adopted_on=day)
    ItemStep.objects.create(item=item, action=Action.PUBLISH, at=now, comment=page.title)
    _tell(
        [item.author],
        f"采用稿已发布：{item.title}",
        f"您报送的信息已在本站“{page.get_parent().title}”发布（{day:%Y-%m-%d}）。",
        item,
    )
    return item
