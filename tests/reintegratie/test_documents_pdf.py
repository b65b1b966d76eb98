"""RI-12, DG-2, MD-5, ZM-3: the Poortwachter documents as pages and PDFs (core/pdf.py).

Sources: UWV, "Het re-integratieverslag indienen" (uwv.nl, werkgevers: every document carries
the employee's burgerservicenummer and its signing date; PDF accepted) and RULES.md RI-12: the
verslag bundles the probleemanalyse, the plan van aanpak with its evaluations and
bijstellingen, the eerstejaarsevaluatie, the actueel oordeel and the eindevaluatie, with the
employee's name and BSN on every page; the medical part goes from the bedrijfsarts to the
employee, never through the employer (RI-4). DG-2: the BSN is encrypted at rest, masked on the
pages, in full only on these documents.
"""

import io
import re
import shutil
import socket
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from pypdf import PdfReader

from accounts.roles import OrganisationKind, Role
from core.pdf import StaticOnlyFetcher, html_to_pdf
from doelgroep.synthetic import synthetic_bsns
from medisch.public import advice_labels
from reintegratie.actions import documenten as document_actions
from reintegratie.actions import dossier as dossier_actions
from reintegratie.actions import plan as plan_actions
from reintegratie.models import Evaluatie, Zienswijze
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import Werknemer

pytestmark = pytest.mark.django_db

MARKER = "ZZMARKER7Q"  # the medical marker of tests/medisch/conftest.py
BSN = next(synthetic_bsns())  # 999990007: the unissued test range (SE-5)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"


@pytest.fixture
def arbodienst(db):
    return OrganisationFactory(kind=OrganisationKind.ARBODIENST, name="Arbodienst Noord")


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def werkgever(make_user):
    return make_user(Role.WERKGEVER)


@pytest.fixture
def doctor(make_user, arbodienst):
    return make_user(Role.BEDRIJFSARTS, organisation=arbodienst)  # assigned to `employer`


@pytest.fixture
def werknemer(make_user, employer):
    return WerknemerFactory(
        organisation=employer,
        user=make_user(Role.WERKNEMER),
        first_name="Dirk",
        last_name="Documentman",
    )


@pytest.fixture
def case(hr, werknemer, doctor):
    return create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=date.today() - timedelta(days=400),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )


@pytest.fixture
def bsn(hr, werknemer):
    return document_actions.record_uwv_bsn(by=hr, werknemer=werknemer, bsn=BSN)


def doctor_writes(client, werknemer, page, **fields):
    """The doctor records and releases a document through the medical pages (this test stays
    outside medisch/: MD-2), and the id of the advice it released (medisch.public)."""
    opened = client.post(f"/medisch/werknemers/{werknemer.pk}/dossier/")
    assert opened.status_code == 302, opened.status_code
    dossier_pk = opened["Location"].rstrip("/").split("/")[-1]
    path = "probleemanalyse" if page == "probleemanalyse" else "advies"
    before = set(advice_labels_for(werknemer))
    data = {
        "date": date.today().isoformat(),
        "expected_duration": "middel",
        "incapacity_percentage": "50",
        "adjustments": "",
        "release": "on",
        **fields,
    }
    response = client.post(f"/medisch/dossiers/{dossier_pk}/{path}/nieuw/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (new,) = set(advice_labels_for(werknemer)) - before
    return new


def advice_labels_for(werknemer):
    from verzuim.models import Ziekmelding

    case_id = Ziekmelding.objects.filter(werknemer=werknemer).values_list("case_id", flat=True)[0]
    return advice_labels(case_id)


@pytest.fixture
def probleemanalyse(verified_client, doctor, werknemer, case):
    """The released probleemanalyse's advice id; its medical part carries the MARKER."""
    return doctor_writes(
        verified_client(doctor),
        werknemer,
        "probleemanalyse",
        medical_part=f"Medisch deel {MARKER}: alleen voor de bedrijfsarts.",
        limitations="Niet tillen boven 10 kilo.",
        capabilities="Administratief werk, 4 uur per dag.",
    )


@pytest.fixture
def long_plan(hr, case):
    """A plan long enough for several PDF pages, with an eerstejaarsevaluatie."""
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=0,
        drawn_up_on=date.today() - timedelta(days=380),
        casemanager="Carla Casemanager",
        spoor="aangepast_werk",
        goals="Terug naar aangepast eigen werk.\n" * 20,
        advies_ref=None,
    )
    for number in range(45):
        plan_actions.add_activity(
            by=hr,
            plan=plan,
            description=f"Werkoverleg {number}: afspraken over taken en uren in de komende weken.",
            owner="samen",
            due_on=date.today() + timedelta(days=number),
        )
    plan.refresh_from_db()
    plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=plan.version,
        drawn_up_on=plan.drawn_up_on,
        casemanager="Carla Casemanager",
        spoor="ander_werk",
        goals="Bijgesteld: ander werk bij de eigen werkgever.",
        advies_ref=None,
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def eerstejaars(hr, long_plan, case):
    return plan_actions.record_evaluatie(
        by=hr,
        plan=long_plan,
        ziekmelding=case,
        kind="eerstejaars",
        date=date.today() - timedelta(days=10),
        outcome="Spoor 2 gestart naast spoor 1.",
        activities_done="Aangepast werk geprobeerd, werkplek aangepast.",
        result="Twee dagdelen aangepast werk.",
        spoor="beide",
        spoor_reason="Volledige terugkeer in eigen werk is niet te verwachten.",
        ad_onderzoek=True,
        ad_onderzoek_on=date.today() - timedelta(days=30),
    )


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    return [page.extract_text() or "" for page in reader.pages]


