"""R-SEC-3 second factor: enrollment with an authenticator app, a code once per session for the
policy's groups, recovery codes, throttling (R-SEC-5), resets."""

import re
from base64 import b32encode
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from govsite.sections import roles
from govsite.security import devices

from .helpers import actions, code_for, code_of, release_throttle, secret_on_page

pytestmark = pytest.mark.django_db

HOME = "/admin/"
ENROLL = "/admin/security/otp/enroll/"
VERIFY = "/admin/security/otp/verify/"


@pytest.fixture
def chief(make_user):
    return make_user("chief_zhou", "秘书科-科长")


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name=devices.TOTP_NAME, confirmed=True)


def wrong_code(device):
    accepted = {code_of(device, offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def redirected_to(response, url, next_url):
    return (
        response.status_code == 302
        and response["Location"] == f"{url}?next={quote(next_url, safe='')}"
    )


def verified_client(user):
    """A browser session of ``user`` past the password and the code."""
    client = Client()
    device = devices.confirmed_totp(user) or enrolled(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_of(device), "next": HOME})
    assert response.status_code == 302, response.content.decode()
    return client


def test_the_bootstrap_policy_requires_chiefs_directors_and_the_three_administrators(
    twofactor_policy, role_users
):
    from govsite.security.rules import requires_second_factor

    required = {name for name, user in role_users.items() if requires_second_factor(user)}
    assert required == {
        "秘书科-科长",
        "文书科-科长",
        "综合科-科长",
        "督查室-科长",
        "信息中心-科长",
        "主管主任(秘书科、文书科)",
        "主管主任(综合科、督查室、信息中心)",
        roles.SYSTEM_ADMINS,
        roles.SECURITY_ADMINS,
        roles.AUDIT_ADMINS,
    }


def test_a_chief_sets_up_the_authenticator_before_any_admin_page(
    client, chief, twofactor_policy, security_events
):
    client.force_login(chief)
    response = client.get(HOME)
    assert redirected_to(response, ENROLL, HOME)

    html = client.get(response["Location"]).content.decode()
    assert "<svg" in html and "设置双因素认证" in html and "微信" in html
    secret = secret_on_page(html)
    device = TOTPDevice.objects.get(user=chief, confirmed=False)
    assert secret == b32encode(device.bin_key).decode()
    assert f"secret={secret}" in device.config_url
    assert secret_on_page(client.get(ENROLL).content.decode()) == secret, "a reload keeps it"

    response = client.post(ENROLL, {"code": code_for(secret), "next": HOME})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", response.content.decode())
    assert len(set(codes)) == 10
    assert "只显示这一次" in response.content.decode()
    assert client.get(HOME).status_code == 200
    assert actions(security_events) == ["otp_enrolled", "recovery_codes_generated"]
    assert security_events[0][2] == chief


def test_a_wrong_code_does_not_confirm_the_authenticator(
    client, chief, twofactor_policy, security_events
):
    client.force_login(chief)
    client.get(ENROLL)
    device = TOTPDevice.objects.get(user=chief)
    response = client.post(ENROLL, {"code": wrong_code(device), "next": HOME})
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert redirected_to(client.get(HOME), ENROLL, HOME)
    assert actions(security_events) == ["otp_failed"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/mailbox/",
        "/admin/account/",
        "/admin/images/",
        "/admin/security/otp/",
    ],
)
def test_every_admin_page_waits_for_the_code(client, chief, twofactor_policy, url):
    enrolled(chief)
    client.force_login(chief)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")


def test_signing_in_and_out_are_not_held_up(client, chief, twofactor_policy):
    enrolled(chief)
    client.force_login(chief)
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
    assert not client.get(reverse("wagtailadmin_login"))["Location"].startswith(VERIFY)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response["Location"] == reverse("wagtailadmin_login")
    assert "_auth_user_id" not in client.session


