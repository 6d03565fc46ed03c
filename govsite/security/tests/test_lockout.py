"""R-SEC-3 login lockout and R-SEC-5 brute force of the login, through the admin's login form."""

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessFailureLog
from django.test import override_settings
from django.urls import reverse

from govsite.sections import roles
from govsite.security import lockout
from govsite.security.models import SecurityPolicy

from .helpers import LOCKOUT_MESSAGE, WRONG_PASSWORD, actions, fail, login, move_clock, signed_in

pytestmark = pytest.mark.django_db

OFFICE = "198.51.100.7"
ELSEWHERE = "203.0.113.20"


@pytest.fixture
def officer(make_user):
    return make_user("li_xxy", "秘书科-信息员")


@pytest.fixture
def colleague(make_user):
    return make_user("wang_xxy", "文书科-信息员")


def locked_out(response):
    return response.status_code == 429 and LOCKOUT_MESSAGE in response.content.decode()


def test_four_failures_do_not_lock(client, officer):
    response = fail(client, officer.username, times=4)
    assert response.status_code == 200
    assert LOCKOUT_MESSAGE not in response.content.decode()
    assert signed_in(login(client, officer.username))


def test_the_fifth_failure_within_the_window_locks_the_account(client, officer):
    fail(client, officer.username, times=4)
    fifth = fail(client, officer.username)
    assert locked_out(fifth), "the failure that completes the count already says so"
    # Now even the right password is refused, from the same address and from any other.
    assert locked_out(login(client, officer.username))
    assert locked_out(login(client, officer.username, ip=ELSEWHERE))
    assert "_auth_user_id" not in client.session


def test_the_window_slides(client, officer):
    fail(client, officer.username, times=3)
    move_clock(minutes=10)
    fail(client, officer.username, times=2)  # five within 10 minutes
    assert locked_out(login(client, officer.username))


def test_failures_older_than_the_window_do_not_count(client, officer):
    fail(client, officer.username, times=4)
    move_clock(minutes=16)
    assert not locked_out(fail(client, officer.username))
    assert signed_in(login(client, officer.username))


def test_the_address_is_locked_for_every_account(client, officer, colleague):
    fail(client, officer.username, times=5, ip=OFFICE)
    assert locked_out(login(client, colleague.username, ip=OFFICE))
    assert signed_in(login(client, colleague.username, ip=ELSEWHERE))


def test_unknown_usernames_lock_the_address(client, colleague):
    for n in range(5):
        login(client, f"guess{n}", WRONG_PASSWORD, ip=OFFICE)
    assert locked_out(login(client, colleague.username, ip=OFFICE))


def test_the_lockout_page_is_the_login_form_in_chinese(client, officer):
    response = fail(client, officer.username, times=5)
    html = response.content.decode()
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in html
    assert 'name="username"' in html and 'name="password"' in html
    assert "不匹配" not in html  # not the "wrong password" message
    assert "Account locked" not in html


def test_the_policy_sets_the_lockout_time(client, officer):
    policy = SecurityPolicy.load()
    policy.lockout_minutes = 60
    policy.save()
    fail(client, officer.username, times=5)
    move_clock(minutes=45)
    response = login(client, officer.username)
    assert response.status_code == 429
    assert (
        "登录失败次数过多，账号已锁定，请 60 分钟后再试或联系安全管理员"
        in response.content.decode()
    )
    move_clock(minutes=16)
    assert signed_in(login(client, officer.username))


def test_the_lockout_lifts_after_the_cool_off(client, officer):
    fail(client, officer.username, times=5)
    move_clock(minutes=29)
    assert locked_out(login(client, officer.username))
    move_clock(minutes=2)
    assert signed_in(login(client, officer.username))


def test_attempts_during_a_lockout_do_not_prolong_it(client, officer):
    fail(client, officer.username, times=5)
    move_clock(minutes=20)
    assert locked_out(fail(client, officer.username, times=3))
    move_clock(minutes=11)
    assert signed_in(login(client, officer.username))


