from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "govsite.dashboard"
    label = "dashboard"
    verbose_name = "首页"
