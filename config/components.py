"""The declarative parts of the settings: they read no environment variable (config/settings.py
alone does, through config/env.py) and decide nothing by environment. config/settings.py imports
them; Django loads that one module.
"""

from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, SELF

from config import local_state

# --- Databases ------------------------------------------------------------------------------


def databases(
    *,
    default_url: str,
    medisch_url: str,
    conn_max_age: int,
    pool: dict | None,
    roles: dict[str, str],
    set_role: bool,
    pgbouncer: bool = False,
) -> dict:
    """DATABASES: `default`, and the `medisch` alias (MD-2, layer 2): same database, its own
    connection (and pool), its own role (VK_ROLE, set by config/db_roles.py). `pgbouncer`: behind
    PgBouncer in transaction mode, so no server-side cursors (a named cursor lives in the server
    session) and no prepared statements (Django's default with psycopg 3, kept explicitly)."""
    result = {
        "default": environ.Env.db_url_config(default_url),
        "medisch": environ.Env.db_url_config(medisch_url),
    }
    for alias, db in result.items():
        db.update({"CONN_MAX_AGE": conn_max_age, "CONN_HEALTH_CHECKS": True})
        if pool is not None:
            db["OPTIONS"] = {**db.get("OPTIONS", {}), "pool": {**pool, "name": f"vk-{alias}"}}
        db.update({"VK_ROLE": roles[alias], "VK_SET_ROLE": set_role})
        if pgbouncer:
            db["DISABLE_SERVER_SIDE_CURSORS"] = True
            db["OPTIONS"] = {**db.get("OPTIONS", {}), "prepare_threshold": None}
    result["default"]["ATOMIC_REQUESTS"] = False
    # In tests the medisch alias is a test mirror of default: Django creates no test database for
    # it but points it at default's, copying only the NAME, so it keeps its own connection and
    # role. Every test still opens (and rolls back) a transaction on it; TransactionTestCase
    # flushes only default (the same database).
    result["medisch"]["TEST"] = {"MIRROR": "default"}
    return result


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
    # OpClass in index expressions (the trigram indexes of verzuim migration 0007) needs its
    # ready(): without it the operator class ends up inside the expression's parentheses.
    "django.contrib.postgres",
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

MIDDLEWARE = [
    # Liveness/readiness probes before the host check, the HTTPS redirect and the session; then
    # one log line per request with its id (config/health.py, docs/operations.md).
    "config.health.HealthCheckMiddleware",
    "config.health.RequestLogMiddleware",
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
    # Inside CSPMiddleware, so the 405 page it renders carries the response's nonce.
    "accounts.error_pages.MethodNotAllowedPageMiddleware",
    # AxesMiddleware last: it turns a lockout into the Dutch lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [local_state.BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
                "accounts.context_processors.demo",
                "accounts.context_processors.session_timeout",
            ],
            "builtins": ["verzuim.templatetags.verzuim_tags"],
        },
    }
]

# --- Authentication (SE-1, SE-3, SE-8) --------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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

# --- API ----------------------------------------------------------------------------------


def rest_framework(token_throttle: str, sync_throttle: str) -> dict:
    """REST_FRAMEWORK, with the rate limits of the token endpoint (API_TOKEN_THROTTLE) and of the
    staff-list sync endpoints (API_SYNC_THROTTLE)."""
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "accounts.api_auth.BearerTokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        # Deny by default (SE-1, SE-2): authenticated *and* second factor verified.
        "DEFAULT_PERMISSION_CLASSES": ["accounts.api_auth.IsVerified"],
        # drf-spectacular's, plus the 400/401/403/404 error answers every operation can give.
        "DEFAULT_SCHEMA_CLASS": "accounts.schema.AutoSchema",
        "DEFAULT_THROTTLE_RATES": {"token": token_throttle, "werknemer_sync": sync_throttle},
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
        "AdviesKindEnum": "medisch.models.AdviesKind",
        "HerstelKindEnum": "verzuim.models.HerstelKind",
    },
}

# --- Cache and Celery ---------------------------------------------------------------------


def caches(*, test: bool, redis_url: str) -> dict:
    """CACHES (throttling): Redis, else the database; in tests memory (tests clear the cache
    between tests; Redis stays the Celery broker, untouched by that)."""
    if test:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vk_cache",
        }
    }


