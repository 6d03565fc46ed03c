"""Who may take which step with a letter (R-MAIL-2..5). One place for every decision.

- 综合科 (the 综合科-网站管理 role) triages, assigns, supervises, forwards, reviews and publishes.
- The section a letter is assigned to drafts the reply (its 信息员 and 科长); its 科长 approves
  the draft, but never one they wrote themselves (R-FLOW-3's rule, applied to replies).
- The directors of that section read its letters (they receive the overdue escalations).
"""

from govsite.sections import roles


def _in_group(user, name):
    return user.groups.filter(name=name).exists()


def is_office_manager(user):
    return user.is_active and (user.is_superuser or _in_group(user, roles.SITE_MANAGERS))


def is_member_of_section(user, section):
    if section is None:
        return False
    return user.groups.filter(pk__in=[section.officer_group_id, section.chief_group_id]).exists()


def is_chief_of_section(user, section):
    return section is not None and user.groups.filter(pk=section.chief_group_id).exists()


def takes_part(user):
    """Whoever handles letters: 综合科 (every letter), the members of a section and the
    directors of sections (the letters assigned to those sections)."""
    from django.db.models import Q

    from govsite.sections.models import Section

    if not (user.is_authenticated and user.is_active):
        return False
    if is_office_manager(user):
        return True
    return Section.objects.filter(
        Q(officer_group__user=user) | Q(chief_group__user=user) | Q(directors=user)
    ).exists()


def may_read(user, letter):
    if not user.is_active:
        return False
    if is_office_manager(user) or is_member_of_section(user, letter.section):
        return True
    return letter.section is not None and letter.section.directors.filter(pk=user.pk).exists()


def may_triage(user, letter=None):
    return is_office_manager(user)


def may_draft(user, letter):
    return is_member_of_section(user, letter.section)


def drafted_by(letter):
    from .models import LetterEvent

    event = letter.events.filter(action=LetterEvent.Action.DRAFTED).order_by("-at", "-pk").first()
    return event.actor if event else None


def may_approve(user, letter):
    return is_chief_of_section(user, letter.section) and drafted_by(letter) != user


def letters_for(user, queryset=None):
    """The letters ``user`` may see in the admin."""
    from .models import Letter

    queryset = Letter.objects.all() if queryset is None else queryset
    if is_office_manager(user):
        return queryset
    from django.db.models import Q

    groups = user.groups.values("pk")  # a subquery: one query for the letters, however many
    return queryset.filter(
        Q(section__officer_group__in=groups)
        | Q(section__chief_group__in=groups)
        | Q(section__directors=user)
    ).distinct()
