"""审计日志 in the admin menu and its URLs (R-SEC-4), for 审计管理员 and superusers only.

The model is registered nowhere else: no snippet, no model viewset, no Django admin — there is
no view that could add, change or delete an entry.
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import rules, views

urlpatterns = [
    path("", views.AuditEntryIndexView.as_view(), name="index"),
    path("results/", views.AuditEntryIndexView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/", views.AuditEntryDetailView.as_view(), name="detail"),
    path("export/<slug:export_type>/", views.AuditExportView.as_view(), name="export"),
]


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include((urlpatterns, "govsite_audit"), namespace="govsite_audit"))]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.may_read(request.user)


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditMenuItem(
        views.MENU_LABEL,
        reverse("govsite_audit:index"),
        name="audit-log",
        icon_name="list-ul",
        order=8900,
    )
