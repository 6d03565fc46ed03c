"""The assessment's part of ``bootstrap_site`` (R-TREE-1): the bootstrapped columns get the
update rules of data/freshness.toml. The tree sends ``site_bootstrapped`` without knowing who
listens (columns sits below assessment), so ``manage.py bootstrap_site``, the demo data and the
test database's template all apply the same rules, idempotently."""

from django.dispatch import receiver

from govsite.columns.signals import site_bootstrapped

from .freshness import apply_column_rules


@receiver(site_bootstrapped, dispatch_uid="govsite.assessment.column_rules")
def column_rules(sender, report, **kwargs):
    for line in apply_column_rules():
        report.add(line)
