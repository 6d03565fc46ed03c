"""Session and password policy of the Wagtail admin (R-SEC-1/2/3; 第十九、二十条).

Both act on the admin only: the public site has no logins, and its pages must not touch the
session (they are published as files, govsite/publishing). They sit after the authentication,
django-otp and second-factor middleware, so a session waiting for its second factor is left to
``govsite.security``.

* ``SessionPolicyMiddleware`` ends sessions idle for ``idle_timeout_minutes`` or older than
  ``session_max_hours``, notes activity (at most once a minute), tells the user about logins of
  the same account elsewhere, and on the login page says why a session was ended.
* ``PasswordPolicyMiddleware`` sends a user whose password expired, or was set by an
  administrator, to the change page before anything else, and warns ``password_warning_days``
  ahead of expiry.
"""

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages as admin_messages

from govsite.adminpaths import is_admin_request
from govsite.security.models import SecurityPolicy
from govsite.security.signals import security_event

from . import sessions

PASSWORD_CHANGE_URL_NAME = "accounts_password_change"

# Reachable while a password must be changed: signing in and out, the change page itself, what
# every admin page loads, and the second-factor pages (URL names starting security_otp).
EXEMPT_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    PASSWORD_CHANGE_URL_NAME,
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}
EXEMPT_URL_PREFIXES = ("security_otp",)

# Requests a page makes by itself: an open editor reports every few seconds that it is open.
# They keep a session alive only when the officer has unsaved changes in it (loses nothing).
BACKGROUND_URL_NAMES = {
    "wagtailadmin_editing_sessions:ping",
    "wagtailadmin_editing_sessions:release",
}


def url_name(request):
    match = request.resolver_match
    return match.view_name if match is not None else ""


def is_page_view(request):
    """A GET for a page the user sees (messages are shown there)."""
    return request.method == "GET" and "json" not in request.headers.get("Accept", "")


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_admin_request(request) and hasattr(request, "session"):
            sessions.follow_key(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_admin_request(request):
            return None
        name = url_name(request)
        if not request.user.is_authenticated:
            # The first admin request of a browser whose session was ended: the session
            # middleware drops its cookie in the answer, so it is now or never.
            self.explain_ended_session(request)
            return None
        policy = SecurityPolicy.load(request)
        now = time.time()
        reason = sessions.timed_out(request, policy, now)
        if reason is not None:
            return sessions.expire(request, reason, policy)
        active = name not in BACKGROUND_URL_NAMES or bool(request.POST.get("is_editing"))
        sessions.touch(request, now, active=active)
        if is_page_view(request):
            self.tell_about_other_places(request, policy)
        return None

    @staticmethod
    def explain_ended_session(request):
        row = sessions.ended_here(request)
        if row is not None:
            messages.warning(request, sessions.ENDED_MESSAGES[row.end_reason])

    @staticmethod
    def tell_about_other_places(request, policy):
        fresh = sessions.new_other_places(request, policy)
        if not fresh:
            return
        places = "；".join(sessions.describe(row) for row in fresh)
        admin_messages.warning(
            request,
            f"您的账号在其他地点登录：{places}。如果不是您本人，请结束该登录并立即修改密码。",
            buttons=[admin_messages.button(reverse("accounts_sessions"), "查看并结束")],
        )


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_admin_request(request) or not request.user.is_authenticated:
            return None
        name = url_name(request)
        if name in EXEMPT_URL_NAMES or name.startswith(EXEMPT_URL_PREFIXES):
            return None
        user = request.user
        policy = SecurityPolicy.load(request)
        reason = user.password_change_reason(policy)
        if reason is not None:
            if reason == "expired" and not request.session.get(EXPIRED_LOGGED):
                request.session[EXPIRED_LOGGED] = True
                security_event.send(
                    sender=type(self),
                    action="password_expired",
                    actor=None,
                    target=user,
                    request=request,
                    detail={
                        "password_changed_at": user.password_changed_at.isoformat(),
                        "password_max_age_days": policy.password_max_age_days,
                    },
                )
            query = urlencode({"next": request.get_full_path()}) if is_page_view(request) else ""
            url = reverse(PASSWORD_CHANGE_URL_NAME)
            return redirect(f"{url}?{query}" if query else url)
        if is_page_view(request) and not request.session.get(EXPIRY_WARNED):
            days = user.password_days_left(policy)
            if days is not None and days <= policy.password_warning_days:
                request.session[EXPIRY_WARNED] = True
                admin_messages.warning(
                    request,
                    expiry_warning(days),
                    buttons=[admin_messages.button(reverse(PASSWORD_CHANGE_URL_NAME), "修改密码")],
                )
        return None


EXPIRED_LOGGED = "_govsite_password_expired_logged"
EXPIRY_WARNED = "_govsite_password_expiry_warned"


def expiry_warning(days):
    if days <= 1:
        return "您的密码将于 1 天内过期，请尽快修改。"
    return f"您的密码将于 {days} 天后过期，请尽快修改。"
