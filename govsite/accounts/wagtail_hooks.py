"""Where accounts meet the admin:

* 修改密码 (``accounts_password_change``, also the forced-change page of R-SEC-2) and 登录会话
  (``accounts_sessions``, R-SEC-1), linked from the 账号设置 page;
* a dashboard panel 账号安全: the password expires soon, the account is in use elsewhere;
* the user list's bulk actions (分配角色, 启用/停用, 删除) with the 三员分立 checks of rules.py,
  registered after Wagtail's own so that they replace them.
"""

from django.contrib.auth.models import Group
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)

from govsite.security.models import SecurityPolicy

from . import middleware, rules, sessions, views


@hooks.register("register_admin_urls")
def register_account_urls():
    return [
        path(
            "accounts/password/",
            views.PasswordChangeView.as_view(),
            name=middleware.PASSWORD_CHANGE_URL_NAME,
        ),
        path("accounts/sessions/", views.SessionsView.as_view(), name="accounts_sessions"),
    ]


@hooks.register("register_account_menu_item")
def password_menu_item(request):
    return {
        "url": reverse(middleware.PASSWORD_CHANGE_URL_NAME),
        "label": views.PASSWORD_TITLE,
        "help_text": "修改登录密码；密码规则见修改页面。",
    }


@hooks.register("register_account_menu_item")
def sessions_menu_item(request):
    return {
        "url": reverse("accounts_sessions"),
        "label": views.SESSIONS_TITLE,
        "help_text": "查看您的账号在哪些地点登录，结束不认识的登录。",
    }


class AccountSecurityPanel(Component):
    name = "account_security"
    template_name = "accounts/account_panel.html"
    order = 50

    def __init__(self, expiry_warning, other_places):
        self.expiry_warning = expiry_warning
        self.other_places = other_places

    def get_context_data(self, parent_context):
        return {"expiry_warning": self.expiry_warning, "other_places": self.other_places}


@hooks.register("construct_homepage_panels")
def add_account_security_panel(request, panels):
    policy = SecurityPolicy.load(request)
    days = request.user.password_days_left(policy)
    warning = ""
    if days is not None and days <= policy.password_warning_days:
        warning = middleware.expiry_warning(days)
    places = [sessions.describe(row) for row in sessions.other_places(request, policy)]
    if warning or places:
        panels.append(AccountSecurityPanel(warning, places))


# Bulk actions on the user list (三员分立) ---------------------------------------------------------


class GuardedUserBulkAction:
    """Accounts the editor may not change (their own, an administrator's) are listed as
    without access and left alone."""

    def check_perm(self, obj):
        return super().check_perm(obj) and rules.may_change_roles(self.request.user, obj)


class GovAssignRoleBulkAction(GuardedUserBulkAction, AssignRoleBulkAction):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        allowed = [
            g.pk for g in Group.objects.all() if rules.may_assign_group(self.request.user, g)
        ]
        form.fields["role"].queryset = Group.objects.filter(pk__in=allowed)
        form.fields["role"].error_messages["invalid_choice"] = rules.MESSAGES[
            "administrator_groups"
        ]
        return form


class GovSetActiveStateBulkAction(GuardedUserBulkAction, SetActiveStateBulkAction):
    pass


class GovDeleteBulkAction(GuardedUserBulkAction, DeleteBulkAction):
    pass


for action_class in (GovAssignRoleBulkAction, GovSetActiveStateBulkAction, GovDeleteBulkAction):
    hooks.register("register_bulk_action", action_class, order=1)
