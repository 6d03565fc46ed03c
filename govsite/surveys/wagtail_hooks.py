"""在线交流 in the admin menu: 调查问卷 (R-SURVEY-1), a snippet whose permissions are the surveys'
own rules (registered before the viewset, which would otherwise make a model-permission one)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Survey
from .permissions import SurveyPermissionPolicy
from .viewsets import OnlineExchangeViewSetGroup

register_permission_policy(Survey, SurveyPermissionPolicy(Survey), exact_class=True)
hooks.register("register_admin_viewset", OnlineExchangeViewSetGroup)
