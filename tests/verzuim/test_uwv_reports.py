"""RI-11, DG-2: the reports to UWV of a case (verzuim.uwv, verzuim.views.uwv,
verzuim.actions.uwv) - the 42e-weekmelding, the Ziektewet (vangnet) ziekmelding, ziek uit dienst
and the hersteldmelding. Each page shows exactly the data UWV asks, from the case, the employee and
the employer (sources in verzuim/uwv.py); what the case lacks is asked at the field and the form
comes back with what was typed; recording the submission (date, UWV reference) completes the
Poortwachter step and moves the next deadline; the BSN is shown in full only here and audited as a
read; no medical data reaches these pages (MD-2, the MARKER pattern of tests/medisch)."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Organisation
from accounts.roles import Role
from core.validators import clean_loonheffingennummer, validate_loonheffingennummer
from medisch.actions import dossier as medisch_dossier
from privacy.models import AuditEvent
from tests.medisch.conftest import MARKER
from tests.verzuim.conftest import ZM_DATA
from verzuim.actions import termijnen
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.models import DeadlineCompletion, Werknemer, Ziekmelding
from verzuim.poortwachter import format_date

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)  # a Monday
LHN = "999990019L01"  # synthetic: the nine digits are in the test range and pass the 11-proef
BSN = "999990020"  # synthetic (doelgroep/synthetic.py)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _file(hr, werknemer, first_day, **overrides):
    return ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=first_day, **{**ZM_DATA, **overrides}
    )


def _with_data(werknemer):
    Organisation.objects.filter(pk=werknemer.organisation_id).update(loonheffingennummer=LHN)
    Werknemer.objects.filter(pk=werknemer.pk).update(bsn=BSN, bsn_last3=BSN[-3:])


@pytest.fixture
def long_case(hr, werknemer):
    """Sick 290 days; probleemanalyse and plan recorded: the 42e-weekmelding is the next
    deadline (as in tests/verzuim/test_termijnen.py)."""
    zm = _file(hr, werknemer, TODAY - timedelta(days=290))
    termijnen.complete_by_document(
        by=hr,
        case_id=zm.case_id,
        key="probleemanalyse",
        completed_on=zm.first_day + timedelta(days=30),
        proof="probleemanalyse van de bedrijfsarts",
    )
    termijnen.complete_by_document(
        by=hr,
        case_id=zm.case_id,
        key="plan_van_aanpak",
        completed_on=TODAY - timedelta(days=10),
        proof="plan van aanpak, versie 1",
    )
    zm.refresh_from_db()
    return zm


@pytest.fixture
def client_hr(hr, verified_client):
    return verified_client(hr)


def _url(zm, slug, suffix=""):
    return f"/verzuim/meldingen/{zm.pk}/uwv/{slug}/{suffix}"


def _fields(html: str) -> dict:
    """The report's data as shown: label → value ("ontbreekt" when missing)."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd data-uwv-field=\"[^\"]*\">(.*?)</dd>", html, re.S)
    return {label: re.sub(r"<[^>]+>", "", value).strip() for label, value in pairs}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _expected_common(werknemer, first_day):
    return {
        "Naam werkgever": werknemer.organisation.name,
        "Loonheffingennummer": LHN,
        "Burgerservicenummer (BSN)": BSN,
        "Voornaam": werknemer.first_name,
        "Achternaam": werknemer.last_name,
        "Geboortedatum": format_date(werknemer.date_of_birth),
        "Eerste ziektedag": format_date(first_day),
    }


# --- RI-11: each page shows exactly the data UWV asks -------------------------------------------


