"""Fixtures for the security tests: a small world of two employers and the actors of the
authorization matrix (SE-2), each with the client an actor really uses.

The World is built once per test module, inside one transaction on both database aliases
(`default` and `medisch`); every test then runs in savepoints on both (pytest-django's
TestCase wrapping nests inside it) that roll back, so each test sees the same fresh World.
Every actor, its session and its bearer token are made up front: nothing a test creates
survives it. The guard in `world` fails the module when a test left a row behind (per-table
counts compared after the build and after the last test) or when anything escaped the module's
transaction (counts compared before the build and after the rollback).
"""

from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, router, transaction
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import ApiToken, Assignment
from accounts.roles import Role
from medisch.actions import documents as medisch_documents
from medisch.actions import dossier as medisch_actions
from medisch.actions.keuring import record_keuring
from medisch.actions.reintegratie import record_verslag_deel
from medisch.models import Keuring
from medisch.public import request_keuring
from tests.conftest import totp_code, user_maker
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
)
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import Verlof, WerknemerSync

# Actors besides the eight roles: nobody logged in, a password-only session of a user who HAS a
# confirmed TOTP device (SE-1: must not get past the login), and a password-only session of a
# user without any device (SE-1: must enrol first).
ANONYMOUS = "anonymous"
UNVERIFIED = "unverified"
UNENROLLED = "unenrolled"
ACTORS = (ANONYMOUS, UNVERIFIED, UNENROLLED, *Role.values)


