"""The admin menu's items that every app builds its menu from: one shown to whoever a rule
allows, one shown to the holders of a permission, one whose label carries a number waiting for
the user. Each app keeps its rules; the menu items only ask them."""

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem


class RuleMenuItem(MenuItem):
    """A menu item shown when ``rule(user)`` says so (the app's ``rules`` function)."""

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule

    def is_shown(self, request):
        return self.rule(request.user)


class PermissionMenuItem(MenuItem):
    """A menu item shown to the holders of ``permission`` ("app.codename")."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class CountedMenuItem(MenuItem):
    """A menu item whose label carries a number waiting for the user (通知（3）), counted afresh
    for every request; subclasses say what to count."""

    def count(self, request):
        raise NotImplementedError

    def render_component(self, request):
        count = self.count(request)
        return LinkMenuItem(
            self.name,
            f"{self.label}（{count}）" if count else self.label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )
