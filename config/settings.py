"""Verzuimkluis settings: one module, driven by environment variables.

Every variable read here is listed in README.md's configuration table. Defaults are safe:
VK_ENVIRONMENT defaults to "production" (HTTPS, secure cookies, a SECRET_KEY must be given),
DEBUG is off unless asked. `make run` sets VK_ENVIRONMENT=development, `make test` sets test.
"""

import os
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

from config import local_state

BASE_DIR = local_state.BASE_DIR
VAR_DIR = local_state.VAR_DIR

env = environ.Env()

ENVIRONMENT = env.str("VK_ENVIRONMENT", default="production")
if ENVIRONMENT not in {"production", "development", "test"}:
    raise ImproperlyConfigured("VK_ENVIRONMENT must be production, development or test")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env.bool("DEBUG", default=False)


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when VK_ENVIRONMENT=production")
    # Outside production a random key kept in var/secret_key, created at its first use (a signed
    # cookie, a token), never by importing these settings.
    SECRET_KEY = lazy(local_state.local_secret_key, str)()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Database -------------------------------------------------------------------------
# DATABASE_URL when set; otherwise the embedded PostgreSQL under ./var (DESIGN.md, Runtime).
DATABASE_URL = env.str("DATABASE_URL", default="")
# VK_EMBEDDED_DATABASE is set by config.devserver and manage.py (config/embedded_db.py) when they
# start the embedded server and put its URL in DATABASE_URL; it only marks the database as the demo
# one (`make code`).
EMBEDDED_DATABASE = not DATABASE_URL or env.bool("VK_EMBEDDED_DATABASE", default=False)
if not DATABASE_URL:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL is required when VK_ENVIRONMENT=production")
    # Only the embedded server's address: these settings never start it (config/embedded_db.py
    # says which commands do).
    DATABASE_URL = local_state.embedded_database_url()

# Connection pool (issue 15, item 7): psycopg's pool through Django's OPTIONS["pool"], one pool
# per alias per process, so a process holds at most DB_POOL_MAX_SIZE connections per alias however
# many threads serve requests (runserver starts a thread per HTTP connection and, unpooled, each
# kept one connection per alias open: 50 clients exhausted the embedded server's 100). Django
# requires CONN_MAX_AGE=0 with a pool: a connection goes back to the pool at the end of every
# request, and CONN_HEALTH_CHECKS makes the pool check it before handing it out. The role is set
# again at every checkout (config/db_roles.py). Off under VK_ENVIRONMENT=test: a test holds one
# connection per alias inside its transaction anyway; tests/accounts/test_connections.py tests the
# pool itself.
DB_POOL = env.bool("DB_POOL", default=ENVIRONMENT != "test")
DB_POOL_MIN_SIZE = env.int("DB_POOL_MIN_SIZE", default=1)
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=10)
DB_POOL_TIMEOUT = env.float("DB_POOL_TIMEOUT", default=30.0)
if DB_POOL:
    if not 0 <= DB_POOL_MIN_SIZE <= DB_POOL_MAX_SIZE or DB_POOL_MAX_SIZE < 1:
        raise ImproperlyConfigured("DB_POOL_MIN_SIZE must be between 0 and DB_POOL_MAX_SIZE (>= 1)")
    if env.int("DB_CONN_MAX_AGE", default=0) != 0:
        raise ImproperlyConfigured("DB_CONN_MAX_AGE applies without a pool only: set DB_POOL=false")
_CONN_MAX_AGE = 0 if DB_POOL else env.int("DB_CONN_MAX_AGE", default=60)


def _pooled(db: dict, alias: str) -> None:
    if DB_POOL:
        db["OPTIONS"] = {
            **db.get("OPTIONS", {}),
            "pool": {
                "min_size": DB_POOL_MIN_SIZE,
                "max_size": DB_POOL_MAX_SIZE,
                "timeout": DB_POOL_TIMEOUT,
                "name": f"vk-{alias}",
            },
        }


