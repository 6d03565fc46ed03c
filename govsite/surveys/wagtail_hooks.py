"""在线交流 in the admin menu: 调查问卷 (R-SURVEY-1)."""

from wagtail import hooks

from .viewsets import OnlineExchangeViewSetGroup

hooks.register("register_admin_viewset", OnlineExchangeViewSetGroup)
