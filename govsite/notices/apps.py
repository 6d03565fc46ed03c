from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "govsite.notices"
    verbose_name = "通知"
