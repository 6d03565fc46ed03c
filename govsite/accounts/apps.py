from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govsite.accounts"
    verbose_name = "账号"

    def ready(self):
        from . import signal_handlers  # noqa: F401 (connects the receivers)
