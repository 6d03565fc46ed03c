"""Login sessions of the admin (R-SEC-3 session half, R-SEC-1 concurrent logins; 第十九条).

* Every login is recorded as a ``UserSession`` (address, browser, started, last seen) and the
  session itself carries when it started and when it was last used.
* An admin request after ``SecurityPolicy.idle_timeout_minutes`` without activity, or more than
  ``session_max_hours`` after the login, logs the user out, server-side, whatever the cookie
  says; the login page says why.
* Last activity is written at most once a minute (``TOUCH_SECONDS``), so timeouts are exact to
  the minute without a database write on every request.
* Ending a session deletes it from the session store (database or cached_db engine alike); its
  browser is told why on the login page.
"""

import ipaddress
import re
import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone

from govsite.clients import client_address
from govsite.security.models import SecurityPolicy
from govsite.security.signals import security_event

from .models import UserSession

TOUCH_SECONDS = 60

# Keys of the session's own data.
STARTED = "_govsite_login_started"
LAST_SEEN = "_govsite_last_seen"
ROW = "_govsite_login_row"
NOTIFIED = "_govsite_places_notified"

IDLE = "idle"
ABSOLUTE = "absolute"

TIMEOUT_MESSAGES = {
    IDLE: "由于长时间未操作（超过 {minutes} 分钟），您已退出登录，请重新登录。",
    ABSOLUTE: "本次登录已超过 {hours} 小时，为了账号安全已自动退出，请重新登录。",
}
ENDED_MESSAGES = {
    UserSession.EndReason.ENDED_BY_USER: (
        "您的这次登录已在其他地点被结束。如果不是您本人操作，请立即修改密码并联系安全管理员。"
    ),
    UserSession.EndReason.SINGLE_SESSION: (
        "您的账号已在其他地点登录，这里的登录已结束（每个账号只允许一处登录）。"
        "如果不是您本人登录，请立即修改密码并联系安全管理员。"
    ),
    UserSession.EndReason.PASSWORD_CHANGED: "您的账号密码已修改，请用新密码重新登录。",
}


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def request_ip(request):
    """The client's address (through the trusted proxies), or None when it is no address."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def request_user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def current_row_id(request):
    session = getattr(request, "session", None)
    return session.get(ROW) if session is not None else None


# Login and logout ----------------------------------------------------------------------------


def start(request, user):
    """Record a new login (``user_logged_in``); in single-session mode end the others."""
    session = request.session
    if session.session_key is None:
        session.save()
    now = time.time()
    session[STARTED] = now
    session[LAST_SEEN] = now
    row = UserSession.objects.create(
        user=user,
        session_key=session.session_key,
        ip=request_ip(request),
        user_agent=request_user_agent(request),
    )
    session[ROW] = row.pk
    UserSession.objects.filter(user=user).stale().delete()
    if SecurityPolicy.load(request).single_session:
        end_sessions(
            UserSession.objects.filter(user=user).open().exclude(pk=row.pk),
            reason=UserSession.EndReason.SINGLE_SESSION,
            actor=user,
            request=request,
        )
    return row


def forget(request):
    """The user logged out (``user_logged_out``): the session is flushed, the row goes."""
    row_id = current_row_id(request)
    if row_id is not None:
        UserSession.objects.filter(pk=row_id).delete()


def end_sessions(rows, reason, actor, request):
    """End each of ``rows``: delete it from the session store, mark the row ended and say so
    in the audit log. Returns how many were ended."""
    store = _store()
    now = timezone.now()
    ended = 0
    for row in rows.select_related("user"):
        store().delete(row.session_key)
        row.ended_at = now
        row.end_reason = reason
        row.save(update_fields=["ended_at", "end_reason"])
        security_event.send(
            sender=UserSession,
            action="session_ended",
            actor=actor,
            target=row.user,
            request=request,
            detail={
                "reason": reason,
                "ip": row.ip,
                "user_agent": row.user_agent,
                "started_at": row.started_at.isoformat(),
            },
        )
        ended += 1
    return ended


# Each admin request --------------------------------------------------------------------------


def timed_out(request, policy, now):
    """IDLE or ABSOLUTE when the session has run out, else None."""
    session = request.session
    started, last_seen = session.get(STARTED), session.get(LAST_SEEN)
    if started is None or last_seen is None:
        return None
    if now - last_seen > policy.idle_timeout_minutes * 60:
        return IDLE
    if now - started > policy.session_max_hours * 3600:
        return ABSOLUTE
    return None


def expire(request, reason, policy):
    """Log the user out because the session ran out; the login page says why."""
    user = request.user
    security_event.send(
        sender=UserSession,
        action="session_expired",
        actor=user,
        target=user,
        request=request,
        detail={
            "reason": reason,
            "idle_timeout_minutes": policy.idle_timeout_minutes,
            "session_max_hours": policy.session_max_hours,
        },
    )
    logout(request)
    messages.warning(
        request,
        TIMEOUT_MESSAGES[reason].format(
            minutes=policy.idle_timeout_minutes, hours=policy.session_max_hours
        ),
    )
    login_url = reverse("wagtailadmin_login")
    next_url = request.get_full_path()
    if request.method != "GET" or request.path_info == login_url:
        next_url = None
    return redirect_to_login(next_url, login_url)


def touch(request, now, active=True):
    """Start tracking a session that predates it; note activity at most once a minute."""
    session = request.session
    if session.get(STARTED) is None:
        session[STARTED] = now
        session[LAST_SEEN] = now
        _ensure_row(request)
    elif active and now - session.get(LAST_SEEN, 0) >= TOUCH_SECONDS:
        session[LAST_SEEN] = now
        _ensure_row(request)


def _ensure_row(request):
    seen = timezone.now()
    row_id = current_row_id(request)
    updated = 0
    if row_id is not None:
        updated = (
            UserSession.objects.open()
            .filter(pk=row_id, user=request.user)
            .update(session_key=request.session.session_key, last_seen_at=seen)
        )
    if not updated:
        if request.session.session_key is None:
            request.session.save()
        row = UserSession.objects.create(
            user=request.user,
            session_key=request.session.session_key,
            ip=request_ip(request),
            user_agent=request_user_agent(request),
        )
        request.session[ROW] = row.pk


def follow_key(request):
    """After a view cycled the session key (a password change does), keep the row on it."""
    session = getattr(request, "session", None)
    row_id = current_row_id(request)
    if row_id is None or session.session_key is None:
        return
    UserSession.objects.filter(pk=row_id).exclude(session_key=session.session_key).update(
        session_key=session.session_key
    )


def other_places(request, policy):
    """The user's other active logins from another address or browser."""
    own_id = current_row_id(request)
    rows = list(UserSession.objects.filter(user=request.user).active(policy))
    own = next((row for row in rows if row.pk == own_id), None)
    others = [row for row in rows if row.pk != own_id]
    if own is None:
        return others
    return [row for row in others if not row.same_place_as(own)]


