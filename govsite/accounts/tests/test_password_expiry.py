"""R-SEC-2 (第二十条): passwords expire after the policy's 90 days with a warning 7 days ahead;
a password set by an administrator (a new account, a reset) is changed at the next login;
accounts created in code are not forced. Time is moved by dating the password back."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from govsite.accounts.models import PasswordHistory
from govsite.testing.helpers import PASSWORD

from .conftest import actions, login

NEW = "Qiu-Tian-Hui-Yi-2026"
OFFICERS = "文书科-信息员"
CHANGE_URL = "/admin/accounts/password/"


def date_password_back(user, days):
    get_user_model().objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=days)
    )


def change_password(client, old=PASSWORD, new=NEW, next_url=""):
    return client.post(
        reverse("accounts_password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new, "next": next_url},
    )


@pytest.fixture
def officer(make_user):
    return make_user("mishu_xxy", "秘书科-信息员")


@pytest.mark.django_db
def test_a_password_set_in_code_starts_the_clock_and_is_not_forced(officer, client):
    assert reverse("accounts_password_change") == CHANGE_URL
    assert officer.password_changed_at is not None
    assert timezone.now() - officer.password_changed_at < timedelta(minutes=1)
    assert officer.must_change_password is False
    assert PasswordHistory.objects.of(officer).count() == 1
    client.force_login(officer)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_warning_from_seven_days_before_expiry(officer, client):
    date_password_back(officer, 82)  # 8 days left: no warning yet
    client.force_login(officer)
    html = client.get("/admin/").content.decode()
    assert "过期" not in html

    date_password_back(officer, 85)  # 5 days left
    client.force_login(officer)
    html = client.get("/admin/").content.decode()
    assert "您的密码将于 5 天后过期，请尽快修改。" in html  # the message, once per login...
    assert "账号安全" in html  # ...and the dashboard panel
    html = client.get("/admin/").content.decode()
    assert html.count("您的密码将于 5 天后过期") == 1  # the panel only
    assert client.get(reverse("wagtailadmin_account")).status_code == 200  # still usable


@pytest.mark.django_db
def test_the_warning_period_is_policy_data(officer, client, policy):
    policy.password_warning_days = 10
    policy.save()
    date_password_back(officer, 82)
    client.force_login(officer)
    assert "您的密码将于 8 天后过期" in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_an_expired_password_must_be_changed_before_anything_else(officer, client, events):
    date_password_back(officer, 91)
    client.force_login(officer)
    for url in ("/admin/", "/admin/pages/", reverse("wagtailadmin_account")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{CHANGE_URL}?next=")
    assert actions(events).count("password_expired") == 1  # logged once, not per request
    (_, expired), *_ = [e for e in events if e[0] == "password_expired"]
    assert expired["target"] == officer and expired["actor"] is None

    # What stays reachable: the change page, the JavaScript catalogue, signing out.
    page = client.get(CHANGE_URL)
    assert page.status_code == 200
    assert "您的密码已超过 90 天未修改，已经过期。" in page.content.decode()
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200

    response = change_password(client, next_url="/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    officer.refresh_from_db()
    assert timezone.now() - officer.password_changed_at < timedelta(minutes=1)
    assert officer.check_password(NEW)
    assert client.get("/admin/").status_code == 200  # the session survived the change
    assert "password_changed" in actions(events)


@pytest.mark.django_db
def test_the_change_page_refuses_a_bad_password_and_keeps_the_old(officer, client):
    officer.must_change_password = True
    officer.save()
    client.force_login(officer)
    response = change_password(client, new="short")
    html = response.content.decode()
    assert response.status_code == 200
    assert "密码太短：至少需要 12 个字符。" in html
    assert "管理员为您新建了账号或重置了密码" in html
    response = change_password(client, old="wrong", new=NEW)
    assert "当前密码不正确，请重新输入。" in response.content.decode()
    response = change_password(client, new=PASSWORD)
    assert "不能使用最近 5 次用过的密码（包括当前密码）。" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD) and officer.must_change_password
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_the_change_page_goes_to_no_other_site(officer, client):
    client.force_login(officer)
    response = change_password(client, next_url="https://evil.example/")
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.django_db
def test_the_max_age_is_policy_data(officer, client, policy):
    policy.password_max_age_days = 30
    policy.save()
    date_password_back(officer, 31)
    client.force_login(officer)
    assert client.get("/admin/")["Location"].startswith(CHANGE_URL)


def user_form(username, password="", **extra):
    return {
        "username": username,
        "email": f"{username}@example.cn",
        "first_name": "立新",
        "last_name": "王",
        "password1": password,
        "password2": password,
        "is_active": "on",
        **extra,
    }


@pytest.mark.django_db
def test_an_account_created_in_the_admin_changes_its_password_at_first_login(
    make_user, client, events
):
    superuser = make_user("root_admin", superuser=True)
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:add"),
        user_form("wenshu_new", "Chu-Shi-Mi-Ma-2026", groups=[Group.objects.get(name=OFFICERS).pk]),
    )
    assert response.status_code == 302
    new = get_user_model().objects.get(username="wenshu_new")
    assert new.must_change_password
    assert "password_reset" not in actions(events)  # a creation, recorded as such

    client.logout()
    response = login(client, new, "Chu-Shi-Mi-Ma-2026")
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith(CHANGE_URL)
    assert change_password(client, old="Chu-Shi-Mi-Ma-2026").status_code == 302
    new.refresh_from_db()
    assert not new.must_change_password
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_an_administrators_reset_forces_a_change(make_user, client, events, officer):
    sysadmin = make_user("sysadmin", "系统管理员")
    client.force_login(sysadmin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[officer.pk]),
        user_form("mishu_xxy", "Chong-Zhi-Mi-Ma-2026", groups=[officer.groups.get().pk]),
    )
    assert response.status_code == 302, response.content.decode()
    officer.refresh_from_db()
    assert officer.must_change_password and officer.check_password("Chong-Zhi-Mi-Ma-2026")
    (reset,) = [kwargs for action, kwargs in events if action == "password_reset"]
    assert reset["actor"] == sysadmin and reset["target"] == officer

    officer_client = type(client)()
    login(officer_client, officer, "Chong-Zhi-Mi-Ma-2026")
    assert officer_client.get("/admin/")["Location"].startswith(CHANGE_URL)


@pytest.mark.django_db
def test_editing_an_account_without_a_password_forces_nothing(make_user, client, officer):
    sysadmin = make_user("sysadmin", "系统管理员")
    client.force_login(sysadmin)
    client.post(
        reverse("wagtailusers_users:edit", args=[officer.pk]),
        user_form("mishu_xxy", groups=[officer.groups.get().pk], first_name="立军"),
    )
    officer.refresh_from_db()
    assert officer.first_name == "立军"
    assert not officer.must_change_password and officer.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_change_on_wagtails_account_page_counts_as_well(officer, client, events):
    officer.must_change_password = True
    officer.save()
    date_password_back(officer, 60)
    client.force_login(officer)
    # Forced users cannot reach the account page; a user who is not forced can use it.
    assert client.get(reverse("wagtailadmin_account")).status_code == 302
    officer.must_change_password = False
    officer.save()
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "立新",
            "name_email-last_name": "王",
            "name_email-email": "mishu_xxy@example.cn",
            "password-old_password": PASSWORD,
            "password-new_password1": NEW,
            "password-new_password2": NEW,
            "locale-preferred_language": "zh-hans",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "notifications-submitted_notifications": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(NEW)
    assert timezone.now() - officer.password_changed_at < timedelta(minutes=1)
    assert not officer.must_change_password
    changed = [kwargs for action, kwargs in events if action == "password_changed"]
    assert changed[-1]["actor"] == officer and changed[-1]["target"] == officer


@pytest.mark.django_db
def test_demo_accounts_work_with_the_readme_password(site_tree, client):
    from govsite.demo.loader import load_demo_data

    load_demo_data(accounts_only=True)
    for username in ("mishu_xxy", "xitong", "shenji"):
        user = get_user_model().objects.get(username=username)
        assert not user.must_change_password and user.password_changed_at is not None
    client.post(
        reverse("wagtailadmin_login"), {"username": "xitong", "password": "GovSite-Demo-2026"}
    )
    assert client.get("/admin/").status_code == 200
