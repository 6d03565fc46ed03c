"""Rendering public URLs without a visitor: an anonymous GET through the whole middleware
stack, so that the publishing middleware decides and stores exactly as for a real visitor.

Built like Wagtail's own preview requests (``PreviewableMixin.make_preview_request``): a
``BaseHandler`` runs the middleware chain directly, without the request_started/finished
signals that would close the database connection of the transaction we are called from.
"""

import logging
import sys
from functools import cache
from io import BytesIO

from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from wagtail.models import Site

logger = logging.getLogger("govsite.publishing")

# Set on the request: store the response even if a file is already there (publish_site).
REPLACE = "govsite_publish_replace"


@cache
def _handler():
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def _environ(path, query):
    """The WSGI environ of an anonymous visitor of the default site (its host and port, so
    that the page shows the site's own domain in ``<meta name="SiteDomain">``)."""
    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = (site.hostname, site.port) if site else ("localhost", 80)
    host = hostname if port in (80, 443) else f"{hostname}:{port}"
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "SERVER_NAME": hostname,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https" if port == 443 else "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def render(path, query="", replace=False):
    """GET ``path`` (``?query``) as an anonymous visitor; returns the response, whose
    ``published_file`` says where it was stored (None if it was not)."""
    request = WSGIRequest(_environ(path, query))
    setattr(request, REPLACE, replace)
    response = _handler().get_response(request)
    if not hasattr(response, "published_file"):
        response.published_file = None
    return response


def render_quietly(path, query=""):
    """``render``, for after a publication: a failure is logged, never raised into the
    publishing transaction's caller (the next visitor renders the page anyway)."""
    try:
        response = render(path, query)
    except Exception:
        logger.exception("静态发布：生成 %s 失败", path)
        return None
    if response.status_code != 200:
        logger.warning("静态发布：生成 %s 得到 HTTP %s", path, response.status_code)
    return response
