from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "govsite.assessment"
    label = "assessment"
    verbose_name = "监督考核"

    def ready(self):
        from . import signal_handlers  # noqa: F401  (connects the bootstrap's receiver)
