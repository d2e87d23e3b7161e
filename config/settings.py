"""Settings for the conference-guides CMS, read from the environment.

Everything that differs between a laptop and production comes from environment
variables (see README "Configuration"). The defaults are safe: DEBUG is off and
the database is a SQLite file next to manage.py.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECURE = env.bool("DJANGO_SECURE", default=False)
SECURE_PROXY = env.bool("DJANGO_SECURE_PROXY", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DEBUG off a real secret key is required: "
            "export DJANGO_SECRET_KEY=\"$(python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')\" "
            "(or set DJANGO_DEBUG=true for local development only)."
        )
    SECRET_KEY = "insecure-development-key-used-only-with-DEBUG-on"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

if SECURE:
    # The production profile names its hosts and database rather than guessing them.
    missing = [name for name in ("DJANGO_ALLOWED_HOSTS", "DATABASE_URL") if not env.str(name, "")]
    if missing:
        raise ImproperlyConfigured(
            f"DJANGO_SECURE=true (production) needs {' and '.join(missing)}: e.g. "
            "DJANGO_ALLOWED_HOSTS=guides.example.org "
            "DATABASE_URL=postgres://user:password@db:5432/guides (see README, Production)."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "django_filters",
    "storages",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "reversion",
    "reversion_compare",
    "huey.contrib.djhuey",
    # Our apps, lowest first: each imports only those above it (tests/test_architecture.py).
    "accounts",
    "papers",
    "images",
    "guides",
    "search",
    "discovery",
    "readers",
    "website",
    "api",
]

MIDDLEWARE = [
    # First: a cached public page skips everything below (it stores their headers).
    "website.page_cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "website.context_processors.canonical_url",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite by default (nothing to install); PostgreSQL when DATABASE_URL is set,
# e.g. postgres://user:password@127.0.0.1:5432/guides
DATABASES = {
    # An empty DATABASE_URL counts as unset.
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while an editor writes; IMMEDIATE takes the write
    # lock at the start of a transaction instead of failing half-way through it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # A server-side cursor costs three round trips (DECLARE, FETCH, CLOSE) where a query
    # costs one, and every filter form's choices would open one. (Also what PgBouncer
    # in transaction mode needs.)
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# Public views only read; the admin, imports and scripts that write open their own
# transactions. (A request-wide transaction would make every SQLite read take the
# write lock, with transaction_mode IMMEDIATE, and serialise the whole site.)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep connections between requests (a new PostgreSQL connection costs more than most
# pages' queries), checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered public pages (website.page_cache) and other cached values: this process's
# memory by default; Redis, shared by every process and server, when REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# DJANGO_PAGE_CACHE=false turns off the page cache (ETags and 304s stay), e.g. to
# measure rendering.
PAGE_CACHE = env.bool("DJANGO_PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = 24 * 3600

# A caching proxy or CDN in front (website.edge, deploy/varnish/): how long it may keep
# a public page (purged sooner by any change), serve it stale while fetching it again
# or while the site is down; the addresses purges go to (e.g. Varnish's
# "http://127.0.0.1:6081/"), comma-separated, none by default.
EDGE_MAX_AGE = env.int("DJANGO_EDGE_MAX_AGE", default=3600)
EDGE_STALE_WHILE_REVALIDATE = 60
EDGE_STALE_IF_ERROR = 24 * 3600
EDGE_PURGE_URLS = env.list("DJANGO_EDGE_PURGE_URLS", default=[])

# An import adding this many papers fits the embedder again (related papers, hybrid
# search) and maps its conference; smaller ones wait for `manage.py fit_embeddings`.
DISCOVERY_REFIT_AFTER = env.int("DJANGO_DISCOVERY_REFIT_AFTER", default=200)
# "auto": nearest papers in pgvector's HNSW index when PostgreSQL offers the extension
# (discovery/pgvector.py); "off": always exactly, in each process's memory.
DISCOVERY_PGVECTOR = env.str("DJANGO_DISCOVERY_PGVECTOR", default="auto")
# The site revision (website.page_cache) read from the cache, not the database: only
# when the cache is shared by every process, else one process would not see another's
# bumps.
SITE_REVISION_IN_CACHE = bool(REDIS_URL)

# Background jobs (huey): emails to readers and editors, scheduled publication, webinar
# reminders. On Redis when REDIS_URL is set; else in a SQLite file beside the site,
# so the embedded default needs nothing but Python. `manage.py run_huey` is the
# worker and the periodic scheduler. DJANGO_JOBS_IMMEDIATE=true runs each job at once
# in the process that queues it (tests; no worker needed).
JOBS_IMMEDIATE = env.bool("DJANGO_JOBS_IMMEDIATE", default=False)
HUEY = {
    "name": "guides",
    "immediate": JOBS_IMMEDIATE,
    "results": False,
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
    **(
        {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
        if REDIS_URL
        else {
            "huey_class": "huey.SqliteHuey",
            "filename": env.str("DJANGO_JOBS_FILE", default=str(BASE_DIR / "jobs.sqlite3")),
        }
    ),
}

# Email: DJANGO_EMAIL_URL names the server, e.g. smtp+tls://user:password@mail:587;
# by default emails are printed to the console (a laptop has no mail server). The
# update is django-environ's documented way to set all the EMAIL_* settings at once.
vars().update(env.email_url("DJANGO_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_FROM_EMAIL", default="Conference guides <guides@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20
# Links in emails point here: the site as readers reach it.
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Readers' emails per second at most, across every worker (mail servers throttle).
EMAILS_PER_SECOND = env.int("DJANGO_EMAILS_PER_SECOND", default=10)

# Comments (readers.comments): the least time between opening the form and sending
# it, and how many comments one address or one IP may send in ten minutes.
COMMENT_MIN_SECONDS = env.int("DJANGO_COMMENT_MIN_SECONDS", default=5)
COMMENT_LIMIT_PER_ADDRESS = env.int("DJANGO_COMMENT_LIMIT_PER_ADDRESS", default=5)
COMMENT_LIMIT_PER_IP = env.int("DJANGO_COMMENT_LIMIT_PER_IP", default=10)
COMMENT_MAX_LINKS = 2

AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Images (the images app): the cleaned originals, never served, and the renditions
# readers download. Local folders under MEDIA_ROOT by default, served by the site
# itself (website.views.media); an S3-compatible bucket when DJANGO_MEDIA_S3_BUCKET is set.
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
RENDITIONS_URL = MEDIA_URL + "renditions/"
RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"  # names are never reused
IMAGE_MAX_BYTES = env.int("DJANGO_IMAGE_MAX_BYTES", default=20 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("DJANGO_IMAGE_MAX_PIXELS", default=50_000_000)
MEDIA_S3_BUCKET = env.str("DJANGO_MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    _s3 = {
        "bucket_name": MEDIA_S3_BUCKET,
        "endpoint_url": env.str("DJANGO_MEDIA_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("DJANGO_MEDIA_S3_REGION", default="") or None,
        # Else boto3 finds credentials itself (AWS_ACCESS_KEY_ID…, or an instance role).
        "access_key": env.str("DJANGO_MEDIA_S3_ACCESS_KEY", default="") or None,
        "secret_key": env.str("DJANGO_MEDIA_S3_SECRET_KEY", default="") or None,
        "file_overwrite": False,
    }
    _public_domain = env.str("DJANGO_MEDIA_S3_CUSTOM_DOMAIN", default="") or None
    STORAGES["originals"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "originals", "default_acl": "private"},
    }
    STORAGES["renditions"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "renditions",
            "default_acl": env.str("DJANGO_MEDIA_S3_ACL", default="public-read") or None,
            "querystring_auth": False,
            "custom_domain": _public_domain,
            "object_parameters": {"CacheControl": RENDITION_CACHE_CONTROL},
        },
    }
    MEDIA_ORIGIN = (
        f"https://{_public_domain}"
        if _public_domain
        else _s3["endpoint_url"] or f"https://{MEDIA_S3_BUCKET}.s3.amazonaws.com"
    )
else:
    STORAGES["originals"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "originals", "base_url": None},
    }
    STORAGES["renditions"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "renditions", "base_url": RENDITIONS_URL},
    }
    MEDIA_ORIGIN = None

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

TAGGIT_CASE_INSENSITIVE = True

# The read API (/api/): public, read-only, JSON; documented by its OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.conventions.StrictPageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Conference guides API",
    "DESCRIPTION": "Published guides, their picks, and the papers, authors, conferences, "
    "topics and webinars they cover. Read-only.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.conventions.document_conventions",
    ],
}

# --- Accounts -------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # django-axes counts failed logins and locks a username+address out for a while.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed attempt, for the audit
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
if SECURE_PROXY:
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# The admin's address: somewhere less guessable than /admin/ in production.
ADMIN_PATH = env.str("DJANGO_ADMIN_PATH", default="admin/").strip("/") + "/"

# --- HTTPS and browser security ---------------------------------------------------

# DJANGO_SECURE=true is the production profile: HTTPS only (redirect, HSTS, secure
# cookies). Behind a proxy that terminates TLS, also set DJANGO_SECURE_PROXY=true.
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
if SECURE_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script anywhere: every script is a file from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The admin and Swagger UI set some style attributes; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
