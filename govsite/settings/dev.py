"""Embedded development mode: `make run`."""

from .base import *  # noqa: F403

DEBUG = True
# A throw-away key for local development only; production refuses to start without one.
SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Static files straight from the apps: no collectstatic outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
