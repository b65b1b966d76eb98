"""RI-12: employer and employee sign each employer document — the plan van aanpak per version,
the evaluations, the employer's part of the re-integratieverslag — after a fresh
re-authentication; the SHA-256 of exactly the version signed is stored; a change makes the
signature "niet meer geldig" and asks for a new one; a check code verifies it on a public page
that names nobody. Source: RULES.md RI-12 [UWV, re-integratieverslag]; reintegratie/signing.py
cites the UWV pages."""

import hashlib
import io
import json
import re
import time
from datetime import date, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from weasyprint import HTML

from accounts.reauth import REAUTH_AT
from accounts.roles import Role
from privacy.models import AuditEvent
from reintegratie import queries, signing
from reintegratie.actions import dossier as dossier_actions
from reintegratie.actions import ondertekening as sign_actions
from reintegratie.actions import plan as plan_actions
from reintegratie.export import contribute
from reintegratie.models import Evaluatie, Ondertekening, PlanVersie
from retention import registry
from tests.conftest import totp_code
from tests.factories import PASSWORD
from tests.security.test_plain_words import jargon, visible_text
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

pytestmark = pytest.mark.django_db

VERIFY = "/reintegratie/verifieren/"


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR, full_name="Hanna Personeelszaken")


@pytest.fixture
def employee(make_user):
    return make_user(Role.WERKNEMER, full_name="Wim Werknemer")


@pytest.fixture
def wn(employer, employee):
    return WerknemerFactory(
        organisation=employer, user=employee, first_name="Wim", last_name="Werknemer"
    )


@pytest.fixture
def zm(hr, wn):
    return create_ziekmelding(
        by=hr,
        werknemer=wn,
        first_day=date.today() - timedelta(days=60),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )


@pytest.fixture
def plan(hr, zm):
    return plan_actions.save_plan(
        by=hr,
        ziekmelding=zm,
        version=0,
        drawn_up_on=date.today() - timedelta(days=10),
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals="Binnen acht weken weer het eigen werk doen.",
        advies_ref=None,
    )


@pytest.fixture
def evaluatie(hr, plan, zm):
    return plan_actions.record_evaluatie(
        by=hr,
        plan=plan,
        ziekmelding=zm,
        kind="periodiek",
        date=date.today(),
        outcome="Werkt halve dagen; volgende stap: hele dagen.",
    )


