from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "govsite.workflow"
    verbose_name = "审核流程"

    def ready(self):
        from . import signal_handlers

        signal_handlers.disconnect_wagtail_emails()
