from django.dispatch import receiver
from wagtail.signals import page_published

from .models import SubColumnPage
from .permissions import grant_column_to_owner


@receiver(page_published)
def follow_ownership(sender, instance, **kwargs):
    """R-TREE-2: when a sub-column's owner changes, the page permissions move with it
    (specialised sub-columns, such as the surveys', included)."""
    if isinstance(instance, SubColumnPage):
        grant_column_to_owner(instance)
