"""Logins through the login form from a given address, the clock moved on, codes computed as an
authenticator app computes them."""

import re
from base64 import b32decode
from contextlib import contextmanager
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import F
from django.urls import reverse
from django_otp.oath import totp

from govsite.columns.signals import site_bootstrapped
from govsite.conftest import waive_second_factor_for_tests
from govsite.testing.helpers import PASSWORD

LOCKOUT_MESSAGE = "登录失败次数过多，账号已锁定，请 30 分钟后再试或联系安全管理员"
WRONG_PASSWORD = "Wrong-Passw0rd-2026!"
WAIVER_UID = "govsite.conftest.waive_second_factor"


def login(client, username, password=PASSWORD, ip="198.51.100.7", **extra):
    """Sign in through the admin's login form, as a browser at ``ip`` does."""
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password, "next": reverse("wagtailadmin_home")},
        REMOTE_ADDR=ip,
        **extra,
    )


def fail(client, username, times=1, ip="198.51.100.7", **extra):
    responses = [login(client, username, WRONG_PASSWORD, ip=ip, **extra) for _ in range(times)]
    return responses[-1]


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def move_clock(minutes):
    """Let ``minutes`` pass for the lockout: every recorded failure becomes that much older."""
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def secret_on_page(html):
    """The base32 secret the enrollment page shows as text."""
    match = re.search(r'id="otp-secret"[^>]*>([A-Z2-7 ]+)<', html)
    assert match, "the enrollment page shows the secret as text"
    return match.group(1).replace(" ", "")


def code_for(secret, offset_steps=0):
    """The six digits an authenticator app shows for ``secret`` now (or steps later)."""
    return f"{totp(b32decode(secret), drift=offset_steps):06d}"


def code_of(device, offset_steps=0):
    return f"{totp(device.bin_key, drift=offset_steps):06d}"


def release_throttle(device):
    """Let the wait that a wrong code imposed on ``device`` pass."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def actions(events):
    return [event[0] for event in events]


@contextmanager
def bootstrap_as_deployed():
    """``bootstrap_site`` without the general suite's waiver (govsite/conftest.py)."""
    site_bootstrapped.disconnect(dispatch_uid=WAIVER_UID)
    try:
        yield
    finally:
        site_bootstrapped.connect(waive_second_factor_for_tests, dispatch_uid=WAIVER_UID)
