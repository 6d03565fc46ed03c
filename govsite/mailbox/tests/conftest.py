"""Fixtures of the mailbox's tests: the people who handle letters, 文书科 and the mailbox page
(govsite/mailbox/tests/factories.py makes the letters)."""

import pytest

from govsite.testing.helpers import section

from ..pages import MailboxPage
from .factories import make_people


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def wenshu(site_tree):
    return section("文书科")


@pytest.fixture
def mailbox(site_tree):
    return MailboxPage.objects.get()
