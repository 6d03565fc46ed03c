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

A director (主管主任) holds no page permission, yet reads the sub-columns of the sections they
supervise (``permissions.read_only_column_paths``, 第十四条): those subtrees are explorable for
them the same way, the explorer and the page search open for them, and every button stays
with ``ColumnPermissionTester``, which lets them change nothing.
"""

import posixpath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.preview import ViewDraftView
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .permissions import read_only_column_paths

# The page permissions that make a page and its subtree explorable (``explorable_instances``).
EXPLORING_PERMISSIONS = {
    f"{action}_page" for action in ("add", "change", "publish", "lock", "unlock", "bulk_delete")
}
EXPLORING_ACTIONS = {codename.rsplit("_", 1)[0] for codename in EXPLORING_PERMISSIONS}
# The longest page search taken as typed (the public search form allows 200).
QUERY_LENGTH = 100
# Sorts after every character of a tree path (digits and capital letters).
PATH_END = "~"


class ExplorablePagePolicy(PagePermissionPolicy):
    def permitted_roots(self, user):
        """The tree paths of the pages ``user`` holds an exploring permission on, or reads as a
        director, without those inside another: the roots of the subtrees they may explore."""
        paths = sorted(
            {
                permission.page.path
                for permission in self.get_cached_permissions_for_user(user)
                if permission.permission.codename in EXPLORING_PERMISSIONS
            }
            | set(read_only_column_paths(user))
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
        granted |= set(read_only_column_paths(user))
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

    def reads_only(self, user):
        """A director who explores only what they read: no page permission of their own."""
        return bool(read_only_column_paths(user)) and not self.user_has_any_permission(
            user, EXPLORING_ACTIONS
        )

    def may_explore(self, user):
        """Whether the explorer opens for ``user`` at all: a page permission, or columns read."""
        return self.user_has_any_permission(user, EXPLORING_ACTIONS) or bool(
            read_only_column_paths(user)
        )

    def explorable_root_instance(self, user):
        """Wagtail's rule — the first common ancestor of the pages the user may explore from —
        over the pages of their permissions and the columns they read. Kept on the user object
        apart from Wagtail's own answer, which knows nothing of reading."""
        if hasattr(user, "_govsite_explorable_root"):
            return user._govsite_explorable_root
        if user.is_superuser and user.is_active:
            root = Page.get_first_root_node()
        else:
            paths = self.permitted_roots(user) if user.is_active else []
            root = None
            if paths:
                common = posixpath.commonprefix(paths)
                common = common[: len(common) - len(common) % Page.steplen]
                root = Page.objects.filter(path=common).first()
        user._govsite_explorable_root = root
        return root

    def reads(self, user, page):
        """A director reading ``page``: it lies in a column they read (第十四条), or above one
        on the way down to it."""
        paths = read_only_column_paths(user)
        return any(page.path.startswith(path) or path.startswith(page.path) for path in paths)

    def within_permitted_subtree(self, user, page):
        """Whether ``page`` is a permitted page or below one: then it and everything below it
        is explorable."""
        return user.is_superuser or any(
            page.path.startswith(root) for root in self.permitted_roots(user)
        )


explorable_page_policy = ExplorablePagePolicy(Page)


class ReadersMayExplore:
    """The explorer's and the page search's door: Wagtail's page permissions, or a director's
    reading (``ExplorablePagePolicy.may_explore``). What the rows offer is each page's
    ``ColumnPermissionTester``: for a director, 查看 and nothing that changes a page."""

    def user_has_any_permission(self, permissions):
        return self.permission_policy.may_explore(self.request.user)

    @cached_property
    def reads_only(self):
        return self.permission_policy.reads_only(self.request.user)

    def get_table(self, object_list):
        table = super().get_table(object_list)
        if self.reads_only:
            # Nothing a reader could select rows for: no bulk action is theirs.
            table.columns.pop("bulk_actions", None)
        return table

    def get_template_names(self):
        names = super().get_template_names()
        if self.reads_only and not self.results_only:
            return ["columns/read_only_listing.html"]
        return names

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        names = super().get_template_names()
        context["read_only_base_template"] = names[0] if isinstance(names, list) else names
        return context


class ColumnExplorerView(ReadersMayExplore, ExplorableIndexView):
    permission_policy = explorable_page_policy

    def get(self, request, parent_page_id=None):
        """A director opening another section's column by its address is taken back to the
        columns they read, rather than shown its title over an empty list."""
        policy, user = self.permission_policy, request.user
        if parent_page_id and policy.reads_only(user):
            parent = get_object_or_404(Page, id=parent_page_id)
            if not policy.reads(user, parent):
                root = policy.explorable_root_instance(user)
                return redirect(self.index_url_name, root.pk)
        return super().get(request, parent_page_id)


class ReaderViewDraftView(ViewDraftView):
    """查看草稿 (the latest version, unpublished) for whoever may edit it — Wagtail's rule —
    and for a director reading its column: reading what is about to be reviewed changes
    nothing."""

    def dispatch(self, request, page_id, *args, **kwargs):
        page = get_object_or_404(Page, id=page_id)
        if not page.permissions_for_user(request.user).can_edit() and not (
            explorable_page_policy.reads_only(request.user)
            and explorable_page_policy.reads(request.user, page)
        ):
            raise PermissionDenied
        page = page.get_latest_revision_as_object()
        return page.make_preview_request(request, page.default_preview_mode)

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


class PageSearchView(ReadersMayExplore, SearchView):
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
    view_draft_view_class = ReaderViewDraftView
