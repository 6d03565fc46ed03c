"""R-SEC-3: the second factor, required for every admin page of the groups the security
policy names (and of superusers).

Installed right after django-otp's ``OTPMiddleware``, which tells whether a device verified
this session. A member of such a group who has signed in with the password alone is sent to
set up an authenticator (no device yet) or to enter a code (device, but not this session);
every other admin page answers with that redirect until then. Exempt: signing in and out, the
admin's JavaScript catalogue and icon sprite (which those pages load too) and the second-factor
pages themselves (URL names starting with ``security_otp``, which the forced password change
exempts as well).
"""

from functools import cache

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from govsite.adminpaths import is_admin_request

from . import devices, rules
from .models import SecurityPolicy

EXEMPT_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",  # the icons, fetched by every admin page
}
OTP_URL_PREFIX = "security_otp"


@cache
def is_exempt(request):
    match = request.resolver_match
    name = (match.url_name or "") if match else ""
    return name in EXEMPT_URL_NAMES or name.startswith(OTP_URL_PREFIX)


def second_factor_redirect(request):
    """Where ``request`` must go before it may see an admin page, or None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if not rules.requires_second_factor(user, SecurityPolicy.load(request_or_site=request)):
        return None
    target = "security_otp_verify" if devices.confirmed_totp(user) else "security_otp_enroll"
    return f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_admin_request(request) or is_exempt(request):
            return None
        target = second_factor_redirect(request)
        return redirect(target) if target else None
