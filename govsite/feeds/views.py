"""The public views of 订阅与搜索引擎: the feeds, the list of feeds, robots.txt, /favicon.ico."""

from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from govsite.columns.models import SiteSettings

from . import rules
from .feeds import ColumnFeed, public_path, site_root_url


@require_safe
def column_feed(request, path=""):
    """A feed (RSS 2.0): a new ``ColumnFeed`` for each request, which keeps the request's site
    on itself. Published as a file beside the column's list."""
    return ColumnFeed()(request, path=path)


@require_safe
def feed_list(request):
    """信息订阅 (/rss/): every feed of the site, with how to use one. Published as a file."""
    site = Site.find_for_request(request)
    home = site.root_page if site else None
    root_url = site_root_url(request)
    feeds = []
    for scope in rules.feed_scopes():
        where = scope.column.url_path if scope.column is not None else "/"
        feeds.append(
            {
                "title": scope.title,
                "depth": scope.column.depth if scope.column is not None else 2,
                "url": root_url + public_path(site, where) + rules.FEED_NAME,
            }
        )
    context = {"page": home, "self": home, "feeds": feeds, "site_map": True}
    return TemplateResponse(request, "feeds/feed_list.html", context)


@require_safe
def robots_txt(request):
    """robots.txt: the non-public paths, and the sitemap at the site's real address."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in rules.robots_disallowed())]
    lines += ["", f"Sitemap: {site_root_url(request)}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico: the icon chosen in 网站设置 (else the emblem shipped with GovSite)."""
    response = HttpResponseRedirect(SiteSettings.for_request(request).favicon_url)
    response["Cache-Control"] = "max-age=86400"
    return response
