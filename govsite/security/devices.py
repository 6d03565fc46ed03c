"""The second factor's devices (R-SEC-3), on django-otp: one authenticator app (TOTP, RFC 6238)
per account and ten single-use recovery codes.

Brute force of a code is limited by django-otp's throttling on the device: after each wrong
code the next attempt must wait 1, 2, 4, 8 … seconds (``OTP_TOTP_THROTTLE_FACTOR``,
``OTP_STATIC_THROTTLE_FACTOR``, both 1), and a TOTP code is accepted once only.
"""

import re
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"

TOTP_CODE = re.compile(r"^\d{6}$")


def confirmed_totp(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_device(user):
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def enrollment_device(user):
    """The authenticator being set up: the one already started (so that reloading the page
    keeps the secret the officer may have scanned), else a new one."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_text(device):
    """The secret as authenticator apps take it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The ``otpauth://`` address as a QR code, inline SVG (no image request, nothing leaves
    the site)."""
    code = segno.make(device.config_url, error="m")
    return mark_safe(
        code.svg_inline(scale=5, dark="#000", light="#fff", title="用身份验证器扫描此二维码")
    )  # noqa: S308


def normalise(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def throttled_until(device):
    """When ``device`` accepts a code again after wrong ones, or None if it does now."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    return (data or {}).get("locked_until") or timezone.now()


@transaction.atomic
def confirm_enrollment(device, code):
    """Confirm the authenticator with a code it shows; True when it was right."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(normalise(code)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.devices_for_user(device.user, confirmed=False).delete()
    return True


@dataclass
class Verification:
    device: object | None  # the device that accepted the code
    method: str  # "totp" or "recovery"
    throttled_until: object | None = None


def verify(user, code):
    """Check a code from the authenticator (six digits) or a recovery code."""
    code = normalise(code)
    method = "totp" if TOTP_CODE.match(code) else "recovery"
    device = confirmed_totp(user) if method == "totp" else recovery_device(user)
    if device is None:
        return Verification(None, method)
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        until = throttled_until(device)
        if until is not None:
            return Verification(None, method, throttled_until=until)
        return Verification(device if device.verify_token(code) else None, method)


@transaction.atomic
def new_recovery_codes(user):
    """Ten fresh single-use codes, replacing any earlier ones; shown to the officer once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def remove_second_factor(user):
    """安全管理员's reset: the authenticator and the recovery codes are gone; the officer sets up
    a new authenticator at the next admin page. Sessions verified with the old device are no
    longer verified (django-otp finds no device for them)."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    return removed


@dataclass
class SecondFactorState:
    enrolled: bool
    since: object | None
    last_used: object | None
    codes_left: int


def state_of(user):
    device = confirmed_totp(user)
    return SecondFactorState(
        enrolled=device is not None,
        since=device.created_at if device else None,
        last_used=device.last_used_at if device else None,
        codes_left=recovery_codes_left(user),
    )