@dataclass
class World:
    """Employer A (the actors' own organisation) and employer B (another one), a colleague in
    A and an outsider in B, both with a TOTP device; the outsider also has a live API token."""

    employer: object
    other_employer: object
    colleague: object
    outsider: object
    outsider_token: object
    make_user: object
    own_werknemer: object = None  # employer A's employee (named like the colleague)
    foreign_werknemer: object = None  # employer B's employee (named like the outsider)
    own_case: object = None  # an open ziekmelding of own_werknemer
    foreign_case: object = None
    own_dossier: object = None  # medical dossier of own_werknemer (by employer A's doctor)
    foreign_dossier: object = None  # of foreign_werknemer, by a doctor of employer B
    own_delegation: object = None  # A's doctor → a casemanager, on own_dossier
    own_document: object = None  # a PDF in own_dossier, uploaded by A's doctor
    foreign_document: object = None  # a PDF in foreign_dossier, by B's doctor
    own_keuring: object = None  # MD-7: requested by A for the werknemer actor, not yet examined
    examined_keuring: object = None  # MD-7: same candidate, examined by A's doctor, undecided
    foreign_keuring: object = None  # MD-7: requested by B for the outsider
    own_verslag: object = None  # RI-4: a verslag part in own_dossier, not yet given
    own_verlof: object = None  # ZM-5: a Wazo leave of own_werknemer, long before own_case
    foreign_verslag: object = None  # RI-4: same in foreign_dossier, by B's doctor
    own_advies: object = None  # MD-5: a concept advice in own_dossier, not yet released
    foreign_advies: object = None  # MD-5: same in foreign_dossier, by B's doctor
    # Re-integratie (RI-3..10). The consultant actor works at `provider`; `rival` is a colleague
    # consultant at the same company who is on none of the actor's trajectories (RI-8).
    provider: object = None
    rival: object = None
    own_plan: object = None  # plan van aanpak of own_case (version 1), one activity
    own_activity: object = None
    foreign_activity: object = None  # the same on foreign_plan
    own_trajectory: object = None  # on own_case at provider, the consultant actor handling it,
    # the employee informed (on paper: own_werknemer has no login)
    own_report: object = None  # filed by the consultant actor, ter inzage, not yet read
    own_concept: object = None  # a second report on own_trajectory, still a concept
    own_invoice: object = None
    own_machtiging: object = None  # requested by the consultant actor, undecided
    own_ri_verslag: object = None  # employer's part of the re-integratieverslag, not yet given
    foreign_plan: object = None  # employer B's
    foreign_trajectory: object = None  # B's, at the SAME provider, handled by `rival`
    foreign_report: object = None
    foreign_invoice: object = None
    foreign_machtiging: object = None
    foreign_ri_verslag: object = None
    # The werknemer actor's own case, with a plan, a trajectory they have been told about, a
    # report put before them and a machtiging to decide.
    mine_case: object = None
    mine_plan: object = None
    mine_trajectory: object = None
    mine_report: object = None
    mine_machtiging: object = None
    mine_ri_verslag: object = None  # employer's part of the verslag of mine_case, copy given
    # RI-12: an evaluation of own_plan, foreign_plan and mine_plan (signing pages).
    own_evaluatie: object = None
    foreign_evaluatie: object = None
    mine_evaluatie: object = None
    # RI-12: a re-integratieverslag for UWV (bundle) of own_case, foreign_case and mine_case.
    own_bundel: object = None
    foreign_bundel: object = None
    mine_bundel: object = None
    pending_trajectory: object = None  # on mine_case, the employee NOT yet informed (RI-10)
    # RI-12: the documents: an advice of own_case released by A's doctor (the employer's
    # document of the doctor, MD-5); the evaluations above.
    released_advies: object = None
    # Privacy and retention (AV-3, AV-4, RT-6): operator objects.
    breach: object = None  # AV-4: a registered data breach
    # Issue 23: a staff-list preview of employer A and one of B (verzuim/hr_sync.py).
    own_sync: object = None
    foreign_sync: object = None
    verzoek: object = None  # AV-3: an open access request about own_werknemer
    verified_verzoek: object = None  # AV-3: the same, the requester's identity recorded
    purge_run: object = None  # RT-6: a run started just now and not finished
    legal_hold: object = None  # RT-6: an active legal hold
    # Doelgroep (DG-1..8). The hr actor has signed the confidentiality statement (DG-6), the
    # werkgever actor has not: the matrix shows both sides of the gate.
    other_statement: object = None  # signed by another HR user of A; the beheerder withdraws it
    own_check: object = None  # register check of own_werknemer via a synthetic BSN (SE-5)
    foreign_check: object = None  # the same for foreign_werknemer, by B's signed HR
    own_kandidaat: object = None  # an applicant of A (named like the colleague), checked via BSN
    foreign_kandidaat: object = None  # of B (named like the outsider)
    own_maatregel: object = None  # an open support measure of own_werknemer (no end date)
    foreign_maatregel: object = None  # the same for foreign_werknemer
    own_beleid: object = None  # A's active voorkeursbeleid
    foreign_beleid: object = None  # B's active voorkeursbeleid
    mine_werknemer: object = None  # the werknemer actor's own Werknemer record (employer A)
    mine_geboorteland: object = None  # their country of birth under own_beleid (DG-7)
    users: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)  # actor → session key, made up front
    tokens: dict = field(default_factory=dict)  # verified role → raw bearer token, made up front

    def user(self, actor):
        """The user behind an actor (None for anonymous); every actor is made by build_world,
        so a test never creates one that outlives its savepoint."""
        if actor == ANONYMOUS:
            return None
        return self.users[actor]

    def _add_actor(self, actor):
        if actor == UNVERIFIED:
            user = self.make_user(Role.HR)
        elif actor == UNENROLLED:
            user = self.make_user(Role.HR, device=False)
        elif actor == Role.CONSULTANT:
            user = self.make_user(Role.CONSULTANT, organisation=self.provider)
        else:
            user = self.make_user(Role(actor))
            if actor == Role.WERKNEMER:
                # The employee actor is a Werknemer of employer A with their own login.
                WerknemerFactory(organisation=self.employer, user=user)
        self.users[actor] = user
        return user


# --- The module's transaction and its guard -----------------------------------------------------
DATABASES = ("default", "medisch")