def test_worker_redis_url(redis_url: str, xdist_worker: str) -> str:
    """Under pytest -n, each test worker its own Redis database (queues, results): a worker
    started by one test process never takes another's tasks. Worker gwN uses database N + 1
    (0 stays the default)."""
    if not (redis_url and xdist_worker):
        return redis_url
    database = 1 + int(xdist_worker.removeprefix("gw"))
    return urlunsplit(urlsplit(redis_url)._replace(path=f"/{database}"))


def celery_broker(*, redis_url: str, visibility_timeout: int) -> tuple[str, dict, str]:
    """Celery's broker URL, transport options and result backend. BROKER_URL (else REDIS_URL) in
    production and CI; without either, kombu's filesystem transport under var/celery runs a real
    worker and beat with no external service (LIBRARIES.md, Celery). config/celery.py makes those
    folders when Celery is first configured in a process."""
    if redis_url:
        return redis_url, {"visibility_timeout": visibility_timeout}, redis_url
    folder = local_state.VAR_DIR / "celery"
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        # kombu's default is ./control, relative to wherever the process was started.
        "control_folder": str(folder / "control"),
    }
    return "filesystem://", options, f"file://{folder / 'results'}"


# --- Celery beat -------------------------------------------------------------------------------


def beat_schedule(
    *, cleanup_minutes: int, signals_hour: int, purge_hour: int, audit_chain_seconds: int = 5
) -> dict:
    """CELERY_BEAT_SCHEDULE: the periodic tasks, at the hours the environment sets."""
    return {
        # SE-7: chain the audit rows the requests appended (privacy.audit.chain_pending). A run
        # that waited longer than a few intervals is dropped: the next one does the same work.
        "privacy-chain-audit-log": {
            "task": "privacy.tasks.chain_audit_log",
            "schedule": timedelta(seconds=audit_chain_seconds),
            "options": {"expires": audit_chain_seconds * 6},
        },
        # SE-7: the audit log's monthly partitions, made months ahead (privacy/partitions.py).
        "privacy-audit-partitions": {
            "task": "privacy.tasks.prepare_audit_partitions",
            "schedule": crontab(hour=purge_hour, minute=30),
        },
        "accounts-cleanup-expired-credentials": {
            "task": "accounts.tasks.cleanup_expired_credentials",
            "schedule": timedelta(minutes=cleanup_minutes),
        },
        # Issue 23: a staff-list file left at its preview goes after a day, a sync's summary after
        # two years (verzuim.tasks.drop_stale_syncs).
        "verzuim-drop-stale-syncs": {
            "task": "verzuim.tasks.drop_stale_syncs",
            "schedule": timedelta(minutes=cleanup_minutes),
        },
        # RI-1: refresh every open case's next deadline and signal HR, daily before office hours.
        "verzuim-deadline-signals": {
            "task": "verzuim.tasks.send_deadline_signals",
            "schedule": crontab(hour=signals_hour, minute=0),
        },
        # AV-4: warn the operators before a breach's 72-hour clock runs out.
        "privacy-breach-signals": {
            "task": "privacy.tasks.signal_breach_deadlines",
            "schedule": timedelta(hours=1),
        },
        # AV-3: warn the operators a week before a data-subject request's deadline.
        "privacy-request-signals": {
            "task": "privacy.tasks.signal_request_deadlines",
            "schedule": crontab(hour=signals_hour, minute=15),
        },
        # RT-6 (issue 24): recompute every stored retention date and repair the drift, nightly
        # half an hour before the purge, so the purge works on corrected dates.
        "retention-check-dates": {
            "task": "retention.tasks.check_retention_dates",
            "schedule": crontab(hour=(purge_hour - 1) % 24, minute=30),
        },
        # RT-6: delete what has passed its retention date, daily at night.
        "retention-purge": {
            "task": "retention.tasks.purge_expired",
            "schedule": crontab(hour=purge_hour, minute=0),
        },
    }


# --- Logging: never medical content (MD-2); request data is not logged ---------------------


def logging_config(level: str) -> dict:
    """LOGGING: to the console; never medical content (MD-2), never request data."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            # WeasyPrint logs each step of every PDF at INFO: not a line per request.
            "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }
