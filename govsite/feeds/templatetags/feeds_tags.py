from django import template
from wagtail.models import Site

from .. import rules
from ..feeds import public_path, site_root_url

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context, page=None):
    """The feeds a page offers (<link rel="alternate">), at the site's real address: no query
    beyond the render cache's."""
    request = context.get("request")
    if request is None:
        return []
    site = Site.find_for_request(request)
    root_url = site_root_url(request)
    links = []
    for scope in rules.scopes_of(page):
        where = scope.column.url_path if scope.column is not None else "/"
        title = f"{scope.title}（RSS）"
        links.append({"title": title, "url": root_url + public_path(site, where) + rules.FEED_NAME})
    return links
