"""Settings shared by every environment.

Values that differ between the embedded mode (one machine, SQLite) and the scale-out
mode (PostgreSQL, Redis, ...) are read from the environment; see docs/operations.md.
"""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "govsite.accounts",
    "govsite.sections",
    "govsite.columns",
    "govsite.images",
    "govsite.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    # After wagtail.admin: it replaces Wagtail's workflow e-mails with its own notices.
    "govsite.workflow",
    "govsite.screening",
    "govsite.changes",
    "govsite.mailbox",
    "govsite.surveys",
    "govsite.search",
    "govsite.publishing",
    "govsite.security",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail formats "N minutes ago" with humanize; installed so that it speaks Chinese.
    "django.contrib.humanize",
    # Required by wagtailsearch's PostgreSQL index fields; harmless on SQLite.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session, CSRF and auth middleware: it sees the response as it leaves, cookies
    # and Vary included, and stores it for nginx only when it is the same for every visitor.
    "govsite.publishing.middleware.StaticPublishingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "govsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "govsite.columns.context_processors.site_columns",
            ],
        },
    },
]

WSGI_APPLICATION = "govsite.wsgi.application"

# Embedded default: SQLite in WAL mode next to the code; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
WAGTAILADMIN_USER_LOGIN_FORM = "govsite.accounts.forms.LoginForm"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Completes Wagtail's own zh_Hans catalogue where it lacks strings (see docs/i18n.md).
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# How many reverse proxies (nginx, a load balancer) stand in front of the application: the client
# address is then taken from X-Forwarded-For that many hops back (rate limits, 沟通信箱).
GOVSITE_PROXY_COUNT = int(os.environ.get("GOVSITE_PROXY_COUNT", "0"))
# 静态发布 (docs/publishing.md): published public pages stored as files that nginx serves to
# anonymous visitors; a shared volume when several application servers run.
GOVSITE_PUBLISHED_ROOT = Path(os.environ.get("PUBLISHED_ROOT", BASE_DIR / "var" / "published"))
# Files that are never public (letters' attachments): outside MEDIA_ROOT, served by views only.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Letters' attachments (govsite.mailbox.models.private_storage): never under MEDIA_ROOT.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Scale-out media: an S3-compatible object store (AWS S3, MinIO, Ceph RGW, a cloud's OSS/COS in
# S3 mode) when AWS_STORAGE_BUCKET_NAME is set; see docs/serving.md. Credentials are never
# settings: django-storages/boto3 read AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an
# instance role) from the environment themselves. Public media get plain, unsigned URLs (on
# AWS_S3_CUSTOM_DOMAIN when given); the letters' attachments go under their own prefix (or
# bucket) with a private ACL and are only ever read by the application, which streams them to
# those who may read the letter (any URL it would hand out is signed and short-lived).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if AWS_STORAGE_BUCKET_NAME:
    _s3_common = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        "signature_version": os.environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
        # Wagtail and the mailbox choose fresh names; never replace an object silently.
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_common,
            "location": os.environ.get("AWS_MEDIA_LOCATION", "media"),
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # None: the bucket's policy makes the media prefix readable (most S3-compatible
            # stores ignore or refuse object ACLs); "public-read" where ACLs are used.
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            "querystring_auth": False,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_common,
            "bucket_name": os.environ.get("AWS_PRIVATE_BUCKET_NAME") or AWS_STORAGE_BUCKET_NAME,
            "location": os.environ.get("AWS_PRIVATE_LOCATION", "private"),
            "default_acl": "private",
            "custom_domain": None,  # a CDN domain would bypass the signature
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }

# Cache and sessions. Embedded: each process's own memory and database-backed sessions.
# Scale-out: REDIS_URL (redis://[:password@]host:6379/db, rediss:// for TLS) names one Redis that
# every app server shares — the mailbox's and surveys' rate limits, sessions (cached_db: read
# from Redis, written through to the database, so a Redis restart logs nobody out) and the
# scheduler's tick lock (govsite/workflow/management/commands/run_scheduler.py).
# CACHE_KEY_PREFIX separates several sites sharing one Redis database.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "govsite").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # An unreachable Redis fails within a second (and the rate limits let visitors
            # through, logged) instead of holding a worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "区政府办公室网站"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# ASCII URLs; content pages get a dated slug when the officer leaves it blank.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Wagtail 8's autosave (a save 500 ms after each change) races an officer's own 保存草稿 on a
# new page and can create the article twice; it would also import a chosen .txt body behind
# the officer's back. Drafts are saved when the officer saves them.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "govsite.search.backend"}}
# Audio and video are accepted as documents; content carrying them passes the 信息中心 sign-off
# step of the review chain (第十七条, R-FMT-3; govsite/workflow/rules.py).
GOVSITE_AUDIO_VIDEO_EXTENSIONS = ["mp3", "m4a", "aac", "wav", "mp4", "m4v", "webm"]
WAGTAILDOCS_EXTENSIONS = [
    *["pdf", "doc", "docx", "xls", "xlsx", "txt", "ofd", "wps", "zip"],
    *GOVSITE_AUDIO_VIDEO_EXTENSIONS,
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 100 * 1024 * 1024
# 第十七条 (R-FMT-2): images are 4:3 JPEGs of at most 500×375 pixels with a caption, checked
# by content at every upload (govsite/images/rules.py). PNG, GIF and WebP may be uploaded so
# that the officer is offered a conforming JPEG made from them; only JPEGs are ever stored.
WAGTAILIMAGES_IMAGE_MODEL = "images.GovImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "govsite.images.forms.GovImageForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Decompression bombs are refused from the header, before any pixel is decoded; Pillow's
# DecompressionBombWarning is an error (govsite/images/apps.py).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Article and profile pages are the moderated content; structural pages are edited by
# the site-management role (see govsite/columns/permissions.py).
WAGTAIL_MODERATION_ENABLED = True
# The last approval publishes without a raw publish permission (R-FLOW-2).
WAGTAIL_FINISH_WORKFLOW_ACTION = "govsite.workflow.actions.publish_approved"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

LOGIN_URL = "wagtailadmin_login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "govsite@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Background-task and page-action chatter stays out of the console unless asked for.
    "loggers": {
        name: {"level": os.environ.get("LOG_LEVEL", "WARNING")}
        for name in ("django.tasks", "django_tasks", "wagtail")
    },
}
