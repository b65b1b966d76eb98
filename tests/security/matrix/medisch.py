"""SE-2 matrix rows of the medical module (issue 4, MD-2 layer 1): dossiers, consults,
documents, correspondence, delegation, probleemanalyse and the medical part of the
re-integratieverslag (RI-2, RI-4), the doctor's API, and the aanstellingskeuring (MD-7)
including the employer's and the candidate's pages under verzuim/."""

from datetime import date

import pytest

from tests.security.matrix._base import (
    API,
    CREATED,
    FILERS_FORM_ERROR,
    FILERS_OK,
    FORBIDDEN,
    FORM_ERROR,
    INVALID,
    METHOD,
    NOTFOUND,
    OK,
    PAGE,
    POSTED,
    Check,
    matrix_tests,
    medisch_count,
    own_case_completions,
    row,
)

pytestmark = pytest.mark.django_db

# --- Medisch (issue 4) ---------------------------------------------------------------------------
MEDICAL_OK = dict.fromkeys(("bedrijfsarts", "casemanager"), OK)
MEDICAL_METHOD = dict.fromkeys(("bedrijfsarts", "casemanager"), METHOD)


def dossier_count(world, user):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM medisch_dossier")
        return cursor.fetchone()[0]


def delegation_revoked(world, user):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute(
            "SELECT revoked_at IS NOT NULL FROM medisch_delegation WHERE id = %s",
            [world.own_delegation.pk],
        )
        return cursor.fetchone()[0]


def document_count(world, user):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM medisch_document")
        return cursor.fetchone()[0]


def correspondence_count(world, user):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM medisch_correspondence")
        return cursor.fetchone()[0]


def probleemanalyse_count(world, user):
    return (
        medisch_count("medisch_probleemanalyse"),
        medisch_count("medisch_advies"),
        own_case_completions(world, user),
    )


def verslag_count(world, user):
    return medisch_count("medisch_verslagmedischdeel")


# --- Aanstellingskeuring (MD-7) ---------------------------------------------------------------
def keuring_count(world, user):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM medisch_keuring")
        return cursor.fetchone()[0]


