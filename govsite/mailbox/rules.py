"""Who may take which step with a letter (R-MAIL-2..5). One place for every decision.

- 综合科 (the 综合科-网站管理 role) triages, assigns, supervises, forwards, reviews and publishes.
- The section a letter is assigned to drafts the reply (its 信息员 and 科长); its 科长 approves
  the draft, but never one they wrote themselves (R-FLOW-3's rule, applied to replies).
- The directors of that section read its letters (they receive the overdue escalations).
"""

from django.db.models import Q

from govsite.sections.models import Section
from govsite.sections.rules import (
    belongs_to_any_section,
    is_chief_of,
    is_director_of,
    is_site_manager,
    is_staff_of,
)


def takes_part(user):
    """Whoever handles letters: 综合科 (every letter), the members of a section and the
    directors of sections (the letters assigned to those sections)."""
    return is_site_manager(user) or belongs_to_any_section(user)


def may_read(user, letter):
    if not user.is_active:
        return False
    return (
        is_site_manager(user)
        or is_staff_of(user, letter.section)
        or is_director_of(user, letter.section)
    )


def may_triage(user, letter=None):
    return is_site_manager(user)


def may_draft(user, letter):
    return is_staff_of(user, letter.section)


def drafted_by(letter):
    from .models import LetterEvent

    event = letter.events.filter(action=LetterEvent.Action.DRAFTED).order_by("-at", "-pk").first()
    return event.actor if event else None


def may_approve(user, letter):
    return is_chief_of(user, letter.section) and drafted_by(letter) != user


def letters_for(user, queryset=None):
    """The letters ``user`` may see in the admin."""
    from .models import Letter

    queryset = Letter.objects.all() if queryset is None else queryset
    if is_site_manager(user):
        return queryset
    groups = user.groups.values("pk")
    # The user's sections as a subquery: one query for the letters, however many, read
    # through the letters' section index (no join to de-duplicate).
    sections = Section.objects.filter(
        Q(officer_group__in=groups) | Q(chief_group__in=groups) | Q(directors=user)
    ).values("pk")
    return queryset.filter(section__in=sections)