def _proved(client, user, next_url="/"):
    """The re-authentication step itself: password and a TOTP code (accounts/reauth.py)."""
    response = client.post(
        f"/account/bevestigen/?next={next_url}",
        {"password": PASSWORD, "otp_token": totp_code(user.totpdevice_set.get())},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _sign(client, url, document, decision="akkoord", remark=""):
    digest = signing.content_hash(
        signing.describe(document).type, signing.describe(document).record
    )
    return client.post(url, {"content_hash": digest, "decision": decision, "remark": remark})


def _fresh_session(client):
    session = client.session
    session[REAUTH_AT] = int(time.time())
    session.save()
    return client


# --- Signing ----------------------------------------------------------------------------------


def test_ri12_hr_and_employee_sign_a_plan_version_after_reauthentication(
    plan, hr, employee, verified_client
):
    """RI-12: both sides sign the plan's version through the page, each after password + TOTP;
    the employee's disagreement is recorded, not blocked; each signature is audited (SE-7)."""
    url = f"/reintegratie/plannen/{plan.pk}/ondertekenen/"
    hr_client = verified_client(hr)
    page = hr_client.get(url).content.decode()
    assert "Bevestigen en ondertekenen" in page and 'name="decision"' not in page
    _proved(hr_client, hr, url)
    assert 'name="decision"' in hr_client.get(url).content.decode()
    assert _sign(hr_client, url, plan).status_code == 302

    own_client = _proved(verified_client(employee), employee, url)
    response = _sign(own_client, url, plan, "niet_akkoord", "Ik wil eerst een gesprek.")
    assert response.status_code == 302 and response["Location"] == "/reintegratie/mijn/"

    versie = PlanVersie.objects.get(plan=plan, number=plan.version)
    rows = {s.role: s for s in Ondertekening.objects.all()}
    assert set(rows) == {"werkgever", "werknemer"}
    assert rows["werkgever"].agreed and rows["werkgever"].signer == hr
    assert not rows["werknemer"].agreed
    assert rows["werknemer"].remark == "Ik wil eerst een gesprek."
    for row in rows.values():
        assert (row.document_type, row.document_id, row.document_version) == (
            "planversie",
            versie.pk,
            versie.number,
        )
    assert all(r.valid for r in queries.signatures_for(plan))
    assert queries.unsigned_roles(plan) == []
    assert (
        AuditEvent.objects.filter(object_type="reintegratie.ondertekening", action="create").count()
        == 2
    )


def test_ri12_the_hash_is_of_exactly_the_version_signed(plan, hr, rf):
    """RI-12: the stored SHA-256 is over the canonical serialisation of the version's own
    fields (sorted-key JSON, documented in reintegratie/signing.py), not over rendered HTML."""
    request = _request(rf, hr)
    signature = sign_actions.sign(by=hr, document=plan, agreed=True, request=request)
    versie = PlanVersie.objects.get(plan=plan, number=plan.version)
    body = json.loads(signing.canonical("planversie", versie))
    assert body == {
        "type": "planversie",
        "id": versie.pk,
        "fields": {
            "plan_id": plan.pk,
            "number": versie.number,
            "snapshot": versie.snapshot,
            "saved_at": body["fields"]["saved_at"],
            "summary": versie.summary,
        },
    }
    assert (
        signing.canonical("planversie", versie)
        == json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    )
    assert (
        signature.content_hash
        == hashlib.sha256(signing.canonical("planversie", versie)).hexdigest()
    )
    assert "<" not in signing.canonical("planversie", versie).decode()


def _request(rf, user, fresh=True):
    request = rf.post("/")
    request.user = user
    request.session = SessionStore()
    if fresh:
        request.session[REAUTH_AT] = int(time.time())
    return request


def test_ri12_changing_the_plan_invalidates_the_old_signature_and_asks_again(
    plan, hr, zm, rf, verified_client
):
    """RI-12: a new version (an activity added, a field changed) has another hash; the old
    signature shows as no longer valid and the plan asks to be signed again."""
    sign_actions.sign(by=hr, document=plan, agreed=True, request=_request(rf, hr))
    assert queries.unsigned_roles(plan) == ["werknemer"]
    plan_actions.add_activity(
        by=hr, plan=plan, description="Gesprek", owner="samen", due_on=date.today()
    )
    plan.refresh_from_db()
    (old,) = queries.signatures_for(plan)
    assert not old.valid and old.reason == "niet meer geldig: het document is gewijzigd"
    assert queries.unsigned_roles(plan) == ["werkgever", "werknemer"]
    page = verified_client(hr).get(f"/reintegratie/meldingen/{zm.pk}/plan/").content.decode()
    assert "niet meer geldig: het document is gewijzigd" in page
    assert f"Versie {plan.version} ondertekenen" in page

    second = sign_actions.sign(by=hr, document=plan, agreed=True, request=_request(rf, hr))
    assert second.content_hash != old.content_hash
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=zm,
        version=plan.version,
        drawn_up_on=plan.drawn_up_on,
        casemanager=plan.casemanager,
        spoor=plan.spoor,
        goals=plan.goals + " En daarna meer uren.",
        advies_ref=None,
    )
    assert [r.valid for r in queries.signatures_for(plan)] == [False, False]


