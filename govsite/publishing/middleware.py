"""Stores anonymous visitors' public pages as files for nginx (静态发布, docs/publishing.md)."""

import time

from govsite.adminpaths import is_admin_request

from . import rules, store
from .compaction import compact_html
from .render import REPLACE


class StaticPublishingMiddleware:
    """Renders on first request: the first anonymous GET of a published page writes the
    response's bytes where nginx looks for them; later visitors never reach the application.

    Sits outside the session, CSRF and authentication middleware so that it sees the cookies
    and ``Vary`` they add; what may be stored is decided by ``rules.stored_file``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.time_ns()
        response = self.get_response(request)
        target = rules.stored_file(request, response)
        if target is not None:
            replace = getattr(request, REPLACE, False)
            if store.write(target, response.content, started, replace=replace):
                response.published_file = target
        return response


class HtmlCompactionMiddleware:
    """Public HTML leaves without its template indentation (``compaction``): listed inside
    ``StaticPublishingMiddleware``, so that the file nginx serves is the compacted one too.
    The admin is Wagtail's and is sent as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type == "text/html" and not response.streaming and not is_admin_request(request):
            response.content = compact_html(response.content)
            if response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
        return response
