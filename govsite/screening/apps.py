from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "govsite.screening"
    verbose_name = "内容审查"
