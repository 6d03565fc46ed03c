from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "govsite.reporting"
    label = "reporting"
    verbose_name = "信息报送"

    def ready(self):
        from . import signal_handlers  # noqa: F401