def test_ri11_dg2_42e_week_report_shows_exactly_the_case_data_bsn_in_full_and_audited(
    client_hr, hr, long_case, werknemer
):
    """RI-11: the 42e-weekmelding shows exactly employer name and loonheffingennummer, the
    employee's BSN, names and date of birth, and the case's first sick day; DG-2: the BSN is in
    full here, the showing is audited as a read of the BSN, and the case page does not show it."""
    _with_data(werknemer)
    response = client_hr.get(_url(long_case, "42e-week"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _fields(html) == _expected_common(werknemer, long_case.first_day)
    assert "Nog niet compleet" not in html
    assert 'name="proof"' in html  # the submission can be recorded
    assert "uwv-print.css" in html
    event = AuditEvent.objects.filter(
        action="read", object_type="verzuim.werknemer", detail__startswith="BSN getoond"
    ).get()
    assert event.subject == werknemer.pseudonym and event.actor == hr.pseudonym
    assert BSN not in event.detail
    case_page = client_hr.get(f"/verzuim/meldingen/{long_case.pk}/").content.decode()
    assert BSN not in case_page
    assert _url(long_case, "42e-week") in case_page  # linked from the case page


def test_ri11_dg2_bsn_encrypted_at_rest(werknemer):
    """DG-2: the BSN column holds a token, never the number."""
    _with_data(werknemer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn FROM verzuim_werknemer WHERE id = %s", [werknemer.pk])
        (raw,) = cursor.fetchone()
    assert BSN not in raw
    assert Werknemer.objects.get(pk=werknemer.pk).bsn == BSN


def test_ri11_each_report_has_its_own_fields(client_hr, hr, werknemer):
    """RI-11: the Ziektewet report adds only "vangnet: ja"; ziek uit dienst adds the last day of
    employment; the hersteldmelding adds the recovery date - and nothing else."""
    _with_data(werknemer)
    first_day = TODAY - timedelta(days=20)
    zm = _file(hr, werknemer, first_day, vangnet=True)
    Werknemer.objects.filter(pk=werknemer.pk).update(employment_end=TODAY + timedelta(days=5))
    common = _expected_common(Werknemer.objects.get(pk=werknemer.pk), first_day)
    vangnet = "Valt onder een vangnetbepaling van de Ziektewet"
    assert _fields(client_hr.get(_url(zm, "ziektewet")).content.decode()) == {
        **common,
        vangnet: "ja",
    }
    assert _fields(client_hr.get(_url(zm, "ziek-uit-dienst")).content.decode()) == {
        **common,
        "Laatste dag van het dienstverband": format_date(TODAY + timedelta(days=5)),
    }
    ziekmelding_actions.record_herstel(
        by=hr, ziekmelding=zm, kind="volledig", date=TODAY - timedelta(days=1)
    )
    assert _fields(client_hr.get(_url(zm, "hersteldmelding")).content.decode()) == {
        **common,
        vangnet: "ja",
        "Volledig hersteld per": format_date(TODAY - timedelta(days=1)),
    }


def test_ri11_unknown_report_is_404(client_hr, long_case):
    assert client_hr.get(_url(long_case, "wia-aanvraag")).status_code == 404


# --- RI-11: no invented data - what is missing is asked at the field ----------------------------


def test_ri11_missing_loonheffingennummer_and_bsn_asked_at_the_field_typed_value_kept(
    client_hr, long_case, werknemer
):
    """RI-11: without a loonheffingennummer and BSN the page says plainly what is missing, asks
    both at the field, offers no submission; a wrong number comes back at its field with what was
    typed and nothing is stored; a right one is stored where it belongs."""
    html = client_hr.get(_url(long_case, "42e-week")).content.decode()
    assert "Nog niet compleet" in html
    missing = re.search(r'id="uwv-ontbreekt".*?</div>', html, re.S).group(0)
    assert "Loonheffingennummer" in missing and "Burgerservicenummer (BSN)" in missing
    assert _fields(html)["Loonheffingennummer"] == "ontbreekt"
    assert 'name="loonheffingennummer"' in html and 'name="bsn"' in html
    assert 'name="employment_end"' not in html and 'name="recovered_on"' not in html
    assert 'name="proof"' not in html

    response = client_hr.post(
        _url(long_case, "42e-week"), {"loonheffingennummer": "12345L01", "bsn": BSN}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul een geldig loonheffingennummer in" in html
    assert 'value="12345L01"' in html and f'value="{BSN}"' in html
    assert Werknemer.objects.get(pk=werknemer.pk).bsn == ""
    assert Organisation.objects.get(pk=werknemer.organisation_id).loonheffingennummer == ""

    response = client_hr.post(
        _url(long_case, "42e-week"), {"loonheffingennummer": "9999 90019 l01", "bsn": "999990021"}
    )
    assert response.status_code == 200
    assert "11-proef" in response.content.decode()
    assert 'value="999990021"' in response.content.decode()

    # What HR knows now may be given on its own: the loonheffingennummer first, the BSN later.
    response = client_hr.post(
        _url(long_case, "42e-week"), {"loonheffingennummer": "9999 90019 l01"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=werknemer.organisation_id).loonheffingennummer == LHN
    html = client_hr.get(_url(long_case, "42e-week")).content.decode()
    assert 'name="loonheffingennummer"' not in html and 'name="bsn"' in html
    response = client_hr.post(_url(long_case, "42e-week"), {"bsn": BSN})
    assert response.status_code == 302
    stored = Werknemer.objects.get(pk=werknemer.pk)
    assert (stored.bsn, stored.bsn_last3) == (BSN, BSN[-3:])
    assert _fields(client_hr.get(_url(long_case, "42e-week")).content.decode()) == (
        _expected_common(stored, long_case.first_day)
    )


def test_ri11_ziek_uit_dienst_asks_the_end_of_employment(client_hr, hr, werknemer):
    """RI-11: without an end of employment the ziek-uit-dienst report asks it; stored on the
    employee (through end_employment), the report's deadline appears."""
    _with_data(werknemer)
    zm = _file(hr, werknemer, TODAY - timedelta(days=30))
    html = client_hr.get(_url(zm, "ziek-uit-dienst")).content.decode()
    assert _fields(html)["Laatste dag van het dienstverband"] == "ontbreekt"
    assert 'name="employment_end"' in html and "niet aan de orde" in html
    response = client_hr.post(_url(zm, "ziek-uit-dienst"), {"employment_end": "2026-12-31"})
    assert response.status_code == 302
    assert Werknemer.objects.get(pk=werknemer.pk).employment_end == date(2026, 12, 31)
    html = client_hr.get(_url(zm, "ziek-uit-dienst")).content.decode()
    assert _fields(html)["Laatste dag van het dienstverband"] == "31-12-2026"
    assert "uiterlijk 31-12-2026" in _text(html)
    assert 'name="proof"' in html


def test_ri11_hersteldmelding_asks_the_recovery_date_typed_value_kept(client_hr, hr, werknemer):
    """RI-11: an open vangnet case has no recovery date yet: the hersteldmelding asks it; a
    future date is refused at the field with what was typed; a right one records the recovery."""
    _with_data(werknemer)
    zm = _file(hr, werknemer, TODAY - timedelta(days=30), vangnet=True)
    html = client_hr.get(_url(zm, "hersteldmelding")).content.decode()
    assert _fields(html)["Volledig hersteld per"] == "ontbreekt"
    assert 'name="recovered_on"' in html
    future = (TODAY + timedelta(days=3)).isoformat()
    response = client_hr.post(_url(zm, "hersteldmelding"), {"recovered_on": future})
    assert response.status_code == 200
    html = response.content.decode()
    assert "De hersteldatum kan niet in de toekomst liggen." in html
    assert f'value="{future}"' in html
    assert Ziekmelding.objects.get(pk=zm.pk).recovered_on is None
    response = client_hr.post(
        _url(zm, "hersteldmelding"), {"recovered_on": (TODAY - timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 302
    assert Ziekmelding.objects.get(pk=zm.pk).recovered_on == TODAY - timedelta(days=1)
    assert 'name="proof"' in client_hr.get(_url(zm, "hersteldmelding")).content.decode()


def test_ri11_ziektewet_report_on_a_case_not_marked_vangnet_asks_it(client_hr, hr, werknemer):
    """RI-11, ZM-1: a case not marked vangnet: the Ziektewet report asks only whether (never
    which provision); marked, the report's deadline and the stored next deadline follow."""
    _with_data(werknemer)
    zm = _file(hr, werknemer, TODAY - timedelta(days=2))
    html = client_hr.get(_url(zm, "ziektewet")).content.decode()
    assert _fields(html)["Valt onder een vangnetbepaling van de Ziektewet"] == "ontbreekt"
    assert 'name="vangnet"' in html and "niet aan de orde" in html
    empty = client_hr.post(_url(zm, "ziektewet"), {})
    assert empty.status_code == 200 and "Vul ten minste één ontbrekend gegeven in." in (
        empty.content.decode()
    )
    response = client_hr.post(_url(zm, "ziektewet"), {"vangnet": "on"})
    assert response.status_code == 302
    zm.refresh_from_db()
    assert zm.vangnet is True
    assert zm.next_deadline_key == "vangnet_ziekmelding_uwv"
    assert zm.next_deadline_on == zm.first_day + timedelta(days=3)  # sick day 4


# --- RI-11: recording the submission completes the deadline --------------------------------------


def test_ri11_recording_the_submission_completes_the_deadline_case_page_and_dashboard(
    client_hr, long_case, werknemer
):
    """RI-11: the date and UWV reference complete the 42e-weekmelding (proof = the reference);
    the next deadline moves on the case page and the HR dashboard."""
    _with_data(werknemer)
    label = "week 42 — 42e-weekmelding aan UWV"
    assert long_case.next_deadline_key == "melding_42e_week"
    assert label in _text(client_hr.get("/").content.decode())
    response = client_hr.post(
        _url(long_case, "42e-week", "ingediend/"),
        {"completed_on": (TODAY - timedelta(days=1)).isoformat(), "proof": "UWV-2026-4242"},
    )
    assert response.status_code == 302
    completion = DeadlineCompletion.objects.get(case_id=long_case.case_id, key="melding_42e_week")
    assert completion.proof == "UWV-2026-4242"
    assert completion.completed_on == TODAY - timedelta(days=1)
    long_case.refresh_from_db()
    assert long_case.next_deadline_key == "evaluatie_plan"
    page = _text(client_hr.get(f"/verzuim/meldingen/{long_case.pk}/").content.decode())
    assert re.search(r"Volgende termijn: (.*?) —", page).group(1) != label
    assert "UWV-2026-4242" in page
    assert label not in _text(client_hr.get("/").content.decode())
    done = client_hr.get(_url(long_case, "42e-week")).content.decode()
    assert "al als ingediend vastgelegd" in done and 'name="proof"' not in done


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"completed_on": (TODAY + timedelta(days=1)).isoformat(), "proof": "UWV-1"},
            "completed_on",
            "De datum kan niet in de toekomst liggen.",
        ),
        (
            {"completed_on": (TODAY - timedelta(days=400)).isoformat(), "proof": "UWV-1"},
            "completed_on",
            "De datum ligt vóór de eerste verzuimdag",
        ),
        ({"completed_on": TODAY.isoformat(), "proof": "  "}, "proof", "Dit veld is vereist."),
    ],
    ids=["future", "before-the-case", "empty-reference"],
)
def test_ri11_submission_refused_at_the_field_with_what_was_typed(
    client_hr, long_case, werknemer, data, field, message
):
    """RI-11: the submission date is not after today nor before the case, the reference is
    required; the refusal is at the field, the form keeps what was typed, nothing is stored."""
    _with_data(werknemer)
    response = client_hr.post(_url(long_case, "42e-week", "ingediend/"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{data["completed_on"]}"' in html
    if data["proof"].strip():
        assert f'value="{data["proof"]}"' in html
    assert not DeadlineCompletion.objects.filter(
        case_id=long_case.case_id, key="melding_42e_week"
    ).exists()


def test_ri11_submission_refused_while_data_is_missing(client_hr, long_case):
    """RI-11: nothing can be recorded as submitted while the report lacks data."""
    response = client_hr.post(
        _url(long_case, "42e-week", "ingediend/"),
        {"completed_on": TODAY.isoformat(), "proof": "UWV-1"},
    )
    assert response.status_code == 200
    assert "Vul eerst de ontbrekende gegevens in" in response.content.decode()
    assert not DeadlineCompletion.objects.filter(key="melding_42e_week").exists()


# --- RI-11, DG-2: who may see it ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BEDRIJFSARTS, Role.CASEMANAGER, Role.WERKNEMER])
def test_ri11_dg2_only_the_employer_side_sees_the_report(
    make_user, verified_client, long_case, werknemer, role
):
    """RI-11, DG-2: the doctor and casemanager (who read the case) and the employee are refused;
    no BSN is shown or audited as read."""
    _with_data(werknemer)
    response = verified_client(make_user(role)).get(_url(long_case, "42e-week"))
    assert response.status_code in (403, 404)
    assert BSN not in response.content.decode()
    assert not AuditEvent.objects.filter(detail__startswith="BSN getoond").exists()


# --- MD-2: no medical data on the reports ---------------------------------------------------------


@pytest.mark.django_db(databases=["default", "medisch"])
def test_ri11_md2_report_pages_contain_no_medical_marker(client_hr, hr, make_user, werknemer):
    """RI-11, MD-2, ZM-2: with the doctor's consult and a draft advice full of a marker, none of
    the four report pages shows it."""
    _with_data(werknemer)
    zm = _file(hr, werknemer, TODAY - timedelta(days=30), vangnet=True)
    doctor = make_user(Role.BEDRIJFSARTS)
    dossier = medisch_dossier.open_dossier(by=doctor, werknemer=werknemer)
    medisch_dossier.record_consult(
        by=doctor,
        dossier=dossier,
        date=TODAY.isoformat(),
        **{
            k: f"{MARKER} {k}"
            for k in ("anamnesis", "findings", "diagnosis", "diagnosis_code", "policy")
        },
    )
    medisch_dossier.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=zm.case_id,
        release=True,
        date=TODAY,
        limitations=MARKER,
        capabilities=MARKER,
        expected_duration="kort",
        incapacity_percentage=50,
        adjustments=MARKER,
    )
    for slug in ("42e-week", "ziektewet", "ziek-uit-dienst", "hersteldmelding"):
        response = client_hr.get(_url(zm, slug))
        assert response.status_code == 200
        assert MARKER not in response.content.decode()


# --- the loonheffingennummer -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, stored",
    [
        ("999990019L01", "999990019L01"),
        ("9999.90019.l02", "999990019L02"),
        (" 999990019 L01 ", "999990019L01"),
    ],
)
def test_ri11_loonheffingennummer_accepted_in_one_stored_form(value, stored):
    """RI-11: nine digits (RSIN, 11-proef via python-stdnum), L, two digits."""
    assert clean_loonheffingennummer(value) == stored
    validate_loonheffingennummer(value)


@pytest.mark.parametrize(
    "value",
    ["", "123", "999990019", "999990019B01", "999990019L1", "99999001L01", "999990018L01"],
)
def test_ri11_loonheffingennummer_refused(value):
    """RI-11: the wrong shape, another letter, a short subnumber, and nine digits that fail the
    11-proef are refused with a Dutch message."""
    with pytest.raises(ValidationError) as error:
        clean_loonheffingennummer(value)
    assert "loonheffingennummer" in str(error.value) or "11-proef" in str(error.value)


def test_ri11_organisation_field_validates_the_loonheffingennummer(employer):
    """RI-11: the employer's field carries the validator (admin, forms); empty is allowed."""
    employer.loonheffingennummer = "999990018L01"
    with pytest.raises(ValidationError) as error:
        employer.full_clean()
    assert "loonheffingennummer" in error.value.message_dict
    employer.loonheffingennummer = "999990019l01"
    employer.full_clean()
    assert employer.loonheffingennummer == LHN
    employer.loonheffingennummer = ""
    employer.full_clean()


def test_dg2_av3_the_employees_export_holds_their_bsn_and_is_audited(hr, werknemer):
    """DG-2, AV-3: the data-subject export gives the person their own BSN (AVG art. 15), audited
    as an export of the BSN."""
    from verzuim import export

    _with_data(werknemer)
    part = export.contribute([werknemer.pseudonym], by=hr)
    assert part["werknemers"][0]["werknemer"]["burgerservicenummer"] == BSN
    event = AuditEvent.objects.get(action="export", object_type="verzuim.werknemer")
    assert event.subject == werknemer.pseudonym and BSN not in event.detail


def test_ri11_demo_employers_have_valid_synthetic_loonheffingennummers():
    """RI-11, SE-5: the demo's numbers pass the validator and come from the synthetic range."""
    from accounts.demo import DEMO_LOONHEFFINGENNUMMERS, EMPLOYERS

    assert len(DEMO_LOONHEFFINGENNUMMERS) == len(EMPLOYERS)
    for number in DEMO_LOONHEFFINGENNUMMERS:
        assert clean_loonheffingennummer(number) == number
        assert number.startswith("99999")


def test_dg2_the_employee_page_shows_the_bsn_masked(
    client_hr, make_user, verified_client, werknemer
):
    """DG-2: outside the reports to UWV the BSN is masked (its last three digits) for the
    employer, and not shown at all to the doctor who may read the employee's page."""
    _with_data(werknemer)
    page = client_hr.get(f"/verzuim/werknemers/{werknemer.pk}/").content.decode()
    assert f"••••••{BSN[-3:]}" in page and BSN not in page
    doctor_page = verified_client(make_user(Role.BEDRIJFSARTS)).get(
        f"/verzuim/werknemers/{werknemer.pk}/"
    )
    assert doctor_page.status_code == 200
    assert "BSN" not in doctor_page.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert not AuditEvent.objects.filter(detail__startswith="BSN getoond").exists()


def test_ri11_print_stylesheet_hides_navigation_forms_and_buttons():
    """RI-11: printed, the report is the data only - the print rules hide the site header and
    navigation, the forms and the buttons, and show the print note."""
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/uwv-print.css").read_text()
    block = css.split("@media print", 1)[1]
    hidden = re.search(r"\}\s*([^{}]+)\{\s*display: none !important;", block).group(1)
    for selector in (".site-header", "nav", "footer", ".no-print", "form", "button"):
        assert selector in [part.strip() for part in hidden.split(",")], selector
    assert re.search(r"\.print-only\s*\{\s*display: block;", block)