def test_ri12_signing_without_a_fresh_reauthentication_is_refused(plan, hr, rf, verified_client):
    """RI-12: no signature without password + TOTP just now: not without proof, not with a proof
    older than the signing window, not twice on one proof (it is spent)."""
    url = f"/reintegratie/plannen/{plan.pk}/ondertekenen/"
    client = verified_client(hr)
    response = _sign(client, url, plan)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/bevestigen/?next=")
    session = client.session
    session[REAUTH_AT] = int(time.time()) - sign_actions.SIGN_REAUTH_SECONDS - 5
    session.save()
    assert _sign(client, url, plan)["Location"].startswith("/account/bevestigen/")
    assert not Ondertekening.objects.exists()
    with pytest.raises(sign_actions.ReauthenticationRequired):
        sign_actions.sign(by=hr, document=plan, agreed=True, request=_request(rf, hr, False))
    with pytest.raises(sign_actions.ReauthenticationRequired):
        sign_actions.sign(by=hr, document=plan, agreed=True)  # no session at all (the API)

    _fresh_session(client)
    assert _sign(client, url, plan).status_code == 302
    assert Ondertekening.objects.count() == 1
    assert REAUTH_AT not in client.session  # spent


def test_ri12_a_role_that_may_not_sign_is_refused(
    plan, evaluatie, hr, zm, make_user, verified_client, other_employer, rf
):
    """RI-12, SE-2: only the employer side of the organisation and the werknemer whose case it
    is sign. The assigned doctor reads the plan but may not sign it (403); a consultant, another
    employee, another organisation's HR do not even find it (404); werkgever may not sign the
    verslag, which is HR's (RI-4)."""
    doctor = make_user(Role.BEDRIJFSARTS)
    urls = (
        f"/reintegratie/plannen/{plan.pk}/ondertekenen/",
        f"/reintegratie/evaluaties/{evaluatie.pk}/ondertekenen/",
    )
    for url in urls:
        assert _sign(_fresh_session(verified_client(doctor)), url, plan).status_code == 403
    outsiders = (
        make_user(Role.CONSULTANT),
        make_user(Role.WERKNEMER),
        make_user(Role.HR, organisation=other_employer),
        make_user(Role.BEHEERDER),
    )
    for outsider in outsiders:
        for url in urls:
            response = _sign(_fresh_session(verified_client(outsider)), url, plan)
            assert response.status_code == 404, (outsider.role, url)
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=zm)
    werkgever = make_user(Role.WERKGEVER)
    url = f"/reintegratie/verslagen/{verslag.pk}/ondertekenen/"
    assert _sign(_fresh_session(verified_client(werkgever)), url, verslag).status_code == 404
    with pytest.raises(PermissionDenied):
        sign_actions.sign(by=doctor, document=plan, agreed=True, request=_request(rf, doctor))
    assert not Ondertekening.objects.exists()


def test_ri12_the_employee_signs_the_verslag_only_once_given(hr, employee, zm, rf):
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=zm)
    with pytest.raises(PermissionDenied):
        sign_actions.sign(
            by=employee, document=verslag, agreed=True, request=_request(rf, employee)
        )
    dossier_actions.give_verslag(by=hr, verslag=verslag)
    verslag.refresh_from_db()
    signature = sign_actions.sign(
        by=employee, document=verslag, agreed=True, request=_request(rf, employee)
    )
    assert signature.role == "werknemer"
    # Handing over the copy is not content: a signature before it still holds after it.
    assert [r.valid for r in queries.signatures_for(verslag)] == [True]


def test_ri12_zm3_the_remark_is_guarded_and_the_form_comes_back(plan, employee, verified_client):
    """ZM-3: the remark goes onto the employer's document: a medical term is refused at the
    field, with what was typed still there."""
    url = f"/reintegratie/plannen/{plan.pk}/ondertekenen/"
    client = _fresh_session(verified_client(employee))
    typed = "Ik heb een hernia en kan niet tillen."
    page = _sign(client, url, plan, "niet_akkoord", typed).content.decode()
    assert 'class="error-summary"' in page and "hernia" in page
    assert typed in page
    assert not Ondertekening.objects.exists()


