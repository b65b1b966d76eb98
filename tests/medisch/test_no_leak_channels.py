"""MD-2: error pages, logs and e-mails never carry medical content. A crash inside the medical
module shows the static error page; the request logger records the path, not the data; nobody is
e-mailed tracebacks (ADMINS is empty, no mail handler is configured)."""

import logging

import pytest
from django.conf import settings
from django.test import Client

from medisch.actions import dossier as actions
from tests.medisch.conftest import MARKER

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])


def test_no_mail_handler_and_no_admins():
    """MD-2: tracebacks (which can hold request data) are never e-mailed."""
    assert settings.ADMINS == []
    handlers = settings.LOGGING.get("handlers", {})
    assert not [h for h in handlers.values() if "AdminEmailHandler" in h.get("class", "")]
    assert settings.DEBUG is False


def test_a_crash_in_the_medical_module_leaks_nothing(
    doctor, patient, verified_client, monkeypatch, caplog, mailoutbox
):
    """MD-2: the static 500 page, a log line without the medical content, no e-mail."""
    dossier = actions.open_dossier(by=doctor, werknemer=patient)
    actions.record_consult(
        by=doctor,
        dossier=dossier,
        date="2026-11-01",
        anamnesis=MARKER,
        findings=MARKER,
        diagnosis=MARKER,
        diagnosis_code="",
        policy=MARKER,
    )

    def explode(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr("medisch.views.dossier.render", explode)
    client = verified_client(doctor)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/medisch/dossiers/{dossier.pk}/")
    assert response.status_code == 500
    assert MARKER not in response.content.decode()
    assert "Er ging iets mis" in response.content.decode()
    assert caplog.records, "the crash is logged"
    for record in caplog.records:
        assert MARKER not in record.getMessage()
        assert MARKER not in str(getattr(record, "request", ""))
    assert mailoutbox == []
    assert isinstance(client, Client)
