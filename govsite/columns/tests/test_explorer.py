"""The explorer lists exactly what Wagtail's explorer would, for every role and every kind of
place in the tree, while leaving out the permission filter where it cannot remove a row
(``govsite.columns.explorer``). A director, whom Wagtail shows nothing, reads the columns of the
sections they supervise and the pages above them (``read_only_column_paths``)."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from govsite.columns.explorer import explorable_page_policy
from govsite.columns.models import ColumnPage, HomePage
from govsite.columns.permissions import read_only_column_paths
from govsite.demo.generator import generate_articles
from govsite.sections import roles
from govsite.testing.helpers import add_article, login, sub_column

ROLES = [
    roles.SITE_MANAGERS,
    "综合科-信息员",
    "综合科-科长",
    "秘书科-信息员",
    "文书科-科长",
    "督查室-信息员",
    "信息中心-科长",
    "主管主任(秘书科、文书科)",
    "主管主任(综合科、督查室、信息中心)",
    roles.SYSTEM_ADMINS,
    roles.AUDIT_ADMINS,
]


@pytest.mark.django_db
def test_the_explorable_pages_are_wagtails_for_every_role(role_users, make_user):
    """The same set as ``PagePermissionPolicy.explorable_instances``, written for the index."""
    generate_articles(12, index=False)
    users = [*role_users.values(), make_user("root", superuser=True)]
    inactive = make_user("left", "综合科-信息员")
    inactive.is_active = False
    for user in [*users, inactive]:
        ours = set(explorable_page_policy.explorable_instances(user).values_list("pk", flat=True))
        wagtails = PagePermissionPolicy().explorable_instances(user).values_list("pk", flat=True)
        assert ours == set(wagtails) | _read(user, Page.objects.all()), user.username


def _read(user, pages):
    """Of ``pages``, those a director reads: in a column of a supervised section, or above one
    (from the first page above all of them down); none for anyone else."""
    paths = read_only_column_paths(user)
    if not paths:
        return set()
    root = explorable_page_policy.explorable_root_instance(user)
    return {
        page.pk
        for page in pages.filter(path__startswith=root.path)
        if any(page.path.startswith(path) or path.startswith(page.path) for path in paths)
    }


def _places():
    """The home page (above every column), a column, a sub-column of 综合科, one of 秘书科."""
    return {
        "首页": HomePage.objects.get(),
        "工作进展": ColumnPage.objects.get(title="工作进展"),
        "工作动态": sub_column("工作动态"),
        "政务专题 › first": ColumnPage.objects.get(title="政务专题").get_children().first(),
    }


def _wagtail_would_list(user, parent):
    """Wagtail's rows, and a director's reading besides."""
    explorable = PagePermissionPolicy().explorable_instances(user)
    children = parent.get_children()
    wagtails = set(children.filter(pk__in=explorable).values_list("pk", flat=True))
    return wagtails | _read(user, children)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_rows_wagtail_would_show(client, role_users, site_tree, role):
    generate_articles(12, index=False, columns=[sub_column("工作动态")])
    add_article(sub_column("工作动态"), title="草稿一篇", publish=False)
    user = role_users[role]
    login(client, user)
    for name, parent in _places().items():
        parent.refresh_from_db()
        response = client.get(reverse("wagtailadmin_explore", args=[parent.pk]))
        expected = _wagtail_would_list(user, parent)
        if response.status_code == 302:
            # Wagtail sends a user who may not explore here to their own part of the tree:
            # its view, unchanged, decides that before any listing.
            continue
        assert response.status_code == 200, (role, name)
        listed = {page.pk for page in response.context["object_list"]}
        assert listed == expected, (role, name)


@pytest.mark.django_db
def test_searching_and_filtering_a_column_keep_to_it(client, role_users, site_tree):
    column = sub_column("工作动态")
    add_article(column, title="关于防汛工作的通知")
    add_article(sub_column("政策法规"), title="防汛工作指南")  # 综合科's too, another column
    login(client, role_users["综合科-信息员"])
    url = reverse("wagtailadmin_explore", args=[column.pk])
    response = client.get(url, {"q": "防汛"})
    assert [page.title for page in response.context["object_list"]] == ["关于防汛工作的通知"]
    response = client.get(url, {"has_child_pages": "false"})
    assert {page.pk for page in response.context["object_list"]} == set(
        Page.objects.child_of(column).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_a_pasted_document_is_searched_by_its_first_hundred_characters(client, role_users):
    add_article(sub_column("工作动态"), title="关于防汛工作的通知")
    login(client, role_users["综合科-信息员"])
    url = reverse("wagtailadmin_pages:search")
    response = client.get(url, {"q": "防汛" + "工作安排" * 2500})
    assert response.status_code == 200
    assert "搜索词过长，只按前 100 个字搜索。" in response.content.decode()
    assert response.context["query_string"] == ("防汛" + "工作安排" * 2500)[:100]
