"""The doelgroep API (/api/v1/doelgroep/): the confidentiality gate on every endpoint (DG-6),
the register check with a masked BSN (DG-1, DG-2), the no-riskpolis (DG-3, DG-4), support
measures and the k-anonymous report (DG-5), VOG (DG-8), scoping per organisation (SE-9), the
audit of every read (SE-7), and a schema without forbidden fields (DG-1, DG-3, DG-4, DG-7, DG-8).
BSNs come only from doelgroep.synthetic (SE-5)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from doelgroep import reports
from doelgroep.actions.maatregelen import add_maatregel
from doelgroep.actions.noriskpolis import record_noriskpolis
from doelgroep.actions.registratie import record_registercheck
from doelgroep.actions.verklaring import sign_statement, withdraw_statement
from doelgroep.actions.vog import record_vog
from doelgroep.api.serializers import (
    DoelgroepWerknemerSerializer,
    MaatregelSerializer,
    NoRiskPolisInputSerializer,
    NoRiskPolisSerializer,
    RegistercheckInputSerializer,
    RegistercheckSerializer,
    ReportRowSerializer,
    ReportTableSerializer,
    VogSerializer,
)
from doelgroep.models import (
    Geheimhoudingsverklaring,
    NoRiskPolis,
    Ondersteuningsmaatregel,
    Registercheck,
)
from doelgroep.synthetic import is_synthetic_bsn, synthetic_bsns
from privacy import audit
from privacy.models import AuditEvent
from tests.doelgroep import test_schema
from tests.verzuim.factories import WerknemerFactory

pytestmark = pytest.mark.django_db

_BSNS = synthetic_bsns()
BSN = next(_BSNS)  # 999990007
OTHER_BSN = next(_BSNS)
GATE_CODE = "confidentiality_statement_required"
ROLE_CODE = "doelgroep_role_refused"
REFUSED_ROLES = [
    Role.BEDRIJFSARTS,
    Role.WERKNEMER,
    Role.WERKGEVER_BEHEERDER,
    Role.CONSULTANT,
    Role.CASEMANAGER,
    Role.BEHEERDER,
]


def today():
    return timezone.localdate()


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def signed(hr):
    sign_statement(by=hr)
    return hr


@pytest.fixture
def werknemer(employer):
    return WerknemerFactory(
        organisation=employer,
        department="Productie",
        employment_start=today() - timedelta(days=400),
    )


@pytest.fixture
def stranger(other_employer):
    """A werknemer of another organisation (SE-9)."""
    return WerknemerFactory(
        organisation=other_employer, employment_start=today() - timedelta(days=400)
    )


def list_url():
    return reverse("doelgroep-api:werknemer-list")


def detail_url(pk):
    return reverse("doelgroep-api:werknemer-detail", args=[pk])


def registercheck_url(pk):
    return reverse("doelgroep-api:werknemer-registercheck", args=[pk])


def noriskpolis_url(pk):
    return reverse("doelgroep-api:werknemer-noriskpolis", args=[pk])


def maatregelen_url(pk):
    return reverse("doelgroep-api:werknemer-maatregelen", args=[pk])


def rapportage_url():
    return reverse("doelgroep-api:rapportage")


def registercheck_body(bsn=BSN):
    return {
        "in_register": True,
        "checked_on": today().isoformat(),
        "checked_via": "bsn",
        "bsn": bsn,
    }


def noriskpolis_body(**extra):
    return {"asked_on": (today() - timedelta(days=30)).isoformat(), "applies": True, **extra}


def maatregel_body(**extra):
    return {"kind": "begeleiding", "start_on": (today() - timedelta(days=10)).isoformat(), **extra}


# (name, method, url(werknemer), body, status when admitted)
ENDPOINTS = [
    ("werknemer-list", "get", lambda w: list_url(), None, 200),
    ("werknemer-detail", "get", lambda w: detail_url(w.pk), None, 200),
    (
        "werknemer-registercheck",
        "post",
        lambda w: registercheck_url(w.pk),
        registercheck_body(),
        200,
    ),
    ("werknemer-noriskpolis", "post", lambda w: noriskpolis_url(w.pk), noriskpolis_body(), 200),
    ("werknemer-maatregelen", "post", lambda w: maatregelen_url(w.pk), maatregel_body(), 201),
    ("rapportage", "get", lambda w: rapportage_url(), None, 200),
]
ENDPOINT_IDS = [e[0] for e in ENDPOINTS]


def call(client, method, url, body=None):
    if method == "post":
        return client.post(url, body, format="json")
    return client.get(url)


# --- DG-6: the gate -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "method", "url", "body", "ok"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_dg6_gate_per_endpoint_before_signing_after_signing_after_withdrawal(
    bearer_client, hr, werknemer, make_user, name, method, url, body, ok
):
    """DG-6: without a signature 403 `confidentiality_statement_required` saying where to sign;
    after signing the endpoint answers; after the beheerder withdrew access 403 again."""
    client = bearer_client(hr)
    before = call(client, method, url(werknemer), body)
    assert before.status_code == 403, before.content
    assert before.json()["code"] == GATE_CODE
    assert "/doelgroep/verklaring/" in before.json()["detail"]

    statement = sign_statement(by=hr)
    admitted = call(client, method, url(werknemer), body)
    assert admitted.status_code == ok, admitted.content

    assert withdraw_statement(by=make_user(Role.BEHEERDER), statement=statement)
    after = call(client, method, url(werknemer), body)
    assert after.status_code == 403, after.content
    assert after.json()["code"] == GATE_CODE
    assert "ingetrokken" in after.json()["detail"]
    assert Geheimhoudingsverklaring.objects.get(user=hr).withdrawn_at is not None


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_dg6_roles_without_need_are_refused_on_every_endpoint(
    bearer_client, make_user, werknemer, role
):
    """DG-6: a role that does not need the administration may not even sign: 403
    `doelgroep_role_refused` everywhere, and nothing is written."""
    client = bearer_client(make_user(role))
    for name, method, url, body, _ in ENDPOINTS:
        response = call(client, method, url(werknemer), body)
        assert response.status_code == 403, (name, response.content)
        assert response.json()["code"] == ROLE_CODE, name
        assert "HR en leidinggevenden" in response.json()["detail"]
    assert not Registercheck.objects.exists()
    assert not NoRiskPolis.objects.exists()
    assert not Ondersteuningsmaatregel.objects.exists()


def test_dg6_a_signed_werkgever_is_admitted(bearer_client, make_user, werknemer):
    """DG-6: the leidinggevende who realises the premiekorting, once signed."""
    boss = make_user(Role.WERKGEVER)
    sign_statement(by=boss)
    client = bearer_client(boss)
    assert client.get(list_url()).status_code == 200
    assert client.get(rapportage_url()).status_code == 200


def test_se1_unauthenticated_gets_an_error_with_a_code_not_data(werknemer):
    """SE-1, DG-6: no token, no data (401/403 JSON with a code)."""
    from rest_framework.test import APIClient

    for _, method, url, body, _ in ENDPOINTS:
        response = call(APIClient(), method, url(werknemer), body)
        assert response.status_code in (401, 403)
        assert "code" in response.json()


# --- SE-9: scoping --------------------------------------------------------------------------------


def test_se9_another_organisations_werknemer_is_404_and_not_listed(
    bearer_client, signed, werknemer, stranger
):
    """SE-9: missing and forbidden answer alike (404); the list holds only one's own people."""
    client = bearer_client(signed)
    ids = [row["id"] for row in client.get(list_url()).json()["results"]]
    assert ids == [werknemer.pk]
    for url, body in [
        (detail_url(stranger.pk), None),
        (registercheck_url(stranger.pk), registercheck_body()),
        (noriskpolis_url(stranger.pk), noriskpolis_body()),
        (maatregelen_url(stranger.pk), maatregel_body()),
    ]:
        response = call(client, "post" if body else "get", url, body)
        assert response.status_code == 404, (url, response.content)
        assert response.json()["code"] == "not_found"
    assert not Registercheck.objects.exists()
    assert not NoRiskPolis.objects.exists()
    assert not Ondersteuningsmaatregel.objects.exists()
    for bad in ("abc", "999999999"):
        response = client.get(f"/api/v1/doelgroep/werknemers/{bad}/")
        assert response.status_code == 404


