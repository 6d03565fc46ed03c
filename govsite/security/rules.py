"""Who must use a second factor and who manages security (R-SEC-3; 等保 2.0 三级: two
authentication factors for administrators; 三员分立: 安全管理员 manages the security policy,
lockouts and second-factor resets — not 系统管理员, not 审计管理员).
"""

from django.contrib.auth.models import Group

from govsite.sections import roles
from govsite.sections.models import Section

from .models import SecurityPolicy

CHANGE_POLICY = "security.change_securitypolicy"
UNLOCK_ACCOUNT = "security.unlock_account"
RESET_SECOND_FACTOR = "security.reset_second_factor"

# The office-wide roles that must use a second factor by default (besides every 科长).
DEFAULT_TWOFACTOR_ROLES = [
    roles.DIRECTORS,
    roles.SYSTEM_ADMINS,
    roles.SECURITY_ADMINS,
    roles.AUDIT_ADMINS,
]


def may_change_policy(user):
    return user.has_perm(CHANGE_POLICY)


def may_unlock(user):
    return user.has_perm(UNLOCK_ACCOUNT)


def may_reset_second_factor(user):
    return user.has_perm(RESET_SECOND_FACTOR)


def manages_security(user):
    """Whether the 安全管理 menu is for ``user`` at all."""
    return may_change_policy(user) or may_unlock(user) or may_reset_second_factor(user)


def requires_second_factor(user, policy=None):
    """R-SEC-3: members of the policy's groups (and superusers, unless the policy waives it)
    enter a one-time code after their password."""
    if not user.is_authenticated:
        return False
    policy = policy or SecurityPolicy.load()
    if user.is_superuser and policy.twofactor_superusers:
        return True
    return user.groups.filter(pk__in=policy.twofactor_groups.values("pk")).exists()


def default_twofactor_groups():
    """Every section's 科长, 主管主任 and the three administrators (第十四条 reviewers and 三员)."""
    names = [section.chief_group_name for section in Section.objects.all()]
    return Group.objects.filter(name__in=[*names, *DEFAULT_TWOFACTOR_ROLES])


def apply_default_twofactor(policy):
    """The second factor as R-SEC-3 asks for it: reviewers, administrators and superusers."""
    policy.twofactor_groups.set(default_twofactor_groups())
    policy.twofactor_superusers = True
    policy.save(update_fields=["twofactor_superusers"])


def waive_twofactor(policy):
    """No second factor for anyone: the local demo (``load_demo_data``) and the general test
    suite, which log reviewers in without an authenticator. Never in production."""
    policy.twofactor_groups.clear()
    policy.twofactor_superusers = False
    policy.save(update_fields=["twofactor_superusers"])


def chiefs_require_second_factor(policy):
    """Whether the policy asks the 科长 of the existing sections for a second factor."""
    return policy.twofactor_groups.filter(chief_of_section__isnull=False).exists()
