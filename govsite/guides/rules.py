"""Whose guide is whose (帮助): each role's predicate, answered by ``govsite.sections.rules``
and the columns, never by group names spelled here. A user's own guides come first in the
帮助 menu, the most specific role first."""

from govsite.mailbox.rules import mailbox_section
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.sections.rules import (
    has_role,
    is_active_user,
    is_chief_of,
    is_director_of,
    is_officer_of,
    is_staff_of,
)

from .catalogue import GUIDES

# The most specific role first: a 综合科 chief reads the 综合科 guide before the chief's.
FIRST = [
    "system_admin",
    "security_admin",
    "audit_admin",
    "site_manager",
    "director",
    "mailbox_staff",
    "chief",
    "officer",
]


def roles_held(user):
    """The names in ``FIRST`` of the roles ``user`` holds, read once per user object."""
    cached = getattr(user, "_govsite_guide_roles", None)
    if cached is not None:
        return cached
    held = set()
    if is_active_user(user):
        sections = list(Section.objects.all())
        for name, role in [
            ("system_admin", roles.SYSTEM_ADMINS),
            ("security_admin", roles.SECURITY_ADMINS),
            ("audit_admin", roles.AUDIT_ADMINS),
            ("site_manager", roles.SITE_MANAGERS),
        ]:
            if has_role(user, role):
                held.add(name)
        for name, holds in [
            ("officer", is_officer_of),
            ("chief", is_chief_of),
            ("director", is_director_of),
        ]:
            if any(holds(user, section) for section in sections):
                held.add(name)
        if is_staff_of(user, mailbox_section(user)):
            held.add("mailbox_staff")
    user._govsite_guide_roles = held
    return held


def guides_for(user):
    """(the user's own role guides, most specific first; the other guides, in catalogue
    order — those every member of staff reads, 账号与密码 and 双因素认证, among them)."""
    held = roles_held(user)
    own = sorted((g for g in GUIDES if g.role in held), key=lambda g: FIRST.index(g.role))
    return own, [guide for guide in GUIDES if guide not in own]
