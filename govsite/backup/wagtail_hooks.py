"""设置 → 备份 in the admin, for 系统管理员: recent backups and 立即备份 (a background job)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import rules, views

urlpatterns = [path("", views.BackupView.as_view(), name="index")]


@hooks.register("register_admin_urls")
def register_backup_urls():
    return [path("backup/", include((urlpatterns, "govsite_backup"), namespace="govsite_backup"))]


class BackupMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.may_back_up(request.user)


@hooks.register("register_settings_menu_item")
def register_backup_menu_item():
    return BackupMenuItem(
        "备份", reverse("govsite_backup:index"), name="backup", icon_name="download", order=890
    )
