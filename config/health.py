"""Liveness and readiness for the proxy and the container runtime (issue 22, item 3), and one
log line per request with a request id (item 5; docs/operations.md).

- `GET /healthz`: the process answers. "ok", nothing else: no version, no host, no database.
- `GET /readyz`: both database logins (the `default` and `medisch` aliases, MD-2) answer a
  `SELECT 1`, and the Celery broker accepts a connection. "ok" (200) or "niet gereed" (503); which
  part failed goes to the log only (logger `verzuimkluis.health`), never to the caller.

Both are answered by a middleware at the top of the stack, before the host check, the HTTPS
redirect, the session, the login requirement and the audit log: a probe comes from inside the
deployment (`http://web:8000/healthz`, no proxy headers, no session) and must not need any of
them, nor leave a session or a log line behind. No library does only this: django-health-check
reports each component's state and error text to the caller, which these probes must not.

`RequestLogMiddleware` writes one line per request to the logger `verzuimkluis.request`:
request id, method, the URL pattern's name (never the path or its query string, which can carry a
name typed into a search), status and duration. The request id is the proxy's `X-Request-ID`
(nginx `$request_id`, deploy/nginx.conf) when it is a plain token, otherwise a new one; it goes
back in the response header, so a user's report, the proxy's access log and the application's
line meet on it.
"""

import logging
import re
import time
import uuid

from django.db import connections
from django.http import HttpResponse

logger = logging.getLogger("verzuimkluis.health")
request_logger = logging.getLogger("verzuimkluis.request")

PROBES = ("/healthz", "/readyz")
READY_ALIASES = ("default", "medisch")
BROKER_TIMEOUT = 2.0  # seconds
REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _plain(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


def database_ready(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 — any failure means "not ready"; logged, not shown
        logger.warning("readiness: database alias %s does not answer", alias, exc_info=True)
        return False


def broker_ready() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
        return True
    except Exception:  # noqa: BLE001 — any failure means "not ready"; logged, not shown
        logger.warning("readiness: the Celery broker does not answer", exc_info=True)
        return False


def ready() -> bool:
    checks = [database_ready(alias) for alias in READY_ALIASES]
    checks.append(broker_ready())
    return all(checks)


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers the two probe paths (GET or HEAD) and nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in PROBES and request.method in ("GET", "HEAD"):
            if request.path == "/healthz":
                return _plain("ok")
            return _plain("ok") if ready() else _plain("niet gereed", status=503)
        return self.get_response(request)


class RequestLogMiddleware:
    """One line per request: id, method, route name, status, milliseconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        start = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name if match else None) or "-"
        request_logger.info(
            "request_id=%s method=%s route=%s status=%s ms=%d",
            request_id,
            request.method[:16],
            route,
            response.status_code,
            (time.monotonic() - start) * 1000,
        )
        response["X-Request-ID"] = request_id
        return response
