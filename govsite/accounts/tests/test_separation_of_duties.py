"""三员分立 (issue 6 item 4): 系统管理员 manages accounts, groups and settings but cannot read the
audit log or act in the review chain; 安全管理员 and 审计管理员 get nothing from it; no role can
grant itself another. Every refusal is proven with the POST a user could craft."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Page

from govsite.accounts import rules
from govsite.accounts.forms import GroupForm
from govsite.sections import roles
from govsite.sections.permissions import OFFICE_GROUP_MODEL_PERMISSIONS
from govsite.testing.helpers import PASSWORD, add_article, sub_column
from govsite.workflow.tests.test_review_chain import submit

SYSADMIN, SECADMIN, AUDITOR = roles.SYSTEM_ADMINS, roles.SECURITY_ADMINS, roles.AUDIT_ADMINS


def group(name):
    return Group.objects.get(name=name)


def group_ids(user):
    return set(user.groups.values_list("name", flat=True))


def user_form(user, groups, password="", **extra):
    """The user edit form as the admin sends it, with ``groups`` ticked."""
    return {
        "username": user.username,
        "email": user.email or f"{user.username}@example.cn",
        "first_name": user.first_name or "立新",
        "last_name": user.last_name or "王",
        "password1": password,
        "password2": password,
        "is_active": "on",
        "groups": [group(name).pk for name in groups],
        **extra,
    }


def edit_user(client, user, groups, **extra):
    return client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]), user_form(user, groups, **extra)
    )


@pytest.fixture
def admins(make_user):
    return {
        "sysadmin": make_user("sysadmin", SYSADMIN),
        "secadmin": make_user("secadmin", SECADMIN),
        "auditor": make_user("auditor", AUDITOR),
        "officer": make_user("mishu_xxy", "秘书科-信息员"),
        "root": make_user("root_admin", superuser=True),
    }


@pytest.fixture
def as_sysadmin(client, admins):
    client.force_login(admins["sysadmin"])
    return client


@pytest.fixture
def as_superuser(client, admins):
    client.force_login(admins["root"])
    return client


# No role grants itself another --------------------------------------------------------------


@pytest.mark.django_db
def test_sysadmin_cannot_put_himself_into_audit_admins(as_sysadmin, admins):
    sysadmin = admins["sysadmin"]
    response = edit_user(as_sysadmin, sysadmin, [SYSADMIN, AUDITOR])
    assert response.status_code == 200
    assert "不能修改自己的用户组，请由其他管理员办理。" in response.content.decode()
    assert group_ids(sysadmin) == {SYSADMIN}


@pytest.mark.django_db
def test_nobody_edits_their_own_groups_not_even_swapping_one(as_sysadmin, admins):
    sysadmin = admins["sysadmin"]
    response = edit_user(as_sysadmin, sysadmin, ["秘书科-信息员"])
    assert "不能修改自己的用户组" in response.content.decode()
    assert group_ids(sysadmin) == {SYSADMIN}
    # What the browser sends (the locked boxes are not sent) saves the rest of the form.
    data = user_form(sysadmin, [], first_name="磊")
    del data["groups"]
    response = as_sysadmin.post(reverse("wagtailusers_users:edit", args=[sysadmin.pk]), data)
    assert response.status_code == 302
    sysadmin.refresh_from_db()
    assert sysadmin.first_name == "磊" and group_ids(sysadmin) == {SYSADMIN}


@pytest.mark.django_db
def test_the_own_groups_are_shown_locked(as_sysadmin, admins):
    html = as_sysadmin.get(
        reverse("wagtailusers_users:edit", args=[admins["sysadmin"].pk])
    ).content.decode()
    assert "不能修改自己的用户组，请由其他管理员办理。" in html


@pytest.mark.django_db
def test_a_superuser_cannot_edit_his_own_groups_or_status(as_superuser, admins):
    root = admins["root"]
    response = edit_user(as_superuser, root, [AUDITOR], is_superuser="")
    assert "不能修改自己的用户组" in response.content.decode()
    root.refresh_from_db()
    assert root.is_superuser and group_ids(root) == set()


@pytest.mark.django_db
def test_sysadmin_cannot_put_anyone_into_the_administrator_groups(as_sysadmin, admins):
    officer = admins["officer"]
    for name in (SYSADMIN, SECADMIN, AUDITOR):
        response = edit_user(as_sysadmin, officer, ["秘书科-信息员", name])
        assert rules.MESSAGES["administrator_groups"] in response.content.decode()
        assert group_ids(officer) == {"秘书科-信息员"}


@pytest.mark.django_db
def test_sysadmin_manages_ordinary_groups(as_sysadmin, admins):
    officer = admins["officer"]
    response = edit_user(as_sysadmin, officer, ["秘书科-信息员", "文书科-信息员"])
    assert response.status_code == 302
    assert group_ids(officer) == {"秘书科-信息员", "文书科-信息员"}
    # The administrator groups are offered, but disabled.
    html = as_sysadmin.get(reverse("wagtailusers_users:edit", args=[officer.pk])).content.decode()
    assert f'value="{group(AUDITOR).pk}"' in html
    assert rules.MESSAGES["administrator_groups"] in html


@pytest.mark.django_db
def test_sysadmin_cannot_create_a_superuser_or_an_administrator(as_sysadmin):
    data = user_form(
        get_user_model()(username="shadow"),
        ["秘书科-信息员"],
        password="Ying-Zi-Zhang-Hao-2026",
        is_superuser="on",
    )
    response = as_sysadmin.post(reverse("wagtailusers_users:add"), data)
    assert "只有超级用户可以授予或取消超级用户权限。" in response.content.decode()
    data.pop("is_superuser")
    data["groups"] = [group(SECADMIN).pk]
    response = as_sysadmin.post(reverse("wagtailusers_users:add"), data)
    assert rules.MESSAGES["administrator_groups"] in response.content.decode()
    assert not get_user_model().objects.filter(username="shadow").exists()
    data["groups"] = [group("秘书科-信息员").pk]
    assert as_sysadmin.post(reverse("wagtailusers_users:add"), data).status_code == 302
    assert not get_user_model().objects.get(username="shadow").is_superuser


@pytest.mark.django_db
def test_sysadmin_cannot_touch_an_administrators_account(as_sysadmin, admins):
    for target in (admins["auditor"], admins["secadmin"], admins["root"]):
        response = edit_user(
            as_sysadmin, target, list(group_ids(target)), password="Jie-Guan-Zhang-Hao-2026"
        )
        assert response.status_code == 302  # back to the list, with the reason
        target.refresh_from_db()
        assert target.check_password(PASSWORD) and not target.must_change_password
        page = as_sysadmin.get(response["Location"]).content.decode()
        assert rules.MESSAGES["administrator_account"] in page
    assert as_sysadmin.get(reverse("wagtailusers_users:edit", args=[admins["auditor"].pk]))[
        "Location"
    ] == reverse("wagtailusers_users:index")


@pytest.mark.django_db
def test_a_superuser_may_assign_the_administrator_roles(as_superuser, admins):
    sysadmin = admins["sysadmin"]
    response = edit_user(as_superuser, sysadmin, [SYSADMIN, AUDITOR])
    assert response.status_code == 302
    assert group_ids(sysadmin) == {SYSADMIN, AUDITOR}
    response = edit_user(as_superuser, sysadmin, [SYSADMIN], is_superuser="on")
    assert response.status_code == 302
    sysadmin.refresh_from_db()
    assert sysadmin.is_superuser and group_ids(sysadmin) == {SYSADMIN}


def bulk(client, action, users, **data):
    url = reverse("wagtail_bulk_action", args=("accounts", "user", action))
    query = "&".join(f"id={user.pk}" for user in users)
    return client.post(f"{url}?{query}", data)


@pytest.mark.django_db
def test_bulk_assign_role_cannot_grant_an_administrator_role(as_sysadmin, admins):
    sysadmin, officer = admins["sysadmin"], admins["officer"]
    response = bulk(as_sysadmin, "assign_role", [sysadmin, officer], role=group(AUDITOR).pk)
    assert response.status_code == 200
    assert rules.MESSAGES["administrator_groups"] in response.content.decode()
    assert group_ids(sysadmin) == {SYSADMIN} and group_ids(officer) == {"秘书科-信息员"}
    # An ordinary role: given to the officer, never to himself.
    response = bulk(as_sysadmin, "assign_role", [sysadmin, officer], role=group("文书科-信息员").pk)
    assert response.status_code == 302
    assert group_ids(officer) == {"秘书科-信息员", "文书科-信息员"}
    assert group_ids(sysadmin) == {SYSADMIN}


@pytest.mark.django_db
def test_bulk_actions_leave_administrators_alone(as_sysadmin, admins):
    auditor = admins["auditor"]
    bulk(as_sysadmin, "set_active_state", [auditor], mark_as_active="False")
    auditor.refresh_from_db()
    assert auditor.is_active


# Groups and permissions ---------------------------------------------------------------------


PERMISSION_FORMSETS = [
    "page_permissions",
    "document_permissions",
    "image_permissions",
    "collection_permissions",
]


def group_form(grp, permissions):
    """The group edit form as the admin sends it: name, model permissions, and the page and
    collection permission panels left empty."""
    registered = GroupForm().registered_permissions  # those the form shows
    data = {"name": grp.name, "permissions": [p.pk for p in permissions if p in registered]}
    for prefix in PERMISSION_FORMSETS:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.django_db
def test_sysadmin_cannot_change_the_administrator_groups(as_sysadmin):
    add_user = permission("accounts", "add_user")
    for name in (SYSADMIN, SECADMIN, AUDITOR):
        grp = group(name)
        before = set(grp.permissions.all())
        url = reverse("wagtailusers_groups:edit", args=[grp.pk])
        response = as_sysadmin.post(url, group_form(grp, [*before, add_user]))
        assert response.status_code == 302
        assert set(grp.permissions.all()) == before
        assert (
            rules.MESSAGES["administrator_group"]
            in as_sysadmin.get(response["Location"]).content.decode()
        )
        assert as_sysadmin.get(url).status_code == 302


@pytest.mark.django_db
def test_sysadmin_cannot_grant_the_administrators_permissions(as_sysadmin):
    grp = group("秘书科-信息员")
    before = set(grp.permissions.all())
    url = reverse("wagtailusers_groups:edit", args=[grp.pk])
    response = as_sysadmin.post(
        url, group_form(grp, [*before, permission("accounts", "change_user")])
    )
    assert response.status_code == 200
    assert rules.MESSAGES["reserved_permission"] in response.content.decode()
    assert set(grp.permissions.all()) == before
    # What he may grant, he grants.
    choose = permission("wagtailredirects", "add_redirect")
    assert as_sysadmin.post(url, group_form(grp, [*before, choose])).status_code == 302
    assert choose in grp.permissions.all()


@pytest.mark.django_db
def test_a_superuser_may_change_the_administrator_groups(as_superuser):
    grp = group(AUDITOR)
    extra = permission("wagtailredirects", "add_redirect")
    url = reverse("wagtailusers_groups:edit", args=[grp.pk])
    before = set(grp.permissions.all())
    assert as_superuser.post(url, group_form(grp, [*before, extra])).status_code == 302
    assert extra in grp.permissions.all()
    data = group_form(grp, before)
    data["name"] = "审计员"
    response = as_superuser.post(url, data)
    assert rules.MESSAGES["group_name"] in response.content.decode()
    assert Group.objects.filter(name=AUDITOR).exists()


@pytest.mark.django_db
def test_nobody_edits_a_group_he_belongs_to(make_user, client):
    # A 系统管理员 who also happens to be in an office group cannot widen it.
    sysadmin = make_user("sysadmin2", SYSADMIN, "综合科-信息员")
    client.force_login(sysadmin)
    grp = group("综合科-信息员")
    before = set(grp.permissions.all())
    url = reverse("wagtailusers_groups:edit", args=[grp.pk])
    response = client.post(
        url, group_form(grp, [*before, permission("wagtailredirects", "add_redirect")])
    )
    assert response.status_code == 302
    assert set(grp.permissions.all()) == before
    assert rules.MESSAGES["own_group"] in client.get(response["Location"]).content.decode()


# What each administrator may do (the matrix) ----------------------------------------------------


@pytest.mark.django_db
def test_the_three_administrators_hold_only_their_own_permissions(admins):
    for name in (SYSADMIN, SECADMIN, AUDITOR):
        held = {
            (p.content_type.app_label, p.codename)
            for p in group(name).permissions.select_related("content_type")
        }
        assert held == set(OFFICE_GROUP_MODEL_PERMISSIONS[name]), name
    sysadmin = admins["sysadmin"]
    assert not any(
        perm.startswith(("audit.", "security.")) for perm in sysadmin.get_all_permissions()
    )
    for user in (admins["secadmin"], admins["auditor"]):
        assert not user.has_perm("accounts.change_user")
        assert not user.has_perm("auth.change_group")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "allowed"),
    [("sysadmin", True), ("secadmin", False), ("auditor", False), ("officer", False)],
)
def test_only_sysadmin_reaches_users_and_groups(client, admins, who, allowed):
    client.force_login(admins[who])
    for url in (
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailusers_groups:edit", args=[group("秘书科-信息员").pk]),
    ):
        assert (client.get(url).status_code == 200) is allowed, (who, url)


@pytest.mark.django_db
def test_sysadmin_can_edit_no_page_of_any_column(admins, site_tree):
    sysadmin = admins["sysadmin"]
    add_article(sub_column("领导重要讲话"), title="已发布的文章")
    for page in Page.objects.all().specific():
        perms = page.permissions_for_user(sysadmin)
        assert not perms.can_edit(), page
        assert not perms.can_add_subpage(), page
        assert not perms.can_publish(), page


@pytest.mark.django_db
def test_sysadmin_gets_no_workflow_task(make_user, admins):
    sysadmin = admins["sysadmin"]
    officer = make_user("mishu_officer", "秘书科-信息员")
    make_user("mishu_chief", "秘书科-科长")
    page = add_article(sub_column("领导重要讲话"), title="待审核文章", owner=officer, publish=False)
    state = submit(page, officer)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.name == "科长审核"
    assert task.get_actions(page, sysadmin) == []
    assert not task.get_task_states_user_can_moderate(sysadmin).exists()
    assert not task.user_can_access_editor(page, sysadmin)
