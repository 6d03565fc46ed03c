"""The request being handled, for code that has none passed to it (``User.save``).

``middleware.SessionPolicyMiddleware`` sets it around every request, so a password set during
a request knows who set it: the account's owner (a change) or somebody else (an
administrator's reset, R-SEC-2). Outside a request (commands, fixtures, the demo loader) it is
``None``: nobody is forced to change a password set in code.
"""

from contextvars import ContextVar

current_request = ContextVar("govsite_accounts_current_request", default=None)


def acting_user(request=None):
    """The authenticated user of ``request`` (or of the current request), else ``None``."""
    request = request if request is not None else current_request.get()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user
