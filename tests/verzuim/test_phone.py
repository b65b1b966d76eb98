"""Issue 18: the phone field accepted "bel maar niet". A telephone number is checked (core/
validators.py) on the page, in the API and in the model (ZM-2: where the employee can be
reached is part of the ziekmelding)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.validators import PHONE_MESSAGE, validate_phone
from tests.verzuim.conftest import ZM_DATA
from verzuim.models import Ziekmelding

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "number",
    [
        "06-12345678",
        "06 12 34 56 78",
        "0612345678",
        "020 - 123 45 67",
        "(020) 1234567",
        "+31 6 12345678",
        "+31 (0)20 123 4567",
        "0031 20 1234567",
        "+32 470 12 34 56",
        "+49 30 123456",
        "",
    ],
)
def test_dutch_and_international_numbers_pass(number):
    validate_phone(number)


@pytest.mark.parametrize(
    "text",
    [
        "bel maar niet",
        "06",
        "06-1",
        "0612345",
        "061234567890",
        "+31 6 1234",
        "+0 123456789",
        "06-1234567a",
        "++31612345678",
        "12345678",
    ],
)
def test_no_number_is_refused_with_a_dutch_message(text):
    with pytest.raises(ValidationError) as raised:
        validate_phone(text)
    assert raised.value.messages == [PHONE_MESSAGE]


@pytest.mark.django_db
def test_page_shows_the_message_at_the_field_and_keeps_the_text(hr, werknemer, verified_client):
    client = verified_client(hr)
    post = {"werknemer": werknemer.pk, "first_day": TODAY.isoformat(), **ZM_DATA}
    post["phone"] = "bel maar niet"
    with time_machine.travel(TODAY):
        response = client.post("/verzuim/meldingen/nieuw/", post)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vul een geldig telefoonnummer in" in body
    assert 'value="bel maar niet"' in body
    assert not Ziekmelding.objects.exists()


@pytest.mark.django_db
def test_api_answers_400_with_the_field(hr, werknemer, bearer_client):
    response = bearer_client(hr).post(
        "/api/v1/ziekmeldingen/",
        {"werknemer": werknemer.pk, "first_day": TODAY.isoformat(), **ZM_DATA, "phone": "nee"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert PHONE_MESSAGE in str(response.json()["fields"]["phone"])
    assert not Ziekmelding.objects.exists()


@pytest.mark.django_db
def test_a_megabyte_of_text_is_refused_at_the_field_not_saved(hr, werknemer, verified_client):
    """Issue 18 item 5: 1 MB of text in "lopende afspraken" was saved silently; now the field's
    limit (core/limits.py) refuses it with a Dutch message and the form comes back."""
    client = verified_client(hr)
    page = client.get("/verzuim/meldingen/nieuw/").content.decode()
    assert "Maximaal 4.000 tekens." in page
    post = {"werknemer": werknemer.pk, "first_day": TODAY.isoformat(), **ZM_DATA}
    post["lopende_afspraken"] = "Overdracht. " * (1024 * 1024 // 12)
    with time_machine.travel(TODAY):
        response = client.post("/verzuim/meldingen/nieuw/", post)
    assert response.status_code == 200
    body = response.content.decode()
    assert "te lang" in body and "4000 tekens" in body
    assert not Ziekmelding.objects.exists()
