"""SE-2 matrix rows of doelgroep (DG-1..8): every page and endpoint behind the
confidentiality gate (DG-6), the statement, the employee's own page (DG-7) and the
doelgroep API; the World's doelgroep objects (doelgroep_world); and two doelgroep tests
beyond the matrix."""

from datetime import date, timedelta

import pytest

from accounts.roles import Role
from tests.security.matrix._base import (
    API,
    CREATED,
    DG_ROLE,
    FORBIDDEN,
    FORM_ERROR,
    INVALID,
    METHOD,
    NOTFOUND,
    OK,
    PAGE,
    POSTED,
    UNSIGNED,
    Check,
    matrix_tests,
    row,
)
from verzuim.models import Werknemer

pytestmark = pytest.mark.django_db

DG_WERKNEMER_PAGE = "redirect:/doelgroep/werknemers/{own_werknemer}/"


def dg_gate(gate: dict, hr: str, **exceptions) -> dict:
    """DG-6: a URL behind the confidentiality gate. The signed hr actor gets `hr`; the werkgever
    may sign but has not (UNSIGNED); every other role may not sign at all (DG_ROLE)."""
    return row(gate, DG_ROLE, **{"hr": hr, "werkgever": UNSIGNED, **exceptions})


def dg_state(world, user):
    """Everything a doelgroep request could change, for "nothing changed" probes."""
    from doelgroep.models import (
        Bezwaar,
        Geboorteland,
        Geheimhoudingsverklaring,
        Kandidaat,
        NoRiskPolis,
        Ondersteuningsmaatregel,
        Registercheck,
        Vog,
        Voorkeursbeleid,
    )

    models = (
        Geheimhoudingsverklaring,
        Kandidaat,
        Registercheck,
        NoRiskPolis,
        Ondersteuningsmaatregel,
        Voorkeursbeleid,
        Geboorteland,
        Bezwaar,
        Vog,
    )
    return tuple(list(model.objects.order_by("pk").values_list()) for model in models)


def other_statement_withdrawn(world, user):
    from doelgroep.models import Geheimhoudingsverklaring

    return Geheimhoudingsverklaring.objects.get(pk=world.other_statement.pk).withdrawn_at


def bsn_reveals(world, user):
    """DG-2, SE-7: the audit events of a revealed BSN."""
    from privacy.models import AuditEvent

    return AuditEvent.objects.filter(
        object_type="doelgroep.registercheck", detail="BSN getoond"
    ).count()


def mine_voorkeursbeleid_data(world, user):
    """DG-7: the werknemer actor's country-of-birth record, and whether they objected."""
    from doelgroep.models import Bezwaar, Geboorteland

    mine = world.mine_werknemer
    return (
        Geboorteland.objects.filter(werknemer=mine).exists(),
        Bezwaar.objects.filter(werknemer=mine).exists(),
    )


def sign_confirmed(world, user):
    return {"confirm": "on"}


def api_registercheck_body(world, user):
    return {
        "in_register": False,
        "checked_on": date.today().isoformat(),
        "checked_via": "loonheffingennummer",
    }


def api_noriskpolis_body(world, user):
    return {"asked_on": date.today().isoformat(), "applies": True}


def api_maatregel_body(world, user):
    return {"kind": "scholing", "start_on": date.today().isoformat()}


