"""RI-12, RI-4, DG-2: the re-integratieverslag for UWV as one PDF (reintegratie/bundle.py,
reintegratie/actions/bundel.py): made only from a complete case, its parts in UWV's order with a
bookmark each, the employee's name, full BSN and page number on every page, no word of the medical
part; stored encrypted; the employee's copy in their portal at once (the Poortwachter step "copy
to the employee" done) and their first download recorded as the receipt; the WIA step asks for a
bundle made from the documents as they are now; UWV's upload limit.

Sources: Beleidsregels vorm- en herkenbaarheidsvereisten reïntegratieverslagen (BWBR0015184)
art. 2 lid 2; UWV, "Het re-integratieverslag indienen" (PDF, BSN on every document, 10 MB);
art. 25 lid 3 WIA (the employee's copy).
"""

import io
import re
import subprocess
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from pypdf import PdfReader

from accounts.models import Notification
from accounts.roles import Role
from doelgroep.synthetic import synthetic_bsns
from reintegratie import bundle as bundles
from reintegratie.actions import bundel as bundle_actions
from reintegratie.actions import documenten as document_actions
from reintegratie.models import PlanVanAanpak, Verslagbundel
from tests.conftest import user_maker
from tests.factories import OrganisationFactory
from tests.reintegratie.test_completeness import MARKER, TODAY, build
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import termijnen
from verzuim.models import DeadlineCompletion

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])
ALIASES = ("default", "medisch")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"
BSN = next(synthetic_bsns())  # the unissued test range (SE-5)
WIA = "wia_aanvraag"


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def doctor(make_user):
    return make_user(Role.BEDRIJFSARTS)


@pytest.fixture
def werknemer(employer, make_user):
    return WerknemerFactory(
        organisation=employer,
        user=make_user(Role.WERKNEMER),
        first_name="Vera",
        last_name="Verslag",
    )


def complete_case(hr, doctor, werknemer, **kwargs):
    zm = build(hr, doctor, werknemer, **kwargs)
    document_actions.record_uwv_bsn(by=hr, werknemer=werknemer, bsn=BSN)
    zm.werknemer.refresh_from_db()
    return zm


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """CI budget: one complete 91-week case and its bundle for the tests that only read them or
    change them inside their own transaction — built once for the module, in one transaction on
    both aliases that is rolled back at the end (the pattern of tests/accounts/test_demo.py)."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(TODAY, tick=False),
        ExitStack() as stack,
    ):
        for alias in ALIASES:
            stack.enter_context(transaction.atomic(using=alias))
        try:
            employer = OrganisationFactory(name="Werkgever Bundel BV")
            make_user = user_maker(employer)
            hr, doctor = make_user(Role.HR), make_user(Role.BEDRIJFSARTS)
            werknemer = WerknemerFactory(
                organisation=employer,
                user=make_user(Role.WERKNEMER),
                first_name="Vera",
                last_name="Verslag",
            )
            zm = complete_case(hr, doctor, werknemer)
            bundle = bundle_actions.make_bundle(by=hr, ziekmelding=zm)
            yield {"hr": hr, "doctor": doctor, "werknemer": werknemer, "zm": zm, "bundle": bundle}
        finally:
            for alias in ALIASES:
                transaction.set_rollback(True, using=alias)
    for alias in ALIASES:
        connections[alias].close()


@pytest.fixture
def made(shared):
    return shared["zm"], shared["bundle"]


def _reader(bundle) -> PdfReader:
    stored = Verslagbundel.objects.get(pk=bundle.pk)
    return PdfReader(io.BytesIO(stored.pdf()))


def _outline(reader):
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


# --- What the file holds ---------------------------------------------------------------------


def test_ri12_bundle_holds_every_part_in_uwv_order(made):
    """RI-12: cover, probleemanalyse, the plan (every version), the evaluations, the
    eerstejaarsevaluatie, the actueel oordeel, the eindevaluatie, the employer's part — each
    with a bookmark at its first page, as the cover's table of contents says."""
    zm, bundle = made
    keys = [part["key"] for part in bundle.parts]
    order = [
        "probleemanalyse",
        "plan_van_aanpak",
        "evaluaties",
        "eerstejaarsevaluatie",
        "actueel_oordeel",
        "eindevaluatie",
        "verslag_werkgever",
    ]
    assert [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k] == order
    assert keys.count("evaluaties") >= 10  # every 35 days from the plan to week 91
    reader = _reader(bundle)
    assert len(reader.pages) == bundle.pages
    outline = _outline(reader)
    assert outline[0] == ("Inhoud", 0)
    assert [(title, page + 1) for title, page in outline[1:]] == [
        (part["label"], part["first_page"]) for part in bundle.parts
    ]
    cover_pages = reader.pages[: bundle.parts[0]["first_page"] - 1]
    cover = " ".join(" ".join(page.extract_text() for page in cover_pages).split())
    for part in bundle.parts:
        assert part["label"] in cover
    # Each part's first page is that document's own first page.
    for part in bundle.parts:
        assert "pagina 1 van" in reader.pages[part["first_page"] - 1].extract_text()
    # README "Documents and PDFs": the cover and the plan's first page as PNGs, run artifacts.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_file = ARTIFACTS / "re-integratieverslag-uwv.pdf"
    pdf_file.write_bytes(Verslagbundel.objects.get(pk=bundle.pk).pdf())
    plan_page = next(p["first_page"] for p in bundle.parts if p["key"] == "plan_van_aanpak")
    for page, name in ((1, "voorblad"), (plan_page, "plan-van-aanpak")):
        target = ARTIFACTS / f"re-integratieverslag-uwv-{name}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile"]
            + [str(pdf_file), str(target)],
            check=True,
            timeout=60,
        )
        assert target.with_suffix(".png").stat().st_size > 0


