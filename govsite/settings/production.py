"""Production settings: every secret and host comes from the environment.

Start-up fails with ImproperlyConfigured when SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL or
GOVSITE_SITE_URL is missing: nothing is generated silently. Scale-out services (REDIS_URL, S3
media) are read in base.py; see docs/serving.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Production settings need the environment variable {name}.")
    return value


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in require_env("ALLOWED_HOSTS").split(",") if host.strip()]
require_env("DATABASE_URL")  # base.py already parsed it; here its absence is fatal.
# The public site's address (sitemap.xml, feeds, canonical links); base.py already checked it.
GOVSITE_SITE_URL = site_url(require_env("GOVSITE_SITE_URL"))  # noqa: F405
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", GOVSITE_SITE_URL)

CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
# Review notices leave by SMTP, through the server's own mail relay unless EMAIL_HOST and the
# other EMAIL_* variables name another (docs/operations.md); `check --deploy` refuses the
# console backend of development.
if not os.environ.get("EMAIL_BACKEND"):
    MAILERS["default"]["BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"  # noqa: F405
    MAILERS["default"]["OPTIONS"].setdefault("host", "localhost")  # noqa: F405

# GOVSITE_INSECURE_LOCAL_HTTP=1: the production configuration over plain HTTP on this machine
# only (`make serve`, benchmarks). No HTTPS redirect, no HSTS, cookies without the Secure flag
# (a browser would not send them back over http://). Refused unless every allowed host is a
# loopback name, so it cannot be left on for a public host name.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
INSECURE_LOCAL_HTTP = env_flag("GOVSITE_INSECURE_LOCAL_HTTP")
if INSECURE_LOCAL_HTTP:
    if not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
        raise ImproperlyConfigured(
            "GOVSITE_INSECURE_LOCAL_HTTP is for this machine only: ALLOWED_HOSTS may then hold "
            f"only {', '.join(sorted(LOOPBACK_HOSTS))}."
        )
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SECURE_HSTS_PRELOAD = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
