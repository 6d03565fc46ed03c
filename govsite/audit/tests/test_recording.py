"""R-SEC-4: each kind of event produces exactly the expected audit entry — logins and failures
with IP and user agent, logouts, lockouts, security events, account, group and permission
changes, and every content, workflow and mailbox action."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    PageLogEntry,
    WorkflowState,
)

from govsite.audit.models import AuditEntry, Category
from govsite.changes import actions as change_actions
from govsite.changes.models import ChangeKind
from govsite.mailbox import cases
from govsite.mailbox.models import Letter
from govsite.sections import roles
from govsite.security.models import SecurityPolicy
from govsite.security.signals import security_event
from govsite.testing.helpers import PASSWORD, add_article, article_form, sub_column

from .conftest import CLIENT

User = get_user_model()


def login(client, username, password):
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}, **CLIENT
    )


# 登录 --------------------------------------------------------------------------------------------


def test_a_login_is_recorded_with_address_and_browser(client, make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    mark = since()
    response = login(client, "mishu_officer", PASSWORD)
    assert response.status_code == 302
    [entry] = mark.entries()
    assert entry.action == "login" and entry.action_label == "登录成功"
    assert entry.category == Category.LOGIN
    assert entry.actor == officer and entry.actor_username == "mishu_officer"
    assert entry.ip_address == "203.0.113.7"
    assert entry.user_agent == CLIENT["HTTP_USER_AGENT"]


def test_a_failed_login_keeps_the_name_typed_never_the_password(client, make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    mark = since()
    response = login(client, "mishu_officer", "Wrong-Passw0rd-1")
    assert response.status_code == 200
    [entry] = mark.entries()
    assert entry.action == "login_failed" and entry.category == Category.LOGIN
    assert entry.actor is None and entry.actor_username == "mishu_officer"
    assert entry.target_id == str(officer.pk) and entry.target_repr == "mishu_officer"
    assert (entry.ip_address, entry.user_agent) == ("203.0.113.7", CLIENT["HTTP_USER_AGENT"])
    assert entry.detail == {"username": "mishu_officer", "account_exists": True}
    assert "Wrong-Passw0rd-1" not in str(AuditEntry.objects.filter(pk=entry.pk).values().get())


def test_a_failed_login_with_an_unknown_name_is_recorded_too(client, site_tree, since):
    mark = since()
    login(client, "nobody-here", "Wrong-Passw0rd-1")
    [entry] = mark.entries()
    assert entry.action == "login_failed" and entry.actor_username == "nobody-here"
    assert entry.target_content_type is None and entry.summary == "该用户名不存在"
    assert entry.detail["account_exists"] is False


def test_the_address_is_read_behind_the_trusted_proxy(client, make_user, since, settings):
    settings.GOVSITE_PROXY_COUNT = 1
    make_user("mishu_officer", "秘书科-信息员")
    mark = since()
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "mishu_officer", "password": "Wrong-Passw0rd-1"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.20, 192.0.2.9",
    )
    [entry] = mark.entries()
    assert entry.ip_address == "192.0.2.9"


@pytest.mark.parametrize(
    ("remote_addr", "stored"),
    [("2001:db8::1", "2001:db8::1"), ("fe80::1%eth0", "fe80::1"), ("not-an-address", None)],
)
def test_what_is_not_an_address_is_not_stored_as_one(client, site_tree, since, remote_addr, stored):
    mark = since()
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "someone", "password": "Wrong-Passw0rd-1"},
        REMOTE_ADDR=remote_addr,
        HTTP_USER_AGENT="X" * 1000,
    )
    [entry] = mark.entries()
    assert entry.ip_address == stored and entry.user_agent == "X" * 300


def test_a_logout_is_recorded(client, make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    login(client, "mishu_officer", PASSWORD)
    mark = since()
    response = client.post(reverse("wagtailadmin_logout"), **CLIENT)
    assert response.status_code == 302
    [entry] = mark.entries()
    assert entry.action == "logout" and entry.action_label == "退出登录"
    assert entry.actor == officer and entry.ip_address == "203.0.113.7"


def test_a_lockout_is_recorded_after_the_failures(client, make_user, since):
    make_user("mishu_officer", "秘书科-信息员")
    limit = SecurityPolicy.load().lockout_failures
    mark = since()
    for _ in range(limit):
        login(client, "mishu_officer", "Wrong-Passw0rd-1")
    actions = mark.actions()
    assert actions.count("login_failed") == limit
    [locked] = mark.entries(action="locked_out")
    assert locked.category == Category.SECURITY and locked.action_label == "账号锁定"
    assert locked.actor_username == "mishu_officer" and locked.ip_address == "203.0.113.7"
    assert locked.detail["username"] == "mishu_officer"


# 安全 --------------------------------------------------------------------------------------------


def test_a_security_event_becomes_one_entry(make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    secadmin = make_user("secadmin", roles.SECURITY_ADMINS)
    mark = since()
    security_event.send(
        sender=SecurityPolicy,
        action="unlocked",
        actor=secadmin,
        target=officer,
        request=None,
        detail={"reason": "本人电话确认"},
    )
    [entry] = mark.entries()
    assert (entry.action, entry.action_label, entry.category) == (
        "unlocked",
        "解除锁定",
        Category.SECURITY,
    )
    assert entry.actor == secadmin and entry.target_id == str(officer.pk)
    assert entry.target_repr == "mishu_officer"
    assert entry.detail == {"sender": "SecurityPolicy", "reason": "本人电话确认"}


def test_session_events_are_filed_under_login(make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    mark = since()
    security_event.send(sender=User, action="session_expired", actor=None, target=officer)
    [entry] = mark.entries()
    assert entry.category == Category.LOGIN and entry.action_label == "会话超时退出"
    assert entry.actor is None and entry.actor_username == ""


def test_a_password_change_is_one_entry_and_no_hash_is_kept(make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    old_hash = officer.password
    mark = since()
    officer.set_password("Another-Passw0rd-2026")
    officer.save()
    [entry] = mark.entries()
    assert entry.action == "password_changed" and entry.category == Category.SECURITY
    assert entry.target_id == str(officer.pk)
    stored = str(AuditEntry.objects.filter(pk=entry.pk).values().get())
    assert officer.password not in stored and old_hash not in stored
    assert "Another-Passw0rd-2026" not in stored


def test_a_disabled_password_is_recorded(make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    mark = since()
    officer.set_unusable_password()
    officer.save()
    [entry] = mark.entries()
    assert entry.action == "password_disabled" and entry.target_id == str(officer.pk)


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


def test_a_rehashed_password_at_login_is_not_a_change(client, make_user, since, settings):
    make_user("mishu_officer", "秘书科-信息员")
    settings.PASSWORD_HASHERS = [  # Django upgrades the MD5 hash at the next login
        f"{__name__}.QuickPBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    mark = since()
    login(client, "mishu_officer", PASSWORD)
    assert User.objects.get(username="mishu_officer").password.startswith("pbkdf2_sha256$")
    assert mark.actions() == ["login"]


# 账号与权限 --------------------------------------------------------------------------------------


def test_account_creation_change_flags_and_deletion(site_tree, since):
    mark = since()
    user = User.objects.create_user("new_officer", email="a@example.cn", password=PASSWORD)
    [created] = mark.entries(action="user_created")  # (govsite.accounts records the password)
    assert created.action == "user_created" and created.category == Category.ACCOUNTS
    assert created.detail["username"] == "new_officer" and created.detail["is_superuser"] is False

    mark = since()
    user.email = "b@example.cn"
    user.last_name = "王"
    user.is_staff = True
    user.save()
    entries = {entry.action: entry for entry in mark.entries()}
    assert set(entries) == {"user_changed", "staff_granted"}
    changes = {change["field"]: change for change in entries["user_changed"].detail["changes"]}
    assert set(changes) == {"email", "last_name"}
    assert (changes["email"]["old"], changes["email"]["new"]) == ("a@example.cn", "b@example.cn")
    assert entries["user_changed"].summary.startswith("修改了：")

    mark = since()
    user.is_active = False
    user.is_superuser = True
    user.save(update_fields=["is_active", "is_superuser"])
    assert sorted(mark.actions()) == ["superuser_granted", "user_deactivated"]

    mark = since()
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])
    assert mark.actions() == []  # bookkeeping, not an account change

    pk = user.pk
    user.delete()
    [deleted] = mark.entries()
    assert deleted.action == "user_deleted" and deleted.target_id == str(pk)
    assert deleted.target_repr == "new_officer"
    # The entries about the account survive it.
    assert AuditEntry.objects.filter(target_id=str(pk), action="user_created").exists()


def test_entries_outlive_their_actor(client, make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    mark = since()
    login(client, "mishu_officer", PASSWORD)
    [entry] = mark.entries()
    client.logout()
    officer.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_username == "mishu_officer"


def test_group_membership_added_and_removed(make_user, since):
    officer = make_user("mishu_officer")
    group = Group.objects.get(name="秘书科-信息员")
    other = Group.objects.get(name="文书科-信息员")
    mark = since()
    officer.groups.add(group, other)
    [added] = mark.entries()
    assert added.action == "groups_added" and added.target_id == str(officer.pk)
    assert {g["name"] for g in added.detail["groups"]} == {"秘书科-信息员", "文书科-信息员"}
    assert "秘书科-信息员" in added.summary

    mark = since()
    officer.groups.remove(other, Group.objects.get(name="督查室-信息员"))  # one not a member
    [removed] = mark.entries()
    assert removed.action == "groups_removed"
    assert [g["name"] for g in removed.detail["groups"]] == ["文书科-信息员"]

    mark = since()
    officer.groups.add(group)  # already a member: nothing changes, nothing recorded
    assert mark.actions() == []


def test_membership_changed_from_the_groups_side_names_each_account(make_user, since):
    first, second = make_user("first_officer"), make_user("second_officer")
    group = Group.objects.get(name="秘书科-信息员")
    mark = since()
    group.user_set.add(first, second)
    entries = mark.entries()
    assert [e.action for e in entries] == ["groups_added", "groups_added"]
    assert {e.target_repr for e in entries} == {"first_officer", "second_officer"}
    mark = since()
    group.user_set.clear()
    assert sorted(e.target_repr for e in mark.entries(action="groups_removed")) == [
        "first_officer",
        "second_officer",
    ]


def test_user_and_group_permissions(make_user, since):
    officer = make_user("mishu_officer")
    permission = Permission.objects.get(codename="view_section")
    group = Group.objects.create(name="临时用户组")
    mark = since()
    officer.user_permissions.add(permission)
    group.permissions.add(permission)
    group.permissions.remove(permission)
    user_added, group_added, group_removed = mark.entries()
    assert user_added.action == "user_permissions_added"
    assert user_added.detail["permissions"][0]["codename"] == "sections.view_section"
    assert group_added.action == "group_permissions_added"
    assert group_added.target_repr == "临时用户组"
    assert group_removed.action == "group_permissions_removed"
    assert group_added.category == group_removed.category == Category.ACCOUNTS


def test_groups_created_renamed_and_deleted(make_user, since):
    member = make_user("member")
    mark = since()
    group = Group.objects.create(name="临时用户组")
    group.user_set.add(member)
    group.name = "临时用户组（改）"
    group.save()
    group.delete()
    actions = mark.actions()
    assert actions == ["group_created", "groups_added", "group_renamed", "group_deleted"]
    deleted = mark.entries(action="group_deleted")[0]
    assert deleted.detail == {"name": "临时用户组（改）", "members": ["member"]}


def test_page_and_collection_permissions_granted_and_revoked_in_code(site_tree, since):
    group = Group.objects.create(name="临时用户组")
    column = sub_column("领导重要讲话")
    change_page = Permission.objects.get(codename="change_page")
    add_image = Permission.objects.get(codename="add_image")
    mark = since()
    granted = GroupPagePermission.objects.create(group=group, page=column, permission=change_page)
    GroupCollectionPermission.objects.create(
        group=group, collection=Collection.get_first_root_node(), permission=add_image
    )
    granted.delete()
    page_granted, collection_granted, page_revoked = mark.entries()
    assert page_granted.action == "page_permission_granted"
    assert page_granted.target_repr == "临时用户组"
    assert page_granted.detail["page"]["id"] == column.pk
    assert page_granted.detail["permission"]["codename"] == "change_page"
    assert "领导重要讲话" in page_granted.summary
    assert collection_granted.action == "collection_permission_granted"
    assert collection_granted.detail["permission"]["codename"] == "wagtailimages.add_image"
    assert page_revoked.action == "page_permission_revoked"


def _management_forms(html):
    """Every formset's management form on the page, emptied (no forms)."""
    data = {}
    for name in re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"', html):
        data[name] = "1000" if name.endswith("MAX_NUM_FORMS") else "0"
    return data