def doelgroep_world(world, candidate, filer_a, filer_b):
    """DG-1..8 objects for the matrix (see World). BSNs only from the synthetic range (SE-5)."""
    from doelgroep.actions.maatregelen import add_maatregel
    from doelgroep.actions.registratie import create_kandidaat, record_registercheck
    from doelgroep.actions.verklaring import sign_statement
    from doelgroep.actions.vog import record_vog
    from doelgroep.actions.voorkeursbeleid import record_geboorteland, record_voorkeursbeleid
    from doelgroep.models import CheckedVia, MaatregelKind
    from doelgroep.synthetic import synthetic_bsns

    hr = world._add_actor(Role.HR)
    sign_statement(by=hr)  # DG-6: the hr actor may work in the administration
    world._add_actor(Role.WERKGEVER)  # may sign, has not: the gate refuses them
    world.other_statement = sign_statement(by=filer_a)
    sign_statement(by=filer_b)
    bsns = synthetic_bsns()
    today = date.today()
    beleid = {
        "group_description": "Werknemers met een migratieachtergrond",
        "documentation": "Personeelsmonitor 2025: 4% van de werknemers tegen 14% in de regio "
        "(bron: CBS, arbeidsmarktregio).",
        "decided_on": today - timedelta(days=60),
    }
    sides = (
        ("own", hr, world.own_werknemer, "Collega Binnenkant"),
        ("foreign", filer_b, world.foreign_werknemer, "Buitenstaander Anders"),
    )
    for side, by, werknemer, applicant in sides:
        setattr(
            world,
            f"{side}_check",
            record_registercheck(
                by=by,
                werknemer=werknemer,
                in_register=True,
                checked_on=today,
                checked_via=CheckedVia.BSN,
                bsn=next(bsns),
            ),
        )
        kandidaat = create_kandidaat(by=by, name=applicant, reference="Vacature 12")
        record_registercheck(
            by=by,
            kandidaat=kandidaat,
            in_register=False,
            checked_on=today,
            checked_via=CheckedVia.BSN,
            bsn=next(bsns),
        )
        setattr(world, f"{side}_kandidaat", kandidaat)
        setattr(
            world,
            f"{side}_maatregel",
            add_maatregel(
                by=by,
                werknemer=werknemer,
                kind=MaatregelKind.BEGELEIDING,
                start_on=today - timedelta(days=30),
            ),
        )
        record_vog(by=by, werknemer=werknemer, provided=True, provided_on=today)
        setattr(world, f"{side}_beleid", record_voorkeursbeleid(by=by, **beleid))
    world.mine_werknemer = Werknemer.objects.get(user=candidate)
    world.mine_geboorteland = record_geboorteland(
        by=hr,
        werknemer=world.mine_werknemer,
        self_country="Nederland",
        mother_country="Suriname",
    )


