from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from govsite.columns.bootstrap import bootstrap_site


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The demo data, loaded once for a module of read-only tests by the command ``make run``
    uses, and rolled back after the module (each test still runs in its own savepoint). A module
    that uses it holds nothing else: its other tests would see the demo."""
    with django_db_blocker.unblock(), transaction.atomic():
        bootstrap_site()
        out = StringIO()
        call_command("load_demo_data", "--if-empty", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
