"""Who holds which role in which section, and which section owns a page (第五、七、十一、十四条):
the one answer to each of these questions, for the review chain, change requests, letters,
column permissions and every later feature.

The answers are computed from the groups and the tree, never stored per page: moving a column
to another section moves its officers, its chief and its director with it (R-TREE-2). A user's
groups are read once per request (the page listing asks for every row).
"""

from django.db.models import Exists, OuterRef

from . import roles
from .models import Section

_UNREAD = object()


def _read_groups(user):
    """``user``'s groups with the sections they are the 信息员 or 科长 group of, read once per
    user object (one query): ``_groups`` and ``sections_held`` answer from it."""
    if getattr(user, "_govsite_groups", None) is None:
        rows = (
            user.groups.values_list("pk", "name", "officer_of_section", "chief_of_section")
            if user.is_authenticated
            else []
        )
        user._govsite_groups = {pk: name for pk, name, _officer, _chief in rows}
        user._govsite_sections_held = (
            {officer for _pk, _name, officer, _chief in rows if officer is not None},
            {chief for _pk, _name, _officer, chief in rows if chief is not None},
        )


def _groups(user):
    """``{id: name}`` of ``user``'s groups, read once per user object."""
    _read_groups(user)
    return user._govsite_groups


def group_ids(user):
    """The ids of ``user``'s groups, read once per user object."""
    return set(_groups(user))


def is_active_user(user):
    return user.is_authenticated and user.is_active


def has_role(user, name):
    """Whether ``user`` is in the office-wide group ``name`` (``roles``), e.g. 综合科-网站管理."""
    return is_active_user(user) and name in _groups(user).values()


def sections_held(user):
    """(ids of the sections ``user`` is an information officer of, ids of those they are the
    chief of), read with the user's groups (``_read_groups``, no query of its own): whether
    someone writes or approves anything at all, without asking section by section."""
    if not is_active_user(user):
        return set(), set()
    _read_groups(user)
    return user._govsite_sections_held


def is_officer_of(user, section):
    """An information officer of ``section`` (第七条)."""
    return section is not None and section.officer_group_id in group_ids(user)


def is_chief_of(user, section):
    """The chief of ``section``, who reviews its content first (第十四条)."""
    return section is not None and section.chief_group_id in group_ids(user)


def is_staff_of(user, section):
    """An officer or the chief of ``section``: who maintains its content (第七、十五条)."""
    if section is None or not is_active_user(user):
        return False
    return bool({section.officer_group_id, section.chief_group_id} & group_ids(user))


def is_director_of(user, section):
    """A director (主管主任) who supervises ``section`` and reviews second (第十四条)."""
    return section is not None and section.pk in _supervised(user)


def _supervised(user):
    """The ids of the sections ``user`` supervises, read once per user object."""
    cached = getattr(user, "_govsite_supervised", None)
    if cached is None:
        supervised = Section.objects.supervised_by(user) if user.is_authenticated else []
        cached = user._govsite_supervised = {section.pk for section in supervised}
    return cached


def office_section(user=None):
    """综合科: the section that builds and manages the website (第五条; SPEC's "site owner
    section"), which supervises the columns' upkeep and runs the assessment (第二十一条) and
    interprets the regulation (第二十三条). Data, not a name: the section marked
    “负责网站建设和管理（综合科）” in 科室 (one at most). Read once per ``user`` object when one
    is given; ``None`` when no section is marked."""
    cached = getattr(user, "_govsite_office_section", _UNREAD)
    if cached is not _UNREAD:
        return cached
    section = Section.objects.running_website().first()
    if user is not None:
        user._govsite_office_section = section
    return section


def section_owning_column(columns, user=None, *, duty):
    """The section that owns the first of ``columns`` (a queryset of sub-columns) in tree order:
    whoever carries a duty that follows its column (第十一条: 在线交流's 沟通信箱, the 工作动态
    that adopted information goes into), so that moving the column moves the duty (R-TREE-2).

    One query. With a ``user``, the answer is read once per user object (cached under
    ``duty``, a short name for the question) and carries ``supervised_by_user``: whether
    ``user`` supervises the section (``supervises``), so a menu's count asks nothing more.
    ``None`` when no such column exists."""
    attribute = f"_govsite_column_owner_{duty}"
    cached = getattr(user, attribute, _UNREAD)
    if cached is not _UNREAD:
        return cached
    sections = Section.objects.filter(columns__in=columns)
    if user is not None and user.is_authenticated:
        supervised = Section.directors.through.objects.filter(section=OuterRef("pk"), user=user.pk)
        sections = sections.annotate(supervised_by_user=Exists(supervised))
    section = sections.order_by("columns__path").first()
    if user is not None:
        setattr(user, attribute, section)
    return section


def supervises(user, section):
    """``is_director_of``, answered from ``section_owning_column``'s reading when ``section``
    came from it for this user (no query), else from the user's supervised sections."""
    if section is None:
        return False
    known = getattr(section, "supervised_by_user", None)
    return is_director_of(user, section) if known is None else known


def signs_off_media(user):
    """A chief of the section that signs off audio and video (第十七条: 信息中心)."""
    chief_groups = Section.objects.signing_off_media().values_list("chief_group", flat=True)
    return bool(group_ids(user) & set(chief_groups))


def is_site_manager(user):
    """综合科-网站管理 (or a superuser): the site's structure and settings (第五条)."""
    return is_active_user(user) and (user.is_superuser or has_role(user, roles.SITE_MANAGERS))


def belongs_to_any_section(user):
    """An officer, chief or director of some section."""
    return is_active_user(user) and Section.objects.with_member(user).exists()


def reviews_anything(user):
    """A chief or a director of any section, i.e. someone who may ever decide a review."""
    return is_active_user(user) and (
        Section.objects.with_chief(user).exists() or Section.objects.supervised_by(user).exists()
    )


def owning_section(page):
    """The section responsible for ``page``: the owner of the deepest sub-column that holds it
    (or that it is). One query, whatever the page's type; ``None`` outside the columns."""
    path, steplen = page.path or "", page.steplen
    prefixes = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
    if not prefixes:
        return None
    return Section.objects.filter(columns__path__in=prefixes).order_by("-columns__depth").first()


class SectionOwners:
    """``owning_section`` for many pages at once, as a listing needs it for every row: the
    sections and the paths of the sub-columns they own, read once (two queries, a few dozen
    rows), then the same rule — the owner of the deepest sub-column holding the page or being
    it — answered without the database."""

    def __init__(self):
        sections = Section.objects.in_bulk()
        self.by_path = {
            path: sections[pk]
            for path, pk in Section.objects.filter(columns__isnull=False).values_list(
                "columns__path", "pk"
            )
        }

    def of(self, page):
        path, steplen = page.path or "", page.steplen
        for end in range(len(path), 0, -steplen):
            if path[:end] in self.by_path:
                return self.by_path[path[:end]]
        return None
