from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govsite.accounts"
    verbose_name = "账号"
