"""办事服务 on the homepage (R-SITE-1): the latest 办事指南 entries."""

from wagtail import hooks

from govsite.columns.home import HOME_CONTEXT_HOOK

from .models import latest_guides


@hooks.register(HOME_CONTEXT_HOOK)
def homepage_guides(request, home):
    column, guides = latest_guides(home)
    return {"guides_column": column, "guides": guides}
