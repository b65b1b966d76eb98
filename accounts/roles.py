"""The roles of DESIGN.md (SE-2) and which organisation kind each belongs to."""

from django.db import models


class Role(models.TextChoices):
    BEHEERDER = "beheerder", "Beheerder (arbodienst)"
    WERKGEVER = "werkgever", "Werkgever / leidinggevende"
    HR = "hr", "HR / personeelszaken"
    WERKGEVER_BEHEERDER = "werkgever-beheerder", "Beheerder werkgever"
    BEDRIJFSARTS = "bedrijfsarts", "Bedrijfsarts"
    CASEMANAGER = "casemanager", "Casemanager (gedelegeerd)"
    CONSULTANT = "re-integratieconsultant", "Re-integratieconsultant"
    WERKNEMER = "werknemer", "Werknemer"


class OrganisationKind(models.TextChoices):
    WERKGEVER = "werkgever", "Werkgever"
    REINTEGRATIEBEDRIJF = "reintegratiebedrijf", "Re-integratiebedrijf"
    ARBODIENST = "arbodienst", "Arbodienst"


# Roles whose members belong to an employer and see only that employer (SE-9).
EMPLOYER_ROLES = frozenset({Role.WERKGEVER, Role.HR, Role.WERKGEVER_BEHEERDER})
# Roles whose logins give access to data the employer may not process: only the platform
# operator issues them (SE-3).
OPERATOR_ISSUED_ROLES = frozenset({Role.BEDRIJFSARTS, Role.CASEMANAGER, Role.CONSULTANT})
# Roles that serve employer organisations by assignment, not membership (SE-9).
ASSIGNED_ROLES = frozenset({Role.BEDRIJFSARTS, Role.CASEMANAGER, Role.CONSULTANT})

# The organisation kind a role's home organisation must have (None: no organisation needed).
HOME_ORGANISATION_KIND = {
    Role.BEHEERDER: OrganisationKind.ARBODIENST,
    Role.WERKGEVER: OrganisationKind.WERKGEVER,
    Role.HR: OrganisationKind.WERKGEVER,
    Role.WERKGEVER_BEHEERDER: OrganisationKind.WERKGEVER,
    Role.BEDRIJFSARTS: OrganisationKind.ARBODIENST,
    Role.CASEMANAGER: OrganisationKind.ARBODIENST,
    Role.CONSULTANT: OrganisationKind.REINTEGRATIEBEDRIJF,
    Role.WERKNEMER: OrganisationKind.WERKGEVER,
}
