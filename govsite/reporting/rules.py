"""Who may do what with a dynamic-information item (第十六条; R-INFO-1, R-INFO-2). One place for
every decision; the lifecycle table (``lifecycle.ITEM``), the admin's buttons, the views and the
tests all read these functions.

- Any section's 信息员 writes items for their own section, edits them while they are drafts or
  returned, submits them to their 科长 and withdraws them while they wait.
- That section's 科长 approves an item before it leaves the section (报送综合科), or returns it
  to the writer — never an item they wrote themselves (a 科长 who is also the section's 信息员
  has another 科长 approve it).
- The adopting section (``adopting_section``) is the one that owns the adoption column
  (``adoption_column``: 信息报送设置's “采用后发布到”, by default the 工作动态 sub-column, so
  综合科): its 信息员 and 科长 adopt (采用) or return items, and record other outlets (采用渠道)
  and leaders' instructions (领导批示). Adoption follows the column, since it publishes there.
- The section's staff and its directors read its items; the adopting section and its
  directors read every item once it has left its section. 综合科-网站管理 and the
  administrators take no part.

The 通报 and the quotas (R-INFO-3):
- 综合科 (``sections.rules.office_section``, which runs the 双百考核 the 通报 feeds, 第二十一、
  二十二条), 综合科-网站管理 and superusers see the whole office's 通报 and keep the sections'
  quotas;
- a director sees the lines of the sections they supervise (with their office-wide rank);
- a section's 信息员 and 科长 see their own section's line and rank.
"""

from django.db.models import Exists, Q

from govsite.columns.models import SubColumnPage
from govsite.sections.models import Section
from govsite.sections.rules import (
    belongs_to_any_section,
    group_ids,
    is_active_user,
    is_chief_of,
    is_director_of,
    is_officer_of,
    is_site_manager,
    is_staff_of,
    office_section,
    section_owning_column,
    sections_held,
    supervises,
)

# The sub-column 综合科 publishes adopted items in when 信息报送设置 names none (site_tree.toml).
DEFAULT_ADOPTION_SLUG = "gzdt"


def adoption_column():
    """Where adopted items are published: 信息报送设置's “采用后发布到”, else the 工作动态
    sub-column (slug ``gzdt``, made by the site's bootstrap after the migrations); ``None``
    when neither exists."""
    from .models import ReportingSettings

    column = ReportingSettings.load().adoption_column
    if column is None:
        column = SubColumnPage.objects.filter(slug=DEFAULT_ADOPTION_SLUG).order_by("path").first()
    return column


def adopting_section(user=None):
    """The section that adopts (采用) items: the owner of the adoption column (``adoption_column``'s
    rule, as one query, by ``sections.rules.section_owning_column``) — 第十六条 has 综合科 put
    the sections' information on the website, and 第十一条 gives 综合科 the 工作动态 it goes
    into; an adopted item is published into that column, which only its owner may do, so the
    duty follows the column. Read once per ``user`` object when one is given; ``None`` without
    an adoption column."""
    from .models import ReportingSettings

    chosen = ReportingSettings.objects.filter(adoption_column__isnull=False).values(
        "adoption_column"
    )
    columns = SubColumnPage.objects.filter(
        Q(pk__in=chosen) | Q(~Exists(chosen), slug=DEFAULT_ADOPTION_SLUG)
    )
    return section_owning_column(columns, user, duty="adoption")


def writes_anything(user):
    """An officer of some section: writes items."""
    return is_active_user(user) and bool(sections_held(user)[0])


def approves_anything(user):
    """The chief of some section: approves its items."""
    return is_active_user(user) and bool(sections_held(user)[1])


def is_adopting_staff(user, item=None):
    """An officer or the chief of the adopting section (``adopting_section``, 综合科 by default;
    or a superuser): adopts, returns, records outlets and instructions (R-INFO-2) and keeps the
    kinds, outlets and instruction levels with their points."""
    return is_active_user(user) and (user.is_superuser or is_staff_of(user, adopting_section(user)))


def writes_for(user):
    """The sections ``user`` writes items for: those they are an officer of."""
    if not is_active_user(user):
        return Section.objects.none()
    return Section.objects.filter(officer_group__in=group_ids(user))


def may_write(user, item):
    """An officer of the item's section: writes, edits, submits and withdraws it."""
    return is_active_user(user) and is_officer_of(user, item.section)


def may_approve(user, item):
    """The chief of the item's section, on an item they did not write (第十六条: the section's
    own 科长 approves before it is sent)."""
    return is_active_user(user) and is_chief_of(user, item.section) and item.author_id != user.pk


def may_read(user, item):
    if not is_active_user(user):
        return False
    if is_staff_of(user, item.section) or is_director_of(user, item.section):
        return True
    if item.sent_at is None:
        return False
    return is_adopting_staff(user) or supervises(user, adopting_section(user))


def reads_every_sent_item(user):
    """The adopting section's staff and its directors (and a superuser)."""
    return is_adopting_staff(user) or (
        is_active_user(user) and supervises(user, adopting_section(user))
    )


def takes_part(user):
    """Whoever the 信息报送 menu is for: the members and directors of sections, and the
    adopting section."""
    return is_adopting_staff(user) or belongs_to_any_section(user)


def items_for(user, queryset=None):
    """The items ``user`` may read (``may_read`` as one filter)."""
    from .models import Item

    queryset = Item.objects.all() if queryset is None else queryset
    if not is_active_user(user):
        return queryset.none()
    groups = group_ids(user)
    own = Section.objects.filter(
        Q(officer_group__in=groups) | Q(chief_group__in=groups) | Q(directors=user)
    ).values("pk")
    if reads_every_sent_item(user):
        return queryset.filter(Q(section__in=own) | Q(sent_at__isnull=False))
    return queryset.filter(section__in=own)


def sees_whole_office(user):
    """综合科's officers and chief (``sections.rules.office_section``: the 通报 and the quotas
    belong to the 双百考核 it runs, 第二十一、二十二条), 综合科-网站管理 and superusers: every
    section's figures (R-INFO-3)."""
    return is_active_user(user) and (
        is_site_manager(user) or is_staff_of(user, office_section(user))
    )


def bulletin_sections(user):
    """The sections whose lines of the 通报 ``user`` sees: ``None`` for all of them (综合科), the
    sections they supervise or belong to, or an empty list for nobody's."""
    if not is_active_user(user):
        return []
    if sees_whole_office(user):
        return None
    cached = getattr(user, "_govsite_reporting_bulletin", None)
    if cached is None:
        cached = user._govsite_reporting_bulletin = list(Section.objects.with_member(user))
    return cached


def may_see_bulletin(user):
    """Whoever has a line to see: 综合科, a director, a section's 信息员 or 科长."""
    return bulletin_sections(user) != []


def may_keep_quotas(user):
    """综合科's staff, 综合科-网站管理 and superusers keep the sections' monthly quotas."""
    return sees_whole_office(user)


def sees_section(user, section):
    """Whether ``user`` sees ``section``'s figures."""
    return sees_whole_office(user) or is_staff_of(user, section) or is_director_of(user, section)