def assert_every_page_carries_the_header(pages, name):
    """RI-12: name and full BSN and "pagina N van M" on every page."""
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        flat = re.sub(r"\s+", " ", text)
        assert name in flat, (number, flat[:300])
        assert BSN in flat, (number, flat[:300])
        assert f"pagina {number} van {total}" in flat, (number, flat[-300:])
        assert "Arbodienst Noord" in flat, number
        assert MARKER not in flat, number


def test_ri12_dg2_plan_pdf_has_name_full_bsn_and_page_numbers_on_every_page(
    verified_client, hr, werknemer, long_plan, eerstejaars, bsn
):
    response = verified_client(hr).get(
        f"/reintegratie/plannen/{long_plan.pk}/versies/{long_plan.version}/pdf/"
    )
    pages = pdf_pages(response)
    assert len(pages) >= 2
    assert_every_page_carries_the_header(pages, "Dirk Documentman")
    text = " ".join(pages)
    assert "Bijgesteld" in text and "Versie 1" in text  # every version (bijstelling)
    assert "Spoor 2 gestart" in text  # every evaluation
    if shutil.which("pdftoppm"):
        # README "Documents and PDFs": page 1 as a PNG, a run artifact.
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf_file = ARTIFACTS / "plan-van-aanpak.pdf"
        pdf_file.write_bytes(response.content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                pdf_file,
                ARTIFACTS / "plan-van-aanpak-pagina-1",
            ],
            check=True,
            timeout=60,
        )
        assert (ARTIFACTS / "plan-van-aanpak-pagina-1.png").stat().st_size > 0


def test_dg2_web_page_shows_bsn_masked_never_in_full(verified_client, hr, long_plan, bsn):
    body = (
        verified_client(hr)
        .get(f"/reintegratie/plannen/{long_plan.pk}/versies/{long_plan.version}/")
        .content
    )
    body = body.decode()
    assert f"••••••{BSN[-3:]}" in body
    assert BSN not in body
    assert f"/reintegratie/plannen/{long_plan.pk}/versies/{long_plan.version}/pdf/" in body


def test_dg2_bsn_encrypted_at_rest_and_11_proef(hr, werknemer, bsn):
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn FROM verzuim_werknemer WHERE id = %s", [werknemer.pk])
        stored = cursor.fetchone()[0]
    assert BSN not in stored
    assert Werknemer.objects.get(pk=werknemer.pk).bsn == BSN  # the one copy, on the employee
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        document_actions.record_uwv_bsn(by=hr, werknemer=werknemer, bsn="999990008")
    assert "11-proef" in str(error.value)


def test_dg2_hr_records_bsn_on_its_page_and_a_bad_number_comes_back(
    verified_client, hr, werknemer, case
):
    client = verified_client(hr)
    bad = client.post(f"/reintegratie/meldingen/{case.pk}/bsn/", {"bsn": "123456789"})
    assert bad.status_code == 200
    assert "11-proef" in bad.content.decode() and 'value="123456789"' in bad.content.decode()
    assert Werknemer.objects.get(pk=werknemer.pk).bsn == ""
    good = client.post(f"/reintegratie/meldingen/{case.pk}/bsn/", {"bsn": BSN})
    assert good.status_code == 302
    assert Werknemer.objects.get(pk=werknemer.pk).bsn_last3 == BSN[-3:]


