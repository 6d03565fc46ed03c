from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "govsite.screening"
    verbose_name = "内容审查"

    def ready(self):
        from . import signal_handlers  # noqa: F401