# --- DG-1, DG-2: the register check and the BSN ---------------------------------------------------


def test_dg2_bsn_masked_in_every_response_and_encrypted_at_rest(bearer_client, signed, werknemer):
    """DG-1, DG-2: the API takes the BSN, stores it encrypted and returns only the last three
    digits — in the POST answer, the detail and the list. No reason field exists (DG-1)."""
    assert is_synthetic_bsn(BSN)
    client = bearer_client(signed)
    posted = client.post(
        registercheck_url(werknemer.pk),
        registercheck_body(bsn=f"{BSN[:4]}.{BSN[4:6]}.{BSN[6:]}"),
        format="json",
    )
    assert posted.status_code == 200, posted.content
    assert posted.json() == {
        "in_register": True,
        "checked_on": today().isoformat(),
        "checked_via": "bsn",
        "bsn_masked": f"••••••{BSN[-3:]}",
    }
    responses = [posted, client.get(detail_url(werknemer.pk)), client.get(list_url())]
    for response in responses:
        assert response.status_code == 200
        assert BSN.encode() not in response.content
        assert BSN[:6].encode() not in response.content
        assert b'"bsn":' not in response.content
    assert responses[1].json()["registercheck"]["bsn_masked"].endswith(BSN[-3:])
    assert responses[2].json()["results"][0]["registercheck"]["in_register"] is True

    check = Registercheck.objects.get(werknemer=werknemer)
    assert check.bsn == BSN  # decrypts with the key outside the database
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn FROM doelgroep_registercheck WHERE id = %s", [check.pk])
        (stored,) = cursor.fetchone()
    assert BSN not in stored and BSN[-3:] not in stored


