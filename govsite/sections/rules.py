"""Who holds which role in which section, and which section owns a page (第五、七、十一、十四条):
the one answer to each of these questions, for the review chain, change requests, letters,
column permissions and every later feature.

The answers are computed from the groups and the tree, never stored per page: moving a column
to another section moves its officers, its chief and its director with it (R-TREE-2). A user's
groups are read once per request (the page listing asks for every row).
"""

from . import roles
from .models import Section


def _groups(user):
    """``{id: name}`` of ``user``'s groups, read once per user object."""
    cached = getattr(user, "_govsite_groups", None)
    if cached is None:
        cached = dict(user.groups.values_list("pk", "name")) if user.is_authenticated else {}
        user._govsite_groups = cached
    return cached


def group_ids(user):
    """The ids of ``user``'s groups, read once per user object."""
    return set(_groups(user))


def is_active_user(user):
    return user.is_authenticated and user.is_active


def has_role(user, name):
    """Whether ``user`` is in the office-wide group ``name`` (``roles``), e.g. 综合科-网站管理."""
    return is_active_user(user) and name in _groups(user).values()


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


def signs_off_media(user):
    """A chief of the section that signs off audio and video (第十七条: 信息中心)."""
    chief_groups = Section.objects.signing_off_media().values_list("chief_group", flat=True)
    return bool(group_ids(user) & set(chief_groups))


def is_site_manager(user):
    """综合科-网站管理 (or a superuser): the site's structure, settings and 在线交流 (第十一条)."""
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
