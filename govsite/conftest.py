"""Fixtures shared by every app's tests: the bootstrapped site tree and users per role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from govsite.columns.bootstrap import bootstrap_site
from govsite.columns.models import ArticlePage, HomePage, SubColumnPage
from govsite.sections import roles
from govsite.sections.models import Section

PASSWORD = "Test-Passw0rd-2026!"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        bootstrap_site()


@pytest.fixture
def site_tree(db):
    """The SPEC §2 tree; rebuilt if a transactional test flushed the database."""
    bootstrap_site()
    return HomePage.objects.get()


def sub_column(title):
    return SubColumnPage.objects.get(title=title)


def section(name):
    return Section.objects.get(name=name)


@pytest.fixture
def make_user(site_tree):
    """make_user("mishu_xxy", "秘书科-信息员", supervises=["秘书科"])"""

    def make(username, *group_names, supervises=(), superuser=False):
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, is_superuser=superuser, is_staff=superuser
        )
        user.groups.add(*[Group.objects.get(name=name) for name in group_names])
        for name in supervises:
            section(name).directors.add(user)
        return user

    return make


@pytest.fixture
def role_users(make_user):
    """One user per role: officer and chief of each section, two directors, the site
    manager and the three administrators."""
    users = {}
    for sec in Section.objects.all():
        users[sec.officer_group_name] = make_user(f"{sec.code}_officer", sec.officer_group_name)
        users[sec.chief_group_name] = make_user(f"{sec.code}_chief", sec.chief_group_name)
    users["主管主任(秘书科、文书科)"] = make_user(
        "director_a", roles.DIRECTORS, supervises=["秘书科", "文书科"]
    )
    users["主管主任(综合科、督查室、信息中心)"] = make_user(
        "director_b", roles.DIRECTORS, supervises=["综合科", "督查室", "信息中心"]
    )
    users[roles.SITE_MANAGERS] = make_user("site_manager", roles.SITE_MANAGERS)
    users[roles.SYSTEM_ADMINS] = make_user("sysadmin", roles.SYSTEM_ADMINS)
    users[roles.SECURITY_ADMINS] = make_user("secadmin", roles.SECURITY_ADMINS)
    users[roles.AUDIT_ADMINS] = make_user("auditor", roles.AUDIT_ADMINS)
    return users


def add_article(column, title="测试文章", owner=None, publish=True, **fields):
    """Create an article under ``column`` the way the system does (published if asked)."""
    article = column.add_child(instance=ArticlePage(title=title, owner=owner, live=False, **fields))
    revision = article.save_revision(user=owner)
    if publish:
        revision.publish()
        article.refresh_from_db()
    return article
