"""Settings shared by every environment.

Values that differ between the embedded mode (one machine, SQLite) and the scale-out
mode (PostgreSQL, Redis, ...) are read from the environment; see docs/operations.md.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


def site_url(value):
    """GOVSITE_SITE_URL as ``scheme://host[:port]`` (no path, no trailing slash), refused with
    the fix when it is not one. Wagtail writes a Site's address as http://host:port, or
    https://host for port 443, so HTTPS is served on 443 only."""
    parsed = urlsplit(value.strip())
    problem = None
    try:
        port = parsed.port
    except ValueError:
        port, problem = None, "端口不是数字"
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        problem = "应以 http:// 或 https:// 开头，后接域名"
    elif parsed.path not in ("", "/") or parsed.query or parsed.fragment or parsed.username:
        problem = "只能写协议、域名和端口，不能带路径、参数或用户名"
    elif parsed.scheme == "https" and port not in (None, 443):
        problem = "https 只能使用 443 端口"
    if problem:
        raise ImproperlyConfigured(
            f"GOVSITE_SITE_URL “{value}” 不正确：{problem}，如 https://www.example.gov.cn。"
        )
    default_port = 443 if parsed.scheme == "https" else 80
    host = parsed.hostname.lower()
    return f"{parsed.scheme}://{host}" + (f":{port}" if port not in (None, default_port) else "")


PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "govsite.accounts",
    "govsite.sections",
    "govsite.columns",
    "govsite.images",
    "govsite.demo",
    # Before wagtail.admin: its home.html is the admin's dashboard (首页).
    "govsite.dashboard",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.sites",
    # wagtail.users with the 三员分立 checks on its user and group forms
    # (govsite/accounts/rules.py).
    "govsite.accounts.users_app.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "govsite.notices",
    "govsite.jobs",
    # After wagtail.admin: it replaces Wagtail's workflow e-mails with its own notices.
    "govsite.workflow",
    "govsite.screening",
    "govsite.changes",
    # 专栏 of 热点专题 (R-TOPIC-1): applied for, approved, opened and archived.
    "govsite.topics",
    "govsite.mailbox",
    "govsite.surveys",
    "govsite.disclosure",
    "govsite.services",
    "govsite.organisation",
    "govsite.reporting",
    "govsite.assessment",
    "govsite.search",
    # 适老化与无障碍: the public toolbar and its help page (R-A11Y-1).
    "govsite.accessibility",
    "govsite.publishing",
    "govsite.feeds",
    "govsite.security",
    "govsite.audit",
    "govsite.backup",
    # 帮助: the staff guides of docs/staff/, served inside the admin.
    "govsite.guides",
    # R-SEC-3: login lockout (django-axes) and the TOTP second factor with recovery codes.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Background work: the database task backend, RQ for scale-out, the periodic scheduler.
    "django_tasks_db",
    "django_rq",
    "crontask",
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
    # Content-Security-Policy: SECURE_CSP on the public site, GOVSITE_ADMIN_CSP in the admin.
    "govsite.security.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session, CSRF and auth middleware: it sees the response as it leaves, cookies
    # and Vary included, and stores it for nginx only when it is the same for every visitor.
    "govsite.publishing.middleware.StaticPublishingMiddleware",
    # Public HTML without its template indentation (issue 17 item 6), before it is stored.
    "govsite.publishing.middleware.HtmlCompactionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request being answered, for User.save (who set a password) and the audit log's
    # receivers (who acted, from where): govsite/accounts/context.py.
    "govsite.accounts.context.CurrentRequestMiddleware",
    # R-SEC-4: the permissions Wagtail's group editor writes without a signal, and a superuser's
    # admin POSTs, recorded when the request ends.
    "govsite.audit.middleware.AuditMiddleware",
    # R-SEC-3: which OTP device verified this session, then the second factor required of the
    # groups the security policy names (govsite/security/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "govsite.security.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # R-SEC-3/R-SEC-1: idle and absolute session timeouts, the record of logins; then R-SEC-2:
    # expired or reset passwords are changed before anything else. After the second factor.
    "govsite.accounts.middleware.SessionPolicyMiddleware",
    "govsite.accounts.middleware.PasswordPolicyMiddleware",
    # R-SEC-3: turns a locked-out login into the Chinese lockout page. Keep it last.
    "axes.middleware.AxesMiddleware",
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
# R-SEC-3: django-axes refuses every login while the account or the address is locked out; it
# authenticates nobody itself (govsite/security/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # R-MAIL-3: the permission to the 整理上报 files is the mailbox's rule (who handles letters).
    "govsite.mailbox.backends.LetterRulesBackend",
]

