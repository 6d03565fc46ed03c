from django.dispatch import receiver

from govsite.columns.signals import site_bootstrapped

from .models import ClassificationMark, LexiconVersion, ProhibitedCategory
from .seed import seed


@receiver(site_bootstrapped)
def restore_screening_data(sender, report, **kwargs):
    """``bootstrap_site`` also restores the categories of 第十九条 and the starting marks."""
    if seed(ProhibitedCategory, ClassificationMark, LexiconVersion):
        LexiconVersion.bump()
        report.add("审查类别与涉密标识")
