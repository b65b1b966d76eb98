"""SE-2 matrix rows of privacy (AV-3, AV-4, AV-5) and retention (RT-5, RT-6, AV-1): the
operator's pages; and the World's privacy and retention objects (privacy_world)."""

from datetime import date, timedelta

import pytest

from accounts.roles import Role
from tests.security.matrix._base import (
    FORBIDDEN,
    FORM_ERROR,
    METHOD,
    OK,
    PAGE,
    POSTED,
    PUBLIC,
    Check,
    matrix_tests,
    row,
)

pytestmark = pytest.mark.django_db

OPERATOR_ONLY = {"beheerder": OK}


def hold_lifted(world, user):
    from retention.models import LegalHold

    return LegalHold.objects.get(pk=world.legal_hold.pk).lifted_at is not None


def verzoek_state(world, user):
    from privacy.models import Verzoek

    return Verzoek.objects.filter(pk=world.verzoek.pk).values().first()


def purge_runs(world, user):
    from retention.models import PurgeRun

    return PurgeRun.objects.count()


def privacy_world(world):
    """AV-3, AV-4, RT-6: one object of each kind the operator's pages take by id."""
    from django.utils import timezone

    from privacy.models import Datalek, Verzoek
    from retention.models import LegalHold, PurgeRun

    operator = world.make_user(Role.BEHEERDER, device=False)
    world.breach = Datalek.objects.create(
        title="Synthetisch datalek",
        description="Voor de matrix.",
        discovered_at=timezone.now(),
        categories="verzuimgegevens",
        recorded_by=operator,
    )
    world.verzoek = Verzoek.objects.create(
        kind="inzage",
        subject=world.own_werknemer.pseudonym,
        subject_name=world.own_werknemer.full_name,
        received_on=date.today(),
        registered_by=operator,
    )
    # AV-3: the same request once the requester's identity is recorded (only then an export).
    world.verified_verzoek = Verzoek.objects.create(
        kind="inzage",
        subject=world.own_werknemer.pseudonym,
        subject_name=world.own_werknemer.full_name,
        received_on=date.today(),
        registered_by=operator,
        identity_method="in_persoon",
        identity_verified_at=timezone.now(),
        identity_verified_by=operator,
    )
    world.purge_run = PurgeRun.objects.create()
    world.legal_hold = LegalHold.objects.create(
        category="verzuim.ziekmelding",
        object_id=world.own_case.pk,
        reason="Lopende procedure (synthetisch)",
        placed_by=operator,
        until=date.today() + timedelta(days=30),
    )


EXPECTED: dict[str, tuple[Check, ...]] = {
    # --- Privacy (AV-3, AV-4, AV-5) -------------------------------------------------------------
    "privacy:statement": (Check(row(PUBLIC, OK), rules="AV-5"),),
    "privacy:breaches": (Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="AV-4"),),
    "privacy:breach_create": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="AV-4"),
        Check(
            row(POSTED, FORBIDDEN, beheerder=FORM_ERROR),
            method="POST",
            label="POST-empty",
            rules="AV-4",
        ),
    ),
    "privacy:breach": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), target="breach", rules="AV-4"),
        Check(
            row(POSTED, FORBIDDEN, beheerder=FORM_ERROR),
            method="POST",
            label="POST-empty",
            target="breach",
            rules="AV-4",
        ),
    ),
    "privacy:requests": (Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="AV-3"),),
    "privacy:request_create": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="AV-3"),
        Check(
            row(POSTED, FORBIDDEN, beheerder=FORM_ERROR),
            method="POST",
            label="POST-empty",
            rules="AV-3",
        ),
    ),
    "privacy:request": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), target="verzoek", rules="AV-3"),
        # No action named: the page is shown again and nothing changes.
        Check(
            row(POSTED, FORBIDDEN, beheerder=OK),
            method="POST",
            label="POST-empty",
            target="verzoek",
            state=verzoek_state,
            rules="AV-3",
        ),
    ),
    # AV-3: nothing is disclosed before the requester's identity is recorded, not even to the
    # operator; afterwards the operator's export shows special parts only as "exists, who
    # delivers" (tests/privacy/test_request_identity.py).
    "privacy:request_export": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), target="verified_verzoek", rules="AV-3 MD-2"),
        Check(row(PAGE, FORBIDDEN), label="unverified", target="verzoek", rules="AV-3"),
    ),
    "privacy:request_export_html": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), target="verified_verzoek", rules="AV-3 MD-2"),
        Check(row(PAGE, FORBIDDEN), label="unverified", target="verzoek", rules="AV-3"),
    ),
    # DG-6, AV-3: the doelgroep part only by HR of the person's organisation with a signed
    # confidentiality statement (the hr actor), never the operator; and only once verified.
    "privacy:request_part": (
        Check(row(PAGE, FORBIDDEN, hr=OK), target="verified_verzoek", rules="AV-3 DG-6"),
        Check(row(PAGE, FORBIDDEN), label="unverified", target="verzoek", rules="AV-3 DG-6"),
    ),
    # --- Retention (RT-6, AV-1) -----------------------------------------------------------------
    "retention:index": (Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="RT-6"),),
    "retention:start": (
        Check(row(PAGE, METHOD), rules="RT-6"),
        # A run is already going (World.purge_run): the operator is sent to it, no second run.
        Check(
            row(POSTED, FORBIDDEN, beheerder="redirect:/beheer/bewaren/runs/{purge_run}/"),
            method="POST",
            state=purge_runs,
            rules="RT-6",
        ),
    ),
    "retention:run": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), target="purge_run", rules="RT-6"),
    ),
    "retention:run_status": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), target="purge_run", rules="RT-6"),
    ),
    "retention:register": (Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="AV-1"),),
    "retention:register_export": (Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="AV-1"),),
    "retention:register_export_csv": (Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="AV-1"),),
    "retention:holds": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="RT-6"),
        Check(
            row(POSTED, FORBIDDEN, beheerder=FORM_ERROR),
            method="POST",
            label="POST-empty",
            rules="RT-6",
        ),
    ),
    "retention:hold_lift": (
        Check(row(PAGE, METHOD), target="legal_hold", rules="RT-6"),
        Check(
            row(POSTED, FORBIDDEN, beheerder="redirect:/beheer/bewaren/legal-holds/"),
            method="POST",
            target="legal_hold",
            state=hold_lifted,
            may_change=frozenset({Role.BEHEERDER.value}),
            rules="RT-6",
        ),
    ),
    "retention:extension": (
        Check(row(PAGE, FORBIDDEN, **OPERATOR_ONLY), rules="RT-5"),
        Check(
            row(POSTED, FORBIDDEN, beheerder=FORM_ERROR),
            method="POST",
            label="POST-empty",
            rules="RT-5",
        ),
    ),
}


# (URL key, check name) → (actors, reason): see tests/security/matrix/__init__.py.
KNOWN_BUGS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}

MATRIX, BEARER_MATRIX, test_matrix, test_matrix_with_bearer_token = matrix_tests(
    EXPECTED, KNOWN_BUGS
)
