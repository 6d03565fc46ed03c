"""The request being handled, for code that has none passed to it: ``User.save`` (who set a
password: the account's owner, a change, or somebody else, an administrator's reset; R-SEC-2)
and the audit log's receivers (who acted and from where; R-SEC-4) — Django's model signals,
Wagtail's log and the m2m signals know nothing of the request.

``CurrentRequestMiddleware`` (right after ``AuthenticationMiddleware``) keeps it for the time
the request is answered. Outside a request (commands, the scheduler, fixtures, the demo loader)
there is none: nobody is forced to change a password set in code, and the audit entry is the
system's.
"""

from contextvars import ContextVar

_request = ContextVar("govsite_current_request", default=None)


def current_request():
    return _request.get()


def request_user(request):
    """The authenticated user of ``request``, or None (anonymous, or no request)."""
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and user.is_authenticated:
        return user
    return None


def acting_user():
    """The authenticated user of the current request, else None."""
    return request_user(current_request())


class CurrentRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
