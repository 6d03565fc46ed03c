from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """静态发布 (issue 7, SPEC §11/§12): public pages stored as files that nginx serves."""

    name = "govsite.publishing"
    label = "publishing"
    verbose_name = "静态发布"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
