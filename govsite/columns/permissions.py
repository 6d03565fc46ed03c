"""Who may do what in the page tree (R-TREE-2, 第五、七、十一、十四条).

Two kinds of page permission exist, distinguished by the page the grant sits on:

* **ownership grants** sit on a sub-column (``SubColumnPage``) and are given by
  ``grant_column_to_owner`` to the officers and chiefs of the section that owns it. They let
  those people add and edit *content* in that sub-column, never publish it directly and never
  touch the sub-column itself;
* **structure grants** sit on the homepage and belong to the site-management role
  (``综合科-网站管理``). They let it change the tree's *structure* (columns, sub-columns,
  their order, ownership and place) and the order of a sub-column's pages (「排序」, e.g. the
  leaders of 领导简介), never the content of a section.

Publishing, unpublishing and deleting live content is the review chain's job: no group holds
a raw publish permission on content, so the editor offers officers nothing but drafts and
submission.

A third kind of access holds no grant at all: a **director reads** the sub-columns of the
sections they supervise (``read_only_column_paths``): the explorer lists them, nothing edits
them (第十四条: the director reviews, the section writes).
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupPagePermission, PagePermissionTester

from govsite.sections.models import Section

OWNER_PAGE_PERMISSIONS = ["add_page", "change_page"]
STRUCTURE_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]


def _action(grant):
    return grant.permission.codename.rsplit("_", maxsplit=1)[0]


def _is_structure(page):
    from .models import StructurePage

    return issubclass(page.specific_class, StructurePage)


def _sub_column_type_ids():
    """Content types of ``SubColumnPage`` and of its specialised kinds (e.g. the surveys')."""
    from wagtail.models import get_page_models

    from .models import SubColumnPage

    models = [model for model in get_page_models() if issubclass(model, SubColumnPage)]
    types = ContentType.objects.get_for_models(*models)
    return {content_type.pk for content_type in types.values()}


class ColumnPermissionTester(PagePermissionTester):
    """Wagtail's tester with the ownership rules of this office applied on top."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.is_structure = _is_structure(page)
        self.ownership_permissions = set()
        if self.user.is_active and not self.user.is_superuser:
            structure, ownership = set(), set()
            for path, is_ownership, action in self._grants():
                if page.path.startswith(path):
                    (ownership if is_ownership else structure).add(action)
            self.ownership_permissions = ownership
            self.permissions = structure if self.is_structure else ownership - {"publish"}

    def _grants(self):
        """The user's page grants as (path, ownership grant?, action), worked out once per user
        object like Wagtail's own permission cache: a listing builds a tester for every row,
        several times over."""
        cached = getattr(self.user, "_govsite_page_grants", None)
        if cached is None:
            sub_column_types = _sub_column_type_ids()
            cached = self.user._govsite_page_grants = [
                (grant.page.path, grant.page.content_type_id in sub_column_types, _action(grant))
                for grant in self.permission_policy.get_cached_permissions_for_user(self.user)
            ]
        return cached

    def can_view_revisions(self):
        """历史 only for who holds a grant: a director reading a column has no history page to
        open (Wagtail's history asks for a page permission), so no button leads to a refusal."""
        if not (self.user.is_superuser or self._grants()):
            return False
        return super().can_view_revisions()

    def _accepts_content(self):
        from .models import SubColumnPage

        return issubclass(self.page.specific_class, SubColumnPage)

    def can_add_subpage(self):
        if not self._accepts_content():
            return super().can_add_subpage()
        if not self.user.is_active:
            return False
        if not any(
            m.can_create_at(self.page) for m in self.page.specific_class.creatable_subpage_models()
        ):
            return False
        return self.user.is_superuser or "add" in self.ownership_permissions

    def can_publish_subpage(self):
        # Content is published by the review chain, never in one go with its creation.
        if self._accepts_content():
            return self.user.is_active and self.user.is_superuser
        return super().can_publish_subpage()

    def can_publish(self):
        if not self.is_structure:
            return self.user.is_active and self.user.is_superuser
        return super().can_publish()

    def can_unpublish(self):
        if not self.is_structure:
            return self.user.is_active and self.user.is_superuser and self.page.live
        if self._holds_content():
            # Taking a column offline would take its sections' content with it, unreviewed.
            return False
        return super().can_unpublish()

    def can_delete(self, ignore_bulk=False):
        if self.is_structure and self._holds_content():
            # Deleting a column would silently take its sections' content with it.
            return False
        if not self.is_structure and self.page.first_published_at is not None:
            # R-FLOW-5: content that was ever public is deleted only by a reviewed request,
            # which retains it (govsite.changes); a hard delete would erase its record.
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        if not self.is_structure:
            # Content stays in the column whose section is responsible for it.
            return self.user.is_active and self.user.is_superuser
        return super().can_delete(ignore_bulk=True)

    def can_move_to(self, destination):
        """Content never leaves its column (``can_move``), but 「排序」 — putting a page before
        or after its siblings, as 综合科 orders the leaders of 领导简介 — keeps it in place: it
        is for whoever may reorder that column's children (the site-management role)."""
        if not self.is_structure and self.page.is_child_of(destination):
            return destination.permissions_for_user(self.user).can_reorder_children()
        return super().can_move_to(destination)

    def _holds_content(self):
        from .models import content_page_models

        return self.page.get_descendants().type(*content_page_models()).exists()


def read_only_column_paths(user):
    """第七、十四条: the tree paths of the sub-columns a director reads without editing — those
    owned by the sections ``user`` supervises as 主管主任. Read once per user object (one
    query); empty for everyone else. Editing stays with ``ColumnPermissionTester``, which
    gives a director nothing here."""
    cached = getattr(user, "_govsite_read_only_paths", None)
    if cached is None:
        cached = []
        if user.is_authenticated and user.is_active and not user.is_superuser:
            from .models import SubColumnPage

            supervised = Section.objects.supervised_by(user).values("pk")
            cached = sorted(
                SubColumnPage.objects.filter(owner_section__in=supervised).values_list(
                    "path", flat=True
                )
            )
        user._govsite_read_only_paths = cached
    return cached


def owner_groups(section):
    return [section.officer_group, section.chief_group]


def grant_column_to_owner(column):
    """Give the owning section's officers and chiefs the ownership grants on ``column``,
    and take them from every other section (R-TREE-2: permissions follow ownership)."""
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=OWNER_PAGE_PERMISSIONS
        )
    )
    owners = owner_groups(column.owner_section)
    all_section_groups = Section.objects.values_list("officer_group", "chief_group")
    section_group_ids = {gid for pair in all_section_groups for gid in pair}
    GroupPagePermission.objects.filter(page=column, group_id__in=section_group_ids).exclude(
        group__in=owners
    ).delete()
    for group in owners:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=column, permission=permission
            )


def grant_structure_to_site_managers(group, home):
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=STRUCTURE_PAGE_PERMISSIONS
    )
    for permission in permissions:
        GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