# --- Check codes and the verify page ------------------------------------------------------


def _verify(code):
    return Client().post(VERIFY, {"code": code}).content.decode()


def test_ri12_the_check_code_verifies_and_fails_after_any_change(plan, evaluatie, hr, rf):
    """RI-12: a check code is valid for the document as signed; one byte more in the content,
    or another version, and it is invalid; a tampered stored hash breaks the code itself."""
    on_plan = sign_actions.sign(by=hr, document=plan, agreed=True, request=_request(rf, hr))
    on_eval = sign_actions.sign(by=hr, document=evaluatie, agreed=True, request=_request(rf, hr))
    assert re.fullmatch(r"[A-Z2-7]{16}", on_plan.check_code)
    assert on_plan.check_code == signing.code_of(on_plan)
    for signature in (on_plan, on_eval):
        result = queries.verify_code(signing.show_code(signature.check_code))
        assert result.valid, result
    # Typed loosely: lower case, spaces, a 0 for an O.
    loose = signing.show_code(on_eval.check_code).lower().replace("-", " ").replace("o", "0")
    assert queries.verify_code(loose).valid

    Evaluatie.objects.filter(pk=evaluatie.pk).update(outcome=evaluatie.outcome + ".")
    changed = queries.verify_code(on_eval.check_code)
    assert not changed.valid and changed.reason == "niet meer geldig: het document is gewijzigd"

    plan_actions.add_activity(
        by=hr, plan=plan, description="Werkplekonderzoek", owner="werkgever", due_on=date.today()
    )
    assert not queries.verify_code(on_plan.check_code).valid

    Ondertekening.objects.filter(pk=on_eval.pk).update(content_hash="0" * 64)
    tampered = queries.verify_code(on_eval.check_code)
    assert not tampered.valid and "controlecode" in tampered.reason
    assert not queries.verify_code("AAAA-BBBB-CCCC-DDDD").known


def test_ri12_the_verify_page_is_public_and_reveals_no_name_or_bsn(plan, hr, wn, rf):
    """RI-12, DG-2: the anonymous verify page says valid or not, document type, version, date and
    role — never the employee's or signer's name, personnel number, birth date or a BSN."""
    signature = sign_actions.sign(by=hr, document=plan, agreed=True, request=_request(rf, hr))
    page = _verify(signing.show_code(signature.check_code))
    assert "geldig" in page and "plan van aanpak" in page and "werkgever" in page
    assert f"<td>{signature.document_version}</td>" in page
    main = page.split("<main", 1)[-1]
    for secret in (
        wn.first_name,
        wn.last_name,
        wn.personnel_number,
        "17-05-1980",
        hr.full_name,
        signature.content_hash,
        plan.goals,
    ):
        assert secret not in main, secret
    assert not re.search(r"\b\d{9}\b", main)  # no BSN-shaped number
    assert "ongeldig" in _verify("ZZZZ-ZZZZ-ZZZZ-ZZZZ")


def test_ri12_the_verify_page_reads_the_check_codes_of_a_pdf(plan, hr, rf):
    """RI-12: the include prints each signature's check code; a PDF made from it (WeasyPrint, as
    the document PDFs are) is read with pypdf on the verify page."""
    sign_actions.sign(by=hr, document=plan, agreed=True, request=_request(rf, hr))
    html = render_to_string(
        "includes/signatures.html",
        {"signatures": queries.signatures_for(plan), "verify_url": "https://example.test/v/"},
    )
    pdf = HTML(string=f"<html><body>{html}</body></html>").write_pdf()
    upload = io.BytesIO(pdf)
    upload.name = "verslag.pdf"
    page = Client().post(VERIFY, {"pdf": upload}).content.decode()
    code = signing.show_code(Ondertekening.objects.get().check_code)
    assert code in page and "<strong>geldig</strong>" in page

    junk = io.BytesIO(b"%PDF-1.4 this is no pdf")
    junk.name = "kapot.pdf"
    page = Client().post(VERIFY, {"pdf": junk}).content.decode()
    assert "geen leesbaar PDF-document" in page


