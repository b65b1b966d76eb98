"""MD-7 (aanstellingskeuring), with MD-2, MD-3, SE-7, SE-9 and AV-2: the employer requests an
exam only with a recorded justification; the doctor records it in the medical module; the
candidate sees the result first and decides whether the employer learns "geschikt / niet
geschikt"; the employer sees nothing else, ever."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.utils import DatabaseError
from django.http import Http404
from django.utils.html import escape

from accounts.roles import Role
from medisch.actions.keuring import record_keuring
from medisch.models import Keuring
from medisch.public import (
    decide_keuring,
    keuringen_for_candidate,
    keuringen_for_employer,
    request_keuring,
)
from privacy.models import AuditEvent
from tests.medisch.conftest import MARKER

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

REQUEST = {
    "function": "Heftruckchauffeur",
    "justification": "Het besturen van een heftruck vereist goed zicht en evenwicht.",
    "aspects": "Gezichtsvermogen en evenwichtsorgaan",
}
FINDINGS = f"{MARKER} visus links verminderd, evenwicht normaal"
EMPLOYER_PAGES = ["/", "/verzuim/keuringen/", "/verzuim/keuringen/nieuw/", "/verzuim/werknemers/"]
EMPLOYER_API = ["/api/v1/werknemers/", "/api/v1/ziekmeldingen/", "/api/v1/me/"]
OUTCOME_CELL = re.compile(r"<td>\s*(niet )?geschikt\s*</td>")


@pytest.fixture
def candidate(patient):
    """The applicant: a werknemer-role user of `employer` (here with a Werknemer record, so the
    own page /verzuim/mijn/ is there)."""
    return patient.user


@pytest.fixture
def werkgever(make_user):
    return make_user(Role.WERKGEVER)


@pytest.fixture
def keuring(hr, candidate):
    return Keuring.objects.get(
        pk=request_keuring(by=hr, candidate_email=candidate.email, **REQUEST)
    )


@pytest.fixture
def examined(keuring, doctor):
    assert record_keuring(by=doctor, keuring=keuring, findings=FINDINGS, conclusion="niet_geschikt")
    keuring.refresh_from_db()
    return keuring


def _employer_bodies(make_user, hr, werkgever, verified_client, bearer_client):
    """Every page and API response the employer side (and the operator) reaches."""
    bodies = []
    for role in (Role.HR, Role.WERKGEVER, Role.WERKGEVER_BEHEERDER, Role.BEHEERDER):
        user = {Role.HR: hr, Role.WERKGEVER: werkgever}.get(role) or make_user(role)
        client = verified_client(user)
        for path in EMPLOYER_PAGES:
            bodies.append((role, path, client.get(path).content.decode()))
        token_client = bearer_client(user)
        for path in EMPLOYER_API:
            bodies.append((role, path, token_client.get(path).content.decode()))
    return bodies


# --- Requesting ---------------------------------------------------------------------------------
@pytest.mark.parametrize("justification", ["", "   ", "Nodig voor de baan."])
def test_no_request_without_justification(hr, candidate, justification):
    """MD-7: only when the job sets special medical requirements, with a recorded
    justification (at least 20 characters); nothing is stored otherwise."""
    with pytest.raises(ValidationError) as error:
        request_keuring(
            by=hr, candidate_email=candidate.email, **{**REQUEST, "justification": justification}
        )
    assert "justification" in error.value.error_dict
    assert Keuring.objects.count() == 0


def test_request_form_refuses_without_justification_and_states_md7(hr, candidate, verified_client):
    """MD-7: the request form shows the rule (no health or absence-history questions, only the
    job's special requirements justify an exam) and refuses an empty justification."""
    client = verified_client(hr)
    page = client.get("/verzuim/keuringen/nieuw/").content.decode()
    assert "geen vragen over gezondheid" in page
    assert "bijzondere eisen stelt aan de medische geschiktheid" in page
    response = client.post(
        "/verzuim/keuringen/nieuw/",
        {"candidate_email": candidate.email, **REQUEST, "justification": "kort"},
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert Keuring.objects.count() == 0
    response = client.post(
        "/verzuim/keuringen/nieuw/", {"candidate_email": candidate.email, **REQUEST}
    )
    assert response.status_code == 302
    assert Keuring.objects.get().justification == REQUEST["justification"]


def test_candidate_must_be_a_werknemer_of_the_own_organisation(hr, make_user, other_employer):
    """MD-7, SE-9: the candidate is a werknemer-role user of the requesting organisation."""
    foreign = make_user(Role.WERKNEMER, organisation=other_employer)
    colleague_hr = make_user(Role.HR)
    for email in (foreign.email, colleague_hr.email, "niemand@example.org"):
        with pytest.raises(ValidationError) as error:
            request_keuring(by=hr, candidate_email=email, **REQUEST)
        assert "candidate_email" in error.value.error_dict
    assert Keuring.objects.count() == 0


@pytest.mark.parametrize(
    "role", [Role.WERKGEVER_BEHEERDER, Role.BEHEERDER, Role.BEDRIJFSARTS, Role.WERKNEMER]
)
def test_only_hr_and_werkgever_request(role, make_user, candidate, verified_client):
    """MD-7, SE-2: only hr and werkgever request an exam; the others are refused (403)."""
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        request_keuring(by=user, candidate_email=candidate.email, **REQUEST)
    client = verified_client(user)
    assert client.get("/verzuim/keuringen/").status_code == 403
    assert client.get("/verzuim/keuringen/nieuw/").status_code == 403
    assert keuringen_for_employer(user) == []


# --- The employer sees nothing but the status, and the conclusion only when shared -----------
def test_employer_never_sees_findings_or_conclusion_before_sharing(
    examined, hr, werkgever, make_user, verified_client, bearer_client
):
    """MD-7, MD-2: after the exam, before the candidate decided, no employer-side page or API
    response (nor the operator's) shows the findings or the conclusion."""
    (row,) = keuringen_for_employer(hr)
    assert row.outcome is None
    assert row.status == "uitgevoerd, kandidaat beslist"
    assert not hasattr(row, "findings") and not hasattr(row, "conclusion")
    for role, path, body in _employer_bodies(
        make_user, hr, werkgever, verified_client, bearer_client
    ):
        assert MARKER not in body, (role, path)
        assert "visus" not in body, (role, path)
        assert not OUTCOME_CELL.search(body), (role, path)


def test_employer_of_another_organisation_sees_nothing(examined, make_user, other_employer):
    """SE-9: the exam exists only for the requesting organisation."""
    assert keuringen_for_employer(make_user(Role.HR, organisation=other_employer)) == []


def test_candidate_sees_the_result_first(examined, candidate, hr, verified_client):
    """MD-7: the candidate reads conclusion and findings on their own page, with the choice
    to share; AV-2: the page says refusing has no consequence."""
    (own,) = keuringen_for_candidate(candidate)
    assert own.conclusion == "niet geschikt" and own.findings == FINDINGS and own.can_decide
    page = verified_client(candidate).get("/verzuim/mijn/").content.decode()
    assert "Aanstellingskeuring" in page and MARKER in page and "niet geschikt" in page
    assert "Uitslag delen met de werkgever" in page and "Niet delen" in page
    assert "geen gevolgen" in page
    assert keuringen_for_candidate(hr) == []


def test_sharing_reveals_only_the_conclusion(
    examined, candidate, hr, werkgever, make_user, verified_client, bearer_client
):
    """MD-7: with the candidate's consent the employer learns "geschikt / niet geschikt" —
    and nothing else (never the findings)."""
    response = verified_client(candidate).post(
        f"/verzuim/mijn/keuringen/{examined.pk}/besluit/", {"besluit": "delen"}
    )
    assert response.status_code == 302 and response["Location"] == "/verzuim/mijn/"
    (row,) = keuringen_for_employer(hr)
    assert row.outcome == "niet geschikt" and row.status == "uitslag gedeeld"
    page = verified_client(hr).get("/verzuim/keuringen/").content.decode()
    assert OUTCOME_CELL.search(page) and "uitslag gedeeld" in page
    for role, path, body in _employer_bodies(
        make_user, hr, werkgever, verified_client, bearer_client
    ):
        assert MARKER not in body, (role, path)
        assert "visus" not in body, (role, path)


def test_not_sharing_reveals_nothing_and_says_so(examined, candidate, hr, verified_client):
    """MD-7, AV-2: without consent the employer sees only that the candidate does not share."""
    verified_client(candidate).post(
        f"/verzuim/mijn/keuringen/{examined.pk}/besluit/", {"besluit": "niet_delen"}
    )
    (row,) = keuringen_for_employer(hr)
    assert row.outcome is None and row.status == "kandidaat deelt de uitslag niet"
    page = verified_client(hr).get("/verzuim/keuringen/").content.decode()
    assert "kandidaat deelt de uitslag niet" in page
    assert MARKER not in page and not OUTCOME_CELL.search(page)
    own = verified_client(candidate).get("/verzuim/mijn/").content.decode()
    assert "besloten de uitslag niet te delen" in own


def test_a_second_decision_is_refused(examined, candidate, hr, verified_client):
    """MD-7: the candidate decides once; a second decision changes nothing."""
    decide_keuring(by=candidate, keuring_id=examined.pk, share=False)
    with pytest.raises(ValidationError):
        decide_keuring(by=candidate, keuring_id=examined.pk, share=True)
    verified_client(candidate).post(
        f"/verzuim/mijn/keuringen/{examined.pk}/besluit/", {"besluit": "delen"}
    )
    examined.refresh_from_db()
    assert examined.candidate_decision == "niet_delen"
    assert keuringen_for_employer(hr)[0].outcome is None


def test_no_decision_before_the_exam_and_only_by_the_candidate(
    keuring, candidate, make_user, hr, verified_client
):
    """MD-7: nothing to decide before the exam; somebody else's exam answers 404 (SE-9)."""
    with pytest.raises(ValidationError):
        decide_keuring(by=candidate, keuring_id=keuring.pk, share=True)
    other = make_user(Role.WERKNEMER)
    with pytest.raises(Http404):
        decide_keuring(by=other, keuring_id=keuring.pk, share=True)
    with pytest.raises(Http404):
        decide_keuring(by=hr, keuring_id=keuring.pk, share=True)
    url = f"/verzuim/mijn/keuringen/{keuring.pk}/besluit/"
    assert verified_client(hr).post(url, {"besluit": "delen"}).status_code == 404
    keuring.refresh_from_db()
    assert keuring.candidate_decision == ""


# --- The doctor's side ----------------------------------------------------------------------------
def test_doctor_records_once(keuring, doctor, candidate, verified_client):
    """MD-7: the assigned doctor sees the request (function, justification, aspects) and
    records the exam, once."""
    client = verified_client(doctor)
    listing = client.get("/medisch/keuringen/").content.decode()
    assert escape(candidate.full_name) in listing and REQUEST["function"] in listing
    form = client.get(f"/medisch/keuringen/{keuring.pk}/vastleggen/").content.decode()
    assert REQUEST["justification"] in form and REQUEST["aspects"] in form
    url = f"/medisch/keuringen/{keuring.pk}/vastleggen/"
    response = client.post(url, {"findings": FINDINGS, "conclusion": "geschikt"})
    assert response.status_code == 302
    response = client.post(url, {"findings": "overschreven", "conclusion": "niet_geschikt"})
    assert response.status_code == 302
    keuring.refresh_from_db()
    assert keuring.findings == FINDINGS and keuring.conclusion == "geschikt"
    assert keuring.examined_by_id == doctor.pk


def test_doctor_of_another_organisation_cannot_see_or_record(
    keuring, unassigned_doctor, casemanager, verified_client
):
    """MD-7, MD-2, SE-9: only the bedrijfsarts assigned to the requesting organisation; a
    casemanager neither (an exam is not delegable)."""
    for user in (unassigned_doctor, casemanager):
        client = verified_client(user)
        assert keuring.function not in client.get("/medisch/keuringen/").content.decode()
        url = f"/medisch/keuringen/{keuring.pk}/vastleggen/"
        assert client.get(url).status_code == 404
        response = client.post(url, {"findings": "x", "conclusion": "geschikt"})
        assert response.status_code == 404
    with pytest.raises(Http404):
        record_keuring(by=unassigned_doctor, keuring=keuring, findings="x", conclusion="geschikt")
    keuring.refresh_from_db()
    assert keuring.examined_at is None


@pytest.mark.parametrize(
    "role", [Role.HR, Role.WERKGEVER, Role.WERKGEVER_BEHEERDER, Role.BEHEERDER, Role.WERKNEMER]
)
def test_non_medical_roles_are_refused_the_doctors_pages(role, keuring, make_user, verified_client):
    """MD-2 layer 1: no employer-side role, nor the operator, nor the candidate."""
    client = verified_client(make_user(role))
    assert client.get("/medisch/keuringen/").status_code == 403
    assert client.get(f"/medisch/keuringen/{keuring.pk}/vastleggen/").status_code == 403


# --- At rest and in the audit log --------------------------------------------------------------
def test_findings_are_ciphertext_at_rest(examined):
    """MD-3: the findings column holds an AES-GCM token; MD-2 layer 2: the application's
    database role cannot read the table at all."""
    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT findings FROM medisch_keuring WHERE id = %s", [examined.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("v1:") and MARKER not in stored
    assert Keuring.objects.get(pk=examined.pk).findings == FINDINGS
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT findings FROM medisch_keuring")
    assert "permission denied" in str(error.value)


def test_every_step_is_audited_without_content(examined, candidate, hr, doctor):
    """SE-7: request, record, the candidate's read and decision, the employer's read of the
    shared conclusion — each logged under the candidate's pseudonym, never with content."""
    keuringen_for_candidate(candidate)
    decide_keuring(by=candidate, keuring_id=examined.pk, share=True)
    keuringen_for_employer(hr)
    events = list(
        AuditEvent.objects.filter(object_type="medisch.keuring", subject=candidate.pseudonym)
    )
    by_actor = {(e.actor, e.action) for e in events}
    assert (hr.pseudonym, "create") in by_actor
    assert (doctor.pseudonym, "update") in by_actor
    assert (candidate.pseudonym, "read") in by_actor
    assert (candidate.pseudonym, "update") in by_actor
    assert (hr.pseudonym, "read") in by_actor
    for event in AuditEvent.objects.all():
        text = json.dumps(event.object_ids) + event.detail
        assert MARKER not in text and "visus" not in text
        assert "niet geschikt" not in text and "niet_geschikt" not in text
    assert all(e.object_ids == [str(examined.pk)] for e in events)


def test_applicant_without_employment_sees_result_and_access_log(
    make_user, verified_client, employer
):
    """MD-7 + AV-6: an applicant (werknemer login, no employment yet) reaches their own page,
    sees the exam section and who accessed it; the page has no employee-only parts."""
    from medisch import public

    applicant = make_user(Role.WERKNEMER)
    hr = make_user(Role.HR)
    public.request_keuring(
        by=hr,
        candidate_email=applicant.email,
        function="Heftruckchauffeur",
        justification="Rijden op een heftruck vereist goed zicht en gehoor (Arbobesluit).",
        aspects="Visus en gehoor",
    )
    page = verified_client(applicant).get("/verzuim/mijn/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Aanstellingskeuring" in body and "Heftruckchauffeur" in body
    assert "Noodinformatie" not in body
    # The request is in the access log under the applicant's login pseudonym (AV-6).
    log = body.split('id="inzage"', 1)[1]
    assert hr.full_name in log


def test_shared_consent_can_be_withdrawn_with_immediate_effect(
    examined, candidate, hr, verified_client
):
    """AV-2 + MD-7: consent to share is revocable at any time; the employer stops seeing the
    conclusion at once; sharing again after a withdrawal is not possible for this exam."""
    decide_keuring(by=candidate, keuring_id=examined.pk, share=True)
    assert keuringen_for_employer(hr)[0].outcome in ("geschikt", "niet geschikt")
    response = verified_client(candidate).post(
        f"/verzuim/mijn/keuringen/{examined.pk}/besluit/", {"besluit": "niet_delen"}
    )
    assert response.status_code == 302
    assert keuringen_for_employer(hr)[0].outcome is None
    with pytest.raises(ValidationError):
        decide_keuring(by=candidate, keuring_id=examined.pk, share=True)
