from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "govsite.guides"
    label = "guides"
    verbose_name = "工作人员指南"
