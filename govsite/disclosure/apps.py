from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "govsite.disclosure"
    label = "disclosure"
    verbose_name = "政务公开"

    def ready(self):
        from . import signal_handlers  # noqa: F401  (connects the bootstrap's receiver)
