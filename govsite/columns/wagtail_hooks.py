from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from .explorer import ExplorerViewSet, explorable_page_policy


@hooks.register("after_edit_page")
def reviewers_without_explorer_go_home(request, page):
    """After approving or returning from the editor, Wagtail sends the reviewer to the parent
    column's explorer. A director holds no page permissions and may not explore: send them to
    the dashboard (their 待我审核 queue) instead of a "no permission" page."""
    if not request.POST.get("action-workflow-action"):
        return None
    if PagePermissionPolicy().explorable_root_instance(request.user) is not None:
        return None
    return redirect("wagtailadmin_home")


@hooks.register("insert_editor_js")
def body_import_js():
    """R-FMT-1: choosing a .txt or Word file for the body saves the draft at once (see the
    script)."""
    return format_html('<script src="{}" defer></script>', static("columns/body_import.js"))


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def import_notes(request, page):
    """After a Word import, say what was imported and what became of each picture that did not
    go in as it was (``forms.ContentPageForm.save``)."""
    for level, text in getattr(page, "import_notes", ()):
        getattr(messages, level)(request, text)
    return None


@hooks.register("register_admin_viewset")
def register_explorer():
    """Registered after Wagtail's own viewset for all pages (``order=-1``): replaces it."""
    return ExplorerViewSet()


class ReadingExplorerMenuItem(MenuItem):
    """页面 for a director (第十四条): the columns of the sections they supervise, to read.
    Wagtail's own 页面 item shows to whoever holds a page permission, which a director does
    not; the two never show together."""

    def is_shown(self, request):
        return explorable_page_policy.reads_only(request.user)


@hooks.register("register_admin_menu_item")
def register_reading_explorer_menu_item():
    return ReadingExplorerMenuItem(
        "页面",
        reverse("wagtailadmin_explore_root"),
        name="explorer",
        icon_name="folder-open-inverse",
        order=100,
    )


@hooks.register("construct_homepage_summary_items")
def no_page_total_on_the_dashboard(request, items):
    """Wagtail's dashboard counts every page under the user's part of the tree on each visit —
    a count that grows with the site (tens of milliseconds at 100,000 pages) and that tells a
    member of staff nothing they act on."""
    items[:] = [item for item in items if not isinstance(item, PagesSummaryItem)]
