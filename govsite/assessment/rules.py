"""Who may see and do what with the 双百考核 scores (第二十一、二十二条; R-ASSESS-2). One place
for every decision; the menu, the views and the tests read these functions.

综合科 — the section owning 沟通信箱 and 工作动态 (``mailbox.rules.mailbox_section``: data, not a
name in code) — assesses every section: its officers and chief, 综合科-网站管理 and a superuser
see the whole office. A director sees the sections they supervise; an officer or chief sees
their own section. 综合科's staff keep the 考核细则; only its chief closes a month (关账), which
freezes the published 通报 — a closed month is never reopened.
"""

from govsite.mailbox.rules import mailbox_section
from govsite.sections.models import Section
from govsite.sections.rules import (
    is_active_user,
    is_chief_of,
    is_site_manager,
    is_staff_of,
)


def office_section(user=None):
    """综合科: the section that assesses the others (the owner of 沟通信箱)."""
    return mailbox_section(user)


def sees_whole_office(user):
    """综合科 (its officers and chief), 综合科-网站管理 and a superuser."""
    if not is_active_user(user):
        return False
    return user.is_superuser or is_site_manager(user) or is_staff_of(user, office_section(user))


def visible_sections(user):
    """The sections whose scores ``user`` sees: every section for 综合科; the supervised ones
    for a director; one's own for an officer or chief. One query."""
    if not is_active_user(user):
        return []
    if sees_whole_office(user):
        return list(Section.objects.order_by("sort_order", "name"))
    return list(Section.objects.with_member(user).order_by("sort_order", "name"))


def may_view_scores(user):
    return bool(visible_sections(user))


def may_view_leaders_view(user):
    """领导看板: directors (for the sections they supervise) and 综合科 (the whole office)."""
    if not is_active_user(user):
        return False
    return sees_whole_office(user) or Section.objects.supervised_by(user).exists()


def may_close_month(user):
    """关账: 综合科's chief (or a superuser)."""
    return is_active_user(user) and (user.is_superuser or is_chief_of(user, office_section(user)))


def may_keep_rules(user):
    """考核细则: 综合科's officers and chief (or a superuser)."""
    return is_active_user(user) and (user.is_superuser or is_staff_of(user, office_section(user)))
