"""Login lockout (R-SEC-3; 等保 2.0 三级 身份鉴别: 登录失败处理), built on django-axes.

The security policy's ``lockout_failures`` failed logins within ``lockout_window_minutes`` lock
the account — from any address — and, separately, the address — for any account — for
``lockout_minutes``, counted from the failure that completed the count. Attempts made during a
lockout are refused without being counted, so they do not prolong it. 安全管理员 can lift a
lockout early (``unlock``); otherwise it lifts by itself (the cool-off).

Every failure is kept, with its time, in axes' ``AccessFailureLog`` table: the window is a true
sliding window over those times, and a lockout holds across restarts and on every app server
because it lives in the database. Failures older than the window plus the lockout can no longer
matter and are removed as new attempts come in; the audit log (govsite.audit) keeps the history.

django-axes calls the functions named in the settings (``AXES_FAILURE_LIMIT``,
``AXES_COOLOFF_TIME``, ``AXES_CLIENT_IP_CALLABLE``, ``AXES_LOCKOUT_CALLABLE``) and uses
``PolicyLockoutHandler`` as its ``AXES_HANDLER``.
"""

import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username
from axes.models import AccessFailureLog
from axes.utils import reset
from django.template.response import TemplateResponse
from django.utils import timezone

from govsite.clients import client_address

from .models import SecurityPolicy

LOCKOUT_MESSAGE = "登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试或联系安全管理员"


def policy_for(request=None):
    return SecurityPolicy.load(request_or_site=request)


# The settings django-axes reads ----------------------------------------------------------------


def failure_limit(request=None, credentials=None):
    """``AXES_FAILURE_LIMIT``: failures within the window that lock."""
    return policy_for(request).lockout_failures


def cool_off(request=None):
    """``AXES_COOLOFF_TIME``: how long a lockout lasts."""
    return timedelta(minutes=policy_for(request).lockout_minutes)


def client_ip(request):
    """``AXES_CLIENT_IP_CALLABLE``: the client's address, taken behind ``GOVSITE_PROXY_COUNT``
    trusted proxies exactly as the mailbox's rate limits take it; ``REMOTE_ADDR`` when the
    forwarded value is not an address at all."""
    for candidate in (client_address(request), request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return None


def lockout_message(request=None):
    return LOCKOUT_MESSAGE.format(minutes=policy_for(request).lockout_minutes)


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the login page again, with the lockout message in place of
    "wrong password" (HTTP 429); a plain page where the refused login came from elsewhere."""
    message = lockout_message(request)
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is not None and hasattr(form, "add_error"):
        form.errors.clear()
        form.add_error(None, message)
        response = TemplateResponse(request, original_response.template_name, context, status=429)
    else:
        response = TemplateResponse(
            request, "security/lockout.html", {"message": message}, status=429
        )
    return response.render()


# Counting ----------------------------------------------------------------------------------------


def lock_end(times, policy):
    """When the lockout caused by failures at ``times`` (ascending) ends, or None: each failure
    that completes ``lockout_failures`` within the window starts a lockout."""
    needed = policy.lockout_failures
    window = timedelta(minutes=policy.lockout_window_minutes)
    end = None
    for last in range(needed - 1, len(times)):
        if times[last] - times[last - needed + 1] <= window:
            end = times[last] + timedelta(minutes=policy.lockout_minutes)
    return end


def horizon(policy):
    """How far back a failure can still count or keep a lockout running."""
    return timedelta(minutes=policy.lockout_window_minutes + policy.lockout_minutes)


def failure_times(now, policy, **filters):
    return list(
        AccessFailureLog.objects.filter(attempt_time__gt=now - horizon(policy), **filters)
        .order_by("attempt_time")
        .values_list("attempt_time", flat=True)
    )


def counted_failures(now, policy, **filters):
    """The failures that count against ``filters`` (an account or an address) at ``now``: the
    limit itself while it is locked out, else those within the window."""
    times = failure_times(now, policy, **filters)
    recent = sum(1 for at in times if at > now - timedelta(minutes=policy.lockout_window_minutes))
    end = lock_end(times, policy)
    if end is not None and end > now:
        return max(policy.lockout_failures, recent)
    return recent


class PolicyLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, counting by the security policy's sliding window (see the
    module's docstring). axes still keeps its ``AccessAttempt`` row per account, address and
    browser; the decision is taken from the timed failures."""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        counted = (
            request is not None
            and not request.axes_locked_out
            and not self.is_whitelisted(request, credentials)
        )
        failure = None
        if counted:
            failure = AccessFailureLog.objects.create(
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
            )
        super().user_login_failed(sender, credentials, request, **kwargs)
        if failure is not None and request.axes_locked_out:
            AccessFailureLog.objects.filter(pk=failure.pk).update(locked_out=True)

    def get_failures(self, request, credentials=None):
        policy = policy_for(request)
        now = request.axes_attempt_time or timezone.now()
        parameters = get_client_parameters(
            get_client_username(request, credentials),
            request.axes_ip_address,
            request.axes_user_agent,
            request,
            credentials,
        )
        return max((counted_failures(now, policy, **filters) for filters in parameters), default=0)

    def clean_expired_user_attempts(self, request=None, credentials=None):
        count = super().clean_expired_user_attempts(request, credentials)
        policy = policy_for(request)
        stale = AccessFailureLog.objects.filter(attempt_time__lte=timezone.now() - horizon(policy))
        return count + stale.delete()[0]

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False):
        """Lift a lockout (``axes.utils.reset``, ``manage.py axes_reset_username``): axes'
        attempts and the timed failures go together."""
        count = super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )
        failures = AccessFailureLog.objects.all()
        if ip_or_username:
            failures = failures.filter(ip_address=ip_address) | failures.filter(username=username)
        else:
            if ip_address:
                failures = failures.filter(ip_address=ip_address)
            if username:
                failures = failures.filter(username=username)
        return count + failures.delete()[0]


# What 安全管理员 sees and does ------------------------------------------------------------

ACCOUNT = "username"
ADDRESS = "ip_address"


@dataclass
class Lockout:
    """A current lockout of one account (``kind`` ACCOUNT) or one address (ADDRESS)."""

    kind: str
    value: str
    failures: int
    until: datetime
    others: list[str] = field(default_factory=list)  # addresses used, or accounts tried

    @property
    def kind_label(self):
        return "账号" if self.kind == ACCOUNT else "IP 地址"


def current_lockouts(now=None, policy=None):
    """Every account and address locked out at ``now``, the longest-running first."""
    now = now or timezone.now()
    policy = policy or SecurityPolicy.load()
    failures = (
        AccessFailureLog.objects.filter(attempt_time__gt=now - horizon(policy))
        .order_by("attempt_time")
        .values_list("username", "ip_address", "attempt_time")
    )
    by_kind = {ACCOUNT: defaultdict(list), ADDRESS: defaultdict(list)}
    for username, address, at in failures:
        if username:
            by_kind[ACCOUNT][username].append((at, address))
        if address:
            by_kind[ADDRESS][address].append((at, username))
    lockouts = []
    for kind, groups in by_kind.items():
        for value, entries in groups.items():
            end = lock_end([at for at, _ in entries], policy)
            if end is not None and end > now:
                others = sorted({other for _, other in entries if other})
                lockouts.append(Lockout(kind, value, len(entries), end, others))
    return sorted(lockouts, key=lambda lockout: lockout.until, reverse=True)


def unlock(kind, value):
    """Lift the lockout of an account or an address; return how many records were removed."""
    if kind == ACCOUNT:
        return reset(username=value)
    if kind == ADDRESS:
        return reset(ip=value)
    raise ValueError(kind)
