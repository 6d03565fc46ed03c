from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from govsite.columns.bootstrap import bootstrap_site


@pytest.fixture(scope="class")
def loaded_once(django_db_setup, django_db_blocker):
    """The demo data, loaded once for a class of tests by the command ``make run`` uses, and
    rolled back after the class (each test still runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        bootstrap_site()
        out = StringIO()
        call_command("load_demo_data", "--if-empty", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
