"""政务公开's part of ``bootstrap_site`` (R-TREE-1): the 公文栏目 get the 政务公开目录 category of
data/columns.toml. The tree sends ``site_bootstrapped`` without knowing who listens (columns sits
below disclosure), so ``manage.py bootstrap_site``, the demo data and the test database's
template all apply the same categories, idempotently."""

from django.dispatch import receiver

from govsite.columns.signals import site_bootstrapped

from .columns import apply_column_categories


@receiver(site_bootstrapped, dispatch_uid="govsite.disclosure.column_categories")
def column_categories(sender, report, **kwargs):
    for line in apply_column_categories():
        report.add(line)
