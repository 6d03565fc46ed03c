from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "govsite.security"
    label = "security"
    verbose_name = "安全管理"

    def ready(self):
        from . import signal_handlers  # noqa: F401