def test_brute_force_of_the_login_hits_the_limit(client, officer):
    """R-SEC-5: a run of guesses gets five tries; the rest, the right password among them, are
    refused without being checked."""
    responses = [login(client, officer.username, f"Guess-{n:04d}-Passw0rd") for n in range(40)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert all(locked_out(r) for r in responses[4:])
    assert locked_out(login(client, officer.username))
    assert AccessFailureLog.objects.filter(username=officer.username).count() == 5


def test_the_lockout_is_kept_in_the_database(client, officer):
    """A restart (a fresh handler, an empty cache) or another app server sees the lockout."""
    from django.core.cache import cache

    fail(client, officer.username, times=5)
    cache.clear()
    AxesProxyHandler.get_implementation(force=True)
    assert locked_out(login(client, officer.username))


@override_settings(GOVSITE_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_locked(client, officer, colleague):
    proxy = "10.0.0.2"
    fail(client, officer.username, times=5, ip=proxy, HTTP_X_FORWARDED_FOR=OFFICE)
    assert AccessFailureLog.objects.filter(ip_address=OFFICE).count() == 5
    # Another visitor through the same proxy is not locked out with them...
    assert signed_in(login(client, colleague.username, ip=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE))
    # ...and a forged header in front of the proxy's entry does not free the address.
    forged = f"192.0.2.99, {OFFICE}"
    assert locked_out(login(client, colleague.username, ip=proxy, HTTP_X_FORWARDED_FOR=forged))


@override_settings(GOVSITE_PROXY_COUNT=0)
def test_without_a_proxy_the_forwarded_header_is_ignored(client, officer):
    for n in range(5):
        fail(client, officer.username, ip=OFFICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_security_admin_unlocks_an_account(client, officer, role_users, security_events):
    fail(client, officer.username, times=5, ip=OFFICE)
    admin = role_users[roles.SECURITY_ADMINS]
    client.force_login(admin)
    page = client.get(reverse("security_lockouts")).content.decode()
    assert officer.username in page and OFFICE in page and "解除锁定" in page

    response = client.post(
        reverse("security_lockouts"), {"kind": lockout.ACCOUNT, "value": officer.username}
    )
    assert response.status_code == 302
    client.logout()
    assert signed_in(login(client, officer.username, ip=OFFICE))
    assert lockout.current_lockouts() == []
    assert ("unlocked", admin, officer, {"username": officer.username}) in security_events


def test_security_admin_unlocks_an_address(client, role_users, colleague, security_events):
    for n in range(5):
        login(client, f"guess{n}", WRONG_PASSWORD, ip=OFFICE)
    client.force_login(role_users[roles.SECURITY_ADMINS])
    client.post(reverse("security_lockouts"), {"kind": lockout.ADDRESS, "value": OFFICE})
    client.logout()
    assert signed_in(login(client, colleague.username, ip=OFFICE))
    assert actions(security_events) == ["unlocked"]
    assert security_events[0][3] == {"ip_address": OFFICE}


def test_the_lockout_list(client, officer, role_users):
    fail(client, officer.username, times=5, ip=OFFICE)
    found = {(item.kind, item.value): item for item in lockout.current_lockouts()}
    account = found[(lockout.ACCOUNT, officer.username)]
    address = found[(lockout.ADDRESS, OFFICE)]
    assert account.failures == address.failures == 5
    assert account.others == [OFFICE] and address.others == [officer.username]
    first = AccessFailureLog.objects.order_by("attempt_time").last().attempt_time
    assert abs((account.until - first).total_seconds() - 30 * 60) < 1
    move_clock(minutes=31)
    assert lockout.current_lockouts() == []


def test_lock_end_is_a_sliding_window():
    from datetime import datetime, timedelta

    policy = SecurityPolicy(lockout_failures=5, lockout_window_minutes=15, lockout_minutes=30)
    start = datetime(2026, 11, 2, 9, 0)
    every_ten_minutes = [start + timedelta(minutes=10 * n) for n in range(6)]
    assert lockout.lock_end(every_ten_minutes, policy) is None
    bunched = [start + timedelta(minutes=n) for n in (0, 3, 7, 11, 15)]
    assert lockout.lock_end(bunched, policy) == start + timedelta(minutes=45)
    spread = [start + timedelta(minutes=n) for n in (0, 3, 7, 11, 16)]
    assert lockout.lock_end(spread, policy) is None


def test_a_lockout_outside_the_login_form_gets_a_page_of_its_own(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/elsewhere/")
    request.user = AnonymousUser()
    response = lockout.lockout_response(request)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKOUT_MESSAGE in html and reverse("wagtailadmin_login") in html
