"""``wagtail.users`` with the office's user and group screens (三员分立, govsite/accounts/rules.py).

Wagtail documents this as the way to customise its user and group views: an app config that
names other viewsets, in INSTALLED_APPS in place of ``wagtail.users``. The label stays
``wagtailusers``.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "govsite.accounts.viewsets.UserViewSet"
    group_viewset = "govsite.accounts.viewsets.GroupViewSet"
