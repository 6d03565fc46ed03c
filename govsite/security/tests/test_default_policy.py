"""The security policy the bootstrap creates, and the second-factor groups following new sections
(R-SEC-3, R-TREE-1)."""

import pytest
from django.contrib.auth.models import Group

from govsite.columns.bootstrap import bootstrap_site
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.security import rules
from govsite.security.models import SecurityPolicy

from .helpers import bootstrap_as_deployed

pytestmark = pytest.mark.django_db


def chief_groups():
    return {section.chief_group.name for section in Section.objects.all()}


def test_the_bootstrap_creates_the_policy_with_the_second_factor_for_reviewers_and_admins(
    site_tree,
):
    SecurityPolicy.objects.all().delete()
    with bootstrap_as_deployed():
        report = bootstrap_site()
    policy = SecurityPolicy.objects.get()
    assert set(policy.twofactor_groups.values_list("name", flat=True)) == chief_groups() | {
        roles.DIRECTORS,
        roles.SYSTEM_ADMINS,
        roles.SECURITY_ADMINS,
        roles.AUDIT_ADMINS,
    }
    assert policy.twofactor_superusers
    assert any("安全策略" in line for line in report.created)
    assert (policy.lockout_failures, policy.lockout_window_minutes, policy.lockout_minutes) == (
        5,
        15,
        30,
    )


def test_running_the_bootstrap_again_keeps_the_offices_choice(site_tree):
    policy = SecurityPolicy.load()
    rules.apply_default_twofactor(policy)
    policy.twofactor_groups.remove(Group.objects.get(name=roles.AUDIT_ADMINS))
    with bootstrap_as_deployed():
        report = bootstrap_site()
    assert not policy.twofactor_groups.filter(name=roles.AUDIT_ADMINS).exists()
    assert not any("安全策略" in line for line in report.created)


def test_a_new_sections_chiefs_use_the_second_factor_like_the_others(twofactor_policy):
    section = Section.objects.create(name="法制科", code="fazhi")
    assert twofactor_policy.twofactor_groups.filter(pk=section.chief_group_id).exists()
    assert not twofactor_policy.twofactor_groups.filter(pk=section.officer_group_id).exists()


def test_without_chiefs_in_the_policy_a_new_section_adds_none(site_tree):
    policy = SecurityPolicy.load()  # waived for the general suite
    section = Section.objects.create(name="法制科", code="fazhi")
    assert not policy.twofactor_groups.filter(pk=section.chief_group_id).exists()


def test_renaming_a_section_keeps_its_chiefs_in_the_policy(twofactor_policy):
    section = Section.objects.get(code="mishu")
    section.name = "秘书一科"
    section.save()
    assert twofactor_policy.twofactor_groups.filter(name="秘书一科-科长").exists()