def test_ri12_md5_probleemanalyse_pdf_holds_the_employer_part_never_the_medical_part(
    verified_client, werkgever, case, probleemanalyse, bsn
):
    response = verified_client(werkgever).get(
        f"/reintegratie/meldingen/{case.pk}/oordelen/{probleemanalyse}/pdf/"
    )
    pages = pdf_pages(response)
    assert_every_page_carries_the_header(pages, "Dirk Documentman")
    text = " ".join(pages)
    assert "Probleemanalyse (deel voor de werkgever)" in text
    assert "Niet tillen boven 10 kilo." in text
    page = verified_client(werkgever).get(
        f"/reintegratie/meldingen/{case.pk}/oordelen/{probleemanalyse}/"
    )
    assert page.status_code == 200 and MARKER not in page.content.decode()


def test_ri12_actueel_oordeel_functional_part_as_document(
    verified_client, hr, doctor, werknemer, case, bsn
):
    oordeel = doctor_writes(
        verified_client(doctor),
        werknemer,
        "advies",
        kind="actueel_oordeel",
        limitations="Geen zwaar tilwerk.",
        capabilities="Licht werk, hele dagen.",
    )
    pages = pdf_pages(
        verified_client(hr).get(f"/reintegratie/meldingen/{case.pk}/oordelen/{oordeel}/pdf/")
    )
    assert "Actueel oordeel van de bedrijfsarts (functioneel deel)" in " ".join(pages)
    assert_every_page_carries_the_header(pages, "Dirk Documentman")


def test_ri12_concept_advice_is_no_document(verified_client, hr, doctor, werknemer, case):
    client = verified_client(doctor)
    opened = client.post(f"/medisch/werknemers/{werknemer.pk}/dossier/")
    dossier_pk = opened["Location"].rstrip("/").split("/")[-1]
    client.post(
        f"/medisch/dossiers/{dossier_pk}/advies/nieuw/",
        {
            "date": date.today().isoformat(),
            "limitations": "x",
            "capabilities": "y",
            "expected_duration": "kort",
            "incapacity_percentage": "10",
        },
    )
    assert advice_labels_for(werknemer) == {}  # a concept: nothing released
    # Any advice id of the case that is not released is no document: 404.
    url = f"/reintegratie/meldingen/{case.pk}/oordelen/1/pdf/"
    assert verified_client(hr).get(url).status_code == 404


def test_ri12_eerstejaarsevaluatie_document_with_what_uwv_asks(
    verified_client, hr, werknemer, eerstejaars, bsn
):
    page = verified_client(hr).get(f"/reintegratie/evaluaties/{eerstejaars.pk}/").content.decode()
    for text in (
        "Aangepast werk geprobeerd",
        "Twee dagdelen",
        "spoor 1 en spoor 2",
        "Volledige terugkeer",
        "ja, op",
    ):
        assert text in page, text
    pages = pdf_pages(verified_client(hr).get(f"/reintegratie/evaluaties/{eerstejaars.pk}/pdf/"))
    assert_every_page_carries_the_header(pages, "Dirk Documentman")
    # The employee reads their own evaluation as a PDF too.
    own = verified_client(werknemer.user).get(f"/reintegratie/evaluaties/{eerstejaars.pk}/pdf/")
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"


def test_ri12_eerstejaarsevaluatie_form_asks_its_fields(verified_client, hr, long_plan):
    response = verified_client(hr).post(
        f"/reintegratie/plannen/{long_plan.pk}/evaluaties/nieuw/",
        {"kind": "eerstejaars", "date": date.today().isoformat(), "outcome": "Goed overleg."},
    )
    assert response.status_code == 200
    assert "Vul dit in voor de eerstejaars- of eindevaluatie." in response.content.decode()
    assert "Goed overleg." in response.content.decode()
    assert not Evaluatie.objects.filter(plan=long_plan).exists()


