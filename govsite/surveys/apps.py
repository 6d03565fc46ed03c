from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "govsite.surveys"
    verbose_name = "满意度调查"