def new_other_places(request, policy):
    """``other_places`` the user has not yet been told about in this session."""
    told = set(request.session.get(NOTIFIED, []))
    fresh = [row for row in other_places(request, policy) if row.pk not in told]
    if fresh:
        request.session[NOTIFIED] = sorted(told | {row.pk for row in fresh})
    return fresh


def ended_here(request):
    """On the login page: the session this browser held was ended by the application. The
    row is removed once its browser has been told."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    row = UserSession.objects.ended().filter(session_key=key).first()
    if row is None:
        return None
    row.delete()
    return row


# Display -------------------------------------------------------------------------------------

BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Mac OS X", "macOS"),
    ("UOS", "统信 UOS"),
    ("Kylin", "麒麟"),
    ("Linux", "Linux"),
]


def describe_user_agent(user_agent):
    """A short name for a browser: "Chrome（Windows）"; the raw string when unknown."""
    if not user_agent:
        return "未知浏览器"
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), None)
    if browser is None:
        return re.sub(r"\s+", " ", user_agent)[:60]
    return f"{browser}（{system}）" if system else browser


def describe(row):
    when = timezone.localtime(row.started_at).strftime("%Y-%m-%d %H:%M")
    return f"{row.ip or '未知地址'}，{describe_user_agent(row.user_agent)}，{when} 登录"