# R-SEC-2 (第二十条): the password rules, with Chinese messages and help texts, shown wherever a
# password is set (govsite/accounts/validators.py); expiry and forced change are
# govsite.accounts.middleware.PasswordPolicyMiddleware.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "govsite.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "govsite.accounts.validators.CharacterClassesValidator"},
    {"NAME": "govsite.accounts.validators.CommonPasswordsValidator"},
    {"NAME": "govsite.accounts.validators.UsernameNotInPasswordValidator"},
    {"NAME": "govsite.accounts.validators.PasswordHistoryValidator"},
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
# Where `manage.py backup` writes its archives (0600, personal data inside; docs/backup.md).
GOVSITE_BACKUP_ROOT = Path(os.environ.get("BACKUP_ROOT", BASE_DIR / "var" / "backups"))

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
# lock that keeps one scheduler running (crontask, below).
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

# Background work on Django's task framework (docs/operations.md 后台任务, docs/decisions/0005).
# Embedded: the database backend, its queue in the site's own database, run by
# `manage.py run_worker` beside the web server. Scale-out: GOVSITE_TASK_BACKEND=rq runs the same
# tasks on RQ workers through REDIS_URL. Periodic jobs are declared by each app (its tasks.py,
# ``@cron``) and enqueued by one scheduler, `manage.py crontask`, held to one instance across
# app servers by a Redis lock when REDIS_URL is set.
GOVSITE_TASK_BACKEND = os.environ.get("GOVSITE_TASK_BACKEND", "database").strip()
TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
if GOVSITE_TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"GOVSITE_TASK_BACKEND 只能是 {'、'.join(TASK_BACKENDS)}。")
if GOVSITE_TASK_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("GOVSITE_TASK_BACKEND=rq 需要同时设置 REDIS_URL。")
TASKS = {"default": TASK_BACKENDS[GOVSITE_TASK_BACKEND]}
RQ_QUEUES = {
    "default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 6 * 3600}
}
CRONTASK = {"REDIS_URL": REDIS_URL or None}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# 帮助: the staff guides (Markdown, one per role), rendered inside the admin (govsite/guides).
GOVSITE_STAFF_GUIDES_DIR = BASE_DIR / "docs" / "staff"

# Wagtail
WAGTAIL_SITE_NAME = "区政府办公室网站"
# The public site's own address (issue 17 item 4): its scheme, host name and port, as citizens
# and crawlers reach it. bootstrap_site gives the Wagtail Site this host and port, so that
# sitemap.xml, the RSS feeds, robots.txt and <link rel="canonical"> — in the published files too
# — carry it. `make run` passes http://127.0.0.1:PORT; production refuses to start without it.
GOVSITE_SITE_URL = site_url(os.environ.get("GOVSITE_SITE_URL", "http://127.0.0.1:8000"))
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", GOVSITE_SITE_URL)
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
    *["ppt", "pptx", "et", "dps"],  # presentations; WPS spreadsheets and presentations
    *GOVSITE_AUDIO_VIDEO_EXTENSIONS,
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 100 * 1024 * 1024
# R-SEC-5 (docs/hardening.md): documents are always served by the application, S3 media included
# (privacy checked, headers guaranteed): as downloads, with nosniff and "default-src 'none'". Only
# PDF opens in the browser, whose PDF viewer never runs a file as a page of this site.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# The refusals of both rules, in Chinese with the fix (govsite/security/documents.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "govsite.security.documents.DocumentForm"
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

