"""Wagtail's permission policy for surveys: the admin asks it, it answers with ``rules``
(R-SURVEY-1, 第十一、十四条). No model permission is granted to anyone for surveys: who may build,
read or publish them follows the ownership of the 服务满意度调查 sub-column."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from . import rules


class SurveyPermissionPolicy(BasePermissionPolicy):
    """``rules.may`` for every action; all surveys belong to one column, so whoever may act on
    surveys may act on each of them (a review in progress is the workflow task's to decide)."""

    def user_has_permission(self, user, action):
        return rules.may(user, action)

    def user_has_any_permission(self, user, actions):
        return any(rules.may(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        section = rules.survey_section()
        allowed = Q(is_superuser=True)
        if section is not None:
            staff = Q(groups__in=[section.officer_group_id, section.chief_group_id])
            if {"add", "change", "view"} & set(actions):
                allowed |= staff
            if "view" in actions:
                allowed |= Q(supervised_sections=section)
        return users.filter(allowed).distinct()
