"""The RSS 2.0 feeds (Django's syndication framework; rules in ``rules``)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Rss201rev2Feed
from wagtail.models import Site

from govsite.columns.models import SiteSettings

from . import rules


def site_root_url(request):
    """The site's own address (the Wagtail Site, set from GOVSITE_SITE_URL by bootstrap_site):
    absolute links in feeds name it whoever asked."""
    site = Site.find_for_request(request)
    return site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")


def public_path(site, url_path):
    """``/home/a/b/`` → ``/a/b/`` for the site whose root is ``/home/``."""
    root = site.root_page.url_path if site is not None else "/"
    return "/" + url_path[len(root) :] if url_path.startswith(root) else url_path


class SourcedRss(Rss201rev2Feed):
    """RSS 2.0 with each item's <source url="…">: the feed of the sub-column it came from."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("source_url"):
            handler.addQuickElement("source", item["source_title"], {"url": item["source_url"]})


class ColumnFeed(Feed):
    """最新信息 (the site), or a column's or a dynamic sub-column's newest items. One instance
    per request (``views.column_feed``): it keeps that request's site."""

    feed_type = SourcedRss
    language = "zh-cn"

    def get_object(self, request, path=""):
        site = Site.find_for_request(request)
        url_path = (site.root_page.url_path + path) if (site and path) else ""
        scope = rules.scope_for(url_path)
        if scope is None or (path and site is None):
            raise Http404("该栏目没有订阅源。")
        if scope.column is not None and scope.column.get_view_restrictions().exists():
            raise Http404("该栏目没有订阅源。")
        self.request = request
        self.site = site
        self.root_url = site_root_url(request)
        self.site_name = SiteSettings.for_request(request).site_name
        return scope

    def _url(self, url_path):
        return self.root_url + public_path(self.site, url_path)

    def title(self, scope):
        if scope.column is None:
            return f"{self.site_name} - 最新信息"
        return f"{self.site_name} - {scope.title}"

    def link(self, scope):
        return self._url(scope.column.url_path) if scope.column is not None else self.root_url + "/"

    def feed_url(self, scope):
        return self.link(scope) + rules.FEED_NAME

    def description(self, scope):
        if scope.column is None:
            return f"{self.site_name}各动态栏目发布的最新信息。"
        return f"{self.site_name}“{scope.title}”栏目发布的最新信息。"

    def items(self, scope):
        return rules.items(scope)

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return self._url(item.url_path)

    def item_description(self, item):
        return rules.summary(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.feed_source] if item.feed_source else []

    def item_extra_kwargs(self, item):
        column = item.feed_column
        if column is None:
            return {}
        source_url = self._url(column.url_path) + rules.FEED_NAME
        return {"source_url": source_url, "source_title": column.title}
