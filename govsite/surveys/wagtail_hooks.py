"""在线交流 in the admin menu: 调查问卷 (R-SURVEY-1), a snippet whose permissions are the surveys'
own rules (registered before the viewset, which would otherwise make a model-permission one)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from govsite.columns.home import HOME_CONTEXT_HOOK, structure_page

from .models import Survey, SurveyColumnPage
from .permissions import SurveyPermissionPolicy
from .viewsets import OnlineExchangeViewSetGroup

register_permission_policy(Survey, SurveyPermissionPolicy(Survey), exact_class=True)
hooks.register("register_admin_viewset", OnlineExchangeViewSetGroup)


@hooks.register(HOME_CONTEXT_HOOK)
def homepage_survey(request, home):
    """满意度调查 in the homepage's 在线交流 (R-SITE-1): the survey column."""
    return {"survey_column": structure_page(SurveyColumnPage, home)}
