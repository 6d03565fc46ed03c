from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from .toolbar import toolbar


@require_safe
def help_page(request):
    """无障碍说明 (R-A11Y-1): the public page that explains the modes and their shortcuts; linked
    from the toolbar and the footer. The same for every visitor, like every public page."""
    home = Site.find_for_request(request).root_page.specific
    return TemplateResponse(
        request,
        "accessibility/help.html",
        {"page": home, "self": home, "site_map": True, "toolbar": toolbar()},
    )