def test_page_permissions_set_in_wagtails_group_editor_are_recorded(client, make_user, since):
    """Wagtail's group editor writes page permissions with bulk_create (no signal): they are
    found by comparing the group before and after the request."""
    admin = make_user("root", superuser=True)
    group = Group.objects.create(name="临时用户组")
    column = sub_column("领导重要讲话")
    client.force_login(admin)
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    data = _management_forms(client.get(url).content.decode())
    data.update(
        {
            "name": "临时用户组",
            "page_permissions-TOTAL_FORMS": "1",
            "page_permissions-0-page": str(column.pk),
            "page_permissions-0-permissions": ["add_page", "change_page"],
        }
    )
    mark = since()
    response = client.post(url, data, **CLIENT)
    assert response.status_code == 302, response.content.decode()[:3000]
    granted = mark.entries(action="page_permission_granted")
    assert sorted(e.detail["permission"]["codename"] for e in granted) == [
        "add_page",
        "change_page",
    ]
    assert all(e.actor == admin and e.ip_address == "203.0.113.7" for e in granted)
    assert {e.detail["page"]["id"] for e in granted} == {column.pk}

    data["page_permissions-INITIAL_FORMS"] = "0"
    data["page_permissions-0-permissions"] = ["change_page"]
    mark = since()
    client.post(url, data, **CLIENT)
    [revoked] = mark.entries(action="page_permission_revoked")
    assert revoked.detail["permission"]["codename"] == "add_page"
    assert mark.entries(action="page_permission_granted") == []


