"""Settings for the newsroom, read from the environment.

Development needs nothing set: DEBUG is on, the database is a SQLite file and
a fixed development key is used. With DEBUG off the site refuses to start
unless SECRET_KEY and ALLOWED_HOSTS are given, rather than fall back silently.

Environment variables:
    DEBUG           "true" / "false" (default true)
    SECRET_KEY      required when DEBUG is false
    ALLOWED_HOSTS   comma-separated host names, required when DEBUG is false
    DATABASE_URL    e.g. postgres://root@127.0.0.1:5432/newsroom
                    (default: SQLite file db.sqlite3 beside manage.py)
    MEDIA_ROOT      where uploaded photos are kept (default: media/)
    REDIS_URL       e.g. redis://127.0.0.1:6379/0 for a cache shared by all web workers
    TASKS_BACKEND   where background work waits for a worker: "database" (default, the site's own
                    database; run `manage.py worker`) or "redis" (RQ on TASKS_REDIS_URL, default REDIS_URL)
    TASKS_REDIS_URL the Redis of the task queue, when it is not REDIS_URL
    JOB_STALE_SECONDS  a running job that has reported nothing for this long is shown as broken off (default 600)
    NEWSROOM_PAGE_CACHE  "false" to render every page (default true)
    NEWSROOM_COUNT_CACHE  "false" to count every list on every request (default true)
    NEWSROOM_LOOKUP_CACHE  "false" to read the regions and bureaus on every request (default true)
    PRIVATE_MEDIA_ROOT  where photo originals are kept, never served (default: private-media/)
    ORIGINALS_ORIGIN  e.g. https://originals.example.org: staff fetch photo originals from this host of its own,
                    by links signed for them (default: none, originals come from the site's own host)
    ORIGINALS_LINK_SECONDS  how long such a signed link works (default 300)
    PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS  upload limits (default 20 MB, 40 million pixels)
    PHOTO_BACKGROUND_PIXELS  larger photos have their renditions made by a worker (default 8 million pixels)
    BULLETIN_MAX_FILE_BYTES, BULLETIN_MAX_BUNDLE_BYTES, BULLETIN_MAX_UNPACKED_BYTES, BULLETIN_MAX_ROWS,
    BULLETIN_MAX_JSON_DEPTH  import limits (default 20 MB, 300 MB, 100 MB unpacked XLSX, 100,000 rows, 20 levels)
    PENDING_UPLOAD_HOURS  uploads previewed and never confirmed are deleted after this long (default 24)
    EMAIL_BACKEND   the mailer's backend (default: SMTP, or the console in development without EMAIL_HOST)
    EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT
                    the SMTP server (default: localhost, port 25, or 587 with TLS, 465 with SSL)
    DEFAULT_FROM_EMAIL, SERVER_EMAIL   the sender of notifications, and of error mails
    ADMINS          comma-separated addresses mailed every server error (default: none)
    LOG_LEVEL       the least level logged to stderr (default INFO)
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


DEBUG = env_bool("DEBUG", True)

DEVELOPMENT_SECRET_KEY = "development-only-key-never-used-when-debug-is-off"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set. Production settings (DEBUG=false) need a real secret key.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 32 or more random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set. Production settings (DEBUG=false) need it.")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "reversion",
    "axes",
    "django_tasks_db",
    "django_rq",
    "newsroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.OriginalsHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# Readers' pages in Jinja2 (newsroom/jinja.py says why), found first; the admin's in Django's language.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "newsroom.context_processors.paper",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.paper",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers and one writer at a time without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries only: JIT compiling costs more than it saves, and hit searches on big archives.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Mail: SMTP in production (EMAIL_HOST, default the machine's own mail server), the console in
# development unless EMAIL_HOST is set.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG and not os.environ.get("EMAIL_HOST") else SMTP_BACKEND,
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME}}
if EMAIL_BACKEND_NAME == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST") or "localhost",
        "port": int(os.environ["EMAIL_PORT"]) if os.environ.get("EMAIL_PORT") else None,
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", 10)),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who gets a mail for every server error (with DEBUG off): comma-separated addresses, none by default.
ADMINS = env_list("ADMINS")

# Logging: every record, errors with their tracebacks, one JSON line each on stderr (where
# gunicorn and systemd collect them); server errors also mailed to ADMINS when there are any.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOG_HANDLERS = ["stderr", "mail_admins"] if ADMINS else ["stderr"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "newsroom.log_format.OneLineFormatter"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "line"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": LOG_HANDLERS, "level": LOG_LEVEL, "propagate": False},
        # axes notes every login at INFO; failures and lockouts are warnings.
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}

# Redis when REDIS_URL is set (shared by every web worker and machine); otherwise a folder that
# the workers of one machine share, or, in development, the one process's memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Without Redis, the web workers of one machine still share the cache (and the content version).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")),
        }
    }
# How far a background job has got, written by the worker and read by the page that shows it: shared
# by every process, so Redis where there is one and otherwise a folder on this machine.
if os.environ.get("REDIS_URL"):
    CACHES["progress"] = {**CACHES["default"], "KEY_PREFIX": "progress"}
else:
    CACHES["progress"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache"))) / "progress"),
    }

# Background work (newsroom/tasks.py): imports, undo, mail. Django's Tasks framework, queued in the
# database by default (a worker: `manage.py worker`), or in Redis with RQ for workers on many machines.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL") or os.environ.get("REDIS_URL") or ""
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "redis":
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs TASKS_REDIS_URL or REDIS_URL.")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f'TASKS_BACKEND must be "database" or "redis", not {TASKS_BACKEND!r}.')
# The RQ queue (used when TASKS_BACKEND=redis). A job may run an hour: a whole back catalogue.
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
# Staff follow jobs on their own pages (后台工作); RQ's own dashboard stays out of the admin.
RQ_SHOW_ADMIN_LINK = False
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", 600))

# Readers' pages are cached until something they show changes (newsroom/cache.py).
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
# The count of a list ("共 100,000 篇") is kept the same way, even where pages are rendered every time.
NEWSROOM_COUNT_CACHE = env_bool("NEWSROOM_COUNT_CACHE", True)
# The regions and bureaus (drop-downs, a region and those below it), kept in each worker's memory the same way.
NEWSROOM_LOOKUP_CACHE = env_bool("NEWSROOM_LOOKUP_CACHE", True)

# The paper's name as printed in the masthead, feeds and page titles.
NEWSROOM_TITLE = os.environ.get("NEWSROOM_TITLE", "甘肃政协报")

# Photos. Readers fetch only renditions (resized, metadata left out) from the
# "default" storage, under MEDIA_ROOT. Originals, as uploaded, go to "originals"
# under PRIVATE_MEDIA_ROOT, which the web server must not serve: staff see them
# through /staff/originals/. Either can move to object storage by changing its
# BACKEND and OPTIONS here (README, "Photos and storage").
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must not lie inside MEDIA_ROOT: originals would be public.")
# Originals can come from a host of their own, which serves nothing else and holds no session: a file
# that a browser did render there could reach neither the admin nor its cookies. Staff are sent there
# by a link signed for them, valid ORIGINALS_LINK_SECONDS (newsroom/staff_views.py).
ORIGINALS_ORIGIN = os.environ.get("ORIGINALS_ORIGIN", "").rstrip("/")
ORIGINALS_LINK_SECONDS = int(os.environ.get("ORIGINALS_LINK_SECONDS", 300))
if ORIGINALS_ORIGIN:
    _originals = urlsplit(ORIGINALS_ORIGIN)
    if _originals.scheme not in {"http", "https"} or not _originals.hostname or _originals.path:
        raise ImproperlyConfigured(
            "ORIGINALS_ORIGIN must be a scheme and a host, like https://originals.example.org, "
            f"not {ORIGINALS_ORIGIN!r}."
        )
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _originals.hostname]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "originals": {"BACKEND": "newsroom.images.OriginalsStorage"},
}
# Uploads above these are refused: bytes as sent, and pixels (width × height) once decoded.
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 20 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 40_000_000))
# Above this, a photo's renditions are made by a background worker (about 2 s for 24 million pixels).
PHOTO_BACKGROUND_PIXELS = int(os.environ.get("PHOTO_BACKGROUND_PIXELS", 8_000_000))

# Bulletin imports: the largest file, and the largest bundle, the admin's import screen takes;
# what one table may unpack to (XLSX), hold (rows, the header counted) and nest (JSON), checked
# before it is parsed (newsroom/bulletin/limits.py).
BULLETIN_MAX_FILE_BYTES = int(os.environ.get("BULLETIN_MAX_FILE_BYTES", 20 * 1024 * 1024))
BULLETIN_MAX_BUNDLE_BYTES = int(os.environ.get("BULLETIN_MAX_BUNDLE_BYTES", 300 * 1024 * 1024))
BULLETIN_MAX_UNPACKED_BYTES = int(os.environ.get("BULLETIN_MAX_UNPACKED_BYTES", 100 * 1024 * 1024))
BULLETIN_MAX_ROWS = int(os.environ.get("BULLETIN_MAX_ROWS", 100_000))
BULLETIN_MAX_JSON_DEPTH = int(os.environ.get("BULLETIN_MAX_JSON_DEPTH", 20))
# Uploads previewed and never confirmed are deleted after this many hours (manage.py expire_uploads).
PENDING_UPLOAD_HOURS = int(os.environ.get("PENDING_UPLOAD_HOURS", 24))

# Security and production serving ------------------------------------------------------
# Read by `manage.py check --deploy`; README, "Security and operations".
import datetime  # noqa: E402

from django.utils.csp import CSP  # noqa: E402

# Static files come from the WSGI workers through WhiteNoise. In production they are
# collected with content-hashed names and compressed (`make serve` runs collectstatic);
# development and the tests read them straight from the static folders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
if STATIC_MANIFEST:
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
else:
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True

# Every page, the public site's and the admin's, runs under this policy: scripts and styles
# from the site itself or carrying the request's nonce, nothing inline, no frames, no plugins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *env_list("CSP_MEDIA_ORIGINS")],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    # Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=true (it must set X-Forwarded-Proto).
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The admin's address (ADMIN_PATH, default "admin/") and its login, throttled by django-axes:
# after AXES_FAILURE_LIMIT failed logins for one account, or from one address, further tries
# are refused for AXES_COOLOFF_MINUTES (429, with Retry-After). A successful login clears its own
# account's count only (newsroom.auth_backends), and tries during a lockout do not extend it.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("ADMIN_PATH must not be empty: the public site lives at the root.")
AUTHENTICATION_BACKENDS = [
    "newsroom.auth_backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # axes would clear the whole address's count too
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_LOCKOUT_CALLABLE = "newsroom.auth_backends.lockout_response"
AXES_ENABLE_ADMIN = True  # superusers see and clear lockouts; also `manage.py axes_reset`
# Behind a proxy, the client's address is the one it sets (e.g. HTTP_X_FORWARDED_FOR).
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_CLIENT_IP_HEADERS", ["REMOTE_ADDR"])
