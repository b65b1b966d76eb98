"""Issue 22, items 3 and 5: the liveness and readiness probes (config/health.py) and the request
log line. The probes answer the same two words to everyone (anonymous and every role, SE-4: no
role learns more from them), with production's host check and HTTPS redirect on, and leave
nothing behind: no session, no audit row. Readiness fails when either database login or the
broker does not answer, without saying which to the caller.
"""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client

from accounts.roles import Role
from config import health
from config.celery import app as celery_app
from privacy.models import AuditEvent

PRODUCTION_LIKE = {
    "ALLOWED_HOSTS": ["verzuim.example"],
    "SECURE_SSL_REDIRECT": True,
}


@pytest.fixture
def production_like(settings):
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    return settings


def _clients(make_user, verified_client):
    yield "anoniem", Client()
    for role in Role:
        yield role.value, verified_client(make_user(role))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_se4_probes_answer_ok_alike_to_every_role_and_leave_nothing(
    path, production_like, make_user, verified_client
):
    """SE-4: the same bytes for anonymous and each role; over plain HTTP with an internal host
    name (as a container probe asks), no redirect, no 400, no cookie, no session, no audit row."""
    clients = list(_clients(make_user, verified_client))
    sessions, audit_rows = Session.objects.count(), AuditEvent.objects.count()
    for who, client in clients:
        response = client.get(path, HTTP_HOST="web:8000")
        assert response.status_code == 200, who
        assert response.content == b"ok", who
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Cache-Control"] == "no-store"
        assert not response.cookies, who
        assert client.head(path, HTTP_HOST="web:8000").status_code == 200
    assert Session.objects.count() == sessions
    assert AuditEvent.objects.count() == audit_rows


@pytest.mark.django_db
def test_se4_a_probe_path_with_another_method_is_an_ordinary_request(production_like):
    """Only GET and HEAD are probes; a POST goes through the normal stack (host check first)."""
    response = Client().post("/healthz", HTTP_HOST="web:8000")
    assert response.status_code == 400  # DisallowedHost: web:8000 is not an allowed host
    assert response.content != b"ok"


@pytest.mark.django_db
def test_readiness_fails_without_the_broker_and_says_nothing_more(monkeypatch, caplog):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING, logger="verzuimkluis.health"):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.content == b"niet gereed"
    assert "broker" in caplog.text  # the operator's log says which part
    monkeypatch.undo()
    assert Client().get("/readyz").status_code == 200


@pytest.mark.django_db(databases=["default", "medisch"], transaction=True)
@pytest.mark.parametrize("alias", ["default", "medisch"])
def test_md2_readiness_fails_when_either_database_login_fails(alias, monkeypatch, caplog):
    """MD-2: web needs both logins; readiness checks each alias's own connection (a real
    connection refused: the alias pointed at a closed port)."""
    connection = connections[alias]
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    try:
        with caplog.at_level(logging.WARNING, logger="verzuimkluis.health"):
            response = Client().get("/readyz")
        assert response.status_code == 503
        assert response.content == b"niet gereed"
        assert f"database alias {alias} does not answer" in caplog.text
        other = "medisch" if alias == "default" else "default"
        assert f"database alias {other}" not in caplog.text
    finally:
        connection.close()
        monkeypatch.undo()
    assert health.ready() is True


@pytest.mark.django_db
def test_every_request_logs_one_line_with_its_id_and_route_never_the_query(
    make_user, verified_client, caplog
):
    hr = make_user(Role.HR)
    client = verified_client(hr)
    with caplog.at_level(logging.INFO, logger="verzuimkluis.request"):
        given = client.get(
            "/verzuim/werknemers/?q=Jansen", HTTP_X_REQUEST_ID="abcdef0123456789-proxy"
        )
        forged = client.get("/verzuim/werknemers/", HTTP_X_REQUEST_ID="x\nrequest_id=forged")
    lines = [r.getMessage() for r in caplog.records if r.name == "verzuimkluis.request"]
    assert len(lines) == 2
    assert given["X-Request-ID"] == "abcdef0123456789-proxy"
    assert lines[0] == (
        f"request_id=abcdef0123456789-proxy method=GET route=verzuim:werknemers status=200 "
        f"ms={lines[0].rsplit('ms=', 1)[1]}"
    )
    assert "Jansen" not in caplog.text and "/verzuim/" not in caplog.text
    # A header that is not a plain token is replaced, so no one writes a line into the log.
    assert forged["X-Request-ID"] != "x\nrequest_id=forged"
    assert len(forged["X-Request-ID"]) == 32
    assert f"request_id={forged['X-Request-ID']} " in lines[1]
    assert "forged" not in caplog.text
