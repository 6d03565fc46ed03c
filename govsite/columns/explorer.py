"""The page explorer and the admin's page search, fast at the office's size (SPEC §12; issue 13).

Wagtail keeps only the pages a user may explore with ``pk IN (explorable pages)``:
``PagePermissionPolicy.explorable_instances`` ORs a ``path LIKE`` condition for every page
permission of the user's groups — an officer of 综合科 holds a dozen sub-columns × four
permissions, 48 conditions — plus their ancestors, and the databases evaluate that over every
page of those columns, tens of thousands of rows, to list fifty or to rank twenty search hits.

``ExplorablePagePolicy`` answers the same question with the same rule, written so that the
database can use the tree index: each permitted subtree once (nested ones dropped), as a range
of paths, and the ancestors as a list of paths. ``ColumnExplorerView`` goes further inside a
column the user holds a permission on: every page below is explorable by that rule, so the
filter cannot remove a row and is left out. Everything else is Wagtail's views, unchanged.
"""

import posixpath

from django.contrib import messages
from django.db.models import Q
from django.utils.functional import cached_property
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

# The page permissions that make a page and its subtree explorable (``explorable_instances``).
EXPLORING_PERMISSIONS = {
    f"{action}_page" for action in ("add", "change", "publish", "lock", "unlock", "bulk_delete")
}
# The longest page search taken as typed (the public search form allows 200).
QUERY_LENGTH = 100
# Sorts after every character of a tree path (digits and capital letters).
PATH_END = "~"


class ExplorablePagePolicy(PagePermissionPolicy):
    def permitted_roots(self, user):
        """The tree paths of the pages ``user`` holds an exploring permission on, without those
        inside another: the roots of the subtrees they may explore."""
        paths = sorted(
            {
                permission.page.path
                for permission in self.get_cached_permissions_for_user(user)
                if permission.permission.codename in EXPLORING_PERMISSIONS
            }
        )
        roots = []
        for path in paths:
            if not roots or not path.startswith(roots[-1]):
                roots.append(path)
        return roots

    def explorable_condition(self, user):
        """``explorable_instances`` as a condition on the page table, by Wagtail's rule: the
        permitted subtrees, and the pages above any page the user holds a permission on, from
        the first common ancestor of those pages' parents down."""
        granted = {perm.page.path for perm in self.get_cached_permissions_for_user(user)}
        if not granted:
            return Q(pk__in=[])
        steplen = Page.steplen
        common = posixpath.commonprefix([path[:-steplen] for path in granted])
        common = common[: len(common) - len(common) % steplen]
        ancestors = {
            path[:end]
            for path in granted
            for end in range(max(len(common), steplen), len(path), steplen)
        }
        condition = Q(path__in=sorted(ancestors)) if ancestors else Q(pk__in=[])
        for root in self.permitted_roots(user):
            condition |= Q(path__gte=root, path__lt=root + PATH_END)
        return condition

    def explorable_instances(self, user):
        if not user.is_active:
            return Page.objects.none()
        if user.is_superuser:
            return Page.objects.all()
        return Page.objects.filter(self.explorable_condition(user))

    def within_permitted_subtree(self, user, page):
        """Whether ``page`` is a permitted page or below one: then it and everything below it
        is explorable."""
        return user.is_superuser or any(
            page.path.startswith(root) for root in self.permitted_roots(user)
        )


explorable_page_policy = ExplorablePagePolicy(Page)


class ColumnExplorerView(ExplorableIndexView):
    permission_policy = explorable_page_policy

    def get_base_queryset(self):
        if self.is_searching_whole_tree or not self.permission_policy.within_permitted_subtree(
            self.request.user, self.parent_page
        ):
            return super().get_base_queryset()
        manager = self.model._default_manager
        if self.is_searching or self.is_filtering:
            pages = manager.descendant_of(self.parent_page)
        else:
            pages = manager.child_of(self.parent_page)
        return self.annotate_queryset(pages)


class PageSearchView(SearchView):
    permission_policy = explorable_page_policy

    @cached_property
    def search_query(self):
        """What was typed, up to ``QUERY_LENGTH`` characters: a pasted document would otherwise
        become an AND of thousands of words over the whole index."""
        query = super().search_query
        if len(query) > QUERY_LENGTH:
            messages.warning(self.request, f"搜索词过长，只按前 {QUERY_LENGTH} 个字搜索。")
            query = query[:QUERY_LENGTH]
        return query

    def get_queryset(self):
        """Wagtail searches twice, for the page type chosen and for all types (the counts of
        the type filter); with no type chosen the two are one search, counted once."""
        pages = super().get_queryset()
        if self.selected_content_type is None:
            self.all_pages = pages
        return pages


class ExplorerViewSet(PageViewSet):
    """Wagtail's views for every page type, with the explorer and the page search above."""

    model = Page
    name = "govsite_pages"
    index_view_class = ColumnExplorerView
    search_view_class = PageSearchView
