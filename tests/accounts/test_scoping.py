"""SE-9: need-to-know scoping. Employer users see only their own organisation; doctors,
casemanagers and consultants only the organisations assigned to them."""

import pytest

from accounts import scoping
from accounts.roles import OrganisationKind, Role
from tests.factories import AssignmentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_employers(employer, other_employer):
    return employer, other_employer


@pytest.mark.parametrize(
    "role", [Role.WERKGEVER, Role.HR, Role.WERKGEVER_BEHEERDER, Role.WERKNEMER]
)
def test_employer_side_sees_only_own_organisation(make_user, two_employers, role):
    """SE-9: own organisation only."""
    own, other = two_employers
    user = make_user(role, organisation=own)
    assert list(scoping.organisations_for(user)) == [own]
    assert other not in scoping.organisations_for(user)


@pytest.mark.parametrize("role", [Role.BEDRIJFSARTS, Role.CASEMANAGER, Role.CONSULTANT])
def test_care_roles_see_assigned_organisations_only(two_employers, role):
    """SE-9: assignment, not membership, decides what a doctor or consultant sees."""
    own, other = two_employers
    home_kind = (
        OrganisationKind.REINTEGRATIEBEDRIJF
        if role == Role.CONSULTANT
        else OrganisationKind.ARBODIENST
    )
    user = UserFactory(role=role, organisation=OrganisationFactory(kind=home_kind))
    employers = scoping.organisations_for(user).filter(kind=OrganisationKind.WERKGEVER)
    assert list(employers) == []
    AssignmentFactory(user=user, organisation=own)
    employers = scoping.organisations_for(user).filter(kind=OrganisationKind.WERKGEVER)
    assert list(employers) == [own]
    assert list(scoping.employer_organisation_ids(user).values_list("pk", flat=True)) == [own.pk]


def test_inactive_user_sees_nothing(make_user, employer):
    """SE-9: a deactivated account sees no organisation."""
    user = make_user(Role.HR)
    user.is_active = False
    assert list(scoping.organisations_for(user)) == []
    assert list(scoping.users_visible_to(user)) == []


def test_werkgever_beheerder_sees_only_employer_users_of_own_organisation(
    make_user, employer, other_employer
):
    """SE-9: the employer's admin manages its own people, not the doctor nor other employers."""
    admin = make_user(Role.WERKGEVER_BEHEERDER)
    colleague = make_user(Role.HR)
    outsider = make_user(Role.HR, organisation=other_employer)
    doctor = make_user(Role.BEDRIJFSARTS)  # assigned to `employer`, home is the arbodienst
    visible = set(scoping.users_visible_to(admin))
    assert {admin, colleague} <= visible
    assert outsider not in visible and doctor not in visible


def test_user_list_page_is_scoped(make_user, verified_client, employer, other_employer):
    """SE-9 on the page: another employer's users are not listed."""
    admin = make_user(Role.WERKGEVER_BEHEERDER)
    outsider = make_user(Role.HR, organisation=other_employer)
    page = verified_client(admin).get("/beheer/gebruikers/").content.decode()
    assert admin.email in page
    assert outsider.email not in page


def test_api_lists_are_scoped(make_user, bearer_client, employer, other_employer):
    """SE-9 on the API: organisations and accounts are filtered per caller; another
    organisation's record answers 404, as if it did not exist."""
    hr = make_user(Role.HR)
    outsider = make_user(Role.HR, organisation=other_employer)
    client = bearer_client(hr)
    orgs = client.get("/api/v1/organisations/").json()["results"]
    assert [o["id"] for o in orgs] == [employer.pk]
    assert client.get(f"/api/v1/organisations/{other_employer.pk}/").status_code == 404
    accounts = client.get("/api/v1/accounts/").json()["results"]
    assert [a["email"] for a in accounts] == [hr.email]
    response = client.get(f"/api/v1/accounts/{outsider.pk}/")
    assert response.status_code == 404 and outsider.email not in response.content.decode()


def test_se9_serves_reads_once_per_user_object_and_again_after_any_change(
    make_user, employer, other_employer, django_assert_num_queries
):
    """SE-9 (issue 20: the dossier page asked the same question five times): one query per
    user object, and a new assignment, a moved one or a removed one is seen at once by the same
    object (post_save/post_delete on Assignment)."""
    from accounts import policies
    from accounts.models import Assignment

    doctor = make_user(Role.BEDRIJFSARTS)  # assigned to `employer`
    with django_assert_num_queries(1):
        assert policies.serves(doctor, employer.pk)
        assert not policies.serves(doctor, other_employer.pk)
        assert policies.is_doctor_for(doctor, employer.pk)
    added = AssignmentFactory(user=doctor, organisation=other_employer)
    assert policies.serves(doctor, other_employer.pk)
    added.delete()
    assert not policies.serves(doctor, other_employer.pk)
    moved = Assignment.objects.get(user=doctor, organisation=employer)
    moved.organisation = other_employer
    moved.save()
    assert not policies.serves(doctor, employer.pk)
    assert policies.serves(doctor, other_employer.pk)
