from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "govsite.changes"
    verbose_name = "撤销发布与删除申请"
