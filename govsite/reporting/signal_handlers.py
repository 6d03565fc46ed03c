"""The adopted copy of an item published (R-INFO-2): Wagtail's ``page_published`` tells
``cases.copy_published``, which records the own-site outlet (本站工作动态) on the first one."""

from django.dispatch import receiver
from wagtail.signals import page_published

from . import cases


@receiver(page_published, dispatch_uid="govsite.reporting.copy_published")
def record_own_site_adoption(sender, instance, **kwargs):
    cases.copy_published(instance)
