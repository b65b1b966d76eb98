"""SE-3: logins for doctors, casemanagers and re-integration consultants are issued only by the
platform operator; a werkgever-beheerder issues only werkgever/hr users of their own
organisation. Enforced in one action, so pages, admin, API and commands all obey."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.actions import AccountRefused, issue_account
from accounts.models import User
from accounts.roles import OrganisationKind, Role
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

OPERATOR_ONLY = [Role.BEDRIJFSARTS, Role.CASEMANAGER, Role.CONSULTANT]
KIND = {
    Role.BEDRIJFSARTS: OrganisationKind.ARBODIENST,
    Role.CASEMANAGER: OrganisationKind.ARBODIENST,
    Role.CONSULTANT: OrganisationKind.REINTEGRATIEBEDRIJF,
}


@pytest.fixture
def werkgever_beheerder(make_user):
    return make_user(Role.WERKGEVER_BEHEERDER)


@pytest.fixture
def operator(make_user):
    return make_user(Role.BEHEERDER)


@pytest.mark.parametrize("role", OPERATOR_ONLY)
def test_action_refuses_werkgever_beheerder_issuing_care_logins(werkgever_beheerder, role):
    """SE-3: the action itself refuses, whatever the entry point."""
    org = OrganisationFactory(kind=KIND[role])
    with pytest.raises(AccountRefused):
        issue_account(
            by=werkgever_beheerder, email="x@t.example", full_name="X", role=role, organisation=org
        )
    assert not User.objects.filter(email="x@t.example").exists()


@pytest.mark.parametrize(
    "role",
    [Role.WERKGEVER, Role.HR, Role.BEDRIJFSARTS, Role.WERKNEMER, Role.CASEMANAGER, Role.CONSULTANT],
)
def test_action_refuses_every_non_issuing_role(make_user, employer, role):
    """SE-3: only beheerder and werkgever-beheerder issue accounts at all."""
    by = make_user(role)
    with pytest.raises(AccountRefused):
        issue_account(
            by=by, email="y@t.example", full_name="Y", role=Role.WERKGEVER, organisation=employer
        )


def test_werkgever_beheerder_issues_hr_in_own_organisation_only(
    werkgever_beheerder, employer, other_employer
):
    """SE-3: own organisation yes, another employer no."""
    user = issue_account(
        by=werkgever_beheerder,
        email="hr2@t.example",
        full_name="H",
        role=Role.HR,
        organisation=employer,
    )
    assert user.organisation == employer and user.issued_by == werkgever_beheerder
    with pytest.raises(AccountRefused):
        issue_account(
            by=werkgever_beheerder,
            email="hr3@t.example",
            full_name="H",
            role=Role.HR,
            organisation=other_employer,
        )


@pytest.mark.parametrize("role", OPERATOR_ONLY)
def test_operator_issues_care_logins(operator, role):
    """SE-3: the beheerder may issue every care login."""
    org = OrganisationFactory(kind=KIND[role])
    user = issue_account(
        by=operator, email=f"{role}@t.example", full_name="Z", role=role, organisation=org
    )
    assert user.role == role and not user.has_usable_password()


def test_page_form_offers_and_accepts_only_allowed_roles(
    werkgever_beheerder, verified_client, employer
):
    """SE-3 through the page: the role list has only werkgever/hr, a forged POST is refused
    and the form comes back with what was typed."""
    client = verified_client(werkgever_beheerder)
    page = client.get("/beheer/gebruikers/nieuw/").content.decode()
    assert 'value="hr"' in page and 'value="bedrijfsarts"' not in page
    response = client.post(
        "/beheer/gebruikers/nieuw/",
        {
            "full_name": "Dr. Nep",
            "email": "arts@t.example",
            "role": Role.BEDRIJFSARTS,
            "organisation": employer.pk,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dr. Nep" in body and "arts@t.example" in body
    assert not User.objects.filter(email="arts@t.example").exists()
    ok = client.post(
        "/beheer/gebruikers/nieuw/",
        {
            "full_name": "Nieuwe HR",
            "email": "nieuw@t.example",
            "role": Role.HR,
            "organisation": employer.pk,
        },
    )
    assert ok.status_code == 302
    assert User.objects.get(email="nieuw@t.example").organisation == employer


def test_page_sends_password_setup_mail(werkgever_beheerder, verified_client, employer, mailoutbox):
    """SE-3: a new account gets a set-password link, never a password chosen by someone else."""
    verified_client(werkgever_beheerder).post(
        "/beheer/gebruikers/nieuw/",
        {
            "full_name": "Nieuwe HR",
            "email": "mail@t.example",
            "role": Role.HR,
            "organisation": employer.pk,
        },
    )
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["mail@t.example"]
    assert "/account/wachtwoord-instellen/" in mailoutbox[0].body


@pytest.mark.parametrize("role", OPERATOR_ONLY)
def test_api_refuses_werkgever_beheerder_issuing_care_logins(
    werkgever_beheerder, bearer_client, role
):
    """SE-3 through the API: 403 with a machine-readable code, nothing created."""
    org = OrganisationFactory(kind=KIND[role])
    client = bearer_client(werkgever_beheerder)
    response = client.post(
        "/api/v1/accounts/",
        {
            "email": "api@t.example",
            "full_name": "A",
            "role": role,
            "organisation": org.pk,
        },
        format="json",
    )
    # The organisation is outside their scope, so it does not exist for them (400), and even
    # within scope the role is refused (403): either way nothing is created.
    assert response.status_code in (400, 403)
    assert "code" in response.json()
    assert not User.objects.filter(email="api@t.example").exists()


def test_api_refuses_role_even_in_own_organisation(werkgever_beheerder, bearer_client, employer):
    """SE-3 through the API: a doctor login in one's own organisation is still refused."""
    response = bearer_client(werkgever_beheerder).post(
        "/api/v1/accounts/",
        {
            "email": "api2@t.example",
            "full_name": "A",
            "role": Role.BEDRIJFSARTS,
            "organisation": employer.pk,
        },
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "account_refused"
    assert not User.objects.filter(email="api2@t.example").exists()


def test_api_operator_issues_doctor(operator, bearer_client):
    """SE-3: the operator's API call succeeds."""
    arbo = OrganisationFactory(kind=OrganisationKind.ARBODIENST)
    response = bearer_client(operator).post(
        "/api/v1/accounts/",
        {
            "email": "dokter@t.example",
            "full_name": "D",
            "role": Role.BEDRIJFSARTS,
            "organisation": arbo.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    assert User.objects.get(email="dokter@t.example").role == Role.BEDRIJFSARTS


def test_admin_refuses_invalid_issue_and_routes_valid_one_through_action(operator, verified_client):
    """SE-3 through the admin: the add form uses the same policy and the same action (audited)."""
    from privacy.models import AuditEvent

    client = verified_client(operator)
    employer_org = OrganisationFactory()
    bad = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "adm@t.example",
            "full_name": "A",
            "role": Role.BEDRIJFSARTS,
            "organisation": employer_org.pk,
        },
    )
    assert bad.status_code == 200  # form error: a doctor belongs to an arbodienst
    assert not User.objects.filter(email="adm@t.example").exists()
    arbo = OrganisationFactory(kind=OrganisationKind.ARBODIENST)
    good = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "adm@t.example",
            "full_name": "A",
            "role": Role.BEDRIJFSARTS,
            "organisation": arbo.pk,
        },
    )
    assert good.status_code == 302
    created = User.objects.get(email="adm@t.example")
    assert created.issued_by == operator
    assert AuditEvent.objects.filter(subject=created.pseudonym, action="create").exists()