_default_db = environ.Env.db_url_config(DATABASE_URL)
_default_db.update(
    {
        "CONN_MAX_AGE": _CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }
)
# The medisch alias (MD-2, layer 2): same database, its own connection (and pool), its own role.
_medisch_db = environ.Env.db_url_config(env.str("MEDISCH_DATABASE_URL", default=DATABASE_URL))
_medisch_db.update({"CONN_MAX_AGE": _CONN_MAX_AGE, "CONN_HEALTH_CHECKS": True})
_pooled(_default_db, "default")
_pooled(_medisch_db, "medisch")
# Connections drop to these roles (config/db_roles.py): the application role has no privileges on
# medical tables; the medisch role alone has. DB_SET_ROLE=false when logging in as the roles.
DB_APP_ROLE = env.str("DB_APP_ROLE", default="vk_app")
DB_MEDISCH_ROLE = env.str("DB_MEDISCH_ROLE", default="vk_medisch")
DB_SET_ROLE = env.bool("DB_SET_ROLE", default=True)
_default_db.update({"VK_ROLE": DB_APP_ROLE, "VK_SET_ROLE": DB_SET_ROLE})
_medisch_db.update({"VK_ROLE": DB_MEDISCH_ROLE, "VK_SET_ROLE": DB_SET_ROLE})
# In tests the medisch alias uses the same test database (Django mirrors only the NAME, so it
# keeps its own role).
_medisch_db["TEST"] = {"MIRROR": "default"}
DATABASES = {"default": _default_db, "medisch": _medisch_db}
DATABASE_ROUTERS = ["config.routers.MedischRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ---------------------------------------------------------------------
INSTALLED_APPS = [
    # First: its migrate/flush/createcachetable replace Django's (config/apps.py).
    "config",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "pgtrigger",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "privacy",
    "accounts",
    "verzuim",
    "medisch",
    "reintegratie",
    "doelgroep",
    "retention",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ASVS 14.3.2: no page with personal data is cached by a browser or proxy.
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every page needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    # SE-6: a NUL or unpaired surrogate in the path or query string is a 400, never a 500.
    "accounts.input_guard.RefuseBadCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware last: it turns a lockout into the Dutch lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
                "accounts.context_processors.demo",
            ],
            "builtins": ["verzuim.templatetags.verzuim_tags"],
        },
    }
]

# --- Authentication (SE-1, SE-3, SE-8) --------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "two_factor:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id at OWASP's parameters (accounts/hashers.py); PBKDF2 kept to verify older hashes,
# which are upgraded at the next login.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TWO_FACTOR_PATCH_ADMIN = False  # the admin site itself requires OTP (config.urls)
OTP_TOTP_ISSUER = "Verzuimkluis"
OTP_TOTP_THROTTLE_FACTOR = 1
TWO_FACTOR_QR_FACTORY = "qrcode.image.svg.SvgPathImage"
TWO_FACTOR_REMEMBER_COOKIE_AGE = None

# django-axes: lock a username+IP pair after repeated failures, with a cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

# Sessions: idle expiry 30 min (refreshed on every request), absolute 12 h (middleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Transport security (SE-8) ---------------------------------------------------------
HTTPS = env.bool("HTTPS", default=PRODUCTION)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# CSP without unsafe-inline: every script and style is a file under static/ (or carries the
# per-request nonce); nothing is loaded from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- I18N -------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]