def test_a_new_session_must_enter_a_code(client, chief, twofactor_policy, security_events):
    device = enrolled(chief)
    client.force_login(chief)
    assert redirected_to(client.get("/admin/account/"), VERIFY, "/admin/account/")

    response = client.post(VERIFY, {"code": wrong_code(device), "next": "/admin/account/"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert client.get("/admin/account/").status_code == 302

    release_throttle(device)
    response = client.post(VERIFY, {"code": code_of(device), "next": "/admin/account/"})
    assert response.status_code == 302 and response["Location"] == "/admin/account/"
    assert client.get("/admin/account/").status_code == 200
    assert actions(security_events) == ["otp_failed", "otp_verified"]
    assert security_events[1][3] == {"method": "totp"}

    other_browser = Client()
    other_browser.force_login(chief)
    assert other_browser.get(HOME).status_code == 302, "each session enters its own code"


def test_a_code_is_accepted_once(chief, twofactor_policy):
    device = enrolled(chief)
    code = code_of(device)
    first = Client()
    first.force_login(chief)
    assert first.post(VERIFY, {"code": code, "next": HOME}).status_code == 302
    second = Client()
    second.force_login(chief)
    response = second.post(VERIFY, {"code": code, "next": HOME})
    assert "验证码不正确" in response.content.decode()


def test_a_recovery_code_works_once(chief, twofactor_policy, security_events):
    enrolled(chief)
    codes = devices.new_recovery_codes(chief)
    first = Client()
    first.force_login(chief)
    response = first.post(VERIFY, {"code": codes[0].upper(), "next": HOME}, follow=True)
    assert response.status_code == 200
    assert "您使用了一个恢复码，还剩 9 个" in response.content.decode()
    assert actions(security_events) == ["otp_verified", "recovery_code_used"]
    assert security_events[1][3] == {"left": 9}

    second = Client()
    second.force_login(chief)
    response = second.post(VERIFY, {"code": codes[0], "next": HOME})
    assert "验证码或恢复码不正确" in response.content.decode()
    release_throttle(StaticDevice.objects.get(user=chief))
    assert second.post(VERIFY, {"code": codes[1], "next": HOME}).status_code == 302


@override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
def test_guessing_codes_is_throttled(client, chief, twofactor_policy):
    """R-SEC-5: after each wrong code the next one is not even checked for a while, the wait
    doubling each time (60 s, 120 s, 240 s … with this factor; 1 s, 2 s, 4 s … by default)."""
    device = enrolled(chief)
    client.force_login(chief)
    for failures in range(1, 5):
        client.post(VERIFY, {"code": wrong_code(device), "next": HOME})
        device.refresh_from_db()
        assert device.throttling_failure_count == failures
        response = client.post(VERIFY, {"code": code_of(device), "next": HOME})
        assert "错误次数过多，请于" in response.content.decode(), "even the right code waits"
        device.refresh_from_db()
        assert device.throttling_failure_count == failures, "a refused try is not counted"
        wait = 60 * 2 ** (failures - 1)
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=device.throttling_failure_timestamp
            - timedelta(seconds=wait)
        )
    assert client.post(VERIFY, {"code": code_of(device), "next": HOME}).status_code == 302


def test_the_enrollment_page_cannot_add_a_second_authenticator(client, chief, twofactor_policy):
    """Whoever holds only the password cannot set up their own phone on an enrolled account."""
    enrolled(chief)
    client.force_login(chief)
    assert redirected_to(client.get(ENROLL), VERIFY, HOME)
    client.post(ENROLL, {"code": "123456", "next": HOME})
    assert TOTPDevice.objects.filter(user=chief).count() == 1


def test_next_must_stay_on_the_site(client, chief, twofactor_policy):
    device = enrolled(chief)
    client.force_login(chief)
    response = client.post(VERIFY, {"code": code_of(device), "next": "https://evil.example/"})
    assert response["Location"] == HOME


def test_the_security_admin_reset_forces_a_new_enrollment(
    chief, role_users, twofactor_policy, security_events
):
    chief_browser = verified_client(chief)
    assert chief_browser.get(HOME).status_code == 200
    devices.new_recovery_codes(chief)

    admin = role_users[roles.SECURITY_ADMINS]
    admin_browser = verified_client(admin)
    listing = admin_browser.get(reverse("security_twofactor_accounts")).content.decode()
    assert chief.username in listing and "已启用" in listing
    response = admin_browser.post(reverse("security_twofactor_accounts"), {"user": chief.pk})
    assert response.status_code == 302

    assert not TOTPDevice.objects.filter(user=chief).exists()
    assert not StaticDevice.objects.filter(user=chief).exists()
    assert redirected_to(chief_browser.get(HOME), ENROLL, HOME)
    assert ("otp_reset", admin, chief, {}) in security_events


def test_other_groups_are_not_asked(client, make_user, twofactor_policy):
    officer = make_user("mishu_officer", "秘书科-信息员")
    client.force_login(officer)
    assert client.get(HOME).status_code == 200
    assert client.get(VERIFY)["Location"] == HOME


def test_the_policy_decides_who_is_asked(client, chief, twofactor_policy):
    twofactor_policy.twofactor_groups.remove(chief.groups.get())
    client.force_login(chief)
    assert client.get(HOME).status_code == 200


def test_superusers_are_asked_unless_the_policy_waives_it(client, make_user, twofactor_policy):
    root = make_user("root", superuser=True)
    client.force_login(root)
    assert redirected_to(client.get(HOME), ENROLL, HOME)
    twofactor_policy.twofactor_superusers = False
    twofactor_policy.save()
    assert client.get(HOME).status_code == 200


def test_the_officer_renews_recovery_codes(chief, twofactor_policy, security_events):
    browser = verified_client(chief)
    old = devices.new_recovery_codes(chief)
    page = browser.get(reverse("security_otp_settings")).content.decode()
    assert "剩余恢复码：10 个" in page
    response = browser.post(reverse("security_otp_settings"), {"action": "codes"})
    new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert "以前的恢复码已全部作废" in response.content.decode()
    assert actions(security_events)[-1] == "recovery_codes_generated"

    later = Client()
    later.force_login(chief)
    assert "不正确" in later.post(VERIFY, {"code": old[0], "next": HOME}).content.decode()


def test_the_officer_replaces_the_phone(chief, twofactor_policy, security_events):
    browser = verified_client(chief)
    response = browser.post(reverse("security_otp_settings"), {"action": "replace"})
    assert response["Location"].startswith(ENROLL)
    assert not TOTPDevice.objects.filter(user=chief, confirmed=True).exists()
    assert redirected_to(browser.get(HOME), ENROLL, HOME)
    assert ("otp_reset", chief, chief, {"by": "self"}) in security_events


def test_the_officers_own_page_needs_the_code(client, chief, twofactor_policy):
    enrolled(chief)
    client.force_login(chief)
    response = client.post(reverse("security_otp_settings"), {"action": "codes"})
    assert response["Location"].startswith(VERIFY)
    assert not StaticDevice.objects.filter(user=chief).exists()


def test_the_account_page_links_to_the_second_factor(chief, twofactor_policy):
    browser = verified_client(chief)
    html = browser.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("security_otp_settings") in html and "双因素认证" in html
