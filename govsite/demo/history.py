"""Replayed history tells nobody (the demo's letters and surveys): what its steps leave for
after the commit — notices of new letters, e-mail copies of notices — is dropped."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def telling_nobody():
    """Drop the on-commit callbacks the block registers (Django keeps them on the connection
    until the outermost atomic block commits; the demo's loads run inside one)."""
    connection = transaction.get_connection()
    pending = len(connection.run_on_commit)
    try:
        yield
    finally:
        del connection.run_on_commit[pending:]
