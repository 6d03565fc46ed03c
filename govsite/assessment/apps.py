from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "govsite.assessment"
    label = "assessment"
    verbose_name = "监督考核"