def test_ri12_dg2_every_page_has_name_full_bsn_and_page_number_and_no_medical_part(made):
    """RI-12: name and BSN on every page (DG-2: the full BSN is printed only in the PDF); RI-4:
    the medical part (its marker) is on no page."""
    _zm, bundle = made
    reader = _reader(bundle)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Vera Verslag" in text, number
        assert f"BSN {BSN}" in text, number
        assert re.search(r"pagina \d+ van \d+", text), number
        assert MARKER not in text, number


def test_ri12_dg2_bundle_is_stored_encrypted_and_hashed(made):
    """DG-2: the stored column is no PDF and holds no BSN; the SHA-256 and size describe the
    plaintext file exactly."""
    import hashlib

    _zm, bundle = made
    stored = Verslagbundel.objects.get(pk=bundle.pk)
    raw = bytes(stored.pdf_encrypted)
    assert not raw.startswith(b"%PDF") and BSN.encode() not in raw
    data = stored.pdf()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == stored.sha256
    assert len(data) == stored.size


def test_ri12_bundle_refused_while_a_part_is_missing_and_says_which(hr, doctor, werknemer):
    zm = complete_case(hr, doctor, werknemer, skip={"eindevaluatie"})
    with pytest.raises(ValidationError) as refused:
        bundle_actions.make_bundle(by=hr, ziekmelding=zm)
    assert "Eindevaluatie" in " ".join(refused.value.messages)
    assert not Verslagbundel.objects.filter(case_id=zm.case_id).exists()


def test_ri12_dg2_bundle_refused_without_the_bsn(hr, doctor, werknemer):
    zm = build(hr, doctor, werknemer)
    with pytest.raises(ValidationError) as refused:
        bundle_actions.make_bundle(by=hr, ziekmelding=zm)
    assert "BSN" in " ".join(refused.value.messages)
    assert not Verslagbundel.objects.filter(case_id=zm.case_id).exists()


def test_ri12_bundle_over_uwvs_upload_limit_is_refused(shared, settings, monkeypatch):
    """UWV takes at most UWV_MAX_UPLOAD_BYTES per file: a bigger bundle is refused with its size
    and nothing is kept. (The parts are the plan's first version, rendered once: the size check
    is what is tested here, the parts' own rendering above.)"""
    zm, hr = shared["zm"], shared["hr"]
    plan = next(ref for ref in bundles.refs(zm) if ref.key == "plan_van_aanpak")
    one_part = bundles._part_pdf(plan, zm, None)
    monkeypatch.setattr(bundles, "_part_pdf", lambda ref, zm, request: one_part)
    settings.UWV_MAX_UPLOAD_BYTES = len(one_part) * 2
    with pytest.raises(ValidationError) as refused:
        bundle_actions.make_bundle(by=hr, ziekmelding=zm)
    assert "MB" in refused.value.messages[0]
    assert Verslagbundel.objects.filter(case_id=zm.case_id).count() == 1  # the shared one only


