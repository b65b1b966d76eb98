"""Verzuimkluis settings: one module, driven by environment variables.

Every variable is read through config/env.py, which documents it where it is read; README's
configuration table is printed from those documents (`python -m config.env_table`). Defaults are
safe: VK_ENVIRONMENT defaults to "production" (HTTPS, secure cookies, a SECRET_KEY must be
given), DEBUG is off unless asked. `make run` sets VK_ENVIRONMENT=development, `make test` test.

Importing this module has no side effect: it starts no database and writes no file
(config/local_state.py, config/embedded_db.py). The declarative parts that read no variable are
in config/components.py.
"""

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

from config import components, local_state
from config.env import document, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = local_state.BASE_DIR
VAR_DIR = local_state.VAR_DIR

ENVIRONMENT = env_str(
    "VK_ENVIRONMENT",
    "production",
    "`production`, `development` (`make run`) or `test` (`make test`)",
)
if ENVIRONMENT not in {"production", "development", "test"}:
    raise ImproperlyConfigured("VK_ENVIRONMENT must be production, development or test")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", False, "Django debug pages; never in production")

SECRET_KEY = env_str(
    "SECRET_KEY",
    "",
    "outside production a random key is kept in `var/secret_key`, made at its first use",
    shown="— (required in production)",
)
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when VK_ENVIRONMENT=production")
    # Read (and at the very first use created) when something signs, never at import.
    SECRET_KEY = lazy(local_state.local_secret_key, str)()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"], "comma-separated host names")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [], "comma-separated origins, e.g. `https://verzuim.example`"
)

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str(
    "DATABASE_URL",
    "",
    "`postgres://user:pass@host:5432/db`",
    shown="embedded PostgreSQL in `./var/pgdata` (not in production)",
)
_embedded_flag = env_bool(
    "VK_EMBEDDED_DATABASE",
    False,
    "`1` from `make run` and from manage.py when they start the embedded PostgreSQL and pass its "
    "URL in `DATABASE_URL` (`config/embedded_db.py`): marks the database as the demo one "
    "(`make code`, the demo notice)",
)
EMBEDDED_DATABASE = not DATABASE_URL or _embedded_flag
if not DATABASE_URL:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL is required when VK_ENVIRONMENT=production")
    # Only the embedded server's address: these settings never start it (config/embedded_db.py
    # says which commands do).
    DATABASE_URL = local_state.embedded_database_url()
MEDISCH_DATABASE_URL = env_str(
    "MEDISCH_DATABASE_URL",
    DATABASE_URL,
    "connection of the `medisch` alias (its own PostgreSQL role, MD-2)",
    shown="= `DATABASE_URL`",
)

# Connection pool (issue 15, item 7): psycopg's pool (Django's OPTIONS["pool"]), one per alias per
# process, so a process holds at most DB_POOL_MAX_SIZE connections per alias however many threads
# serve requests (unpooled, runserver's thread per client kept one each: 50 clients exhausted the
# embedded server's 100). Django requires CONN_MAX_AGE=0 with a pool; CONN_HEALTH_CHECKS checks a
# connection at checkout, config/db_roles.py sets its role again. Off under VK_ENVIRONMENT=test: a
# test holds one connection per alias in its transaction anyway (tests/accounts/test_connections.py
# tests the pool).
DB_POOL = env_bool(
    "DB_POOL",
    ENVIRONMENT != "test",
    "a psycopg connection pool per database alias per process (see below); `false`: persistent "
    "connections per thread",
    shown="`true` (`false` under `test`)",
)
DB_POOL_MIN_SIZE = env_int(
    "DB_POOL_MIN_SIZE", 1, "connections per alias a process keeps open when idle"
)
DB_POOL_MAX_SIZE = env_int(
    "DB_POOL_MAX_SIZE",
    10,
    "most connections per alias per process; a request past it waits for one",
)
DB_POOL_TIMEOUT = env_float(
    "DB_POOL_TIMEOUT",
    30.0,
    "seconds a request waits for a pooled connection before it fails (500)",
    shown="`30`",
)
_conn_max_age = env_int(
    "DB_CONN_MAX_AGE",
    None,
    "persistent connection lifetime, seconds; only with `DB_POOL=false` (a pool with a non-zero "
    "value is refused at start)",
    shown="`60`",
)
if DB_POOL:
    if not 0 <= DB_POOL_MIN_SIZE <= DB_POOL_MAX_SIZE or DB_POOL_MAX_SIZE < 1:
        raise ImproperlyConfigured("DB_POOL_MIN_SIZE must be between 0 and DB_POOL_MAX_SIZE (>= 1)")
    if _conn_max_age not in (None, 0):
        raise ImproperlyConfigured("DB_CONN_MAX_AGE applies without a pool only: set DB_POOL=false")