def row_counts() -> dict[str, int]:
    """Rows per table, each table counted on the connection the router gives its model (the
    medical tables on `medisch`, the rest on `default`: MD-2 holds in tests too)."""
    tables: dict[str, set[str]] = {alias: set() for alias in DATABASES}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        tables[router.db_for_read(model)].add(model._meta.db_table)
    counts = {}
    for alias, names in tables.items():
        connection = connections[alias]
        quote = connection.ops.quote_name
        # nosemgrep: vk-raw-sql-formatted — table names from model metadata, quoted
        sql = " UNION ALL ".join(
            f"SELECT '{name}', count(*) FROM {quote(name)}"  # noqa: S608
            for name in sorted(names)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            counts.update(cursor.fetchall())
    return counts


def _diff(before: dict, after: dict) -> str:
    return ", ".join(
        f"{table}: {before.get(table)} → {after.get(table)}"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    )


@contextmanager
def rolled_back(aliases=DATABASES):
    """One transaction per alias for the whole block, always rolled back at its end."""
    with ExitStack() as stack:
        for alias in aliases:
            stack.enter_context(transaction.atomic(using=alias))
        try:
            yield
        finally:
            for alias in aliases:
                transaction.set_rollback(True, using=alias)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The World of this module (see the module docstring), with the row guard around it."""
    files = tmp_path_factory.mktemp("medical-files")  # encrypted documents
    with django_db_blocker.unblock(), override_settings(MEDICAL_FILES_ROOT=str(files)):
        before = row_counts()
        with rolled_back():
            built = build_world()
            after_build = row_counts()
            yield built
            left = _diff(after_build, row_counts())
        after = row_counts()
        for alias in DATABASES:  # the test database can be dropped at the end of the run
            connections[alias].close()
    assert not left, f"a test left rows behind in the module's World: {left}"
    escaped = _diff(before, after)
    assert not escaped, f"rows escaped the module's transaction: {escaped}"


def build_world():
    # Each app's objects are built by its matrix module (imported here, not at the top: those
    # modules import this one).
    from tests.security.matrix.doelgroep import doelgroep_world
    from tests.security.matrix.privacy import privacy_world
    from tests.security.matrix.reintegratie import reintegratie_world

    employer = OrganisationFactory(name="Werkgever A BV")
    other_employer = OrganisationFactory(name="Werkgever B BV")
    make_user = user_maker(employer)
    colleague = make_user(Role.WERKNEMER, organisation=employer, full_name="Collega Binnenkant")
    outsider = make_user(
        Role.WERKNEMER, organisation=other_employer, full_name="Buitenstaander Anders"
    )
    outsider_token, _raw = ApiToken.issue(
        outsider, TOTPDevice.objects.get(user=outsider), label="outsider"
    )
    own_werknemer = WerknemerFactory(
        organisation=employer, first_name="Collega", last_name="Binnenkant"
    )
    foreign_werknemer = WerknemerFactory(
        organisation=other_employer, first_name="Buitenstaander", last_name="Anders"
    )
    filer_a = make_user(Role.HR, organisation=employer, device=False)
    filer_b = make_user(Role.HR, organisation=other_employer, device=False)
    case = {"phone": "06-11111111", "expected_duration": "onbekend", "lopende_afspraken": ""}
    own_case = create_ziekmelding(
        by=filer_a, werknemer=own_werknemer, first_day=date.today() - timedelta(days=10), **case
    )
    foreign_case = create_ziekmelding(
        by=filer_b, werknemer=foreign_werknemer, first_day=date.today() - timedelta(days=10), **case
    )
    doctor_a = make_user(Role.BEDRIJFSARTS, device=False)  # assigned to employer A
    doctor_b = make_user(Role.BEDRIJFSARTS, device=False)
    for assignment in Assignment.objects.filter(user=doctor_b):  # save(): policies' memo
        assignment.organisation = other_employer
        assignment.save()
    own_dossier = medisch_actions.open_dossier(by=doctor_a, werknemer=own_werknemer)
    foreign_dossier = medisch_actions.open_dossier(by=doctor_b, werknemer=foreign_werknemer)
    delegate = make_user(Role.CASEMANAGER, device=False)
    own_delegation = medisch_actions.delegate(
        by=doctor_a,
        dossier=own_dossier,
        delegate=delegate,
        parts=["adviezen"],
        valid_from=date.today(),
        valid_until=date.today(),
    )
    pdf = b"%PDF-1.7\n% matrix\n%%EOF\n"
    own_document, foreign_document = (
        medisch_documents.upload_document(
            by=doctor,
            dossier=dossier,
            uploaded_file=SimpleUploadedFile("brief.pdf", pdf),
            title="Brief huisarts",
            kind="brief_behandelaar",
        )
        for doctor, dossier in ((doctor_a, own_dossier), (doctor_b, foreign_dossier))
    )
    own_verslag, foreign_verslag = (
        record_verslag_deel(
            by=doctor,
            dossier=dossier,
            case_id=sick.case_id,
            date=date.today(),
            text="Medisch deel, nog niet gegeven.",
            deliver=False,
        )
        for doctor, dossier, sick in (
            (doctor_a, own_dossier, own_case),
            (doctor_b, foreign_dossier, foreign_case),
        )
    )
    own_advies, foreign_advies = (
        medisch_actions.record_advies(
            by=doctor,
            dossier=dossier,
            case_id=sick.case_id,
            release=False,
            date=date.today(),
            limitations="Niet tillen boven 10 kg.",
            capabilities="Bureauwerk, vier uur per dag.",
            expected_duration="kort",
            incapacity_percentage=50,
        )
        for doctor, dossier, sick in (
            (doctor_a, own_dossier, own_case),
            (doctor_b, foreign_dossier, foreign_case),
        )
    )
    # RI-12: an advice of own_case released by A's doctor (the doctor's document the employer
    # reads, MD-5).
    released_advies = medisch_actions.record_advies(
        by=doctor_a,
        dossier=own_dossier,
        case_id=own_case.case_id,
        release=True,
        date=date.today(),
        limitations="Niet tillen.",
        capabilities="Zittend werk.",
        expected_duration="kort",
        incapacity_percentage=50,
    )
    own_verlof = Verlof.objects.create(
        werknemer=own_werknemer,
        start=date.today() - timedelta(days=400),
        end=date.today() - timedelta(days=300),
    )
    world = World(
        released_advies=released_advies,
        own_advies=own_advies,
        foreign_advies=foreign_advies,
        own_verlof=own_verlof,
        own_verslag=own_verslag,
        foreign_verslag=foreign_verslag,
        own_dossier=own_dossier,
        own_document=own_document,
        foreign_document=foreign_document,
        foreign_dossier=foreign_dossier,
        own_delegation=own_delegation,
        employer=employer,
        other_employer=other_employer,
        colleague=colleague,
        outsider=outsider,
        outsider_token=outsider_token,
        make_user=make_user,
        own_werknemer=own_werknemer,
        foreign_werknemer=foreign_werknemer,
        own_case=own_case,
        foreign_case=foreign_case,
    )
    world.own_sync, world.foreign_sync = (
        WerknemerSync.objects.create(
            organisation=organisation,
            by=filer,
            source=WerknemerSync.Source.FILE,
            content=b"personeelsnummer;voornaam;achternaam;geboortedatum;in_dienst\r\n",
        )
        for organisation, filer in ((employer, filer_a), (other_employer, filer_b))
    )
    # MD-7: the werknemer actor is the candidate of employer A's exams (created now, not lazily).
    keuring = {
        "function": "Heftruckchauffeur",
        "justification": "Besturen van een heftruck vereist goed zicht en evenwicht.",
        "aspects": "Gezichtsvermogen, evenwichtsorgaan",
    }
    candidate = world._add_actor(Role.WERKNEMER)
    world.own_keuring, world.examined_keuring = (
        Keuring.objects.get(
            pk=request_keuring(by=filer_a, candidate_email=candidate.email, **keuring)
        )
        for _ in range(2)
    )
    record_keuring(
        by=doctor_a,
        keuring=world.examined_keuring,
        findings="Visus en evenwicht binnen de norm.",
        conclusion="geschikt",
    )
    world.foreign_keuring = Keuring.objects.get(
        pk=request_keuring(by=filer_b, candidate_email=outsider.email, **keuring)
    )
    reintegratie_world(world, candidate, filer_a, filer_b, case, doctor_a)
    doelgroep_world(world, candidate, filer_a, filer_b)
    privacy_world(world)
    for actor in ACTORS:
        if actor not in world.users and actor != ANONYMOUS:
            world._add_actor(actor)
    _sign_in(world)
    return world


def _sign_in(world):
    """A session for every actor but anonymous (verified for the roles, password-only for the
    SE-1 actors) and, for every verified role, a bearer token from the real token endpoint
    (password + TOTP code)."""
    from accounts.api.views import TokenView

    for actor, user in world.users.items():
        client = Client()
        client.force_login(user)
        if actor in Role.values:
            device = user.totpdevice_set.get(confirmed=True)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        world.sessions[actor] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    with mock.patch.object(TokenView, "throttle_classes", []):
        for actor in Role.values:
            user = world.users[actor]
            device = user.totpdevice_set.get(confirmed=True)
            response = APIClient().post(
                "/api/v1/auth/token/",
                {"username": user.email, "password": PASSWORD, "otp": totp_code(device)},
                format="json",
            )
            assert response.status_code == 201, response.content
            world.tokens[actor] = response.json()["token"]


@pytest.fixture
def unthrottled_tokens(monkeypatch):
    """Many bearer tokens are issued in one run; the token throttle is tested elsewhere."""
    from accounts.api.views import TokenView

    monkeypatch.setattr(TokenView, "throttle_classes", [])


@pytest.fixture
def client_for(world, unthrottled_tokens):
    """client_for(actor, transport="session") → the client that actor browses or calls with,
    carrying the session or token made up front (a fresh client object per call).

    transport "bearer" (verified roles only): an APIClient with the token the real
    POST /api/v1/auth/token/ endpoint issued (password + TOTP code)."""

    def make(actor, transport="session"):
        if transport == "bearer":
            assert actor in Role.values, "only verified roles get a bearer token"
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.tokens[actor]}")
            return client
        client = Client()
        if actor != ANONYMOUS:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[actor]
        return client

    return make