# --- Static files (vendored only, SE-8) ---------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Cache (throttling) -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … under pytest -n
if ENVIRONMENT == "test" and REDIS_URL and _XDIST_WORKER:
    # Each test worker its own Redis database (queues, results): a worker started by one test
    # process never takes another's tasks. Worker gwN uses database N + 1 (0 stays the default).
    _parts = urlsplit(REDIS_URL)
    _db = 1 + int(_XDIST_WORKER.removeprefix("gw"))
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{_db}"))
if ENVIRONMENT == "test":
    # Tests clear the cache between tests; Redis stays the Celery broker, untouched by that.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vk_cache",
        }
    }

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Verzuimkluis <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# --- API ----------------------------------------------------------------------------------
API_TOKEN_LIFETIME = timedelta(hours=env.int("API_TOKEN_HOURS", default=8))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default (SE-1, SE-2): authenticated *and* second factor verified.
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api_auth.IsVerified"],
    # drf-spectacular's, plus the 400/401/403/404 error answers every operation can give.
    "DEFAULT_SCHEMA_CLASS": "accounts.schema.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_TOKEN_THROTTLE", default="10/min")},
    "EXCEPTION_HANDLER": "accounts.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Verzuimkluis API",
    "DESCRIPTION": "Verzuim- en re-integratie-API. Alle routes vereisen een OTP-geverifieerde "
    "gebruiker (Bearer-token uit POST /api/v1/auth/token/).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page are behind the same deny-by-default as the API itself.
    "SERVE_PERMISSIONS": ["accounts.api_auth.IsVerified"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VerzuimExpectedDurationEnum": "verzuim.models.ExpectedDuration",
        "AdviesExpectedDurationEnum": "medisch.models.ExpectedDuration",
    },
}

# --- Celery -------------------------------------------------------------------------------
# REDIS_URL in production and CI; without it kombu's filesystem transport under ./var runs a
# real worker and beat with no external service (LIBRARIES.md, Celery).
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# Redis hands an unacknowledged task (its worker was killed: acks_late) to another worker after
# the visibility timeout; it must outlast the longest task, the purge (retention/tasks.py also
# keeps two purges from running side by side).
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=6 * 60 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # kombu's default is ./control, relative to wherever the process was started.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
)
# config/celery.py makes these folders when Celery is first configured in a process.
CELERY_RESULT_BACKEND = REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "accounts-cleanup-expired-credentials": {
        "task": "accounts.tasks.cleanup_expired_credentials",
        "schedule": timedelta(minutes=env.int("CLEANUP_INTERVAL_MINUTES", default=60)),
    },
    # RI-1: refresh every open case's next deadline and signal HR, daily before office hours.
    "verzuim-deadline-signals": {
        "task": "verzuim.tasks.send_deadline_signals",
        "schedule": crontab(hour=env.int("SIGNALS_HOUR", default=6), minute=0),
    },
    # AV-4: warn the operators before a breach's 72-hour clock runs out.
    "privacy-breach-signals": {
        "task": "privacy.tasks.signal_breach_deadlines",
        "schedule": timedelta(hours=1),
    },
    # AV-3: warn the operators a week before a data-subject request's deadline.
    "privacy-request-signals": {
        "task": "privacy.tasks.signal_request_deadlines",
        "schedule": crontab(hour=env.int("SIGNALS_HOUR", default=6), minute=15),
    },
    # RT-6: delete what has passed its retention date, daily at night.
    "retention-purge": {
        "task": "retention.tasks.purge_expired",
        "schedule": crontab(hour=env.int("PURGE_HOUR", default=3), minute=0),
    },
}

# --- Logging: never medical content (MD-2); request data is not logged ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
ADMINS = []  # no error e-mails: tracebacks can carry request data (MD-2)

# --- Medical module (MD-3) -----------------------------------------------------------------
# Keys: MEDICAL_ENCRYPTION_KEYS or MEDICAL_ENCRYPTION_KEY_FILE, read by encryption/crypto.py.
MEDICAL_FILES_ROOT = env.str("MEDICAL_FILES_ROOT", default=str(VAR_DIR / "medical-files"))
MEDICAL_UPLOAD_MAX_BYTES = env.int("MEDICAL_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

# AV-5: who is responsible, shown on the public privacy statement.
PRIVACY_CONTROLLER = env.str(
    "PRIVACY_CONTROLLER", default="Verzuimkluis Arbodienst B.V., privacy@verzuimkluis.example"
)
PRIVACY_DPO = env.str(
    "PRIVACY_DPO", default="Functionaris gegevensbescherming, fg@verzuimkluis.example"
)

# DG-5: the k of the k-anonymous inclusion reports (cells below k are suppressed).
DOELGROEP_K = max(2, env.int("DOELGROEP_K", default=5))

# --- Demo ---------------------------------------------------------------------------------
DEMO_CREDENTIALS_PATH = VAR_DIR / "demo-credentials.json"