def test_ri12_only_hr_of_the_organisation_makes_it(shared):
    from django.core.exceptions import PermissionDenied

    zm = shared["zm"]
    make_user = user_maker(zm.organisation)
    for role in (Role.WERKGEVER, Role.BEDRIJFSARTS, Role.CASEMANAGER):
        with pytest.raises(PermissionDenied):
            bundle_actions.make_bundle(by=make_user(role), ziekmelding=zm)
    with pytest.raises(PermissionDenied):
        bundle_actions.make_bundle(by=shared["werknemer"].user, ziekmelding=zm)
    other_hr = user_maker(OrganisationFactory(name="Werkgever Anders BV"))(Role.HR)
    with pytest.raises(PermissionDenied):
        bundle_actions.make_bundle(by=other_hr, ziekmelding=zm)
    assert Verslagbundel.objects.filter(case_id=zm.case_id).count() == 1


# --- The employee's copy, the receipt, the Poortwachter steps ----------------------------------


def test_ri12_employee_gets_the_copy_in_the_portal_with_a_receipt(made, verified_client, shared):
    """RI-12: the copy is in the employee's portal when made (notification; the step "kopie
    re-integratiedocumenten aan werknemer" done that day); their first download is the receipt,
    which HR sees; a second download does not move it."""
    zm, bundle = made
    hr = shared["hr"]
    done = DeadlineCompletion.objects.get(
        key="kopie_werknemer", undone_at__isnull=True, case_id=zm.case_id
    )
    assert done.completed_on == TODAY and str(bundle.pk) in done.proof
    assert Notification.objects.filter(
        recipient=zm.werknemer.user, key=f"bundel:{bundle.pk}"
    ).exists()
    employee = verified_client(zm.werknemer.user)
    portal = employee.get("/reintegratie/mijn/").content.decode()
    assert (
        f"/reintegratie/bundels/{bundle.pk}/" in portal and "nog niet door u gedownload" in portal
    )
    hr_page = verified_client(hr).get(f"/reintegratie/bundels/{bundle.pk}/").content.decode()
    assert "nog niet gedownload door de werknemer" in hr_page

    with time_machine.travel(TODAY + timedelta(hours=10), tick=False):
        response = employee.get(f"/reintegratie/bundels/{bundle.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content == Verslagbundel.objects.get(pk=bundle.pk).pdf()
    received = Verslagbundel.objects.get(pk=bundle.pk).received_at
    assert received is not None
    employee.get(f"/reintegratie/bundels/{bundle.pk}/pdf/")
    assert Verslagbundel.objects.get(pk=bundle.pk).received_at == received
    hr_page = verified_client(hr).get(f"/reintegratie/bundels/{bundle.pk}/").content.decode()
    assert "gedownload door de werknemer op" in hr_page
    # HR's download is no receipt.
    Verslagbundel.objects.filter(pk=bundle.pk).update(received_at=None)
    verified_client(hr).get(f"/reintegratie/bundels/{bundle.pk}/pdf/")
    assert Verslagbundel.objects.get(pk=bundle.pk).received_at is None


def _complete_wia(hr, zm):
    return termijnen.complete_step(
        by=hr,
        ziekmelding=zm,
        key=WIA,
        occurrence=1,
        completed_on=TODAY,
        proof="UWV-WIA-1",
        confirmed=True,
    )


def test_ri12_wia_step_needs_a_current_bundle(shared):
    """RI-12: a complete case without a bundle cannot record the WIA application; with one it
    can — until a document changes after it was made (here the employee adds a zienswijze)."""
    zm, hr, werknemer, bundle = shared["zm"], shared["hr"], shared["werknemer"], shared["bundle"]
    assert bundles.wia_requirement(zm, TODAY) == []
    kept = list(Verslagbundel.objects.filter(case_id=zm.case_id))
    Verslagbundel.objects.filter(case_id=zm.case_id).delete()
    with pytest.raises(ValidationError) as refused:
        _complete_wia(hr, zm)
    assert "nog niet gemaakt" in refused.value.message_dict["confirmed"][0]
    Verslagbundel.objects.bulk_create(kept)
    assert bundles.wia_requirement(zm, TODAY) == []
    plan = PlanVanAanpak.objects.get(case_id=zm.case_id)
    document_actions.record_zienswijze(
        by=werknemer.user,
        kind="plan",
        document_id=plan.pk,
        werknemer=werknemer,
        case_id=zm.case_id,
        organisation_id=zm.organisation_id,
        version=plan.version,
        text="Ik zie de mogelijkheden anders dan mijn werkgever.",
    )
    assert not bundles.is_current(bundle, zm)
    with pytest.raises(ValidationError) as refused:
        _complete_wia(hr, zm)
    assert "maak de bundel opnieuw" in refused.value.message_dict["confirmed"][0]

    bundle_actions.make_bundle(by=hr, ziekmelding=zm)
    assert _complete_wia(hr, zm).key == WIA


# --- The pages ----------------------------------------------------------------------------------


def test_ri12_completeness_page_offers_the_bundle_only_when_nothing_lacks(
    hr, doctor, werknemer, verified_client
):
    zm = build(hr, doctor, werknemer)
    page = verified_client(hr).get(f"/reintegratie/meldingen/{zm.pk}/volledigheid/")
    html = page.content.decode()
    assert 'id="bundel-ontbreekt"' in html and "BSN van de werknemer" in html
    assert f"/reintegratie/meldingen/{zm.pk}/bundel/nieuw/" not in html
    document_actions.record_uwv_bsn(by=hr, werknemer=werknemer, bsn=BSN)
    client = verified_client(hr)
    html = client.get(f"/reintegratie/meldingen/{zm.pk}/volledigheid/").content.decode()
    assert f"/reintegratie/meldingen/{zm.pk}/bundel/nieuw/" in html

    response = client.post(f"/reintegratie/meldingen/{zm.pk}/bundel/nieuw/")
    bundle = Verslagbundel.objects.get(case_id=zm.case_id)
    assert response.status_code == 302
    assert response["Location"] == f"/reintegratie/bundels/{bundle.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Dit verslag is gemaakt van de documenten zoals ze nu zijn" in html
    for part in bundle.parts:
        assert part["label"] in html


def test_ri12_page_post_on_an_incomplete_case_keeps_nothing_and_says_why(
    hr, doctor, werknemer, verified_client
):
    zm = complete_case(hr, doctor, werknemer, skip={"actueel_oordeel"})
    client = verified_client(hr)
    response = client.post(f"/reintegratie/meldingen/{zm.pk}/bundel/nieuw/", follow=True)
    assert not Verslagbundel.objects.filter(case_id=zm.case_id).exists()
    assert "Actueel oordeel" in response.content.decode()


# --- The API ------------------------------------------------------------------------------------


def test_ri12_api_makes_the_bundle_lists_it_and_serves_the_copy_with_a_receipt(
    hr, doctor, werknemer, bearer_client
):
    """RI-12: HR makes the bundle through the API (400 with what is lacking before the BSN is
    recorded, 201 after); both see what it holds; the employee's download through the API is
    their receipt too."""
    zm = build(hr, doctor, werknemer)
    api = bearer_client(hr)
    refused = api.post("/api/v1/reintegratie/bundels/", {"ziekmelding": zm.pk}, "json")
    assert refused.status_code == 400 and "BSN" in refused.content.decode()
    assert not Verslagbundel.objects.filter(case_id=zm.case_id).exists()
    document_actions.record_uwv_bsn(by=hr, werknemer=werknemer, bsn=BSN)
    made = api.post("/api/v1/reintegratie/bundels/", {"ziekmelding": zm.pk}, "json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert [p["key"] for p in body["parts"]][0] == "probleemanalyse"
    assert body["received_at"] is None and body["pages"] >= len(body["parts"])
    employee = bearer_client(werknemer.user)
    listed = employee.get("/api/v1/reintegratie/bundels/").json()["results"]
    assert [b["id"] for b in listed] == [body["id"]]
    download = employee.get(body["pdf_url"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert api.get(f"/api/v1/reintegratie/bundels/{body['id']}/").json()["received_at"]
    # Asking for the PDF of a bundle one may not see: JSON 404, not 406.
    hidden = bearer_client(doctor).get(body["pdf_url"], HTTP_ACCEPT="application/pdf")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
