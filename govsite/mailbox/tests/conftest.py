"""Registers the ``browser`` marker when the mailbox's tests run on their own."""

from govsite.workflow.tests.conftest import pytest_configure  # noqa: F401
