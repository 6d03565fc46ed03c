from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "govsite.topics"
    verbose_name = "热点专题专栏"
