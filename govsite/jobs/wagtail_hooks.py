"""后台任务 in the admin: its URLs, the menu item, and the dashboard's warning to 系统管理员 when no
worker runs the queue ("后台任务未运行") or a job has failed."""

from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import rules, views
from .models import RECENT, Job, WorkerHeartbeat

urlpatterns = [
    path("", views.JobListView.as_view(), name="index"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/download/", views.download, name="download"),
]


@hooks.register("register_admin_urls")
def register_jobs_urls():
    return [path("jobs/", include((urlpatterns, "govsite_jobs"), namespace="govsite_jobs"))]


class JobsMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.oversees_jobs(request.user)


@hooks.register("register_settings_menu_item")
def register_jobs_menu_item():
    return JobsMenuItem(
        "后台任务", reverse("govsite_jobs:index"), name="jobs", icon_name="cogs", order=900
    )


class JobsHealthPanel(Component):
    name = "jobs_health"
    template_name = "jobs/health_panel.html"
    order = 40

    def __init__(self, worker_running, failed, failed_tasks):
        self.worker_running = worker_running
        self.failed = failed
        self.failed_tasks = failed_tasks

    def get_context_data(self, parent_context):
        return {
            "worker_running": self.worker_running,
            "failed": self.failed,
            "failed_tasks": self.failed_tasks,
        }


@hooks.register("construct_homepage_panels")
def add_jobs_health_panel(request, panels):
    if not rules.oversees_jobs(request.user):
        return
    worker_running = WorkerHeartbeat.objects.alive().exists()
    failed = list(Job.objects.failed().filter(created_at__gte=timezone.now() - RECENT)[:5])
    tasks = views.failed_tasks(5)
    if not worker_running or failed or tasks:
        panels.append(JobsHealthPanel(worker_running, failed, tasks))
