"""静态发布 (issue 7 item 2, SPEC §11/§12): which responses are stored as files for nginx, what
a change makes stale, and who may regenerate the whole site from the admin. The rules live here
and nowhere else; the middleware, the signal handlers, ``whole_site`` and the admin call them.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.utils.cache import has_vary_header
from wagtail.models import Site

from govsite.columns.models import StructurePage
from govsite.sections.rules import is_site_manager

from . import store

# Set on the request by the ``before_serve_page`` hook: the Wagtail page being served.
SERVED_PAGE = "govsite_served_page"
# Views that are not Wagtail pages yet are the same for every visitor (URL names).
PUBLISHED_VIEWS = {"sitemap_xml", "site_map", "rss_feed", "rss_list"}
# The only query nginx maps to a file: ?page=N, N ≥ 2 (``/a/?page=N`` → ``a/page-N.html``).
PAGE_QUERY = re.compile(r"^page=([2-9]|[1-9][0-9]+)$")
STORED_TYPES = {"text/html", "application/xml", "application/rss+xml"}
NOT_SHARED = ("private", "no-store", "no-cache")
# Shown on every page whatever changed: the homepage (with /rss.xml, the site's 最新信息 feed,
# stored beside it), the site map and sitemap.xml.
EVERY_CHANGE = ("/", "/sitemap/", "/sitemap.xml")


def may_publish_site(user):
    """综合科-网站管理 (第十一条: the site's structure and its running) regenerate every page."""
    return is_site_manager(user)


def is_published_type(page_or_class):
    """Whether pages of this type are published as files: the type says so itself with
    ``static_publish = True``.

    The attribute is not inherited: a specialised sub-column (沟通信箱, 满意度调查) extends the
    sub-column with forms and per-visitor content, so every type opts in on its own."""
    cls = page_or_class if isinstance(page_or_class, type) else page_or_class.specific_class
    return cls is not None and cls.__dict__.get("static_publish", False) is True


def public_path(url_path):
    """The path a visitor asks for, from a page's ``url_path`` (``/home/a/b/`` → ``/a/b/``);
    None for a page outside every site."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return url_path[len(root.root_path) - 1 :]
    return None


def _same_for_every_visitor(request, response):
    """The response carries nothing of this visitor: no cookie set, not varying by cookie, no
    CSRF token (a form), not marked private or uncacheable."""
    if response.status_code != 200 or response.streaming:
        return False
    if response.get("Content-Type", "").split(";")[0].strip() not in STORED_TYPES:
        return False
    if response.cookies or has_vary_header(response, "Cookie"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in NOT_SHARED):
        return False
    uses_csrf = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    return not uses_csrf and b"csrfmiddlewaretoken" not in response.content


def list_page(response):
    """The page of a paged list the response shows (``django.core.paginator.Page``), or None."""
    for value in (getattr(response, "context_data", None) or {}).values():
        if isinstance(value, PaginatorPage):
            return value
    return None


def stored_file(request, response):
    """Where ``response`` is stored for nginx, or None when it must not be.

    Stored: an anonymous visitor's (no session cookie, exactly what nginx requires to serve the
    file) GET, with no query or only ``page=N`` (N ≥ 2, and the list really has page N — an
    out-of-range number shows the last page and is not stored, so no visitor can fill the
    disk), answered 200 with HTML/XML that is the same for every visitor, for a live page of a
    published type without view restrictions at its own URL, or for the site map / sitemap.xml.
    Never: previews, drafts, the admin, logged-in users, errors and redirects, private pages,
    forms."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    query = request.META.get("QUERY_STRING", "")
    page_number = None
    if query:
        match = PAGE_QUERY.match(query)
        if match is None:
            return None
        page_number = int(match[1])
    if not _same_for_every_visitor(request, response):
        return None
    path = request.path_info
    resolved = getattr(request, "resolver_match", None)
    if resolved is not None and resolved.url_name in PUBLISHED_VIEWS:
        if page_number is not None:
            return None
    else:
        page = getattr(request, SERVED_PAGE, None)
        if page is None or not is_published_type(page) or not page.live:
            return None
        if public_path(page.url_path) != path or page.get_view_restrictions().exists():
            return None
        if page_number is not None:
            shown = list_page(response)
            if shown is None or shown.number != page_number:
                return None
    return store.file_for(path, page_number)


