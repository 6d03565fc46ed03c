"""Which requests are the admin's: the session, password, second-factor, CSP and audit rules
apply to the Wagtail admin only (the public site has no logins)."""

from functools import cache

from django.urls import reverse


@cache
def admin_prefix():
    """The Wagtail admin's URL prefix ("/admin/")."""
    return reverse("wagtailadmin_home")


def is_admin_request(request):
    return request.path.startswith(admin_prefix())
