"""The page explorer of a column, fast at the office's size (SPEC §12; issue 13).

Wagtail's explorer keeps only the rows the user may explore: ``pk IN (explorable pages)``, a
query that ORs one tree condition per page permission of the user's groups (an officer of
综合科 holds a dozen sub-columns × four permissions) and that SQLite and PostgreSQL evaluate over
every page of those columns — tens of thousands of rows to list fifty. When the listed page lies
inside a column the user holds a page permission on, every page below it is explorable by
Wagtail's own rule (``PagePermissionPolicy.explorable_instances``: the permitted pages' whole
subtrees and their ancestors), so the filter cannot remove a row and is left out. Everywhere
else — the tree above the user's columns, a search of the whole tree — Wagtail's view runs
unchanged.
"""

from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

# The page permissions that make a page and its subtree explorable (``explorable_instances``).
EXPLORING_PERMISSIONS = {
    f"{action}_page" for action in ("add", "change", "publish", "lock", "unlock", "bulk_delete")
}


def within_permitted_subtree(policy, user, page):
    """Whether ``page`` is one of the pages ``user`` holds a page permission on, or below one:
    then ``page`` and everything below it is explorable."""
    if user.is_superuser:
        return True
    return any(
        page.path.startswith(permission.page.path)
        for permission in policy.get_cached_permissions_for_user(user)
        if permission.permission.codename in EXPLORING_PERMISSIONS
    )


class ColumnExplorerView(ExplorableIndexView):
    def get_base_queryset(self):
        if self.is_searching_whole_tree or not within_permitted_subtree(
            self.permission_policy, self.request.user, self.parent_page
        ):
            return super().get_base_queryset()
        manager = self.model._default_manager
        if self.is_searching or self.is_filtering:
            pages = manager.descendant_of(self.parent_page)
        else:
            pages = manager.child_of(self.parent_page)
        return self.annotate_queryset(pages)


class ExplorerViewSet(PageViewSet):
    """Wagtail's views for every page type, with the explorer above."""

    model = Page
    name = "govsite_pages"
    index_view_class = ColumnExplorerView
