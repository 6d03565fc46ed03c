from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "govsite.security"
    label = "security"
    verbose_name = "安全管理"