_CONN_MAX_AGE = 0 if DB_POOL else 60 if _conn_max_age is None else _conn_max_age

# Connections drop to these roles (config/db_roles.py): the application role has no privileges on
# medical tables; the medisch role alone has. DB_SET_ROLE=false when logging in as the roles.
DB_APP_ROLE = env_str(
    "DB_APP_ROLE",
    "vk_app",
    "PostgreSQL role of the default alias: no privileges on medical tables (MD-2)",
)
DB_MEDISCH_ROLE = env_str(
    "DB_MEDISCH_ROLE",
    "vk_medisch",
    "PostgreSQL role of the `medisch` alias: alone has privileges on medical tables",
)
DB_SET_ROLE = env_bool(
    "DB_SET_ROLE",
    True,
    "connections `SET ROLE` to the roles above; `false` when logging in as those roles directly "
    "(production)",
)
# Behind PgBouncer in transaction mode (issue 20, item 5; README "Beyond one machine"): a server
# connection serves another client after every transaction, so nothing may live in the session.
# Django already sends no prepared statements with psycopg 3 (prepare_threshold=None) and binds
# parameters client-side; what is left: no server-side cursors (`.iterator()`), no `SET ROLE` at
# checkout (the roles log in themselves), and the purge's session-level lock needs a direct
# connection (retention/tasks.py refuses to run behind PgBouncer: workers connect directly).
DB_PGBOUNCER = env_bool(
    "DB_PGBOUNCER",
    False,
    "`DATABASE_URL`/`MEDISCH_DATABASE_URL` point at PgBouncer in transaction mode: no server-side "
    "cursors; requires `DB_SET_ROLE=false`; the purge then refuses (run workers directly)",
)
if DB_PGBOUNCER and DB_SET_ROLE:
    raise ImproperlyConfigured(
        "DB_PGBOUNCER=true needs DB_SET_ROLE=false: behind transaction pooling a SET ROLE does not "
        "stay with the connection; log in as DB_APP_ROLE and DB_MEDISCH_ROLE themselves"
    )
