"""三员分立 (等保 2.0 三级; issue 6 item 4): who may change which account, group and permission.

``系统管理员`` manages accounts, groups and settings; ``安全管理员`` and ``审计管理员`` have
their own screens (govsite.security, govsite.audit). No role can grant itself another:

* nobody changes their own groups, superuser status or active status (whatever their role);
* only a superuser puts someone into or out of 系统管理员 / 安全管理员 / 审计管理员, makes a
  superuser, or changes the account of a superuser or a member of those three groups (else a
  系统管理员 could reset the 审计管理员's password and sign in as them);
* only a superuser changes those three groups, or a group the editor belongs to;
* only a superuser grants the permissions that make those roles (managing accounts and
  groups, the security policy, the audit log, lockouts and second factors).

The Django superuser is for break-glass only (README); the audit log records its every action.
The same functions guard the user and group forms, their views and the bulk actions.
"""

from django.contrib.auth.models import Group

from govsite.sections import roles

ADMINISTRATOR_GROUPS = (roles.SYSTEM_ADMINS, roles.SECURITY_ADMINS, roles.AUDIT_ADMINS)

# Permissions of these apps make an administrator: accounts and groups (accounts, auth,
# wagtailusers), the security policy, lockouts and second factors (security, axes, django-otp)
# and the audit log (audit). Only a superuser grants them.
RESERVED_PERMISSION_APPS = (
    "accounts",
    "auth",
    "wagtailusers",
    "security",
    "axes",
    "otp_totp",
    "otp_static",
    "audit",
)

MESSAGES = {
    "own_groups": "不能修改自己的用户组，请由其他管理员办理。",
    "own_status": "不能修改自己的超级用户或启用状态。",
    "administrator_groups": (
        "只有超级用户可以把用户加入或移出“系统管理员”“安全管理员”“审计管理员”用户组。"
    ),
    "superuser": "只有超级用户可以授予或取消超级用户权限。",
    "administrator_account": (
        "超级用户和“系统管理员”“安全管理员”“审计管理员”的账号只能由超级用户修改。"
    ),
    "administrator_group": ("“系统管理员”“安全管理员”“审计管理员”用户组只能由超级用户修改。"),
    "own_group": "不能修改自己所在用户组的权限，请由其他管理员办理。",
    "group_name": "这个用户组的名称由系统使用，不能修改。",
    "reserved_permission": "管理账号、用户组、安全策略和审计日志的权限只能由超级用户授予。",
}


def administrator_groups():
    return Group.objects.filter(name__in=ADMINISTRATOR_GROUPS)


def is_administrator_group(group):
    return group.name in ADMINISTRATOR_GROUPS


def is_administrator_account(user):
    """A superuser or a member of one of the three administrator groups."""
    if user.pk is None:
        return False
    return user.is_superuser or user.groups.filter(name__in=ADMINISTRATOR_GROUPS).exists()


def may_manage_account(actor, user):
    """Whether ``actor`` may edit ``user`` at all (their own account included: the fields that
    would grant them anything are locked, see ``may_change_roles``)."""
    if actor.is_superuser or actor.pk == user.pk:
        return True
    return not is_administrator_account(user)


def may_change_roles(actor, user):
    """Groups, superuser and active status: never one's own."""
    return actor.pk != user.pk and may_manage_account(actor, user)


def may_assign_group(actor, group):
    return actor.is_superuser or not is_administrator_group(group)


def may_grant_superuser(actor):
    return actor.is_superuser


def may_edit_group(actor, group):
    """A group's name and permissions: not one's own group, not the three administrators'."""
    if group.pk is None:
        return True
    if actor.is_superuser:
        return True
    if is_administrator_group(group):
        return False
    return not actor.groups.filter(pk=group.pk).exists()


def may_grant_permission(actor, permission):
    return actor.is_superuser or permission.content_type.app_label not in RESERVED_PERMISSION_APPS
