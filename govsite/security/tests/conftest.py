"""Fixtures of the security tests: the bootstrap's second-factor policy and the security events
sent."""

import pytest

from govsite.security import rules
from govsite.security.models import SecurityPolicy
from govsite.security.signals import security_event


@pytest.fixture
def twofactor_policy(site_tree):
    """The policy as ``bootstrap_site`` creates it (the general suite waives the second factor,
    see govsite/conftest.py): every 科长, 主管主任, the three administrators and superusers."""
    policy = SecurityPolicy.load()
    rules.apply_default_twofactor(policy)
    return policy


@pytest.fixture
def security_events():
    """The ``security_event`` signals sent during the test: [(action, actor, target, detail)]."""
    sent = []

    def receive(sender, action, actor=None, target=None, detail=None, **kwargs):
        sent.append((action, actor, target, detail or {}))

    security_event.connect(receive, dispatch_uid="security-tests")
    yield sent
    security_event.disconnect(dispatch_uid="security-tests")
