from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "govsite.demo"
    verbose_name = "演示数据"
