from wagtail import hooks

from .rules import SERVED_PAGE


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """Tell the publishing middleware which page answers the request (Wagtail's ``serve``
    calls this hook for public requests only, never for previews)."""
    setattr(request, SERVED_PAGE, page)
