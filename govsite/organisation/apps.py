from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "govsite.organisation"
    label = "organisation"
    verbose_name = "机构概况"
