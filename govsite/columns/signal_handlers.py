from django.dispatch import receiver
from wagtail.signals import page_published

from .models import SubColumnPage
from .permissions import grant_column_to_owner


@receiver(page_published, sender=SubColumnPage)
def follow_ownership(sender, instance, **kwargs):
    """R-TREE-2: when a sub-column's owner changes, the page permissions move with it."""
    grant_column_to_owner(instance)
