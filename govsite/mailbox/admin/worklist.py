"""What waits for whom (R-MAIL-2..5): the number on the menu's 来信办理 and the dashboard's
沟通信箱 panel. Each count is one query (``LetterQuerySet``), however many letters there are."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet

from .. import rules
from ..models import Letter, MailboxSettings
from .base import list_url

Status = Letter.Status


@dataclass
class Count:
    """A number of letters on the dashboard, linking to the list of them; counted when read."""

    label: str
    letters: QuerySet
    url: str
    todo: bool = True  # counted on the menu (the overdue letters are already counted once)
    optional: bool = False  # shown only while something waits

    @cached_property
    def count(self):
        return self.letters.count()

    @property
    def shown(self):
        return not self.optional or bool(self.count)


def worklist(user, today=None):
    """What waits for ``user``, and nothing that waits for somebody else: for 综合科's officers
    (the section owning 沟通信箱) the letters to triage, the replies to word, the results
    awaited and the extensions to decide; for its chiefs the replies to sign off; for the
    director supervising it the replies to approve — while 沟通信箱设置 asks for it, or while a
    reply sent to them before it stopped asking still waits; for a section's officers and chief
    the replies to draft and, for its chief, to approve; for everyone the overdue letters they
    can see."""
    letters = rules.letters_for(user)
    counts = []
    if rules.may_triage(user):
        counts += [
            Count("待分类", letters.awaiting_triage(), list_url(status=Status.RECEIVED)),
            Count(
                "待拟定答复",
                letters.awaiting_reply(),
                list_url(status=[Status.APPROVED, Status.RESULT]),
            ),
            Count("待办理结果", letters.awaiting_result(), list_url(status=Status.FORWARDED)),
            Count("延期待审批", letters.awaiting_extension_decision(), list_url(extension="true")),
        ]
    if rules.is_signer(user):
        counts.append(
            Count(
                "待签发",
                Letter.objects.awaiting_sign_off_by(user),
                list_url(status=Status.PREPARED),
            )
        )
    if rules.may_approve_reply(user):
        counts.append(
            Count(
                "待主管主任审核答复",
                Letter.objects.awaiting_director_review(),
                list_url(status=Status.DIRECTOR_REVIEW),
                optional=not MailboxSettings.load().directors_approve_replies,
            )
        )
    if rules.drafts_replies(user):
        counts.append(
            Count(
                "待拟写答复",
                Letter.objects.awaiting_draft_by(user),
                list_url(status=Status.ASSIGNED),
            )
        )
    if rules.approves_drafts(user):
        counts.append(
            Count(
                "待科长审核",
                Letter.objects.awaiting_approval_by(user),
                list_url(status=Status.DRAFTED),
            )
        )
    counts.append(Count("超期", letters.overdue(today), list_url(overdue="true"), todo=False))
    return counts


def todo_count(user):
    """The number on the menu: what waits for ``user`` to act."""
    return sum(count.count for count in worklist(user) if count.todo)