EXPECTED: dict[str, tuple[Check, ...]] = {
    # --- Doelgroep (DG-1..8): every page and endpoint behind the confidentiality gate (DG-6),
    # except the statement itself, the operator's list of signatures and the employee's own
    # page. The hr actor has signed; the werkgever actor may sign but has not.
    "doelgroep:verklaring": (
        Check(row(PAGE, FORBIDDEN, hr=OK, werkgever=OK), rules="DG-6"),
        Check(
            row(POSTED, FORBIDDEN, hr=OK, werkgever=FORM_ERROR),
            method="POST",
            label="POST-empty",
            state=dg_state,
            rules="DG-6",
        ),
        # Signing opens the administration; the hr actor has signed already (nothing changes).
        Check(
            row(POSTED, FORBIDDEN, hr=OK, werkgever="redirect:/doelgroep/"),
            method="POST",
            label="POST-confirm",
            data=sign_confirmed,
            state=dg_state,
            may_change=frozenset({"werkgever"}),
            rules="DG-6",
        ),
    ),
    "doelgroep:verklaringen": (Check(row(PAGE, FORBIDDEN, beheerder=OK), rules="DG-6"),),
    "doelgroep:verklaring_intrekken": (
        Check(row(PAGE, METHOD), target="other_statement", rules="DG-6"),
        Check(
            row(POSTED, FORBIDDEN, beheerder="redirect:/doelgroep/verklaringen/"),
            method="POST",
            label="POST-other",
            target="other_statement",
            state=other_statement_withdrawn,
            may_change=frozenset({Role.BEHEERDER.value}),
            rules="DG-6",
        ),
    ),
    "doelgroep:index": (Check(dg_gate(PAGE, OK), rules="DG-6 SE-7 SE-9"),),
    "doelgroep:werknemer": (
        Check(dg_gate(PAGE, OK), label="own", target="own_werknemer", rules="DG-6 SE-7"),
        Check(dg_gate(PAGE, OK), label="mine", target="mine_werknemer", rules="DG-6 DG-7"),
        Check(
            dg_gate(PAGE, NOTFOUND), label="foreign", target="foreign_werknemer", rules="DG-6 SE-9"
        ),
    ),
    "doelgroep:registercheck": (
        Check(dg_gate(PAGE, OK), label="own", target="own_werknemer", rules="DG-1 DG-6"),
        Check(
            dg_gate(PAGE, NOTFOUND), label="foreign", target="foreign_werknemer", rules="DG-6 SE-9"
        ),
        Check(
            dg_gate(POSTED, FORM_ERROR),
            method="POST",
            label="POST-own-empty",
            target="own_werknemer",
            state=dg_state,
            rules="DG-1 DG-2 DG-6",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_werknemer",
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    "doelgroep:noriskpolis": (
        Check(dg_gate(PAGE, OK), label="own", target="own_werknemer", rules="DG-3 DG-6"),
        Check(
            dg_gate(PAGE, NOTFOUND), label="foreign", target="foreign_werknemer", rules="DG-6 SE-9"
        ),
        Check(
            dg_gate(POSTED, FORM_ERROR),
            method="POST",
            label="POST-own-empty",
            target="own_werknemer",
            state=dg_state,
            rules="DG-3 DG-6",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_werknemer",
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    "doelgroep:vog": (
        Check(dg_gate(PAGE, OK), label="own", target="own_werknemer", rules="DG-6 DG-8"),
        Check(
            dg_gate(PAGE, NOTFOUND), label="foreign", target="foreign_werknemer", rules="DG-6 SE-9"
        ),
        Check(
            dg_gate(POSTED, FORM_ERROR),
            method="POST",
            label="POST-own-empty",
            target="own_werknemer",
            state=dg_state,
            rules="DG-6 DG-8",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_werknemer",
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    "doelgroep:geboorteland": (
        Check(dg_gate(PAGE, OK), label="mine", target="mine_werknemer", rules="DG-6 DG-7"),
        Check(
            dg_gate(PAGE, NOTFOUND), label="foreign", target="foreign_werknemer", rules="DG-6 SE-9"
        ),
        Check(
            dg_gate(POSTED, FORM_ERROR),
            method="POST",
            label="POST-mine-empty",
            target="mine_werknemer",
            state=dg_state,
            rules="DG-6 DG-7",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_werknemer",
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    "doelgroep:kandidaat_create": (
        Check(dg_gate(PAGE, OK), rules="DG-1 DG-6"),
        Check(
            dg_gate(POSTED, FORM_ERROR),
            method="POST",
            label="POST-empty",
            state=dg_state,
            rules="DG-1 DG-6",
        ),
    ),
    "doelgroep:kandidaat_registercheck": (
        Check(dg_gate(PAGE, OK), label="own", target="own_kandidaat", rules="DG-1 DG-6"),
        Check(
            dg_gate(PAGE, NOTFOUND), label="foreign", target="foreign_kandidaat", rules="DG-6 SE-9"
        ),
        Check(
            dg_gate(POSTED, FORM_ERROR),
            method="POST",
            label="POST-own-empty",
            target="own_kandidaat",
            state=dg_state,
            rules="DG-1 DG-2 DG-6",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_kandidaat",
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    # DG-2: the full BSN only on an explicit POST, written to the audit log (SE-7).
    "doelgroep:bsn_reveal": (
        Check(dg_gate(PAGE, METHOD), target="own_check", rules="DG-2 DG-6"),
        Check(
            dg_gate(POSTED, OK),
            method="POST",
            label="POST-own",
            target="own_check",
            state=bsn_reveals,
            may_change=frozenset({"hr"}),
            rules="DG-2 DG-6 SE-7",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_check",
            state=bsn_reveals,
            rules="DG-2 DG-6 SE-9",
        ),
    ),
    "doelgroep:bsn_export": (Check(dg_gate(PAGE, OK), rules="DG-2 DG-6 SE-7 SE-9"),),
    "doelgroep:voorkeursbeleid": (
        Check(dg_gate(PAGE, OK), rules="DG-6 DG-7"),
        # While a policy is active the page shows no form: an empty POST saves nothing, 200.
        Check(
            dg_gate(POSTED, OK),
            method="POST",
            label="POST-empty",
            state=dg_state,
            rules="DG-6 DG-7",
        ),
    ),
    # DG-7: ending the policy deletes its country-of-birth data.
    "doelgroep:voorkeursbeleid_end": (
        Check(dg_gate(PAGE, METHOD), target="own_beleid", rules="DG-6 DG-7"),
        Check(
            dg_gate(POSTED, "redirect:/doelgroep/voorkeursbeleid/"),
            method="POST",
            label="POST-own",
            target="own_beleid",
            state=dg_state,
            may_change=frozenset({"hr"}),
            rules="DG-6 DG-7",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_beleid",
            state=dg_state,
            rules="DG-6 DG-7 SE-9",
        ),
    ),
    "doelgroep:maatregel_create": (
        Check(dg_gate(PAGE, OK), label="own", target="own_werknemer", rules="DG-5 DG-6"),
        Check(
            dg_gate(PAGE, NOTFOUND), label="foreign", target="foreign_werknemer", rules="DG-6 SE-9"
        ),
        Check(
            dg_gate(POSTED, FORM_ERROR),
            method="POST",
            label="POST-own-empty",
            target="own_werknemer",
            state=dg_state,
            rules="DG-5 DG-6",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign-empty",
            target="foreign_werknemer",
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    "doelgroep:maatregel_end": (
        Check(dg_gate(PAGE, METHOD), target="own_maatregel", rules="DG-5 DG-6"),
        Check(
            dg_gate(POSTED, DG_WERKNEMER_PAGE),
            method="POST",
            label="POST-own",
            target="own_maatregel",
            state=dg_state,
            may_change=frozenset({"hr"}),
            rules="DG-5 DG-6",
        ),
        Check(
            dg_gate(POSTED, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_maatregel",
            state=dg_state,
            rules="DG-5 DG-6 SE-9",
        ),
    ),
    "doelgroep:rapportage": (Check(dg_gate(PAGE, OK), rules="DG-5 DG-6 SE-7"),),
    "doelgroep:rapportage_csv": (Check(dg_gate(PAGE, OK), rules="DG-5 DG-6 SE-7"),),
    # DG-7: the employee's own page and objection, outside the gate; nobody else has one.
    "doelgroep:mijn": (Check(row(PAGE, NOTFOUND, werknemer=OK), rules="DG-7"),),
    "doelgroep:bezwaar": (
        Check(row(PAGE, METHOD), rules="DG-7"),
        Check(
            row(POSTED, NOTFOUND, werknemer="redirect:/doelgroep/mijn/"),
            method="POST",
            state=mine_voorkeursbeleid_data,
            may_change=frozenset({"werknemer"}),
            rules="DG-7",
        ),
    ),
    # The doelgroep API: the same gate, scoping and actions as the pages.
    "doelgroep-api:werknemer-list": (
        Check(dg_gate(API, OK), rules="DG-6 SE-7 SE-9"),
        Check(
            dg_gate(API, METHOD), method="POST", label="POST-empty", state=dg_state, rules="DG-6"
        ),
    ),
    "doelgroep-api:werknemer-detail": (
        Check(dg_gate(API, OK), label="own", target="own_werknemer", rules="DG-6 SE-7"),
        Check(dg_gate(API, NOTFOUND), label="foreign", target="foreign_werknemer", rules="SE-9"),
        Check(
            dg_gate(API, METHOD),
            method="PATCH",
            label="PATCH-own-empty",
            target="own_werknemer",
            state=dg_state,
            rules="DG-6",
        ),
    ),
    "doelgroep-api:werknemer-registercheck": (
        Check(dg_gate(API, METHOD), target="own_werknemer", rules="DG-1 DG-6"),
        Check(
            dg_gate(API, INVALID),
            method="POST",
            label="POST-own-empty",
            target="own_werknemer",
            state=dg_state,
            rules="DG-1 DG-6",
        ),
        Check(
            dg_gate(API, OK),
            method="POST",
            label="POST-own",
            target="own_werknemer",
            data=api_registercheck_body,
            state=dg_state,
            may_change=frozenset({"hr"}),
            rules="DG-1 DG-6",
        ),
        Check(
            dg_gate(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_werknemer",
            data=api_registercheck_body,
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    "doelgroep-api:werknemer-noriskpolis": (
        Check(dg_gate(API, METHOD), target="own_werknemer", rules="DG-3 DG-6"),
        Check(
            dg_gate(API, INVALID),
            method="POST",
            label="POST-own-empty",
            target="own_werknemer",
            state=dg_state,
            rules="DG-3 DG-6",
        ),
        Check(
            dg_gate(API, OK),
            method="POST",
            label="POST-own",
            target="own_werknemer",
            data=api_noriskpolis_body,
            state=dg_state,
            may_change=frozenset({"hr"}),
            rules="DG-3 DG-6",
        ),
        Check(
            dg_gate(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_werknemer",
            data=api_noriskpolis_body,
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    "doelgroep-api:werknemer-maatregelen": (
        Check(dg_gate(API, METHOD), target="own_werknemer", rules="DG-5 DG-6"),
        Check(
            dg_gate(API, INVALID),
            method="POST",
            label="POST-own-empty",
            target="own_werknemer",
            state=dg_state,
            rules="DG-5 DG-6",
        ),
        Check(
            dg_gate(API, CREATED),
            method="POST",
            label="POST-own",
            target="own_werknemer",
            data=api_maatregel_body,
            state=dg_state,
            may_change=frozenset({"hr"}),
            rules="DG-5 DG-6",
        ),
        Check(
            dg_gate(API, NOTFOUND),
            method="POST",
            label="POST-foreign",
            target="foreign_werknemer",
            data=api_maatregel_body,
            state=dg_state,
            rules="DG-6 SE-9",
        ),
    ),
    "doelgroep-api:rapportage": (
        Check(dg_gate(API, OK), rules="DG-5 DG-6 SE-7"),
        Check(
            dg_gate(API, METHOD), method="POST", label="POST-empty", state=dg_state, rules="DG-6"
        ),
    ),
}


# (URL key, check name) → (actors, reason): see tests/security/matrix/__init__.py.
KNOWN_BUGS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}

MATRIX, BEARER_MATRIX, test_matrix, test_matrix_with_bearer_token = matrix_tests(
    EXPECTED, KNOWN_BUGS
)


def test_doelgroep_bsn_export_holds_only_own_numbers(client_for, world):
    """DG-2, SE-9: the one BSN export of the signed hr actor carries the numbers of its own
    organisation's checks and never another organisation's."""
    response = client_for(Role.HR).get("/doelgroep/uwv-controle.csv")
    body = response.content.decode()
    assert response.status_code == 200
    assert world.own_check.bsn in body
    assert world.foreign_check.bsn not in body


def test_doelgroep_withdrawal_closes_the_gate_at_once(client_for, world):
    """DG-6: once the beheerder withdraws the hr actor's signature, pages and API (session and
    bearer token alike) refuse at once, and signing again is refused."""
    from doelgroep.models import Geheimhoudingsverklaring

    hr = world.user(Role.HR)
    page, api = client_for(Role.HR), client_for(Role.HR, "bearer")
    assert page.get("/doelgroep/").status_code == 200
    assert api.get("/api/v1/doelgroep/werknemers/").status_code == 200
    statement = Geheimhoudingsverklaring.objects.get(user=hr)
    path = f"/doelgroep/verklaringen/{statement.pk}/intrekken/"
    assert client_for(Role.BEHEERDER).post(path).status_code == 302
    assert page.get("/doelgroep/").status_code == 403
    for client in (page, api):
        response = client.get("/api/v1/doelgroep/werknemers/")
        assert response.status_code == 403
        assert response.json()["code"] == "confidentiality_statement_required"
    response = page.post("/doelgroep/verklaring/", {"confirm": "on"})
    assert response.status_code == 200
    assert "ingetrokken door de beheerder" in response.content.decode()
    assert not Geheimhoudingsverklaring.objects.filter(user=hr, withdrawn_at=None).exists()
