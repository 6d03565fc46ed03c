"""django-axes in the test suite (govsite/settings/test.py)."""

from axes.backends import AxesStandaloneBackend


class RequestlessLoginBackend(AxesStandaloneBackend):
    """axes' backend, except that a login without a request — Django's test client's
    ``client.login()`` — is let through to the next backend instead of refused. Every login with
    a request (the login form; the lockout tests and browser tests use it) is checked exactly as
    in production, where axes refuses a login without a request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
