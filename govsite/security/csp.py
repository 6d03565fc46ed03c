"""Content-Security-Policy by area of the site (R-SEC-5; 等保 2.0 三级 应用安全, OWASP ASVS 14.4).

Two policies, both Django's own (``django.middleware.csp``), both settings:

* ``SECURE_CSP``: the public site. Scripts, styles, images and forms from the site itself only,
  no inline script or style, no plugins, never framed. The public templates carry no inline
  script, style or event handler, so a stored XSS that slipped past escaping still cannot run.
  nginx sends the same policy with the published files (deploy/nginx/govsite.conf); a test
  holds the two equal.
* ``GOVSITE_ADMIN_CSP``: the Wagtail admin (everything under its URL prefix). Wagtail 8 still
  initialises some widgets with inline ``<script>`` elements (choosers, InlinePanel, the date
  pickers), so scripts there may be inline; everything else is as strict as on the public site
  except that the page preview may be framed by the admin itself.

A view may still choose its own policy with Django's ``csp_override`` decorator or a
``Content-Security-Policy`` header of its own (Wagtail's document view sends
``default-src 'none'``): neither is replaced here.
"""

from django.conf import settings
from django.middleware import csp

from govsite.adminpaths import is_admin_request


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's CSP middleware, with ``GOVSITE_ADMIN_CSP`` as the default policy of the admin."""

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the middleware once more, for a made-up
            # request to its public URL: the real request (the admin's preview view) decides.
            return response
        if not hasattr(response, "_csp_config") and is_admin_request(request):
            response._csp_config = settings.GOVSITE_ADMIN_CSP
        return super().process_response(request, response)
