"""The screens of 安全管理员 (三员分立): the security policy, lockouts, second-factor resets —
for 安全管理员 and superusers only, checked in the views, not only in the menu."""

import pytest
from django.urls import reverse

from govsite.sections import roles
from govsite.security.models import SecurityPolicy

from .helpers import actions

pytestmark = pytest.mark.django_db

POLICY_URL = "/admin/settings/security/securitypolicy/"
LOCKOUTS_URL = "/admin/security/lockouts/"
TWOFACTOR_URL = "/admin/security/twofactor/"

OTHERS = [
    roles.SYSTEM_ADMINS,
    roles.AUDIT_ADMINS,
    roles.SITE_MANAGERS,
    "秘书科-信息员",
    "秘书科-科长",
    "主管主任(秘书科、文书科)",
]


def policy_form(policy, **changes):
    """The policy's edit form as the browser sends it, with ``changes``."""
    data = {
        name: getattr(policy, name)
        for name in (
            "password_max_age_days",
            "password_warning_days",
            "password_history",
            "lockout_failures",
            "lockout_window_minutes",
            "lockout_minutes",
            "idle_timeout_minutes",
            "session_max_hours",
            "audit_retention_days",
        )
    }
    data["twofactor_groups"] = [group.pk for group in policy.twofactor_groups.all()]
    if policy.single_session:
        data["single_session"] = "on"
    if policy.twofactor_superusers:
        data["twofactor_superusers"] = "on"
    data.update(changes)
    return data


def denied(response):
    """Wagtail's answer to a page the user may not see: 403 to a script, and to a browser the
    dashboard with "抱歉，您没有权限访问该区域"."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def policy_edit_url():
    return f"{POLICY_URL}{SecurityPolicy.load().pk}/"


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_get_403_on_every_security_screen(client, role_users, role):
    client.force_login(role_users[role])
    policy = SecurityPolicy.load()
    before = policy_form(policy)
    assert denied(client.get(LOCKOUTS_URL))
    assert denied(client.post(LOCKOUTS_URL, {"kind": "username", "value": "x"}))
    assert denied(client.get(TWOFACTOR_URL))
    target = role_users["秘书科-科长"]
    assert denied(client.post(TWOFACTOR_URL, {"user": target.pk}))
    assert denied(client.get(policy_edit_url()))
    assert denied(client.post(policy_edit_url(), policy_form(policy, lockout_minutes=600)))
    for url in (LOCKOUTS_URL, TWOFACTOR_URL, policy_edit_url()):
        assert client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403
    assert policy_form(SecurityPolicy.load()) == before


def test_the_refusal_is_explained(client, role_users):
    client.force_login(role_users[roles.SYSTEM_ADMINS])
    response = client.get(LOCKOUTS_URL, follow=True)
    assert "没有权限" in response.content.decode()


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_do_not_see_the_menu(client, role_users, role):
    client.force_login(role_users[role])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert LOCKOUTS_URL not in html and TWOFACTOR_URL not in html


def test_the_security_admin_sees_the_menu_and_every_screen(client, role_users):
    client.force_login(role_users[roles.SECURITY_ADMINS])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert LOCKOUTS_URL in html and TWOFACTOR_URL in html and POLICY_URL in html
    assert client.get(LOCKOUTS_URL).status_code == 200
    assert client.get(TWOFACTOR_URL).status_code == 200
    page = client.get(policy_edit_url())
    assert page.status_code == 200 and "锁定时长（分钟）" in page.content.decode()


def test_a_superuser_may_use_the_screens(client, make_user):
    client.force_login(make_user("root", superuser=True))
    assert client.get(LOCKOUTS_URL).status_code == 200
    assert client.get(TWOFACTOR_URL).status_code == 200
    assert client.get(policy_edit_url()).status_code == 200


def test_the_security_admin_changes_the_policy(client, role_users, security_events):
    admin = role_users[roles.SECURITY_ADMINS]
    client.force_login(admin)
    policy = SecurityPolicy.load()
    directors = role_users["主管主任(秘书科、文书科)"].groups.get()
    response = client.post(
        policy_edit_url(),
        policy_form(policy, lockout_minutes=60, twofactor_groups=[directors.pk]),
    )
    assert response.status_code == 302
    policy = SecurityPolicy.load()
    assert policy.lockout_minutes == 60
    assert list(policy.twofactor_groups.all()) == [directors]
    assert actions(security_events) == ["policy_changed"]
    _, actor, target, detail = security_events[0]
    assert actor == admin and target is None
    assert detail["changes"] == {
        "锁定时长（分钟）": {"before": 30, "after": 60},
        "须使用双因素认证的用户组": {"before": [], "after": [directors.name]},
    }


def test_saving_an_unchanged_policy_records_nothing(client, role_users, security_events):
    client.force_login(role_users[roles.SECURITY_ADMINS])
    client.post(policy_edit_url(), policy_form(SecurityPolicy.load()))
    assert security_events == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lockout_minutes", 10, "确保该值大于或等于30"),
        ("lockout_failures", 10, "确保该值小于或等于5"),
        ("lockout_window_minutes", 5, "确保该值大于或等于15"),
        ("audit_retention_days", 90, "确保该值大于或等于180"),
    ],
)
def test_the_policy_cannot_be_made_weaker_than_the_floors(
    client, role_users, security_events, field, value, message
):
    client.force_login(role_users[roles.SECURITY_ADMINS])
    before = policy_form(SecurityPolicy.load())
    response = client.post(policy_edit_url(), policy_form(SecurityPolicy.load(), **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode().replace(" ", "")
    assert policy_form(SecurityPolicy.load()) == before
    assert security_events == []


def test_the_twofactor_list_shows_each_accounts_state(client, role_users, twofactor_policy):
    from govsite.security import devices
    from govsite.security.tests.test_second_factor import enrolled

    chief = role_users["秘书科-科长"]
    enrolled(chief)
    devices.new_recovery_codes(chief)
    root = role_users[roles.SECURITY_ADMINS]
    twofactor_policy.twofactor_groups.remove(root.groups.get())
    client.force_login(root)
    html = client.get(TWOFACTOR_URL, {"q": chief.username}).content.decode()
    assert chief.username in html and "已启用" in html and "重置双因素认证" in html
    assert role_users["秘书科-信息员"].username not in html
    html = client.get(TWOFACTOR_URL, {"q": "officer"}).content.decode()
    assert "未设置" in html and "重置双因素认证" not in html