@pytest.mark.parametrize("bad", ["999990008", "12345678", "abcdefghi", ""])
def test_dg2_bsn_failing_the_11_proef_is_a_400_at_the_field(bearer_client, signed, werknemer, bad):
    """DG-2: the 11-proef, answered as 400 `invalid` with the message at `bsn`."""
    response = bearer_client(signed).post(
        registercheck_url(werknemer.pk), registercheck_body(bsn=bad), format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert "11-proef" in body["fields"]["bsn"][0]
    assert not Registercheck.objects.exists()


def test_dg1_check_via_loonheffingennummer_stores_no_bsn(bearer_client, signed, werknemer):
    """DG-1, DG-2: a check via the loonheffingennummer keeps no BSN, even if one is sent."""
    body = {**registercheck_body(bsn=OTHER_BSN), "checked_via": "loonheffingennummer"}
    response = bearer_client(signed).post(registercheck_url(werknemer.pk), body, format="json")
    assert response.status_code == 200
    assert response.json()["bsn_masked"] == "—"
    assert OTHER_BSN.encode() not in response.content
    check = Registercheck.objects.get(werknemer=werknemer)
    assert check.bsn == "" and check.bsn_last3 == ""


def test_dg1_check_date_in_the_future_is_refused(bearer_client, signed, werknemer):
    body = {**registercheck_body(), "checked_on": (today() + timedelta(days=1)).isoformat()}
    response = bearer_client(signed).post(registercheck_url(werknemer.pk), body, format="json")
    assert response.status_code == 400
    assert "toekomst" in response.json()["fields"]["checked_on"][0]


# --- DG-3, DG-4: no-riskpolis ---------------------------------------------------------------------


def test_dg3_noriskpolis_asked_too_early_is_a_400_at_asked_on(bearer_client, employer, signed):
    """DG-3: the question only after MORE than two months of employment."""
    start = today() - timedelta(days=40)
    person = WerknemerFactory(organisation=employer, employment_start=start)
    response = bearer_client(signed).post(
        noriskpolis_url(person.pk), noriskpolis_body(asked_on=today().isoformat()), format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert "twee maanden" in response.json()["fields"]["asked_on"][0]
    assert not NoRiskPolis.objects.exists()


def test_dg3_noriskpolis_56_plus_pays_only_after_13_weeks_except_hired_2018_2019(
    bearer_client, employer, signed
):
    """DG-3: the 56+/52-weeks-WW category waits 13 weeks, except for those hired in 2018-2019;
    DG-4: a WIA decision during employment may be recorded."""
    recent = WerknemerFactory(organisation=employer, employment_start=date(2021, 3, 1))
    window = WerknemerFactory(organisation=employer, employment_start=date(2018, 6, 1))
    client = bearer_client(signed)
    body = noriskpolis_body(category_56_plus_ww=True, wia_decision_on="2024-05-01")
    for person, waits in ((recent, True), (window, False)):
        response = client.post(noriskpolis_url(person.pk), body, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["pays_only_after_13_weeks"] is waits
        shown = client.get(detail_url(person.pk)).json()["noriskpolis"]
        assert shown == {
            "asked_on": body["asked_on"],
            "applies": True,
            "category_56_plus_ww": True,
            "pays_only_after_13_weeks": waits,
            "wia_decision_on": "2024-05-01",
        }


def test_dg3_category_without_the_polis_and_dg4_wia_before_employment_are_refused(
    bearer_client, signed, werknemer
):
    response = bearer_client(signed).post(
        noriskpolis_url(werknemer.pk),
        noriskpolis_body(applies=False, category_56_plus_ww=True, wia_decision_on="2000-01-01"),
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"category_56_plus_ww", "wia_decision_on"}
    assert "tijdens het dienstverband" in fields["wia_decision_on"][0]  # DG-4, in words


# --- DG-5: support measures -----------------------------------------------------------------------


def test_dg5_maatregel_added_shown_and_invalid_periods_refused(bearer_client, signed, werknemer):
    client = bearer_client(signed)
    created = client.post(maatregelen_url(werknemer.pk), maatregel_body(), format="json")
    assert created.status_code == 201, created.content
    assert created.json() == {
        "kind": "begeleiding",
        "start_on": maatregel_body()["start_on"],
        "end_on": None,
    }
    shown = client.get(detail_url(werknemer.pk)).json()["maatregelen"]
    assert shown == [created.json()]

    backwards = maatregel_body(end_on=(today() - timedelta(days=20)).isoformat())
    refused = client.post(maatregelen_url(werknemer.pk), backwards, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid"
    assert "einddatum" in refused.json()["fields"]["end_on"][0]

    unknown = client.post(
        maatregelen_url(werknemer.pk), maatregel_body(kind="therapie"), format="json"
    )
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "invalid" and "kind" in unknown.json()["fields"]
    assert Ondersteuningsmaatregel.objects.count() == 1


# --- DG-5: the report -----------------------------------------------------------------------------


def _numbers(table):
    for row in table["rows"]:
        yield from row["cells"]
        yield row["total"]
    yield from table["column_totals"]
    yield table["grand_total"]


def test_dg5_report_json_has_no_number_below_k_and_no_names(
    bearer_client, signed, employer, settings
):
    """DG-5: every number in the report is null (suppressed) or at least k; no name appears;
    the tables are those of reports.all_tables."""
    settings.DOELGROEP_K = 5
    year = today().year
    people = []
    for i in range(9):
        person = WerknemerFactory(
            organisation=employer,
            department="Productie" if i < 7 else "Kantoor",
            employment_start=date(2020, 1, 1),
        )
        people.append(person)
        add_maatregel(
            by=signed,
            werknemer=person,
            kind="begeleiding" if i < 6 else "werkplek",
            start_on=date(year, 1, 15),
        )
        record_registercheck(
            by=signed,
            werknemer=person,
            in_register=True,
            checked_on=today(),
            checked_via="loonheffingennummer",
        )
    response = bearer_client(signed).get(rapportage_url(), {"jaar": year})
    assert response.status_code == 200, response.content
    tables = response.json()
    expected = reports.all_tables(employer.pk, year, 5)
    assert [t["title"] for t in tables] == [title for title, _ in expected]
    suppressed = 0
    for table in tables:
        assert table["k"] == 5
        for number in _numbers(table):
            assert number is None or number >= 5, (table["title"], number)
            suppressed += number is None
    assert suppressed > 0  # the two people in "Kantoor" are hidden
    published = [n for t in tables for n in _numbers(t) if n is not None]
    assert published and min(published) >= 5
    for shown, (_, table) in zip(tables, expected, strict=True):
        assert shown["columns"] == table.col_labels
        assert [(r["label"], r["cells"]) for r in shown["rows"]] == [
            (label, cells) for label, cells, _ in table.rows()
        ]
        assert shown["column_totals"] == table.col_totals()
    assert [r["label"] for r in tables[0]["rows"]] == ["Kantoor", "Productie"]
    for person in people:
        assert person.last_name.encode() not in response.content
        assert person.first_name.encode() not in response.content
    assert AuditEvent.objects.filter(
        object_type="doelgroep.rapportage", action="read", object_ids=[str(employer.pk)]
    ).exists()


@pytest.mark.parametrize("jaar", ["abc", "1999", "3000", "2020-1"])
def test_dg5_report_bad_year_is_400_not_500(bearer_client, signed, jaar):
    response = bearer_client(signed).get(rapportage_url(), {"jaar": jaar})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "jaar" in response.json()["fields"]


# --- SE-7: audit ----------------------------------------------------------------------------------


def test_se7_every_read_is_audited_per_werknemer(bearer_client, signed, employer, werknemer):
    """SE-7: the list writes one READ entry naming every werknemer shown, each beside their own
    pseudonym; each person's query finds it with their own object only; the detail one more."""
    other = WerknemerFactory(organisation=employer)
    client = bearer_client(signed)
    assert client.get(list_url()).status_code == 200
    reads = AuditEvent.objects.filter(
        object_type="doelgroep.werknemer", detail="doelgroepgegevens ingezien (API)"
    )
    listed = reads.get()
    assert listed.action == "read"
    assert dict(zip(listed.object_ids, listed.subjects, strict=True)) == {
        str(werknemer.pk): werknemer.pseudonym,
        str(other.pk): other.pseudonym,
    }
    for person in (werknemer, other):
        event = reads.get(audit.about([person.pseudonym]))
        assert audit.objects_of(event, [person.pseudonym]) == [str(person.pk)]
    assert client.get(detail_url(werknemer.pk)).status_code == 200
    assert reads.filter(audit.about([werknemer.pseudonym])).count() == 2


def test_se7_list_queries_do_not_grow_with_the_werknemers(bearer_client, signed, employer):
    """The list prefetches: the number of queries is the same for 2 and 6 people, each with a
    register check, no-riskpolis, VOG and measures."""

    def add(n):
        for _ in range(n):
            person = WerknemerFactory(organisation=employer, employment_start=date(2021, 1, 1))
            record_registercheck(
                by=signed,
                werknemer=person,
                in_register=True,
                checked_on=today(),
                checked_via="bsn",
                bsn=BSN,
            )
            record_noriskpolis(by=signed, werknemer=person, asked_on=date(2022, 1, 1), applies=True)
            record_vog(by=signed, werknemer=person, provided=True, provided_on=date(2021, 1, 1))
            add_maatregel(by=signed, werknemer=person, kind="scholing", start_on=date(2022, 1, 1))

    client = bearer_client(signed)
    counts = []
    for n in (2, 4):
        add(n)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(list_url())
        assert response.status_code == 200
        assert BSN.encode() not in response.content
        counts.append(len(ctx.captured_queries))
    assert len(response.json()["results"]) == 6
    assert response.json()["results"][0]["vog"]["provided"] is True
    assert counts[0] == counts[1], counts


# --- 4xx, never 500 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "body"),
    [
        ("registercheck", {}),
        ("registercheck", {**registercheck_body(), "checked_via": "telepathie"}),
        ("registercheck", {**registercheck_body(), "checked_on": "gisteren"}),
        ("registercheck", {**registercheck_body(), "bsn": "9" * 40}),
        ("noriskpolis", {"asked_on": None, "applies": "misschien"}),
        ("maatregelen", {"kind": "scholing", "start_on": "2024-13-45"}),
        ("maatregelen", []),
    ],
)
def test_se_bad_input_is_400_invalid_never_500(bearer_client, signed, werknemer, endpoint, body):
    url = reverse(f"doelgroep-api:werknemer-{endpoint}", args=[werknemer.pk])
    response = bearer_client(signed).post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("invalid", "parse_error")


def test_se_malformed_json_is_400(bearer_client, signed, werknemer):
    response = bearer_client(signed).post(
        registercheck_url(werknemer.pk), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_se_methods_not_offered_are_405(bearer_client, signed, werknemer):
    client = bearer_client(signed)
    assert client.delete(detail_url(werknemer.pk)).status_code == 405
    assert client.post(list_url(), {}, format="json").status_code == 405
    assert client.get(registercheck_url(werknemer.pk)).status_code == 405
    assert client.post(rapportage_url(), {}, format="json").status_code == 405


# --- DG-1, DG-3, DG-4, DG-7, DG-8: the schema -----------------------------------------------------


API_SERIALIZERS = [
    DoelgroepWerknemerSerializer,
    RegistercheckSerializer,
    NoRiskPolisSerializer,
    VogSerializer,
    MaatregelSerializer,
    RegistercheckInputSerializer,
    NoRiskPolisInputSerializer,
    ReportTableSerializer,
    ReportRowSerializer,
]


def test_dg_api_serializers_carry_no_forbidden_field():
    """DG-1, DG-3, DG-4, DG-7, DG-8: no reason, sickness or benefit history, ethnicity or
    criminal record in any API serializer (the same scan as tests/doelgroep/test_schema.py,
    which walks doelgroep.api too), and the full BSN is write-only input."""
    texts = []
    for serializer in API_SERIALIZERS:
        assert serializer.__module__ == "doelgroep.api.serializers"
        for name, field in serializer().get_fields().items():
            texts += [name, str(field.label or ""), str(field.help_text or "")]
    assert test_schema._violations(texts) == []
    assert RegistercheckInputSerializer().get_fields()["bsn"].write_only
    readable = {
        name
        for serializer in API_SERIALIZERS
        for name, field in serializer().get_fields().items()
        if not field.write_only
    }
    assert "bsn" not in readable


def test_dg_werknemer_answer_has_exactly_the_allowed_keys(bearer_client, signed, werknemer):
    """DG-1..5, DG-8: nothing beyond the allowed keys (a new field must be added here on
    purpose)."""
    record_vog(by=signed, werknemer=werknemer, provided=True, provided_on=today())
    body = bearer_client(signed).get(detail_url(werknemer.pk)).json()
    assert set(body) == {
        "id",
        "name",
        "department",
        "registercheck",
        "noriskpolis",
        "vog",
        "maatregelen",
    }
    assert body["name"] == werknemer.full_name and body["department"] == "Productie"
    assert body["registercheck"] is None and body["noriskpolis"] is None
    assert body["vog"] == {"provided": True, "provided_on": today().isoformat()}