# 内容 and 审核流程 -----------------------------------------------------------------------------


def review(client, reviewer, page, action):
    state = WorkflowState.objects.for_instance(page).get(status=WorkflowState.STATUS_IN_PROGRESS)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, action, state.current_task_state.pk],
    )
    client.force_login(reviewer)
    assert client.post(url, {"comment": "同意"}, **CLIENT).status_code == 302


def test_publishing_through_the_review_chain_is_recorded(client, make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    chief = make_user("mishu_chief", "秘书科-科长")
    director = make_user("director_a", roles.DIRECTORS, supervises=["秘书科", "文书科"])
    page = add_article(sub_column("领导重要讲话"), title="专题会议", owner=officer, publish=False)
    mark = since()
    first_log = PageLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    client.force_login(officer)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**article_form("专题会议"), "action-submit": "submit"},
        **CLIENT,
    )
    assert response.status_code == 302
    review(client, chief, page, "approve")
    review(client, director, page, "approve")
    page.refresh_from_db()
    assert page.live

    mirrored = [e for e in mark.entries() if e.detail.get("log_entry")]
    logged = list(PageLogEntry.objects.filter(pk__gt=first_log).order_by("pk"))
    # Every entry of Wagtail's log, once, in order.
    assert [e.detail["log_entry"]["id"] for e in mirrored] == [entry.pk for entry in logged]
    assert [e.action for e in mirrored] == [entry.action for entry in logged]

    workflow = [e for e in mirrored if e.category == Category.WORKFLOW]
    assert {e.action for e in workflow} >= {"wagtail.workflow.start", "wagtail.workflow.approve"}
    approvals = [e for e in workflow if e.action == "wagtail.workflow.approve"]
    assert [e.actor for e in approvals][-2:] == [chief, director]
    assert all(e.ip_address == "203.0.113.7" for e in approvals)

    [published] = [e for e in mirrored if e.action == "wagtail.publish"]
    assert published.category == Category.CONTENT and published.action_label
    assert published.actor == director
    assert published.target_id == str(page.pk) and published.target_repr == "专题会议"
    assert published.target_content_type == ContentType.objects.get_for_model(page.specific)
    assert published.ip_address == "203.0.113.7"