def test_ri12_zm3_employee_zienswijze_recorded_and_guarded(
    verified_client, hr, werknemer, case, bsn
):
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=case)
    dossier_actions.give_verslag(by=hr, verslag=verslag)
    client = verified_client(werknemer.user)
    url = f"/reintegratie/mijn/zienswijze/verslag/{verslag.pk}/"
    refused = client.post(url, {"text": "Door mijn hernia kan ik dat niet."})
    assert refused.status_code == 200
    assert "hernia" in refused.content.decode()  # the offending word named, the text kept
    assert not Zienswijze.objects.exists()
    done = client.post(url, {"text": "Ik ben het niet eens met de beschreven afspraken."})
    assert done.status_code == 302
    pages = pdf_pages(verified_client(hr).get(f"/reintegratie/verslagen/{verslag.pk}/pdf/"))
    assert "Ik ben het niet eens met de beschreven afspraken." in " ".join(pages)
    assert_every_page_carries_the_header(pages, "Dirk Documentman")
    # HR cannot write the employee's zienswijze.
    assert verified_client(hr).post(url, {"text": "x"}).status_code == 403


def test_ri4_verslag_pdf_refused_to_werkgever_and_other_employer(
    verified_client, hr, werkgever, make_user, other_employer, case
):
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=case)
    url = f"/reintegratie/verslagen/{verslag.pk}/pdf/"
    assert verified_client(werkgever).get(url).status_code == 404
    assert (
        verified_client(make_user(Role.HR, organisation=other_employer)).get(url).status_code == 404
    )
    assert verified_client(hr).get(url)["Content-Type"] == "application/pdf"


def test_pdf_renderer_never_fetches_a_url(monkeypatch):
    """Issue 19: no network fetch while rendering — an http(s) URL in the template is refused by
    the fetcher, never opened; the vendored stylesheet is served from static/."""

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = Template(
        '{% extends "pdf/base.html" %}{% block content %}'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<img src="http://example.com/tracker.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        '<img src="/static/%2e%2e/config/settings.py" alt="">'
        "<p>Inhoud</p>{% endblock %}"
    ).render(Context({"doc": {"naam": "Test", "bsn": BSN, "titel": "T", "versie": 1}}))
    fetcher = StaticOnlyFetcher()
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert "css/pdf.css" in fetcher.served
    assert "https://cdn.example.com/x.css" in fetcher.refused
    assert "http://example.com/tracker.png" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert any("config/settings.py" in url for url in fetcher.refused)  # no climbing out
    assert len(fetcher.refused) == 4


def test_ri12_api_gives_the_plan_documents_as_records_with_their_pdf(
    bearer_client, werknemer, long_plan, eerstejaars
):
    response = bearer_client(werknemer.user).get(
        f"/api/v1/reintegratie/plannen/{long_plan.pk}/documenten/"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert [v["number"] for v in data["versies"]] == list(range(1, long_plan.version + 1))
    evaluation = data["evaluaties"][0]
    assert evaluation["kind"] == "eerstejaars" and evaluation["spoor"] == "beide"
    assert evaluation["ad_onderzoek"] is True
    assert evaluation["pdf"] == f"/reintegratie/evaluaties/{eerstejaars.pk}/pdf/"


def test_ri12_employee_answers_an_evaluation_from_their_page(
    verified_client, hr, werknemer, eerstejaars, bsn
):
    client = verified_client(werknemer.user)
    page = client.get("/reintegratie/mijn/").content.decode()
    url = f"/reintegratie/mijn/zienswijze/evaluatie/{eerstejaars.pk}/"
    assert f"/reintegratie/evaluaties/{eerstejaars.pk}/" in page and url in page
    assert client.post(url, {"text": "Spoor 2 komt te vroeg voor mij."}).status_code == 302
    pages = pdf_pages(verified_client(hr).get(f"/reintegratie/evaluaties/{eerstejaars.pk}/pdf/"))
    assert "Spoor 2 komt te vroeg voor mij." in " ".join(pages)
    # Only the employee writes their zienswijze; HR cannot write it for them.
    assert verified_client(hr).get(url).status_code == 403


def test_ri12_verslag_pdf_carries_the_eerstejaarsevaluatie_fields(
    verified_client, hr, case, eerstejaars, bsn
):
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=case)
    pages = pdf_pages(verified_client(hr).get(f"/reintegratie/verslagen/{verslag.pk}/pdf/"))
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "Aangepast werk geprobeerd" in text and "spoor 1 en spoor 2" in text
    assert "Arbeidsdeskundig onderzoek: ja" in text
    assert_every_page_carries_the_header(pages, "Dirk Documentman")
