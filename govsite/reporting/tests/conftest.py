import pytest

from govsite.testing.helpers import section

from .factories import make_people


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def mishu(site_tree):
    return section("秘书科")
