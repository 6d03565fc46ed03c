from django.dispatch import Signal

# Sent at the end of ``bootstrap_site`` with ``home`` and ``report``: other apps build their
# own data (the review workflow, …) without the tree knowing about them.
site_bootstrapped = Signal()
