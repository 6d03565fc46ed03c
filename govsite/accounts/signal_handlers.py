"""Logins and logouts of the admin, recorded as ``UserSession`` rows (R-SEC-1, R-SEC-3)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import sessions


@receiver(user_logged_in, dispatch_uid="govsite_accounts_login_session")
def record_login(sender, request, user, **kwargs):
    # Django has already given the session a fresh key (login() cycles it).
    if request is not None and hasattr(request, "session"):
        sessions.start(request, user)


@receiver(user_logged_out, dispatch_uid="govsite_accounts_logout_session")
def record_logout(sender, request, user, **kwargs):
    # Sent before the session is flushed: the row of this session is still known.
    if request is not None and hasattr(request, "session"):
        sessions.forget(request)