def test_command_obeys_the_same_rule(werkgever_beheerder):
    """SE-3 through management commands."""
    org = OrganisationFactory(kind=OrganisationKind.ARBODIENST, name="Arbo X")
    with pytest.raises(CommandError):
        call_command(
            "issue_account",
            email="cmd@t.example",
            name="C",
            role=Role.BEDRIJFSARTS,
            organisation="Arbo X",
            by=werkgever_beheerder.email,
        )
    with pytest.raises(CommandError):  # --by is required
        call_command(
            "issue_account",
            email="cmd@t.example",
            name="C",
            role=Role.BEDRIJFSARTS,
            organisation="Arbo X",
        )
    assert not User.objects.filter(email="cmd@t.example").exists()
    assert org.pk


def test_bootstrap_only_creates_the_first_beheerder(operator):
    """SE-3: --bootstrap cannot be used once an operator exists, nor for another role."""
    with pytest.raises(CommandError):
        call_command(
            "issue_account", email="b@t.example", name="B", role=Role.BEHEERDER, bootstrap=True
        )
    with pytest.raises(CommandError):
        call_command(
            "issue_account", email="b@t.example", name="B", role=Role.BEDRIJFSARTS, bootstrap=True
        )


def test_createsuperuser_is_not_a_back_door():
    """SE-3: Django's createsuperuser cannot mint an all-powerful account."""
    with pytest.raises(NotImplementedError):
        User.objects.create_superuser("root@t.example", "x" * 16, full_name="R", role="beheerder")
    assert not User.objects.get_queryset().filter(email="root@t.example").exists()
