from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "govsite.jobs"
    verbose_name = "后台任务"
