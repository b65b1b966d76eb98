"""Fault injection (issue 7, item 4): every PostgreSQL backend of the application is terminated
(`pg_terminate_backend`, as a database failover or an operator would) while a request that
files a ziekmelding is in the middle of its work. Only that request may fail; the next ones
reconnect (CONN_HEALTH_CHECKS, DESIGN.md "Decisions that are easy to get wrong") on both
aliases, and nothing of the interrupted write remains: no ziekmelding without its audit row
(SE-7), its week-1 report deadline and its next Poortwachter deadline (RI-1).

The application runs as in production: Django's WSGI handler in a real HTTP server (wsgiref, one
thread serving requests one after the other, so its connections persist across requests with
CONN_MAX_AGE as a gunicorn sync worker's do — the test Client would skip the request signals
that run the health checks). The kill lands deterministically: a monkeypatched step of the
action signals that it was reached and waits until the backends are gone.
"""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.utils import timezone

from accounts.roles import Role
from privacy import audit
from privacy.models import AuditAction, AuditEvent
from tests.reliability.support import owner_connection
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import DeadlineCompletion, Ziekmelding

pytestmark = pytest.mark.fault

WAIT = 30  # seconds: every wait is on an event, this only bounds a hang


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class _Server(WSGIServer):
    def handle_error(self, request, client_address):  # a dropped client is not our business
        pass


@pytest.fixture
def server(transactional_db):
    """Django's WSGI application behind a real HTTP server on a thread of its own."""
    httpd = make_server(
        "127.0.0.1", 0, WSGIHandler(), server_class=_Server, handler_class=_QuietHandler
    )

    def serve():
        try:
            httpd.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()  # the serving thread's own (persistent) connections

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        thread.join(timeout=WAIT)
        httpd.server_close()


class Http:
    def __init__(self, base, cookie, token):
        self.base, self.cookie, self.token = base, cookie, token

    def call(self, method, path, body=None):
        """(status, body); a dropped connection is (None, reason)."""
        headers = {"Cookie": f"sessionid={self.cookie}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        request = urllib.request.Request(  # noqa: S310 - our own http:// test server
            self.base + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=WAIT) as response:  # noqa: S310 - our own http:// test server
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, ConnectionError) as error:
            return None, str(error)


def terminate_application_backends() -> int:
    """What the issue names: every other backend of this database goes, whoever holds it."""
    with owner_connection() as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return sum(1 for (ok,) in rows if ok)


def _state(werknemer):
    """What filing a ziekmelding for `werknemer` writes: the report, its deadlines, its audit."""
    zms = list(Ziekmelding.objects.filter(werknemer=werknemer))
    return {
        "ziekmeldingen": len(zms),
        "deadline_completions": DeadlineCompletion.objects.filter(
            case_id__in=[zm.case_id for zm in zms]
        ).count(),
        "audit_creates": AuditEvent.objects.filter(
            action=AuditAction.CREATE,
            object_type="verzuim.ziekmelding",
            subject=werknemer.pseudonym,
        ).count(),
        "without_next_deadline": sum(1 for zm in zms if zm.next_deadline_on is None),
    }


# The step of create_ziekmelding during which the backends are terminated: the audit write inside
# the action's transaction, and the next-deadline computation that follows the report.
KILL_POINTS = ["log_change", "refresh_next_deadline"]


@pytest.mark.parametrize("step", KILL_POINTS)
def test_backends_terminated_mid_request_only_that_request_fails(
    step, server, make_user, employer, verified_client, bearer_client, monkeypatch
):
    """SE-7, RI-1, CONN_HEALTH_CHECKS: with every backend terminated while POST
    /api/v1/ziekmeldingen/ is at `step`, that request fails (5xx or a dropped connection), the
    reads and writes after it succeed on fresh connections — a page that reads the doctor's
    released advice through the medisch alias included — and the interrupted filing left
    nothing behind: the retried filing is the only ziekmelding, with exactly one audit row, its
    week-1 report deadline and its next deadline; the audit chain is intact."""
    hr = make_user(Role.HR)
    other = WerknemerFactory(organisation=employer)
    existing = create_ziekmelding(
        by=hr,
        werknemer=other,
        first_day=timezone.localdate() - timedelta(days=3),
        phone="06-12345678",
        expected_duration="twee_weken",
        lopende_afspraken="",
    )
    werknemer = WerknemerFactory(organisation=employer, employment_start=date(2020, 1, 1))
    cookie = verified_client(hr).cookies["sessionid"].value
    token = bearer_client(hr)._credentials["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    http = Http(server, cookie, token)
    filing = {
        "werknemer": werknemer.pk,
        "first_day": timezone.localdate().isoformat(),
        "phone": "06-87654321",
        "expected_duration": "twee_weken",
        "lopende_afspraken": "Overdracht van de planning aan een collega.",
    }

    # Reads before: the server thread now holds open connections on both aliases.
    assert http.call("GET", "/api/v1/ziekmeldingen/")[0] == 200
    assert http.call("GET", f"/verzuim/meldingen/{existing.pk}/")[0] == 200
    before = _state(werknemer)
    assert before == {
        "ziekmeldingen": 0,
        "deadline_completions": 0,
        "audit_creates": 0,
        "without_next_deadline": 0,
    }

    reached, released = threading.Event(), threading.Event()
    original = getattr(ziekmelding_actions, step)
    calls = []

    def stalled(*args, **kwargs):
        calls.append(step)
        if len(calls) == 1:  # the first filing only; the retry runs normally
            reached.set()
            assert released.wait(WAIT), "the test never released the stalled step"
        return original(*args, **kwargs)

    monkeypatch.setattr(ziekmelding_actions, step, stalled)
    with ThreadPoolExecutor(max_workers=1) as pool:
        in_flight = pool.submit(http.call, "POST", "/api/v1/ziekmeldingen/", filing)
        assert reached.wait(WAIT), "the request never reached the step"
        terminated = terminate_application_backends()
        released.set()
        status, body = in_flight.result(timeout=WAIT)
    connections.close_all()  # this thread's connections were terminated too

    assert terminated >= 2, "the server thread's default and medisch connections"
    assert status is None or status >= 500, (status, body)
    assert _state(werknemer) == before, "the interrupted filing left a partial write"

    # The next requests succeed: the dead connections are replaced, on both aliases.
    assert http.call("GET", "/api/v1/ziekmeldingen/")[0] == 200
    assert http.call("GET", f"/verzuim/meldingen/{existing.pk}/")[0] == 200
    status, body = http.call("POST", "/api/v1/ziekmeldingen/", filing)
    assert status == 201, body
    created = json.loads(body)
    assert created["next_deadline_on"] is not None
    assert http.call("GET", f"/api/v1/ziekmeldingen/{created['id']}/")[0] == 200

    assert _state(werknemer) == {
        "ziekmeldingen": 1,
        "deadline_completions": 1,
        "audit_creates": 1,
        "without_next_deadline": 0,
    }
    assert list(audit.verify()) == []
