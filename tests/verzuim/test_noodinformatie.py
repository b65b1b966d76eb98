"""ZM-4: emergency information is written and confirmed by the employee on their own
initiative; the employer sees it but cannot create or edit it; withdrawal deletes it at once."""

import pytest

from accounts.roles import Role
from privacy.models import AuditEvent
from verzuim.models import Noodinformatie

pytestmark = pytest.mark.django_db

TEXT = "Ik heb epilepsie. Bij een aanval: niet vasthouden, 112 bellen als het langer duurt."


@pytest.fixture
def employee(make_user, werknemer):
    user = make_user(Role.WERKNEMER)
    werknemer.user = user
    werknemer.save()
    return user


def test_employee_confirms_and_employer_sees_it(employee, werknemer, hr, verified_client):
    """ZM-4: consent recorded with date and text version; visible to the employer."""
    client = verified_client(employee)
    refused = client.post("/verzuim/mijn/", {"text": TEXT})  # no confirmation
    assert refused.status_code == 200 and TEXT in refused.content.decode()
    assert not Noodinformatie.objects.exists()
    ok = client.post("/verzuim/mijn/", {"text": TEXT, "confirm": "on"})
    assert ok.status_code == 302
    info = Noodinformatie.objects.get(werknemer=werknemer)
    assert info.text == TEXT and info.consent_text_version and info.confirmed_at
    page = verified_client(hr).get(f"/verzuim/werknemers/{werknemer.pk}/").content.decode()
    assert "epilepsie" in page


def test_employer_cannot_create_or_edit_it(employee, werknemer, hr, verified_client):
    """ZM-4: no employer route writes emergency information."""
    client = verified_client(hr)
    for path in ("/verzuim/mijn/", "/verzuim/mijn/noodinformatie/intrekken/"):
        response = client.post(path, {"text": TEXT, "confirm": "on"})
        assert response.status_code == 404, path
    assert not Noodinformatie.objects.exists()


def test_withdrawal_deletes_immediately(employee, werknemer, verified_client, hr):
    """ZM-4: withdrawal deletes the text at once, audited without the text."""
    client = verified_client(employee)
    client.post("/verzuim/mijn/", {"text": TEXT, "confirm": "on"})
    response = client.post("/verzuim/mijn/noodinformatie/intrekken/")
    assert response.status_code == 302
    assert not Noodinformatie.objects.exists()
    assert (
        "epilepsie"
        not in verified_client(hr).get(f"/verzuim/werknemers/{werknemer.pk}/").content.decode()
    )
    event = AuditEvent.objects.get(action="delete", subject=werknemer.pseudonym)
    assert "epilepsie" not in event.detail
