"""领导简介 and 机构职能 as page types (第十条): where they live, what the editor offers under
their columns, the conversion of a database built before them, who may edit and reorder."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from govsite.columns.models import ProfilePage, SubColumnPage, content_page_models
from govsite.organisation.models import (
    FunctionsColumnPage,
    FunctionsPage,
    LeaderColumnPage,
    LeaderPage,
)
from govsite.sections import roles
from govsite.testing.helpers import add_article

from .factories import functions_column, leader_column, make_functions, make_leader

pytestmark = pytest.mark.django_db

CONVERSION = importlib.import_module(
    "govsite.organisation.migrations.0002_convert_columns_and_profiles"
)


def test_the_bootstrap_builds_both_columns_as_their_new_types(site_tree):
    column = leader_column()
    assert column.title == "领导简介" and column.owner_section.name == "综合科"
    assert functions_column().title == "机构职能"
    # 添加子页面 under them offers only the new page types.
    assert LeaderColumnPage.creatable_subpage_models() == [LeaderPage]
    assert FunctionsColumnPage.creatable_subpage_models() == [FunctionsPage]
    assert LeaderPage.allowed_parent_page_models() == [LeaderColumnPage]
    assert FunctionsPage.allowed_parent_page_models() == [FunctionsColumnPage]
    # Not offered anywhere else either.
    assert not LeaderPage.can_create_at(SubColumnPage.objects.get(slug="bgsjj"))


def test_both_count_as_content(site_tree):
    """Permissions and the rescreen read ``content_page_models``: a column holding only leaders
    holds content, and published leaders are screened again with a new lexicon."""
    from govsite.screening.rescreen import published_pages

    assert {LeaderPage, FunctionsPage} <= set(content_page_models())
    leader = make_leader()
    functions = make_functions()
    assert {leader.pk, functions.pk} <= set(published_pages().values_list("pk", flat=True))


def test_a_column_holding_leaders_is_not_taken_offline_or_deleted(role_users):
    manager = role_users[roles.SITE_MANAGERS]
    assert leader_column().permissions_for_user(manager).can_delete()
    make_leader()
    tester = leader_column().permissions_for_user(manager)
    assert not tester.can_delete() and not tester.can_unpublish()


def test_a_post_is_required_and_contact_numbers_are_validated_in_chinese(site_tree):
    leader = LeaderPage(title="王立新", post="", duties="分管秘书科。", slug="w")
    with pytest.raises(ValidationError) as refused:
        leader.full_clean()
    assert "post" in refused.value.message_dict

    page = FunctionsPage(
        title="机构职能", slug="f", phone="请拨打办公室", fax="0571-123", postcode="3100"
    )
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    errors = refused.value.message_dict
    assert "电话号码“请拨打办公室”格式不对" in errors["phone"][0]
    assert "电话号码“0571-123”格式不对" in errors["fax"][0]
    assert errors["postcode"] == ["邮政编码“3100”格式不对：应为6位数字，如 310000。"]


# The conversion of an older database --------------------------------------------------------


def _make_plain(column):
    """``column`` as a database built before this app has it: a plain sub-column."""
    plain = ContentType.objects.get_for_model(SubColumnPage)
    with connection.cursor() as cursor:
        table = type(column)._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE subcolumnpage_ptr_id = %s", [column.pk])
    Page.objects.filter(pk=column.pk).update(content_type=plain)
    column.revisions.update(content_type=plain)
    assert type(Page.objects.get(pk=column.pk).specific) is SubColumnPage
    return Page.objects.get(pk=column.pk).specific


def _add_profile(column, title, text):
    profile = ProfilePage(
        title=title, live=False, body=[("paragraph", f"<p>{text}</p>")], slug=f"p{column.pk}"
    )
    profile = column.add_child(instance=profile)
    profile.save_revision().publish()
    return ProfilePage.objects.get(pk=profile.pk)


def test_older_columns_and_their_profiles_become_the_new_types(client, site_tree):
    leaders = _make_plain(leader_column())
    functions = _make_plain(functions_column())
    old_leader = _add_profile(leaders, "陈志远　区政府办公室主任", "1974年出生，研究生学历。")
    old_functions = _add_profile(functions, "主要职责", "负责区政府会议的准备工作。")
    article = add_article(leaders, title="领导分工调整的通知")
    profile_type = ContentType.objects.get_for_model(ProfilePage)
    assert IndexEntry.objects.filter(object_id=str(old_leader.pk)).count() == 1

    CONVERSION.convert(apps, None)

    assert type(Page.objects.get(pk=leaders.pk).specific) is LeaderColumnPage
    assert type(Page.objects.get(pk=functions.pk).specific) is FunctionsColumnPage
    leader = Page.objects.get(pk=old_leader.pk).specific
    assert type(leader) is LeaderPage
    assert leader.title == "陈志远　区政府办公室主任" and leader.post == ""
    assert "1974年出生" in str(leader.body)  # the body is its 简历
    assert type(leader.get_latest_revision_as_object()) is LeaderPage
    page = Page.objects.get(pk=old_functions.pk).specific
    assert type(page) is FunctionsPage and "会议的准备工作" in str(page.body)
    # The search entry moved with the page, not left behind as a duplicate.
    entries = IndexEntry.objects.filter(object_id=str(old_leader.pk))
    assert list(entries.values_list("content_type", flat=True)) == [
        ContentType.objects.get_for_model(LeaderPage).pk
    ]
    # An article is not a profile: it stays an article, still shown on the column.
    assert type(Page.objects.get(pk=article.pk).specific).__name__ == "ArticlePage"
    html = client.get(leaders.url).content.decode()
    assert "陈志远" in html and "领导分工调整的通知" in html
    assert "会议的准备工作" in client.get(functions.url).content.decode()

    CONVERSION.revert(apps, None)
    assert type(Page.objects.get(pk=leaders.pk).specific) is SubColumnPage
    assert Page.objects.get(pk=old_leader.pk).content_type == profile_type


def test_the_conversion_changes_nothing_on_a_database_built_with_the_new_types(site_tree):
    leader = make_leader()
    CONVERSION.convert(apps, None)
    assert type(Page.objects.get(pk=leader.pk).specific) is LeaderPage
    assert LeaderColumnPage.objects.count() == 1


# Who may edit and reorder --------------------------------------------------------------------


def test_only_the_owner_section_edits_leaders(role_users):
    leader = make_leader()
    assert leader.permissions_for_user(role_users["综合科-信息员"]).can_edit()
    assert leader_column().permissions_for_user(role_users["综合科-信息员"]).can_add_subpage()
    for group in ("文书科-信息员", "秘书科-科长", "信息中心-信息员"):
        assert not leader.permissions_for_user(role_users[group]).can_edit(), group
        assert not leader_column().permissions_for_user(role_users[group]).can_add_subpage()
    # Published through the review chain: nobody but a superuser publishes at once.
    assert not leader.permissions_for_user(role_users["综合科-信息员"]).can_publish()


def test_the_site_management_role_sets_the_order_and_nobody_moves_a_leader_away(role_users):
    first, second = make_leader("甲"), make_leader("乙")
    manager = role_users[roles.SITE_MANAGERS]
    officer = role_users["综合科-信息员"]
    column = leader_column()
    assert column.permissions_for_user(manager).can_reorder_children()
    assert not column.permissions_for_user(officer).can_reorder_children()
    assert second.permissions_for_user(manager).can_move_to(column)
    assert not second.permissions_for_user(officer).can_move_to(column)
    # Reordering is not moving: a leader never leaves its column.
    elsewhere = SubColumnPage.objects.get(slug="bgsjj")
    assert not second.permissions_for_user(manager).can_move_to(elsewhere)
    assert first.pk != second.pk
