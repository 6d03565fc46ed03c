"""Where security meets the admin (R-SEC-3; 三员分立):

* the menu 安全管理 — 安全策略, 登录锁定, 双因素认证 — shown to whoever holds the matching
  permission (安全管理员; superusers), each view checking it again;
* the officer's own second-factor pages (URL names ``security_otp_*``) and an entry for them
  under 账号设置;
* ``policy_changed`` in the audit log whenever the security policy is saved, with each change.
"""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from govsite.menus import RuleMenuItem

from . import devices, rules, views
from .models import SecurityPolicy
from .signals import security_event


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/otp/enroll/", views.EnrollView.as_view(), name="security_otp_enroll"),
        path("security/otp/verify/", views.VerifyView.as_view(), name="security_otp_verify"),
        path("security/otp/", views.SettingsView.as_view(), name="security_otp_settings"),
        path("security/lockouts/", views.LockoutsView.as_view(), name="security_lockouts"),
        path(
            "security/twofactor/",
            views.TwoFactorAccountsView.as_view(),
            name="security_twofactor_accounts",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_security_menu():
    items = [
        RuleMenuItem(
            "安全策略",
            reverse("wagtailsettings:edit", args=["security", "securitypolicy"]),
            name="security-policy",
            icon_name="cog",
            order=100,
            rule=rules.may_change_policy,
        ),
        RuleMenuItem(
            "登录锁定",
            reverse("security_lockouts"),
            name="security-lockouts",
            icon_name="lock",
            order=200,
            rule=rules.may_unlock,
        ),
        RuleMenuItem(
            "双因素认证",
            reverse("security_twofactor_accounts"),
            name="security-twofactor",
            icon_name="key",
            order=300,
            rule=rules.may_reset_second_factor,
        ),
    ]
    return SubmenuMenuItem(
        "安全管理", Menu(items=items), name="security", icon_name="lock", order=900
    )


@hooks.register("register_permissions")
def security_permissions():
    """So that the group editor shows them (to whoever may edit groups)."""
    return Permission.objects.filter(
        content_type__app_label="security", codename__in=["unlock_account", "reset_second_factor"]
    )


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    user = request.user
    if not (devices.confirmed_totp(user) or rules.requires_second_factor(user)):
        return None
    return {
        "url": reverse("security_otp_settings"),
        "label": "双因素认证",
        "help_text": "身份验证器和恢复码：生成新的恢复码，更换手机。",
    }


# policy_changed ----------------------------------------------------------------------------------

POLICY_REQUEST_KEY = "_govsite_security_policy_before"


def policy_snapshot(policy):
    """Each field of the policy as staff read it (labels and group names)."""
    meta = SecurityPolicy._meta
    values = {
        str(model_field.verbose_name): getattr(policy, model_field.attname)
        for model_field in meta.concrete_fields
        if not model_field.primary_key
    }
    for model_field in meta.many_to_many:
        related = getattr(policy, model_field.name).order_by("name")
        values[str(model_field.verbose_name)] = list(related.values_list("name", flat=True))
    return values


@hooks.register("before_edit_setting")
def remember_policy(request, instance):
    if isinstance(instance, SecurityPolicy):
        setattr(request, POLICY_REQUEST_KEY, policy_snapshot(instance))


@hooks.register("after_edit_setting")
def report_policy_change(request, instance):
    before = getattr(request, POLICY_REQUEST_KEY, None)
    if not isinstance(instance, SecurityPolicy) or before is None:
        return
    after = policy_snapshot(instance)
    changes = {
        label: {"before": before[label], "after": value}
        for label, value in after.items()
        if before.get(label) != value
    }
    if changes:
        security_event.send(
            sender=SecurityPolicy,
            action="policy_changed",
            actor=request.user,
            target=None,
            request=request,
            detail={"changes": changes},
        )
