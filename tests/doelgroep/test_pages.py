"""The doelgroep administration through its pages: the confidentiality gate (DG-6), the register
and the BSN (DG-1, DG-2), the no-riskpolis (DG-3), support measures and the k-anonymous report
(DG-5), voorkeursbeleid with the employee's objection (DG-7), VOG (DG-8), and the audit of every
view (SE-7)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils.html import escape

from accounts.roles import Role
from doelgroep.actions.maatregelen import add_maatregel
from doelgroep.actions.noriskpolis import noriskpolis_question_allowed_from
from doelgroep.actions.registratie import record_registercheck
from doelgroep.actions.verklaring import sign_statement
from doelgroep.actions.voorkeursbeleid import record_voorkeursbeleid
from doelgroep.models import Bezwaar, Geboorteland, Geheimhoudingsverklaring, Registercheck, Vog
from doelgroep.synthetic import synthetic_bsns
from privacy.models import AuditEvent
from tests.verzuim.factories import WerknemerFactory

pytestmark = pytest.mark.django_db
BSN = next(synthetic_bsns())


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def signed(hr):
    sign_statement(by=hr)
    return hr


@pytest.fixture
def werknemer(employer, make_user):
    return WerknemerFactory(
        organisation=employer,
        department="Productie",
        employment_start=date.today() - timedelta(days=400),
        user=make_user(Role.WERKNEMER),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/doelgroep/",
        "/doelgroep/rapportage/",
        "/doelgroep/rapportage.csv",
        "/doelgroep/voorkeursbeleid/",
        "/doelgroep/uwv-controle.csv",
    ],
)
def test_dg6_gate_before_signing_says_why_and_where(verified_client, hr, url):
    response = verified_client(hr).get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "geheimhoudingsverklaring nog niet ondertekend" in page
    assert 'href="/doelgroep/verklaring/"' in page


def test_dg6_sign_then_access_then_withdrawn_by_beheerder(verified_client, hr, make_user):
    client = verified_client(hr)
    page = client.get("/doelgroep/verklaring/").content.decode()
    assert "Ik verklaar dat ik de gegevens" in page
    assert client.post("/doelgroep/verklaring/", {}).status_code == 200  # unticked: refused
    assert not Geheimhoudingsverklaring.objects.exists()
    response = client.post("/doelgroep/verklaring/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/doelgroep/"
    statement = Geheimhoudingsverklaring.objects.get(user=hr)
    assert statement.text_version == "2026-11" and "geheimhoud" in statement.text
    assert AuditEvent.objects.filter(object_type="doelgroep.geheimhoudingsverklaring").exists()
    assert client.get("/doelgroep/").status_code == 200

    operator = verified_client(make_user(Role.BEHEERDER))
    # As the page shows it: escaped ("van 't Riet" is "van &#x27;t Riet" in the HTML).
    assert escape(hr.full_name) in operator.get("/doelgroep/verklaringen/").content.decode()
    operator.post(f"/doelgroep/verklaringen/{statement.pk}/intrekken/")
    refused = client.get("/doelgroep/")
    assert refused.status_code == 403 and "ingetrokken" in refused.content.decode()
    # Withdrawal cannot be undone by signing again.
    client.post("/doelgroep/verklaring/", {"confirm": "on"})
    assert client.get("/doelgroep/").status_code == 403


@pytest.mark.parametrize(
    "role", [Role.WERKGEVER_BEHEERDER, Role.BEDRIJFSARTS, Role.CASEMANAGER, Role.WERKNEMER]
)
def test_dg6_roles_without_need_cannot_sign_or_enter(verified_client, make_user, role):
    client = verified_client(make_user(role))
    assert client.get("/doelgroep/verklaring/").status_code == 403
    assert client.get("/doelgroep/").status_code == 403


def test_dg1_dg2_register_check_with_masked_bsn_and_audited_reveal(
    verified_client, signed, werknemer
):
    client = verified_client(signed)
    response = client.post(
        f"/doelgroep/werknemers/{werknemer.pk}/register/",
        {
            "in_register": "ja",
            "checked_on": date.today().isoformat(),
            "checked_via": "bsn",
            "bsn": BSN,
        },
    )
    assert response.status_code == 302
    check = Registercheck.objects.get(werknemer=werknemer)
    page = client.get(f"/doelgroep/werknemers/{werknemer.pk}/").content.decode()
    assert BSN not in page and f"••••••{BSN[-3:]}" in page
    assert client.get(f"/doelgroep/controles/{check.pk}/bsn/").status_code == 405
    reveal = client.post(f"/doelgroep/controles/{check.pk}/bsn/")
    assert BSN in reveal.content.decode() and reveal["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(detail="BSN getoond", subject=werknemer.pseudonym).exists()
    # DG-2: the one legally required export carries it; the reports never do.
    assert BSN in client.get("/doelgroep/uwv-controle.csv").content.decode()
    assert BSN not in client.get("/doelgroep/rapportage/").content.decode()
    assert BSN not in client.get("/doelgroep/rapportage.csv").content.decode()


def test_dg2_bad_bsn_is_refused_at_the_field_and_the_form_keeps_the_input(
    verified_client, signed, werknemer
):
    response = verified_client(signed).post(
        f"/doelgroep/werknemers/{werknemer.pk}/register/",
        {
            "in_register": "nee",
            "checked_on": date.today().isoformat(),
            "checked_via": "bsn",
            "bsn": "123456789",
        },
    )
    assert response.status_code == 200
    assert "11-proef" in response.context["form"].errors["bsn"][0]
    assert 'value="123456789"' in response.content.decode()


def test_dg3_noriskpolis_page_refuses_too_early(verified_client, signed, employer):
    newcomer = WerknemerFactory(
        organisation=employer, employment_start=date.today() - timedelta(days=20)
    )
    response = verified_client(signed).post(
        f"/doelgroep/werknemers/{newcomer.pk}/no-riskpolis/",
        {"asked_on": date.today().isoformat(), "applies": "ja"},
    )
    allowed = noriskpolis_question_allowed_from(newcomer.employment_start)
    assert response.status_code == 200
    assert f"{allowed:%d-%m-%Y}" in response.context["form"].errors["asked_on"][0]


def test_dg5_report_suppresses_small_cells_and_has_no_names(verified_client, signed, employer):
    people = [
        WerknemerFactory(organisation=employer, department="Productie", last_name=f"Naam{i}")
        for i in range(7)
    ]
    for person in people[:6]:
        add_maatregel(
            by=signed, werknemer=person, kind="begeleiding", start_on=date(date.today().year, 1, 2)
        )
    add_maatregel(
        by=signed, werknemer=people[6], kind="scholing", start_on=date(date.today().year, 1, 2)
    )
    client = verified_client(signed)
    page = client.get("/doelgroep/rapportage/").content.decode()
    assert "&lt;5" in page
    assert not any(p.last_name in page for p in people)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/doelgroep/rapportage.csv").content.decode()), delimiter=";"
        )
    )
    flat = [cell for row in rows for cell in row]
    assert "<5" in flat
    for cell in flat:
        if cell.isdigit():
            assert int(cell) >= 5, rows
    assert not any(p.last_name in c for p in people for c in flat)
    assert AuditEvent.objects.filter(object_type="doelgroep.rapportage").count() == 2


def test_dg7_country_of_birth_only_under_a_documented_policy_and_objection_deletes(
    verified_client, signed, werknemer
):
    client = verified_client(signed)
    refused = client.post(
        f"/doelgroep/werknemers/{werknemer.pk}/geboorteland/", {"self_country": "Suriname"}
    )
    assert refused.status_code == 200 and not Geboorteland.objects.exists()
    client.post(
        "/doelgroep/voorkeursbeleid/",
        {
            "group_description": "Werknemers met een migratieachtergrond in de techniek",
            "documentation": "CBS-cijfers 2025 en eigen personeelsanalyse: 3% tegen 14% in de "
            "regio; zie bijlage bij het besluit van de directie.",
            "decided_on": date.today().isoformat(),
        },
    )
    client.post(
        f"/doelgroep/werknemers/{werknemer.pk}/geboorteland/",
        {"self_country": "Suriname", "mother_country": "Suriname"},
    )
    assert Geboorteland.objects.filter(werknemer=werknemer).exists()
    employee = verified_client(werknemer.user)
    assert "Suriname" in employee.get("/doelgroep/mijn/").content.decode()
    assert employee.post("/doelgroep/mijn/bezwaar/").status_code == 302
    assert not Geboorteland.objects.filter(werknemer=werknemer).exists()
    assert Bezwaar.objects.filter(werknemer=werknemer).exists()
    again = client.post(
        f"/doelgroep/werknemers/{werknemer.pk}/geboorteland/", {"self_country": "Suriname"}
    )
    assert again.status_code == 200 and "bezwaar" in again.content.decode()
    assert not Geboorteland.objects.filter(werknemer=werknemer).exists()


def test_dg8_only_vog_yes_no_and_date(verified_client, signed, werknemer):
    client = verified_client(signed)
    client.post(
        f"/doelgroep/werknemers/{werknemer.pk}/vog/",
        {"provided": "ja", "provided_on": date.today().isoformat()},
    )
    vog = Vog.objects.get(werknemer=werknemer)
    assert vog.provided and vog.provided_on == date.today()
    assert {f.name for f in Vog._meta.concrete_fields} == {
        "id",
        "werknemer",
        "provided",
        "provided_on",
        "recorded_by",
    }


def test_se7_every_view_of_doelgroep_data_is_audited(verified_client, signed, werknemer):
    record_registercheck(
        by=signed,
        werknemer=werknemer,
        in_register=True,
        checked_on=date.today(),
        checked_via="loonheffingennummer",
    )
    client = verified_client(signed)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.get("/doelgroep/")
    client.get(f"/doelgroep/werknemers/{werknemer.pk}/")
    details = list(AuditEvent.objects.filter(pk__gt=before).values_list("detail", "subject"))
    assert ("doelgroepoverzicht", werknemer.pseudonym) in details
    assert ("doelgroepgegevens ingezien", werknemer.pseudonym) in details


def test_se9_another_employers_hr_sees_none_of_it(
    verified_client, signed, werknemer, make_user, other_employer
):
    outsider = make_user(Role.HR, organisation=other_employer)
    sign_statement(by=outsider)
    client = verified_client(outsider)
    assert client.get(f"/doelgroep/werknemers/{werknemer.pk}/").status_code == 404
    assert werknemer.last_name not in client.get("/doelgroep/").content.decode()


def test_dg7_only_one_voorkeursbeleid_in_force(signed):
    from django.core.exceptions import ValidationError

    from doelgroep.models import Voorkeursbeleid

    data = {
        "group_description": "Groep met achterstand",
        "documentation": "Eigen personeelsanalyse 2025 tegen CBS-regiocijfers: 3% tegen 14%.",
        "decided_on": date.today(),
    }
    record_voorkeursbeleid(by=signed, **data)
    with pytest.raises(ValidationError) as error:
        record_voorkeursbeleid(by=signed, **data)
    assert "al een voorkeursbeleid" in error.value.message_dict["group_description"][0]
    assert Voorkeursbeleid.objects.count() == 1