def _keuring_state(pk):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute(
            "SELECT examined_at, candidate_decision FROM medisch_keuring WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def own_keuring_state(world, user):
    return _keuring_state(world.own_keuring.pk)


def examined_keuring_state(world, user):
    return _keuring_state(world.examined_keuring.pk)


def foreign_keuring_state(world, user):
    return _keuring_state(world.foreign_keuring.pk)


def share_decision(world, user):
    return {"besluit": "delen"}


def keuring_findings(world, user):
    return {"findings": "Binnen de norm.", "conclusion": "geschikt"}


MIJN = "redirect:/verzuim/mijn/"


def _delivered(pk):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT delivered_at FROM medisch_verslagmedischdeel WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def different_cause(world, user):
    return {"same_cause": "nee"}


def wazo_count(world, user):
    return medisch_count("medisch_wazooordeel")


def own_verslag_delivered(world, user):
    return _delivered(world.own_verslag.pk)


def foreign_verslag_delivered(world, user):
    return _delivered(world.foreign_verslag.pk)


def correspondence_body(world, user):
    return {
        "direction": "in",
        "date": date.today().isoformat(),
        "counterpart": "Huisarts",
        "subject": "Brief",
        "body": "",
        "consent_reference": "",
    }


def probleemanalyse_body(world, user):
    return {
        "date": date.today().isoformat(),
        "medical_part": "Klachten en omstandigheden.",
        "limitations": "Niet tillen",
        "capabilities": "Bureauwerk",
        "expected_duration": "kort",
        "incapacity_percentage": 50,
        "adjustments": "",
        "release": True,
    }


def verslag_body(world, user):
    return {"date": date.today().isoformat(), "text": "Medisch deel.", "deliver": False}


def delegation_body(world, user):
    return {
        "delegate": world.own_delegation.delegate_id,
        "parts": ["documenten"],
        "valid_from": date.today().isoformat(),
        "valid_until": date.today().isoformat(),
    }


def _released_at(pk):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT released_at FROM medisch_advies WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def own_advies_released(world, user):
    return _released_at(world.own_advies.pk)


def foreign_advies_released(world, user):
    return _released_at(world.foreign_advies.pk)


def search_body(world, user):
    return {"q": "Binnenkant"}


def delegation_count(world, user):
    return medisch_count("medisch_delegation")


EXPECTED: dict[str, tuple[Check, ...]] = {
    # --- Aanstellingskeuring (MD-7), the employer's pages under verzuim/ --------------------
    # MD-7: the employer (hr, werkgever) requests and lists exams; the status and, once shared,
    # "geschikt / niet geschikt" only. The candidate alone decides, on their own exam.
    "verzuim:keuringen": (Check(row(PAGE, FORBIDDEN, **FILERS_OK), rules="MD-7 SE-9"),),
    "verzuim:keuring_create": (
        Check(row(PAGE, FORBIDDEN, **FILERS_OK), rules="MD-7"),
        Check(
            row(POSTED, FORBIDDEN, **FILERS_FORM_ERROR),
            method="POST",
            label="POST-empty",
            state=keuring_count,
            rules="MD-7",
        ),
    ),
    "verzuim:keuring_besluit": (
        Check(row(PAGE, METHOD), target="examined_keuring"),
        Check(
            row(POSTED, NOTFOUND, werknemer=MIJN),
            method="POST",
            label="POST-share-examined",
            target="examined_keuring",
            data=share_decision,
            state=examined_keuring_state,
            may_change=frozenset({"werknemer"}),
            rules="MD-7 AV-2",
        ),
        # Not yet examined: nothing to decide (refused, the page says why).
        Check(
            row(POSTED, NOTFOUND, werknemer=MIJN),
            method="POST",
            label="POST-share-pending",
            target="own_keuring",
            data=share_decision,
            state=own_keuring_state,
            rules="MD-7",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_keuring",
            data=share_decision,
            state=foreign_keuring_state,
            rules="MD-7 SE-9",
        ),
    ),
    # --- Medisch (issue 4): MD-2 layer 1 — only the assigned bedrijfsarts, and a casemanager
    # within a delegation; every employer-side role and the operator are refused.
    "medisch:index": (
        Check(row(PAGE, FORBIDDEN, **MEDICAL_OK), rules="MD-2"),
        # The search box posts its term (kept in the session, never in the URL) and goes back.
        Check(
            row(
                POSTED,
                FORBIDDEN,
                bedrijfsarts="redirect:/medisch/",
                casemanager="redirect:/medisch/",
            ),
            method="POST",
            label="POST-search",
            data=search_body,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch:open_dossier": (
        Check(row(PAGE, FORBIDDEN, **MEDICAL_METHOD), rules="MD-2"),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts="redirect:OWN_DOSSIER"),
            method="POST",
            rules="MD-2",
            state=dossier_count,
        ),
    ),
    "medisch:dossier": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            label="own",
            target="own_dossier",
            rules="MD-2 MD-4",
        ),
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_dossier",
            rules="MD-2 SE-9",
        ),
    ),
    "medisch:consult_create": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            target="own_dossier",
            rules="MD-2",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=FORM_ERROR, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            rules="MD-2",
        ),
    ),
    "medisch:advies_create": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            target="own_dossier",
            rules="MD-2 MD-5",
        ),
    ),
    # MD-5: releasing a concept advice later is the assigned doctor's own work.
    "medisch:advies_release": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            label="own",
            target="own_advies",
            rules="MD-2 MD-5",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts="redirect:OWN_DOSSIER", casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_advies",
            state=own_advies_released,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-2 MD-5",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_advies",
            state=foreign_advies_released,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch:delegation_create": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            target="own_dossier",
            rules="MD-4",
        ),
    ),
    "medisch:delegation_revoke": (
        Check(row(PAGE, FORBIDDEN, **MEDICAL_METHOD), target="own_delegation", rules="MD-4"),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts="redirect:OWN_DOSSIER", casemanager=NOTFOUND),
            method="POST",
            target="own_delegation",
            state=delegation_revoked,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-4",
        ),
    ),
    # The doctor's API: the same layer-1 gate (403 for every non-medical role).
    "medisch-api:dossier-list": (Check(row(API, FORBIDDEN, **MEDICAL_OK), rules="MD-2"),),
    "medisch-api:dossier-detail": (
        Check(
            row(API, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            label="own",
            target="own_dossier",
            rules="MD-2 MD-4",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_dossier",
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:dossier-consults": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_dossier", rules="MD-2"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=INVALID, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            rules="MD-2",
        ),
    ),
    "medisch-api:dossier-adviezen": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_dossier", rules="MD-5"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=INVALID, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            rules="MD-5",
        ),
    ),
    # The doctor's API, everything the doctor does on pages (issue 4, item 10): the same
    # layer-1 gate, the same scoping (404) and policy (writing is the assigned doctor's).
    "medisch-api:dossier-documents": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_dossier", rules="MD-1 MD-2 MD-3"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=INVALID, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=document_count,
            rules="MD-1 MD-2 MD-3",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_dossier",
            state=document_count,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:dossier-correspondence": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_dossier", rules="MD-1 MD-2"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=INVALID, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=correspondence_count,
            rules="MD-1 MD-2",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=CREATED, casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_dossier",
            data=correspondence_body,
            state=correspondence_count,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-1 MD-2",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_dossier",
            data=correspondence_body,
            state=correspondence_count,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:dossier-probleemanalyses": (
        Check(
            row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_dossier", rules="MD-1 MD-2 MD-5 RI-2"
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=INVALID, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=probleemanalyse_count,
            rules="MD-1 MD-2 MD-5 RI-2",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=CREATED, casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_dossier",
            data=probleemanalyse_body,
            state=probleemanalyse_count,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-1 MD-2 MD-5 RI-2",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_dossier",
            data=probleemanalyse_body,
            state=probleemanalyse_count,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:dossier-verslagdelen": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_dossier", rules="MD-1 MD-2 RI-4"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=INVALID, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=verslag_count,
            rules="MD-1 MD-2 RI-4",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=CREATED, casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_dossier",
            data=verslag_body,
            state=verslag_count,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-1 MD-2 RI-4",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_dossier",
            data=verslag_body,
            state=verslag_count,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:dossier-delegations": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_dossier", rules="MD-4"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=INVALID, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=delegation_count,
            rules="MD-4",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=CREATED, casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_dossier",
            data=delegation_body,
            state=delegation_count,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-4",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_dossier",
            data=delegation_body,
            state=delegation_count,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:advies-release": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_advies", rules="MD-5"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_advies",
            state=own_advies_released,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-2 MD-5",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_advies",
            state=foreign_advies_released,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:document-download": (
        Check(
            row(API, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            label="own",
            target="own_document",
            rules="MD-2 MD-3 MD-4 SE-7",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_document",
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:delegation-revoke": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_delegation", rules="MD-4"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            method="POST",
            target="own_delegation",
            state=delegation_revoked,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-4",
        ),
    ),
    "medisch-api:verslagdeel-deliver": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_verslag", rules="RI-4"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_verslag",
            state=own_verslag_delivered,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-2 RI-4 SE-7",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_verslag",
            state=foreign_verslag_delivered,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:keuring-list": (Check(row(API, FORBIDDEN, **MEDICAL_OK), rules="MD-2 MD-7"),),
    "medisch-api:keuring-detail": (
        Check(
            row(API, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            label="own",
            target="own_keuring",
            rules="MD-2 MD-7",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_keuring",
            rules="MD-2 SE-9",
        ),
    ),
    "medisch-api:keuring-record": (
        Check(row(API, FORBIDDEN, **MEDICAL_METHOD), target="own_keuring", rules="MD-7"),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=INVALID, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_keuring",
            state=own_keuring_state,
            rules="MD-2 MD-7",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_keuring",
            data=keuring_findings,
            state=own_keuring_state,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-2 MD-7",
        ),
        Check(
            row(API, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_keuring",
            data=keuring_findings,
            state=foreign_keuring_state,
            rules="MD-2 SE-9",
        ),
    ),
    "medisch:document_upload": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            target="own_dossier",
            rules="MD-1 MD-2",
        ),
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_dossier",
            rules="MD-2 SE-9",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=FORM_ERROR, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=document_count,
            rules="MD-1 MD-2",
        ),
    ),
    "medisch:document_download": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            label="own",
            target="own_document",
            rules="MD-2 MD-3 MD-4 SE-7",
        ),
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_document",
            rules="MD-2 SE-9",
        ),
    ),
    "medisch:correspondence_create": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            target="own_dossier",
            rules="MD-1 MD-2",
        ),
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_dossier",
            rules="MD-2 SE-9",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=FORM_ERROR, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=correspondence_count,
            rules="MD-1 MD-2",
        ),
    ),
    # RI-2, RI-4: the probleemanalyse and the medical part of the re-integratieverslag are the
    # assigned doctor's own work (not delegable); the employer side and the operator are refused.
    "medisch:probleemanalyse_create": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            target="own_dossier",
            rules="MD-1 MD-2 MD-5 RI-2",
        ),
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_dossier",
            rules="MD-2 SE-9",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=FORM_ERROR, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=probleemanalyse_count,
            rules="MD-1 MD-2 MD-5 RI-2",
        ),
    ),
    "medisch:verslag_create": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            target="own_dossier",
            rules="MD-1 MD-2 RI-4",
        ),
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_dossier",
            rules="MD-2 SE-9",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=FORM_ERROR, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_dossier",
            state=verslag_count,
            rules="MD-1 MD-2 RI-4",
        ),
    ),
    # RI-4: a verslag part saved without "Direct aan de werknemer geven" is given later.
    "medisch:verslag_deliver": (
        Check(row(PAGE, FORBIDDEN, **MEDICAL_METHOD), target="own_verslag", rules="RI-4"),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts="redirect:OWN_DOSSIER", casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_verslag",
            state=own_verslag_delivered,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-2 RI-4 SE-7",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_verslag",
            state=foreign_verslag_delivered,
            rules="MD-2 SE-9",
        ),
    ),
    # ZM-5: the doctor's same-cause yes/no around a Wazo leave; only the responsible doctor.
    "medisch:wazo_oordeel": (
        Check(row(PAGE, FORBIDDEN, **MEDICAL_METHOD), target="own_dossier", rules="ZM-5"),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts="redirect:OWN_DOSSIER", casemanager=NOTFOUND),
            method="POST",
            label="POST-own",
            target="own_dossier",
            data=different_cause,
            state=wazo_count,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-2 ZM-5",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_dossier",
            data=different_cause,
            state=wazo_count,
            rules="MD-2 SE-9",
        ),
    ),
    # MD-7: the doctor records the exam; only for an assigned organisation (SE-9), not a
    # casemanager (an exam is not delegable); the employer side and the operator are refused.
    "medisch:keuringen": (Check(row(PAGE, FORBIDDEN, **MEDICAL_OK), rules="MD-2 MD-7"),),
    "medisch:keuring_record": (
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=OK, casemanager=NOTFOUND),
            label="own",
            target="own_keuring",
            rules="MD-2 MD-7",
        ),
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            label="foreign",
            target="foreign_keuring",
            rules="MD-2 SE-9",
        ),
        Check(
            row(PAGE, FORBIDDEN, bedrijfsarts="redirect:/medisch/keuringen/", casemanager=NOTFOUND),
            label="examined",
            target="examined_keuring",
            rules="MD-7",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=FORM_ERROR, casemanager=NOTFOUND),
            method="POST",
            label="POST-empty",
            target="own_keuring",
            state=own_keuring_state,
            rules="MD-2 MD-7",
        ),
        Check(
            row(
                POSTED, FORBIDDEN, bedrijfsarts="redirect:/medisch/keuringen/", casemanager=NOTFOUND
            ),
            method="POST",
            label="POST-own",
            target="own_keuring",
            data=keuring_findings,
            state=own_keuring_state,
            may_change=frozenset({"bedrijfsarts"}),
            rules="MD-2 MD-7",
        ),
        Check(
            row(POSTED, FORBIDDEN, bedrijfsarts=NOTFOUND, casemanager=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_keuring",
            data=keuring_findings,
            state=foreign_keuring_state,
            rules="MD-2 SE-9",
        ),
    ),
}


# (URL key, check name) → (actors, reason): see tests/security/matrix/__init__.py.
KNOWN_BUGS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}

MATRIX, BEARER_MATRIX, test_matrix, test_matrix_with_bearer_token = matrix_tests(
    EXPECTED, KNOWN_BUGS
)
