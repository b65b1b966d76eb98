"""SE-2 matrix rows of verzuim (issue 3): werknemers, ziekmeldingen, herstel, deadlines,
the employee's own page (ZM-4) and the verzuim API. The MD-7 pages under verzuim/
(aanstellingskeuring) are in matrix/medisch.py."""

from datetime import date

import pytest

from accounts.models import ApiToken
from tests.security.matrix._base import (
    API,
    FILERS_FORM_ERROR,
    FILERS_OK,
    FORBIDDEN,
    INVALID,
    METHOD,
    NOTFOUND,
    OK,
    PAGE,
    POSTED,
    Check,
    foreign_case_completions,
    matrix_tests,
    own_case_completions,
    row,
)
from verzuim.models import Verlof, WachttijdVerlenging, Werknemer, Ziekmelding

pytestmark = pytest.mark.django_db

# --- Verzuim (issue 3) ---------------------------------------------------------------------------
READERS_OK = dict.fromkeys(("hr", "werkgever", "bedrijfsarts", "casemanager"), OK)


def search_colleague(world, user):
    return {"q": "Binnenkant"}


def werknemer_count(world, user):
    return Werknemer.objects.count()


def case_count(world, user):
    return Ziekmelding.objects.count()


def own_werknemer_version(world, user):
    return Werknemer.objects.get(pk=world.own_werknemer.pk).version


def foreign_werknemer_version(world, user):
    return Werknemer.objects.get(pk=world.foreign_werknemer.pk).version


def own_case_open(world, user):
    return Ziekmelding.objects.get(pk=world.own_case.pk).recovered_on is None


def foreign_case_open(world, user):
    return Ziekmelding.objects.get(pk=world.foreign_case.pk).recovered_on is None


def full_recovery(world, user):
    return {"kind": "volledig", "date": date.today().isoformat()}


def uwv_submitted(world, user):
    return {"completed_on": date.today().isoformat(), "proof": "UWV-kenmerk 12345"}


def step_done(world, user):
    return {
        "completed_on": date.today().isoformat(),
        "proof": "UWV-kenmerk 12345",
        "confirmed": "on",
    }


def sync_token_count(world, user):
    return ApiToken.objects.filter(scope=ApiToken.Scope.WERKNEMERS_SYNC).count()


def sync_token_label(world, user):
    return {"action": "issue", "label": "AFAS"}


def new_department(world, user):
    return {"department": "Inkoop"}


def undo_reason(world, user):
    return {"reason": "Verkeerde werknemer aangeklikt."}


def verlof_count(world, user):
    return Verlof.objects.count()


def a_leave(world, user):
    return {"start": date.today().isoformat(), "end": date.today().isoformat()}


def verlenging_count(world, user):
    return WachttijdVerlenging.objects.count()


def an_extension(world, user):
    today = date.today().isoformat()
    return {
        "kind": "verlenging",
        "decided_on": today,
        "start": today,
        "end": today,
        "reference": "afspraak 1",
    }


