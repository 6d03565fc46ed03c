"""The local demo (``make run``) signs every demo account in with the password alone; an office's
own policy is never waived by loading the demo again (R-SEC-3; README, docs/security.md)."""

import pytest
from django.contrib.auth import get_user_model

from govsite.demo.loader import load_demo_data
from govsite.security import rules
from govsite.security.models import SecurityPolicy

from .helpers import bootstrap_as_deployed

pytestmark = pytest.mark.django_db


def test_loading_the_demo_waives_the_second_factor(client, twofactor_policy):
    with bootstrap_as_deployed():
        load_demo_data(accounts_only=True)
    policy = SecurityPolicy.load()
    assert not policy.twofactor_groups.exists() and not policy.twofactor_superusers
    for username in ("mishu_kz", "zhuren_wang", "anquan", "admin"):
        client.force_login(get_user_model().objects.get(username=username))
        assert client.get("/admin/").status_code == 200


def test_loading_it_again_keeps_the_second_factor_turned_back_on(site_tree):
    with bootstrap_as_deployed():
        load_demo_data(accounts_only=True)
        policy = SecurityPolicy.load()
        rules.apply_default_twofactor(policy)
        load_demo_data(accounts_only=True)
    assert policy.twofactor_groups.exists() and SecurityPolicy.load().twofactor_superusers
