"""The request being answered, for receivers that are not given one (R-SEC-4).

Django's model signals, Wagtail's log and the m2m signals know nothing of the request; the audit
entry still names who acted and from where. ``AuditMiddleware`` keeps the request in a context
variable for the time it is being answered; outside a request (the scheduler, a management
command) there is none and the entry is the system's.
"""

import ipaddress
from contextvars import ContextVar

from govsite.mailbox.throttle import client_address

USER_AGENT_LENGTH = 300

_request = ContextVar("govsite_audit_request", default=None)


def current_request():
    return _request.get()


def activate(request):
    """Make ``request`` the current one; returns the token for ``deactivate``."""
    return _request.set(request)


def deactivate(token):
    _request.reset(token)


def request_user(request):
    """The authenticated user of ``request``, or None (anonymous, or no request)."""
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and user.is_authenticated:
        return user
    return None


def client_of(request):
    """(IP address or None, user agent) of ``request``: the address as ``client_address``
    reads it behind the trusted proxies, None when it is not an IP address."""
    if request is None:
        return None, ""
    address = client_address(request).strip().split("%", 1)[0]  # no IPv6 zone ("%eth0")
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        address = None
    agent = request.META.get("HTTP_USER_AGENT", "") or ""
    return address, agent[:USER_AGENT_LENGTH]