EXPECTED: dict[str, tuple[Check, ...]] = {
    # --- Verzuim (issue 3): employer side, SE-2/SE-9; werkgever-beheerder and beheerder have no
    # access to sick reports (health data); doctors read them; the employee sees their own page.
    "verzuim:werknemers": (
        Check(row(PAGE, FORBIDDEN, **READERS_OK)),
        # The search term goes in the body and is kept in the session, never in the URL.
        Check(
            row(POSTED, FORBIDDEN, **dict.fromkeys(READERS_OK, "redirect:/verzuim/werknemers/")),
            method="POST",
            label="POST-search",
            data=search_colleague,
            rules="SE-9",
        ),
    ),
    "verzuim:werknemer_create": (
        Check(row(PAGE, FORBIDDEN, **FILERS_OK)),
        Check(
            row(POSTED, FORBIDDEN, **FILERS_FORM_ERROR),
            method="POST",
            label="POST-empty",
            state=werknemer_count,
        ),
    ),
    "verzuim:werknemer_import": (Check(row(PAGE, FORBIDDEN, **FILERS_OK)),),
    # Issue 23: a preview of the staff list belongs to its organisation (SE-9).
    "verzuim:werknemer_sync": (
        Check(row(PAGE, FORBIDDEN, **FILERS_OK), label="own", target="own_sync", rules="SE-9"),
        Check(
            row(PAGE, FORBIDDEN, hr=NOTFOUND, werkgever=NOTFOUND),
            label="foreign",
            target="foreign_sync",
            rules="SE-9",
        ),
        Check(
            row(POSTED, FORBIDDEN, hr=NOTFOUND, werkgever=NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_sync",
            rules="SE-9",
        ),
    ),
    # Issue 23: the HR system's sync tokens; issuing shows the raw token once (200).
    "verzuim:sync_tokens": (
        Check(row(PAGE, FORBIDDEN, **FILERS_OK)),
        Check(
            row(POSTED, FORBIDDEN, **FILERS_FORM_ERROR),
            method="POST",
            label="POST-empty",
            state=sync_token_count,
        ),
        Check(
            row(POSTED, FORBIDDEN, **FILERS_OK),
            method="POST",
            label="POST-issue",
            data=sync_token_label,
            state=sync_token_count,
            may_change=frozenset({"hr", "werkgever"}),
            rules="SE-1",
        ),
    ),
    "verzuim:werknemer": (
        Check(row(PAGE, NOTFOUND, **READERS_OK), label="own", target="own_werknemer", rules="SE-9"),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_werknemer", rules="SE-9"),
        Check(
            row(
                POSTED, NOTFOUND, **FILERS_FORM_ERROR, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN
            ),
            method="POST",
            label="POST-own",
            target="own_werknemer",
            state=own_werknemer_version,
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_werknemer",
            state=foreign_werknemer_version,
            rules="SE-9",
        ),
    ),
    "verzuim:werknemer_end": (
        Check(row(PAGE, METHOD), target="own_werknemer"),
        Check(
            row(
                POSTED,
                NOTFOUND,
                **dict.fromkeys(("hr", "werkgever"), "redirect:OWN_WN"),
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own-empty",
            target="own_werknemer",
            state=own_werknemer_version,
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_werknemer",
            state=foreign_werknemer_version,
            rules="SE-9",
        ),
    ),
    "verzuim:ziekmeldingen": (
        Check(row(PAGE, FORBIDDEN, **READERS_OK), rules="SE-4 SE-9"),
        Check(
            row(POSTED, FORBIDDEN, **dict.fromkeys(READERS_OK, "redirect:/verzuim/meldingen/")),
            method="POST",
            label="POST-search",
            data=search_colleague,
            rules="SE-9",
        ),
    ),
    "verzuim:ziekmelding_export": (Check(row(PAGE, FORBIDDEN, **READERS_OK), rules="SE-4"),),
    "verzuim:ziekmelding_stats": (Check(row(PAGE, FORBIDDEN, **READERS_OK), rules="SE-4"),),
    "verzuim:ziekmelding_create": (
        Check(row(PAGE, FORBIDDEN, **FILERS_OK)),
        Check(
            row(POSTED, FORBIDDEN, **FILERS_FORM_ERROR),
            method="POST",
            label="POST-empty",
            state=case_count,
        ),
    ),
    "verzuim:ziekmelding": (
        Check(row(PAGE, NOTFOUND, **READERS_OK), label="own", target="own_case", rules="SE-9"),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="SE-9"),
    ),
    "verzuim:ziekmelding_edit": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="SE-9"),
    ),
    "verzuim:ziekmelding_herstel": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_case",
            data=full_recovery,
            state=foreign_case_open,
            rules="SE-9",
        ),
    ),
    "verzuim:insurer_export": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
            rules="MD-6",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="MD-6 SE-9"),
    ),
    # RI-1: the employer marks a step done with date, proof and confirmation; undoes it with a
    # reason. Doctors read the case but complete only by their own record (403 here).
    "verzuim:deadline_complete": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
            rules="RI-1",
        ),
        Check(
            row(
                POSTED,
                NOTFOUND,
                **FILERS_FORM_ERROR,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            state=own_case_completions,
            rules="RI-1",
        ),
        Check(
            row(
                POSTED,
                NOTFOUND,
                **dict.fromkeys(("hr", "werkgever"), "redirect:OWN_CASE"),
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own",
            target="own_case",
            data=step_done,
            state=own_case_completions,
            may_change=frozenset({"hr", "werkgever"}),
            rules="RI-1",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_case",
            data=step_done,
            state=foreign_case_completions,
            rules="SE-9",
        ),
    ),
    # The world's step is open, so there is nothing to undo: 404 for the employer, 403 for the
    # doctor; tests/verzuim/test_termijnen.py undoes a completed step per role.
    "verzuim:deadline_undo": (
        Check(
            row(PAGE, NOTFOUND, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
            rules="RI-1",
        ),
        Check(
            row(POSTED, NOTFOUND, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            method="POST",
            label="POST-own",
            target="own_case",
            data=undo_reason,
            state=own_case_completions,
            rules="RI-1",
        ),
    ),
    "verzuim:verlof_create": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
            rules="ZM-5",
        ),
        Check(
            row(
                POSTED, NOTFOUND, **FILERS_FORM_ERROR, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            state=verlof_count,
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_case",
            data=a_leave,
            state=verlof_count,
            rules="SE-9",
        ),
    ),
    "verzuim:verlenging_create": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
            rules="RI-1",
        ),
        Check(
            row(
                POSTED, NOTFOUND, **FILERS_FORM_ERROR, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            state=verlenging_count,
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_case",
            data=an_extension,
            state=verlenging_count,
            rules="SE-9",
        ),
    ),
    "verzuim:mijn": (Check(row(PAGE, NOTFOUND, werknemer=OK), rules="ZM-4"),),
    # AV-6: the employee's own access log, whole and paginated.
    "verzuim:mijn_inzage": (Check(row(PAGE, FORBIDDEN, werknemer=OK), rules="AV-6"),),
    "verzuim:noodinformatie_intrekken": (
        Check(row(PAGE, METHOD)),
        Check(
            row(POSTED, NOTFOUND, werknemer="redirect:/verzuim/mijn/"), method="POST", rules="ZM-4"
        ),
    ),
    "api:werknemer-list": (
        Check(row(API, OK), rules="SE-9"),
        Check(
            row(API, FORBIDDEN, hr=INVALID, werkgever=INVALID),
            method="POST",
            label="POST-empty",
            state=werknemer_count,
        ),
    ),
    "api:werknemer-detail": (
        Check(row(API, NOTFOUND, **READERS_OK), label="own", target="own_werknemer", rules="SE-9"),
        Check(row(API, NOTFOUND), label="foreign", target="foreign_werknemer", rules="SE-9"),
    ),
    # Issue 23: the HR system's sync, keyed on the personnel number in the caller's organisation.
    "api:werknemer-sync": (
        Check(row(API, METHOD)),
        Check(
            row(API, FORBIDDEN, hr=INVALID, werkgever=INVALID),
            method="POST",
            label="POST-empty",
            state=werknemer_count,
        ),
    ),
    "api:werknemer-nummer": (
        Check(row(API, METHOD), target="own_werknemer"),
        Check(
            row(API, FORBIDDEN, hr=INVALID, werkgever=INVALID),
            method="PUT",
            label="PUT-empty",
            target="own_werknemer",
            state=own_werknemer_version,
        ),
        Check(
            row(API, FORBIDDEN, hr=OK, werkgever=OK),
            method="PATCH",
            label="PATCH-own",
            target="own_werknemer",
            data=new_department,
            state=own_werknemer_version,
            may_change=frozenset({"hr", "werkgever"}),
        ),
        Check(
            row(API, FORBIDDEN, hr=NOTFOUND, werkgever=NOTFOUND),
            method="PATCH",
            label="PATCH-foreign",
            target="foreign_werknemer",
            data=new_department,
            state=foreign_werknemer_version,
            rules="SE-9",
        ),
    ),
    "api:ziekmelding-list": (
        Check(row(API, OK), rules="SE-9"),
        Check(
            row(API, FORBIDDEN, hr=INVALID, werkgever=INVALID),
            method="POST",
            label="POST-empty",
            state=case_count,
        ),
    ),
    "api:ziekmelding-detail": (
        Check(row(API, NOTFOUND, **READERS_OK), label="own", target="own_case", rules="SE-9"),
        Check(row(API, NOTFOUND), label="foreign", target="foreign_case", rules="SE-9"),
    ),
    "api:ziekmelding-herstel": (
        Check(row(API, METHOD), target="own_case"),
        Check(
            row(
                API,
                NOTFOUND,
                hr=INVALID,
                werkgever=INVALID,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            state=own_case_open,
        ),
        Check(
            row(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_case",
            data=full_recovery,
            state=foreign_case_open,
            rules="SE-9",
        ),
    ),
    "api:ziekmelding-termijnen": (
        Check(row(API, NOTFOUND, **READERS_OK), label="own", target="own_case", rules="RI-1"),
        Check(row(API, NOTFOUND), label="foreign", target="foreign_case", rules="SE-9"),
    ),
    "api:ziekmelding-termijn-afronden": (
        Check(row(API, METHOD), target="own_case"),
        Check(
            row(
                API,
                NOTFOUND,
                hr=INVALID,
                werkgever=INVALID,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            state=own_case_completions,
            rules="RI-1",
        ),
        Check(
            row(API, NOTFOUND, hr=OK, werkgever=OK, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            method="POST",
            label="POST-own",
            target="own_case",
            data=step_done,
            state=own_case_completions,
            may_change=frozenset({"hr", "werkgever"}),
            rules="RI-1",
        ),
        Check(
            row(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_case",
            data=step_done,
            state=foreign_case_completions,
            rules="SE-9",
        ),
    ),
    "api:ziekmelding-termijn-ongedaan": (
        Check(row(API, METHOD), target="own_case"),
        Check(
            row(
                API,
                NOTFOUND,
                hr=INVALID,
                werkgever=INVALID,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own",
            target="own_case",
            data=undo_reason,
            state=own_case_completions,
            rules="RI-1",
        ),
    ),
    # RI-11, DG-2: the reports to UWV (the BSN in full) - the case's employer side only; the
    # doctors who read the case are refused. The world's employer has no loonheffingennummer and
    # its employee no BSN: the facts form and the submission come back with an error.
    "verzuim:uwv_melding": (
        Check(
            row(PAGE, NOTFOUND, **FILERS_OK, bedrijfsarts=FORBIDDEN, casemanager=FORBIDDEN),
            label="own",
            target="own_case",
            rules="RI-11",
        ),
        Check(
            row(
                POSTED,
                NOTFOUND,
                **FILERS_FORM_ERROR,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own-empty",
            target="own_case",
            rules="RI-11",
        ),
        Check(row(PAGE, NOTFOUND), label="foreign", target="foreign_case", rules="SE-9"),
    ),
    "verzuim:uwv_ingediend": (
        Check(
            row(
                PAGE,
                NOTFOUND,
                **dict.fromkeys(
                    ("hr", "werkgever"), "redirect:/verzuim/meldingen/{own_case}/uwv/42e-week/"
                ),
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            label="own",
            target="own_case",
            rules="RI-11",
        ),
        Check(
            row(
                POSTED,
                NOTFOUND,
                **FILERS_FORM_ERROR,
                bedrijfsarts=FORBIDDEN,
                casemanager=FORBIDDEN,
            ),
            method="POST",
            label="POST-own",
            target="own_case",
            data=uwv_submitted,
            state=own_case_completions,
            rules="RI-11",
        ),
        Check(
            row(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_case",
            data=uwv_submitted,
            state=foreign_case_completions,
            rules="SE-9",
        ),
    ),
}


# (URL key, check name) → (actors, reason): see tests/security/matrix/__init__.py.
KNOWN_BUGS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}

MATRIX, BEARER_MATRIX, test_matrix, test_matrix_with_bearer_token = matrix_tests(
    EXPECTED, KNOWN_BUGS
)