DATABASES = components.databases(
    default_url=DATABASE_URL,
    medisch_url=MEDISCH_DATABASE_URL,
    conn_max_age=_CONN_MAX_AGE,
    pool=(
        {"min_size": DB_POOL_MIN_SIZE, "max_size": DB_POOL_MAX_SIZE, "timeout": DB_POOL_TIMEOUT}
        if DB_POOL
        else None
    ),
    roles={"default": DB_APP_ROLE, "medisch": DB_MEDISCH_ROLE},
    set_role=DB_SET_ROLE,
    pgbouncer=DB_PGBOUNCER,
)
DATABASE_ROUTERS = ["config.routers.MedischRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = components.INSTALLED_APPS
MIDDLEWARE = components.MIDDLEWARE
TEMPLATES = components.TEMPLATES
SITE_ID = 1
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# --- Authentication (SE-1, SE-3, SE-8) --------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "two_factor:login"
AUTH_PASSWORD_VALIDATORS = components.AUTH_PASSWORD_VALIDATORS
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
AXES_FAILURE_LIMIT = env_int(
    "AXES_FAILURE_LIMIT", 5, "failed password attempts before a username+IP pair is locked"
)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("AXES_COOLOFF_MINUTES", 15, "how long a lockout lasts, minutes")
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

# Sessions: idle expiry 30 min (refreshed on every request), absolute 12 h (middleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, "idle session expiry (SE-8)")
SESSION_ABSOLUTE_SECONDS = env_int(
    "SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60, "absolute session expiry after login (SE-8)"
)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Transport security (SE-8) ---------------------------------------------------------
HTTPS = env_bool(
    "HTTPS", PRODUCTION, "secure cookies, HSTS, HTTP→HTTPS redirect", shown="`true` in production"
)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, "HSTS max-age")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False, "trust `X-Forwarded-Proto` from the load balancer"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = components.CONTENT_SECURITY_POLICY

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
# Tests: WhiteNoise looks a static file up when it is asked for, instead of scanning every
# finder when its middleware is built — Django's test client builds the middleware for every
# Client, and the scan was most of a request's time in the test suite (CI budget).
# Development and production keep WhiteNoise's default (DEBUG).
if ENVIRONMENT == "test":
    WHITENOISE_AUTOREFRESH = True

# --- Cache (throttling) -------------------------------------------------------------------
REDIS_URL = env_str(
    "REDIS_URL",
    "",
    "cache (throttling); also Celery's broker and result backend unless `BROKER_URL` is set",
    shown="empty → Celery on the filesystem under `./var/celery`, cache in the database",
)
# The broker must keep its queues across a restart (append-only file, deploy/redis-broker.conf)
# and must never evict; a cache wants the opposite (no fsync per write, eviction when full).
# Production runs two Redis servers; one URL for both stays fine where a restart may lose tasks.
BROKER_URL = (
    env_str(
        "BROKER_URL",
        "",
        "Celery broker and result backend: a Redis with append-only persistence and no eviction "
        "(`deploy/redis-broker.conf`), so queued and unacknowledged tasks survive its restart",
        shown="= `REDIS_URL`",
    )
    or REDIS_URL
)
_XDIST_WORKER = env_str(
    "PYTEST_XDIST_WORKER",
    "",
    "set by pytest-xdist in each test worker (`gw0`, `gw1`, …); under `test` worker `gwN` uses "
    "Redis database N + 1",
)
if ENVIRONMENT == "test":
    REDIS_URL = components.test_worker_redis_url(REDIS_URL, _XDIST_WORKER)
    BROKER_URL = components.test_worker_redis_url(BROKER_URL, _XDIST_WORKER)
CACHES = components.caches(test=ENVIRONMENT == "test", redis_url=REDIS_URL)

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
    "Django e-mail backend",
    shown="SMTP in production, console otherwise",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost", "SMTP server")
EMAIL_PORT = env_int("EMAIL_PORT", 587, "SMTP port")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "", "SMTP user name")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "", "SMTP password")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True, "STARTTLS to the SMTP server")
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL",
    "Verzuimkluis <noreply@localhost>",
    "sender of password, account and notification e-mails",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str(
    "SITE_URL",
    "http://127.0.0.1:8000",
    "scheme and host of this site as users reach it, e.g. `https://verzuim.example`: the links "
    "in notification e-mails (accounts/notifications.py) start with it",
).rstrip("/")
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# --- API ----------------------------------------------------------------------------------
API_TOKEN_LIFETIME = timedelta(
    hours=env_int("API_TOKEN_HOURS", 8, "lifetime of API bearer tokens, hours")
)
# Issue 23: the HR system's machine account (ApiToken scope "werknemers-sync"), issued on the
# page "Koppeling HR-systeem" after the second factor; it only reaches the sync endpoints.
API_SYNC_TOKEN_LIFETIME = timedelta(
    days=env_int(
        "API_SYNC_TOKEN_DAYS", 90, "lifetime of HR-system sync tokens (werknemers-sync), days"
    )
)
REST_FRAMEWORK = components.rest_framework(
    token_throttle=env_str(
        "API_TOKEN_THROTTLE", "10/min", "rate limit of `POST /api/v1/auth/token/`"
    ),
    sync_throttle=env_str(
        "API_SYNC_THROTTLE",
        "60/min",
        "rate limit per user of the staff-list sync endpoints (`/api/v1/werknemers/sync/` and "
        "`/api/v1/werknemers/nummer/<personeelsnummer>/`)",
    ),
)
SPECTACULAR_SETTINGS = components.SPECTACULAR_SETTINGS