def test_an_unpublish_request_is_part_of_the_review_chain(make_user, since):
    officer = make_user("mishu_officer", "秘书科-信息员")
    page = add_article(sub_column("领导重要讲话"), title="过时的通知", owner=officer)
    mark = since()
    change_actions.file_request(officer, page, ChangeKind.UNPUBLISH, "信息已过时效")
    [entry] = mark.entries()
    assert entry.action == "govsite.change_request.file" and entry.category == Category.WORKFLOW
    assert entry.actor == officer and entry.target_id == str(page.pk)
    assert entry.detail["data"]["change_request"]["reason"] == "信息已过时效"


def test_a_letters_steps_are_recorded_without_the_writers_address(make_user, since):
    office = make_user("zonghe_officer", "综合科-信息员")  # 综合科 owns 沟通信箱
    mark = since()
    letter, _code = cases.receive(name="张三", subject="路灯不亮", text="某路段路灯不亮。")
    cases.classify(letter, office, Letter.Scope.GOVERNMENT)
    received, classified = mark.entries()
    assert received.action == "mailbox.received" and received.action_label == "收到来信"
    assert received.category == Category.MAILBOX and received.actor is None
    assert received.ip_address is None and received.user_agent == ""
    assert received.target_repr == letter.tracking_number
    assert classified.action == "mailbox.classified" and classified.actor == office
    assert classified.summary == "涉及政府工作"
