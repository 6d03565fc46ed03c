"""Who may take which step with a letter (R-MAIL-2..5; 第十一、十三、十四条). One place for every
decision.

在线交流 is the duty of the section that owns the 沟通信箱 column (第十一条: 综合科 by default),
not of a role: moving the column to another section moves the duty, like every other column.

- The owning section's 信息员 triage, assign, decide extensions, forward to 区长电子信箱, record
  results, word the reply of every letter and choose its publication, and do 整理上报.
- Its 科长 sign off (签发) every reply before it goes out, but never one they prepared
  themselves; when 沟通信箱设置 says so, a director who supervises the section approves it too.
- The section a letter is assigned to drafts the reply (its 信息员 and 科长); its 科长 approves
  the draft, but never one they wrote themselves (R-FLOW-3's rule, applied to replies).
- The owning section's staff and directors read every letter; another section's staff and
  directors read the letters assigned to that section; a superuser reads everything.
  综合科-网站管理 keeps the mailbox's settings, not its letters.
"""

from django.db.models import Q

from govsite.columns.models import SubColumnPage
from govsite.sections.models import Section
from govsite.sections.rules import (
    belongs_to_any_section,
    is_active_user,
    is_chief_of,
    is_director_of,
    is_officer_of,
    is_staff_of,
    section_owning_column,
    sections_held,
    supervises,
)

# A permission that is this module's rule rather than a grant (``backends``): the 整理上报
# file is kept to its requester while they still handle letters.
HANDLES_LETTERS = "mailbox.handle_letters"


def mailbox_section(user=None):
    """The section that owns the 沟通信箱 column (第十一条: 在线交流, 综合科 by default): the
    ``MailboxPage``, a sub-column owned by its own 负责科室, by ``sections.rules.
    section_owning_column`` — one query, read once per ``user`` object when one is given, with
    whether ``user`` supervises it; ``None`` without a mailbox."""
    return section_owning_column(
        SubColumnPage.objects.filter(mailboxpage__isnull=False), user, duty="mailbox"
    )


def may_triage(user, letter=None):
    """An officer of the section owning 沟通信箱 (or a superuser): triage, assignment,
    extensions, the 区长电子信箱 hand-off, the reply's wording, publication, 整理上报."""
    return is_active_user(user) and (
        user.is_superuser or is_officer_of(user, mailbox_section(user))
    )


def reads_every_letter(user):
    """The owning section's officers, chiefs and directors, and a superuser."""
    if not is_active_user(user):
        return False
    section = mailbox_section(user)
    return user.is_superuser or is_staff_of(user, section) or supervises(user, section)


def takes_part(user):
    """Whoever handles letters: the owning section (every letter), the members of a section
    and the directors of sections (the letters assigned to those sections)."""
    return reads_every_letter(user) or belongs_to_any_section(user)


def may_read(user, letter):
    if not is_active_user(user):
        return False
    return (
        reads_every_letter(user)
        or is_staff_of(user, letter.section)
        or is_director_of(user, letter.section)
    )


def drafts_replies(user):
    """An officer or a chief of some section: the letters assigned to it wait for them
    (待拟写答复) — a director's or 综合科-网站管理's work never does."""
    officer_of, chief_of = sections_held(user)
    return is_active_user(user) and bool(officer_of or chief_of)


def approves_drafts(user):
    """A chief of some section: its drafted replies wait for them (待科长审核)."""
    return is_active_user(user) and bool(sections_held(user)[1])


def may_draft(user, letter):
    return is_staff_of(user, letter.section)


def _latest_actor(letter, action):
    event = letter.events.filter(action=action).order_by("-at", "-pk").first()
    return event.actor if event else None


def drafted_by(letter):
    from .models import LetterEvent

    return _latest_actor(letter, LetterEvent.Action.DRAFTED)


def prepared(letter):
    """The latest 拟定答复 event: who worded the reply and whether it is to be published."""
    from .models import LetterEvent

    return (
        letter.events.filter(action=LetterEvent.Action.PREPARED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def prepared_by(letter):
    event = prepared(letter)
    return event.actor if event else None


def may_approve(user, letter):
    return is_chief_of(user, letter.section) and drafted_by(letter) != user


def is_signer(user):
    """A chief of the section owning 沟通信箱."""
    return is_chief_of(user, mailbox_section(user))


def may_sign_off(user, letter):
    """签发 (第十四条): a chief of the section owning 沟通信箱, on a reply they did not prepare."""
    return is_signer(user) and prepared_by(letter) != user


def may_approve_reply(user, letter=None):
    """A director who supervises the section owning 沟通信箱 (when 沟通信箱设置 asks for it)."""
    return is_active_user(user) and supervises(user, mailbox_section(user))


def letters_for(user, queryset=None):
    """The letters ``user`` may see in the admin."""
    from .models import Letter

    queryset = Letter.objects.all() if queryset is None else queryset
    if reads_every_letter(user):
        return queryset
    groups = user.groups.values("pk")
    # The user's sections as a subquery: one query for the letters, however many, read
    # through the letters' section index (no join to de-duplicate).
    sections = Section.objects.filter(
        Q(officer_group__in=groups) | Q(chief_group__in=groups) | Q(directors=user)
    ).values("pk")
    return queryset.filter(section__in=sections)
