"""Wagtail's permission policies for the 信息报送 screens, answered by ``rules`` (never by model
permissions granted to groups): the item's own screens follow its lifecycle table, and the data
综合科 maintains (信息类别, 采用渠道, 批示级别) is 综合科's."""

from wagtail.permission_policies.base import BasePermissionPolicy

from . import rules
from .lifecycle import EDIT, ITEM


class ItemPermissionPolicy(BasePermissionPolicy):
    """Items: whoever takes part sees the list (``rules.items_for``); an officer adds items
    for their section; an item is changed only while its table allows 修改; none is deleted
    (what was written is kept with its record)."""

    def user_has_permission(self, user, action):
        if action == "view":
            return rules.takes_part(user)
        if action in ("add", "change"):
            return rules.writes_anything(user)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return rules.may_read(user, instance)
        if action == "change":
            return ITEM.allows(EDIT, user, instance)
        return False

    def instances_user_has_any_permission_for(self, user, actions):
        return rules.items_for(user)


class OfficeDataPolicy(BasePermissionPolicy):
    """信息类别, 采用渠道, 批示级别 and their points: the adopting section's to keep (综合科 by
    default, ``rules.is_adopting_staff``)."""

    def user_has_permission(self, user, action):
        return rules.is_adopting_staff(user) and action in {"view", "add", "change", "delete"}

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        model = self.model
        return (
            model.objects.all()
            if self.user_has_any_permission(user, actions)
            else model.objects.none()
        )
