"""The security policy's second-factor groups follow the office's structure (R-SEC-3)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from govsite.columns.signals import site_bootstrapped
from govsite.sections.models import Section

from . import rules
from .models import SecurityPolicy


@receiver(site_bootstrapped, dispatch_uid="govsite.security.default_policy")
def create_default_policy(sender, report, **kwargs):
    """``bootstrap_site`` creates the policy with the second factor required of every 科长,
    主管主任 and the three administrators. Once the policy exists it is left as 安全管理员
    keeps it: running the bootstrap again changes nothing."""
    if SecurityPolicy.objects.exists():
        return
    rules.apply_default_twofactor(SecurityPolicy.load())
    report.add("安全策略（科长、主管主任、系统管理员、安全管理员、审计管理员须使用双因素认证）")


@receiver(post_save, sender=Section, dispatch_uid="govsite.security.new_section_chiefs")
def require_second_factor_of_new_chiefs(sender, instance, created, raw=False, **kwargs):
    """A new section's 科长 use a second factor when the policy asks it of the other 科长."""
    if not created or raw:
        return
    policy = SecurityPolicy.objects.first()
    if policy is None:
        return  # the bootstrap creates the policy, with every 科长 in it
    others = policy.twofactor_groups.filter(chief_of_section__isnull=False)
    if others.exclude(pk=instance.chief_group_id).exists():
        policy.twofactor_groups.add(instance.chief_group)
