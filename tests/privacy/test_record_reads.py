"""SE-7 for lists, searches and exports (issue 16): `privacy.audit.record_reads` writes one entry
per row read, in the order shown, each with that row's id and its own subject — and nothing of
the row's content. It writes exactly what the hand-built `record_many` it replaced wrote."""

import uuid
from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from accounts.roles import Role
from privacy import audit
from privacy.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

SECRET = "hernia, uitval tot de zomer"


def _rows(n=3):
    """Rows as a list page holds them: an id, the person's pseudonym, content never to log."""
    return [
        SimpleNamespace(pk=100 + i, person=SimpleNamespace(pseudonym=uuid.uuid4()), text=SECRET)
        for i in range(n)
    ]


def _request(user):
    request = RequestFactory().get("/lijst", REMOTE_ADDR="192.0.2.9")
    request.user = user
    return request


def _fields(event):
    return (
        event.action,
        event.object_type,
        event.object_ids,
        event.subject,
        event.detail,
        event.actor,
        event.actor_role,
        event.ip_address,
        event.on_behalf_of,
    )


def test_one_entry_per_row_read_with_its_own_subject_and_no_content(make_user):
    """SE-7: a list of three is three entries, in the order shown, each naming its row and the
    person whose data it is; actor and access point from the request; no content."""
    hr = make_user(Role.HR)
    rows = _rows(3)
    before = AuditEvent.objects.count()

    events = audit.record_reads(
        rows,
        object_type="verzuim.ziekmelding",
        subject_of=lambda row: row.person.pseudonym,
        detail="verzuimoverzicht",
        request=_request(hr),
    )

    assert AuditEvent.objects.count() == before + 3
    stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("seq"))
    assert [e.object_ids for e in stored] == [["100"], ["101"], ["102"]]
    assert [e.subject for e in stored] == [row.person.pseudonym for row in rows]
    for event in stored:
        assert event.action == AuditAction.READ
        assert event.object_type == "verzuim.ziekmelding"
        assert event.detail == "verzuimoverzicht"
        assert event.actor == hr.pseudonym and event.actor_role == Role.HR
        assert event.ip_address == "192.0.2.9"
        row = {f.name: getattr(event, f.name) for f in AuditEvent._meta.fields}
        assert SECRET not in str(row) and hr.email not in str(row)
    assert [e.seq for e in stored] == list(range(stored[0].seq, stored[0].seq + 3))
    assert list(audit.verify()) == []


def test_same_rows_as_the_hand_built_record_many_it_replaced(make_user):
    """SE-7, issue 16: the helper is a refactoring — field for field the entries the per-app
    helpers built by hand, with another action and an explicit actor passed through."""
    hr = make_user(Role.HR)
    employer = make_user(Role.WERKGEVER)
    rows = _rows(2)
    request = _request(hr)

    by_hand = audit.record_many(
        [
            audit.Entry(
                AuditAction.EXPORT,
                "doelgroep.registercheck",
                [row.pk],
                subject=row.person.pseudonym,
                detail="BSN-export",
            )
            for row in rows
        ],
        request=request,
        actor=employer,
    )
    helper = audit.record_reads(
        rows,
        object_type="doelgroep.registercheck",
        subject_of=lambda row: row.person.pseudonym,
        detail="BSN-export",
        action=AuditAction.EXPORT,
        request=request,
        actor=employer,
    )

    assert [_fields(e) for e in helper] == [_fields(e) for e in by_hand]
    assert helper[0].actor == employer.pseudonym
    assert list(audit.verify()) == []


def test_no_rows_writes_nothing_and_takes_no_lock(monkeypatch, make_user):
    """SE-7: an empty list is no read — no entry, and `record_many` is not even called (the
    medical reads it replaced skipped it too)."""
    calls = []
    monkeypatch.setattr(audit, "record_many", lambda *a, **k: calls.append(a) or [])
    before = AuditEvent.objects.count()

    events = audit.record_reads(
        iter(()),
        object_type="medisch.keuring",
        subject_of=lambda row: row.subject,
        detail="overzicht aanstellingskeuringen",
        action=AuditAction.SEARCH,
        request=_request(make_user(Role.BEDRIJFSARTS)),
    )

    assert events == [] and calls == []
    assert AuditEvent.objects.count() == before
