from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem


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
