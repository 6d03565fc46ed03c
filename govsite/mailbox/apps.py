from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "govsite.mailbox"
    label = "mailbox"
    verbose_name = "沟通信箱"
