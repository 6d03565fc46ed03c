"""Fixtures of the accounts tests: the security events sent, logins through the real login
form from a given address and browser, and the security policy to adjust."""

import pytest
from django.test import Client
from django.urls import reverse

from govsite.security.models import SecurityPolicy
from govsite.security.signals import security_event
from govsite.testing.helpers import PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def events():
    """Every ``security_event`` sent during the test, as (action, kwargs) pairs."""
    sent = []

    def record(sender, action, **kwargs):
        sent.append((action, kwargs))

    security_event.connect(record, weak=False, dispatch_uid="govsite.accounts.tests.events")
    yield sent
    security_event.disconnect(dispatch_uid="govsite.accounts.tests.events")


def actions(events):
    return [action for action, _ in events]


@pytest.fixture
def policy(db):
    return SecurityPolicy.load()


class Browser(Client):
    """A test client that is one browser at one address: every request carries them."""

    def __init__(self, ip="192.0.2.10", user_agent=FIREFOX):
        super().__init__(REMOTE_ADDR=ip, HTTP_USER_AGENT=user_agent)


def login(browser, user, password=PASSWORD):
    """Sign in through Wagtail's login form, as staff do; returns the response."""
    return browser.post(
        reverse("wagtailadmin_login"),
        {"username": user.get_username(), "password": password},
    )


@pytest.fixture
def browser_at():
    """browser_at("198.51.100.7", CHROME): a client with its own address and browser."""
    return Browser
