"""R-TREE-2: ownership is enforced, follows the owner, and refusals explain themselves."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from govsite.testing.helpers import add_article, assert_refused, login, section, sub_column

from ..models import ArticlePage, ColumnPage, HomePage, SubColumnPage


def fresh(user):
    """The user re-read, without the page permissions cached on the instance."""
    return type(user).objects.get(pk=user.pk)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def add_url(model_name, parent):
    return reverse("wagtailadmin_pages:add", args=["columns", model_name, parent.pk])


@pytest.mark.django_db
def test_moving_a_column_to_another_section_moves_the_permissions(role_users):
    speeches = sub_column("领导重要讲话")
    old, new = role_users["秘书科-信息员"], role_users["综合科-信息员"]
    assert speeches.permissions_for_user(old).can_add_subpage()
    assert not speeches.permissions_for_user(new).can_add_subpage()

    speeches.owner_section = section("综合科")
    speeches.save_revision().publish()

    speeches = sub_column("领导重要讲话")
    assert not speeches.permissions_for_user(fresh(old)).can_add_subpage()
    assert speeches.permissions_for_user(fresh(new)).can_add_subpage()
    assert speeches.permissions_for_user(fresh(role_users["综合科-科长"])).can_add_subpage()
    assert not speeches.permissions_for_user(fresh(role_users["秘书科-科长"])).can_add_subpage()


@pytest.mark.django_db
def test_site_manager_moves_ownership_in_the_admin(client, role_users):
    """The site manager edits the sub-column, picks another 负责科室 and publishes."""
    speeches = sub_column("领导重要讲话")
    login(client, role_users["综合科-网站管理"])
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[speeches.pk]),
        nested_form_data(
            {
                "title": speeches.title,
                "slug": speeches.slug,
                "intro": "",
                "owner_section": section("文书科").pk,
                "content_kind": "dynamic",
                "action-publish": "action-publish",
            }
        ),
    )
    assert response.status_code == 302, messages_of(response)
    speeches = sub_column("领导重要讲话")
    assert speeches.owner_section.name == "文书科"
    assert speeches.permissions_for_user(role_users["文书科-信息员"]).can_add_subpage()
    assert not speeches.permissions_for_user(role_users["秘书科-信息员"]).can_add_subpage()


@pytest.mark.django_db
def test_an_officer_cannot_change_their_column_itself(client, role_users):
    """Owning a column's content is not owning the column: its settings are structure."""
    login(client, role_users["秘书科-信息员"])
    assert_refused(
        client.get(reverse("wagtailadmin_pages:edit", args=[sub_column("领导重要讲话").pk]))
    )


@pytest.mark.django_db
def test_article_under_a_top_column_is_refused_with_a_reason(client, role_users):
    login(client, role_users["综合科-网站管理"])
    column = ColumnPage.objects.get(title="政务专题")
    response = client.get(add_url("articlepage", column))
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "不能在「政务专题」下新建文章" in message
    assert "这里只能新建：子栏目" in message
    assert "文章只能建在子栏目下" in message
    assert not ArticlePage.objects.child_of(column).exists()


@pytest.mark.django_db
def test_sub_column_outside_the_tree_is_refused(client, role_users):
    login(client, role_users["综合科-网站管理"])
    home = HomePage.objects.get()
    response = client.post(add_url("subcolumnpage", home), {"title": "野栏目", "slug": "ye"})
    (message,) = messages_of(response)
    assert "不能在「" in message and "子栏目只能建在栏目下" in message
    inside_a_sub_column = client.get(add_url("subcolumnpage", sub_column("工作动态")))
    assert "这里只能新建：文章、简介页" in messages_of(inside_a_sub_column)[-1]
    assert not SubColumnPage.objects.filter(title="野栏目").exists()


@pytest.mark.django_db
def test_officer_in_a_foreign_column_is_told_who_owns_it(client, role_users):
    login(client, role_users["秘书科-信息员"])
    policies = sub_column("政策法规")  # a 公文栏目: it takes 政府信息公开文件
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["disclosure", "documentpage", policies.pk])
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        "「政策法规」由综合科负责，只有该科室的信息员和科长可以在此新建内容。"
    ]


@pytest.mark.django_db
def test_officer_cannot_change_the_structure(client, role_users):
    login(client, role_users["秘书科-信息员"])
    response = client.get(add_url("subcolumnpage", ColumnPage.objects.get(title="政务专题")))
    assert messages_of(response) == ["栏目结构只能由综合科网站管理员调整。"]


@pytest.mark.django_db
def test_a_column_holding_content_cannot_be_deleted_or_taken_offline(client, role_users):
    manager = role_users["综合科-网站管理"]
    empty, full = sub_column("重点工程"), sub_column("领导重要讲话")
    add_article(full, title="讲话")
    assert empty.permissions_for_user(manager).can_delete()
    assert not full.permissions_for_user(manager).can_delete()
    assert not full.permissions_for_user(manager).can_unpublish()
    login(client, manager)
    client.post(reverse("wagtailadmin_pages:delete", args=[full.pk]))
    assert SubColumnPage.objects.filter(pk=full.pk).exists()
    assert ArticlePage.objects.child_of(full).count() == 1


@pytest.mark.django_db
def test_director_and_administrators_have_no_editor(client, role_users):
    article = add_article(sub_column("领导重要讲话"))
    for role in ("主管主任(秘书科、文书科)", "系统管理员", "安全管理员", "审计管理员"):
        client.logout()
        login(client, role_users[role])
        assert_refused(client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])))


@pytest.mark.django_db
def test_content_that_was_ever_published_is_never_hard_deleted(client, role_users):
    """R-FLOW-5: once public, content leaves only by a reviewed request that retains it."""
    officer = role_users["秘书科-信息员"]
    article = add_article(sub_column("领导重要讲话"), owner=officer)
    article.unpublish()
    article.refresh_from_db()
    assert not article.permissions_for_user(officer).can_delete()
    login(client, officer)
    client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]))
    assert ArticlePage.objects.filter(pk=article.pk).exists()
    draft = add_article(sub_column("领导重要讲话"), owner=officer, publish=False)
    assert draft.permissions_for_user(officer).can_delete()
