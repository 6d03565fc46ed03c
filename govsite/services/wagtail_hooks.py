"""办事服务 on the homepage (R-SITE-1): the latest 办事指南 entries."""

from wagtail import hooks

from govsite.columns.home import HOME_CONTEXT_HOOK, structure_page

from .models import GuideColumnPage, latest_guides


@hooks.register(HOME_CONTEXT_HOOK)
def homepage_guides(request, home):
    """The latest guides and, as the entry to all of them, the first 办事指南栏目."""
    return {"guides_column": structure_page(GuideColumnPage, home), "guides": latest_guides(home)}