def shown_elsewhere(page):
    """The pages outside ``page``'s own column that show it (a list of every document of the
    site, a page linking it by its title): a page type names them with ``shown_on()``."""
    specific = page if page.specific_class is type(page) else page.specific_deferred
    shown_on = getattr(specific, "shown_on", None)
    return list(shown_on()) if shown_on is not None else []


def linked_beside(page, column):
    """The pages of ``column`` that link ``page`` beside their own content (上一篇/下一篇,
    相关信息 of an article): a page type names them with ``linked_from(column)``."""
    specific = page if page.specific_class is type(page) else page.specific_deferred
    linked_from = getattr(specific, "linked_from", None)
    return list(linked_from(column)) if linked_from is not None else []


@dataclass
class Stale:
    """What to remove from the published tree, and which pages to render again at once."""

    everything: bool = False
    urls: set = field(default_factory=set)
    render: set = field(default_factory=set)  # page ids

    def merge(self, other):
        self.everything = self.everything or other.everything
        self.urls |= other.urls
        self.render |= other.render


PAGE_CHANGES = {"published", "unpublished", "moved", "deleted"}
SITE_CHANGES = {
    "slug_changed",
    "settings",
    "section",
    "site",
    "restriction",
    "media",
    "shown_data",
}


def stale_after(change, page=None, *, url_path_before=None, parent_before=None):
    """The purge rule of 静态发布: everything that shows a changed page is refreshed when it
    is published, unpublished, moved or deleted (issue 7 item 2; SPEC §11, and §12's
    publish-to-visible ≤ 1 s, which is why nothing waits for an expiry time).

    - A content page (文章, 简介) ``published`` / ``unpublished`` / ``moved`` / ``deleted``:
      its own URL (and the URL it had before a move), the list of every column above it with
      all its pages (index.html and every page-N.html), those of its former parent after a
      move, the homepage, the site map and sitemap.xml, and the pages beyond them that its
      type says show it (``shown_elsewhere``: the 政务公开目录 lists every document of the
      site, a policy lists its 解读), and the items of its column (of both columns after a
      move) whose 上一篇/下一篇 or 相关信息 link it (``linked_beside``: an article names them).
      Scheduled publication and expiry send the same signals.
    - A structure page (首页, 栏目, 子栏目 and their specialised kinds): everything. Its title
      is in the navigation, the sidebars, the breadcrumbs and the site map of many pages.
    - ``slug_changed``: everything — the page and every page beneath it moved to new URLs.
    - ``settings`` (网站设置: the footer of every page), ``section`` (来源 on every article),
      ``site`` (host and root), ``restriction`` (a page made private must disappear at once),
      ``media`` (a changed or deleted image or document shown in pages), ``shown_data`` (a
      record the pages of another app show by name, such as a renamed 主题分类 or 体裁; that
      app connects its models with ``signal_handlers.on_site_wide_change``): everything.

    A published page is rendered again at once, and after any change the homepage too, so
    that the first visitor after publication already gets a file.
    """
    if change in SITE_CHANGES:
        return Stale(everything=True)
    if change not in PAGE_CHANGES:
        raise ValueError(f"unknown change {change!r}")
    stale = Stale(urls=set(EVERY_CHANGE))
    if change in ("published", "moved") and is_published_type(page):
        stale.render.add(page.pk)
    if issubclass(page.specific_class or type(page), StructurePage):
        stale.everything = True
        return stale
    places = [page.url_path, url_path_before]
    places += [a.url_path for a in page.get_ancestors()]
    places += [shown.url_path for shown in shown_elsewhere(page)]
    places += [linked.url_path for linked in linked_beside(page, page.get_parent())]
    if parent_before is not None:
        places += [a.url_path for a in parent_before.get_ancestors(inclusive=True)]
        places += [linked.url_path for linked in linked_beside(page, parent_before)]
    stale.urls |= {p for p in map(public_path, filter(None, places)) if p is not None}
    return stale