# --- Celery -------------------------------------------------------------------------------
# Redis hands an unacknowledged task (its worker was killed: acks_late) to another worker after
# the visibility timeout; it must outlast the longest task, the purge (retention/tasks.py also
# keeps two purges from running side by side).
BROKER_VISIBILITY_TIMEOUT = env_int(
    "CELERY_VISIBILITY_TIMEOUT",
    6 * 60 * 60,
    "seconds before Redis hands a task of a killed worker to another one; longer than the "
    "longest task (the purge)",
)
CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_RESULT_BACKEND = (
    components.celery_broker(redis_url=BROKER_URL, visibility_timeout=BROKER_VISIBILITY_TIMEOUT)
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = components.beat_schedule(
    cleanup_minutes=env_int(
        "CLEANUP_INTERVAL_MINUTES", 60, "beat interval of expired session/token cleanup"
    ),
    signals_hour=env_int(
        "SIGNALS_HOUR",
        6,
        "hour (Europe/Amsterdam) of the daily signal e-mails: Poortwachter deadlines at :00, "
        "data-subject requests at :15",
    ),
    purge_hour=env_int("PURGE_HOUR", 3, "hour (local time) of the daily retention purge (RT-6)"),
    audit_chain_seconds=env_int(
        "AUDIT_CHAIN_SECONDS",
        5,
        "beat interval of the audit log's chainer: how long a new audit row may stay unchained "
        "(SE-7)",
    ),
)
# SE-7: the audit log is kept at least 5 years (NEN 7513); a month's partition is dropped whole
# once every row in it is older than this (privacy/partitions.py). The database function that
# drops it refuses anything younger than 5 years, whatever this says.
AUDIT_RETENTION_YEARS = env_int(
    "AUDIT_RETENTION_YEARS",
    5,
    "years the audit log is kept after the end of each month (at least 5: SE-7, NEN 7513)",
)
if AUDIT_RETENTION_YEARS < 5:
    raise ImproperlyConfigured("AUDIT_RETENTION_YEARS: the audit log is kept at least 5 years")
AUDIT_PARTITIONS_AHEAD = env_int(
    "AUDIT_PARTITIONS_AHEAD",
    3,
    "months of audit-log partitions made ahead of time (daily task; a row outside them lands in "
    "the default partition, never lost)",
)

# --- Logging: never medical content (MD-2); request data is not logged ---------------------
LOGGING = components.logging_config(
    env_str("LOG_LEVEL", "INFO", "root log level (logs never carry medical content)")
)
ADMINS = []  # no error e-mails: tracebacks can carry request data (MD-2)

# --- Medical module (MD-3) -----------------------------------------------------------------
# The keys are read by encryption/crypto.py when first needed, never kept in settings.
document(
    "MEDICAL_ENCRYPTION_KEYS",
    "",
    "`keyid:base64url-32-bytes`, comma-separated; the first encrypts, all decrypt (MD-3); read "
    "by `encryption/crypto.py`",
    shown="— (required in production; a generated `var/medical.keys` otherwise)",
)
document(
    "MEDICAL_ENCRYPTION_KEY_FILE",
    "",
    "alternative to the above: a file with one `keyid:key` per line",
    shown="—",
)
MEDICAL_FILES_ROOT = env_str(
    "MEDICAL_FILES_ROOT",
    str(VAR_DIR / "medical-files"),
    "where encrypted medical documents are stored (never served by URL)",
    shown="`var/medical-files/`",
)
MEDICAL_UPLOAD_MAX_BYTES = env_int(
    "MEDICAL_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, "largest medical document accepted (10 MB)"
)
# Request size (issue 18 item 5). The text of a request — form fields, a JSON body — may be
# 2 MB: room for every field at its limit (core/limits.py, at most a few hundred kB together),
# so that a text over a field's limit comes back at that field with the form intact, while a
# larger body is refused before it is read: RequestDataTooBig, answered 413 with a page
# (accounts/error_pages.py). Uploaded files do not count here (multipart file parts); their
# limit is MEDICAL_UPLOAD_MAX_BYTES and the CSV import's own check.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
CSRF_FAILURE_VIEW = "accounts.error_pages.csrf_failure"

# AV-5: who is responsible, shown on the public privacy statement.
PRIVACY_CONTROLLER = env_str(
    "PRIVACY_CONTROLLER",
    "Verzuimkluis Arbodienst B.V., privacy@verzuimkluis.example",
    "controller and contact on the privacy statement (AV-5)",
)
PRIVACY_DPO = env_str(
    "PRIVACY_DPO",
    "Functionaris gegevensbescherming, fg@verzuimkluis.example",
    "data protection officer's contact on the privacy statement (AV-5)",
)

# DG-5: the k of the k-anonymous inclusion reports (cells below k are suppressed).
DOELGROEP_K = max(
    2, env_int("DOELGROEP_K", 5, "k of the k-anonymous inclusion reports (DG-5); at least 2")
)

# Issue 23: the staff list's sync with the HR system (verzuim/hr_sync.py). A file or an API page
# that would end the employment of, or rename, more than this share of the staff at once needs an
# explicit confirmation (a checkbox on the page, `confirm` in the API); below the floor never.
HR_SYNC_GUARD_SHARE = env_float(
    "HR_SYNC_GUARD_SHARE",
    0.10,
    "share of the staff that may leave or be renamed in one sync without an explicit "
    "confirmation (0.10 = 10 %)",
)
HR_SYNC_GUARD_MIN = env_int(
    "HR_SYNC_GUARD_MIN",
    3,
    "fewest leavers or renames that can trigger that confirmation (small employers)",
)
HR_IMPORT_MAX_BYTES = env_int(
    "HR_IMPORT_MAX_BYTES", 5 * 1024 * 1024, "largest staff-list CSV accepted (5 MB)"
)

# --- Demo ---------------------------------------------------------------------------------
DEMO_CREDENTIALS_PATH = VAR_DIR / "demo-credentials.json"

# --- Re-integratie --------------------------------------------------------------------------
# RI-12: the oldest actueel oordeel of the bedrijfsarts the completeness check accepts for the
# re-integratieverslag, in days (reintegratie/completeness.py). UWV wants the current judgement:
# the doctor makes it shortly before the WIA application, around week 89-91, and the eindevaluatie
# is written from it (poortwachtersloket.nl, "WIA-aanvraag": two weeks before the application;
# rendement.nl, "Wat is een eindevaluatie": by week 91); the Beleidsregels vorm- en
# herkenbaarheidsvereisten reïntegratieverslagen (BWBR0015184) art. 2 lid 2 sub c name it as its
# own element. The three months used here are the figure commonly given for UWV's check; it was
# not found verbatim in the sources searched, so it is a setting that can follow UWV.
ACTUEEL_OORDEEL_MAX_AGE_DAYS = 91
# RI-12: UWV accepts an uploaded document of the re-integratieverslag up to 10 MB (UWV, "Het
# re-integratieverslag indienen"); the bundle (reintegratie/bundle.py) refuses to grow past it.
UWV_MAX_UPLOAD_BYTES = env_int(
    "UWV_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, "largest PDF UWV accepts per upload, in bytes"
)
