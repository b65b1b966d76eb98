"""Who may reach the doelgroep administration (DG-6): staff who need it — HR, and the
werkgever (leidinggevende) who realises the premiekorting — AND who have signed the current
confidentiality statement in the system, not withdrawn by the beheerder. Pages, API and
templates call `gate_refusal`, which also says why and where to sign."""

from accounts.policies import has_role, is_operator
from accounts.roles import Role

from .models import Geheimhoudingsverklaring

STATEMENT_VERSION = "2026-11"
STATEMENT_TEXT = (
    "Ik verklaar dat ik de gegevens in de doelgroepadministratie (opname in het "
    "doelgroepregister, burgerservicenummer, no-riskpolis, ondersteuningsmaatregelen, "
    "gegevens voor voorkeursbeleid en VOG) geheimhoud. Ik gebruik ze alleen voor mijn taak: "
    "de banenafspraak, de premiekorting, de no-riskpolis en de ondersteuning van collega's. "
    "Ik deel ze met niemand die ze niet voor die taak nodig heeft, neem ze niet op in "
    "overzichten die tot personen herleidbaar zijn en meld elk vermoeden van een datalek "
    "direct. Ik weet dat elke inzage wordt vastgelegd."
)
GATE_ROLES = frozenset({Role.HR, Role.WERKGEVER})
# HR delivers the doelgroep part of a data-subject export (AV-3); a leidinggevende passes the DG-6
# gate for the premiekorting, but answering a data-subject request is no part of that task.
EXPORT_DELIVERER_ROLES = frozenset({Role.HR})


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def may_sign(user) -> bool:
    """The roles that need the administration (and may sign to use it); also its menu item."""
    return has_role(user, *GATE_ROLES) and user.organisation_id is not None


def current_signature(user):
    if not _active(user):
        return None
    return Geheimhoudingsverklaring.objects.filter(
        user=user, text_version=STATEMENT_VERSION, withdrawn_at__isnull=True
    ).first()


def is_withdrawn(user) -> bool:
    return Geheimhoudingsverklaring.objects.filter(
        user=user, text_version=STATEMENT_VERSION, withdrawn_at__isnull=False
    ).exists()


def gate_refusal(user) -> str | None:
    """None when the user may work in the doelgroep administration, else why not (Dutch)."""
    if not may_sign(user):
        return (
            "De doelgroepadministratie is alleen toegankelijk voor HR en leidinggevenden die "
            # DG-6 (named in words in the text people read)
            "de premiekorting realiseren."
        )
    if current_signature(user) is not None:
        return None
    if is_withdrawn(user):
        return (
            "Uw toegang tot de doelgroepadministratie is ingetrokken door de beheerder. "
            "Neem contact op met de beheerder."
        )
    return (
        "U hebt de geheimhoudingsverklaring nog niet ondertekend. Onderteken die eerst: daarna "
        "kunt u in de doelgroepadministratie werken."
    )


def can_access(user) -> bool:
    return gate_refusal(user) is None


def can_manage_statements(user) -> bool:
    return is_operator(user)


def is_werknemer(user) -> bool:
    """DG-7: the employee's own page (their country-of-birth data and the objection)."""
    return has_role(user, Role.WERKNEMER)


def may_object(user, werknemer) -> bool:
    """DG-7: only the employee themselves objects to the voorkeursbeleid."""
    return is_werknemer(user) and werknemer.user_id == user.pk


def may_deliver_export_part(user) -> bool:
    """AV-3, DG-6: HR past the confidentiality gate (the organisation is checked by the export)."""
    return can_access(user) and has_role(user, *EXPORT_DELIVERER_ROLES)
