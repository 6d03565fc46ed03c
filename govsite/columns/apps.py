from django.apps import AppConfig


class ColumnsConfig(AppConfig):
    name = "govsite.columns"
    verbose_name = "栏目与页面"

    def ready(self):
        from . import signal_handlers  # noqa: F401
