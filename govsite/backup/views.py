"""设置 → 备份 in the admin, for 系统管理员 (``rules.may_back_up``): the recent archives in the
backup folder with their size and time, the backup under way with its progress, and 立即备份,
which starts one in the background (never two at once). Restoring is not offered here: it
replaces the whole site and is run on the server (``manage.py restore``)."""

from django.conf import settings

from govsite.jobs.views import JobStartView

from . import rules, tasks
from .operations import recent_backups


class BackupView(JobStartView):
    template_name = "backup/index.html"
    page_title = "备份"
    header_icon = "download"
    refusal = "只有系统管理员可以备份。"
    running_message = "正在备份（后台任务），完成后本页列出新的备份文件。"
    # A backup copies the whole database and every uploaded file: longer than a request may take.
    started_message = (
        "已开始备份（后台任务），完成后本页列出新的备份文件，任务结果中写明备份文件的位置。"
        "备份期间网站照常运行。"
    )

    def may(self, user):
        return rules.may_back_up(user)

    def running_job(self):
        return tasks.running_job()

    def start(self, user):
        return tasks.start_backup(user)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "backups": recent_backups(),
            "folder": settings.GOVSITE_BACKUP_ROOT,
        }
