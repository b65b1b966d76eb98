"""SE-7 for lists, searches and exports (issue 16, issue 20): `privacy.audit.record_reads` writes
ONE entry per page view naming every row read, in the order shown, with each row's own subject
beside its id (parallel lists) — and nothing of the row's content. Each person's access log
(AV-6) and export still find the entry and only their own objects in it."""

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


def test_se7_one_entry_per_page_view_naming_each_row_and_its_subject_and_no_content(make_user):
    """SE-7: a list of three is one entry naming the three rows in the order shown and, parallel
    to them, the person whose data each row is; actor and access point from the request; no
    content; the chain covers the subjects."""
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

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(pk=events[0].pk)
    assert event.object_ids == ["100", "101", "102"]
    assert event.subjects == [row.person.pseudonym for row in rows]
    assert event.subject is None  # three people: no single subject
    assert event.action == AuditAction.READ
    assert event.object_type == "verzuim.ziekmelding"
    assert event.detail == "verzuimoverzicht"
    assert event.actor == hr.pseudonym and event.actor_role == Role.HR
    assert event.ip_address == "192.0.2.9"
    row = {f.name: getattr(event, f.name) for f in AuditEvent._meta.fields}
    assert SECRET not in str(row) and hr.email not in str(row)
    assert "subjects" in audit._canonical(event)
    assert list(audit.verify()) == []


def test_se7_av6_each_person_finds_the_list_entry_and_only_their_own_objects(make_user):
    """SE-7, AV-6: the employee's query (`about`) finds a list they appeared in, and
    `objects_of` gives their rows only — never the other people's ids."""
    rows = _rows(3)
    rows[2].person = rows[0].person  # two rows of one person
    audit.record_reads(
        rows,
        object_type="medisch.consult",
        subject_of=lambda row: row.person.pseudonym,
        detail="overzicht",
        request=_request(make_user(Role.BEDRIJFSARTS)),
    )
    mine = rows[0].person.pseudonym
    event = AuditEvent.objects.get(audit.about([mine]))
    assert audit.objects_of(event, [mine]) == ["100", "102"]
    assert audit.objects_of(event, [rows[1].person.pseudonym]) == ["101"]
    assert not AuditEvent.objects.filter(audit.about([uuid.uuid4()])).exists()


def test_se7_one_persons_list_names_them_as_the_subject(make_user):
    """SE-7: when every row is one person's (their consults), the entry's `subject` is that
    person, so a single-subject query finds it too."""
    person = uuid.uuid4()
    rows = _rows(2)
    event = audit.record_reads(
        rows,
        object_type="medisch.consult",
        subject_of=lambda row: person,
        detail="consulten",
        request=_request(make_user(Role.BEDRIJFSARTS)),
    )[0]
    assert AuditEvent.objects.get(subject=person).pk == event.pk
    assert audit.objects_of(event, [person]) == ["100", "101"]


def test_se7_same_fields_as_the_hand_built_record_many(make_user):
    """SE-7, issue 16: the helper writes field for field the entry `record_many` writes for the
    same rows, with another action and an explicit actor passed through."""
    hr = make_user(Role.HR)
    employer = make_user(Role.WERKGEVER)
    rows = _rows(2)
    request = _request(hr)

    by_hand = audit.record_many(
        [
            audit.Entry(
                AuditAction.EXPORT,
                "doelgroep.registercheck",
                [row.pk for row in rows],
                detail="BSN-export",
                subjects=[row.person.pseudonym for row in rows],
            )
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
    assert helper[0].subjects == by_hand[0].subjects
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
