"""设置 → 备份 in the admin, for 系统管理员 (``rules.may_back_up``): the recent archives in the
backup folder with their size and time, the backup under way with its progress, and 立即备份,
which starts one in the background (never two at once). Restoring is not offered here: it
replaces the whole site and is run on the server (``manage.py restore``)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from govsite.jobs.views import refuse

from . import rules, tasks
from .operations import recent_backups


class BackupView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "backup/index.html"
    page_title = "备份"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_back_up(request.user):
            return refuse(request, "只有系统管理员可以备份。", title=self.page_title)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """A backup copies the whole database and every uploaded file: longer than a request
        may take."""
        if tasks.running_job() is not None:
            messages.info(request, "正在备份（后台任务），完成后本页列出新的备份文件。")
        else:
            tasks.start_backup(request.user)
            messages.success(
                request,
                "已开始备份（后台任务），完成后本页列出新的备份文件，任务结果中写明备份文件的位置。"
                "备份期间网站照常运行。",
            )
        return redirect("govsite_backup:index")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "job": tasks.running_job(),
            "backups": recent_backups(),
            "folder": settings.GOVSITE_BACKUP_ROOT,
        }
