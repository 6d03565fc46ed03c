"""Who may do what with 信息报送 (第十六、二十二条; R-INFO-1..3). One place for every decision.

综合科 is not a name in code: it is the section that owns the column adopted items are published
in (``ReportingSettings.adoption_column``, 工作动态 by default), like 沟通信箱's section.

The 通报 and the quotas (R-INFO-3):
- 综合科's staff, 综合科-网站管理 and superusers see the whole office's 通报 and keep the
  sections' quotas;
- a director sees the lines of the sections they supervise (with their office-wide rank);
- a section's 信息员 and 科长 see their own section's line and rank.
"""

from govsite.sections.models import Section
from govsite.sections.rules import (
    is_active_user,
    is_director_of,
    is_site_manager,
    is_staff_of,
    owning_section,
)

from .models import ReportingSettings

_UNREAD = object()


def office_section(user=None):
    """The section that adopts items (综合科): the owner of ``ReportingSettings.adoption_column``;
    ``None`` while no column is chosen. Read once per ``user`` object when one is given."""
    cached = getattr(user, "_govsite_reporting_office", _UNREAD)
    if cached is not _UNREAD:
        return cached
    column = ReportingSettings.load().adoption_column
    section = owning_section(column) if column is not None else None
    if user is not None:
        user._govsite_reporting_office = section
    return section


def is_office_staff(user):
    """An officer or the chief of 综合科, the section that adopts and supervises (第十六条)."""
    return is_staff_of(user, office_section(user))


def sees_whole_office(user):
    """综合科's staff, 综合科-网站管理 and superusers: every section's figures (R-INFO-3)."""
    return is_active_user(user) and (
        user.is_superuser or is_site_manager(user) or is_office_staff(user)
    )


def bulletin_sections(user):
    """The sections whose lines of the 通报 ``user`` sees: ``None`` for all of them (综合科), the
    sections they supervise or belong to, or an empty list for nobody's."""
    if not is_active_user(user):
        return []
    if sees_whole_office(user):
        return None
    return list(Section.objects.with_member(user))


def may_see_bulletin(user):
    """Whoever has a line to see: 综合科, a director, a section's 信息员 or 科长."""
    return bulletin_sections(user) != []


def may_keep_quotas(user):
    """综合科's staff, 综合科-网站管理 and superusers keep the sections' monthly quotas."""
    return sees_whole_office(user)


def sees_section(user, section):
    """Whether ``user`` sees ``section``'s figures."""
    return sees_whole_office(user) or is_staff_of(user, section) or is_director_of(user, section)
