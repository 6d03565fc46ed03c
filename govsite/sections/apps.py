from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "govsite.sections"
    verbose_name = "科室与角色"