# R-SEC-3 login lockout (django-axes; govsite/security/lockout.py, docs/security.md). The figures
# are the security policy's (安全管理员 edits them): its failures within its window lock the
# account and, separately, the address for its lockout time. Failures are kept in the database,
# so a lockout holds across restarts and every app server.
AXES_HANDLER = "govsite.security.lockout.PolicyLockoutHandler"
AXES_FAILURE_LIMIT = "govsite.security.lockout.failure_limit"
AXES_COOLOFF_TIME = "govsite.security.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "govsite.security.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "govsite.security.lockout.lockout_response"
# A lockout runs from the failure that caused it; attempts during it do not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Logins and logouts are in the audit log (govsite.audit), not twice.
AXES_DISABLE_ACCESS_LOG = True
# R-SEC-3 second factor (django-otp): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

SESSION_COOKIE_HTTPONLY = True
# No admin session outlives the security policy's maximum of 12 hours (R-SEC-3); the policy's
# own, possibly shorter, limits are enforced server-side by govsite.accounts.middleware.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (R-SEC-5; docs/hardening.md, govsite/security/csp.py). The public site:
# everything from the site itself, nothing inline, never framed. nginx sends the same policy with
# the published files (deploy/nginx/govsite.conf). Media on an S3-compatible store are served
# from another origin: GOVSITE_CSP_MEDIA_ORIGINS (comma-separated), by default the custom domain
# or the endpoint's origin.
GOVSITE_CSP_MEDIA_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("GOVSITE_CSP_MEDIA_ORIGINS", "").split(",")
    if origin.strip()
]
if AWS_STORAGE_BUCKET_NAME and not GOVSITE_CSP_MEDIA_ORIGINS:
    if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
        GOVSITE_CSP_MEDIA_ORIGINS = [f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}"]
    elif os.environ.get("AWS_S3_ENDPOINT_URL"):
        GOVSITE_CSP_MEDIA_ORIGINS = ["/".join(os.environ["AWS_S3_ENDPOINT_URL"].split("/")[:3])]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, *GOVSITE_CSP_MEDIA_ORIGINS],
    "media-src": [CSP.SELF, *GOVSITE_CSP_MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Browsers report what they block: csp_violation in the audit log (govsite/security/reports.py)
    "report-uri": ["/csp-report/"],
}
# The Wagtail admin: Wagtail 8 still starts choosers, InlinePanel and the date pickers with inline
# <script> elements and its editor's libraries add <style> elements; images may be previews
# (data:, blob:); the page preview is an <iframe> of the admin itself. Gravatar is off: no
# officer's e-mail hash leaves the site, no foreign image.
GOVSITE_ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *GOVSITE_CSP_MEDIA_ORIGINS],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Outgoing mail (review notices, R-FLOW-6) through Django's MAILERS, configured from the
# environment under the familiar EMAIL_* names. Only the SMTP options that are set are passed,
# so the console backend of development takes none.
_SMTP_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST"),
    "port": int(os.environ.get("EMAIL_PORT") or 0),
    "username": os.environ.get("EMAIL_HOST_USER"),
    "password": os.environ.get("EMAIL_HOST_PASSWORD"),
    "use_tls": os.environ.get("EMAIL_USE_TLS", "").lower() == "true",
    "use_ssl": os.environ.get("EMAIL_USE_SSL", "").lower() == "true",
    "timeout": int(os.environ.get("EMAIL_TIMEOUT") or 0),
}
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND")
        or "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {name: value for name, value in _SMTP_OPTIONS.items() if value},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "govsite@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Background-task and page-action chatter stays out of the console unless asked for.
    "loggers": {
        name: {"level": os.environ.get("LOG_LEVEL", "WARNING")}
        for name in ("django.tasks", "django_tasks", "wagtail", "axes", "apscheduler", "rq.worker")
    },
}