# --- Retention and export ------------------------------------------------------------------


def test_ri12_rt1_signatures_are_kept_like_the_documents_they_sign(plan, hr, rf):
    """RT-1, RT-2: signatures are a retention category of their own, computed from the case
    like the plan (the re-integratiedossier rule), so they go when the dossier goes."""
    signature = sign_actions.sign(by=hr, document=plan, agreed=True, request=_request(rf, hr))
    category = next(c for c in registry.categories() if c.model is Ondertekening)
    plan_category = registry.category("reintegratie.plan")
    assert category.rules == plan_category.rules == ("reintegratiedossier",)
    assert category.compute(signature) == plan_category.compute(plan)


def test_ri12_av3_the_data_subject_export_holds_the_signatures(plan, hr, wn, rf):
    """AV-3: the employee's export lists the signatures of their documents; the signer by role
    only (other people are not named in someone's export, AV-6)."""
    signature = sign_actions.sign(by=hr, document=plan, agreed=False, request=_request(rf, hr))
    exported = contribute([wn.pseudonym], by=hr)["ondertekeningen"]
    assert len(exported) == 1
    (row,) = exported
    assert row["controlecode"] == signature.check_code
    assert signature.content_hash in row.values()
    assert hr.full_name not in json.dumps(row, default=str)


def test_ri12_the_plan_pages_read_signatures_without_a_query_per_evaluation(
    plan, hr, zm, employee, verified_client, rf
):
    """SE-9 hygiene: the signatures of the plan and of every evaluation come in one query."""

    def counted(client, url):
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(url).status_code == 200
        return len(queries_run)

    def evaluate():
        evaluatie = plan_actions.record_evaluatie(
            by=hr, plan=plan, ziekmelding=zm, kind="periodiek", date=date.today(), outcome="Goed."
        )
        sign_actions.sign(by=hr, document=evaluatie, agreed=True, request=_request(rf, hr))

    pages = (
        (verified_client(hr), f"/reintegratie/meldingen/{zm.pk}/plan/"),
        (verified_client(employee), "/reintegratie/mijn/"),
    )
    evaluate()
    before = [counted(client, url) for client, url in pages]
    evaluate()
    evaluate()
    assert [counted(client, url) for client, url in pages] == before


def test_ri12_the_api_refuses_signing_with_a_machine_readable_code(
    plan, hr, make_user, bearer_client
):
    """RI-12: the API cannot re-authenticate, so it signs nothing: 403
    `reauthentication_required` with the page to sign on; the doctor gets a plain 403."""
    url = f"/api/v1/reintegratie/plannen/{plan.pk}/ondertekenen/"
    response = bearer_client(hr).post(url, {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    assert response.json()["url"] == f"/reintegratie/plannen/{plan.pk}/ondertekenen/"
    doctor = bearer_client(make_user(Role.BEDRIJFSARTS)).post(url, {}, format="json")
    assert doctor.status_code == 403 and doctor.json()["code"] != "reauthentication_required"
    assert not Ondertekening.objects.exists()


def test_ri12_signed_pages_speak_plain_words(plan, hr, zm, employee, rf, verified_client):
    """Issue 18 item 6 on the pages with signatures: no rule codes, no raw paths to read."""
    sign_actions.sign(by=hr, document=plan, agreed=True, request=_request(rf, hr))
    pages = (
        (verified_client(hr), f"/reintegratie/meldingen/{zm.pk}/plan/"),
        (_fresh_session(verified_client(hr)), f"/reintegratie/plannen/{plan.pk}/ondertekenen/"),
        (verified_client(employee), "/reintegratie/mijn/"),
    )
    for client, url in pages:
        text = visible_text(client.get(url).content.decode())
        assert "Controlecode" in text and jargon(text) == [], (url, jargon(text))
